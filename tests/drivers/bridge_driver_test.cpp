// The bridge driver's devices, addresses and routes (libnetwork
// drivers/bridge/bridge.go, setup_device.go; sandbox.go for the gateway).
#include <regex>

#include "test_util.hpp"

using namespace cnmlab::test;
using cnmlab::drivers::LinkKind;
using V = std::vector<std::string>;

namespace {

const Link* sandboxEnd(const Plan& plan, const std::string& netns, const std::string& name) {
    return plan.findLink(netns, name);
}

}  // namespace

TEST(BridgeDriver, DefaultBridgeIsDocker0WithItsGateway) {
    auto b = build("services: {legacy: {network_mode: bridge}}");
    const Link* br = b->plan.findLink("host1", "docker0");
    ASSERT_NE(br, nullptr);
    EXPECT_EQ(br->kind, LinkKind::Bridge);
    EXPECT_EQ(cnmlab::model::macStr(br->mac).substr(0, 6), "02:42:");
    EXPECT_TRUE(contains(addressesIn(b->plan, "host1"), "docker0 172.17.0.1/16"));
}

TEST(BridgeDriver, Docker0ExistsEvenWhenUnused) {
    auto b = build("services: {a: {}}");
    EXPECT_NE(b->plan.findLink("host1", "docker0"), nullptr);
}

TEST(BridgeDriver, UserBridgeIsBrPlus12HexOfTheNetworkId) {
    auto b = build("services: {a: {}}");
    const std::string name = b->bridgeOf("default");
    EXPECT_TRUE(std::regex_match(name, std::regex("br-[0-9a-f]{12}")));
    ASSERT_NE(b->plan.findLink("host1", name), nullptr);
    EXPECT_TRUE(contains(addressesIn(b->plan, "host1"), name + " 172.18.0.1/16"));
}

TEST(BridgeDriver, BridgeNameOption) {
    auto b = build(R"(
services: {a: {networks: [front]}}
networks:
  front: {driver_opts: {com.docker.network.bridge.name: shopbr0}}
)");
    EXPECT_NE(b->plan.findLink("host1", "shopbr0"), nullptr);
    EXPECT_EQ(b->plan.findLink("host1", b->bridgeOf("front")), nullptr);
}

TEST(BridgeDriver, BridgeMacIsDeterministic) {
    auto a = build("services: {a: {}}");
    auto b = build("services: {a: {}}");
    const std::string br = a->bridgeOf("default");
    EXPECT_EQ(a->plan.findLink("host1", br)->mac, b->plan.findLink("host1", br)->mac);
    EXPECT_NE(a->plan.findLink("host1", br)->mac, a->plan.findLink("host1", "docker0")->mac);
}

TEST(BridgeDriver, VethPairFromBridgeToEth0) {
    auto b = build("services: {web: {}}");
    const Link* eth0 = sandboxEnd(b->plan, "shop-web-1", "eth0");
    ASSERT_NE(eth0, nullptr);
    EXPECT_EQ(eth0->kind, LinkKind::Veth);
    EXPECT_EQ(eth0->peerNetns, "host1");
    EXPECT_TRUE(std::regex_match(eth0->peerName, std::regex("veth[0-9a-f]{7}")));
    const Link* outside = b->plan.findLink("host1", eth0->peerName);
    ASSERT_NE(outside, nullptr);
    EXPECT_EQ(outside->master, b->bridgeOf("default"));
    EXPECT_EQ(outside->peerNetns, "shop-web-1");
    EXPECT_EQ(outside->peerName, "eth0");
    // Deterministic from the endpoint id.
    EXPECT_EQ(eth0->peerName, "veth" + b->endpoint("web", "default").id.substr(0, 7));
}

TEST(BridgeDriver, ContainerAddressAndMacOnEth0) {
    auto b = build("services: {web: {}}");
    EXPECT_EQ(addressesIn(b->plan, "shop-web-1"), (V{"lo 127.0.0.1/8", "eth0 172.18.0.2/16"}));
    EXPECT_EQ(cnmlab::model::macStr(b->plan.findLink("shop-web-1", "eth0")->mac),
              "02:42:ac:12:00:02");
    EXPECT_EQ(b->plan.findNetns("shop-web-1")->kind, cnmlab::drivers::NetnsKind::Sandbox);
    EXPECT_EQ(b->plan.findNetns("shop-web-1")->service, "web");
}

