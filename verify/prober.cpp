#include "verify/prober.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include "live/lifecycle.hpp"
#include "live/netns.hpp"
#include "model/error.hpp"

namespace cnmlab::verify {

using namespace cnmlab::live;

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

std::string detailOf(const LiveProbe& p) {
    if (p.resolve) {
        return fmt::format("{}: {}", *p.resolve,
                           p.reachable() ? (p.nxdomain ? "NXDOMAIN" : resolvedWord(p.resolved))
                                         : p.detail);
    }
    return fmt::format("{}: {}", p.dst.str(), p.detail);
}

std::string what(const LiveProbe& p) {
    if (p.resolve) {
        return fmt::format("resolve {}", *p.resolve);
    }
    return p.proto == model::Proto::Icmp
               ? fmt::format("{} icmp", p.dst.str())
               : fmt::format("{} {}/{}", p.dst.str(), model::protoName(p.proto), p.port);
}

// Long enough for what the simulation expects: a failing neighbour takes three
// seconds before its host unreachable.
int waitFor(model::Outcome expected) {
    return expected == model::Outcome::NoRoute ? kNeighbourFailMs : kProbeTimeoutMs;
}

// When the simulation expects the answer to be an ICMP error that another
// namespace sends (no route, or a neighbour that failed, at a router), which
// Linux rate-limits per address it goes to: the key that paces it (LiveProbe).
std::string paceKeyOf(const sim::World& world, const sim::Reason& r, const std::string& senderNs,
                      const std::string& machine) {
    using sim::Why;
    const bool errorThere =
        r.why == Why::NoRoute || r.why == Why::NoArpReply || r.why == Why::TtlExpired;
    if (!errorThere || r.ns < 0 || world.ns(r.ns).planName == senderNs) {
        return {};
    }
    return world.ns(r.ns).planName + " " + machine;
}

void setWait(LiveProbe& p, model::Outcome expected, std::string paceKey) {
    p.paceKey = std::move(paceKey);
    p.waitMs = p.paced() ? kPacedWaitMs : waitFor(expected);
}

}  // namespace

Prober::Prober(sim::ScenarioSim& simulation, const model::Topology& topo)
    : m_sim(simulation), m_topo(topo), m_prefix(livePrefix(*topo.scenario)) {
    if (listNamedNetns(m_prefix).empty()) {
        throw model::Error(
            model::ErrorKind::NotFound,
            fmt::format("{} is not up (no namespaces {}*); run `cnmlab live up` first",
                        topo.scenario->projectName, m_prefix));
    }
}

std::string Prober::machineOf(const std::string& name) const {
    const model::Container* c = m_topo.findContainer(name);
    return c != nullptr ? c->host : name;
}

const std::string& Prober::namespaceOf(const std::string& name) {
    auto it = m_namespaces.find(name);
    if (it == m_namespaces.end()) {
        const std::string full = m_prefix + m_sim.namespaceOf(name);
        struct stat st {};
        if (::stat((std::string(kNetnsDir) + "/" + full).c_str(), &st) != 0) {
            throw model::Error(model::ErrorKind::NotFound,
                               fmt::format("the namespace of {} ({}) is gone", name, full));
        }
        it = m_namespaces.emplace(name, full).first;
    }
    return it->second;
}

LiveRun Prober::run(const sim::ReachMatrix& matrix, const std::vector<sim::CheckedProbe>& checks) {
    std::vector<LiveProbe> probes;
    std::vector<std::string> from;  // who sent probes[i], for errors
    probes.reserve(matrix.entries.size() + checks.size() * 4);
    for (const auto& e : matrix.entries) {
        LiveProbe p;
        p.netns = namespaceOf(matrix.names[e.from]);
        p.dst = e.dst;
        p.proto = e.proto;
        p.port = e.port;
        setWait(p, sim::outcomeOf(e.reachable, e.reason),
                paceKeyOf(m_sim.world(), e.reason, m_sim.namespaceOf(matrix.names[e.from]),
                          machineOf(matrix.names[e.from])));
        probes.push_back(std::move(p));
        from.push_back(matrix.names[e.from]);
    }
    std::vector<std::pair<std::size_t, std::size_t>> checkRange;
    checkRange.reserve(checks.size());
    for (const auto& c : checks) {
        const std::size_t first = probes.size();
        LiveProbe p;
        p.netns = namespaceOf(c.spec->from);
        if (c.spec->resolve) {
            p.resolve = *c.spec->resolve;
            probes.push_back(p);
            from.push_back(c.spec->from);
        } else {
            for (const auto& [ip, net] : m_sim.targetsOf(*c.spec->to)) {
                if (c.spec->network && net != c.spec->network) {
                    continue;
                }
                p.dst = ip;
                p.proto = c.spec->proto;
                p.port = c.spec->port.value_or(0);
                // Each address tried waits as long as the slowest answer expected.
                setWait(p, c.record.outcome,
                        paceKeyOf(m_sim.world(), c.record.cause, m_sim.namespaceOf(c.spec->from),
                                  machineOf(c.spec->from)));
                probes.push_back(p);
                from.push_back(c.spec->from);
            }
        }
        checkRange.emplace_back(first, probes.size());
    }
    LiveRun out;
    out.stats = runLiveProbes(probes);
    for (std::size_t i = 0; i < probes.size(); ++i) {
        if (probes[i].outcome == model::Outcome::Error) {
            out.errors.push_back(
                fmt::format("{} -> {}: {}", from[i], what(probes[i]), probes[i].detail));
        }
    }

    for (std::size_t k = 0; k < checks.size(); ++k) {
        const sim::CheckedProbe& c = checks[k];
        const auto [first, last] = checkRange[k];
        Comparison cmp;
        bool answered = false;
        bool failed = false;
        for (std::size_t i = first; i < last; ++i) {
            answered = answered || probes[i].reachable();
            failed = failed || probes[i].outcome == model::Outcome::Error;
            cmp.liveDetails.push_back(detailOf(probes[i]));
        }
        cmp.simAnswer = sim::answerWord(c);
        if (failed && !answered) {
            cmp.liveAnswer = "error";
        } else if (c.spec->resolve) {
            // No server (refused) resolves nothing, as in the simulation; silence is not an answer.
            const LiveProbe& p = probes[first];
            cmp.liveAnswer =
                p.outcome == model::Outcome::Answered || p.outcome == model::Outcome::Refused
                    ? resolvedWord(p.resolved)
                    : std::string(model::outcomeName(p.outcome));
        } else if (answered) {
            cmp.liveAnswer = std::string(model::outcomeName(model::Outcome::Answered));
        } else {
            cmp.liveAnswer = first < last ? std::string(model::outcomeName(probes[first].outcome))
                                          : std::string(model::outcomeName(c.record.outcome));
        }
        out.checks.push_back(std::move(cmp));
    }
    probes.resize(matrix.entries.size());
    out.matrix = std::move(probes);
    return out;
}

}  // namespace cnmlab::verify
