#include "live/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "live/rtnl.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

std::string procPath(const std::string& key) {
    std::string path = "/proc/sys/" + key;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    return path;
}

// Writes the value inside `ns`; 0 or the errno of open/write.
int writeInside(const Fd& ns, const std::string& path, const std::string& value) {
    const NetnsGuard in(ns);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    const std::string line = value + "\n";
    const ssize_t n = ::write(fd, line.data(), line.size());
    const int err = n == static_cast<ssize_t>(line.size()) ? 0 : (n < 0 ? errno : EIO);
    ::close(fd);
    return err;
}

}  // namespace

std::string readSysctl(const Fd& ns, const std::string& key) {
    const NetnsGuard in(ns);
    const int fd = ::open(procPath(key).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return "";
    }
    char buf[64] = {};
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    std::string s(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

SysctlWay setSysctl(const Fd& ns, Rtnl& rt, const std::string& key, const std::string& value) {
    const std::string path = procPath(key);
    const int err = writeInside(ns, path, value);
    if (err == 0) {
        return SysctlWay::ProcSys;
    }
    const std::string what =
        fmt::format("sysctl -w {}={}: cannot write {}: {}", key, value, path, std::strerror(err));
    if (err != EROFS && err != EACCES && err != EPERM) {
        throw model::Error(model::ErrorKind::System, what);
    }
    if (key == "net.ipv4.ip_forward" && (value == "0" || value == "1")) {
        for (const auto& dev : rt.linkNames()) {
            rt.setIpv4Forwarding(dev, value == "1");
        }
        return SysctlWay::Netlink;
    }
    if (readSysctl(ns, key) == value) {
        return SysctlWay::AlreadySet;
    }
    throw model::Error(model::ErrorKind::Unsupported,
                       what + " (a read-only /proc/sys, as in a container, and no rtnetlink "
                              "equivalent); give the container a writable /proc/sys, e.g. "
                              "`docker run --privileged`");
}

}  // namespace cnmlab::live
