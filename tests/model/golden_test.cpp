// `inspect --json` of every scenario in scenarios/ against its reviewed golden
// file in tests/golden/. Regenerate with CNMLAB_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/inspect_report.hpp"
#include "test_util.hpp"

using namespace cnmlab::model;
using cnmlab::test::readText;
using cnmlab::test::sourcePath;

TEST(Golden, InspectJsonOfEveryScenario) {
    const bool update = std::getenv("CNMLAB_UPDATE_GOLDEN") != nullptr;
    int compared = 0;
    for (const auto& e : std::filesystem::directory_iterator(sourcePath("scenarios"))) {
        if (e.path().extension() != ".yaml") {
            continue;
        }
        Scenario sc = readScenarioFile(e.path().string());
        const std::string actual = inspectJson(resolve(sc)).dump(2) + "\n";
        const std::string golden =
            sourcePath("tests/golden/" + e.path().stem().string() + ".inspect.json");
        if (update) {
            std::ofstream(golden) << actual;
        }
        ASSERT_TRUE(std::filesystem::exists(golden)) << "missing " << golden;
        EXPECT_EQ(readText(golden), actual) << e.path();
        ++compared;
    }
    EXPECT_GE(compared, 1);
}
