// resolve(): what Docker 20.10 would create for a scenario, checked against the
// facts measured on real Docker (issue #2) and Compose's naming.
#include <gtest/gtest.h>

#include "test_util.hpp"

using namespace cnmlab::model;

namespace {

std::unique_ptr<cnmlab::test::Resolved> resolveText(const std::string& yaml) {
    return cnmlab::test::resolveText(yaml, "shop.yaml");
}

const Endpoint& endpoint(const Topology& t, const std::string& service, const std::string& net) {
    for (const auto& e : t.findContainer(service)->endpoints) {
        if (e.network == net) {
            return e;
        }
    }
    throw std::runtime_error("no endpoint " + service + "/" + net);
}

}  // namespace

TEST(Topology, FirstUserBridgeGets172_18AsMeasured) {
    auto r = resolveText("services: {a: {}, b: {}}");
    const NetworkInstance* def = r->topo.findNetwork("default");
    ASSERT_NE(def, nullptr);
    EXPECT_EQ(def->name, "shop_default");
    EXPECT_EQ(def->subnet->networkStr(), "172.18.0.0/16");
    EXPECT_EQ(def->gateway->str(), "172.18.0.1");
    EXPECT_EQ(endpoint(r->topo, "a", "default").ipv4.str(), "172.18.0.2");
    EXPECT_EQ(macStr(endpoint(r->topo, "a", "default").mac), "02:42:ac:12:00:02");
    EXPECT_EQ(endpoint(r->topo, "b", "default").ipv4.str(), "172.18.0.3");
    EXPECT_EQ(macStr(endpoint(r->topo, "b", "default").mac), "02:42:ac:12:00:03");
}

TEST(Topology, ContainerNamesFollowCompose) {
    auto r = resolveText("services: {web: {}, db: {container_name: pg}}");
    EXPECT_EQ(r->topo.findContainer("web")->name, "shop-web-1");
    EXPECT_EQ(r->topo.findContainer("db")->name, "pg");
}

TEST(Topology, DefaultBridgeIsDocker0) {
    auto r = resolveText("services: {a: {network_mode: bridge}}");
    const NetworkInstance* br = r->topo.findNetwork("bridge");
    ASSERT_NE(br, nullptr);
    EXPECT_EQ(br->subnet->networkStr(), "172.17.0.0/16");
    EXPECT_EQ(br->gateway->str(), "172.17.0.1");
    EXPECT_TRUE(br->predefined);
    const Endpoint& e = endpoint(r->topo, "a", "bridge");
    EXPECT_EQ(e.ipv4.str(), "172.17.0.2");
    EXPECT_TRUE(e.aliases.empty());
}

TEST(Topology, PredefinedNetworksListedOnlyWhenUsed) {
    auto r = resolveText("services: {a: {}}");
    EXPECT_EQ(r->topo.findNetwork("bridge"), nullptr);
    EXPECT_EQ(r->topo.findNetwork("host"), nullptr);
    auto r2 = resolveText("services: {a: {network_mode: host}, b: {network_mode: none}}");
    EXPECT_NE(r2->topo.findNetwork("host"), nullptr);
    EXPECT_EQ(r2->topo.findNetwork("none")->driver, "null");
    EXPECT_TRUE(r2->topo.findContainer("a")->endpoints.empty());
}

TEST(Topology, PoolsInFileOrderExplicitSubnetsFirst) {
    auto r = resolveText(R"(
services: {a: {networks: [one, two, three]}}
networks:
  one: {}
  two: {ipam: {config: [{subnet: 172.18.0.0/16}]}}
  three: {}
)");
    // two claims 172.18 before the pools are handed out; one and three take the next ones.
    EXPECT_EQ(r->topo.findNetwork("two")->subnet->networkStr(), "172.18.0.0/16");
    EXPECT_EQ(r->topo.findNetwork("one")->subnet->networkStr(), "172.19.0.0/16");
    EXPECT_EQ(r->topo.findNetwork("three")->subnet->networkStr(), "172.20.0.0/16");
}

