// The machines around Docker (world.hpp): hosts, the LAN, externals, the router.
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
    EXPECT_EQ(eth0->peerNetns, "lan");
    const Link* port = b->plan.findLink("lan", eth0->peerName);
    ASSERT_NE(port, nullptr);
    EXPECT_EQ(port->master, "br-lan");
    EXPECT_EQ(b->plan.findLink("lan", "br-lan")->kind, LinkKind::Bridge);
    EXPECT_EQ(b->plan.findNetns("lan")->kind, NetnsKind::Lan);
    const auto addrs = addressesIn(b->plan, "host1");
    EXPECT_TRUE(contains(addrs, "lo 127.0.0.1/8"));
    EXPECT_TRUE(contains(addrs, "eth0 192.168.100.11/24"));
}

TEST(World, NoRouterNoDefaultRoute) {
    auto b = build(R"(
x-externals: {laptop: {underlay: 192.168.100.50/24}}
services: {a: {}}
)");
    EXPECT_EQ(b->plan.findNetns("router"), nullptr);
    EXPECT_TRUE(routesIn(b->plan, "host1").empty());
    EXPECT_TRUE(routesIn(b->plan, "laptop").empty());
    EXPECT_EQ(b->plan.findNetns("laptop")->kind, NetnsKind::External);
    EXPECT_TRUE(contains(addressesIn(b->plan, "laptop"), "eth0 192.168.100.50/24"));
}

TEST(World, RouterHoldsAddressedExternalsAndIsEveryonesGateway) {
    auto b = build(R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
x-externals:
  laptop: {underlay: 192.168.100.50/24}
  internet: {address: 203.0.113.10}
services: {a: {}}
)");
    ASSERT_NE(b->plan.findNetns("router"), nullptr);
    EXPECT_EQ(b->plan.findNetns("internet"), nullptr);
    const auto addrs = addressesIn(b->plan, "router");
    EXPECT_TRUE(contains(addrs, "eth0 192.168.100.1/24"));
    EXPECT_TRUE(contains(addrs, "dummy0 203.0.113.10/32"));
    EXPECT_EQ(b->plan.findLink("router", "dummy0")->kind, LinkKind::Dummy);
    bool forwarding = false;
    for (const auto& s : b->plan.sysctls) {
        forwarding |= s.netns == "router" && s.key == "net.ipv4.ip_forward" && s.value == "1";
    }
    EXPECT_TRUE(forwarding);
    for (const char* ns : {"host1", "host2", "laptop"}) {
        EXPECT_EQ(routesIn(b->plan, ns), V{"ip route add default via 192.168.100.1 dev eth0"})
            << ns;
    }
    EXPECT_TRUE(routesIn(b->plan, "router").empty());
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

TEST(World, NamespaceNameClashIsAConflict) {
    const auto e = planError("services: {a: {container_name: lan}}");
    EXPECT_EQ(e.kind(), cnmlab::model::ErrorKind::Conflict);
    EXPECT_NE(e.message().find("'lan'"), std::string::npos);
}
