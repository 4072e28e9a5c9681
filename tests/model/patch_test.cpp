// Saving a hand-written file changes only what was edited: every other byte,
// comments and blank lines included, stays (issue #12).
#include <gtest/gtest.h>

#include <filesystem>

#include "model/compose_patch.hpp"
#include "model/compose_reader.hpp"
#include "test_util.hpp"

using namespace cnmlab::model;

namespace {

const char* kLesson = R"(# A lesson, written by hand.
name: shop   # the project

x-hosts:
  host1: {underlay: 192.168.100.11/24}

services:
  # The web front end.
  web:
    image: nginx
    x-listen: [3000/tcp]     # its app port
    networks: [front]

  db:
    image: postgres
    networks:
      - front

networks:
  front: {}

x-probes:
- {from: web, to: db, expect: reachable}

x-layout:
  web: [120, 80]
  front: [300, 80]
# end
)";

Scenario read(const std::string& text) {
    return readScenario(text, "lesson.yaml");
}

// The lines that differ, as "-old" / "+new", in order (a plain LCS diff).
std::vector<std::string> diff(const std::string& a, const std::string& b) {
    auto split = [](const std::string& s) {
        std::vector<std::string> out;
        std::size_t at = 0;
        while (at < s.size()) {
            const auto nl = s.find('\n', at);
            out.push_back(s.substr(at, nl - at));
            at = nl == std::string::npos ? s.size() : nl + 1;
        }
        return out;
    };
    const auto x = split(a);
    const auto y = split(b);
    std::vector<std::vector<int>> l(x.size() + 1, std::vector<int>(y.size() + 1));
    for (std::size_t i = x.size(); i-- > 0;) {
        for (std::size_t j = y.size(); j-- > 0;) {
            l[i][j] = x[i] == y[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
        }
    }
    std::vector<std::string> out;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < x.size() || j < y.size()) {
        if (i < x.size() && j < y.size() && x[i] == y[j]) {
            ++i;
            ++j;
        } else if (j < y.size() && (i == x.size() || l[i][j + 1] > l[i + 1][j])) {
            out.push_back("+" + y[j++]);
        } else {
            out.push_back("-" + x[i++]);
        }
    }
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(Patch, SavingWithoutAnEditChangesNothing) {
    const Scenario sc = read(kLesson);
    const PatchResult r = patchScenario(kLesson, sc, sc);
    EXPECT_TRUE(r.patched);
    EXPECT_EQ(r.text, kLesson);
}

TEST(Patch, EveryScenarioAndComposeFileSavesUnchangedWithoutAnEdit) {
    for (const char* dir : {"scenarios", "tests/data/compose-corpus", "tests/data/names"}) {
        for (const auto& e : std::filesystem::directory_iterator(cnmlab::test::sourcePath(dir))) {
            if (e.path().extension() != ".yaml" || e.path().filename() == "minecraft.yaml") {
                continue;
            }
            const std::string text = cnmlab::test::readText(e.path().string());
            const Scenario sc = readScenario(text, e.path().string());
            EXPECT_EQ(patchScenario(text, sc, sc).text, text) << e.path();
        }
    }
}

TEST(Patch, MovingOneNodeChangesOnlyItsLayoutLine) {
    const Scenario before = read(kLesson);
    Scenario after = before;
    after.layout[0].second = {140.0, -0.0};
    const PatchResult r = patchScenario(kLesson, before, after);
    EXPECT_TRUE(r.patched);
    EXPECT_EQ(diff(kLesson, r.text), (V{"-  web: [120, 80]", "+  web: [140, 0]"}));
}

TEST(Patch, ANodePlacedForTheFirstTimeIsAddedAtTheEndOfXLayout) {
    const Scenario before = read(kLesson);
    Scenario after = before;
    after.layout.emplace_back("db", std::pair{210.5, 80.0});
    EXPECT_EQ(diff(kLesson, patchScenario(kLesson, before, after).text), (V{"+  db: [210.5, 80]"}));
}

TEST(Patch, AChangedServiceIsRewrittenInItsPlaceAndNothingElse) {
    const Scenario before = read(kLesson);
    Scenario after = before;
    after.services[1].listen.push_back(PortProto{5432, Proto::Tcp});
    const PatchResult r = patchScenario(kLesson, before, after);
    EXPECT_TRUE(r.patched);
    const V d = diff(kLesson, r.text);
    // Only db's lines: web's x-listen spelling, every comment and blank line stay.
    for (const auto& line : d) {
        EXPECT_TRUE(line.find("db") != std::string::npos ||
                    line.find("image: postgres") != std::string::npos ||
                    line.find("front") != std::string::npos ||
                    line.find("5432") != std::string::npos ||
                    line.find("networks") != std::string::npos)
            << line;
    }
    EXPECT_NE(r.text.find("    x-listen: [3000/tcp]     # its app port\n"), std::string::npos);
    EXPECT_NE(r.text.find("  # The web front end.\n"), std::string::npos);
    EXPECT_NE(r.text.find("x-listen: [5432]"), std::string::npos) << r.text;
    EXPECT_EQ(read(r.text).services[1].listen.size(), 1u);
}

TEST(Patch, AddedAndRemovedServices) {
    const Scenario before = read(kLesson);
    Scenario added = before;
    ServiceSpec cache;
    cache.key = "cache";
    cache.extra.emplace_back("image", YAML::Node("redis"));
    added.services.push_back(cache);
    const PatchResult a = patchScenario(kLesson, before, added);
    EXPECT_TRUE(a.patched) << a.text;
    EXPECT_EQ(read(a.text).services.size(), 3u);
    for (const auto& line : diff(kLesson, a.text)) {
        EXPECT_EQ(line.front(), '+') << line;
    }
    // Removing it again gives back the file as it was, byte for byte.
    const Scenario withCache = read(a.text);
    const PatchResult r = patchScenario(a.text, withCache, before);
    EXPECT_TRUE(r.patched) << r.text;
    EXPECT_EQ(r.text, kLesson);
}

TEST(Patch, ARenamedServiceStaysWhereItWas) {
    const Scenario before = read(kLesson);
    Scenario after = before;
    after.services[0].key = "www";
    for (auto& p : after.probes) {
        p.from = p.from == "web" ? "www" : p.from;
    }
    after.layout[0].first = "www";
    const PatchResult r = patchScenario(kLesson, before, after);
    EXPECT_TRUE(r.patched) << r.text;
    EXPECT_LT(r.text.find("  www:"), r.text.find("  db:"));
    EXPECT_NE(r.text.find("  # The web front end.\n  www:"), std::string::npos) << r.text;
}

TEST(Patch, FlowLayoutStaysOnOneLine) {
    const std::string text = "services: {web: {}}\nx-layout: {web: [1, 2]}  \n";
    const Scenario before = read(text);
    Scenario after = before;
    after.layout[0].second = {3.0, 4.0};
    EXPECT_EQ(patchScenario(text, before, after).text,
              "services: {web: {}}\nx-layout: {web: [3, 4]}\n");
}

TEST(Patch, AFileWithoutLayoutGetsOneAtTheEnd) {
    const std::string text = "services:\n  web: {}\n";
    const Scenario before = read(text);
    Scenario after = before;
    after.layout.emplace_back("web", std::pair{10.0, 20.0});
    EXPECT_EQ(patchScenario(text, before, after).text,
              "services:\n  web: {}\nx-layout:\n  web: [10, 20]\n");
}

TEST(Patch, WindowsLineEndingsStay) {
    const std::string text = "services:\r\n  web: {}\r\nx-layout:\r\n  web: [1, 2]\r\n";
    const Scenario before = read(text);
    Scenario after = before;
    after.layout[0].second = {5.0, 6.0};
    EXPECT_EQ(patchScenario(text, before, after).text,
              "services:\r\n  web: {}\r\nx-layout:\r\n  web: [5, 6]\r\n");
}
