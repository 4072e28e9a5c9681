#pragma once
// `cnmlab live up / down / status`: a scenario built in real network
// namespaces. Every namespace is named PREFIX + its Plan name, PREFIX being
// "cnm" + 6 hex digits of the project name + "-", so two scenarios can be up at
// once and `down` finds what an earlier, crashed `up` left. The daemon that
// serves the listeners and the embedded DNS records its pid under
// /run/cnmlab/PREFIX/.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/plan.hpp"
#include "live/kernel_probes.hpp"
#include "model/topology.hpp"

namespace cnmlab::live {

std::string livePrefix(const model::Scenario& sc);

// Throws model::Error: Unsupported (exit 3) without CAP_NET_ADMIN or for a
// driver the kernel lacks, Conflict when already up, System for a kernel error
// (after removing everything it made).
void liveUp(const model::Topology& topo, const drivers::Plan& plan);
// Removes the daemon and every namespace with the scenario's prefix; returns
// how many namespaces it removed.
int liveDown(const model::Scenario& sc);
struct LiveStatus {
    std::vector<std::string> namespaces;
    int daemonPid = 0;  // 0 when not running
};
LiveStatus liveStatus(const model::Scenario& sc);

// Exits with an Unsupported error unless this process may manage namespaces.
void requireNetAdmin();

}  // namespace cnmlab::live
