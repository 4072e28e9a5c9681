#pragma once
// The outputs of `cnmlab reach`, `check` and `trace`: the JSON of docs/command-line.md, and text
// a person reads at a glance. `lang` is "en" or "zh" for explanations.

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.hpp"
#include "sim/scenario_sim.hpp"

namespace cnmlab::sim {

// The probe object shared by every JSON shape.
nlohmann::ordered_json probeJson(const ProbeRecord& p, const std::string& lang);

// Streams the matrix as the JSON of docs/command-line.md (one probe object per line), without
// building it in memory: a 1000-container matrix has millions of probes.
void writeReachJson(std::ostream& out, const ReachMatrix& m, const World& world,
                    const std::string& lang);
std::string reachText(const ReachMatrix& m, const std::string& lang);

struct CheckedProbe {
    const model::ProbeSpec* spec = nullptr;
    ProbeRecord record;
    bool pass = false;
};
// Runs one x-probe (or any question in its shape); `spec` must outlive the
// result. A lookup without an expected address or `nxdomain` never passes.
CheckedProbe runCheck(ScenarioSim& sim, const model::ProbeSpec& spec);
// The check's answer as one word, the way `live verify` and the studio's Live
// panel compare it with the kernel's: how the probe ended
// (model::outcomeName), or for a lookup the addresses "a,b" or "nxdomain".
std::string answerWord(const CheckedProbe& c);
// Runs every x-probe of the scenario.
std::vector<CheckedProbe> runChecks(ScenarioSim& sim, const model::Scenario& sc);
nlohmann::ordered_json checkJson(const std::vector<CheckedProbe>& checks, const std::string& lang);
std::string checkText(const std::vector<CheckedProbe>& checks, const std::string& lang);

nlohmann::ordered_json traceJson(const ProbeRecord& p, const std::string& lang);
std::string traceText(const ProbeRecord& p, const std::string& lang);
// Where a hop happened, as a reader knows it (node, device): cnmlab's own LAN
// namespace is the hosts' LAN switch and its ports are its cables to the
// machines ("to host1"), the router is the router. JSON keeps the Plan's names.
std::pair<std::string, std::string> hopWhere(const Hop& h, const std::string& lang);

}  // namespace cnmlab::sim
