#pragma once
// Writes a Scenario back as a Compose file with cnmlab's x- keys. Every key that
// was read is written, including the ones cnmlab does not model (kept
// verbatim), so read -> write -> read gives the same model. The studio saves
// through this, adding positions in x-layout.

#include <string>

#include "model/scenario.hpp"

namespace cnmlab::model {

std::string writeScenario(const Scenario& sc);

}  // namespace cnmlab::model
