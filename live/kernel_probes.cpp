#include "live/kernel_probes.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "live/netns.hpp"
#include "model/error.hpp"
#include "packet/dns_codec.hpp"

namespace cnmlab::live {

namespace {

using model::Outcome;

// <linux/icmp.h>'s ICMP_FILTER, without its struct icmphdr (which clashes
// with glibc's): a set bit filters that ICMP type out of a raw socket.
constexpr int kIcmpFilter = 1;
struct IcmpFilter {
    std::uint32_t data;
};

constexpr long kResendMs = 300;
constexpr std::size_t kMaxInFlight = 1024;  // probes waiting at once, whatever they hold
constexpr std::size_t kReserve = 32;        // descriptors left for everything else

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

std::string errText(const char* call, int err) {
    return fmt::format("{}: {}", call, std::strerror(err));
}

// What an errno from sending, connecting or receiving says about the network,
// or nullopt when it says nothing about it (the probe could not be run).
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

// Errors that mean "try again later", not an answer.
bool transient(int err) {
    return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS || err == EINTR;
}

// ICMP probes of one namespace: one raw socket, replies matched by (id, seq).
struct Slot {
    std::string netns;
    int raw = -1;
    std::uint16_t id = 0;
    std::uint16_t seq = 0;
    std::size_t open = 0;                             // ICMP probes waiting on it
    std::unordered_map<std::uint32_t, std::size_t> waiting;  // (id << 16 | seq) -> probe
};

enum class Phase : std::uint8_t { Idle, Datagram, Connecting, Greeting, Done };

struct Flight {
    int fd = -1;
    Phase phase = Phase::Idle;
    long deadline = 0;
    long nextSend = 0;
    std::uint16_t dnsId = 0;
    std::uint32_t icmpKey = 0;
    int slot = -1;
};

constexpr std::uint64_t kSlotTag = 1ULL << 63;

// The ARP table is one for the whole machine: its entries in every namespace
// count against one limit (net.ipv4.neigh.default.gc_thresh3, 1024 by
// default), and past it Linux creates no entry ("neighbor table overflow") and
// the packet waiting for one is lost. Entries go only when idle for five
// seconds, and only when new ones are asked for past gc_thresh2. So probes
// start only while the table has room, read from /proc/net/stat/arp_cache.
class NeighbourRoom {
public:
    NeighbourRoom() {
        std::ifstream t("/proc/sys/net/ipv4/neigh/default/gc_thresh3");
        t >> m_limit;
    }
    // How many more entries may be made now (a large number when unknown).
    std::size_t room() const {
        if (m_limit == 0) {
            return kUnknown;
        }
        std::ifstream st("/proc/net/stat/arp_cache");
        std::string header;
        std::string entries;
        if (!std::getline(st, header) || !(st >> entries)) {
            return kUnknown;
        }
        const std::size_t now = std::stoul(entries, nullptr, 16);
        const std::size_t keep = m_limit / 4;  // for everything else on the machine
        return now + keep >= m_limit ? 0 : m_limit - keep - now;
    }

private:
    static constexpr std::size_t kUnknown = 1U << 20;
    std::size_t m_limit = 0;
};

class Runner {
public:
    explicit Runner(std::vector<LiveProbe>& probes) : m_probes(probes), m_flights(probes.size()) {}
    ~Runner();

    ProbeRunStats run();

private:
    void start(std::size_t i);
    void finish(std::size_t i, Outcome o, std::string detail);
    bool sendDatagram(std::size_t i);  // false when it ended the probe
    bool sendEcho(std::size_t i);
    void onProbeEvent(std::size_t i, std::uint32_t events);
    void onSlotEvent(std::size_t slot);
    const Fd& enter(const std::string& netns);
    int slotFor(const std::string& netns);
    std::size_t cost(const LiveProbe& p) const;
    void watch(int fd, std::uint64_t tag, std::uint32_t events);

