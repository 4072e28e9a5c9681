// The reach matrix is the same whether one World runs every source or several
// threads share the sources, each on its own World: a probe's verdict and its
// reason do not depend on which probes ran before it on that World. Pinned on
// every scenario in scenarios/ and on generated multi-host files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/generator.hpp"
#include "sim/scenario_sim.hpp"

using namespace cnmlab;

namespace {

struct Built {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
};

std::unique_ptr<Built> build(const std::string& yaml, const std::string& name) {
    auto b = std::make_unique<Built>();
    b->scenario = model::readScenario(yaml, name);
    b->topology = model::resolve(b->scenario);
    b->plan = drivers::buildPlan(b->topology);
    return b;
}

// Every entry, with its reason in words (Reasons point into the Plan, so they
// read the same from any World).
std::vector<std::string> lines(const Built& b, unsigned threads) {
    sim::ScenarioSim sim(b.topology, b.plan);
    const sim::ReachMatrix m = sim.reach(threads);
    std::vector<std::string> out;
    out.reserve(m.entries.size());
    for (const auto& e : m.entries) {
        out.push_back(m.names[e.from] + " " + m.names[e.to] + " " + e.dst.str() + " " +
                      std::to_string(e.network) + " " + std::to_string(static_cast<int>(e.proto)) +
                      " " + std::to_string(e.port) + " " + (e.reachable ? "ok " : "no ") +
                      sim.world().explain(e.reason).en);
    }
    return out;
}

void sameForAnyThreadCount(const Built& b, const std::string& what) {
    const std::vector<std::string> one = lines(b, 1);
    ASSERT_FALSE(one.empty()) << what;
    for (unsigned threads : {2u, 3u}) {
        const std::vector<std::string> many = lines(b, threads);
        ASSERT_EQ(many.size(), one.size()) << what << " with " << threads << " threads";
        for (std::size_t i = 0; i < one.size(); ++i) {
            ASSERT_EQ(many[i], one[i]) << what << " with " << threads << " threads, entry " << i;
        }
    }
}

TEST(ReachThreads, EveryScenarioGivesTheSameMatrixOnOneOrSeveralThreads) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(CNMLAB_SOURCE_DIR "/scenarios")) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        auto b = build(text.str(), entry.path().filename().string());
        sameForAnyThreadCount(*b, entry.path().filename().string());
        ++files;
    }
    EXPECT_GE(files, 8);
}

TEST(ReachThreads, GeneratedMultiHostScenariosGiveTheSameMatrix) {
    model::GenerateOptions o;
    o.hosts = 3;
    o.networks = 5;
    o.containers = 60;
    auto b = build(model::generateScenario(o), "gen.yaml");
    sameForAnyThreadCount(*b, "generated 3 hosts");
}

}  // namespace
