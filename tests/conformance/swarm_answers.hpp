#pragma once
// cnmlab's answers to the facts of the swarm recorder (recorded_swarm/,
// README.md "The swarm recorder") that the single-host comparison does not
// know: per-host networks, overlay namespaces, load balancers, hosts, the
// docker_gwbridge rules, errors; reach facts are probed at their literal
// destination (docker_gwbridge addresses repeat on every host).

#include <string>

#include <nlohmann/json.hpp>

#include "tests/conformance/conformance_loaded.hpp"

namespace cnmlab::conformance {

// What answers a fact cnmlab does not model (random ids, timings, counters,
// the embedded DNS server's own rules): the comparison counts it apart.
inline const nlohmann::json kNotCompared = "(not compared)";

// The answer to `fact` of a swarm recording, or kNotCompared. `reason` gets
// the simulation's explanation for reach and DNS facts. `refused` is the
// message cnmlab gave for the file with the services Docker refused (error
// facts), "" if it accepted it.
nlohmann::json swarmAnswer(const Loaded& l, const nlohmann::json& fact, std::string& reason,
                           const std::string& refused);
// Docker's side of a swarm fact in the same terms: the fields cnmlab models of
// a vxlan device, the decisive part of a refusal.
nlohmann::json swarmDocker(const nlohmann::json& fact);

}  // namespace cnmlab::conformance
