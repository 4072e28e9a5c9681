// ICMP echo probes: one raw socket per namespace, shared by its pings; echo
// replies and ICMP errors (which quote the echo request) are matched to their
// probe by (identifier, sequence). The schedule: kernel_probes.cpp.
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include "live/probe_runner.hpp"
#include "model/error.hpp"

namespace cnmlab::live::detail {

namespace {

using model::Outcome;

// <linux/icmp.h>'s ICMP_FILTER, without its struct icmphdr (which clashes
// with glibc's): a set bit filters that ICMP type out of a raw socket.
constexpr int kIcmpFilter = 1;
struct IcmpFilter {
    std::uint32_t data;
};

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

// The (identifier, sequence) of the ICMP echo header at h.
std::uint32_t echoKey(const std::uint8_t* h) {
    return (std::uint32_t{h[4]} << 24) | (std::uint32_t{h[5]} << 16) | (std::uint32_t{h[6]} << 8) |
           h[7];
}

}  // namespace

// The namespace's raw socket (opened on first use), and the next sequence.
void ProbeRunner::startEcho(std::size_t i) {
    Flight& f = m_flights[i];
    f.slot = slotFor(m_probes[i].netns);
    Slot& s = m_slots[static_cast<std::size_t>(f.slot)];
    if (s.seq == 0xffff) {  // a fresh identifier before a sequence repeats
        s.id = static_cast<std::uint16_t>(g_nextIcmpId.fetch_add(1));
        s.seq = 0;
    }
    f.icmpKey = (std::uint32_t{s.id} << 16) | ++s.seq;
    s.waiting.emplace(f.icmpKey, i);
    ++s.open;
    sendEcho(i);
}

int ProbeRunner::slotFor(const std::string& netns) {
    auto [it, fresh] = m_slotOf.emplace(netns, static_cast<int>(m_slots.size()));
    if (fresh) {
        Slot slot;
        slot.netns = netns;
        m_slots.push_back(std::move(slot));
    }
    Slot& s = m_slots[static_cast<std::size_t>(it->second)];
    if (s.raw < 0) {
        NetnsGuard in(enter(netns));
        const int fd = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
        if (fd < 0) {
            throw model::Error(model::ErrorKind::System, errText("socket(raw ICMP)", errno));
        }
        // Only echo replies and the errors that can answer an echo request.
        IcmpFilter filter{~((1U << ICMP_ECHOREPLY) | (1U << ICMP_DEST_UNREACH) |
                            (1U << ICMP_TIME_EXCEEDED) | (1U << ICMP_PARAMETERPROB))};
        const int big = 4 << 20;
        if (::setsockopt(fd, SOL_RAW, kIcmpFilter, &filter, sizeof filter) != 0 ||
            (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0 &&
             ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big) != 0)) {
            const int err = errno;
            ::close(fd);
            throw model::Error(model::ErrorKind::System, errText("setsockopt(raw ICMP)", err));
        }
        s.raw = fd;
        ++m_fds;
        s.id = static_cast<std::uint16_t>(g_nextIcmpId.fetch_add(1));
        s.seq = 0;
        watch(fd, kSlotTag | static_cast<std::uint64_t>(it->second), EPOLLIN);
    }
    return it->second;
}

bool ProbeRunner::sendEcho(std::size_t i) {
    Flight& f = m_flights[i];
    LiveProbe& p = m_probes[i];
    Slot& s = m_slots[static_cast<std::size_t>(f.slot)];
    std::uint8_t pkt[64] = {};
    pkt[0] = ICMP_ECHO;
    pkt[4] = static_cast<std::uint8_t>(f.icmpKey >> 24);
    pkt[5] = static_cast<std::uint8_t>(f.icmpKey >> 16);
    pkt[6] = static_cast<std::uint8_t>(f.icmpKey >> 8);
    pkt[7] = static_cast<std::uint8_t>(f.icmpKey);
    const std::uint16_t c = checksum(pkt, sizeof pkt);
    pkt[2] = static_cast<std::uint8_t>(c >> 8);
    pkt[3] = static_cast<std::uint8_t>(c);
    sockaddr_in sa = addrOf(p.dst, 0);
    if (::sendto(s.raw, pkt, sizeof pkt, 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
        const int err = errno;
        if (transient(err)) {
            return true;
        }
        const auto o = outcomeOfErrno(err);
        finish(i, o.value_or(Outcome::Error), errText("sendto", err));
        return false;
    }
    return true;
}

// Reads what the slot's raw socket holds (at most 1024 packets at a time).
void ProbeRunner::onSlotEvent(std::size_t slotIdx) {
    for (int budget = 0; budget < 1024; ++budget) {
        Slot& s = m_slots[slotIdx];
        if (s.raw < 0) {
            return;
        }
        std::uint8_t buf[1500];
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const ssize_t n =
            ::recvfrom(s.raw, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) {
            if (!transient(errno)) {
                // A raw socket reports nothing else; record it on every waiting probe.
                const int err = errno;
                std::vector<std::size_t> all;
                for (const auto& [k, i] : s.waiting) {
                    all.push_back(i);
                }
                for (std::size_t i : all) {
                    finish(i, Outcome::Error, errText("recvfrom(raw ICMP)", err));
                }
            }
            return;
        }
        onIcmp(s, buf, static_cast<std::size_t>(n), model::Ipv4(ntohl(from.sin_addr.s_addr)));
    }
}

// One IPv4 packet from the raw socket: an echo reply to one of the slot's
// probes, or an ICMP error quoting its echo request; anything else is ignored.
void ProbeRunner::onIcmp(Slot& s, const std::uint8_t* buf, std::size_t size, model::Ipv4 src) {
    if (size < 20) {
        return;
    }
    const std::size_t ihl = static_cast<std::size_t>(buf[0] & 0x0f) * 4;
    if (size < ihl + 8) {
        return;
    }
    const std::uint8_t* icmp = buf + ihl;
    if (icmp[0] == ICMP_ECHOREPLY) {
        auto it = s.waiting.find(echoKey(icmp));
        if (it != s.waiting.end() && m_probes[it->second].dst == src) {
            finish(it->second, Outcome::Answered, "echo reply");
        }
        return;
    }
    // An error quoting our echo request: its IP header and first 8 bytes.
    if (size < ihl + 8 + 20) {
        return;
    }
    const std::uint8_t* inner = icmp + 8;
    const std::size_t innerIhl = static_cast<std::size_t>(inner[0] & 0x0f) * 4;
    if (size < ihl + 8 + innerIhl + 8 || inner[9] != IPPROTO_ICMP) {
        return;
    }
    const std::uint8_t* innerIcmp = inner + innerIhl;
    const model::Ipv4 innerDst((std::uint32_t{inner[16]} << 24) | (std::uint32_t{inner[17]} << 16) |
                               (std::uint32_t{inner[18]} << 8) | inner[19]);
    auto it = s.waiting.find(echoKey(innerIcmp));
    if (innerIcmp[0] != ICMP_ECHO || it == s.waiting.end() ||
        m_probes[it->second].dst != innerDst) {
        return;
    }
    const bool portUnreach = icmp[0] == ICMP_DEST_UNREACH && icmp[1] == ICMP_PORT_UNREACH;
    finish(it->second, portUnreach ? Outcome::Refused : Outcome::NoRoute,
           fmt::format("ICMP type {} code {} from {}", icmp[0], icmp[1], src.str()));
}

}  // namespace cnmlab::live::detail
