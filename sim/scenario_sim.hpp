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
    std::string dst;                 // the address probed ("" for a DNS lookup)
    std::optional<std::string> network;  // the target endpoint's network key
    model::Proto proto = model::Proto::Icmp;
    std::optional<int> port;
    bool reachable = false;
    Text reason;
    std::vector<Hop> hops;  // when traced
    // For DNS lookups (check's `resolve` probes).
    std::optional<std::string> resolve;
    std::vector<Ipv4> resolved;
    bool nxdomain = false;
};

class ScenarioSim {
public:
    // Builds the World once; `topo` and `plan` must outlive this object.
    ScenarioSim(const model::Topology& topo, const drivers::Plan& plan);

    // One probe. `to` is a service, host, external or IPv4 literal; without
    // `network`, a service target means any of its addresses the sender reaches.
    // Throws model::Error (Invalid) for unknown names.
    ProbeRecord probe(const std::string& from, const std::string& to, model::Proto proto,
                      std::optional<int> port, const std::optional<std::string>& network,
                      bool trace);
    ProbeRecord lookup(const std::string& from, const std::string& name, bool trace);

    // The full matrix of SPEC's `reach`.
    std::vector<ProbeRecord> reach();

    World& world() { return *m_world; }

private:
    struct Target {
        Ipv4 ip;
        std::optional<std::string> network;
    };
    int sourceNamespace(const std::string& name) const;
    std::vector<Target> addressesOf(const std::string& name) const;
    std::vector<std::pair<int, model::Proto>> portsOf(const model::ServiceSpec& s) const;
    std::string sandboxOf(const model::Container& c) const;

    const model::Topology& m_topo;
    const drivers::Plan& m_plan;
    std::unique_ptr<World> m_world;
};

}  // namespace cnmlab::sim
