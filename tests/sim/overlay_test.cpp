// Overlays from a scenario file: the simulated kernel runs the Plan the
// overlay driver and networkdb wrote (tests/sim/vxlan_test.cpp has the device
// itself on hand-built Plans).
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/scenario_sim.hpp"
#include "tests/sim/sim_test_util.hpp"

using namespace cnmlab;

// The control plane is a step of the trace: before vxlan0 answers ARP for
// the remote container, a `networkdb` hop says which entries peerAdd wrote
// and for which host's endpoint.
TEST(Overlay, TheNetworkDbsEntriesAreAStepOfTheTrace) {
    auto l = test::loadSource("tests/conformance/scenarios/36-overlay-two-hosts.yaml");
    sim::ScenarioSim sim(l->topo, l->plan);
    const sim::ProbeRecord r =
        sim.probe("web", "db", model::Proto::Icmp, std::nullopt, std::nullopt, true);
    ASSERT_TRUE(r.reachable) << r.reason.en;
    const auto peer = std::find_if(r.hops.begin(), r.hops.end(), [](const sim::Hop& h) {
        return h.action == sim::action::kNetworkDb;
    });
    ASSERT_NE(peer, r.hops.end());
    EXPECT_EQ(peer->device, "vxlan0");
    EXPECT_NE(peer->explain.en.find("joined this overlay on host2"), std::string::npos)
        << peer->explain.en;
    EXPECT_NE(peer->explain.en.find("dst 192.168.100.12"), std::string::npos);
    ASSERT_NE(peer + 1, r.hops.end());
    EXPECT_EQ((peer + 1)->action, sim::action::kReply);  // then the proxy's answer
}

// Hosts have no route into an overlay; the same address on docker_gwbridge
// on every host means the container only on its own host (to: SERVICE).
TEST(Overlay, AHostReachesItsOwnContainerOnlyThroughDockerGwbridge) {
    auto l = test::loadSource("tests/conformance/scenarios/36-overlay-two-hosts.yaml");
    sim::ScenarioSim sim(l->topo, l->plan);
    const auto overlay =
        sim.probe("host1", "web", model::Proto::Icmp, std::nullopt, std::string("back"), false);
    EXPECT_FALSE(overlay.reachable);
    const auto own = sim.probe("host1", "web", model::Proto::Icmp, std::nullopt,
                               std::string("docker_gwbridge"), false);
    EXPECT_TRUE(own.reachable) << own.reason.en;
    const auto other =
        sim.probe("host1", "db", model::Proto::Icmp, std::nullopt, std::nullopt, false);
    EXPECT_FALSE(other.reachable) << "db's docker_gwbridge address is host2's business";
}