TEST(Topology, AfterThe172PoolsCome192_168Slash20sSkippingTheLan) {
    std::string yaml = "services: {a: {networks: [";
    for (int i = 0; i < 16; ++i) {
        yaml += (i ? ", n" : "n") + std::to_string(i);
    }
    yaml += "]}}\nnetworks:\n";
    for (int i = 0; i < 16; ++i) {
        yaml += "  n" + std::to_string(i) + ": {}\n";
    }
    auto r = resolveText(yaml);
    EXPECT_EQ(r->topo.findNetwork("n13")->subnet->networkStr(), "172.31.0.0/16");
    EXPECT_EQ(r->topo.findNetwork("n14")->subnet->networkStr(), "192.168.0.0/20");
    EXPECT_EQ(r->topo.findNetwork("n15")->subnet->networkStr(), "192.168.16.0/20");
}

TEST(Topology, LanRouteSkipsOverlappingPool) {
    auto r = resolveText(R"(
x-hosts: {h: {underlay: 172.18.5.20/24}}
services: {a: {}}
)");
    EXPECT_EQ(r->topo.findNetwork("default")->subnet->networkStr(), "172.19.0.0/16");
}

TEST(Topology, StaticAddressesReservedBeforeDynamic) {
    auto r = resolveText(R"(
services:
  a: {networks: [n]}
  b:
    networks:
      n: {ipv4_address: 10.0.0.2}
networks:
  n: {ipam: {config: [{subnet: 10.0.0.0/24}]}}
)");
    EXPECT_EQ(endpoint(r->topo, "b", "n").ipv4.str(), "10.0.0.2");
    EXPECT_EQ(endpoint(r->topo, "a", "n").ipv4.str(), "10.0.0.3");
}

TEST(Topology, IpRangeLimitsDynamicAddresses) {
    auto r = resolveText(R"(
services: {a: {networks: [n]}}
networks:
  n: {ipam: {config: [{subnet: 10.0.0.0/16, ip_range: 10.0.5.0/24, gateway: 10.0.0.1}]}}
)");
    // Measured on Docker 20.10.24: with --gateway outside the range, the first
    // container gets the range's first address, 10.0.5.0 (docs/ipam.md).
    EXPECT_EQ(endpoint(r->topo, "a", "n").ipv4.str(), "10.0.5.0");
    EXPECT_EQ(endpoint(r->topo, "a", "n").prefix, 16);
}

TEST(Topology, GatewayComesFromIpRangeWhenNotGiven) {
    auto r = resolveText(R"(
services: {a: {networks: [n]}}
networks:
  n: {ipam: {config: [{subnet: 172.30.0.0/16, ip_range: 172.30.5.0/24}]}}
)");
    // Measured: gateway 172.30.5.0, first container 172.30.5.1.
    EXPECT_EQ(r->topo.findNetwork("n")->gateway->str(), "172.30.5.0");
    EXPECT_EQ(endpoint(r->topo, "a", "n").ipv4.str(), "172.30.5.1");
}

TEST(Topology, AuxAddressesAreReserved) {
    auto r = resolveText(R"(
services: {a: {networks: [n]}}
networks:
  n: {ipam: {config: [{subnet: 10.0.0.0/24, aux_addresses: {r1: 10.0.0.2, r2: 10.0.0.3}}]}}
)");
    EXPECT_EQ(endpoint(r->topo, "a", "n").ipv4.str(), "10.0.0.4");
}

TEST(Topology, ExplicitGatewayHonoured) {
    auto r = resolveText(R"(
services: {a: {networks: [n]}}
networks:
  n: {ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.254}]}}
)");
    EXPECT_EQ(r->topo.findNetwork("n")->gateway->str(), "10.0.0.254");
    EXPECT_EQ(endpoint(r->topo, "a", "n").ipv4.str(), "10.0.0.1");
}

TEST(Topology, AliasesAreServiceNameThenDeclared) {
    auto r = resolveText(R"(
services:
  web: {networks: {front: {aliases: [www, web]}}}
networks: {front: {}}
)");
    EXPECT_EQ(endpoint(r->topo, "web", "front").aliases, (std::vector<std::string>{"web", "www"}));
}

