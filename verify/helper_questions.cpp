#include "verify/helper_questions.hpp"

#include <fmt/format.h>

#include "model/error.hpp"
#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"
#include "verify/prober.hpp"

namespace cnmlab::verify {

namespace {

using nlohmann::json;

// A string member of the request, or nullopt when absent or null.
std::optional<std::string> optionalString(const json& req, const char* key) {
    const auto it = req.find(key);
    if (it == req.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_string()) {
        throw model::Error(model::ErrorKind::Invalid,
                           fmt::format("probe: `{}` must be a string", key));
    }
    return it->get<std::string>();
}

model::ProbeSpec specOf(const json& req) {
    model::ProbeSpec spec;
    const auto from = optionalString(req, "from");
    if (!from || from->empty()) {
        throw model::Error(model::ErrorKind::Invalid, "probe: `from` is required");
    }
    spec.from = *from;
    if ((spec.resolve = optionalString(req, "resolve"))) {
        spec.expect = model::Expect::Address;
        return spec;
    }
    spec.to = optionalString(req, "to");
    if (!spec.to || spec.to->empty()) {
        throw model::Error(model::ErrorKind::Invalid, "probe: `to` or `resolve` is required");
    }
    const std::string proto = optionalString(req, "proto").value_or("icmp");
    if (proto == "tcp" || proto == "udp") {
        spec.proto = proto == "tcp" ? model::Proto::Tcp : model::Proto::Udp;
        const auto port = req.find("port");
        if (port == req.end() || !port->is_number_integer() || port->get<int>() < 1 ||
            port->get<int>() > 65535) {
            throw model::Error(model::ErrorKind::Invalid,
                               "probe: tcp and udp need a `port` from 1 to 65535");
        }
        spec.port = port->get<int>();
    } else if (proto != "icmp") {
        throw model::Error(model::ErrorKind::Invalid,
                           fmt::format("probe: `proto` is icmp, tcp or udp, not '{}'", proto));
    }
    spec.network = optionalString(req, "network");
    return spec;
}

}  // namespace

json helperMatrix(const model::Topology& topo, const drivers::Plan& plan) {
    sim::ScenarioSim simulation(topo, plan);
    const sim::ReachMatrix matrix = simulation.reach();
    Prober prober(simulation, topo);
    const LiveRun run = prober.run(matrix, {});
    if (!run.errors.empty()) {
        throw model::Error(
            model::ErrorKind::System,
            fmt::format("{} of {} probes could not be run in the kernel; the first: {}",
                        run.errors.size(), run.stats.probes, run.errors.front()));
    }
    json entries = json::array();
    for (std::size_t i = 0; i < matrix.entries.size(); ++i) {
        const sim::ReachEntry& e = matrix.entries[i];
        const live::LiveProbe& k = run.matrix[i];
        entries.push_back(
            {{"from", matrix.names[e.from]},
             {"to", matrix.names[e.to]},
             {"dst", e.dst.str()},
             {"network", e.network >= 0 ? json(matrix.networks[static_cast<std::size_t>(e.network)])
                                        : json(nullptr)},
             {"proto", model::protoName(e.proto)},
             {"port", e.proto == model::Proto::Icmp ? json(nullptr) : json(e.port)},
             {"sim", e.reachable},
             {"kernel", k.reachable()},
             {"sim_outcome",
              std::string(model::outcomeName(sim::outcomeOf(e.reachable, e.reason)))},
             {"kernel_outcome", std::string(model::outcomeName(k.outcome))},
             {"detail", k.detail}});
    }
    return entries;
}

json helperProbe(const model::Topology& topo, const drivers::Plan& plan, const json& request) {
    const model::ProbeSpec spec = specOf(request);
    sim::ScenarioSim simulation(topo, plan);
    const sim::CheckedProbe checked = sim::runCheck(simulation, spec);
    Prober prober(simulation, topo);
    const LiveRun run = prober.run(sim::ReachMatrix{}, {checked});
    const Comparison& c = run.checks.front();
    return {{"sim", c.simAnswer}, {"kernel", c.liveAnswer}, {"details", c.liveDetails}};
}

}  // namespace cnmlab::verify
