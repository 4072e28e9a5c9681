#include "live/lifecycle.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "live/environment.hpp"
#include "live/executor.hpp"
#include "live/kernel_executor.hpp"
#include "live/kernel_ipvs.hpp"
#include "live/kernel_support.hpp"
#include "live/services.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

constexpr const char* kStateDir = "/run/cnmlab";

std::string stateDir(const std::string& prefix) {
    return std::string(kStateDir) + "/" + prefix.substr(0, prefix.size() - 1);
}

int readPid(const std::string& prefix) {
    std::ifstream in(stateDir(prefix) + "/daemon.pid");
    int pid = 0;
    in >> pid;
    if (pid <= 0) {
        return 0;
    }
    // Only our own daemon: the pid must still be a cnmlab process.
    std::ifstream comm(fmt::format("/proc/{}/comm", pid));
    std::string name;
    comm >> name;
    return name == "cnmlab-live" ? pid : 0;
}

// The daemon of the scenario with `prefix`, found without its pid file: a
// process named cnmlab-live that holds one of the scenario's namespaces open.
int findDaemon(const std::string& prefix) {
    std::set<std::string> mine;  // "net:[INODE]" of the scenario's namespaces
    for (const auto& n : listNamedNetns(prefix)) {
        struct stat st {};
        if (::stat((std::string(kNetnsDir) + "/" + n).c_str(), &st) == 0) {
            mine.insert(fmt::format("net:[{}]", st.st_ino));
        }
    }
    if (mine.empty()) {
        return 0;
    }
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) {
        return 0;
    }
    int found = 0;
    while (const dirent* e = ::readdir(proc)) {
        const int pid = std::atoi(e->d_name);
        if (pid <= 0 || found != 0) {
            continue;
        }
        std::ifstream comm(fmt::format("/proc/{}/comm", pid));
        std::string name;
        comm >> name;
        if (name != "cnmlab-live") {
            continue;
        }
        const std::string fdDir = fmt::format("/proc/{}/fd", pid);
        DIR* fds = ::opendir(fdDir.c_str());
        if (fds == nullptr) {
            continue;
        }
        while (const dirent* f = ::readdir(fds)) {
            char target[64] = {};
            const std::string link = fdDir + "/" + f->d_name;
            const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
            if (n > 0 && mine.count(std::string(target, static_cast<std::size_t>(n))) != 0) {
                found = pid;
                break;
            }
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return found;
}

// Running (a zombie whose parent is gone counts as gone: its sockets are closed).
bool alive(int pid) {
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string pidField;
    std::string comm;
    char state = 'X';
    stat >> pidField >> comm >> state;
    return stat && state != 'Z' && state != 'X';
}

void removeAll(const std::string& prefix) {
    for (const auto& ns : listNamedNetns(prefix)) {
        deleteNamedNetns(ns);
    }
}

}  // namespace

std::string livePrefix(const model::Scenario& sc) {
    std::uint32_t h = 2166136261u;
    for (char c : sc.projectName) {
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    }
    return fmt::format("cnm{:06x}-", h & 0xffffff);
}

void requireNetAdmin() {
    if (::geteuid() != 0) {
        throw model::Error(model::ErrorKind::Unsupported,
                           "live mode needs CAP_NET_ADMIN and CAP_SYS_ADMIN to make network "
                           "namespaces: run it as root");
    }
}

