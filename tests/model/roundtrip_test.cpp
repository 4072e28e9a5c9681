// read -> write -> read gives the same model (compared through everything the
// model exposes: the writer's own output and the resolved topology).
#include <gtest/gtest.h>

#include <filesystem>

#include "model/compose_writer.hpp"
#include "model/inspect_report.hpp"
#include "test_util.hpp"

using namespace cnmlab::model;
using cnmlab::test::sourcePath;

namespace {

void expectRoundTrip(const std::string& path) {
    SCOPED_TRACE(path);
    Scenario a = readScenarioFile(path);
    const std::string once = writeScenario(a);
    Scenario b = readScenario(once, path);
    const std::string twice = writeScenario(b);
    EXPECT_EQ(once, twice);
    EXPECT_EQ(inspectJson(resolve(a)).dump(), inspectJson(resolve(b)).dump());
    EXPECT_EQ(a.services.size(), b.services.size());
    EXPECT_EQ(a.probes.size(), b.probes.size());
    EXPECT_EQ(a.extra.size(), b.extra.size());
    for (std::size_t i = 0; i < a.services.size(); ++i) {
        EXPECT_EQ(a.services[i].extra.size(), b.services[i].extra.size());
        EXPECT_EQ(a.services[i].ports.size(), b.services[i].ports.size());
        EXPECT_EQ(a.services[i].listen, b.services[i].listen);
        EXPECT_EQ(a.services[i].expose, b.services[i].expose);
    }
    EXPECT_EQ(a.lesson.has_value(), b.lesson.has_value());
    if (a.lesson) {
        EXPECT_EQ(a.lesson->title, b.lesson->title);
        EXPECT_EQ(a.lesson->steps.size(), b.lesson->steps.size());
    }
}

}  // namespace

TEST(RoundTrip, EveryScenario) {
    for (const auto& e : std::filesystem::directory_iterator(sourcePath("scenarios"))) {
        if (e.path().extension() == ".yaml") {
            expectRoundTrip(e.path().string());
        }
    }
}

TEST(RoundTrip, EveryComposeCorpusFile) {
    for (const auto& e :
         std::filesystem::directory_iterator(sourcePath("tests/data/compose-corpus"))) {
        // minecraft.yaml has `deploy:`, refused until swarm services exist.
        if (e.path().extension() == ".yaml" && e.path().filename() != "minecraft.yaml") {
            expectRoundTrip(e.path().string());
        }
    }
}

TEST(RoundTrip, KeepsUnmodelledKeysAndLayout) {
    Scenario a = readScenario(R"(
services:
  web: {image: nginx, environment: {A: "1"}, x-host: host1, networks: {n: {aliases: [w]}}}
networks: {n: {driver: bridge, labels: {k: v}, x-color: red}}
volumes: {data: {}}
x-layout: {web: [1, 2]}
)",
                              "a.yaml");
    a.layout.emplace_back("n", std::pair{10.0, 20.0});
    const std::string text = writeScenario(a);
    EXPECT_NE(text.find("image: nginx"), std::string::npos) << text;
    EXPECT_NE(text.find("x-color: red"), std::string::npos) << text;
    EXPECT_NE(text.find("volumes:"), std::string::npos) << text;
    Scenario b = readScenario(text, "a.yaml");
    ASSERT_EQ(b.layout.size(), 2u);
    EXPECT_EQ(b.layout[1].first, "n");
    EXPECT_EQ(b.layout[1].second.first, 10.0);
    EXPECT_EQ(b.networks[0].labels[0].second, "v");
}
