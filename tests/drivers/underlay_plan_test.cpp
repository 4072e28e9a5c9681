// The machines around Docker (drivers/underlay.hpp): hosts, the LAN, externals, the router.
#include "test_util.hpp"

using namespace cnmlab::test;
using cnmlab::drivers::LinkKind;
using cnmlab::drivers::NetnsKind;
using V = std::vector<std::string>;

TEST(World, HostIsANamespaceOnTheLan) {
    auto b = build("services: {a: {}}");
    const auto* host = b->plan.findNetns("host1");
    ASSERT_NE(host, nullptr);
    EXPECT_EQ(host->kind, NetnsKind::Host);
    EXPECT_EQ(host->host, "host1");
    const Link* eth0 = b->plan.findLink("host1", "eth0");
    ASSERT_NE(eth0, nullptr);
    EXPECT_EQ(eth0->peerNetns, "_lan");
    const Link* port = b->plan.findLink("_lan", eth0->peerName);
    ASSERT_NE(port, nullptr);
    EXPECT_EQ(port->master, "br-lan");
    EXPECT_EQ(b->plan.findLink("_lan", "br-lan")->kind, LinkKind::Bridge);
    EXPECT_EQ(b->plan.findNetns("_lan")->kind, NetnsKind::Lan);
    const auto addrs = addressesIn(b->plan, "host1");
    EXPECT_TRUE(contains(addrs, "lo 127.0.0.1/8"));
    EXPECT_TRUE(contains(addrs, "eth0 192.168.100.11/24"));
}

TEST(World, NoRouterNoDefaultRoute) {
    auto b = build(R"(
x-externals: {laptop: {underlay: 192.168.100.50/24}}
services: {a: {}}
)");
    EXPECT_EQ(b->plan.findNetns("_router"), nullptr);
    EXPECT_TRUE(routesIn(b->plan, "host1").empty());
    EXPECT_TRUE(routesIn(b->plan, "laptop").empty());
    EXPECT_EQ(b->plan.findNetns("laptop")->kind, NetnsKind::External);
    EXPECT_TRUE(contains(addressesIn(b->plan, "laptop"), "eth0 192.168.100.50/24"));
}

TEST(World, ExternalsBeyondTheRouterAreMachinesOnLinesOfTheirOwn) {
    auto b = build(R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
x-externals:
  laptop: {underlay: 192.168.100.50/24}
  internet: {address: 203.0.113.10}
services: {a: {}}
)");
    ASSERT_NE(b->plan.findNetns("_router"), nullptr);
    EXPECT_EQ(b->plan.findNetns("_router")->kind, NetnsKind::Router);
    EXPECT_TRUE(contains(addressesIn(b->plan, "_router"), "eth0 192.168.100.1/24"));
    bool forwarding = false;
    for (const auto& s : b->plan.sysctls) {
        forwarding |= s.netns == "_router" && s.key == "net.ipv4.ip_forward" && s.value == "1";
    }
    EXPECT_TRUE(forwarding);
    for (const char* ns : {"host1", "host2", "laptop"}) {
        EXPECT_EQ(routesIn(b->plan, ns), V{"ip route add default via 192.168.100.1 dev eth0"})
            << ns;
    }
    // internet: its own namespace, only its own address, a line to the router.
    ASSERT_NE(b->plan.findNetns("internet"), nullptr);
    EXPECT_EQ(b->plan.findNetns("internet")->kind, NetnsKind::External);
    EXPECT_TRUE(contains(addressesIn(b->plan, "internet"), "eth0 203.0.113.10/32"));
    EXPECT_EQ(routesIn(b->plan, "internet"),
              V{"ip route add default via 192.168.100.1 dev eth0 onlink"});
    const Link* line = b->plan.findLink("internet", "eth0");
    ASSERT_NE(line, nullptr);
    EXPECT_EQ(line->peerNetns, "_router");
    EXPECT_EQ(routesIn(b->plan, "_router"),
              V{"ip route add 203.0.113.10/32 dev " + line->peerName});
    for (const auto& l : b->plan.links) {
        EXPECT_NE(l.kind, LinkKind::Dummy) << l.netns << " " << l.name;  // no stand-in address
    }
}

TEST(World, HostBuiltinChains) {
    auto b = build("services: {a: {}}");
    int filter = 0;
    int nat = 0;
    for (const auto& c : b->plan.chains) {
        if (c.netns == "host1" && c.builtin) {
            (c.table == NfTable::Filter ? filter : nat)++;
            EXPECT_EQ(c.policy,
                      c.name == "FORWARD" && c.table == NfTable::Filter ? "DROP" : "ACCEPT")
                << c.name;
        }
    }
    EXPECT_EQ(filter, 3);
    EXPECT_EQ(nat, 4);
}

// Names are the user's: machines and containers called like cnmlab's own
// objects (the LAN, the router, its ports) or like each other all get
// namespaces and ports of their own.
TEST(World, UserNamesNeverCollideWithCnmlabsOwn) {
    auto b = build(R"(
x-hosts:
  lan: {underlay: 192.168.100.11/24}
  router: {underlay: 192.168.100.12/24}
x-externals:
  br-lan: {underlay: 192.168.100.50/24}
  eth0: {address: 203.0.113.10}
  lo: {address: 203.0.113.11}
services:
  a: {container_name: lan, x-host: router}
)");
    EXPECT_EQ(b->plan.findNetns("lan")->kind, NetnsKind::Host);
    EXPECT_EQ(b->plan.findNetns("router")->kind, NetnsKind::Host);
    EXPECT_EQ(b->plan.findNetns("_lan")->kind, NetnsKind::Lan);
    EXPECT_EQ(b->plan.findNetns("_router")->kind, NetnsKind::Router);
    EXPECT_EQ(b->plan.findNetns("lan@router")->kind, NetnsKind::Sandbox);
    EXPECT_EQ(b->plan.findNetns("lan@router")->service, "a");
    // Ports named after machines, next to the hub's own devices.
    EXPECT_EQ(b->plan.findLink("_lan", "br-lan")->kind, LinkKind::Bridge);
    EXPECT_EQ(b->plan.findLink("_lan", "_br-lan")->peerNetns, "br-lan");
    EXPECT_EQ(b->plan.findLink("_router", "eth0")->peerNetns, "_lan");
    EXPECT_EQ(b->plan.findLink("_router", "_eth0")->peerNetns, "eth0");
    EXPECT_EQ(b->plan.findLink("_router", "_lo")->peerNetns, "lo");
}