// SPEC §1a, docs/overlay.md (measured, 36/37): swarm init and join give
// `ingress` the first global /24 (VNI 4096) and every node its ingress
// sandbox (ingress address in join order, docker_gwbridge .2); a user overlay
// takes the next /24 and VNI; each node's first container on it is followed
// by that node's load balancer; containers without a gateway get a
// docker_gwbridge endpoint of their own host (the same address on both).
TEST(Topology, SwarmAllocatesOverlayLoadBalancersAndGwbridgeAsDockerDoes) {
    auto r = resolveText(R"(
x-hosts:
  h1: {underlay: 192.168.1.1/24}
  h2: {underlay: 192.168.1.2/24}
services:
  a: {x-host: h1, networks: [ov]}
  a2: {x-host: h1, networks: [ov]}
  b: {x-host: h2, networks: [ov]}
networks:
  ov: {driver: overlay, attachable: true}
)");
    ASSERT_TRUE(r->topo.swarm);
    const NetworkInstance* ingress = r->topo.findNetwork("ingress");
    const NetworkInstance* gw = r->topo.findNetwork("docker_gwbridge");
    ASSERT_NE(ingress, nullptr);
    ASSERT_NE(gw, nullptr);
    EXPECT_TRUE(ingress->implicit && ingress->ingress);
    EXPECT_EQ(ingress->subnet->networkStr(), "10.0.0.0/24");
    EXPECT_EQ(ingress->vni, 4096u);
    EXPECT_EQ(gw->subnet->networkStr(), "172.18.0.0/16");
    EXPECT_EQ(gw->hosts, (std::vector<std::string>{"h1", "h2"}));
    const NetworkInstance* ov = r->topo.findNetwork("ov");
    EXPECT_EQ(ov->scope, "swarm");
    EXPECT_EQ(ov->vni, 4097u);
    EXPECT_EQ(ov->subnet->networkStr(), "10.0.1.0/24");
    EXPECT_EQ(ov->hosts, (std::vector<std::string>{"h1", "h2"}));
    EXPECT_EQ(endpoint(r->topo, "a", "ov").ipv4.str(), "10.0.1.2");
    EXPECT_EQ(r->topo.findLoadBalancer("ov", "h1")->endpoint.ipv4.str(), "10.0.1.3");
    EXPECT_EQ(endpoint(r->topo, "a2", "ov").ipv4.str(), "10.0.1.4");
    EXPECT_EQ(endpoint(r->topo, "b", "ov").ipv4.str(), "10.0.1.5");
    EXPECT_EQ(r->topo.findLoadBalancer("ov", "h2")->endpoint.ipv4.str(), "10.0.1.6");
    EXPECT_EQ(r->topo.findLoadBalancer("ingress", "h1")->endpoint.ipv4.str(), "10.0.0.2");
    EXPECT_EQ(r->topo.findLoadBalancer("ingress", "h2")->endpoint.ipv4.str(), "10.0.0.3");
    EXPECT_EQ(r->topo.findLoadBalancer("ingress", "h2")->gwbridge->ipv4.str(), "172.18.0.2");
    EXPECT_EQ(endpoint(r->topo, "a", "docker_gwbridge").ipv4.str(), "172.18.0.3");
    EXPECT_EQ(endpoint(r->topo, "a2", "docker_gwbridge").ipv4.str(), "172.18.0.4");
    EXPECT_EQ(endpoint(r->topo, "b", "docker_gwbridge").ipv4.str(), "172.18.0.3");
    EXPECT_EQ(macStr(endpoint(r->topo, "b", "docker_gwbridge").mac), "02:42:ac:12:00:03");
}