// electMacAddress keeps the user's MAC (mac_address, on the first network):
// on the sandbox's eth0, which the other containers learn by ARP.
TEST(BridgeDriver, MacAddressOfTheServiceOnEth0) {
    auto b = build(R"(
services: {web: {mac_address: "02:42:ac:12:00:99", networks: [front, back]}}
networks: {front: {}, back: {}}
)");
    EXPECT_EQ(cnmlab::model::macStr(b->plan.findLink("shop-web-1", "eth0")->mac),
              "02:42:ac:12:00:99");
    EXPECT_EQ(cnmlab::model::macStr(b->plan.findLink("shop-web-1", "eth1")->mac),
              "02:42:ac:13:00:02");
}

TEST(BridgeDriver, InterfacesNumberedInTheServicesNetworkOrder) {
    auto b = build(R"(
services: {api: {networks: [front, back]}}
networks: {front: {}, back: {}}
)");
    EXPECT_EQ(b->plan.findLink("shop-api-1", "eth0")->peerNetns, "host1");
    const Link* eth0Peer =
        b->plan.findLink("host1", b->plan.findLink("shop-api-1", "eth0")->peerName);
    const Link* eth1Peer =
        b->plan.findLink("host1", b->plan.findLink("shop-api-1", "eth1")->peerName);
    EXPECT_EQ(eth0Peer->master, b->bridgeOf("front"));
    EXPECT_EQ(eth1Peer->master, b->bridgeOf("back"));
}

TEST(BridgeDriver, DefaultBridgeJoinsFirst) {
    auto b = build(R"(
services: {api: {networks: [front, legacy]}}
networks:
  front: {}
  legacy: {external: true, name: bridge}
)");
    const Link* eth0Peer =
        b->plan.findLink("host1", b->plan.findLink("shop-api-1", "eth0")->peerName);
    EXPECT_EQ(eth0Peer->master, "docker0");
}

TEST(BridgeDriver, DefaultRouteViaTheGateway) {
    auto b = build("services: {web: {}}");
    EXPECT_EQ(routesIn(b->plan, "shop-web-1"), V{"ip route add default via 172.18.0.1 dev eth0"});
}

TEST(BridgeDriver, GatewayEndpointIsTheFirstNetworkByName) {
    // libnetwork sorts a sandbox's endpoints by network name (endpoint.Less):
    // shop_back < shop_front, so back gives the default route although it is eth1.
    auto b = build(R"(
services: {api: {networks: [front, back]}}
networks:
  front: {}
  back: {ipam: {config: [{subnet: 10.20.0.0/24}]}}
)");
    EXPECT_EQ(routesIn(b->plan, "shop-api-1"), V{"ip route add default via 10.20.0.1 dev eth1"});
}

TEST(BridgeDriver, NonInternalNetworkGivesTheDefaultRoute) {
    auto b = build(R"(
services: {api: {networks: [alpha, zulu]}}
networks:
  alpha: {internal: true, ipam: {config: [{subnet: 10.20.0.0/24}]}}
  zulu: {ipam: {config: [{subnet: 10.30.0.0/24}]}}
)");
    EXPECT_EQ(routesIn(b->plan, "shop-api-1"), V{"ip route add default via 10.30.0.1 dev eth1"});
}

TEST(BridgeDriver, InternalOnlyContainerKeepsTheGatewayRouteAs20_10Did) {
    // Docker 20.10's bridge driver sets a gateway on internal networks too, so the
    // sandbox's only endpoint is its gateway endpoint; moby 25.0 stopped this
    // (moby/moby#46603, #47145). Leaving the subnet is dropped on the host by
    // DOCKER-ISOLATION-STAGE-1.
    auto b = build(R"(
services: {db: {networks: [back]}}
networks:
  back: {internal: true, ipam: {config: [{subnet: 10.20.0.0/24}]}}
)");
    EXPECT_EQ(routesIn(b->plan, "shop-db-1"), V{"ip route add default via 10.20.0.1 dev eth0"});
}

TEST(BridgeDriver, MtuOptionOnBothVethEnds) {
    auto b = build(R"(
services: {web: {networks: [front]}}
networks:
  front: {driver_opts: {com.docker.network.driver.mtu: "1400"}}
)");
    const Link* eth0 = b->plan.findLink("shop-web-1", "eth0");
    EXPECT_EQ(eth0->mtu, 1400);
    EXPECT_EQ(b->plan.findLink("host1", eth0->peerName)->mtu, 1400);
    EXPECT_EQ(b->plan.findLink("host1", "docker0")->mtu, 1500);
}

TEST(BridgeDriver, HostSysctlsAsDockerSetsThem) {
    auto b = build("services: {web: {}}");
    int found = 0;
    for (const auto& s : b->plan.sysctls) {
        if (s.netns == "host1" &&
            (s.key == "net.ipv4.ip_forward" || s.key == "net.bridge.bridge-nf-call-iptables")) {
            EXPECT_EQ(s.value, "1");
            ++found;
        }
    }
    EXPECT_EQ(found, 2);
}

