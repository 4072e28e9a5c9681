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

// macvlan on two hosts from one Compose network: each host's IPAM hands out
// 192.168.100.128 first, so a and c hold the same address on one LAN segment,
// and which answers depends on the ARP cache an earlier probe left. The
// matrix then comes from one World, the same on every run; a bridge per host
// shares addresses too, but on segments of its own, and keeps the threads.
TEST(ReachThreads, AddressesSharedOnTheLanKeepTheMatrixOnOneWorld) {
    const char* yaml = R"(
name: t
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
x-externals: {laptop: {underlay: 192.168.100.50/24}}
services:
  a: {x-host: host1, networks: [n]}
  b: {x-host: host1, networks: [n]}
  c: {x-host: host2, networks: [n]}
  d: {x-host: host2, networks: [n]}
networks:
  n:
    driver: DRIVER
    DRIVER_OPTS
    ipam: {config: [{subnet: 192.168.100.0/24, ip_range: 192.168.100.128/25}]}
)";
    auto with = [&](const std::string& driver, const std::string& opts) {
        std::string text = yaml;
        text.replace(text.find("DRIVER"), 6, driver);
        text.replace(text.find("DRIVER_OPTS"), 11, opts);
        return build(text, driver + ".yaml");
    };
    const auto macvlan = with("macvlan", "driver_opts: {parent: eth0}");
    const auto bridge = with("bridge", "driver_opts: {}");
    EXPECT_TRUE(sim::ScenarioSim(macvlan->topology, macvlan->plan).sharesLanAddresses());
    EXPECT_FALSE(sim::ScenarioSim(bridge->topology, bridge->plan).sharesLanAddresses());
    const std::vector<std::string> once = lines(*macvlan, 0);
    EXPECT_EQ(once, lines(*macvlan, 1));
}

}  // namespace
