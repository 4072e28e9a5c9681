// The world around Docker is explained as what it stands for: the hosts'
// physical LAN is a switch with a port (a cable) to each machine, the router
// is a router. cnmlab's own namespace and device names (_lan, br-lan,
// _router) never appear in an explanation, in either language.
#include <gtest/gtest.h>

#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"

#include "sim_test_util.hpp"

using namespace cnmlab;

namespace {

void expectNoInternalNames(const sim::ProbeRecord& r) {
    for (const auto& h : r.hops) {
        for (const std::string* text : {&h.explain.en, &h.explain.zh}) {
            EXPECT_EQ(text->find("_lan"), std::string::npos) << *text;
            EXPECT_EQ(text->find("br-lan"), std::string::npos) << *text;
            EXPECT_EQ(text->find("_router"), std::string::npos) << *text;
            EXPECT_EQ(text->find(" in lan"), std::string::npos) << *text;
            EXPECT_EQ(text->find("lan "), std::string::npos) << *text;
        }
    }
}

const sim::Hop* firstHop(const sim::ProbeRecord& r, const std::string& node, const char* action) {
    for (const auto& h : r.hops) {
        if (h.node == node && h.action == action) {
            return &h;
        }
    }
    return nullptr;
}

}  // namespace

TEST(LanWords, TheLanIsASwitchWithAPortToEachMachine) {
    auto l = test::loadSource("scenarios/tour.yaml");
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = s.probe("laptop", "host1", model::Proto::Tcp, 8080, std::nullopt, true);
    ASSERT_TRUE(r.reachable) << r.reason.en;
    expectNoInternalNames(r);

    const sim::Hop* learn = firstHop(r, "_lan", sim::action::kLearn);
    ASSERT_NE(learn, nullptr);
    EXPECT_NE(learn->explain.en.find("the LAN switch learns that"), std::string::npos)
        << learn->explain.en;
    EXPECT_NE(learn->explain.en.find("behind its port to laptop"), std::string::npos)
        << learn->explain.en;
    EXPECT_NE(learn->explain.zh.find("局域网交换机学习到"), std::string::npos) << learn->explain.zh;
    EXPECT_NE(learn->explain.zh.find("通往 laptop 的端口"), std::string::npos) << learn->explain.zh;

    // Onto the LAN from laptop, and out of the switch to host1.
    const sim::Hop* onto = firstHop(r, "laptop", sim::action::kTx);
    ASSERT_NE(onto, nullptr);
    EXPECT_NE(onto->explain.en.find("onto the hosts' LAN"), std::string::npos) << onto->explain.en;
    const sim::Hop* out = firstHop(r, "_lan", sim::action::kTx);
    ASSERT_NE(out, nullptr);
    EXPECT_NE(out->explain.en.find("out of its port to host1; it arrives on eth0 of host1"),
              std::string::npos)
        << out->explain.en;

    // The text report's node column names the switch too; JSON keeps the Plan's names.
    const std::string text = sim::traceText(r, "en");
    EXPECT_NE(text.find("LAN switch       to host1"), std::string::npos) << text;
    EXPECT_EQ(text.find("_lan"), std::string::npos) << text;
    EXPECT_EQ(learn->node, "_lan");
}

TEST(LanWords, TheRouterIsTheRouterInBothLanguages) {
    auto l = test::loadSource("scenarios/published-ports.yaml");
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = s.probe("web", "internet", model::Proto::Tcp, 80, std::nullopt, true);
    expectNoInternalNames(r);
    const sim::Hop* route = firstHop(r, "_router", sim::action::kRoute);
    ASSERT_NE(route, nullptr);
    EXPECT_EQ(route->explain.en.rfind("the router routes 203.0.113.10", 0), 0U)
        << route->explain.en;
    EXPECT_NE(route->explain.zh.find("路由器"), std::string::npos) << route->explain.zh;
    const std::string zh = sim::traceText(r, "zh");
    EXPECT_NE(zh.find("通往路由器"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("_router"), std::string::npos) << zh;
}