    std::vector<LiveProbe>& m_probes;
    std::vector<Flight> m_flights;
    std::vector<Slot> m_slots;
    std::map<std::string, int> m_slotOf;
    std::string m_nsName;  // the namespace whose descriptor is open
    Fd m_ns;
    int m_epoll = -1;
    std::size_t m_fds = 0;      // descriptors the probes hold now
    std::size_t m_budget = 0;   // descriptors they may hold
    std::size_t m_inFlight = 0;
};

std::atomic<std::uint32_t> g_nextIcmpId{static_cast<std::uint32_t>(::getpid()) * 7919U};
std::atomic<std::uint32_t> g_nextDnsId{static_cast<std::uint32_t>(::getpid())};

Runner::~Runner() {
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
std::size_t Runner::cost(const LiveProbe& p) const {
    return !p.resolve && p.proto == model::Proto::Icmp ? 0 : 1;
}

void Runner::watch(int fd, std::uint64_t tag, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = tag;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
        throw model::Error(model::ErrorKind::System, errText("epoll_ctl", errno));
    }
}

const Fd& Runner::enter(const std::string& netns) {
    if (m_nsName != netns || !m_ns.valid()) {
        m_ns = Fd();
        m_nsName = netns;
        m_ns = openNamedNetns(netns);
    }
    return m_ns;
}

int Runner::slotFor(const std::string& netns) {
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

void Runner::finish(std::size_t i, Outcome o, std::string detail) {
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

bool Runner::sendEcho(std::size_t i) {
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

bool Runner::sendDatagram(std::size_t i) {
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

void Runner::start(std::size_t i) {
    LiveProbe& p = m_probes[i];
    Flight& f = m_flights[i];
    const long now = nowMs();
    f.deadline = now + p.waitMs;
    f.nextSend = now + (p.paced() ? kPacedResendMs : kResendMs);
    ++m_inFlight;
    f.phase = Phase::Datagram;
    try {
        if (!p.resolve && p.proto == model::Proto::Icmp) {
            f.slot = slotFor(p.netns);
            Slot& s = m_slots[static_cast<std::size_t>(f.slot)];
            if (s.seq == 0xffff) {  // a fresh identifier before a sequence repeats
                s.id = static_cast<std::uint16_t>(g_nextIcmpId.fetch_add(1));
                s.seq = 0;
            }
            f.icmpKey = (std::uint32_t{s.id} << 16) | ++s.seq;
            s.waiting.emplace(f.icmpKey, i);
            ++s.open;
            sendEcho(i);
            return;
        }
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
    } catch (const model::Error& e) {
        // No namespace, no setns, no socket: the probe did not run.
        finish(i, Outcome::Error, e.message());
    }
}

void Runner::onProbeEvent(std::size_t i, std::uint32_t events) {
    Flight& f = m_flights[i];
    LiveProbe& p = m_probes[i];
    if (f.phase == Phase::Done || f.fd < 0) {
        return;
    }
    if (f.phase == Phase::Connecting) {
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
        auto msg = packet::decodeDns(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
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

void Runner::onSlotEvent(std::size_t slotIdx) {
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
        const auto size = static_cast<std::size_t>(n);
        if (size < 20) {
            continue;
        }
        const std::size_t ihl = static_cast<std::size_t>(buf[0] & 0x0f) * 4;
        if (size < ihl + 8) {
            continue;
        }
        const std::uint8_t* icmp = buf + ihl;
        const model::Ipv4 src(ntohl(from.sin_addr.s_addr));
        auto keyAt = [](const std::uint8_t* h) {
            return (std::uint32_t{h[4]} << 24) | (std::uint32_t{h[5]} << 16) |
                   (std::uint32_t{h[6]} << 8) | h[7];
        };
        if (icmp[0] == ICMP_ECHOREPLY) {
            auto it = s.waiting.find(keyAt(icmp));
            if (it != s.waiting.end() && m_probes[it->second].dst == src) {
                finish(it->second, Outcome::Answered, "echo reply");
            }
            continue;
        }
        // An error quoting our echo request: its IP header and first 8 bytes.
        if (size < ihl + 8 + 20) {
            continue;
        }
        const std::uint8_t* inner = icmp + 8;
        const std::size_t innerIhl = static_cast<std::size_t>(inner[0] & 0x0f) * 4;
        if (size < ihl + 8 + innerIhl + 8 || inner[9] != IPPROTO_ICMP) {
            continue;
        }
        const std::uint8_t* innerIcmp = inner + innerIhl;
        const model::Ipv4 innerDst((std::uint32_t{inner[16]} << 24) | (std::uint32_t{inner[17]} << 16) |
                                   (std::uint32_t{inner[18]} << 8) | inner[19]);
        auto it = s.waiting.find(keyAt(innerIcmp));
        if (innerIcmp[0] != ICMP_ECHO || it == s.waiting.end() ||
            m_probes[it->second].dst != innerDst) {
            continue;
        }
        const bool portUnreach = icmp[0] == ICMP_DEST_UNREACH && icmp[1] == ICMP_PORT_UNREACH;
        finish(it->second, portUnreach ? Outcome::Refused : Outcome::NoRoute,
               fmt::format("ICMP type {} code {} from {}", icmp[0], icmp[1], src.str()));
    }
}

ProbeRunStats Runner::run() {
    ProbeRunStats stats;
    stats.probes = m_probes.size();
    const long began = nowMs();
    const std::size_t limit = raiseFileLimit();
    const std::size_t used = openDescriptors();
    if (limit < used + kReserve + 4) {
        throw model::Error(
            model::ErrorKind::Unsupported,
            fmt::format("too few file descriptors to probe: {} of the {} allowed (ulimit -n) are "
                        "open; raise `ulimit -n` (the hard limit) to at least {}",
                        used, limit, used + kReserve + 64));
    }
    m_budget = limit - used - kReserve;
    stats.descriptors = m_budget;
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        throw model::Error(model::ErrorKind::System, errText("epoll_create1", errno));
    }
    // The probes of one namespace together: one namespace descriptor open at a
    // time, and one raw socket per namespace for its pings.
    std::vector<std::size_t> order(m_probes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return m_probes[a].netns < m_probes[b].netns;
    });
    std::vector<std::size_t> active;
    std::size_t next = 0;
    long nextScan = 0;
    std::vector<epoll_event> events(512);
    // Paced probes wait here, per key, for the one in flight to end.
    std::map<std::string, std::vector<std::size_t>> pacedQueue;
    std::map<std::string, std::size_t> pacedBusy;  // key -> the paced probe in flight
    std::map<std::string, long> pacedSent;         // key -> when its last paced probe went
    std::size_t pacedLeft = 0;
    auto roomFor = [&](std::size_t i) {
        return m_fds + cost(m_probes[i]) + 2 <= m_budget || m_inFlight == 0;
    };
    auto launch = [&](std::size_t i) {
        start(i);
        if (m_flights[i].phase != Phase::Done) {
            active.push_back(i);
        }
        stats.maxInFlight = std::max(stats.maxInFlight, m_inFlight);
    };
    NeighbourRoom neighbours;
    while (next < order.size() || m_inFlight > 0 || pacedLeft > 0) {
        // Each probe may need a neighbour entry at each end.
        std::size_t allowance = neighbours.room() / 2;
        if (allowance == 0 && m_inFlight == 0) {
            allowance = 1;  // progress: forced garbage collection needs allocations
        }
        while (next < order.size() && m_inFlight < kMaxInFlight && allowance > 0) {
            const std::size_t i = order[next];
            if (m_probes[i].paced()) {
                pacedQueue[m_probes[i].paceKey].push_back(i);
                ++pacedLeft;
                ++next;
                continue;
            }
            // Room for its socket, a new raw socket and the namespace's descriptor.
            if (!roomFor(i)) {
                break;
            }
            ++next;
            --allowance;
            launch(i);
        }
        for (auto& [key, queue] : pacedQueue) {
            auto busy = pacedBusy.find(key);
            if (busy != pacedBusy.end() && m_flights[busy->second].phase != Phase::Done) {
                continue;
            }
            if (queue.empty() || m_inFlight >= kMaxInFlight || !roomFor(queue.front())) {
                continue;
            }
            // The bucket refills a second's worth each second and an error
            // costs two: wait until it holds them (TCP's own SYN retries come
            // a second later, too early to be answered).
            if (auto sent = pacedSent.find(key);
                sent != pacedSent.end() && nowMs() < sent->second + kPacedResendMs) {
                continue;
            }
            pacedSent[key] = nowMs();
            const std::size_t i = queue.front();
            queue.erase(queue.begin());
            --pacedLeft;
            pacedBusy[key] = i;
            launch(i);
        }
        if (next == order.size() && pacedLeft == 0 && m_ns.valid()) {
            m_ns = Fd();  // every probe has its socket
        }
        const int n = ::epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), 20);
        if (n < 0 && errno != EINTR) {
            throw model::Error(model::ErrorKind::System, errText("epoll_wait", errno));
        }
        for (int k = 0; k < n; ++k) {
            const std::uint64_t tag = events[static_cast<std::size_t>(k)].data.u64;
            if ((tag & kSlotTag) != 0) {
                onSlotEvent(static_cast<std::size_t>(tag & ~kSlotTag));
            } else {
                onProbeEvent(static_cast<std::size_t>(tag), events[static_cast<std::size_t>(k)].events);
            }
        }
        const long now = nowMs();
        if (now < nextScan && n > 0) {
            continue;
        }
        nextScan = now + 10;
        std::erase_if(active, [&](std::size_t i) {
            Flight& f = m_flights[i];
            if (f.phase == Phase::Done) {
                return true;
            }
            if (now >= f.deadline) {

                finish(i, Outcome::Dropped,
                       f.phase == Phase::Greeting
                           ? fmt::format("connected, no greeting in {} ms", m_probes[i].waitMs)
                           : fmt::format("no answer in {} ms", m_probes[i].waitMs));
                return true;
            }
            // Datagrams can be lost while a fresh topology settles (ARP, bridge
            // ports coming up), so they go again, as `ping -c N` does; TCP has
            // the kernel's own SYN retries.
            if (f.phase == Phase::Datagram && now >= f.nextSend) {
                f.nextSend = now + (m_probes[i].paced() ? kPacedResendMs : kResendMs);
                if (m_probes[i].paced()) {
                    pacedSent[m_probes[i].paceKey] = now;
                }
                if (!sendDatagram(i)) {
                    return true;
                }
            }
            return false;
        });
    }
    stats.elapsedMs = nowMs() - began;
    return stats;
}

}  // namespace

std::size_t raiseFileLimit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        throw model::Error(model::ErrorKind::System, errText("getrlimit(RLIMIT_NOFILE)", errno));
    }
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) {
            throw model::Error(model::ErrorKind::System, errText("setrlimit(RLIMIT_NOFILE)", errno));
        }
    }
    // A select()-free process can use them all; keep the count sane.
    return static_cast<std::size_t>(std::min<rlim_t>(rl.rlim_cur, 1U << 20));
}

std::size_t openDescriptors() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) {
        throw model::Error(model::ErrorKind::System, errText("opendir /proc/self/fd", errno));
    }
    std::size_t n = 0;
    while (const dirent* e = ::readdir(dir)) {
        n += e->d_name[0] != '.' ? 1 : 0;
    }
    ::closedir(dir);
    return n;  // counts the directory's own descriptor: one spare
}

ProbeRunStats runLiveProbes(std::vector<LiveProbe>& probes) {
    for (auto& p : probes) {
        p.outcome = Outcome::Error;
        p.detail.clear();
        p.resolved.clear();
        p.nxdomain = false;
    }
    Runner r(probes);
    return r.run();
}

}  // namespace cnmlab::live
