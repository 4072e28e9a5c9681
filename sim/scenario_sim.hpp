#pragma once
// Probes in the scenario's own words: services, hosts, externals and literal
// addresses, over a World built from the scenario's Plan. This is what
// `cnmlab reach`, `trace` and `check` run, and what the studio animates.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "model/topology.hpp"
#include "sim/probe.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

struct ProbeRecord {
    std::string from;
    std::string to;
    std::string dst;                     // the address probed ("" for a DNS lookup)
    std::optional<std::string> network;  // the target endpoint's network key
    model::Proto proto = model::Proto::Icmp;
    std::optional<int> port;
    bool reachable = false;
    model::Outcome outcome = model::Outcome::Dropped;  // how it ended (outcomeOf)
    Reason cause;                                      // what `reason` explains
    Text reason;
    std::vector<Hop> hops;  // when traced
    // For DNS lookups (check's `resolve` probes).
    std::optional<std::string> resolve;
    std::vector<Ipv4> resolved;
    bool nxdomain = false;
};

// One probe of the reach matrix, kept small: a million of them fit in ~60 MB.
struct ReachEntry {
    std::uint32_t from = 0;  // index into ReachMatrix::names
    std::uint32_t to = 0;
    Ipv4 dst;
    std::int32_t network = -1;  // index into ReachMatrix::networks, -1 for none
    model::Proto proto = model::Proto::Icmp;
    std::uint16_t port = 0;  // 0 for ICMP
    bool reachable = false;
    Reason reason;
};

struct ReachMatrix {
    std::vector<std::string> names;  // sources, then names that only answer
    std::size_t sources = 0;         // names[0, sources) send probes
    // The names after the sources: swarm services, probed at their VIPs.
    std::vector<std::string> networks;  // network keys
    std::vector<ReachEntry> entries;
};

class ScenarioSim {
public:
    // Builds the World once; `topo` and `plan` must outlive this object.
    ScenarioSim(const model::Topology& topo, const drivers::Plan& plan);

    // One probe. `to` is a service, host, external or IPv4 literal; without
    // `network`, a service target means any of its addresses the sender reaches.
    // Throws model::Error (Invalid) for unknown names.
    // `size`: the probe's data and DF (trace --size); the default is ping's.
    ProbeRecord probe(const std::string& from, const std::string& to, model::Proto proto,
                      std::optional<int> port, const std::optional<std::string>& network,
                      bool trace, const ProbeSize& size = {});
    ProbeRecord lookup(const std::string& from, const std::string& name, bool trace);

    // The full matrix of `reach`: from every sandbox, host and external,
    // ICMP to every address of every other one and TCP/UDP to every port that
    // could answer there.
    // `threads` 0 chooses: one for a small matrix, else up to the machine's
    // cores (at most 8). Each extra thread runs its share of the sources on a
    // World of its own, built from the same Plan; a probe's verdict does not
    // depend on the probes before it (ARP and FDB state only make it faster,
    // its flows expire with it), so the matrix is the same for any count.
    // Except where two machines of one LAN segment hold the same address
    // (sharesLanAddresses): which of them answers depends on whose ARP entry
    // an earlier probe left, so 0 then chooses one thread, the sources in
    // order, and the matrix is the same on every run.
    ReachMatrix reach(unsigned threads = 0);
    // Whether an address of a macvlan/ipvlan endpoint is also held by a
    // container on another host on that network, or by a host or external on
    // the LAN (local-scope IPAM hands out the same addresses on every host).
    bool sharesLanAddresses() const;

    World& world() { return *m_world; }
    // The Plan namespace a probe from `name` starts in (service, host or external).
    std::string namespaceOf(const std::string& name) const {
        return m_world->ns(sourceNamespace(name)).planName;
    }
    // The addresses a probe to `name` tries, with the network key of each.
    std::vector<std::pair<Ipv4, std::optional<std::string>>>
    targetsOf(const std::string& name) const {
        std::vector<std::pair<Ipv4, std::optional<std::string>>> out;
        for (const auto& t : addressesOf(name)) {
            out.emplace_back(t.ip, t.network);
        }
        return out;
    }

private:
    struct Target {
        Ipv4 ip;
        std::optional<std::string> network;
    };
    int sourceNamespace(const std::string& name) const;
    std::vector<Target> addressesOf(const std::string& name) const;
    std::vector<std::pair<int, model::Proto>> portsOf(const model::ServiceSpec& s) const;
    std::string sandboxOf(const model::Container& c) const;
    // One address of a reach target, with the ports that answer there.
    struct Offer {
        Target target;
        std::int32_t network = -1;  // index into ReachMatrix::networks
        std::vector<std::pair<int, model::Proto>> ports;
    };
    ReachMatrix matrixLayout() const;
    std::vector<std::vector<Offer>> offersOf(const ReachMatrix& m) const;

    const model::Topology& m_topo;
    const drivers::Plan& m_plan;
    std::unique_ptr<World> m_world;
};

}  // namespace cnmlab::sim
