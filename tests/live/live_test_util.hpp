#pragma once
// Helpers shared by the live tests: a scenario file loaded as the CLI loads it,
// and the guard that skips a root test, with the reason, for everyone else.

#include <gtest/gtest.h>

#include <unistd.h>

#include <memory>
#include <string>

#include "drivers/plan_builder.hpp"
#include "live/environment.hpp"
#include "model/compose_reader.hpp"
#include "model/topology.hpp"

namespace cnmlab::test {

// Scenario, Topology and Plan kept together in one heap object that never
// moves: the Topology points into the Scenario.
struct Loaded {
    model::Scenario sc;
    model::Topology topo;
    drivers::Plan plan;
};

// `path` absolute, or relative to the source tree ("scenarios/tour.yaml").
inline std::unique_ptr<Loaded> load(const std::string& path) {
    auto l = std::make_unique<Loaded>();
    l->sc = model::readScenarioFile(
        path.front() == '/' ? path : std::string(CNMLAB_SOURCE_DIR) + "/" + path);
    l->topo = model::resolve(l->sc);
    l->plan = drivers::buildPlan(l->topo);
    return l;
}

}  // namespace cnmlab::test

// Root tests run where live mode can work (as root, with what a container must
// grant: see live/environment.hpp) and otherwise skip with what is missing.
#define REQUIRE_ROOT()                                                                             \
    if (const std::string missing_ = ::cnmlab::live::liveModeMissing(); !missing_.empty()) {       \
        GTEST_SKIP() << missing_;                                                                  \
    }
