#include "live/docker_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace cnmlab::live {

namespace {

long nowMs() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1'000'000;
}

sockaddr_in addressOf(model::Ipv4 ip, int port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    sa.sin_addr.s_addr = htonl(ip.value());
    return sa;
}

// A socket of docker-proxy's own, made in the host namespace (a socket
// belongs to the namespace it was created in); -1 when that fails.
int socketIn(const Fd& ns, int type) {
    NetnsGuard in(ns);
    return ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

}  // namespace

DockerProxy::~DockerProxy() {
    for (auto& [id, t] : m_tcp) {
        ::close(t.client);
        ::close(t.backend);
    }
    for (auto& [id, u] : m_udp) {
        ::close(u.fd);
    }
}

void DockerProxy::watch(int fd, bool& watched, std::uint32_t events, std::uint64_t data) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = data;
    if (::epoll_ctl(m_epoll, watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) == 0) {
        watched = true;
    }
}

void DockerProxy::acceptTcp(int listenFd, const Backend& to) {
    for (;;) {
        const int client = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (client < 0) {
            return;  // EAGAIN: no more waiting (or the listener failed: nothing to do here)
        }
        const int backend = socketIn(*to.hostNs, SOCK_STREAM);
        if (backend < 0) {
            ::close(client);
            continue;
        }
        const sockaddr_in sa = addressOf(to.address, to.port);
        if (::connect(backend, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 &&
            errno != EINPROGRESS) {
            ::close(backend);  // ENETUNREACH and the like: the dial failed at once
            ::close(client);
            continue;
        }
        const std::uint64_t id = m_next++;
        Tcp& t = m_tcp[id];
        t.client = client;
        t.backend = backend;
        // The dial's outcome shows as the backend socket becoming writable.
        watch(backend, t.backendWatched, EPOLLOUT, kTcpTag | (id << 1) | 1);
    }
}

// Copies what it can from `from` to `to` without blocking; at the end of the
// source, shuts `from` for reading and `to` for writing, as tcp_proxy.go's
// broker does after io.Copy returns.
void DockerProxy::copy(Pipe& p, int from, int to) {
    while (!p.done) {
        if (p.off == p.len && !p.eof) {
            const ssize_t n = ::recv(from, p.buf.data(), p.buf.size(), 0);
            if (n > 0) {
                p.len = static_cast<std::size_t>(n);
                p.off = 0;
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                p.eof = true;
            } else {
                return;  // nothing to read now
            }
        }
        if (p.off < p.len) {
            const ssize_t w = ::send(to, p.buf.data() + p.off, p.len - p.off, MSG_NOSIGNAL);
            if (w > 0) {
                p.off += static_cast<std::size_t>(w);
                continue;
            }
            if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
                return;  // the other side's buffer is full
            }
            p.len = p.off = 0;  // the other side is gone: io.Copy returns the error
            p.eof = true;
        }
        if (p.eof) {
            ::shutdown(from, SHUT_RD);
            ::shutdown(to, SHUT_WR);
            p.done = true;
        }
    }
}

void DockerProxy::pump(Tcp& t) {
    copy(t.up, t.client, t.backend);
    copy(t.down, t.backend, t.client);
}

void DockerProxy::closeTcp(std::uint64_t id) {
    auto it = m_tcp.find(id);
    if (it != m_tcp.end()) {
        ::close(it->second.client);  // close() also leaves the epoll set
        ::close(it->second.backend);
        m_tcp.erase(it);
    }
}

void DockerProxy::closeUdp(std::uint64_t id) {
    auto it = m_udp.find(id);
    if (it != m_udp.end()) {
        m_udpByClient.erase({it->second.listenFd, it->second.clientIp, it->second.clientPort});
        ::close(it->second.fd);
        m_udp.erase(it);
    }
}