// needDefaultGW (measured, 39/40): a bridge network gives the gateway, an
// internal overlay alone gives none and no docker_gwbridge endpoint.
TEST(Topology, Gwbridge_OnlyForContainersWithoutAnotherGateway) {
    auto r = resolveText(R"(
x-hosts:
  h1: {underlay: 192.168.1.1/24}
services:
  web: {networks: [front, ov]}
  safe: {networks: [vault]}
  app: {networks: [vault, ov]}
networks:
  front: {}
  ov: {driver: overlay, attachable: true}
  vault: {driver: overlay, attachable: true, internal: true}
)");
    auto count = [&](const std::string& service) {
        const Container* c = r->topo.findContainer(service);
        return std::count_if(c->endpoints.begin(), c->endpoints.end(),
                             [](const Endpoint& e) { return e.network == "docker_gwbridge"; });
    };
    EXPECT_EQ(count("web"), 0);
    EXPECT_EQ(count("safe"), 0);
    EXPECT_EQ(count("app"), 1);
    EXPECT_EQ(r->topo.containers[2].endpoints.back().network, "docker_gwbridge");
    // docker_gwbridge took 172.18 at swarm init, before the file's bridge.
    EXPECT_EQ(r->topo.findNetwork("front")->subnet->networkStr(), "172.19.0.0/16");
}

// swarmkit AttachNetwork (measured, 38): a plain container on an overlay
// without attachable: true does not start.
TEST(Topology, PlainContainerOnNonAttachableOverlayIsRefusedAtItsKey) {
    const auto sc = readScenario(R"(
services:
  job: {networks: [jobs]}
networks:
  jobs: {driver: overlay}
)",
                                 "t.yaml");
    try {
        resolve(sc);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Invalid);
        EXPECT_NE(e.message().find("network t_jobs not manually attachable"), std::string::npos)
            << e.message();
        EXPECT_EQ(e.pos().line, 3);
    }
}

// ovmanager.go (measured, 42): VXLAN IDs in creation order, explicit subnets first.
TEST(Topology, VxlanIdsFollowCreationOrder) {
    auto r = resolveText(R"(
services: {a: {networks: [blue, green]}}
networks:
  blue: {driver: overlay, attachable: true}
  green: {driver: overlay, attachable: true, ipam: {config: [{subnet: 10.99.0.0/24}]}}
  unused: {driver: overlay}
)");
    EXPECT_EQ(r->topo.findNetwork("green")->vni, 4097u);
    EXPECT_EQ(r->topo.findNetwork("blue")->vni, 4098u);
    EXPECT_EQ(r->topo.findNetwork("unused")->vni, 4099u);
    EXPECT_EQ(r->topo.findNetwork("blue")->subnet->networkStr(), "10.0.1.0/24");
    EXPECT_EQ(r->topo.findNetwork("unused")->subnet->networkStr(), "10.0.2.0/24");
}

TEST(Topology, LocalBridgeOnTwoHostsHasAddressesPerHost) {
    auto r = resolveText(R"(
x-hosts:
  h1: {underlay: 192.168.1.1/24}
  h2: {underlay: 192.168.1.2/24}
services:
  a: {x-host: h1}
  b: {x-host: h2}
)");
    // Two daemons, two separate shop_default networks: both containers get .2.
    EXPECT_EQ(endpoint(r->topo, "a", "default").ipv4.str(), "172.18.0.2");
    EXPECT_EQ(endpoint(r->topo, "b", "default").ipv4.str(), "172.18.0.2");
    EXPECT_EQ(r->topo.findNetwork("default")->hosts.size(), 2u);
}

TEST(Topology, ServiceModeSharesSandboxAndHost) {
    auto r = resolveText(R"(
x-hosts:
  h1: {underlay: 192.168.1.1/24}
  h2: {underlay: 192.168.1.2/24}
services:
  app: {x-host: h2}
  side: {network_mode: "service:app"}
)");
    const Container* side = r->topo.findContainer("side");
    EXPECT_EQ(side->sandboxOf, "app");
    EXPECT_EQ(side->host, "h2");
    EXPECT_EQ(side->networkMode, "service:app");
    EXPECT_TRUE(side->endpoints.empty());
}

