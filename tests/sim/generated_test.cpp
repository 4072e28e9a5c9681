// Every kind of file `cnmlab generate` writes goes all the way: read, resolve,
// the Plan, and the reachability matrix, with a sentence for every verdict.
// A generated file that the rest of cnmlab refuses would be a broken offer.
#include <gtest/gtest.h>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/generator.hpp"
#include "sim/scenario_sim.hpp"

using namespace cnmlab;

namespace {

struct Case {
    const char* name;
    model::GenerateOptions options;
};

class Generated : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(Generated, GoesThroughThePlanAndTheMatrix) {
    const model::GenerateOptions& o = GetParam().options;
    const model::Scenario sc = model::readScenario(model::generateScenario(o), "gen.yaml");
    const model::Topology topo = model::resolve(sc);
    ASSERT_EQ(topo.containers.size(), static_cast<std::size_t>(o.containers));
    const drivers::Plan plan = drivers::buildPlan(topo);
    sim::ScenarioSim simulation(topo, plan);
    const sim::ReachMatrix m = simulation.reach(1);
    ASSERT_FALSE(m.entries.empty());
    std::size_t reachable = 0;
    std::vector<int> reachesFrom(m.names.size(), 0);
    for (const auto& e : m.entries) {
        reachable += e.reachable ? 1 : 0;
        reachesFrom[e.from] += e.reachable ? 1 : 0;
        ASSERT_FALSE(simulation.world().explain(e.reason).en.empty());
    }
    // Isolation leaves something unreachable; every container reaches
    // something (a sibling on its network, or its host).
    EXPECT_GT(reachable, 0u);
    EXPECT_LT(reachable, m.entries.size());
    for (std::size_t i = 0; i < m.names.size(); ++i) {
        if (topo.findContainer(m.names[i]) != nullptr) {
            EXPECT_GT(reachesFrom[i], 0) << m.names[i] << " reaches nothing";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Drivers, Generated,
    ::testing::Values(
        Case{"bridge",
             {.hosts = 1, .networks = 3, .containers = 40, .drivers = {"bridge"}, .seed = 1}},
        Case{"bridge_three_hosts",
             {.hosts = 3, .networks = 4, .containers = 60, .drivers = {"bridge"}, .seed = 2}},
        Case{"macvlan",
             {.hosts = 2, .networks = 3, .containers = 30, .drivers = {"macvlan"}, .seed = 3}},
        Case{"ipvlan",
             {.hosts = 1, .networks = 2, .containers = 20, .drivers = {"ipvlan"}, .seed = 4}},
        Case{"mixed",
             {.hosts = 2,
              .networks = 6,
              .containers = 80,
              .drivers = {"bridge", "macvlan", "ipvlan"},
              .seed = 5}}),
    [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });
