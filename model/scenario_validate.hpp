#pragma once
// Cross-reference checks on a freshly read Scenario, and Compose's implicit
// `default` network. Called by readScenario(); throws Error (Invalid) positioned
// at the offending key.

#include "model/scenario.hpp"

namespace cnmlab::model {

void validateScenario(Scenario& sc);

// The checks of one probe (an x-probe, or `cnmlab trace`'s arguments); throws
// Error (Invalid) at the probe's positions, its messages starting with
// `prefix` ("x-probes[3]." or "--").
void checkProbe(const Scenario& sc, const ProbeSpec& p, const std::string& prefix);

}  // namespace cnmlab::model
