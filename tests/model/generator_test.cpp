#include <gtest/gtest.h>

#include "model/generator.hpp"
#include "test_util.hpp"

using namespace cnmlab::model;

// The same seed gives the same file on every run and machine (the benchmarks
// and bug reports rely on it): pinned against a reviewed golden file, not
// against a second call in the same process.
TEST(Generator, SameSeedGivesThePinnedText) {
    GenerateOptions o{.hosts = 2, .networks = 3, .containers = 12,
                      .drivers = {"bridge", "macvlan"}, .seed = 7};
    const std::string golden = cnmlab::test::readText(
        cnmlab::test::sourcePath("tests/golden/generate-h2-n3-c12-s7.yaml"));
    ASSERT_FALSE(golden.empty());
    EXPECT_EQ(generateScenario(o), golden);
    GenerateOptions p = o;
    p.seed = 8;
    EXPECT_NE(generateScenario(p), golden);
}

TEST(Generator, OutputIsAValidScenarioOfThatSize) {
    GenerateOptions o{.hosts = 2, .networks = 4, .containers = 300,
                      .drivers = {"bridge", "ipvlan", "macvlan"}, .seed = 3};
    Scenario sc = readScenario(generateScenario(o), "gen.yaml");
    EXPECT_EQ(sc.hosts.size(), 2u);
    EXPECT_EQ(sc.networks.size(), 4u);
    EXPECT_EQ(sc.services.size(), 300u);
    EXPECT_EQ(sc.networks[1].driver, "ipvlan");
    Topology t = resolve(sc);
    EXPECT_EQ(t.containers.size(), 300u);
}

// Until overlay networks run, `generate` does not offer them.
TEST(Generator, DoesNotOfferOverlayYet) {
    try {
        generateScenario({.hosts = 2, .networks = 2, .containers = 4, .drivers = {"overlay"}});
        FAIL() << "overlay generated";
    } catch (const Error& e) {
        EXPECT_NE(e.message().find("overlay networks are not supported"), std::string::npos)
            << e.message();
    }
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
