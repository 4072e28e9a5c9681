// Live mode without root: the order of operations (through the recording
// executor), renaming, and the nftables translation of Docker's rules.
#include <gtest/gtest.h>

#include <algorithm>

#include "live/executor.hpp"
#include "live/lifecycle.hpp"
#include "live/nft.hpp"

#include "live_test_util.hpp"

using namespace cnmlab;
using cnmlab::test::load;

namespace {

std::size_t indexOf(const std::vector<std::string>& ops, const std::string& prefix) {
    auto it = std::find_if(ops.begin(), ops.end(),
                           [&](const std::string& op) { return op.rfind(prefix, 0) == 0; });
    return it == ops.end() ? ops.size() : static_cast<std::size_t>(it - ops.begin());
}

}  // namespace

TEST(LivePlan, NamespacesThenLinksThenAddressesThenRoutesThenRules) {
    auto l = load("scenarios/tour.yaml");
    live::RecordingExecutor rec;
    live::executePlan(l->plan, rec);
    const auto& ops = rec.ops;
    ASSERT_FALSE(ops.empty());
    const std::size_t firstLink = indexOf(ops, "ip -n host1 link add");
    const std::size_t lastNetns = [&] {
        std::size_t last = 0;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            if (ops[i].rfind("ip netns add", 0) == 0) {
                last = i;
            }
        }
        return last;
    }();
    EXPECT_LT(lastNetns, firstLink);
    EXPECT_LT(indexOf(ops, "ip -n host1 link add docker0 type bridge"),
              indexOf(ops, "ip -n host1 link set"));
    EXPECT_LT(indexOf(ops, "ip -n tour-web-1 addr add"),
              indexOf(ops, "ip -n tour-web-1 route add"));
    EXPECT_LT(indexOf(ops, "ip -n tour-web-1 route add"), indexOf(ops, "ip netns exec host1 nft"));
    // One creation per veth pair, not two.
    const auto veths = std::count_if(ops.begin(), ops.end(), [](const std::string& op) {
        return op.find("type veth") != std::string::npos;
    });
    const auto vethLinks =
        std::count_if(l->plan.links.begin(), l->plan.links.end(),
                      [](const drivers::Link& k) { return k.kind == drivers::LinkKind::Veth; });
    EXPECT_EQ(veths * 2, vethLinks);
}

// An overlay as ov_utils.go and peerdb.go make it: the VXLAN device made in
// the host's namespace straight into the overlay's, then the permanent
// neighbour entry and the FDB entry towards the other host.
TEST(LivePlan, OverlayVxlanIsMadeInTheHostAndItsPeersProgrammed) {
    auto l = load("tests/conformance/scenarios/36-overlay-two-hosts.yaml");
    live::RecordingExecutor rec;
    live::executePlan(l->plan, rec);
    const auto& ops = rec.ops;
    const std::string ovl = "1-" + l->topo.findNetwork("back")->id.substr(0, 10) + "@host1";
    const std::size_t vxlan = indexOf(ops, "ip -n host1 link add vxlan0 netns " + ovl +
                                               " type vxlan id 4097 dstport 4789 "
                                               "proxy l2miss l3miss");
    ASSERT_LT(vxlan, ops.size());
    const std::size_t neigh =
        indexOf(ops, "ip -n " + ovl + " neigh add 10.0.1.4 lladdr 02:42:0a:00:01:04 dev vxlan0");
    const std::size_t fdb = indexOf(ops, "bridge -n " + ovl +
                                             " fdb append 02:42:0a:00:01:04 dev vxlan0 dst "
                                             "192.168.100.12 self permanent");
    EXPECT_LT(vxlan, neigh);
    EXPECT_LT(neigh, fdb);
    EXPECT_LT(fdb, ops.size());
}

TEST(LivePlan, RenamesNamespacesAndShortensLongInterfaceNames) {
    auto l = load("scenarios/tour.yaml");
    const std::string prefix = live::livePrefix(l->sc);
    EXPECT_EQ(prefix.size(), 10u);
    const drivers::Plan p = live::livePlan(l->plan, prefix);
    for (const auto& ns : p.namespaces) {
        EXPECT_EQ(ns.name.rfind(prefix, 0), 0u) << ns.name;
    }
    for (const auto& link : p.links) {
        EXPECT_LE(link.name.size(), 15u) << link.name;
        EXPECT_EQ(link.netns.rfind(prefix, 0), 0u);
    }
    // A long name becomes a fixed 15-character one: its head and a hash of the
    // whole (pinned: `live down` of an older run must find the same names).
    EXPECT_EQ(live::shortIfname("a-very-long-interface"), "a-very-loe041fe");
    EXPECT_EQ(live::shortIfname("a-very-long-interface").size(), 15u);
    EXPECT_NE(live::shortIfname("a-very-long-interface"),
              live::shortIfname("a-very-long-interfacf"));
    EXPECT_EQ(live::shortIfname("eth0"), "eth0");
}

TEST(LivePlan, DockerRulesInNftablesSyntax) {
    auto l = load("scenarios/tour.yaml");
    const std::string script = live::nftScript(l->plan, "host1");
    EXPECT_NE(script.find("chain FORWARD { type filter hook forward priority 0; policy drop; }"),
              std::string::npos)
        << script;
    EXPECT_NE(script.find("jump DOCKER-USER"), std::string::npos);
    EXPECT_NE(script.find("ct state related,established accept"), std::string::npos);
    EXPECT_NE(script.find("fib daddr type local jump DOCKER"), std::string::npos);
    EXPECT_NE(script.find("masquerade"), std::string::npos);
    EXPECT_NE(script.find("tcp dport 8080 dnat to 172.18.0.2:80"), std::string::npos) << script;
}

// An encrypted overlay's rules in nftables: mangle OUTPUT as a route chain
// setting the mark, and INPUT matching the VNI and whether IPsec opened it.
TEST(LivePlan, EncryptedOverlayRulesInNftablesSyntax) {
    auto l = load("tests/conformance/scenarios/41-overlay-encrypted.yaml");
    const std::string script = live::nftScript(l->plan, "host1");
    EXPECT_NE(script.find("chain OUTPUT { type route hook output priority -150; policy accept; }"),
              std::string::npos)
        << script;
    EXPECT_NE(script.find("add rule ip mangle OUTPUT udp dport 4789 @th,96,24 4097 meta mark set "
                          "0xd0c4e3"),
              std::string::npos)
        << script;
    EXPECT_NE(script.find("add rule ip filter INPUT udp dport 4789 meta secpath missing "
                          "@th,96,24 4097 drop"),
              std::string::npos);
    EXPECT_NE(script.find("add rule ip filter INPUT udp dport 4789 meta secpath exists "
                          "@th,96,24 4097 accept"),
              std::string::npos);
}

TEST(LivePlan, DifferentScenariosGetDifferentPrefixes) {
    auto a = load("scenarios/tour.yaml");
    auto b = load("scenarios/icc-off.yaml");
    EXPECT_NE(live::livePrefix(a->sc), live::livePrefix(b->sc));
}
