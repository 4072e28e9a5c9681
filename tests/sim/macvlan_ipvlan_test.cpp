// macvlan and ipvlan in the simulated kernel, on Plans the drivers build, and
// explanations that are Chinese through and through under --lang zh.
#include <gtest/gtest.h>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "sim/scenario_sim.hpp"

#include "sim_test_util.hpp"

using namespace cnmlab;

namespace {

auto load(const std::string& yaml) {
    return test::loadYaml(yaml, "t.yaml");
}

bool reaches(sim::ScenarioSim& s, const std::string& from, const std::string& to) {
    return s.probe(from, to, model::Proto::Icmp, std::nullopt, std::nullopt, false).reachable;
}

const char* kMacvlan = R"(
name: t
x-externals: {laptop: {underlay: 192.168.100.50/24}}
services:
  a: {networks: [lan]}
  b: {networks: [lan]}
  p: {networks: [priv]}
networks:
  lan:
    driver: macvlan
    driver_opts: {parent: eth0}
    ipam: {config: [{subnet: 192.168.100.0/24, ip_range: 192.168.100.128/28}]}
  priv:
    driver: macvlan
    driver_opts: {macvlan_mode: private}
)";

}  // namespace

// Bridge mode: siblings talk directly, the LAN reaches them, the parent's own
// stack (the host) does not.
TEST(SlaveLinks, MacvlanBridgeModeSiblingsAndLanButNotTheHost) {
    auto l = load(kMacvlan);
    sim::ScenarioSim s(l->topo, l->plan);
    EXPECT_TRUE(reaches(s, "a", "b"));
    EXPECT_TRUE(reaches(s, "laptop", "a"));
    EXPECT_TRUE(reaches(s, "a", "laptop"));
    EXPECT_FALSE(reaches(s, "host1", "a"));
    EXPECT_FALSE(reaches(s, "a", "host1"));
    const auto trace = s.probe("a", "b", model::Proto::Icmp, std::nullopt, std::nullopt, true);
    bool direct = false;
    for (const auto& h : trace.hops) {
        direct = direct ||
                 h.explain.en.find("hands the frame straight to its sibling") != std::string::npos;
    }
    EXPECT_TRUE(direct);
}

// ipvlan l2: one MAC for all, demultiplexed by address; l3: no ARP at all.
TEST(SlaveLinks, IpvlanL2SharesTheParentMacAndL3DoesNoArp) {
    auto l = load(R"(
name: t
x-externals: {laptop: {underlay: 192.168.100.50/24}}
services:
  a: {networks: {lan: {ipv4_address: 192.168.100.130}}}
  b: {networks: [lan]}
networks:
  lan:
    driver: ipvlan
    driver_opts: {parent: eth0}
    ipam: {config: [{subnet: 192.168.100.0/24, ip_range: 192.168.100.128/28}]}
)");
    sim::ScenarioSim s(l->topo, l->plan);
    EXPECT_TRUE(reaches(s, "a", "b"));
    EXPECT_TRUE(reaches(s, "laptop", "a"));
    sim::ScenarioSim fresh(l->topo, l->plan);  // ARP caches still empty
    const auto trace =
        fresh.probe("laptop", "a", model::Proto::Icmp, std::nullopt, std::nullopt, true);
    bool arpAnsweredWithParentMac = false;
    const drivers::Link* eth0 = nullptr;
    for (const auto& lk : l->plan.links) {
        if (lk.netns == "host1" && lk.name == "eth0") {
            eth0 = &lk;
        }
    }
    ASSERT_NE(eth0, nullptr);
    for (const auto& h : trace.hops) {
        if (h.action == std::string("reply") && h.frame &&
            h.frame->ethertype == packet::kEtherTypeArp) {
            arpAnsweredWithParentMac = h.frame->arpSenderMac == eth0->mac;
        }
    }
    EXPECT_TRUE(arpAnsweredWithParentMac);

    auto l3 = load(R"(
name: t
x-externals: {laptop: {underlay: 192.168.100.50/24}}
services:
  a: {networks: [lan]}
  b: {networks: [lan]}
networks:
  lan:
    driver: ipvlan
    driver_opts: {parent: eth0, ipvlan_mode: l3}
    ipam: {config: [{subnet: 10.77.0.0/24}]}
)");
    sim::ScenarioSim s3(l3->topo, l3->plan);
    EXPECT_TRUE(reaches(s3, "a", "b"));        // a sibling, found by address
    EXPECT_FALSE(reaches(s3, "laptop", "a"));  // the LAN has no route to 10.77.0.0/24
    const auto t3 = s3.probe("a", "b", model::Proto::Icmp, std::nullopt, std::nullopt, true);
    for (const auto& h : t3.hops) {
        EXPECT_NE(h.action, std::string("arp")) << h.explain.en;
    }
}

// Every reason of every probe of a bridge scenario, in Chinese, carries the
// rule's Chinese sentence and none of its English one.
TEST(SlaveLinks, ChineseReasonsCarryChineseRuleSentences) {
    auto l = load(R"(
services:
  a: {networks: [red]}
  b: {networks: [blue], ports: ["8080:80"], x-listen: [80/tcp]}
networks:
  red: {}
  blue: {internal: true}
)");
    sim::ScenarioSim s(l->topo, l->plan);
    const sim::ReachMatrix m = s.reach();
    int withRule = 0;
    for (const auto& e : m.entries) {
        if (e.reason.rule == nullptr) {
            continue;
        }
        ++withRule;
        const sim::Text t = s.world().explain(e.reason);
        EXPECT_FALSE(e.reason.rule->whyZh.empty());
        EXPECT_NE(t.zh.find(e.reason.rule->whyZh), std::string::npos) << t.zh;
        EXPECT_EQ(t.zh.find(e.reason.rule->why), std::string::npos) << t.zh;
    }
    EXPECT_GT(withRule, 0);
}

// The host cannot reach its macvlan container because a parent never hands its
// own sub-interfaces what it sends: said so, and not "no host has that address".
TEST(SlaveLinks, TheHostsFailureToReachItsMacvlanContainerIsExplainedByTheParent) {
    auto l = load(kMacvlan);
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = s.probe("host1", "a", model::Proto::Icmp, std::nullopt, std::nullopt, false);
    ASSERT_FALSE(r.reachable);
    EXPECT_NE(r.reason.en.find("cannot reach its own sub-interfaces"), std::string::npos)
        << r.reason.en;
    EXPECT_NE(r.reason.en.find("macvlan sub-interface of host1's own eth0"), std::string::npos)
        << r.reason.en;
    EXPECT_EQ(r.reason.en.find("no host has that address"), std::string::npos) << r.reason.en;
    EXPECT_NE(r.reason.zh.find("子接口"), std::string::npos) << r.reason.zh;
    // A LAN address nobody has is still explained as that.
    const auto none =
        s.probe("host1", "192.168.100.99", model::Proto::Icmp, std::nullopt, std::nullopt, false);
    EXPECT_NE(none.reason.en.find("no host has that address"), std::string::npos) << none.reason.en;
}
