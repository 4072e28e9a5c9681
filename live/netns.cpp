#include "live/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "model/error.hpp"

namespace cnmlab::live {

namespace {

[[noreturn]] void sysFail(const std::string& op, int err) {
    throw model::Error(model::ErrorKind::System, fmt::format("{}: {}", op, std::strerror(err)));
}

std::string pathOf(const std::string& name) {
    return std::string(kNetnsDir) + "/" + name;
}

}  // namespace

Fd::~Fd() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = o.m_fd;
        o.m_fd = -1;
    }
    return *this;
}

Fd createNamedNetns(const std::string& name) {
    ::mkdir("/run", 0755);
    if (::mkdir(kNetnsDir, 0755) != 0 && errno != EEXIST) {
        sysFail(fmt::format("mkdir {}", kNetnsDir), errno);
    }
    const std::string path = pathOf(name);
    const int f = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL, 0);
    if (f < 0) {
        sysFail(fmt::format("ip netns add {}", name), errno);
    }
    ::close(f);
    // As iproute2 does: a helper thread unshares its network namespace and
    // bind-mounts it on the file; the calling thread never leaves its own.
    int err = 0;
    std::thread worker([&] {
        if (::unshare(CLONE_NEWNET) != 0) {
            err = errno;
            return;
        }
        const std::string self = fmt::format("/proc/self/task/{}/ns/net", ::gettid());
        if (::mount(self.c_str(), path.c_str(), "none", MS_BIND, nullptr) != 0) {
            err = errno;
        }
    });
    worker.join();
    if (err != 0) {
        ::unlink(path.c_str());
        sysFail(fmt::format("ip netns add {}", name), err);
    }
    return openNamedNetns(name);
}

Fd openNamedNetns(const std::string& name) {
    const int fd = ::open(pathOf(name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sysFail(fmt::format("open {}", pathOf(name)), errno);
    }
    return Fd(fd);
}

bool deleteNamedNetns(const std::string& name) {
    const std::string path = pathOf(name);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return false;
    }
    ::umount2(path.c_str(), MNT_DETACH);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        sysFail(fmt::format("ip netns delete {}", name), errno);
    }
    return true;
}

std::vector<std::string> listNamedNetns(const std::string& prefix) {
    std::vector<std::string> out;
    DIR* dir = ::opendir(kNetnsDir);
    if (dir == nullptr) {
        return out;
    }
    while (const dirent* e = ::readdir(dir)) {
        const std::string n = e->d_name;
        if (n.rfind(prefix, 0) == 0 && n != "." && n != "..") {
            out.push_back(n);
        }
    }
    ::closedir(dir);
    std::sort(out.begin(), out.end());
    return out;
}

NetnsGuard::NetnsGuard(const Fd& target) {
    m_home = Fd(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!m_home.valid()) {
        sysFail("open /proc/thread-self/ns/net", errno);
    }
    if (::setns(target.get(), CLONE_NEWNET) != 0) {
        sysFail("setns", errno);
    }
}

NetnsGuard::~NetnsGuard() {
    // Coming back cannot fail for a namespace we were in. If it ever did, this
    // thread would carry on inside a scenario's namespace, where whatever it
    // does next (a socket, a route, a rule meant for the machine's side) would
    // land in the wrong place: it stops here, with the process, and says why.
    if (::setns(m_home.get(), CLONE_NEWNET) != 0) {
        const int err = errno;
        const std::string msg = fmt::format(
            "cnmlab: fatal: a thread could not return to its own network namespace (setns: {}); "
            "stopping rather than carry on inside a scenario's namespace. `cnmlab live down "
            "FILE` removes what is left.\n",
            std::strerror(err));
        (void)!::write(STDERR_FILENO, msg.data(), msg.size());
        std::_Exit(3);
    }
}

}  // namespace cnmlab::live
