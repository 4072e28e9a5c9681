#include <gtest/gtest.h>

#include "model/generator.hpp"
#include "test_util.hpp"

using namespace cnmlab::model;

TEST(Generator, SameSeedSameText) {
    GenerateOptions o{.hosts = 3, .networks = 5, .containers = 200, .drivers = {"bridge"}, .seed = 7};
    EXPECT_EQ(generateScenario(o), generateScenario(o));
    GenerateOptions p = o;
    p.seed = 8;
    EXPECT_NE(generateScenario(o), generateScenario(p));
}

TEST(Generator, OutputIsAValidScenarioOfThatSize) {
    GenerateOptions o{.hosts = 2, .networks = 4, .containers = 300,
                      .drivers = {"bridge", "overlay", "macvlan"}, .seed = 3};
    Scenario sc = readScenario(generateScenario(o), "gen.yaml");
    EXPECT_EQ(sc.hosts.size(), 2u);
    EXPECT_EQ(sc.networks.size(), 4u);
    EXPECT_EQ(sc.services.size(), 300u);
    EXPECT_EQ(sc.networks[1].driver, "overlay");
    Topology t = resolve(sc);
    EXPECT_EQ(t.containers.size(), 300u);
}

TEST(Generator, TenThousandContainersResolve) {
    GenerateOptions o{.hosts = 4, .networks = 20, .containers = 10000, .drivers = {"bridge"}, .seed = 1};
    Scenario sc = readScenario(generateScenario(o), "gen.yaml");
    Topology t = resolve(sc);
    EXPECT_EQ(t.containers.size(), 10000u);
}

TEST(Generator, RejectsImpossibleOptions) {
    EXPECT_THROW(generateScenario({.hosts = 0}), Error);
    EXPECT_THROW(generateScenario({.hosts = 1, .networks = 1, .containers = 1, .drivers = {"host"}}),
                 Error);
}
