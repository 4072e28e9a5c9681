// cnmlab's weave plugin: what it describes (its journal), what the scenario's
// Plan gets from it through the protocol, and what it builds in a kernel.

#include <unistd.h>

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "drivers/plan_builder.hpp"
#include "live/netns.hpp"
#include "live/rtnl.hpp"
#include "model/compose_reader.hpp"
#include "model/topology.hpp"
#include "plugins/sdk/kernel_apply.hpp"
#include "plugins/shipped.hpp"
#include "plugins/weave/weave_plugin.hpp"

namespace {

using namespace cnmlab;
namespace remote = drivers::remote;

remote::CreateEndpointRequest endpoint(const std::string& id) {
    remote::CreateEndpointRequest r;
    r.networkId = "n1";
    r.endpointId = id;
    r.interface = remote::EndpointInterface{"10.32.0.2/16", "", ""};
    return r;
}

TEST(Weave, LaunchEndpointsAndPeersAreJournalled) {
    plugins::WeavePlugin weave("host1");
    auto& plan = *weave.hostPlan();
    ASSERT_NE(plan.plan().findLink("", "weave"), nullptr);
    const auto* vx = plan.plan().findLink("", "vxlan-6784");
    ASSERT_NE(vx, nullptr);
    EXPECT_EQ(vx->dstPort, 6784);
    EXPECT_EQ(vx->master, "weave");
    EXPECT_TRUE(vx->learning);

    remote::DiscoveryNotification peer;
    peer.discoveryType = 1;
    peer.discoveryData = {{"Address", "192.168.100.12"}, {"Self", false}};
    weave.discoverNew(peer);
    weave.discoverNew(peer);  // once per peer
    ASSERT_EQ(plan.plan().fdb.size(), 1U);
    EXPECT_EQ(plan.plan().fdb[0].remote->str(), "192.168.100.12");

    weave.createNetwork({"n1", remote::Json::object(), std::nullopt, std::nullopt});
    const auto reply = weave.createEndpoint(endpoint("abcdef0123456789"));
    ASSERT_TRUE(reply.interface);
    const auto* wg = plan.plan().findLink("", "vethwgabcdef01");
    ASSERT_NE(wg, nullptr);
    EXPECT_EQ(reply.interface->macAddress, model::macStr(wg->mac));
    EXPECT_EQ(plan.plan().findLink("", "vethwlabcdef01")->master, "weave");
    const auto join = weave.join({"n1", "abcdef0123456789", "/var/run/docker/netns/x", {}});
    ASSERT_TRUE(join.interfaceName);
    EXPECT_EQ(join.interfaceName->srcName, "vethwgabcdef01");
    EXPECT_EQ(join.interfaceName->dstPrefix, "ethwe");
    EXPECT_TRUE(join.gateway.empty());

    const std::size_t before = plan.size();
    weave.deleteEndpoint({"n1", "abcdef0123456789"});
    const auto changes = plan.changesSince(before);
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_EQ(changes[0]["Op"], "remove");
    EXPECT_EQ(changes[0]["Objects"].size(), 2U);
    EXPECT_EQ(plan.plan().findLink("", "vethwgabcdef01"), nullptr);
}

TEST(Weave, TheMulticastOptionAddsAConnectedRouteAndABadValueIsRefused) {
    plugins::WeavePlugin weave("h");
    remote::Json opts = {{"com.docker.network.generic", {{"works.weave.multicast", ""}}}};
    weave.createNetwork({"m", opts, std::nullopt, std::nullopt});
    weave.createEndpoint(endpoint("1111111111"));
    const auto join = weave.join({"m", "1111111111", "k", {}});
    ASSERT_EQ(join.staticRoutes.size(), 1U);
    EXPECT_EQ(join.staticRoutes[0].destination, "224.0.0.0/4");
    EXPECT_EQ(join.staticRoutes[0].routeType, 1);
    remote::Json bad = {{"com.docker.network.generic", {{"works.weave.multicast", "maybe"}}}};
    EXPECT_THROW(weave.createNetwork({"b", bad, std::nullopt, std::nullopt}), plugins::PluginError);
    EXPECT_THROW(plugins::WeavePlugin::parseOptions({"--scope", "cluster"}), std::invalid_argument);
    EXPECT_EQ(plugins::WeavePlugin::parseOptions({"--peer", "10.0.0.2", "--scope", "local"}).scope,
              "local");
}

// The scenario's Plan gets what each host's plugin built, over the protocol.
TEST(Weave, ThePlanHasWhatEachHostsPluginBuilt) {
    plugins::installShippedPlugins();
    const auto sc =
        model::readScenarioFile(std::string(CNMLAB_SOURCE_DIR) + "/scenarios/weave-mesh.yaml");
    const auto topo = model::resolve(sc);
    const auto plan = drivers::buildPlan(topo);
    for (const std::string host : {"host1", "host2"}) {
        ASSERT_NE(plan.findLink(host, "weave"), nullptr) << host;
        ASSERT_NE(plan.findLink(host, "vxlan-6784"), nullptr) << host;
    }
    const auto flood = std::find_if(plan.fdb.begin(), plan.fdb.end(), [](const auto& f) {
        return f.netns == "host1" && f.dev == "vxlan-6784";
    });
    ASSERT_NE(flood, plan.fdb.end());
    EXPECT_EQ(flood->remote->str(), "192.168.100.12");
    // web: ethwe0 from weave's Join, eth0 on docker_gwbridge with the default route.
    const auto* ethwe = plan.findLink("weavelab-web-1", "ethwe0");
    ASSERT_NE(ethwe, nullptr);
    EXPECT_EQ(ethwe->mtu, 1376);
    EXPECT_EQ(plan.findLink(ethwe->peerNetns, ethwe->peerName)->master, "weave");
    ASSERT_NE(plan.findLink("weavelab-web-1", "eth0"), nullptr);
    const auto def = std::find_if(plan.routes.begin(), plan.routes.end(), [](const auto& r) {
        return r.netns == "weavelab-web-1" && r.dst.prefix == 0;
    });
    ASSERT_NE(def, plan.routes.end());
    EXPECT_EQ(def->dev, "eth0");
    EXPECT_EQ(def->via->str(), "172.18.0.1");
}

// --live: the journal made in a kernel, and a removed endpoint's veth gone.
TEST(WeaveRoot, TheApplierBuildsTheJournalInItsNamespace) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root (CAP_NET_ADMIN in a namespace of its own)";
    }
    const std::string name = "cnmlab-test-weave-apply";
    live::deleteNamedNetns(name);
    const live::Fd ns = live::createNamedNetns(name);
    std::vector<std::string> links;
    std::vector<std::string> after;
    std::string error;
    std::thread t([&] {
        try {
            const live::NetnsGuard in(ns);
            plugins::WeavePlugin weave("host1");
            const plugins::KernelApplier kernel(*weave.hostPlan());
            weave.createNetwork({"n1", remote::Json::object(), std::nullopt, std::nullopt});
            weave.createEndpoint(endpoint("abcdef0123456789"));
            live::Rtnl rt(ns);
            links = rt.linkNames();
            weave.deleteEndpoint({"n1", "abcdef0123456789"});
            after = rt.linkNames();
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    t.join();
    live::deleteNamedNetns(name);
    ASSERT_EQ(error, "");
    for (const char* l : {"weave", "vxlan-6784", "vethwlabcdef01", "vethwgabcdef01"}) {
        EXPECT_NE(std::find(links.begin(), links.end(), l), links.end()) << l;
    }
    EXPECT_EQ(std::find(after.begin(), after.end(), "vethwlabcdef01"), after.end());
    EXPECT_EQ(std::find(after.begin(), after.end(), "vethwgabcdef01"), after.end());
}

}  // namespace
