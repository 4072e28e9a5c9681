#pragma once
// Cross-reference checks on a freshly read Scenario, and Compose's implicit
// `default` network. Called by readScenario(); throws Error (Invalid) positioned
// at the offending key.

#include "model/scenario.hpp"

namespace cnmlab::model {

void validateScenario(Scenario& sc);

}  // namespace cnmlab::model
