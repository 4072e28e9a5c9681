// Encrypted overlays in the simulated kernel: what Docker programs
// (encryption.go: the mark, the INPUT rules, the SAs and the output policy)
// decides the packet's fate, rule by rule.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/scenario_sim.hpp"
#include "tests/sim/sim_test_util.hpp"

using namespace cnmlab;

namespace {

const char* kEncrypted = R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
services:
  web: {x-host: host1, networks: [secret]}
  peer: {x-host: host1, networks: [secret]}
  db: {x-host: host2, networks: [secret], x-listen: [5432/tcp]}
networks:
  secret: {driver: overlay, attachable: true, driver_opts: {encrypted: ""}}
)";

bool hasAction(const sim::ProbeRecord& r, const std::string& action, const std::string& node) {
    return std::any_of(r.hops.begin(), r.hops.end(),
                       [&](const sim::Hop& h) { return h.action == action && h.node == node; });
}

}  // namespace

// With Docker's SAs (a kernel with ESP, as Debian 12's): the VXLAN packet is
// marked, leaves host1 as ESP, is opened on host2, and passes INPUT there.
TEST(OverlayEncryption, CrossHostTrafficTravelsAsEsp) {
    auto l = test::loadYaml(kEncrypted, "enc.yaml");
    sim::ScenarioSim sim(l->topo, l->plan);
    const sim::ProbeRecord r = sim.probe("web", "db", model::Proto::Tcp, 5432, std::nullopt, true);
    EXPECT_TRUE(r.reachable) << r.reason.en;
    EXPECT_TRUE(hasAction(r, "encrypt", "host1"));
    EXPECT_TRUE(hasAction(r, "decrypt", "host2"));
    EXPECT_TRUE(hasAction(r, "encrypt", "host2"));  // the answer, the other way
    int esp = 0;
    for (const auto& h : r.hops) {
        if (h.node == "_lan" && h.frame && h.frame->ethertype == packet::kEtherTypeIpv4) {
            EXPECT_EQ(h.frame->ipProto, packet::kIpProtoEsp) << "VXLAN in clear on the LAN";
            esp += h.frame->ipProto == packet::kIpProtoEsp ? 1 : 0;
        }
    }
    EXPECT_GT(esp, 0);
}

// A kernel without ESP (as the recordings' one): no SA, and the policy
// drops what it matches (XfrmOutNoStates). Within a host nothing changes.
TEST(OverlayEncryption, WithoutSecurityAssociationsOnlyTrafficWithinAHostFlows) {
    auto l = test::loadYaml(kEncrypted, "enc.yaml");
    l->plan.xfrmStates.clear();
    sim::ScenarioSim sim(l->topo, l->plan);
    const sim::ProbeRecord across =
        sim.probe("web", "db", model::Proto::Icmp, std::nullopt, std::nullopt, false);
    EXPECT_FALSE(across.reachable);
    EXPECT_NE(across.reason.en.find("has no such SA"), std::string::npos) << across.reason.en;
    const sim::ProbeRecord within =
        sim.probe("web", "peer", model::Proto::Icmp, std::nullopt, std::nullopt, false);
    EXPECT_TRUE(within.reachable) << within.reason.en;
}

// Without the policies, VXLAN of the encrypted VNI leaves in clear and the
// receiving host's INPUT rule (-m policy --pol none ... -j DROP) drops it.
TEST(OverlayEncryption, VxlanInClearIsDroppedByTheInputRule) {
    auto l = test::loadYaml(kEncrypted, "enc.yaml");
    l->plan.xfrmPolicies.clear();
    sim::ScenarioSim sim(l->topo, l->plan);
    const sim::ProbeRecord r =
        sim.probe("web", "db", model::Proto::Icmp, std::nullopt, std::nullopt, false);
    EXPECT_FALSE(r.reachable);
    EXPECT_NE(r.reason.en.find("did not come through IPsec"), std::string::npos) << r.reason.en;
}

// encryption.go: MTU 1424 (1500 - 50 - 26); per pair of hosts an SA from the
// peer per key (three), one to it with the primary key, and one out policy.
TEST(OverlayEncryption, PlanHasDockersSasPolicyAndMtu) {
    auto l = test::loadYaml(kEncrypted, "enc.yaml");
    EXPECT_EQ(l->plan.xfrmStates.size(), 2u * 4u);
    EXPECT_EQ(l->plan.xfrmPolicies.size(), 2u);
    const auto& p = l->plan.xfrmPolicies.front();
    EXPECT_EQ(p.mark, 0xd0c4e3u);
    // buildSPI(192.168.100.11, 192.168.100.12, primary key tag 2): FNV-1a over
    // the 16-byte addresses and the tag, as computed independently.
    EXPECT_EQ(p.netns, "host1");
    EXPECT_EQ(p.spi, 0x9e0c4892u);
    const drivers::Link* eth0 = l->plan.findLink("enc-web-1", "eth0");
    ASSERT_NE(eth0, nullptr);
    EXPECT_EQ(eth0->mtu, 1424);
}
