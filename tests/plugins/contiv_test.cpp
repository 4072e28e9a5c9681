// cnmlab's contiv plugin: VLAN networks as a bridge with an 802.1Q uplink,
// VXLAN networks with a gateway on every host and netmaster's endpoints
// programmed on the VXLAN device, the tags shared across hosts, and the
// errors netmaster gives.

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/plugins/plugin_requests.hpp"

#include "plugins/contiv/contiv_plugin.hpp"

namespace {

using namespace cnmlab;
namespace remote = drivers::remote;
using plugins::ContivPlugin;

remote::CreateNetworkRequest network(const std::string& id, const std::string& pool,
                                     const std::string& encap, const std::string& tag) {
    remote::CreateNetworkRequest r = plugin_requests::networkRequest(id, pool);
    r.options["com.docker.network.generic"] = remote::Json::object();
    if (!encap.empty()) {
        r.options["com.docker.network.generic"]["encap"] = encap;
    }
    if (!tag.empty()) {
        r.options["com.docker.network.generic"]["pkt-tag"] = tag;
    }
    return r;
}

remote::CreateEndpointRequest endpoint(const std::string& net, const std::string& id,
                                       const std::string& address) {
    return plugin_requests::endpointRequest(net, id, address);
}

remote::DiscoveryNotification self(const std::string& address) {
    return plugin_requests::selfDiscovery(address);
}

TEST(Contiv, AVlanNetworkIsABridgeWhoseUplinkIsTheVlanSubInterface) {
    auto store = std::make_shared<plugins::MemoryStore>();
    ContivPlugin c("host1", store);
    c.createNetwork(network("blue", "10.50.0.0/24", "vlan", "50"));
    const auto& plan = c.hostPlan()->plan();
    const auto* br = plan.findLink("", "contivVlan50");
    const auto* up = plan.findLink("", "eth0.50");
    ASSERT_NE(br, nullptr);
    ASSERT_NE(up, nullptr);
    EXPECT_EQ(up->kind, drivers::LinkKind::Vlan);
    EXPECT_EQ(up->vlanId, 50);
    EXPECT_EQ(up->parent, "eth0");
    EXPECT_EQ(up->master, "contivVlan50");
    EXPECT_TRUE(plan.addresses.empty());  // the VLAN's gateway is the LAN's router
    const auto join = [&] {
        c.createEndpoint(endpoint("blue", "e1e1e1e1e1", "10.50.0.2/24"));
        return c.join({"blue", "e1e1e1e1e1", "/var/run/docker/netns/x", {}});
    }();
    EXPECT_EQ(join.gateway, "10.50.0.1");
    EXPECT_TRUE(join.disableGatewayService);
    EXPECT_EQ(join.interfaceName->srcName, "vvpeere1e1e1e1");
    const auto* peer = c.hostPlan()->plan().findLink("", "vvpeere1e1e1e1");
    ASSERT_NE(peer, nullptr);
    EXPECT_EQ(model::macStr(peer->mac), "02:02:0a:32:00:02");  // netmaster's MAC
}

TEST(Contiv, TheTrunkInterfaceIsAnOption) {
    auto store = std::make_shared<plugins::MemoryStore>();
    ContivPlugin c("host1", store, ContivPlugin::parseOptions({"--vlan-if", "eth1"}));
    c.createNetwork(network("blue", "10.50.0.0/24", "vlan", "50"));
    EXPECT_NE(c.hostPlan()->plan().findLink("", "eth1.50"), nullptr);
    EXPECT_THROW(ContivPlugin::parseOptions({"--vlan-if"}), std::invalid_argument);
}

TEST(Contiv, AVxlanNetworkHasAnAnycastGatewayOnEveryHost) {
    auto store = std::make_shared<plugins::MemoryStore>();
    ContivPlugin h1("host1", store);
    ContivPlugin h2("host2", store);
    h1.createNetwork(network("red", "10.70.0.0/24", "", ""));  // vxlan, the lowest free VNI
    h2.createNetwork(network("red", "10.70.0.0/24", "", ""));
    for (ContivPlugin* c : {&h1, &h2}) {
        const auto& plan = c->hostPlan()->plan();
        const auto* br = plan.findLink("", "contivVx1");
        const auto* vx = plan.findLink("", "vxif1");
        ASSERT_NE(br, nullptr);
        ASSERT_NE(vx, nullptr);
        EXPECT_EQ(model::macStr(br->mac), ContivPlugin::kAnycastGatewayMac);
        EXPECT_EQ(vx->vni, 1U);
        EXPECT_FALSE(vx->learning);
        EXPECT_TRUE(vx->proxy);
        ASSERT_EQ(plan.addresses.size(), 1U);
        EXPECT_EQ(plan.addresses[0].cidr.str(), "10.70.0.1/24");
    }
}

TEST(Contiv, NetmasterProgramsTheOtherHostsEndpoints) {
    auto store = std::make_shared<plugins::MemoryStore>();
    ContivPlugin h1("host1", store);
    ContivPlugin h2("host2", store);
    h1.discoverNew(self("192.168.0.1"));
    h2.discoverNew(self("192.168.0.2"));
    h1.createNetwork(network("red", "10.70.0.0/24", "vxlan", "10"));
    h2.createNetwork(network("red", "10.70.0.0/24", "vxlan", "10"));
    h1.createNetwork(network("blue", "10.50.0.0/24", "vlan", "50"));
    h2.createNetwork(network("blue", "10.50.0.0/24", "vlan", "50"));
    h2.createEndpoint(endpoint("red", "r2r2r2r2r2", "10.70.0.3/24"));
    h2.createEndpoint(endpoint("blue", "b2b2b2b2b2", "10.50.0.3/24"));
    h1.reconcile();
    const auto& plan = h1.hostPlan()->plan();
    ASSERT_EQ(plan.fdb.size(), 1U);  // the VLAN's endpoints are the LAN's to learn
    EXPECT_EQ(plan.fdb[0].dev, "vxif10");
    EXPECT_EQ(model::macStr(plan.fdb[0].mac), "02:02:0a:46:00:03");
    EXPECT_EQ(plan.fdb[0].remote->str(), "192.168.0.2");
    ASSERT_EQ(plan.neighbors.size(), 1U);
    EXPECT_EQ(plan.neighbors[0].ip.str(), "10.70.0.3");
    h2.deleteEndpoint({"red", "r2r2r2r2r2"});
    h1.reconcile();
    EXPECT_TRUE(h1.hostPlan()->plan().fdb.empty());
    EXPECT_TRUE(h1.hostPlan()->plan().neighbors.empty());
}

TEST(Contiv, NetmasterRefusesWhatItCannotAllocate) {
    auto store = std::make_shared<plugins::MemoryStore>();
    ContivPlugin c("host1", store);
    auto refuses = [&](const remote::CreateNetworkRequest& r, const std::string& words) {
        try {
            c.createNetwork(r);
            ADD_FAILURE() << "accepted " << r.networkId;
        } catch (const plugins::PluginError& e) {
            EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        }
    };
    refuses(network("a", "10.1.0.0/24", "vlan", ""), "encap vlan needs pkt-tag");
    refuses(network("b", "10.2.0.0/24", "gre", ""), "invalid encap 'gre'");
    refuses(network("c", "10.3.0.0/24", "vlan", "4095"), "invalid pkt-tag '4095'");
    c.createNetwork(network("d", "10.4.0.0/24", "vlan", "50"));
    refuses(network("e", "10.5.0.0/24", "vlan", "50"), "vlan 50 is already in use");
    c.createNetwork(network("f", "10.6.0.0/24", "vxlan", "50"));  // VNI 50: another space
    EXPECT_NE(c.hostPlan()->plan().findLink("", "vxif50"), nullptr);
}

}  // namespace
