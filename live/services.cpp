#include "live/services.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "model/error.hpp"
#include "packet/dns_codec.hpp"

namespace cnmlab::live {

namespace {

int openSocket(const Fd& ns, int type, model::Ipv4 addr, int port, const std::string& what) {
    NetnsGuard in(ns);
    const int fd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw model::Error(model::ErrorKind::System,
                           fmt::format("socket for {}: {}", what, std::strerror(errno)));
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    sa.sin_addr.s_addr = htonl(addr.value());
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        (type == SOCK_STREAM && ::listen(fd, 128) != 0)) {
        const int err = errno;
        ::close(fd);
        throw model::Error(
            model::ErrorKind::System,
            fmt::format("bind {}:{} for {}: {}", addr.str(), port, what, std::strerror(err)));
    }
    return fd;
}

// What every cnmlab TCP listener does with a connection: one line, then close.
void greet(int fd, const std::string& netns, int port) {
    const std::string line = fmt::format("cnmlab {} {}\n", netns, port);
    (void)::send(fd, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
}

long nowMs() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

ServiceHost::ServiceHost(const drivers::Plan& plan, const NsLookup& openNs) {
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        throw model::Error(
            model::ErrorKind::System,
            fmt::format("epoll_create1 for the listeners: {}", std::strerror(errno)));
    }
    m_proxy = std::make_unique<DockerProxy>(m_epoll);
    auto& fds = m_namespaces;
    auto nsFd = [&](const std::string& name) -> const Fd& {
        auto it = fds.find(name);
        if (it == fds.end()) {
            it = fds.emplace(name, openNs(name)).first;
        }
        return it->second;
    };
    try {
        std::vector<std::tuple<std::string, int, std::uint32_t, int>> opened;
        for (const auto& l : plan.listeners) {
            const auto key =
                std::make_tuple(l.netns, static_cast<int>(l.proto), l.address.value(), l.port);
            if (std::find(opened.begin(), opened.end(), key) != opened.end()) {
                continue;  // the same socket listed twice (expose and x-listen)
            }
            opened.push_back(key);
            const bool tcp = l.proto == model::Proto::Tcp;
            const int fd = openSocket(nsFd(l.netns), tcp ? SOCK_STREAM : SOCK_DGRAM, l.address,
                                      l.port, fmt::format("{} in {}", l.owner, l.netns));
            Socket sock{fd, tcp ? Kind::TcpListen : Kind::UdpEcho, l.netns, l.port, {}};
            if (l.forwardTo && l.forwardPort) {  // docker-proxy
                sock.kind = tcp ? Kind::ProxyTcp : Kind::ProxyUdp;
                sock.proxyTo = DockerProxy::Backend{&nsFd(l.netns), *l.forwardTo, *l.forwardPort};
            }
            m_sockets.push_back(std::move(sock));
        }
        for (const auto& d : plan.dns) {
            auto& zone = m_dns[d.netns];
            std::string name = d.name;
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            auto& list = zone[name];
            if (std::find(list.begin(), list.end(), d.address) == list.end()) {
                list.push_back(d.address);
            }
        }
        for (const auto& [netns, zone] : m_dns) {
            const int fd = openSocket(nsFd(netns), SOCK_DGRAM, model::Ipv4(127, 0, 0, 11), 53,
                                      "the embedded DNS server in " + netns);
            m_sockets.push_back(Socket{fd, Kind::Dns, netns, 53, {}});
        }
        for (std::size_t i = 0; i < m_sockets.size(); ++i) {
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.u64 = i;
            if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_sockets[i].fd, &ev) != 0) {
                throw model::Error(model::ErrorKind::System,
                                   fmt::format("epoll_ctl for the listener of {} on port {}: {}",
                                               m_sockets[i].netns, m_sockets[i].port,
                                               std::strerror(errno)));
            }
        }
    } catch (...) {
        m_proxy.reset();
        for (const auto& s : m_sockets) {
            ::close(s.fd);
        }
        ::close(m_epoll);
        m_epoll = -1;
        throw;
    }
    // Sockets stay in the namespace they were opened in: only docker-proxy,
    // which dials when a client comes, needs its namespace later.
    std::erase_if(m_namespaces, [&](const auto& entry) {
        return std::none_of(m_sockets.begin(), m_sockets.end(),
                            [&](const Socket& s) { return s.proxyTo.hostNs == &entry.second; });
    });
}

