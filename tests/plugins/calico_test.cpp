// cnmlab's calico plugin and the model's copy of Calico's IPAM: blocks per
// host, /32 addresses, the dummy gateway, the refusals of Calico's plugin,
// and what Felix and BIRD put in the host.

#include <algorithm>

#include <gtest/gtest.h>

#include "drivers/plan_text.hpp"
#include "model/error.hpp"
#include "model/ipam_calico.hpp"
#include "plugins/calico/calico_plugin.hpp"

namespace {

using namespace cnmlab;
namespace remote = drivers::remote;
using plugins::CalicoPlugin;

TEST(CalicoIpam, HostsClaimBlocksInTurnAndAddressesStartAtTheBlock) {
    model::CalicoIpam ipam(*model::Cidr::parse("10.65.0.0/16"));
    EXPECT_EQ(ipam.assign("host1").str(), "10.65.0.0");
    EXPECT_EQ(ipam.assign("host2").str(), "10.65.0.64");
    EXPECT_EQ(ipam.assign("host1").str(), "10.65.0.1");
    for (int i = 0; i < 62; ++i) {
        ipam.assign("host1");
    }
    EXPECT_EQ(ipam.assign("host1").str(), "10.65.0.128");  // its first block is full
    ASSERT_EQ(ipam.blocks().size(), 3U);
    EXPECT_EQ(ipam.blocks()[2].second, "host1");
    EXPECT_THROW(ipam.assignIp(*model::Ipv4::parse("10.65.0.64"), "host1"), model::Error);
    EXPECT_THROW(ipam.assignIp(*model::Ipv4::parse("10.66.0.1"), "host1"), model::Error);
    model::CalicoIpam tiny(*model::Cidr::parse("10.9.9.0/30"));
    for (int i = 0; i < 4; ++i) {
        tiny.assign("h");
    }
    EXPECT_THROW(tiny.assign("h"), model::Error);
}

TEST(Calico, TheIpamAnswersAsCalicosDoes) {
    auto store = std::make_shared<plugins::MemoryStore>();
    CalicoPlugin h1("host1", store);
    CalicoPlugin h2("host2", store);
    EXPECT_EQ(h1.addressSpaces().globalDefaultAddressSpace, "CalicoGlobalAddressSpace");
    const auto any = h1.requestPool({"CalicoGlobalAddressSpace", "", "", {}, false});
    EXPECT_EQ(any.pool, "0.0.0.0/0");
    EXPECT_EQ(any.poolId, "CalicoPoolIPv4");
    EXPECT_EQ(any.data.at("com.docker.network.gateway"), "0.0.0.0/0");
    const auto pool = h1.requestPool({"CalicoGlobalAddressSpace", "10.65.0.0/16", "", {}, false});
    EXPECT_EQ(pool.poolId, "10.65.0.0/16");
    EXPECT_THROW(h1.requestPool({"x", "10.65.0.0/16", "10.65.1.0/24", {}, false}),
                 plugins::PluginError);
    EXPECT_THROW(h1.requestPool({"x", "", "", {{"a", "b"}}, false}), plugins::PluginError);
    EXPECT_THROW(h1.requestAddress(
                     {pool.poolId, "", {{"RequestAddressType", "com.docker.network.gateway"}}}),
                 plugins::PluginError);
    // The two hosts share the datastore: each claims its own block.
    EXPECT_EQ(h1.requestAddress({pool.poolId, "", {}}).address, "10.65.0.0/32");
    EXPECT_EQ(h2.requestAddress({pool.poolId, "", {}}).address, "10.65.0.64/32");
    EXPECT_EQ(h1.requestAddress({pool.poolId, "", {}}).address, "10.65.0.1/32");
    EXPECT_EQ(h1.requestAddress({"CalicoPoolIPv4", "", {}}).address, "192.168.0.0/32");
}

remote::CreateNetworkRequest network(const std::string& id, const std::string& gateway) {
    remote::CreateNetworkRequest r;
    r.networkId = id;
    r.options = {{"com.docker.network.enable_ipv6", false},
                 {"com.docker.network.generic", remote::Json::object()}};
    remote::IpamData d;
    d.addressSpace = "CalicoGlobalAddressSpace";
    d.pool = "10.65.0.0/16";
    d.gateway = gateway;
    r.ipv4Data = std::vector<remote::IpamData>{d};
    return r;
}

TEST(Calico, TheNetworkDriverRefusesDockersIpamAndOptions) {
    auto store = std::make_shared<plugins::MemoryStore>();
    CalicoPlugin c("host1", store);
    try {
        c.createNetwork(network("n", "10.65.0.1/16"));
        FAIL() << "accepted";
    } catch (const plugins::PluginError& e) {
        EXPECT_STREQ(e.what(),
                     "Non-Calico IPAM driver is used. Note: Docker before 1.12.3 is unsupported");
    }
    auto opts = network("n", "0.0.0.0/0");
    opts.options["com.docker.network.generic"] = {{"foo", "bar"}};
    try {
        c.createNetwork(opts);
        FAIL() << "accepted";
    } catch (const plugins::PluginError& e) {
        EXPECT_STREQ(e.what(), "Calico driver does not support the flag foo.");
    }
}

TEST(Calico, JoinGivesTheLinkLocalGatewayAndFelixProgramsTheHost) {
    auto store = std::make_shared<plugins::MemoryStore>();
    CalicoPlugin h1("host1", store);
    CalicoPlugin h2("host2", store);
    remote::DiscoveryNotification self;
    self.discoveryType = 1;
    self.discoveryData = {{"Address", "192.168.100.12"}, {"Self", true}};
    h2.discoverNew(self);
    h1.createNetwork(network("netid0123456789", "0.0.0.0/0"));
    const auto a = h1.requestAddress({"10.65.0.0/16", "", {}});
    const auto made = h1.createEndpoint(
        {"netid0123456789", "ep0123456789abc", remote::EndpointInterface{a.address, "", ""}, {}});
    EXPECT_EQ(made.interface->macAddress, "EE:EE:EE:EE:EE:EE");
    const auto join = h1.join({"netid0123456789", "ep0123456789abc", "k", {}});
    EXPECT_EQ(join.gateway, "169.254.1.1");
    ASSERT_EQ(join.staticRoutes.size(), 1U);
    EXPECT_EQ(join.staticRoutes[0].destination, "169.254.1.1/32");
    EXPECT_EQ(join.staticRoutes[0].routeType, 1);
    EXPECT_EQ(join.interfaceName->srcName, "tempep012345678");
    const auto& plan = h1.hostPlan()->plan();
    EXPECT_TRUE(std::any_of(plan.sysctls.begin(), plan.sysctls.end(), [](const auto& s) {
        return s.key == "net.ipv4.conf.caliep012345678.proxy_arp" && s.value == "1";
    }));
    EXPECT_TRUE(std::any_of(plan.routes.begin(), plan.routes.end(), [](const auto& r) {
        return r.dst.str() == "10.65.0.0/32" && r.dev == "caliep012345678";
    }));
    // BGP: host2 claims a block; host1's BIRD learns a route to it.
    h2.createNetwork(network("netid0123456789", "0.0.0.0/0"));
    h2.requestAddress({"10.65.0.0/16", "", {}});
    h2.reconcile();
    h1.reconcile();
    const auto& routes = h1.hostPlan()->plan().routes;
    const auto bgp = std::find_if(routes.begin(), routes.end(),
                                  [](const auto& r) { return r.dst.str() == "10.65.0.64/26"; });
    ASSERT_NE(bgp, routes.end());
    EXPECT_EQ(bgp->via->str(), "192.168.100.12");
    const auto changes = h1.hostPlan()->changesSince(0);
    EXPECT_TRUE(std::any_of(changes.begin(), changes.end(), [](const auto& c) {
        return c.contains("Note") &&
               c["Note"].template get<std::string>().find("BGP: host2") != std::string::npos;
    }));
    h1.leave({"netid0123456789", "ep0123456789abc"});
    EXPECT_EQ(h1.hostPlan()->plan().findLink("", "caliep012345678"), nullptr);
}

}  // namespace
