// cnmlab's kuryr plugin: Neutron's ids and VNIs shared through the datastore,
// l2population from the other hosts' ports, the port's security group, and
// Join as kuryr-libnetwork answers it.

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/plugins/plugin_requests.hpp"

#include "drivers/plan_text.hpp"
#include "plugins/kuryr/kuryr_plugin.hpp"

namespace {

using namespace cnmlab;
namespace remote = drivers::remote;
using plugins::KuryrPlugin;

remote::CreateNetworkRequest network(const std::string& id, const std::string& pool) {
    return plugin_requests::networkRequest(id, pool);
}

remote::CreateEndpointRequest endpoint(const std::string& net, const std::string& id,
                                       const std::string& address) {
    return plugin_requests::endpointRequest(net, id, address);
}

remote::DiscoveryNotification self(const std::string& address) {
    return plugin_requests::selfDiscovery(address);
}

TEST(Kuryr, NetworksShareOneNeutronNetworkAndVniAcrossHosts) {
    auto store = std::make_shared<plugins::MemoryStore>();
    KuryrPlugin h1("host1", store);
    KuryrPlugin h2("host2", store);
    h1.createNetwork(network("netA", "10.10.0.0/24"));
    h1.createNetwork(network("netB", "10.20.0.0/24"));
    h2.createNetwork(network("netB", "10.20.0.0/24"));
    const std::string brqB = "brq" + KuryrPlugin::neutronNetwork("netB").substr(0, 11);
    ASSERT_NE(h1.hostPlan()->plan().findLink("", "vxlan-1001"), nullptr);
    const auto* vx1 = h1.hostPlan()->plan().findLink("", "vxlan-1002");
    const auto* vx2 = h2.hostPlan()->plan().findLink("", "vxlan-1002");
    ASSERT_NE(vx1, nullptr);
    ASSERT_NE(vx2, nullptr);  // host2 reads netB's VNI, it does not allocate one
    EXPECT_EQ(vx2->master, brqB);
    EXPECT_EQ(vx2->dstPort, 8472);
    EXPECT_FALSE(vx2->learning);
    EXPECT_EQ(h2.hostPlan()->plan().findLink("", "vxlan-1001"), nullptr);
}

TEST(Kuryr, L2populationFollowsTheOtherHostsPorts) {
    auto store = std::make_shared<plugins::MemoryStore>();
    KuryrPlugin h1("host1", store);
    KuryrPlugin h2("host2", store);
    h1.discoverNew(self("192.168.0.1"));
    h2.discoverNew(self("192.168.0.2"));
    h1.createNetwork(network("n", "10.10.0.0/24"));
    h2.createNetwork(network("n", "10.10.0.0/24"));
    const auto made = h2.createEndpoint(endpoint("n", "ep-on-host2", "10.10.0.5/24"));
    ASSERT_TRUE(made.interface);
    EXPECT_EQ(made.interface->macAddress.substr(0, 8), "fa:16:3e");
    h1.reconcile();
    const auto& fdb = h1.hostPlan()->plan().fdb;
    ASSERT_EQ(fdb.size(), 2U);  // the port's MAC and the host's flood entry
    for (const auto& f : fdb) {
        EXPECT_EQ(f.dev, "vxlan-1001");
        EXPECT_EQ(f.remote->str(), "192.168.0.2");
    }
    EXPECT_TRUE(std::any_of(fdb.begin(), fdb.end(), [&](const auto& f) {
        return model::macStr(f.mac) == made.interface->macAddress;
    }));
    h2.deleteEndpoint({"n", "ep-on-host2"});
    h1.reconcile();
    EXPECT_TRUE(h1.hostPlan()->plan().fdb.empty());
}

TEST(Kuryr, APortHasItsSecurityGroupAndJoinGivesTheGateway) {
    auto store = std::make_shared<plugins::MemoryStore>();
    KuryrPlugin k("host1", store);
    k.createNetwork(network("n", "10.10.0.0/24"));
    k.createEndpoint(endpoint("n", "e1", "10.10.0.2/24"));
    const std::string port = KuryrPlugin::neutronPort("e1");
    const std::string in = "neutron-linuxbri-i" + port.substr(0, 10);
    std::vector<std::string> rules;
    for (const auto& r : k.hostPlan()->plan().rules) {
        if (r.chain == in) {
            rules.push_back(drivers::ruleSpec(r));
        }
    }
    ASSERT_EQ(rules.size(), 3U);
    EXPECT_EQ(rules[1], "-A " + in + " -s 10.10.0.0/24 -j RETURN");
    EXPECT_EQ(rules[2], "-A " + in + " -j DROP");
    const auto join = k.join({"n", "e1", "/var/run/docker/netns/x", {}});
    EXPECT_EQ(join.gateway, "10.10.0.1");
    EXPECT_TRUE(join.disableGatewayService);
    EXPECT_EQ(join.interfaceName->srcName, "t_c" + port.substr(0, 11));
    EXPECT_EQ(join.interfaceName->dstPrefix, "eth");
    EXPECT_THROW(k.join({"nope", "e1", "", {}}), plugins::PluginError);
}

}  // namespace
