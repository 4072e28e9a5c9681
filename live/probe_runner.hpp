#pragma once
// The machinery behind runLiveProbes() (kernel_probes.hpp); internal to live/.
// One ProbeRunner runs one batch of probes on one epoll set, in three files:
//
//   kernel_probes.cpp  the schedule: which probe starts when (file
//                      descriptors, the machine's ARP table, paced probes),
//                      timeouts and resends
//   probe_sockets.cpp  one probe's socket: TCP connect and greeting, UDP and
//                      DNS datagrams, and how each ends (finish)
//   probe_icmp.cpp     ICMP echo: one raw socket per namespace, replies and
//                      ICMP errors matched to their probe by (id, seq)

#include <netinet/in.h>
#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "live/kernel_probes.hpp"
#include "live/netns.hpp"

namespace cnmlab::live::detail {

inline constexpr long kResendMs = 300;
inline constexpr std::size_t kMaxInFlight = 1024;  // probes waiting at once, whatever they hold
inline constexpr std::size_t kReserve = 32;        // descriptors left for everything else
// Marks an epoll tag as a Slot's index rather than a probe's.
inline constexpr std::uint64_t kSlotTag = 1ULL << 63;

long nowMs();
std::string errText(const char* call, int err);
sockaddr_in addrOf(model::Ipv4 ip, int port);
// What an errno from sending, connecting or receiving says about the network,
// or nullopt when it says nothing about it (the probe could not be run).
std::optional<model::Outcome> outcomeOfErrno(int err);
// Errors that mean "try again later", not an answer.
bool transient(int err);

// Identifiers for ICMP echo and DNS queries, unique within this process.
extern std::atomic<std::uint32_t> g_nextIcmpId;
extern std::atomic<std::uint32_t> g_nextDnsId;

// ICMP probes of one namespace: one raw socket, replies matched by (id, seq).
struct Slot {
    std::string netns;
    int raw = -1;
    std::uint16_t id = 0;
    std::uint16_t seq = 0;
    std::size_t open = 0;                                    // ICMP probes waiting on it
    std::unordered_map<std::uint32_t, std::size_t> waiting;  // (id << 16 | seq) -> probe
};

enum class Phase : std::uint8_t { Idle, Datagram, Connecting, Greeting, Done };

// One probe while it runs.
struct Flight {
    int fd = -1;
    Phase phase = Phase::Idle;
    long deadline = 0;
    long nextSend = 0;
    std::uint16_t dnsId = 0;
    std::uint32_t icmpKey = 0;
    int slot = -1;
};

// Paced probes (LiveProbe::paceKey) wait here, per key, for the one in flight
// to end.
struct Pacing {
    std::map<std::string, std::vector<std::size_t>> queue;
    std::map<std::string, std::size_t> busy;  // key -> the paced probe in flight
    std::map<std::string, long> sent;         // key -> when its last paced probe went
    std::size_t left = 0;                     // probes still queued
};

class ProbeRunner {
public:
    explicit ProbeRunner(std::vector<LiveProbe>& probes)
        : m_probes(probes), m_flights(probes.size()) {}
    ~ProbeRunner();
    ProbeRunner(const ProbeRunner&) = delete;
    ProbeRunner& operator=(const ProbeRunner&) = delete;

    // Runs every probe to its end; throws model::Error (Unsupported) when the
    // descriptors do not allow even one probe at a time, (System) when epoll fails.
    ProbeRunStats run();

private:
    // ---- the schedule (kernel_probes.cpp) ----
    void reserveDescriptors(ProbeRunStats& stats);
    bool roomFor(std::size_t i) const;
    void launch(std::size_t i);
    void launchWaiting(std::size_t allowance);
    void launchPaced();
    int waitForEvents(std::vector<epoll_event>& events);
    void sweep(long now);

    // ---- one probe's socket (probe_sockets.cpp) ----
    void start(std::size_t i);
    void startSocket(std::size_t i);
    void finish(std::size_t i, model::Outcome o, std::string detail);
    bool sendDatagram(std::size_t i);  // false when it ended the probe
    void onProbeEvent(std::size_t i, std::uint32_t events);
    void onConnected(std::size_t i, std::uint32_t events);
    const Fd& enter(const std::string& netns);
    std::size_t cost(const LiveProbe& p) const;
    void watch(int fd, std::uint64_t tag, std::uint32_t events);

    // ---- ICMP echo (probe_icmp.cpp) ----
    void startEcho(std::size_t i);
    bool sendEcho(std::size_t i);  // false when it ended the probe
    int slotFor(const std::string& netns);
    void onSlotEvent(std::size_t slot);
    void onIcmp(Slot& s, const std::uint8_t* buf, std::size_t size, model::Ipv4 src);

    std::vector<LiveProbe>& m_probes;
    std::vector<Flight> m_flights;
    std::vector<Slot> m_slots;
    std::map<std::string, int> m_slotOf;
    std::string m_nsName;  // the namespace whose descriptor is open
    Fd m_ns;
    int m_epoll = -1;
    std::size_t m_fds = 0;     // descriptors the probes hold now
    std::size_t m_budget = 0;  // descriptors they may hold
    std::size_t m_inFlight = 0;
    std::size_t m_maxInFlight = 0;
    std::vector<std::size_t> m_order;   // probe indices, grouped by namespace
    std::size_t m_next = 0;             // the next of m_order to start
    std::vector<std::size_t> m_active;  // started and maybe not done
    Pacing m_paced;
};

}  // namespace cnmlab::live::detail
