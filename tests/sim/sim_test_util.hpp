#pragma once
// What the simulation's tests start from: a scenario read, resolved and
// planned, kept together (the Topology points into the Scenario).
#include <memory>
#include <string>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"

namespace cnmlab::test {

struct Loaded {
    model::Scenario sc;
    model::Topology topo;
    drivers::Plan plan;
};

inline std::unique_ptr<Loaded> planned(model::Scenario sc) {
    auto l = std::make_unique<Loaded>();
    l->sc = std::move(sc);
    l->topo = model::resolve(l->sc);
    l->plan = drivers::buildPlan(l->topo);
    return l;
}

// A scenario given as text, named `file` in messages.
inline std::unique_ptr<Loaded> loadYaml(const std::string& yaml, const std::string& file) {
    return planned(model::readScenario(yaml, file));
}

// A file of the source tree ("scenarios/tour.yaml").
inline std::unique_ptr<Loaded> loadSource(const std::string& rel) {
    return planned(model::readScenarioFile(std::string(CNMLAB_SOURCE_DIR) + "/" + rel));
}

}  // namespace cnmlab::test
