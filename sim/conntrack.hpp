#pragma once
// Connection tracking and NAT (net/netfilter/nf_conntrack_core.c, nf_nat_*):
// a namespace's flows keyed as conntrack keys them, both directions; a flow's
// NAT is decided by its first packet (nat PREROUTING or OUTPUT for DNAT,
// POSTROUTING for MASQUERADE) and conntrack applies it to every later packet
// and undoes it on every reply. Linux registers conntrack's hooks in a
// namespace only once something there needs them (nf_ct_netns_get: the nat
// table, a conntrack match): a sandbox without iptables rules tracks nothing.

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/flow_table.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

// A flow as conntrack keys it. ICMP echo uses the identifier as both ports.
struct FlowKey {
    std::uint32_t src = 0;
    std::uint32_t dst = 0;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::uint8_t proto = 0;
    bool operator==(const FlowKey&) const = default;

    static FlowKey of(const Frame& f);
    FlowKey reversed() const { return FlowKey{dst, src, dport, sport, proto}; }
};

struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const {
        std::uint64_t h = (std::uint64_t{k.src} << 32) ^ k.dst;
        h ^= (std::uint64_t{k.sport} << 24) ^ (std::uint64_t{k.dport} << 8) ^ k.proto;
        h *= 0x9e3779b97f4a7c15ULL;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }
};

struct Connection {
    FlowKey original;  // as the first packet arrived
    FlowKey reply;     // what a reply looks like after NAT
    bool natDst = false;
    bool natSrc = false;
    bool snat = false;  // the source NAT was an SNAT rule (IPVS's), not MASQUERADE
};

// One namespace's conntrack table.
struct ConntrackTable {
    bool on = false;                                              // hooks registered (see above)
    FlowTable<FlowKey, std::pair<int, bool>, FlowKeyHash> flows;  // -> (connection, isReply)
    std::vector<Connection> connections;

    // Adds a connection under both its keys; returns its index.
    int add(const Connection& c);
};

// The conntrack state of the packet being processed.
struct Ct {
    int conn = -1;       // existing connection, or -1 for a new flow
    bool reply = false;  // the packet is in the reply direction
    Connection pending;  // a new flow, committed when the packet is accepted
};

// What the IP stack calls at its hooks. Each NAT conntrack applies or undoes
// is a hop with its explanation when tracing.
struct Conntrack {
    // PREROUTING / OUTPUT: looks the packet up; a reply undoes MASQUERADE now
    // (its DNAT is undone on output), a later packet of a DNAT'd flow is
    // rewritten again; a new flow runs the nat chain `natChain` (-1: none).
    static Ct in(World& w, int ns, Frame& f, int natChain, int dev);
    // POSTROUTING, or before local delivery: a reply of a DNAT'd connection
    // gets its source back.
    static void undoDnat(World& w, int ns, const Ct& ct, Frame& f, int dev);
    // The packet was accepted: a new flow becomes a connection (confirm).
    static void commit(World& w, int ns, Ct& ct, const Frame& f);
    // Forgets the connections the last probe created (its flows are over).
    static void expireProbeFlows(World& w);
};

}  // namespace cnmlab::sim
