#pragma once
// The measures of one driver's run for compare.cpp (sim/compare.hpp says what
// each means). Internal to sim/.

#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "model/topology.hpp"
#include "sim/compare.hpp"
#include "sim/scenario_sim.hpp"

namespace cnmlab::sim {

// What is compared, taken from the file as written (the same for every
// driver, so each driver answers the same questions).
struct Subjects {
    std::vector<std::string> networks;    // the compared networks' keys
    std::vector<std::string> containers;  // service keys on a compared network
    // Ordered pairs of containers that share a compared network, with it.
    struct Pair {
        std::string from, to, network;
    };
    std::vector<Pair> neighbours;
    Pair ref;  // the reference ping, cross-host when the file allows (empty: none)
    bool refCrossHost = false;
};

Subjects subjectsOf(const model::Topology& original, const std::vector<std::string>& networks);

// Fills the report's tallies, identities, wire sample and Plan counts.
void measure(ScenarioSim& sim, const model::Topology& topo, const drivers::Plan& plan,
             const Subjects& subjects, DriverReport& r);

}  // namespace cnmlab::sim
