#include "live/prober.hpp"

#include <fmt/format.h>

#include "live/session.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

// A lookup's answer as a word: the addresses, or "nxdomain" when there are none
// (the server said NXDOMAIN, or there was no server to ask: the default bridge).
std::string resolvedWord(const std::vector<model::Ipv4>& ips) {
    std::string s;
    for (const auto& ip : ips) {
        s += (s.empty() ? "" : ",") + ip.str();
    }
    return s.empty() ? std::string("nxdomain") : s;
}

std::string reachWord(bool reachable) {
    return reachable ? "reachable" : "unreachable";
}

std::string detailOf(const LiveProbe& p) {
    if (p.resolve) {
        return fmt::format("{}: {}", *p.resolve,
                           p.reachable ? (p.nxdomain ? "NXDOMAIN" : resolvedWord(p.resolved))
                                       : p.detail);
    }
    return fmt::format("{}: {}", p.dst.str(), p.detail);
}

}  // namespace

Prober::Prober(sim::ScenarioSim& simulation, const model::Topology& topo)
    : m_sim(simulation), m_prefix(livePrefix(*topo.scenario)) {
    if (listNamedNetns(m_prefix).empty()) {
        throw model::Error(
            model::ErrorKind::NotFound,
            fmt::format("{} is not up (no namespaces {}*); run `cnmlab live up` first",
                        topo.scenario->projectName, m_prefix));
    }
}

const Fd& Prober::namespaceOf(const std::string& name) {
    const std::string full = m_prefix + m_sim.namespaceOf(name);
    auto it = m_namespaces.find(full);
    if (it == m_namespaces.end()) {
        try {
            it = m_namespaces.emplace(full, openNamedNetns(full)).first;
        } catch (const model::Error& e) {
            throw model::Error(
                model::ErrorKind::NotFound,
                fmt::format("the namespace of {} ({}) is gone: {}", name, full, e.message()));
        }
    }
    return it->second;
}

LiveRun Prober::run(const sim::ReachMatrix& matrix, const std::vector<sim::CheckedProbe>& checks,
                    int timeoutMs) {
    std::vector<LiveProbe> probes;
    probes.reserve(matrix.entries.size() + checks.size() * 4);
    for (const auto& e : matrix.entries) {
        LiveProbe p;
        p.ns = &namespaceOf(matrix.names[e.from]);
        p.dst = e.dst;
        p.proto = e.proto;
        p.port = e.port;
        probes.push_back(p);
    }
    // A check to a service without `network` means any of its addresses.
    std::vector<std::pair<std::size_t, std::size_t>> checkRange;
    checkRange.reserve(checks.size());
    for (const auto& c : checks) {
        const std::size_t first = probes.size();
        LiveProbe p;
        p.ns = &namespaceOf(c.spec->from);
        if (c.spec->resolve) {
            p.resolve = *c.spec->resolve;
            probes.push_back(p);
        } else {
            for (const auto& [ip, net] : m_sim.targetsOf(*c.spec->to)) {
                if (c.spec->network && net != c.spec->network) {
                    continue;
                }
                p.dst = ip;
                p.proto = c.spec->proto;
                p.port = c.spec->port.value_or(0);
                probes.push_back(p);
            }
        }
        checkRange.emplace_back(first, probes.size());
    }
    runLiveProbes(probes, timeoutMs);

    LiveRun out;
    for (std::size_t k = 0; k < checks.size(); ++k) {
        const sim::CheckedProbe& c = checks[k];
        const auto [first, last] = checkRange[k];
        Comparison cmp;
        bool any = false;
        for (std::size_t i = first; i < last; ++i) {
            any = any || probes[i].reachable;
            cmp.liveDetails.push_back(detailOf(probes[i]));
        }
        if (c.spec->resolve) {
            cmp.simAnswer = resolvedWord(c.record.resolved);
            cmp.liveAnswer = first < last ? resolvedWord(probes[first].resolved) : "";
        } else {
            cmp.simAnswer = reachWord(c.record.reachable);
            cmp.liveAnswer = reachWord(any);
        }
        out.checks.push_back(std::move(cmp));
    }
    probes.resize(matrix.entries.size());
    out.matrix = std::move(probes);
    return out;
}

}  // namespace cnmlab::live