TEST(BridgeDriver, LocalNetworkUsesEachHostsOwnPool) {
    // a1 takes 172.18 on host1 only; shared is created after it, so host1 gives
    // it 172.19 while host2 (without a1) gives it 172.18.
    auto b = build(R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
services:
  a1: {networks: [a1net]}
  s1: {networks: [shared]}
  s2: {networks: [shared], x-host: host2}
networks: {a1net: {}, shared: {}}
)");
    const std::string br = b->bridgeOf("shared");
    EXPECT_TRUE(contains(addressesIn(b->plan, "host1"), br + " 172.19.0.1/16"));
    // host2's daemon gave the network an id (and so a bridge name) of its own.
    std::string br2;
    for (const auto& l : b->plan.links) {
        if (l.netns == "host2" && l.kind == LinkKind::Bridge && l.name.rfind("br-", 0) == 0) {
            br2 = l.name;
        }
    }
    EXPECT_NE(br2, br);
    EXPECT_TRUE(contains(addressesIn(b->plan, "host2"), br2 + " 172.18.0.1/16"));
    EXPECT_EQ(routesIn(b->plan, "shop-s2-1"), V{"ip route add default via 172.18.0.1 dev eth0"});
}

// `networks: {bridge: {}}` is Compose's PROJECT_bridge, a user-defined bridge
// like any other: its containers hang off its own br- bridge and route via its
// own gateway; docker0 keeps its own containers (network_mode: bridge), its
// own pool and the Topology key "docker/bridge" in such a file.
TEST(BridgeDriver, AUserNetworkKeyedBridgeIsNotDocker0) {
    auto b = build(R"(
services:
  web: {networks: [bridge], x-listen: [80], ports: ["8080:80"]}
  old: {network_mode: bridge}
networks:
  bridge: {}
)");
    const auto* user = b->topo.findNetwork("bridge");
    ASSERT_NE(user, nullptr);
    EXPECT_FALSE(user->predefined);
    EXPECT_EQ(user->name, "shop_bridge");
    EXPECT_EQ(user->subnet->networkStr(), "172.18.0.0/16");
    const auto* docker0 = b->topo.findNetwork("docker/bridge");
    ASSERT_NE(docker0, nullptr);
    EXPECT_TRUE(docker0->predefined);
    EXPECT_EQ(docker0->name, "bridge");
    EXPECT_EQ(b->endpoint("web", "bridge").ipv4.str(), "172.18.0.2");
    EXPECT_EQ(b->endpoint("old", "docker/bridge").ipv4.str(), "172.17.0.2");
    const std::string br = b->bridgeOf("bridge");
    for (const auto* l : linksIn(b->plan, "host1")) {
        if (l->peerNetns == "shop-web-1") {
            EXPECT_EQ(l->master, br);
        }
        if (l->peerNetns == "shop-old-1") {
            EXPECT_EQ(l->master, "docker0");
        }
    }
    EXPECT_EQ(routesIn(b->plan, "shop-web-1"), V{"ip route add default via 172.18.0.1 dev eth0"});
    EXPECT_EQ(routesIn(b->plan, "shop-old-1"), V{"ip route add default via 172.17.0.1 dev eth0"});
    // The published port DNATs to the user network's address.
    bool dnat = false;
    for (const auto& r : b->plan.rules) {
        dnat |= r.netns == "host1" && r.verdict == NfVerdict::Dnat && r.toAddress &&
                r.toAddress->str() == "172.18.0.2";
    }
    EXPECT_TRUE(dnat);
}

// Each host's daemon creates the network with an id of its own: the bridges of
// one network key on two hosts are two names (the first host's is the
// network's id), and each carries its host's containers.
TEST(BridgeDriver, EachHostGivesItsOwnBridgeItsOwnId) {
    auto b = build(R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
services:
  a: {x-host: host1, networks: [front]}
  b: {x-host: host2, networks: [front]}
networks:
  front: {}
)");
    auto bridgesIn = [&](const std::string& host) {
        V out;
        for (const auto& l : b->plan.links) {
            if (l.netns == host && l.kind == LinkKind::Bridge && l.name.rfind("br-", 0) == 0) {
                out.push_back(l.name);
            }
        }
        return out;
    };
    const V one = bridgesIn("host1");
    const V two = bridgesIn("host2");
    ASSERT_EQ(one.size(), 1U);
    ASSERT_EQ(two.size(), 1U);
    EXPECT_EQ(one.front(), b->bridgeOf("front"));
    EXPECT_NE(one.front(), two.front());
    EXPECT_TRUE(std::regex_match(two.front(), std::regex("br-[0-9a-f]{12}")));
}
