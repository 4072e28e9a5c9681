// runLiveProbes(): the schedule of a batch of probes. Which probe may start
// (descriptors, the machine's ARP table, pacing), when a probe has waited long
// enough, when a datagram goes again. A probe's own socket: probe_sockets.cpp;
// ICMP echo: probe_icmp.cpp (see probe_runner.hpp).
#include "live/kernel_probes.hpp"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

#include "live/interrupt.hpp"
#include "live/probe_runner.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace detail {

namespace {

using model::Outcome;

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

}  // namespace

ProbeRunStats ProbeRunner::run() {
    ProbeRunStats stats;
    stats.probes = m_probes.size();
    const long began = nowMs();
    reserveDescriptors(stats);
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        throw model::Error(model::ErrorKind::System, errText("epoll_create1", errno));
    }
    // The probes of one namespace together: one namespace descriptor open at a
    // time, and one raw socket per namespace for its pings.
    m_order.resize(m_probes.size());
    std::iota(m_order.begin(), m_order.end(), 0);
    std::stable_sort(m_order.begin(), m_order.end(), [&](std::size_t a, std::size_t b) {
        return m_probes[a].netns < m_probes[b].netns;
    });
    long nextScan = 0;
    std::vector<epoll_event> events(512);
    NeighbourRoom neighbours;
    while (m_next < m_order.size() || m_inFlight > 0 || m_paced.left > 0) {
        // Each probe may need a neighbour entry at each end.
        launchWaiting(neighbours.room() / 2);
        launchPaced();
        if (m_next == m_order.size() && m_paced.left == 0 && m_ns.valid()) {
            m_ns = Fd();  // every probe has its socket
        }
        const int n = waitForEvents(events);
        const long now = nowMs();
        if (now < nextScan && n > 0) {
            continue;
        }
        nextScan = now + 10;
        sweep(now);
    }
    stats.maxInFlight = m_maxInFlight;
    stats.elapsedMs = nowMs() - began;
    return stats;
}

void ProbeRunner::reserveDescriptors(ProbeRunStats& stats) {
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
}

// Room for its socket, a new raw socket and the namespace's descriptor.
bool ProbeRunner::roomFor(std::size_t i) const {
    return m_fds + cost(m_probes[i]) + 2 <= m_budget || m_inFlight == 0;
}

void ProbeRunner::launch(std::size_t i) {
    start(i);
    if (m_flights[i].phase != Phase::Done) {
        m_active.push_back(i);
    }
    m_maxInFlight = std::max(m_maxInFlight, m_inFlight);
}

// Starts probes in order while there is room, up to `allowance` of them;
// paced probes go to their queue instead.
void ProbeRunner::launchWaiting(std::size_t allowance) {
    if (allowance == 0 && m_inFlight == 0) {
        allowance = 1;  // progress: forced garbage collection needs allocations
    }
    while (m_next < m_order.size() && m_inFlight < kMaxInFlight && allowance > 0) {
        const std::size_t i = m_order[m_next];
        if (m_probes[i].paced()) {
            m_paced.queue[m_probes[i].paceKey].push_back(i);
            ++m_paced.left;
            ++m_next;
            continue;
        }
        if (!roomFor(i)) {
            break;
        }
        ++m_next;
        --allowance;
        launch(i);
    }
}

// At most one paced probe per key in flight, each kPacedResendMs after the last.
void ProbeRunner::launchPaced() {
    for (auto& [key, queue] : m_paced.queue) {
        auto busy = m_paced.busy.find(key);
        if (busy != m_paced.busy.end() && m_flights[busy->second].phase != Phase::Done) {
            continue;
        }
        if (queue.empty() || m_inFlight >= kMaxInFlight || !roomFor(queue.front())) {
            continue;
        }
        // The bucket refills a second's worth each second and an error
        // costs two: wait until it holds them (TCP's own SYN retries come
        // a second later, too early to be answered).
        if (auto sent = m_paced.sent.find(key);
            sent != m_paced.sent.end() && nowMs() < sent->second + kPacedResendMs) {
            continue;
        }
        m_paced.sent[key] = nowMs();
        const std::size_t i = queue.front();
        queue.erase(queue.begin());
        --m_paced.left;
        m_paced.busy[key] = i;
        launch(i);
    }
}

// Waits up to 20 ms and hands each event to its probe or slot; returns how
// many there were (negative when interrupted).
int ProbeRunner::waitForEvents(std::vector<epoll_event>& events) {
    const int n = ::epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), 20);
    if (n < 0 && errno != EINTR) {
        throw model::Error(model::ErrorKind::System, errText("epoll_wait", errno));
    }
    throwIfInterrupted();
    for (int k = 0; k < n; ++k) {
        const epoll_event& ev = events[static_cast<std::size_t>(k)];
        if ((ev.data.u64 & kSlotTag) != 0) {
            onSlotEvent(static_cast<std::size_t>(ev.data.u64 & ~kSlotTag));
        } else {
            onProbeEvent(static_cast<std::size_t>(ev.data.u64), ev.events);
        }
    }
    return n;
}

// Ends the probes past their deadline and sends datagrams again.
void ProbeRunner::sweep(long now) {
    std::erase_if(m_active, [&](std::size_t i) {
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
                m_paced.sent[m_probes[i].paceKey] = now;
            }
            if (!sendDatagram(i)) {
                return true;
            }
        }
        return false;
    });
}

}  // namespace detail

std::size_t raiseFileLimit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        throw model::Error(model::ErrorKind::System,
                           detail::errText("getrlimit(RLIMIT_NOFILE)", errno));
    }
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) {
            throw model::Error(model::ErrorKind::System,
                               detail::errText("setrlimit(RLIMIT_NOFILE)", errno));
        }
    }
    // A select()-free process can use them all; keep the count sane.
    return static_cast<std::size_t>(std::min<rlim_t>(rl.rlim_cur, 1U << 20));
}

std::size_t openDescriptors() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) {
        throw model::Error(model::ErrorKind::System,
                           detail::errText("opendir /proc/self/fd", errno));
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
        p.outcome = model::Outcome::Error;
        p.detail.clear();
        p.resolved.clear();
        p.nxdomain = false;
    }
    detail::ProbeRunner r(probes);
    return r.run();
}

}  // namespace cnmlab::live
