// One probe's socket, from start to finish: a TCP connection answered when
// the listener's greeting arrives, a UDP datagram answered by an echoing
// listener, a DNS query to 127.0.0.11. ICMP echo: probe_icmp.cpp.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>

#include <fmt/format.h>

#include "live/probe_runner.hpp"
#include "model/error.hpp"
#include "packet/dns_codec.hpp"

namespace cnmlab::live::detail {

using model::Outcome;

std::atomic<std::uint32_t> g_nextIcmpId{static_cast<std::uint32_t>(::getpid()) * 7919U};
std::atomic<std::uint32_t> g_nextDnsId{static_cast<std::uint32_t>(::getpid())};

long nowMs() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

std::string errText(const char* call, int err) {
    return fmt::format("{}: {}", call, std::strerror(err));
}

sockaddr_in addrOf(model::Ipv4 ip, int port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    sa.sin_addr.s_addr = htonl(ip.value());
    return sa;
}

std::optional<Outcome> outcomeOfErrno(int err) {
    switch (err) {
    case ECONNREFUSED:
        return Outcome::Refused;  // RST, or ICMP port unreachable
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ENONET:
        return Outcome::NoRoute;  // no route here, or an ICMP error came back
    case EPERM:
    case EACCES:
        return Outcome::Dropped;  // a netfilter rule of the sender dropped it on the way out
    case ETIMEDOUT:
        return Outcome::Dropped;
    case ECONNRESET:
        return Outcome::Refused;
    default:
        return std::nullopt;
    }
}

bool transient(int err) {
    return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS || err == EINTR;
}

ProbeRunner::~ProbeRunner() {
    for (auto& f : m_flights) {
        if (f.fd >= 0) {
            ::close(f.fd);
        }
    }
    for (auto& s : m_slots) {
        if (s.raw >= 0) {
            ::close(s.raw);
        }
    }
    if (m_epoll >= 0) {
        ::close(m_epoll);
    }
}

// Descriptors a probe holds while it waits: its socket (ICMP probes share
// their namespace's raw socket). The services that answer run in processes
// of their own (ServiceProcesses), with descriptors of their own.
std::size_t ProbeRunner::cost(const LiveProbe& p) const {
    return !p.resolve && p.proto == model::Proto::Icmp ? 0 : 1;
}

void ProbeRunner::watch(int fd, std::uint64_t tag, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = tag;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
        throw model::Error(model::ErrorKind::System, errText("epoll_ctl", errno));
    }
}

const Fd& ProbeRunner::enter(const std::string& netns) {
    if (m_nsName != netns || !m_ns.valid()) {
        m_ns = Fd();
        m_nsName = netns;
        m_ns = openNamedNetns(netns);
    }
    return m_ns;
}

// Ends probe i with an outcome: closes its socket, and its slot's raw socket
// when no other ping waits on it.
void ProbeRunner::finish(std::size_t i, Outcome o, std::string detail) {
    Flight& f = m_flights[i];
    LiveProbe& p = m_probes[i];
    p.outcome = o;
    p.detail = std::move(detail);
    if (f.fd >= 0) {
        ::close(f.fd);  // also leaves the epoll set
        f.fd = -1;
        --m_fds;
    }
    if (f.slot >= 0) {
        Slot& s = m_slots[static_cast<std::size_t>(f.slot)];
        s.waiting.erase(f.icmpKey);
        if (--s.open == 0 && s.raw >= 0) {
            ::close(s.raw);
            s.raw = -1;
            --m_fds;
        }
        f.slot = -1;
    }
    if (f.phase != Phase::Idle && f.phase != Phase::Done) {
        --m_inFlight;
    }
    f.phase = Phase::Done;
}