void liveUp(const model::Topology& topo, const drivers::Plan& plan0) {
    requireNetAdmin();
    const std::string prefix = livePrefix(*topo.scenario);
    requireLiveMode(prefix);
    if (!listNamedNetns(prefix).empty()) {
        throw model::Error(model::ErrorKind::Conflict,
                           fmt::format("{} is already up (namespaces {}*); run `cnmlab live down` "
                                       "first",
                                       topo.scenario->projectName, prefix));
    }
    if (const auto lacking = networksTheKernelLacks(topo, prefix); !lacking.empty()) {
        throw model::Error(model::ErrorKind::Unsupported,
                           describe(lacking) + "\n(nothing was built; `cnmlab live verify` builds "
                                               "and checks the rest)");
    }
    if (const auto lacking = servicesTheKernelLacks(topo); !lacking.empty()) {
        throw model::Error(model::ErrorKind::Unsupported,
                           describe(lacking) + "\n(nothing was built; `cnmlab live verify` builds "
                                               "and checks the rest)");
    }
    const drivers::Plan plan = livePlan(plan0, prefix);
    auto exec = buildInKernel(plan);
    // The daemon: it must outlive this command, so it is a child that detaches.
    for (const std::string& dir : {std::string(kStateDir), stateDir(prefix)}) {
        if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
            const int err = errno;
            exec->rollback();
            throw model::Error(model::ErrorKind::System,
                               fmt::format("mkdir {}: {}", dir, std::strerror(err)));
        }
    }
    raiseFileLimit();  // the daemon's listeners, and the connections docker-proxy relays
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) {
        const int err = errno;
        exec->rollback();
        throw model::Error(model::ErrorKind::System, fmt::format("pipe: {}", std::strerror(err)));
    }
    const pid_t child = ::fork();
    if (child < 0) {
        const int err = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        exec->rollback();
        throw model::Error(model::ErrorKind::System, fmt::format("fork: {}", std::strerror(err)));
    }
    if (child == 0) {
        ::close(ready[0]);
        ::setsid();
        // A daemon: no terminal, no inherited descriptors (a caller's pipes must
        // see EOF when it exits), and a name `live down` can recognise.
        ::prctl(PR_SET_NAME, "cnmlab-live", 0, 0, 0);
        const int devnull = ::open("/dev/null", O_RDWR);
        for (int fd = 0; fd <= 2; ++fd) {
            ::dup2(devnull, fd);
        }
        if (ready[1] > 3) {
            ::close_range(3, static_cast<unsigned>(ready[1]) - 1, 0);
        }
        ::close_range(static_cast<unsigned>(ready[1]) + 1, ~0U, 0);
        std::string error;
        try {
            ServiceProcesses services(plan);
            // It holds one of the scenario's namespaces open, so that `live down`
            // can tell it from another scenario's daemon without the pid file.
            const auto names = listNamedNetns(prefix);
            const Fd mark = names.empty() ? Fd() : openNamedNetns(names.front());
            const std::string pidFile = stateDir(prefix) + "/daemon.pid";
            std::ofstream pidOut(pidFile);
            pidOut << ::getpid() << "\n";
            pidOut.close();
            if (!pidOut) {
                throw model::Error(model::ErrorKind::System,
                                   fmt::format("cannot write {}", pidFile));
            }
            ssize_t w = ::write(ready[1], "ok", 2);
            (void)w;
            ::close(ready[1]);
            // Until SIGKILL from `live down`; the service processes go with it.
            while (services.stopped().empty()) {
                ::sleep(1);
            }
            ::_exit(1);
        } catch (const model::Error& e) {
            error = e.message();
            ssize_t w = ::write(ready[1], error.data(), error.size());
            (void)w;
        }
        ::_exit(error.empty() ? 0 : 1);
    }
    ::close(ready[1]);
    char buf[512] = {};
    const ssize_t n = ::read(ready[0], buf, sizeof buf - 1);
    ::close(ready[0]);
    if (n != 2 || std::strncmp(buf, "ok", 2) != 0) {
        exec->rollback();
        ::waitpid(child, nullptr, 0);
        throw model::Error(
            model::ErrorKind::System,
            fmt::format("starting the listeners and the embedded DNS failed: {}",
                        n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "no answer"));
    }
}

int liveDown(const model::Scenario& sc) {
    requireNetAdmin();
    const std::string prefix = livePrefix(sc);
    int pid = readPid(prefix);
    if (pid <= 0) {
        pid = findDaemon(prefix);  // its pid file is gone (removed, or /run was cleaned)
    }
    if (pid > 0) {
        ::kill(pid, SIGKILL);
        // Reap it when it is our child; otherwise wait until it is gone.
        if (::waitpid(pid, nullptr, 0) < 0) {
            for (int i = 0; i < 200 && alive(pid); ++i) {
                ::usleep(1'000);
            }
        }
    }
    const auto names = listNamedNetns(prefix);
    removeAll(prefix);
    ::unlink((stateDir(prefix) + "/daemon.pid").c_str());
    ::rmdir(stateDir(prefix).c_str());
    return static_cast<int>(names.size());
}

LiveStatus liveStatus(const model::Scenario& sc) {
    const std::string prefix = livePrefix(sc);
    LiveStatus st;
    st.namespaces = listNamedNetns(prefix);
    st.daemonPid = readPid(prefix);
    if (st.daemonPid <= 0 && !st.namespaces.empty()) {
        st.daemonPid = findDaemon(prefix);
    }
    return st;
}

}  // namespace cnmlab::live
