#pragma once
// `cnmlab live verify`: the scenario built in real namespaces and probed for
// real, every probe of `reach` and `check` asked of the kernel and of the
// simulation, and the two compared. The one place (with the Prober and the
// helper's questions) that sees both executors.

#include <string>

#include <nlohmann/json.hpp>

#include "drivers/plan.hpp"
#include "live/kernel_probes.hpp"
#include "model/topology.hpp"

namespace cnmlab::verify {

struct VerifyReport {
    int agree = 0;
    int disagree = 0;
    nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
    nlohmann::ordered_json disagreements = nlohmann::ordered_json::array();
    live::ProbeRunStats stats;  // how the kernel's probes ran (time, concurrency)
};

// Builds the topology (live::Testbed), runs every probe of `reach` and `check`
// for real and in the simulation, tears it all down, and reports: a probe
// agrees when both ended the same way (model::Outcome). Throws model::Error
// like live::Testbed, and Unsupported when probes could not be run at all (no
// descriptors, no socket), naming them.
VerifyReport liveVerify(const model::Topology& topo, const drivers::Plan& plan,
                        const std::string& lang);

}  // namespace cnmlab::verify