bool ProbeRunner::sendDatagram(std::size_t i) {
    Flight& f = m_flights[i];
    LiveProbe& p = m_probes[i];
    if (f.slot >= 0) {
        return sendEcho(i);
    }
    std::vector<std::uint8_t> bytes;
    if (p.resolve) {
        packet::DnsMessage q;
        q.id = f.dnsId;
        q.qname = *p.resolve;
        bytes = packet::encodeDns(q);
    } else {
        bytes.assign(8, 0);
    }
    if (::send(f.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) {
        const int err = errno;
        if (transient(err)) {
            return true;
        }
        const auto o = outcomeOfErrno(err);
        finish(i, o.value_or(Outcome::Error), errText("send", err));
        return false;
    }
    return true;
}

void ProbeRunner::start(std::size_t i) {
    LiveProbe& p = m_probes[i];
    Flight& f = m_flights[i];
    const long now = nowMs();
    f.deadline = now + p.waitMs;
    f.nextSend = now + (p.paced() ? kPacedResendMs : kResendMs);
    ++m_inFlight;
    f.phase = Phase::Datagram;
    try {
        if (!p.resolve && p.proto == model::Proto::Icmp) {
            startEcho(i);
        } else {
            startSocket(i);
        }
    } catch (const model::Error& e) {
        // No namespace, no setns, no socket: the probe did not run.
        finish(i, Outcome::Error, e.message());
    }
}

// A socket in the probe's namespace, connected to its destination (TCP: the
// connection under way; UDP and DNS: the first datagram sent).
void ProbeRunner::startSocket(std::size_t i) {
    LiveProbe& p = m_probes[i];
    Flight& f = m_flights[i];
    int fd = -1;
    {
        NetnsGuard in(enter(p.netns));
        const int type = p.proto == model::Proto::Tcp && !p.resolve ? SOCK_STREAM : SOCK_DGRAM;
        fd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    }
    if (fd < 0) {
        finish(i, Outcome::Error, errText("socket", errno));
        return;
    }
    f.fd = fd;
    ++m_fds;
    const sockaddr_in sa =
        p.resolve ? addrOf(model::Ipv4(127, 0, 0, 11), 53) : addrOf(p.dst, p.port);
    const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
    if (p.proto == model::Proto::Tcp && !p.resolve) {
        f.phase = Phase::Connecting;
        if (rc != 0 && errno != EINPROGRESS) {
            const int err = errno;
            finish(i, outcomeOfErrno(err).value_or(Outcome::Error), errText("connect", err));
            return;
        }
        watch(fd, i, rc == 0 ? (EPOLLIN | EPOLLRDHUP) : EPOLLOUT);
        if (rc == 0) {
            f.phase = Phase::Greeting;
        }
        return;
    }
    if (rc != 0) {
        const int err = errno;
        finish(i, outcomeOfErrno(err).value_or(Outcome::Error), errText("connect", err));
        return;
    }
    if (p.resolve) {
        f.dnsId = static_cast<std::uint16_t>(g_nextDnsId.fetch_add(1));
    }
    watch(fd, i, EPOLLIN);
    sendDatagram(i);
}

// A TCP connection under way: it failed, or it is up and waits for the greeting.
void ProbeRunner::onConnected(std::size_t i, std::uint32_t events) {
    Flight& f = m_flights[i];
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(f.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
        const int e = errno;
        finish(i, Outcome::Error, errText("getsockopt(SO_ERROR)", e));
        return;
    }
    if (err != 0) {
        finish(i, outcomeOfErrno(err).value_or(Outcome::Error), errText("connect", err));
        return;
    }
    if ((events & EPOLLOUT) == 0) {
        return;
    }
    // Connected; a cnmlab listener (or docker-proxy relaying one) greets.
    f.phase = Phase::Greeting;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = i;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_MOD, f.fd, &ev) != 0) {
        finish(i, Outcome::Error, errText("epoll_ctl", errno));
    }
}

void ProbeRunner::onProbeEvent(std::size_t i, std::uint32_t events) {
    Flight& f = m_flights[i];
    LiveProbe& p = m_probes[i];
    if (f.phase == Phase::Done || f.fd < 0) {
        return;
    }
    if (f.phase == Phase::Connecting) {
        onConnected(i, events);
        return;
    }
    std::uint8_t buf[1500];
    const ssize_t n = ::recv(f.fd, buf, sizeof buf, 0);
    if (n < 0) {
        const int err = errno;
        if (transient(err)) {
            return;
        }
        if (f.phase == Phase::Greeting && err == ECONNRESET) {
            finish(i, Outcome::Closed, "connected, then reset without a byte");
            return;
        }
        finish(i, outcomeOfErrno(err).value_or(Outcome::Error), errText("recv", err));
        return;
    }
    if (f.phase == Phase::Greeting) {
        if (n == 0) {
            finish(i, Outcome::Closed, "connected, then closed without a byte");
            return;
        }
        std::string line(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
        line = line.substr(0, line.find('\n'));
        finish(i, Outcome::Answered, fmt::format("connected: \"{}\"", line));
        return;
    }
    if (p.resolve) {
        auto msg =
            packet::decodeDns(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
        if (!msg || !msg->response || msg->id != f.dnsId) {
            return;  // not the answer to this query
        }
        p.nxdomain = msg->rcode == 3;
        for (const auto& a : msg->answers) {
            p.resolved.push_back(a.address);
        }
        finish(i, Outcome::Answered, p.nxdomain ? "NXDOMAIN" : "answered");
        return;
    }
    finish(i, Outcome::Answered, "answered");
}

}  // namespace cnmlab::live::detail
