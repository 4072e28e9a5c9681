#include "sim/compare_measure.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "drivers/underlay.hpp"
#include "model/error.hpp"
#include "packet/packet_codec.hpp"
#include "sim/report.hpp"

namespace cnmlab::sim {

namespace {

using model::Proto;

bool onNetwork(const model::Container& c, const std::string& key) {
    return std::any_of(c.endpoints.begin(), c.endpoints.end(),
                       [&](const model::Endpoint& e) { return e.network == key; });
}

// A probe's answer, or nullopt when the probe cannot be asked on this driver
// (a name the file no longer has).
std::optional<ProbeRecord> ask(ScenarioSim& sim, const std::string& from, const std::string& to,
                               Proto proto = Proto::Icmp, std::optional<int> port = std::nullopt,
                               bool trace = false,
                               const std::optional<std::string>& network = std::nullopt) {
    try {
        return sim.probe(from, to, proto, port, network, trace);
    } catch (const model::Error&) {
        return std::nullopt;
    }
}

// Who answered a traced echo: the namespace of its "reply" hop.
std::string answeredBy(const ProbeRecord& r) {
    for (const auto& h : r.hops) {
        if (h.action == "reply" && h.frame != nullptr && h.frame->icmpType == 8) {
            return h.node;
        }
    }
    return {};
}

// Addresses the Plan gives to more than one namespace: an answer from one of
// them may come from someone other than the target.
std::unordered_set<std::uint32_t> sharedAddresses(const drivers::Plan& plan) {
    std::unordered_map<std::uint32_t, const std::string*> first;
    std::unordered_set<std::uint32_t> shared;
    for (const auto& a : plan.addresses) {
        auto [it, fresh] = first.try_emplace(a.cidr.address.value(), &a.netns);
        if (!fresh && *it->second != a.netns) {
            shared.insert(a.cidr.address.value());
        }
    }
    return shared;
}

// A ping from container `a` to container `b` where an answer from anyone else
// counts as none: with a bridge network on each of two hosts, b's address may
// be one a's own host has too (each host's IPAM is its own). Traced (to see
// who answered) always without `shared`, else only when the address is in it.
// On `network` when the driver still has it (host mode has none).
std::optional<ProbeRecord> pingContainer(ScenarioSim& sim, const model::Topology& topo,
                                         const Subjects::Pair& p,
                                         const std::unordered_set<std::uint32_t>* shared) {
    const bool trace = shared == nullptr;
    const std::string& a = p.from;
    const std::string& b = p.to;
    std::optional<std::string> network;
    if (topo.findNetwork(p.network) != nullptr) {
        network = p.network;
    }
    auto rec = ask(sim, a, b, Proto::Icmp, std::nullopt, trace, network);
    const model::Container* cb = topo.findContainer(b);
    if (!rec || !rec->reachable || cb == nullptr) {
        return rec;
    }
    const auto dst = Ipv4::parse(rec->dst);
    if (!trace && dst && shared->count(dst->value()) == 0) {
        return rec;  // nobody else has the address
    }
    if (!trace) {
        rec = ask(sim, a, b, Proto::Icmp, std::nullopt, true, network);
    }
    const std::string by = answeredBy(*rec);
    if (!by.empty() && by != cb->netns) {
        rec->reachable = false;
        rec->reason =
            Text{fmt::format("{} answered, not {}: {} is an address on {}'s side too", by, b,
                             rec->dst, a),
                 fmt::format("应答的是 {} 而不是 {}：{} 在 {} 这一侧也有", by, b, rec->dst, a)};
    }
    return rec;
}

void count(Tally& t, const std::optional<ProbeRecord>& r) {
    if (r) {
        ++t.total;
        t.reachable += r->reachable ? 1 : 0;
    }
}

// The echo request itself, inside any VXLAN encapsulation; nullptr for
// anything else (ARP, replies, DNS).
const packet::Frame* echoRequest(const Hop& h) {
    const packet::Frame* f = h.frame.get();
    while (f != nullptr && f->inner) {
        f = f->inner.get();
    }
    const bool echo = f != nullptr && f->ethertype == packet::kEtherTypeIpv4 &&
                      f->ipProto == packet::kIpProtoIcmp && f->icmpType == 8;
    return echo ? f : nullptr;
}

std::vector<std::string> lanMachines(const model::Scenario& sc) {
    std::vector<std::string> out;
    for (const auto& e : sc.externals) {
        if (e.underlay) {
            out.push_back(e.name);
        }
    }
    return out;
}

// A machine off `host` to try things from or to: the first LAN machine, else
// the first other host; "" when the file has neither.
std::string offHost(const model::Scenario& sc, const std::vector<std::string>& lan,
                    const std::string& host) {
    if (!lan.empty()) {
        return lan.front();
    }
    for (const auto& h : sc.hosts) {
        if (h.name != host) {
            return h.name;
        }
    }
    return {};
}

void measureReach(ScenarioSim& sim, const model::Topology& topo, const drivers::Plan& plan,
                  const Subjects& s, const std::vector<std::string>& lan, DriverReport& r) {
    const auto shared = sharedAddresses(plan);
    const model::Scenario& sc = *topo.scenario;
    for (const auto& key : s.containers) {
        const model::Container* c = topo.findContainer(key);
        if (c == nullptr) {
            continue;
        }
        count(r.toOwnHost, ask(sim, key, c->host));
        count(r.fromOwnHost, ask(sim, c->host, key));
        for (const auto& h : sc.hosts) {
            if (h.name != c->host) {
                count(r.toOtherHosts, ask(sim, key, h.name));
                count(r.fromOtherHosts, ask(sim, h.name, key));
            }
        }
        for (const auto& e : lan) {
            count(r.toLan, ask(sim, key, e));
            count(r.fromLan, ask(sim, e, key));
        }
    }
    for (const auto& p : s.neighbours) {
        const model::Container* ca = topo.findContainer(p.from);
        const model::Container* cb = topo.findContainer(p.to);
        if (ca != nullptr && cb != nullptr && ca->host != cb->host) {
            count(r.crossHost, pingContainer(sim, topo, p, &shared));
        }
        try {
            const ProbeRecord l = sim.lookup(p.from, p.to, false);
            ++r.names.total;
            r.names.reachable += l.resolved.empty() ? 0 : 1;
        } catch (const model::Error&) {
        }
    }
}

// Published ports, tried from off the host (a LAN machine, else another host;
// the host itself only when the file has neither).
void measurePublished(ScenarioSim& sim, const model::Topology& topo, const Subjects& s,
                      const std::vector<std::string>& lan, DriverReport& r) {
    for (const auto& key : s.containers) {
        const model::Container* c = topo.findContainer(key);
        if (c == nullptr || c->spec == nullptr) {
            continue;
        }
        std::string from = offHost(*topo.scenario, lan, c->host);
        if (from.empty()) {
            from = c->host;
        }
        for (const auto& pm : c->spec->ports) {
            if (pm.publishedFirst > 0 && pm.proto != Proto::Icmp) {
                count(r.published, ask(sim, from, c->host, pm.proto, pm.publishedFirst));
            }
        }
    }
}

void measureIdentity(ScenarioSim& sim, const model::Topology& topo, const drivers::Plan& plan,
                     const Subjects& s, const std::vector<std::string>& lan, DriverReport& r) {
    for (const auto& key : s.containers) {
        const model::Container* c = topo.findContainer(key);
        if (c == nullptr) {
            continue;
        }
        const std::string target = offHost(*topo.scenario, lan, c->host);
        if (target.empty()) {
            continue;  // no machine on the LAN to be seen by
        }
        LanIdentity id;
        id.container = key;
        id.to = target;
        const auto rec = ask(sim, key, target, Proto::Icmp, std::nullopt, true);
        const drivers::Link* hostEth0 = plan.findLink(c->host, "eth0");
        for (const auto& h : rec ? rec->hops : std::vector<Hop>{}) {
            if (h.node != drivers::kLanNetns || h.frame == nullptr || echoRequest(h) == nullptr ||
                h.frame->inner) {
                continue;
            }
            const packet::Frame& f = *h.frame;
            id.onLan = true;
            id.mac = model::macStr(f.srcMac);
            id.ip = f.ipSrc.str();
            id.vlan = f.vlanId;
            id.ownIp = std::any_of(c->endpoints.begin(), c->endpoints.end(),
                                   [&](const model::Endpoint& e) { return e.ipv4 == f.ipSrc; });
            const bool hostMac = hostEth0 != nullptr && hostEth0->mac == f.srcMac;
            id.ownMac = !hostMac && std::any_of(plan.links.begin(), plan.links.end(),
                                                [&](const drivers::Link& l) {
                                                    return l.netns == c->netns && l.mac == f.srcMac;
                                                });
            break;
        }
        r.identities.push_back(std::move(id));
    }
}

// The MTU of the sender's interface on the pair's network (else the first
// it has), as the simulated kernel has the device.
int interfaceMtu(ScenarioSim& sim, const model::Topology& topo, const drivers::Plan& plan,
                 const Subjects::Pair& p) {
    const model::Container* c = topo.findContainer(p.from);
    if (c == nullptr || c->endpoints.empty()) {
        return 0;
    }
    Ipv4 ip = c->endpoints.front().ipv4;
    for (const auto& e : c->endpoints) {
        if (e.network == p.network) {
            ip = e.ipv4;
        }
    }
    const World& world = sim.world();
    for (const auto& a : plan.addresses) {
        if (a.netns != c->netns || a.cidr.address != ip) {
            continue;
        }
        for (std::size_t i = 0; i < world.deviceCount(); ++i) {
            const Device& d = world.device(static_cast<int>(i));
            if (d.name == a.dev && world.ns(d.ns).planName == a.netns) {
                return d.mtu;
            }
        }
    }
    return 0;
}

void measureWire(ScenarioSim& sim, const model::Topology& topo, const drivers::Plan& plan,
                 const Subjects& s, DriverReport& r) {
    WireSample& w = r.wire;
    w.from = s.ref.from;
    w.to = s.ref.to;
    w.network = s.ref.network;
    w.crossHost = s.refCrossHost;
    if (s.ref.from.empty()) {
        return;
    }
    const auto rec = pingContainer(sim, topo, s.ref, nullptr);
    if (!rec) {
        return;
    }
    w.reachable = rec->reachable;
    w.reason = rec->reason;
    w.mtu = interfaceMtu(sim, topo, plan, s.ref);
    std::set<std::string> seen;
    for (const auto& h : rec->hops) {
        if (h.frame == nullptr || echoRequest(h) == nullptr) {
            continue;
        }
        const int bytes = static_cast<int>(packet::serialize(*h.frame).size());
        const bool lan = h.node == drivers::kLanNetns;
        if (bytes > w.frameBytes || (bytes == w.frameBytes && lan && w.where != "LAN")) {
            w.frameBytes = bytes;
            w.where = h.node == drivers::kLanNetns ? "LAN" : h.node;
            w.layers = packet::layerNames(*h.frame);
        }
        if (!h.device.empty()) {
            const auto [node, device] = hopWhere(h, "en");
            const std::string name = node + ":" + device;
            if (seen.insert(name).second) {
                w.devices.push_back(name);
            }
        }
    }
}

PlanTally planTally(const drivers::Plan& p) {
    PlanTally t;
    t.namespaces = static_cast<int>(p.namespaces.size());
    t.links = static_cast<int>(p.links.size());
    t.addresses = static_cast<int>(p.addresses.size());
    t.routes = static_cast<int>(p.routes.size());
    t.neighbours = static_cast<int>(p.neighbors.size() + p.fdb.size());
    t.rules = static_cast<int>(p.rules.size() + p.ipvs.size());
    t.chains = static_cast<int>(p.chains.size());
    t.other = static_cast<int>(p.sysctls.size() + p.dns.size() + p.xfrmStates.size() +
                               p.xfrmPolicies.size());
    return t;
}

void measureDuplicates(const model::Topology& topo, const std::vector<std::string>& networks,
                       DriverReport& r) {
    for (const auto& key : networks) {
        const model::NetworkInstance* n = topo.findNetwork(key);
        if (n == nullptr || (n->driver != "macvlan" && n->driver != "ipvlan")) {
            continue;
        }
        std::map<std::uint32_t, std::vector<const model::Container*>> byIp;
        for (const auto& c : topo.containers) {
            for (const auto& e : c.endpoints) {
                if (e.network == key) {
                    byIp[e.ipv4.value()].push_back(&c);
                }
            }
        }
        for (const auto& [ip, cs] : byIp) {
            const std::string& first = cs.front()->host;
            const bool apart = std::any_of(cs.begin(), cs.end(),
                                           [&first](const auto* c) { return c->host != first; });
            if (apart) {
                DuplicateAddress d{key, Ipv4(ip).str(), {}};
                for (const auto* c : cs) {
                    d.containers.push_back(c->service);
                }
                r.duplicates.push_back(std::move(d));
            }
        }
    }
}

}  // namespace

Subjects subjectsOf(const model::Topology& original, const std::vector<std::string>& networks) {
    Subjects s;
    s.networks = networks;
    std::vector<const model::Container*> on;
    for (const auto& c : original.containers) {
        if (!c.task.empty() || !c.sandboxOf.empty()) {
            continue;
        }
        if (std::any_of(networks.begin(), networks.end(),
                        [&](const std::string& n) { return onNetwork(c, n); })) {
            s.containers.push_back(c.service);
            on.push_back(&c);
        }
    }
    for (const auto* a : on) {
        for (const auto* b : on) {
            const auto shared =
                std::find_if(networks.begin(), networks.end(), [&](const std::string& n) {
                    return a != b && onNetwork(*a, n) && onNetwork(*b, n);
                });
            if (shared != networks.end()) {
                s.neighbours.push_back({a->service, b->service, *shared});
            }
        }
    }
    for (const bool cross : {true, false}) {
        for (const auto& p : s.neighbours) {
            const bool apart =
                original.findContainer(p.from)->host != original.findContainer(p.to)->host;
            if (s.ref.from.empty() && apart == cross) {
                s.ref = p;
                s.refCrossHost = cross;
            }
        }
    }
    return s;
}

void measure(ScenarioSim& sim, const model::Topology& topo, const drivers::Plan& plan,
             const Subjects& subjects, DriverReport& r) {
    measureDuplicates(topo, subjects.networks, r);
    const auto lan = lanMachines(*topo.scenario);
    measureReach(sim, topo, plan, subjects, lan, r);
    measurePublished(sim, topo, subjects, lan, r);
    measureIdentity(sim, topo, plan, subjects, lan, r);
    measureWire(sim, topo, plan, subjects, r);
    for (const auto& c : runChecks(sim, *topo.scenario)) {
        ++r.probes.total;
        r.probes.reachable += c.pass ? 1 : 0;
    }
    r.objects = planTally(plan);
}

std::string identityWords(const LanIdentity& id, const std::string& lang) {
    const bool zh = lang == "zh";
    std::string out;
    if (!id.onLan) {
        return zh ? "不在局域网上" : "not on the LAN";
    }
    if (id.ownMac && id.ownIp) {
        out = zh ? "自己的 MAC 和 IP" : "own MAC, own IP";
    } else if (id.ownIp) {
        out = zh ? "主机的 MAC，自己的 IP" : "host's MAC, own IP";
    } else if (id.ownMac) {
        out = zh ? "自己的 MAC，主机的 IP" : "own MAC, host's IP";
    } else {
        out = zh ? "主机的 MAC 和 IP" : "host's MAC and IP";
    }
    if (id.vlan != 0) {
        out += (zh ? " · VLAN " : " · VLAN ") + std::to_string(id.vlan);
    }
    return out;
}

}  // namespace cnmlab::sim
