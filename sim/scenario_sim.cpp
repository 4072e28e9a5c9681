#include "sim/scenario_sim.hpp"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "model/error.hpp"
#include "sim/work_pool.hpp"

namespace cnmlab::sim {

ScenarioSim::ScenarioSim(const model::Topology& topo, const drivers::Plan& plan)
    : m_topo(topo), m_plan(plan), m_world(std::make_unique<World>(plan)) {}

std::string ScenarioSim::sandboxOf(const model::Container& c) const {
    if (c.networkMode == "host") {
        return c.host;
    }
    if (!c.sandboxOf.empty()) {
        const model::Container* owner = m_topo.findContainer(c.sandboxOf);
        return owner != nullptr ? sandboxOf(*owner) : c.netns;
    }
    return c.netns;
}

int ScenarioSim::sourceNamespace(const std::string& name) const {
    std::string ns = name;
    const model::SwarmService* svc = m_topo.findService(name);
    if (const model::Container* c = m_topo.findContainer(
            svc != nullptr && !svc->tasks.empty() ? svc->tasks.front() : name)) {
        ns = sandboxOf(*c);  // a swarm service's probes start in its first task
    }
    const int idx = m_world->findNamespace(ns);
    if (idx < 0) {
        throw model::Error(
            model::ErrorKind::Invalid,
            fmt::format("'{}' is not a service, host or external of this scenario", name));
    }
    return idx;
}

std::vector<ScenarioSim::Target> ScenarioSim::addressesOf(const std::string& name) const {
    const model::Scenario& sc = *m_topo.scenario;
    if (auto ip = Ipv4::parse(name)) {
        return {Target{*ip, std::nullopt}};
    }
    if (const model::Container* c = m_topo.findContainer(name)) {
        if (c->networkMode == "host") {
            return addressesOf(c->host);
        }
        if (!c->sandboxOf.empty()) {
            return addressesOf(c->sandboxOf);
        }
        std::vector<Target> out;
        for (const auto& ep : c->endpoints) {
            out.push_back(Target{ep.ipv4, ep.network});
        }
        return out;
    }
    if (const model::SwarmService* svc = m_topo.findService(name)) {
        // SPEC §1a: its VIPs, or with dnsrr whichever task answers.
        std::vector<Target> out;
        for (const auto& v : svc->vips) {
            if (v.network != "ingress") {
                out.push_back(Target{v.ipv4, v.network});
            }
        }
        if (svc->dnsrr) {
            for (const auto& t : svc->tasks) {
                for (const auto& ep : m_topo.findContainer(t)->endpoints) {
                    if (std::find(svc->networks.begin(), svc->networks.end(), ep.network) !=
                        svc->networks.end()) {
                        out.push_back(Target{ep.ipv4, ep.network});
                    }
                }
            }
        }
        return out;
    }
    if (const auto* h = sc.findHost(name)) {
        return {Target{h->underlay.address, std::nullopt}};
    }
    if (const auto* e = sc.findExternal(name)) {
        return {Target{e->underlay ? e->underlay->address : *e->address, std::nullopt}};
    }
    throw model::Error(model::ErrorKind::Invalid,
                       fmt::format("'{}' is not a service, host, external or IPv4 address", name));
}

std::vector<std::pair<int, model::Proto>> ScenarioSim::portsOf(const model::ServiceSpec& s) const {
    std::vector<std::pair<int, model::Proto>> out;
    auto add = [&](int port, model::Proto proto) {
        if (std::find(out.begin(), out.end(), std::pair{port, proto}) == out.end()) {
            out.emplace_back(port, proto);
        }
    };
    for (const auto& p : s.listen) {
        add(p.port, p.proto);
    }
    for (const auto& p : s.expose) {
        add(p.port, p.proto);
    }
    for (const auto& pm : s.ports) {
        for (int t = pm.targetFirst; t <= pm.targetLast; ++t) {
            add(t, pm.proto);
        }
    }
    return out;
}

ProbeRecord ScenarioSim::probe(const std::string& from, const std::string& to, model::Proto proto,
                               std::optional<int> port, const std::optional<std::string>& network,
                               bool trace, const ProbeSize& size) {
    const int src = sourceNamespace(from);
    std::vector<Target> targets = addressesOf(to);
    if (network) {
        std::erase_if(targets, [&](const Target& t) { return t.network != network; });
    } else if (const model::Container* c = m_topo.findContainer(to)) {
        // A docker_gwbridge address means the container only on its own host:
        // every node has the same subnet, and elsewhere another container (or
        // the sender itself) answers for it.
        const std::string& senderHost = m_world->ns(src).host;
        std::erase_if(targets, [&](const Target& t) {
            const model::NetworkInstance* n = t.network ? m_topo.findNetwork(*t.network) : nullptr;
            return n != nullptr && n->implicit && senderHost != c->host;
        });
    }
    ProbeRecord first;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        ProbeRecord rec;
        rec.from = from;
        rec.to = to;
        rec.dst = targets[i].ip.str();
        rec.network = targets[i].network;
        rec.proto = proto;
        rec.port = proto == model::Proto::Icmp ? std::nullopt : port;
        ProbeResult r =
            runProbe(*m_world, src, targets[i].ip, proto, port.value_or(0), trace, size);
        rec.reachable = r.reachable;
        rec.outcome = outcomeOf(r.reachable, r.reason);
        rec.cause = r.reason;
        rec.reason = m_world->explain(r.reason);
        rec.hops = std::move(r.hops);
        if (rec.reachable) {
            return rec;
        }
        if (i == 0) {
            first = std::move(rec);
        }
    }
    if (targets.empty()) {
        first.from = from;
        first.to = to;
        first.proto = proto;
        first.port = port;
        first.network = network;
        first.outcome = model::Outcome::NoRoute;
        first.reason = {fmt::format("{} has no IPv4 address to probe", to),
                        fmt::format("{} 没有可探测的 IPv4 地址", to)};
    }
    return first;
}