ServiceHost::~ServiceHost() {
    m_proxy.reset();  // its connections, before the epoll set goes
    for (const auto& s : m_sockets) {
        ::close(s.fd);
    }
    if (m_epoll >= 0) {
        ::close(m_epoll);
    }
}

void ServiceHost::serveDns(const Socket& s) {
    std::uint8_t buf[1500];
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n =
        ::recvfrom(s.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n <= 0) {
        return;
    }
    auto query = packet::decodeDns(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
    if (!query || query->response) {
        return;
    }
    packet::DnsMessage answer;
    answer.id = query->id;
    answer.response = true;
    answer.recursionDesired = query->recursionDesired;
    answer.recursionAvailable = true;
    answer.qname = query->qname;
    answer.qtype = query->qtype;
    std::string key = query->qname;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!key.empty() && key.back() == '.') {
        key.pop_back();
    }
    const auto& zone = m_dns[s.netns];
    auto it = zone.find(key);
    if (it != zone.end() && query->qtype == 1) {
        for (const auto& ip : it->second) {
            answer.answers.push_back(packet::DnsAnswer{query->qname, ip, 600});
        }
    } else if (it == zone.end()) {
        answer.rcode = 3;
    }
    const auto bytes = packet::encodeDns(answer);
    ::sendto(s.fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
}

void ServiceHost::run(const std::atomic<bool>& stop) {
    epoll_event events[64];
    while (!stop.load()) {
        const int n = ::epoll_wait(m_epoll, events, 64, 100);
        if (n < 0 && errno != EINTR) {
            throw model::Error(
                model::ErrorKind::System,
                fmt::format("epoll_wait of the listeners: {}", std::strerror(errno)));
        }
        for (int i = 0; i < n; ++i) {
            if (DockerProxy::owns(events[i].data.u64)) {
                m_proxy->onEvent(events[i].data.u64, events[i].events);
                continue;
            }
            const Socket& s = m_sockets[events[i].data.u64];
            switch (s.kind) {
            case Kind::TcpListen: {
                const int c = ::accept4(s.fd, nullptr, nullptr, SOCK_CLOEXEC);
                if (c >= 0) {
                    greet(c, s.netns, s.port);
                }
                break;
            }
            case Kind::ProxyTcp:
                m_proxy->acceptTcp(s.fd, s.proxyTo);
                break;
            case Kind::ProxyUdp:
                m_proxy->readUdp(s.fd, s.proxyTo);
                break;
            case Kind::UdpEcho: {
                std::uint8_t buf[2048];
                sockaddr_in from{};
                socklen_t len = sizeof from;
                const ssize_t got =
                    ::recvfrom(s.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
                if (got >= 0) {
                    ::sendto(s.fd, buf, static_cast<std::size_t>(got), 0,
                             reinterpret_cast<sockaddr*>(&from), len);
                }
                break;
            }
            case Kind::Dns:
                serveDns(s);
                break;
            }
        }
        m_proxy->expire(nowMs());
    }
}

std::vector<drivers::Plan> shardServices(const drivers::Plan& plan, std::size_t fdLimit) {
    // What each namespace needs: a descriptor for itself while its sockets
    // open, one per socket, and two per docker-proxy socket for the
    // connections it relays at once.
    std::map<std::string, std::size_t> need;
    for (const auto& l : plan.listeners) {
        need[l.netns] += l.forwardTo ? 3 : 1;
    }
    for (const auto& d : plan.dns) {
        need.emplace(d.netns, 0);
    }
    std::map<std::string, bool> hasDns;
    for (const auto& d : plan.dns) {
        if (!hasDns[d.netns]) {
            hasDns[d.netns] = true;
            need[d.netns] += 1;
        }
    }
    constexpr std::size_t kReserve = 48;  // the process's own, and headroom
    const std::size_t budget = fdLimit > kReserve + 16 ? fdLimit - kReserve : 16;
    std::map<std::string, std::size_t> shardOf;
    std::size_t shard = 0;
    std::size_t used = 0;
    for (const auto& [netns, n] : need) {
        if (used > 0 && used + n + 1 > budget) {
            ++shard;
            used = 0;
        }
        shardOf[netns] = shard;
        used += n + 1;
    }
    std::vector<drivers::Plan> out(shard + 1);
    for (const auto& l : plan.listeners) {
        out[shardOf[l.netns]].listeners.push_back(l);
    }
    for (const auto& d : plan.dns) {
        out[shardOf[d.netns]].dns.push_back(d);
    }
    return out;
}

namespace {

// Reads the child's first word: "ok", or what went wrong.
std::string readReady(int fd) {
    std::string got;
    char buf[512];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            got.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return got;
    }
}

std::string describeStatus(int status) {
    if (WIFEXITED(status)) {
        return fmt::format("exited with {}", WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        return fmt::format("killed by signal {}", WTERMSIG(status));
    }
    return "stopped";
}

}  // namespace

ServiceProcesses::ServiceProcesses(const drivers::Plan& plan) {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        throw model::Error(model::ErrorKind::System,
                           fmt::format("getrlimit(RLIMIT_NOFILE): {}", std::strerror(errno)));
    }
    const auto shards =
        shardServices(plan, static_cast<std::size_t>(std::min<rlim_t>(rl.rlim_cur, 1U << 20)));
    const pid_t parent = ::getpid();
    std::string failure;
    for (const auto& shard : shards) {
        if (shard.listeners.empty() && shard.dns.empty()) {
            continue;
        }
        int ready[2];
        if (::pipe2(ready, O_CLOEXEC) != 0) {
            failure = fmt::format("pipe: {}", std::strerror(errno));
            break;
        }
        const pid_t child = ::fork();
        if (child < 0) {
            failure = fmt::format("fork: {}", std::strerror(errno));
            ::close(ready[0]);
            ::close(ready[1]);
            break;
        }
        if (child == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            if (::getppid() != parent) {
                ::_exit(1);  // the parent went before the line above
            }
            ::prctl(PR_SET_NAME, "cnmlab-serve", 0, 0, 0);
            // Only what it serves counts against its descriptors.
            const unsigned keep = static_cast<unsigned>(ready[1]);
            if (keep > 3) {
                ::close_range(3, keep - 1, 0);
            }
            ::close_range(keep + 1, ~0U, 0);
            std::string error;
            try {
                ServiceHost host(shard, [](const std::string& n) { return openNamedNetns(n); });
                (void)!::write(ready[1], "ok", 2);
                ::close(ready[1]);
                std::atomic<bool> stop{false};
                host.run(stop);
            } catch (const model::Error& e) {
                error = e.message();
            } catch (const std::exception& e) {
                error = e.what();
            }
            (void)!::write(ready[1], error.data(), error.size());
            ::_exit(1);
        }
        ::close(ready[1]);
        m_pids.push_back(child);
        const std::string said = readReady(ready[0]);
        ::close(ready[0]);
        if (said != "ok") {
            failure = said.empty() ? std::string("a service process ended without a word") : said;
            break;
        }
    }
    if (!failure.empty()) {
        for (int pid : m_pids) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        m_pids.clear();
        throw model::Error(model::ErrorKind::System, failure);
    }
}

ServiceProcesses::~ServiceProcesses() {
    for (int pid : m_pids) {
        ::kill(pid, SIGKILL);
    }
    for (int pid : m_pids) {
        ::waitpid(pid, nullptr, 0);
    }
}

std::string ServiceProcesses::stopped() {
    for (int pid : m_pids) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return fmt::format("a service process (pid {}) {}", pid, describeStatus(status));
        }
    }
    return {};
}

}  // namespace cnmlab::live
