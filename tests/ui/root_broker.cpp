#include "root_broker.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "live/environment.hpp"

namespace uitest {

namespace {

constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

QStringList g_elevation;
QString g_unavailable =
    QStringLiteral("the test did not start as root, so no helper can run as root");

sockaddr_un abstractAddress(const std::string& name, socklen_t* len) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    a.sun_path[0] = '\0';  // abstract: no file to clean up
    std::memcpy(a.sun_path + 1, name.data(), std::min(name.size(), sizeof a.sun_path - 2));
    *len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    return a;
}

// In a process of the broker's own: receives one client's descriptors and
// command, runs the helper as root on them, and answers with its status.
[[noreturn]] void serve(int conn) {
    ucred cred{};
    socklen_t credLen = sizeof cred;
    if (::getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &credLen) != 0 || cred.uid != kNobody) {
        ::_exit(1);
    }
    char payload[4096];
    iovec iov{payload, sizeof payload};
    int fds[3] = {-1, -1, -1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
    const cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (n <= 0 || c == nullptr || c->cmsg_type != SCM_RIGHTS ||
        c->cmsg_len != CMSG_LEN(sizeof fds)) {
        ::_exit(1);
    }
    std::memcpy(fds, CMSG_DATA(c), sizeof fds);
    std::vector<std::string> args;
    for (ssize_t i = 0, start = 0; i < n; ++i) {
        if (payload[i] == '\0') {
            args.emplace_back(payload + start, static_cast<std::size_t>(i - start));
            start = i + 1;
        }
    }
    int status = 127 << 8;  // "command not found", as pkexec says for a command it will not run
    if (args == std::vector<std::string>{CNMLAB_CLI, "live", "helper"}) {
        ::signal(SIGCHLD, SIG_DFL);
        const pid_t child = ::fork();
        if (child == 0) {
            for (int i = 0; i < 3; ++i) {
                ::dup2(fds[i], i);
            }
            ::close_range(3, ~0U, 0);
            ::execl(CNMLAB_CLI, "cnmlab", "live", "helper", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int fd : fds) {
            ::close(fd);
        }
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
    }
    ssize_t w = ::write(conn, &status, sizeof status);
    (void)w;
    ::_exit(0);
}

// Serves until the test process is gone, which closes the other end of
// `alive` (a parent-death signal is not delivered once the parent has
// changed its user).
[[noreturn]] void runBroker(int listener, int alive) {
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);          // the test's output ends when the test does
    ::signal(SIGCHLD, SIG_IGN);  // the serving processes are reaped by the kernel
    for (;;) {
        pollfd fds[2] = {{listener, POLLIN, 0}, {alive, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            ::_exit(1);
        }
        if (fds[1].revents != 0) {
            ::_exit(0);
        }
        const int conn = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn < 0) {
            continue;
        }
        if (::fork() == 0) {
            ::close(listener);
            ::close(alive);
            serve(conn);
        }
        ::close(conn);
    }
}

}  // namespace

int elevateClientMain(int argc, char** argv) {
    if (argc < 4 || std::strcmp(argv[1], "--elevate") != 0) {
        return -1;
    }
    const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    socklen_t len = 0;
    const sockaddr_un addr = abstractAddress(argv[2], &len);
    if (s < 0 || ::connect(s, reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
        std::fprintf(stderr, "cannot reach the test's root broker %s: %s\n", argv[2],
                     std::strerror(errno));
        return 127;
    }
    std::string payload;
    for (int i = 3; i < argc; ++i) {
        payload.append(argv[i]).push_back('\0');
    }
    int fds[3] = {0, 1, 2};
    iovec iov{payload.data(), payload.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    std::memcpy(CMSG_DATA(c), fds, sizeof fds);
    if (::sendmsg(s, &msg, 0) < 0) {
        std::fprintf(stderr, "cannot pass the descriptors to the root broker: %s\n",
                     std::strerror(errno));
        return 127;
    }
    // Only the helper holds the studio's pipes now: their ends close when it exits.
    const int devnull = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; ++fd) {
        ::dup2(devnull, fd);
    }
    int status = 0;
    if (::read(s, &status, sizeof status) != static_cast<ssize_t>(sizeof status)) {
        return 127;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

QString startBrokerAndDropPrivileges() {
    if (::geteuid() != 0) {
        return g_unavailable;
    }
    const std::string name = "cnmlab-ui-broker-" + std::to_string(::getpid());
    // Root is not enough in a container without SYS_ADMIN, say: the tests that
    // build namespaces skip with what is missing.
    const std::string missing = cnmlab::live::liveModeMissing();
    const int listener = missing.empty() ? ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
    socklen_t len = 0;
    const sockaddr_un addr = abstractAddress(name, &len);
    if (!missing.empty()) {
        g_unavailable = QString::fromStdString(missing);
    } else if (listener < 0 ||
               ::bind(listener, reinterpret_cast<const sockaddr*>(&addr), len) != 0 ||
               ::listen(listener, 16) != 0) {
        g_unavailable = QStringLiteral("cannot listen on the broker's socket: %1")
                            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    } else {
        int alive[2] = {-1, -1};
        if (::pipe2(alive, O_CLOEXEC) != 0) {
            alive[0] = alive[1] = -1;
        }
        if (::fork() == 0) {
            ::close(alive[1]);
            runBroker(listener, alive[0]);
        }
        ::close(alive[0]);  // alive[1] stays open as long as this process runs
        char exe[4096] = {};
        const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
        g_elevation = {QString::fromLocal8Bit(exe, n > 0 ? static_cast<qsizetype>(n) : 0),
                       QStringLiteral("--elevate"), QString::fromStdString(name)};
        g_unavailable.clear();
    }
    if (listener >= 0) {
        ::close(listener);
    }
    // The studio under test is an ordinary user's, with or without a broker.
    if (::setgroups(0, nullptr) != 0 || ::setresgid(kNogroup, kNogroup, kNogroup) != 0 ||
        ::setresuid(kNobody, kNobody, kNobody) != 0) {
        return QStringLiteral("cannot become the user nobody: %1")
            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    ::prctl(PR_SET_DUMPABLE, 1);  // as a process started by that user is
    return g_unavailable;
}

QStringList brokerElevation() {
    return g_elevation;
}

QString brokerUnavailable() {
    return g_unavailable;
}

}  // namespace uitest
