#pragma once
// One recorded scenario as cnmlab sees it: the file, its topology, its Plan and
// a simulation of it. Shared by the single-host and the swarm comparisons.

#include <memory>

#include "drivers/plan.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "sim/scenario_sim.hpp"

namespace cnmlab::conformance {

struct Loaded {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
    std::unique_ptr<sim::ScenarioSim> sim;
};

}  // namespace cnmlab::conformance
