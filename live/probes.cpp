#include "live/probes.hpp"

#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "sim/dns_codec.hpp"

namespace cnmlab::live {

namespace {

std::uint16_t checksum(const std::uint8_t* data, std::size_t len) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < len; i += 2) {
        sum += static_cast<std::uint32_t>((data[i] << 8) | data[i + 1]);
    }
    if (len % 2 != 0) {
        sum += static_cast<std::uint32_t>(data[len - 1] << 8);
    }
    while ((sum >> 16) != 0) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

sockaddr_in addrOf(model::Ipv4 ip, int port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    sa.sin_addr.s_addr = htonl(ip.value());
    return sa;
}

long nowMs() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct Pending {
    int fd = -1;
    std::uint16_t icmpId = 0;
    std::uint16_t dnsId = 0;
    bool connecting = false;
    std::uint8_t seq = 0;
};

void raiseFdLimit(std::size_t need) {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 64) {
        rl.rlim_cur = std::min<rlim_t>(rl.rlim_max, need + 64);
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

// Sends (again) what an ICMP, UDP or DNS probe sends on its open socket; false
// when the kernel refused at once (the reason is in p.detail). Datagrams can be
// lost while a fresh topology settles (ARP, bridge ports coming up), so these
// probes repeat, as `ping -c N` does; TCP has the kernel's own SYN retries.
bool resend(LiveProbe& p, Pending& pend) {
    if (p.resolve) {
        sim::DnsMessage q;
        q.id = pend.dnsId;
        q.qname = *p.resolve;
        const auto bytes = sim::encodeDns(q);
        return ::send(pend.fd, bytes.data(), bytes.size(), 0) >= 0;
    }
    if (p.proto == model::Proto::Udp) {
        const char data[8] = {};
        if (::send(pend.fd, data, sizeof data, 0) < 0) {
            p.detail = fmt::format("send: {}", std::strerror(errno));
            return false;
        }
        return true;
    }
    std::uint8_t pkt[64] = {};
    pkt[0] = ICMP_ECHO;
    pkt[4] = static_cast<std::uint8_t>(pend.icmpId >> 8);
    pkt[5] = static_cast<std::uint8_t>(pend.icmpId);
    pkt[7] = static_cast<std::uint8_t>(++pend.seq);
    const std::uint16_t c = checksum(pkt, sizeof pkt);
    pkt[2] = static_cast<std::uint8_t>(c >> 8);
    pkt[3] = static_cast<std::uint8_t>(c);
    sockaddr_in sa = addrOf(p.dst, 0);
    if (::sendto(pend.fd, pkt, sizeof pkt, 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
        p.detail = fmt::format("sendto: {}", std::strerror(errno));
        return false;
    }
    return true;
}

// Opens and fires one probe; returns the pending socket (fd -1 when it already ended).
Pending start(LiveProbe& p, std::uint16_t id) {
    Pending pend;
    NetnsGuard in(*p.ns);
    if (p.resolve) {
        pend.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in sa = addrOf(model::Ipv4(127, 0, 0, 11), 53);
        ::connect(pend.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        pend.dnsId = id;
        resend(p, pend);
        return pend;
    }
    switch (p.proto) {
    case model::Proto::Icmp: {
        pend.fd = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
        pend.icmpId = id;
        if (!resend(p, pend)) {
            ::close(pend.fd);
            pend.fd = -1;
        }
        return pend;
    }
    case model::Proto::Tcp: {
        pend.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in sa = addrOf(p.dst, p.port);
        const int rc = ::connect(pend.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        if (rc == 0) {
            p.reachable = true;
            p.detail = "connected";
            ::close(pend.fd);
            pend.fd = -1;
        } else if (errno != EINPROGRESS) {
            p.detail = fmt::format("connect: {}", std::strerror(errno));
            ::close(pend.fd);
            pend.fd = -1;
        }
        pend.connecting = true;
        return pend;
    }
    case model::Proto::Udp: {
        pend.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in sa = addrOf(p.dst, p.port);
        ::connect(pend.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        if (!resend(p, pend)) {
            ::close(pend.fd);
            pend.fd = -1;
        }
        return pend;
    }
    }
    return pend;
}

// Reads what arrived; true when the probe is over.
bool settle(LiveProbe& p, Pending& pend, short revents) {
    if (p.resolve) {
        std::uint8_t buf[1500];
        const ssize_t n = ::recv(pend.fd, buf, sizeof buf, 0);
        if (n <= 0) {
            p.detail = n < 0 ? std::strerror(errno) : "empty answer";
            return n < 0 && errno != EAGAIN;
        }
        auto msg = sim::decodeDns(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
        if (!msg || msg->id != pend.dnsId) {
            return false;
        }
        p.reachable = true;
        p.nxdomain = msg->rcode == 3;
        for (const auto& a : msg->answers) {
            p.resolved.push_back(a.address);
        }
        return true;
    }
    switch (p.proto) {
    case model::Proto::Icmp: {
        std::uint8_t buf[1500];
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(pend.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 20) {
            return false;
        }
        const std::size_t ihl = static_cast<std::size_t>(buf[0] & 0x0f) * 4;
        if (static_cast<std::size_t>(n) < ihl + 8) {
            return false;
        }
        const std::uint8_t* icmp = buf + ihl;
        const std::uint16_t id = static_cast<std::uint16_t>((icmp[4] << 8) | icmp[5]);
        if (icmp[0] == ICMP_ECHOREPLY && id == pend.icmpId &&
            ntohl(from.sin_addr.s_addr) == p.dst.value()) {
            p.reachable = true;
            p.detail = "echo reply";
            return true;
        }
        if ((icmp[0] == ICMP_DEST_UNREACH || icmp[0] == ICMP_TIME_EXCEEDED) &&
            static_cast<std::size_t>(n) >= ihl + 8 + 28) {
            const std::uint8_t* inner = icmp + 8;
            const std::size_t innerIhl = static_cast<std::size_t>(inner[0] & 0x0f) * 4;
            const std::uint8_t* innerIcmp = inner + innerIhl;
            if (static_cast<std::size_t>(n) >= ihl + 8 + innerIhl + 8 &&
                ((innerIcmp[4] << 8) | innerIcmp[5]) == pend.icmpId) {
                p.detail = fmt::format("ICMP type {} code {} from {}", icmp[0], icmp[1],
                                       model::Ipv4(ntohl(from.sin_addr.s_addr)).str());
                return true;
            }
        }
        return false;
    }
    case model::Proto::Tcp: {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(pend.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if ((revents & (POLLOUT | POLLERR | POLLHUP)) == 0) {
            return false;
        }
        p.reachable = err == 0;
        p.detail = err == 0 ? "connected" : std::strerror(err);
        return true;
    }
    case model::Proto::Udp: {
        char buf[64];
        const ssize_t n = ::recv(pend.fd, buf, sizeof buf, 0);
        if (n >= 0) {
            p.reachable = true;
            p.detail = "answered";
            return true;
        }
        if (errno == EAGAIN) {
            return false;
        }
        p.detail = std::strerror(errno);  // ECONNREFUSED: ICMP port unreachable
        return true;
    }
    }
    return true;
}

}  // namespace

void runLiveProbes(std::vector<LiveProbe>& probes, int timeoutMs) {
    raiseFdLimit(probes.size());
    std::vector<Pending> pending(probes.size());
    // ICMP and DNS ids are unique in the process, so batches running at once on
    // several threads (the studio's matrix and a single probe) never take each
    // other's answers: a raw ICMP socket sees every echo reply of its namespace.
    static std::atomic<std::uint16_t> nextId{static_cast<std::uint16_t>(::getpid() & 0x7fff)};
    for (std::size_t i = 0; i < probes.size(); ++i) {
        pending[i] = start(probes[i], ++nextId);
    }
    const long deadline = nowMs() + timeoutMs;
    std::size_t open = 0;
    for (const auto& p : pending) {
        open += p.fd >= 0 ? 1 : 0;
    }
    std::vector<pollfd> fds;
    std::vector<std::size_t> which;
    constexpr long kResendMs = 300;
    long nextResend = nowMs() + kResendMs;
    while (open > 0) {
        const long now = nowMs();
        const long left = deadline - now;
        if (left <= 0) {
            break;
        }
        if (now >= nextResend) {
            for (std::size_t i = 0; i < pending.size(); ++i) {
                if (pending[i].fd >= 0 && !pending[i].connecting) {
                    resend(probes[i], pending[i]);
                }
            }
            nextResend = now + kResendMs;
        }
        fds.clear();
        which.clear();
        for (std::size_t i = 0; i < pending.size(); ++i) {
            if (pending[i].fd >= 0) {
                const short ev = pending[i].connecting ? POLLOUT : POLLIN;
                fds.push_back(pollfd{pending[i].fd, ev, 0});
                which.push_back(i);
            }
        }
        const int n = ::poll(fds.data(), fds.size(),
                             static_cast<int>(std::min(left, std::max(1L, nextResend - now))));
        if (n <= 0) {
            continue;
        }
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (fds[k].revents == 0) {
                continue;
            }
            const std::size_t i = which[k];
            if (settle(probes[i], pending[i], fds[k].revents)) {
                ::close(pending[i].fd);
                pending[i].fd = -1;
                --open;
            }
        }
    }
    for (std::size_t i = 0; i < pending.size(); ++i) {
        if (pending[i].fd >= 0) {
            ::close(pending[i].fd);
            if (probes[i].detail.empty()) {
                probes[i].detail = "no answer (timeout)";
            }
        }
    }
}

}  // namespace cnmlab::live