void DockerProxy::readUdp(int listenFd, const Backend& to) {
    std::array<char, 65536> buf{};
    for (;;) {
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(listenFd, buf.data(), buf.size(), 0,
                                     reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) {
            return;
        }
        const auto key = std::make_tuple(listenFd, from.sin_addr.s_addr, from.sin_port);
        auto hit = m_udpByClient.find(key);
        if (hit == m_udpByClient.end()) {
            const int fd = socketIn(*to.hostNs, SOCK_DGRAM);
            const sockaddr_in sa = addressOf(to.address, to.port);
            if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
                if (fd >= 0) {
                    ::close(fd);
                }
                continue;  // "Can't proxy a datagram": this one is dropped
            }
            const std::uint64_t id = m_next++;
            m_udp[id] = Udp{fd, listenFd, from.sin_addr.s_addr, from.sin_port, nowMs()};
            hit = m_udpByClient.emplace(key, id).first;
            bool watched = false;
            watch(fd, watched, EPOLLIN, kUdpTag | id);
        }
        // An error here (the container unreachable) drops the datagram, as
        // docker-proxy does after logging it.
        (void)::send(m_udp[hit->second].fd, buf.data(), static_cast<std::size_t>(n), 0);
    }
}

void DockerProxy::onEvent(std::uint64_t data, std::uint32_t events) {
    if ((data & kUdpTag) != 0) {
        const std::uint64_t id = data & ~kUdpTag;
        auto it = m_udp.find(id);
        if (it == m_udp.end()) {
            return;
        }
        Udp& u = it->second;
        std::array<char, 65536> buf{};
        for (;;) {
            const ssize_t n = ::recv(u.fd, buf.data(), buf.size(), 0);
            if (n < 0 && errno == ECONNREFUSED) {
                continue;  // the container's port is closed: ignored until the timeout
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                return;
            }
            if (n < 0) {
                closeUdp(id);
                return;
            }
            sockaddr_in client{};
            client.sin_family = AF_INET;
            client.sin_addr.s_addr = u.clientIp;
            client.sin_port = u.clientPort;
            // From the listening socket: bound to 0.0.0.0, its source address is
            // the one the route to the client gives (Go writes without IP_PKTINFO).
            (void)::sendto(u.listenFd, buf.data(), static_cast<std::size_t>(n), 0,
                           reinterpret_cast<const sockaddr*>(&client), sizeof client);
            u.lastMs = nowMs();
        }
    }
    const std::uint64_t id = (data & ~kTcpTag) >> 1;
    auto it = m_tcp.find(id);
    if (it == m_tcp.end()) {
        return;
    }
    Tcp& t = it->second;
    const bool backendSide = (data & 1) != 0;
    if (!t.connected) {
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(t.backend, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            closeTcp(id);  // refused or unreachable: the client reads end of file
            return;
        }
        t.connected = true;
    } else if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
        // That side is gone (reset, or shut down both ways): stop watching it,
        // or it would be reported on every wait; the copies read or write it
        // once more and end.
        int fd = backendSide ? t.backend : t.client;
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        (backendSide ? t.backendGone : t.clientGone) = true;
    }
    pump(t);
    if (t.up.done && t.down.done) {
        closeTcp(id);
        return;
    }
    // Read a side while its direction's buffer is empty; write a side while
    // the other direction has bytes for it.
    auto wants = [](const Pipe& in, const Pipe& out) {
        std::uint32_t ev = 0;
        if (!in.done && !in.eof && in.off == in.len) {
            ev |= EPOLLIN;
        }
        if (!out.done && out.off < out.len) {
            ev |= EPOLLOUT;
        }
        return ev;
    };
    const std::uint64_t base = kTcpTag | (id << 1);
    if (!t.clientGone) {
        watch(t.client, t.clientWatched, wants(t.up, t.down), base);
    }
    if (!t.backendGone) {
        watch(t.backend, t.backendWatched, wants(t.down, t.up), base | 1);
    }
}

void DockerProxy::expire(long now) {
    for (auto it = m_udp.begin(); it != m_udp.end();) {
        const std::uint64_t id = it->first;
        const bool over = now - it->second.lastMs > kUdpTimeoutMs;
        ++it;
        if (over) {
            closeUdp(id);
        }
    }
}

}  // namespace cnmlab::live
