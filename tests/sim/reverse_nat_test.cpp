// Every NAT is a hop, both ways: what conntrack undoes for a reply (the DNAT of
// a published port, the MASQUERADE of a container's outgoing connection) is a
// hop of its own, with its sentence, where it happens.
#include <gtest/gtest.h>

#include "sim/scenario_sim.hpp"

#include "sim_test_util.hpp"

using namespace cnmlab;

namespace {

auto load(const std::string& rel) {
    return test::loadSource(rel);
}

std::vector<const sim::Hop*> natHops(const sim::ProbeRecord& r) {
    std::vector<const sim::Hop*> out;
    for (const auto& h : r.hops) {
        if (h.action == sim::action::kNat) {
            out.push_back(&h);
        }
    }
    return out;
}

}  // namespace

TEST(ReverseNat, APublishedPortsReplyShowsTheDnatUndone) {
    auto l = load("scenarios/published-ports.yaml");
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = s.probe("laptop", "host1", model::Proto::Tcp, 8080, std::nullopt, true);
    ASSERT_TRUE(r.reachable) << r.reason.en;
    const auto nats = natHops(r);
    ASSERT_EQ(nats.size(), 2U);
    EXPECT_NE(nats[0]->explain.en.find("DNAT in nat DOCKER"), std::string::npos);
    const sim::Hop& back = *nats[1];
    EXPECT_EQ(back.node, "host1");
    EXPECT_EQ(back.device, "eth0");
    EXPECT_NE(back.explain.en.find("undoes the DNAT"), std::string::npos) << back.explain.en;
    EXPECT_NE(back.explain.en.find("172.18.0.2:80 becomes 192.168.100.11:8080"), std::string::npos)
        << back.explain.en;
    EXPECT_NE(back.explain.zh.find("撤销 DNAT"), std::string::npos) << back.explain.zh;
    // The frame at the hop is already rewritten: the SYN-ACK from 8080.
    ASSERT_NE(back.frame, nullptr);
    EXPECT_EQ(back.frame->srcPort, 8080);
    EXPECT_EQ(back.frame->ipSrc, model::Ipv4(192, 168, 100, 11));
}

TEST(ReverseNat, AMasqueradedConnectionsReplyShowsTheMasqueradeUndone) {
    auto l = load("scenarios/published-ports.yaml");
    sim::ScenarioSim s(l->topo, l->plan);
    const auto r = s.probe("web", "laptop", model::Proto::Icmp, std::nullopt, std::nullopt, true);
    ASSERT_TRUE(r.reachable) << r.reason.en;
    const auto nats = natHops(r);
    ASSERT_EQ(nats.size(), 2U);
    EXPECT_NE(nats[0]->explain.en.find("MASQUERADE in nat POSTROUTING"), std::string::npos);
    EXPECT_NE(nats[1]->explain.en.find("undoes the MASQUERADE"), std::string::npos)
        << nats[1]->explain.en;
    EXPECT_EQ(nats[1]->frame->ipDst, l->topo.findContainer("web")->endpoints.front().ipv4);
}
