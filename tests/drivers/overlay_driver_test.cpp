// The overlay driver and the swarm half of the controller, Plan by Plan, for
// what docs/overlay.md measured on Docker 20.10 (tests/conformance holds the
// whole recordings to it fact by fact).
#include <algorithm>

#include "drivers/overlay_driver.hpp"
#include "test_util.hpp"

namespace {

using namespace cnmlab::test;

const char* kTwoHosts = R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
services:
  web: {x-host: host1, networks: [back], ports: ["8080:80"]}
  db: {x-host: host2, networks: [back]}
networks:
  back: {driver: overlay, attachable: true}
)";

const Link* linkIn(const Plan& p, const std::string& ns, const std::string& name) {
    return p.findLink(ns, name);
}

// ov_network.go joinSandbox, ov_utils.go createVxlan: br0 with the gateway,
// vxlan0 (VNI, 4789, learning, proxy, l2miss, l3miss) on it, one vethN per
// local endpoint (the load balancer's first), all at MTU 1450.
TEST(OverlayDriver, NamespaceHoldsBridgeVxlanAndOnePortPerLocalEndpoint) {
    auto b = build(kTwoHosts);
    const auto& net = *b->topo.findNetwork("back");
    const std::string ns = overlayNamespace(net, "host1");
    EXPECT_EQ(ns, "1-" + net.id.substr(0, 10) + "@host1");
    ASSERT_NE(b->plan.findNetns(ns), nullptr);
    EXPECT_EQ(b->plan.findNetns(ns)->kind, NetnsKind::Overlay);
    const Link* br = linkIn(b->plan, ns, "br0");
    ASSERT_NE(br, nullptr);
    EXPECT_EQ(br->mtu, 1450);
    const Link* vx = linkIn(b->plan, ns, "vxlan0");
    ASSERT_NE(vx, nullptr);
    EXPECT_EQ(vx->kind, LinkKind::Vxlan);
    EXPECT_EQ(vx->vni, 4097u);
    EXPECT_EQ(vx->dstPort, 4789);
    EXPECT_TRUE(vx->learning && vx->proxy && vx->l2miss && vx->l3miss);
    EXPECT_EQ(vx->master, "br0");
    EXPECT_EQ(vx->parentNetns, "host1");
    ASSERT_NE(linkIn(b->plan, ns, "veth0"), nullptr);  // the load balancer's
    ASSERT_NE(linkIn(b->plan, ns, "veth1"), nullptr);  // web's
    EXPECT_EQ(linkIn(b->plan, ns, "veth2"), nullptr);
    EXPECT_EQ(linkIn(b->plan, ns, "veth1")->master, "br0");
    bool gateway = false;
    for (const auto& a : b->plan.addresses) {
        gateway |= a.netns == ns && a.dev == "br0" && a.cidr.str() == "10.0.1.1/24";
    }
    EXPECT_TRUE(gateway);
    // The container's end: eth0 at the overlay MTU, then eth1 on docker_gwbridge.
    EXPECT_EQ(linkIn(b->plan, "shop-web-1", "eth0")->mtu, 1450);
    EXPECT_EQ(linkIn(b->plan, "shop-web-1", "eth1")->mtu, 1500);
}

// peerdb.go peerAdd: on each host, a permanent neighbour and FDB entry per
// endpoint of the network on the other host (container and load balancer),
// the FDB entry pointing at that host's address; none for local endpoints.
TEST(OverlayDriver, NetworkDbProgramsEveryRemoteEndpointStatically) {
    auto b = build(kTwoHosts);
    const auto& net = *b->topo.findNetwork("back");
    const std::string ns1 = overlayNamespace(net, "host1");
    std::vector<std::string> neigh;
    std::vector<std::string> fdb;
    for (const auto& n : b->plan.neighbors) {
        if (n.netns == ns1) {
            neigh.push_back(n.dev + " " + n.ip.str() + " " + cnmlab::model::macStr(n.mac));
        }
    }
    for (const auto& f : b->plan.fdb) {
        if (f.netns == ns1) {
            fdb.push_back(cnmlab::model::macStr(f.mac) + " " + f.remote->str());
        }
    }
    std::sort(neigh.begin(), neigh.end());
    std::sort(fdb.begin(), fdb.end());
    EXPECT_EQ(neigh, (std::vector<std::string>{"vxlan0 10.0.1.4 02:42:0a:00:01:04",
                                               "vxlan0 10.0.1.5 02:42:0a:00:01:05"}));
    EXPECT_EQ(fdb, (std::vector<std::string>{"02:42:0a:00:01:04 192.168.100.12",
                                             "02:42:0a:00:01:05 192.168.100.12"}));
}

// The ingress sandbox and a load balancer: eth0 on the overlay; only the
// ingress sandbox has docker_gwbridge (eth1) and a default route.
TEST(OverlayDriver, LoadBalancerAndIngressSandboxes) {
    auto b = build(kTwoHosts);
    const auto& ingress = *b->topo.findNetwork("ingress");
    const auto& back = *b->topo.findNetwork("back");
    const std::string ingressNs = loadBalancerNamespace(ingress, "host2");
    const std::string lbNs = loadBalancerNamespace(back, "host2");
    EXPECT_EQ(ingressNs, "ingress_sbox@host2");
    EXPECT_EQ(lbNs, "lb_" + back.id.substr(0, 9) + "@host2");
    std::vector<std::string> routes;
    for (const auto& r : b->plan.routes) {
        if (r.netns == ingressNs || r.netns == lbNs) {
            routes.push_back(r.netns + " " + r.dev + " " + (r.via ? r.via->str() : ""));
        }
    }
    EXPECT_EQ(routes, (std::vector<std::string>{ingressNs + " eth1 172.18.0.1"}));
    EXPECT_EQ(linkIn(b->plan, lbNs, "eth0")->mtu, 1450);
    EXPECT_EQ(linkIn(b->plan, lbNs, "eth1"), nullptr);
}

// A port published by an overlay-only container goes through docker_gwbridge
// on its own host (measured, 39): DNAT to its docker_gwbridge address.
TEST(OverlayDriver, PublishedPortIsMappedOnDockerGwbridge) {
    auto b = build(kTwoHosts);
    const std::string rules = iptablesSave(b->plan, "host1");
    EXPECT_NE(rules.find("-A DOCKER ! -i docker_gwbridge -p tcp -m tcp --dport 8080 -j DNAT "
                         "--to-destination 172.18.0.3:80"),
              std::string::npos)
        << rules;
    EXPECT_NE(rules.find("-A FORWARD -i docker_gwbridge -o docker_gwbridge -j DROP"),
              std::string::npos);  // ICC off
    EXPECT_EQ(iptablesSave(b->plan, "host2").find("8080"), std::string::npos);
}

}  // namespace
