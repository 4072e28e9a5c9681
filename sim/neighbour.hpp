#pragma once
// The neighbour (ARP) table of a namespace and what runs it (net/ipv4/arp.c,
// net/core/neighbour.c). An entry has the kernel's NUD states: NONE (never
// asked, or forgotten), INCOMPLETE (asking: `requests` sent, frames queued),
// REACHABLE (or PERMANENT, a static entry), FAILED (no answer to the last
// round; the next frame starts a new one, as __neigh_event_send does).
// Resolution as Linux's defaults have it (net.ipv4.neigh.*): retrans_time_ms
// 1000 between requests, mcast_solicit 3 requests, then the entry FAILS and
// every frame queued on it is freed with an ICMP host unreachable to its sender.

#include <cstdint>
#include <vector>

#include "sim/flow_table.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

constexpr TimeUs kArpRetransUs = 1'000'000;
constexpr int kArpRequests = 3;

struct Neighbour {
    enum class State : std::uint8_t { None, Incomplete, Reachable, Failed };
    Mac mac{};
    State state = State::None;
    std::uint8_t requests = 0;
    std::vector<Frame> pending;
    bool resolved() const { return state == State::Reachable; }
};

// (device, address) -> entry. O(1) expected per lookup.
class NeighbourTable {
public:
    static std::uint64_t key(int dev, Ipv4 ip) {
        return (std::uint64_t(static_cast<std::uint32_t>(dev)) << 32) | ip.value();
    }
    Neighbour* find(std::uint64_t k) { return m_entries.find(k); }
    Neighbour& operator[](std::uint64_t k) { return m_entries[k]; }

private:
    Table64<Neighbour> m_entries;
};

// ARP: the data path calls these; they use the World's tables, tracing and timers.
struct Arp {
    // arp_rcv/arp_process: learn the sender, release frames that waited for
    // it, answer a request for one of our addresses.
    static void receive(World& w, int dev, const Frame& f);
    // neigh_output: fill in the destination MAC and transmit, or queue the
    // frame and ask (a new round for NONE or FAILED entries).
    static void output(World& w, int ns, int dev, Ipv4 nextHop, Frame& f);
    // The entries a run cut short left INCOMPLETE are forgotten (their timers
    // were dropped), so the next frame for them asks anew.
    static void forgetIncomplete(World& w);

private:
    // arp_solicit: broadcast the request for `nextHop` on `dev`; `waiting` is
    // the frame that waits (its source is the request's sender when it is ours).
    static void solicit(World& w, int ns, int dev, Ipv4 nextHop, const Frame& waiting, bool again);
    // The retransmit timer of an INCOMPLETE entry: asks again, or fails it.
    static void timer(World& w, int ns, int dev, Ipv4 nextHop);
};

}  // namespace cnmlab::sim
