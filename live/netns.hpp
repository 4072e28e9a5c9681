#pragma once
// The OS layer for network namespaces: RAII file descriptors, named namespaces
// as `ip netns` makes them (a file under /run/netns bind-mounted on a fresh
// namespace, so `ip netns list` shows them and `live down` finds them after a
// crash), and a guard that moves the calling thread into a namespace and back.
//
// Only namespaces whose names start with a cnmlab prefix are ever created or
// deleted here; the machine's own namespace is entered only to come back.

#include <string>
#include <vector>

namespace cnmlab::live {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd();
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& o) noexcept : m_fd(o.m_fd) { o.m_fd = -1; }
    Fd& operator=(Fd&& o) noexcept;
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

inline constexpr const char* kNetnsDir = "/run/netns";

// `ip netns add NAME`: throws model::Error (System) with the errno text.
Fd createNamedNetns(const std::string& name);
// Opens /run/netns/NAME; throws when absent.
Fd openNamedNetns(const std::string& name);
// `ip netns delete NAME`; false when it did not exist.
bool deleteNamedNetns(const std::string& name);
// Names under /run/netns that start with `prefix`, sorted.
std::vector<std::string> listNamedNetns(const std::string& prefix);

// Moves this thread into `target` for its lifetime (setns), then back.
class NetnsGuard {
public:
    explicit NetnsGuard(const Fd& target);
    ~NetnsGuard();
    NetnsGuard(const NetnsGuard&) = delete;
    NetnsGuard& operator=(const NetnsGuard&) = delete;

private:
    Fd m_home;
};

}  // namespace cnmlab::live
