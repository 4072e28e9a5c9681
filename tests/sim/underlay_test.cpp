// The machines around Docker in the simulated kernel: externals beyond the
// router as machines of their own, and neighbour resolution that fails as
// Linux's does (three requests a second apart, then ICMP host unreachable to
// whoever was waiting), on Plans the drivers build.
#include <gtest/gtest.h>

#include <algorithm>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "sim/scenario_sim.hpp"

#include "sim_test_util.hpp"

using namespace cnmlab;

namespace {

auto load(const std::string& yaml) {
    return test::loadYaml(yaml, "u.yaml");
}

sim::ProbeRecord trace(sim::ScenarioSim& s, const std::string& from, const std::string& to,
                       model::Proto proto = model::Proto::Icmp, std::optional<int> port = {}) {
    return s.probe(from, to, proto, port, std::nullopt, true);
}

std::size_t count(const std::vector<sim::Hop>& hops, const char* action, const std::string& node,
                  const std::string& text = "") {
    return static_cast<std::size_t>(std::count_if(hops.begin(), hops.end(), [&](const sim::Hop& h) {
        return h.action == action && h.node == node && h.explain.en.find(text) != std::string::npos;
    }));
}

const char* kBeyond = R"(
name: u
x-externals:
  laptop: {underlay: 192.168.100.50/24}
  internet: {address: 203.0.113.10}
  cloud: {address: 198.51.100.7}
services:
  web: {x-listen: [80], ports: ["8080:80"]}
)";

}  // namespace

// Two externals with `address:` are two machines behind the router, each with
// its own namespace and address: a ping between them crosses the router, and
// each answers for itself (before, both were the router's dummy0).
TEST(Underlay, ExternalsBeyondTheRouterAreMachinesOfTheirOwn) {
    auto l = load(kBeyond);
    EXPECT_NE(l->plan.findNetns("internet"), nullptr);
    EXPECT_NE(l->plan.findNetns("cloud"), nullptr);
    EXPECT_EQ(l->plan.findNetns("_router")->kind, drivers::NetnsKind::Router);
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = trace(s, "internet", "cloud");
    ASSERT_TRUE(r.reachable) << r.reason.en;
    EXPECT_EQ(count(r.hops, sim::action::kReply, "cloud", "echo reply"), 1u);
    EXPECT_GE(count(r.hops, sim::action::kRoute, "_router"), 2u);  // there and back
    EXPECT_EQ(count(r.hops, sim::action::kReply, "_router", "echo reply"), 0u);
    EXPECT_EQ(count(r.hops, sim::action::kReply, "internet", "echo reply"), 0u);
}

// A probe from an external beyond the router leaves with that external's own
// address, so the Docker host's DNAT and conntrack see who really connects.
TEST(Underlay, AProbeFromBeyondTheRouterCarriesTheExternalsAddress) {
    auto l = load(kBeyond);
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = trace(s, "internet", "host1", model::Proto::Tcp, 8080);
    ASSERT_TRUE(r.reachable) << r.reason.en;
    bool dnatSeen = false;
    for (const auto& h : r.hops) {
        if (h.node == "host1" && h.action == sim::action::kNat && h.frame &&
            h.frame->dstPort == 80) {
            dnatSeen = true;
            EXPECT_EQ(h.frame->ipSrc.str(), "203.0.113.10");
        }
    }
    EXPECT_TRUE(dnatSeen);
    // And the container on the other side answers the external, not the router.
    const auto back = trace(s, "web", "internet");
    EXPECT_TRUE(back.reachable) << back.reason.en;
    EXPECT_EQ(count(back.hops, sim::action::kReply, "internet", "echo reply"), 1u);
}

// An address nobody has on a container's own link: three ARP requests a
// second apart, then the entry fails and the waiting ping is freed with an
// ICMP host unreachable from the sender's own stack (ping's "Destination Host
// Unreachable"), three seconds in.
TEST(Underlay, AFailedNeighbourSendsHostUnreachableToTheSender) {
    auto l = load("name: u\nservices: {a: {}}\n");
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = trace(s, "a", "172.18.0.99");
    EXPECT_FALSE(r.reachable);
    EXPECT_NE(r.reason.en.find("got no ARP reply for 172.18.0.99"), std::string::npos)
        << r.reason.en;
    const std::string ns = "u-a-1";
    EXPECT_EQ(count(r.hops, sim::action::kArp, ns, "broadcasts an ARP request"), 1u);
    EXPECT_EQ(count(r.hops, sim::action::kArp, ns, "asks again"), 2u);
    const auto drop = std::find_if(r.hops.begin(), r.hops.end(), [](const sim::Hop& h) {
        return h.action == sim::action::kDrop;
    });
    ASSERT_NE(drop, r.hops.end());
    EXPECT_EQ(drop->t, 3'000'000u);
    const auto deliver = std::find_if(r.hops.begin(), r.hops.end(), [](const sim::Hop& h) {
        return h.action == sim::action::kDeliver;
    });
    ASSERT_NE(deliver, r.hops.end());
    ASSERT_TRUE(deliver->frame);
    EXPECT_EQ(deliver->frame->icmpType, 3);
    EXPECT_EQ(deliver->frame->icmpCode, 1);
    EXPECT_EQ(deliver->frame->ipSrc.str(), "172.18.0.2");
}

// A failed entry is not a verdict for ever: the next frame for it starts a new
// round of requests (__neigh_event_send), here the next probe.
TEST(Underlay, AFailedNeighbourIsAskedAgainByTheNextProbe) {
    auto l = load("name: u\nservices: {a: {}}\n");
    sim::ScenarioSim s(l->topo, l->plan);
    (void)trace(s, "a", "172.18.0.99");
    const auto again = trace(s, "a", "172.18.0.99");
    EXPECT_FALSE(again.reachable);
    EXPECT_EQ(count(again.hops, sim::action::kArp, "u-a-1", "broadcasts an ARP request"), 1u);
    EXPECT_EQ(count(again.hops, sim::action::kArp, "u-a-1", "asks again"), 2u);
}

// A router that cannot resolve the next hop tells the sender: the router
// (here the one in front of the LAN) sends ICMP host unreachable back.
TEST(Underlay, ARouterThatCannotResolveSendsHostUnreachableBack) {
    auto l = load(kBeyond);
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = trace(s, "internet", "192.168.100.77");
    EXPECT_FALSE(r.reachable);
    EXPECT_EQ(count(r.hops, sim::action::kArp, "_router", "asks again"), 2u);
    EXPECT_EQ(count(r.hops, sim::action::kReply, "_router", "ICMP host unreachable"), 1u);
    const auto deliver = std::find_if(r.hops.begin(), r.hops.end(), [](const sim::Hop& h) {
        return h.action == sim::action::kDeliver && h.node == "internet";
    });
    ASSERT_NE(deliver, r.hops.end());
    EXPECT_EQ(deliver->frame->icmpCode, 1);
    EXPECT_EQ(deliver->frame->ipSrc.str(), "192.168.100.1");
}