ProbeRecord ScenarioSim::lookup(const std::string& from, const std::string& name, bool trace) {
    ProbeRecord rec;
    rec.from = from;
    rec.resolve = name;
    rec.proto = model::Proto::Udp;
    rec.port = 53;
    rec.dst = "127.0.0.11";
    ProbeResult r = runLookup(*m_world, sourceNamespace(from), name, trace);
    rec.reachable = r.reachable;
    rec.outcome = outcomeOf(r.reachable, r.reason);
    if (r.reason.why == Why::NoDnsServer) {
        rec.reason = m_world->explain(r.reason);
    }
    rec.hops = std::move(r.hops);
    if (r.dns) {
        rec.nxdomain = r.dns->rcode == 3;
        for (const auto& a : r.dns->answers) {
            rec.resolved.push_back(a.address);
        }
    } else {
        rec.nxdomain = true;
    }
    if (rec.reason.en.empty()) {
        std::string list;
        for (const auto& ip : rec.resolved) {
            list += (list.empty() ? "" : ", ") + ip.str();
        }
        rec.reason =
            rec.nxdomain
                ? Text{fmt::format("the embedded DNS server knows no {} on {}'s networks "
                                   "(NXDOMAIN)",
                                   name, from),
                       fmt::format("内嵌 DNS 服务器在 {} 的网络中找不到 {}（NXDOMAIN）", from,
                                   name)}
                : Text{fmt::format("the embedded DNS server answers {} with {}", name, list),
                       fmt::format("内嵌 DNS 服务器将 {} 解析为 {}", name, list)};
    }
    return rec;
}

// The rows and columns of the matrix: sandboxes (not those in host mode or
// sharing another's), hosts, externals; and the networks' keys.
ReachMatrix ScenarioSim::matrixLayout() const {
    const model::Scenario& sc = *m_topo.scenario;
    ReachMatrix m;
    for (const auto& c : m_topo.containers) {
        if (c.networkMode != "host" && c.sandboxOf.empty()) {
            m.names.push_back(c.service);
        }
    }
    for (const auto& h : sc.hosts) {
        m.names.push_back(h.name);
    }
    for (const auto& e : sc.externals) {
        m.names.push_back(e.name);
    }
    m.sources = m.names.size();
    for (const auto& s : m_topo.services) {
        if (!s.dnsrr && !s.tasks.empty()) {
            m.names.push_back(s.key);  // its VIPs (a dnsrr service is its tasks)
        }
    }
    for (const auto& n : m_topo.networks) {
        m.networks.push_back(n.key);
    }
    return m;
}

// What each of the matrix's names offers: its addresses and the ports that
// answer on each.
std::vector<std::vector<ScenarioSim::Offer>> ScenarioSim::offersOf(const ReachMatrix& m) const {
    const model::Scenario& sc = *m_topo.scenario;
    std::unordered_map<std::string, std::int32_t> netIndex;
    for (std::size_t i = 0; i < m.networks.size(); ++i) {
        netIndex.emplace(m.networks[i], static_cast<std::int32_t>(i));
    }
    std::vector<std::vector<Offer>> offers(m.names.size());
    for (std::size_t t = 0; t < m.names.size(); ++t) {
        const std::string& to = m.names[t];
        const model::Container* tc = m_topo.findContainer(to);
        for (const auto& target : addressesOf(to)) {
            Offer o{target, target.network ? netIndex.at(*target.network) : -1, {}};
            if (tc != nullptr && tc->spec != nullptr) {
                o.ports = portsOf(*tc->spec);
            }
            if (const model::SwarmService* svc = m_topo.findService(to)) {
                o.ports = portsOf(*svc->spec);  // through the VIP, to a task's ports
            }
            if (sc.findHost(to) != nullptr) {
                // Published ports and host-mode listeners answer on the host's
                // addresses; a swarm service's ingress ports on every node.
                for (const auto& s : m_topo.services) {
                    for (const auto& p : s.published) {
                        if (!p.hostMode && !s.tasks.empty()) {
                            o.ports.emplace_back(p.published, p.proto);
                        }
                    }
                }
                for (const auto& c : m_topo.containers) {
                    if (c.host != to || c.spec == nullptr) {
                        continue;
                    }
                    if (c.networkMode == "host") {
                        for (const auto& pp : portsOf(*c.spec)) {
                            o.ports.push_back(pp);
                        }
                    }
                    for (const auto& pm : c.spec->ports) {
                        if (!c.task.empty() && !pm.hostMode) {
                            continue;  // published through the routing mesh (above)
                        }
                        const bool here =
                            pm.publishedFirst != 0 &&
                            (!pm.hostIp || *pm.hostIp == Ipv4() || *pm.hostIp == target.ip);
                        for (int p = pm.publishedFirst; here && p <= pm.publishedLast; ++p) {
                            o.ports.emplace_back(p, pm.proto);
                        }
                    }
                }
            }
            offers[t].push_back(std::move(o));
        }
    }
    return offers;
}

