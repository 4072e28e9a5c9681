#include "verify/live_verify.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "live/kernel_ipvs.hpp"
#include "live/testbed.hpp"
#include "model/error.hpp"
#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"
#include "verify/prober.hpp"

namespace cnmlab::verify {

namespace {

// Probes through a VIP or an ingress-published port, where the kernel (or
// live mode) has no IPVS: left out, counted per service, with the reason.
void skipServiceBalancing(const std::vector<live::LackingService>& lacking,
                          sim::ReachMatrix& matrix, std::vector<sim::CheckedProbe>& checks,
                          VerifyReport& report) {
    for (const auto& l : lacking) {
        std::set<std::pair<int, model::Proto>> ports;
        for (const auto& p : l.service->published) {
            if (!p.hostMode) {
                ports.emplace(p.published, p.proto);
            }
        }
        // Its VIP, and its ingress ports anywhere: DOCKER-INGRESS accepts every
        // forwarded packet to such a port, whatever its destination.
        auto through = [&](const std::string& to, model::Proto proto, int port) {
            return to == l.service->key || ports.count({port, proto}) != 0;
        };
        const std::size_t before = matrix.entries.size() + checks.size();
        std::erase_if(matrix.entries, [&](const sim::ReachEntry& e) {
            return through(matrix.names[e.to], e.proto, e.port);
        });
        std::erase_if(checks, [&](const sim::CheckedProbe& c) {
            return c.spec->to && through(*c.spec->to, c.spec->proto, c.spec->port.value_or(0));
        });
        const std::size_t n = before - matrix.entries.size() - checks.size();
        report.skipped.push_back(
            {{"what", fmt::format("service {}: {} probe(s) to its VIP or on its ingress ports",
                                  l.service->key, n)},
             {"why", l.why}});
    }
}

}  // namespace

VerifyReport liveVerify(const model::Topology& topo, const drivers::Plan& plan,
                        const std::string& lang) {
    // Networks this kernel cannot build are left out, with every probe from or
    // to a container on them.
    live::Testbed bed(topo, plan);
    const auto& lacking = bed.lacking();
    const std::set<std::string>& skip = bed.untestable();

    sim::ScenarioSim simulation(topo, plan);
    sim::ReachMatrix matrix = simulation.reach();
    auto checks = sim::runChecks(simulation, *topo.scenario);
    VerifyReport report;
    std::map<std::string, int> skippedFrom;  // service -> probes left out
    std::erase_if(matrix.entries, [&](const sim::ReachEntry& e) {
        for (const auto* name : {&matrix.names[e.from], &matrix.names[e.to]}) {
            if (skip.count(*name) != 0) {
                ++skippedFrom[*name];
                return true;
            }
        }
        return false;
    });
    std::erase_if(checks, [&](const sim::CheckedProbe& c) {
        for (const auto& name : {c.spec->from, c.spec->to.value_or("")}) {
            if (skip.count(name) != 0) {
                ++skippedFrom[name];
                return true;
            }
        }
        return false;
    });
    for (const auto& l : lacking) {
        std::string who;
        int n = 0;
        for (const auto& c : topo.containers) {
            for (const auto& ep : c.endpoints) {
                if (ep.network == l.network->key && skippedFrom.count(c.service) != 0) {
                    who += (who.empty() ? "" : ", ") + c.service;
                    n += skippedFrom[c.service];
                }
            }
        }
        report.skipped.push_back(
            {{"what", fmt::format("network {} ({}): {} probe(s) from or to {}", l.network->key,
                                  l.network->driver, n, who.empty() ? "no container" : who)},
             {"why", l.why}});
    }
    skipServiceBalancing(bed.lackingServices(), matrix, checks, report);
    Prober prober(simulation, topo);
    const LiveRun live = prober.run(matrix, checks);
    report.stats = live.stats;
    if (const std::string why = bed.servicesStopped(); !why.empty()) {
        throw model::Error(model::ErrorKind::System,
                           "the listeners and the embedded DNS stopped: " + why);
    }
    if (!live.errors.empty()) {
        // Not an answer about the network: nothing is compared.
        std::string list;
        for (std::size_t i = 0; i < live.errors.size() && i < 5; ++i) {
            list += "\n  " + live.errors[i];
        }
        if (live.errors.size() > 5) {
            list += fmt::format("\n  ... and {} more", live.errors.size() - 5);
        }
        throw model::Error(model::ErrorKind::Unsupported,
                           fmt::format("{} of {} probes could not be run in the kernel, so sim and "
                                       "live were not compared:{}",
                                       live.errors.size(), live.stats.probes, list));
    }

    for (std::size_t i = 0; i < matrix.entries.size(); ++i) {
        const sim::ReachEntry& e = matrix.entries[i];
        const model::Outcome simOutcome = sim::outcomeOf(e.reachable, e.reason);
        const live::LiveProbe& k = live.matrix[i];
        if (simOutcome == k.outcome) {
            ++report.agree;
            continue;
        }
        ++report.disagree;
        sim::ProbeRecord rec;
        rec.from = matrix.names[e.from];
        rec.to = matrix.names[e.to];
        rec.dst = e.dst.str();
        if (e.network >= 0) {
            rec.network = matrix.networks[static_cast<std::size_t>(e.network)];
        }
        rec.proto = e.proto;
        if (e.proto != model::Proto::Icmp) {
            rec.port = e.port;
        }
        rec.reachable = e.reachable;
        rec.outcome = simOutcome;
        rec.reason = simulation.world().explain(e.reason);
        report.disagreements.push_back(
            {{"probe", sim::probeJson(rec, lang)},
             {"sim", fmt::format("{} ({})", e.reachable ? "reachable" : "unreachable",
                                 model::outcomeName(simOutcome))},
             {"live", fmt::format("{} ({}: {})", k.reachable() ? "reachable" : "unreachable",
                                  model::outcomeName(k.outcome), k.detail)}});
    }
    for (std::size_t k = 0; k < checks.size(); ++k) {
        const Comparison& c = live.checks[k];
        if (c.agree()) {
            ++report.agree;
        } else {
            ++report.disagree;
            std::string details;
            for (const auto& d : c.liveDetails) {
                details += (details.empty() ? "" : "; ") + d;
            }
            report.disagreements.push_back(
                {{"probe", sim::probeJson(checks[k].record, lang)},
                 {"sim", c.simAnswer},
                 {"live", fmt::format("{} ({})", c.liveAnswer, details)}});
        }
    }
    return report;
}

}  // namespace cnmlab::verify
