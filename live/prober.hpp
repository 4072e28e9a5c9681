#pragma once
// Probes against a topology that is already built in the kernel: the one
// `liveUp` left running (the studio's Live switch) or the one `liveVerify`
// built for itself. The same questions are asked of the simulation and of the
// kernel, and the answers are put side by side.
//
// A Prober opens the scenario's namespaces by name (livePrefix + the Plan's
// namespace name) when a probe first needs one, and holds them until it is
// destroyed; it creates, changes and deletes nothing. It is not thread-safe,
// but every thread may have its own: the probes enter a namespace with
// NetnsGuard, which moves only the calling thread.

#include <map>
#include <string>
#include <vector>

#include "live/netns.hpp"
#include "live/probes.hpp"
#include "model/topology.hpp"
#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"

namespace cnmlab::live {

// One check (an x-probe, or a question asked in the studio) answered twice.
// Answers are words that compare equal when the two agree: "reachable" or
// "unreachable"; for a DNS lookup the addresses ("172.18.0.2,172.18.0.3") or
// "nxdomain" (a name that does not resolve, whether or not a server answered).
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
    std::vector<LiveProbe> matrix;   // matrix[i] answers the ReachMatrix's entries[i]
    std::vector<Comparison> checks;  // checks[k] answers the k-th CheckedProbe
};

class Prober {
public:
    // `simulation` is the scenario's simulation and `topo` its topology; both
    // must outlive the Prober. Throws model::Error (NotFound) when none of the
    // scenario's namespaces exist: it is not up.
    Prober(sim::ScenarioSim& simulation, const model::Topology& topo);

    // Runs every probe of `matrix` and of `checks` for real, all at once, so a
    // batch of silent drops costs one `timeoutMs`. `checks` hold the
    // simulation's answers (sim::runCheck). Throws model::Error (NotFound)
    // when a sender's namespace is missing (taken down meanwhile).
    LiveRun run(const sim::ReachMatrix& matrix, const std::vector<sim::CheckedProbe>& checks,
                int timeoutMs = kProbeTimeoutMs);

    const std::string& prefix() const { return m_prefix; }

private:
    const Fd& namespaceOf(const std::string& name);

    sim::ScenarioSim& m_sim;
    std::string m_prefix;
    std::map<std::string, Fd> m_namespaces;  // by full name; nodes never move
};

}  // namespace cnmlab::live
