#pragma once
// Writes a Scenario back as a Compose file with cnmlab's x- keys. Every key that
// was read is written, including the ones cnmlab does not model (kept
// verbatim), so read -> write -> read gives the same model. The studio saves
// through this, adding positions in x-layout.

#include <string>

#include "model/scenario.hpp"

namespace cnmlab::model {

std::string writeScenario(const Scenario& sc);

// One entry of a section exactly as writeScenario() writes it, as a mapping of
// its own at column 0 ("web:\n  image: nginx\n"), or with its value in flow
// style ("web: {image: nginx}\n") when `flow`. compose_patch.cpp splices these
// into a hand-written file.
std::string writeEntry(const ServiceSpec& s, bool flow);
std::string writeEntry(const NetworkSpec& n, bool flow);
std::string writeEntry(const HostSpec& h, bool flow);
std::string writeEntry(const ExternalSpec& e, bool flow);
// The top-level entries "x-probes: ..." and "x-lesson: ...".
std::string writeProbesEntry(const std::vector<ProbeSpec>& probes);
std::string writeLessonEntry(const Lesson& lesson);

// One number of x-layout as it is written: an integer when whole ("118",
// never "118.0" or "-0"), else at most two decimals.
std::string layoutNumber(double v);

}  // namespace cnmlab::model