bool ScenarioSim::sharesLanAddresses() const {
    std::unordered_map<std::uint32_t, std::string> holder;  // address -> host or machine
    for (const auto& h : m_topo.scenario->hosts) {
        holder.emplace(h.underlay.address.value(), h.name);
    }
    for (const auto& e : m_topo.scenario->externals) {
        if (e.underlay) {
            holder.emplace(e.underlay->address.value(), e.name);
        }
    }
    for (const auto& c : m_topo.containers) {
        for (const auto& ep : c.endpoints) {
            const model::NetworkInstance* n = m_topo.findNetwork(ep.network);
            if (n == nullptr || (n->driver != "macvlan" && n->driver != "ipvlan")) {
                continue;
            }
            auto [it, fresh] = holder.try_emplace(ep.ipv4.value(), c.host);
            if (!fresh && it->second != c.host) {
                return true;
            }
        }
    }
    return false;
}

ReachMatrix ScenarioSim::reach(unsigned threads) {
    ReachMatrix m = matrixLayout();
    const std::vector<std::vector<Offer>> offers = offersOf(m);
    const std::size_t sources = m.sources;
    const std::size_t targets = m.names.size();
    std::vector<int> sourceNs(sources);
    for (std::size_t f = 0; f < sources; ++f) {
        sourceNs[f] = sourceNamespace(m.names[f]);
    }
    // Where each source's probes start: it probes everything but its own offers.
    std::vector<std::size_t> probesTo(targets, 0);
    std::size_t total = 0;
    for (std::size_t t = 0; t < targets; ++t) {
        for (const auto& o : offers[t]) {
            probesTo[t] += 1 + o.ports.size();
        }
        total += probesTo[t];
    }
    std::vector<std::size_t> first(sources + 1, 0);
    for (std::size_t f = 0; f < sources; ++f) {
        first[f + 1] = first[f] + (total - probesTo[f]);
    }
    m.entries.resize(first[sources]);

    const bool hasIpvs = !m_plan.ipvs.empty();
    // Every probe from source f, in the matrix's order, into its own slice.
    auto runSource = [&](World& world, std::size_t f) {
        ReachEntry* out = m.entries.data() + first[f];
        const int src = sourceNs[f];
        for (std::size_t t = 0; t < targets; ++t) {
            if (t == f) {
                continue;
            }
            for (const auto& o : offers[t]) {
                auto run = [&](model::Proto proto, int port) {
                    ReachEntry& e = *out++;
                    e.from = static_cast<std::uint32_t>(f);
                    e.to = static_cast<std::uint32_t>(t);
                    e.dst = o.target.ip;
                    e.network = o.network;
                    e.proto = proto;
                    e.port = static_cast<std::uint16_t>(port);
                    if (hasIpvs) {
                        world.resetIpvs();  // each probe from the first real server
                    }
                    ProbeResult r = runProbe(world, src, o.target.ip, proto, port, false);
                    e.reachable = r.reachable;
                    e.reason = r.reason;
                };
                run(model::Proto::Icmp, 0);
                for (const auto& [port, proto] : o.ports) {
                    run(proto, port);
                }
            }
        }
    };
    constexpr std::size_t kProbesPerExtraThread =
        200'000;  // below that, building a World costs more
    if (threads == 0 && sharesLanAddresses()) {
        threads = 1;
    } else if (threads == 0) {
        threads = std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 8);
        threads = static_cast<unsigned>(
            std::min<std::size_t>(threads, 1 + first[sources] / kProbesPerExtraThread));
    }
    threads =
        static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(sources, 1)));
    forEachOnThreads(
        sources, threads, *m_world, [this] { return World(m_plan); }, runSource);
    return m;
}

}  // namespace cnmlab::sim