TEST(Topology, ExternalHostNetworkMeansHostMode) {
    auto r = resolveText(R"(
services: {a: {networks: [hostnet]}}
networks: {hostnet: {external: true, name: host}}
)");
    EXPECT_EQ(r->topo.findContainer("a")->networkMode, "host");
}

TEST(Topology, TourMatchesDocumentedAddresses) {
    Scenario sc = readScenarioFile(cnmlab::test::sourcePath("scenarios/tour.yaml"));
    Topology t = resolve(sc);
    EXPECT_EQ(t.findNetwork("front")->subnet->networkStr(), "172.18.0.0/16");
    EXPECT_EQ(t.findNetwork("back")->subnet->networkStr(), "10.20.0.0/24");
    EXPECT_EQ(endpoint(t, "legacy", "bridge").ipv4.str(), "172.17.0.2");
    EXPECT_EQ(endpoint(t, "web", "front").ipv4.str(), "172.18.0.2");
    EXPECT_EQ(endpoint(t, "api", "front").ipv4.str(), "172.18.0.3");
    EXPECT_EQ(endpoint(t, "db", "back").ipv4.str(), "10.20.0.10");
    EXPECT_EQ(endpoint(t, "api", "back").ipv4.str(), "10.20.0.2");
}

TEST(Topology, HistoryRemovedContainerAddressIsReusedLowestFirst) {
    Scenario sc = readScenario("services: {a: {}, b: {}, c: {}, d: {}}", "shop.yaml");
    // Measured on Docker 20.10.24 (tests/conformance 29): rm b; run d -> d takes b's .3.
    Topology t = resolve(sc, {HistoryStep{{"b"}, {"d"}, {}, {}}});
    EXPECT_EQ(t.findContainer("b"), nullptr);
    EXPECT_EQ(endpoint(t, "c", "default").ipv4.str(), "172.18.0.4");
    EXPECT_EQ(endpoint(t, "d", "default").ipv4.str(), "172.18.0.3");
}

TEST(Topology, HistoryRemovedNetworkPoolIsNotReusedUntilTheRoundRobinWraps) {
    Scenario sc = readScenario(R"(
services: {a: {networks: [n1]}, b: {networks: [n2]}, c: {networks: [n3]}}
networks: {n1: {}, n2: {}, n3: {}}
)",
                               "shop.yaml");
    // tests/conformance 30: n1, n2; rm n1; create n3 -> 172.20, not the freed 172.18.
    Topology t = resolve(sc, {HistoryStep{{"a"}, {"c"}, {"n1"}, {"n3"}}});
    EXPECT_EQ(t.findNetwork("n1"), nullptr);
    EXPECT_EQ(t.findNetwork("n2")->subnet->networkStr(), "172.19.0.0/16");
    EXPECT_EQ(t.findNetwork("n3")->subnet->networkStr(), "172.20.0.0/16");
}

// mac_address: the endpoint on the container's first network takes it (Docker
// gives the container's MAC to the network it is created with); the others
// keep 02:42 + their IPv4 address.
TEST(Topology, MacAddressIsTheFirstNetworksMac) {
    auto r = resolveText(R"(
services:
  web: {mac_address: "02:42:ac:12:00:99", networks: [front, back]}
  old: {mac_address: "02:42:ac:11:00:99", network_mode: bridge}
  off: {mac_address: "02:42:ac:11:00:98", network_mode: none}
networks: {front: {}, back: {}}
)");
    const Endpoint& front = endpoint(r->topo, "web", "front");
    EXPECT_EQ(macStr(front.mac), "02:42:ac:12:00:99");
    EXPECT_TRUE(front.macGiven);
    const Endpoint& back = endpoint(r->topo, "web", "back");
    EXPECT_EQ(macStr(back.mac), macStr(macFromIp(back.ipv4)));
    EXPECT_FALSE(back.macGiven);
    EXPECT_EQ(macStr(endpoint(r->topo, "old", "bridge").mac), "02:42:ac:11:00:99");
    EXPECT_TRUE(r->topo.findContainer("off")->endpoints.empty());
}
