#pragma once
// Probes against a topology that is already built in the kernel: the one
// `liveUp` left running (the studio's Live switch) or the one `liveVerify`
// built for itself. The same questions are asked of the simulation and of the
// kernel, and the answers are put side by side.
//
// A Prober names the scenario's namespaces (livePrefix + the Plan's namespace
// name); the probes open each while they start in it. It creates, changes and
// deletes nothing. It is not thread-safe, but every thread may have its own:
// the probes enter a namespace with NetnsGuard, which moves only the calling
// thread.

#include <map>
#include <string>
#include <vector>

#include "live/kernel_probes.hpp"
#include "model/topology.hpp"
#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"

namespace cnmlab::verify {

// One check (an x-probe, or a question asked in the studio) answered twice.
// Answers are words that compare equal when the two agree: how the probe
// ended (model::outcomeName: "answered", "refused", "dropped", "no route",
// "closed"; live also "error" when it could not run); for a DNS lookup the
// addresses ("172.18.0.2,172.18.0.3") or "nxdomain" (a name that does not
// resolve, whether or not a server answered). A service without `network` is
// answered when any of its addresses answers, else as its first address ends.
struct Comparison {
    std::string simAnswer;
    std::string liveAnswer;
    // What the kernel said for each address tried ("172.18.0.3: connected",
    // "172.19.0.2: no answer (timeout)"); a service without `network` is
    // tried on each of its addresses, and any answer makes it reachable.
    std::vector<std::string> liveDetails;
    bool agree() const { return simAnswer == liveAnswer; }
};

// Everything one batch asked of the kernel.
struct LiveRun {
    std::vector<live::LiveProbe> matrix;  // matrix[i] answers the ReachMatrix's entries[i]
    std::vector<Comparison> checks;       // checks[k] answers the k-th CheckedProbe
    live::ProbeRunStats stats;
    // Probes that could not be run ("web -> 172.18.0.3 tcp/80: socket: Too
    // many open files"): not answers about the network.
    std::vector<std::string> errors;
};

class Prober {
public:
    // `simulation` is the scenario's simulation and `topo` its topology; both
    // must outlive the Prober. Throws model::Error (NotFound) when none of the
    // scenario's namespaces exist: it is not up.
    Prober(sim::ScenarioSim& simulation, const model::Topology& topo);

    // Runs every probe of `matrix` and of `checks` for real, as many at once as
    // descriptors allow (runLiveProbes). `checks` hold the simulation's answers
    // (sim::runCheck); a probe the simulation expects to end in "no route"
    // waits long enough for a neighbour to fail. Throws model::Error
    // (NotFound) when a sender's namespace is missing (taken down meanwhile).
    LiveRun run(const sim::ReachMatrix& matrix, const std::vector<sim::CheckedProbe>& checks);

private:
    // The full name of the namespace a probe from `name` starts in.
    const std::string& namespaceOf(const std::string& name);
    // The machine (host or external) whose address a probe from `name` may leave with.
    std::string machineOf(const std::string& name) const;

    sim::ScenarioSim& m_sim;
    const model::Topology& m_topo;
    std::string m_prefix;
    std::map<std::string, std::string> m_namespaces;  // source -> full name, checked to exist
};

}  // namespace cnmlab::verify
