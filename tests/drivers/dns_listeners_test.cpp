// The embedded DNS server's records and the listening sockets
// (sandbox_services.hpp).
#include "test_util.hpp"

using namespace cnmlab::test;
using V = std::vector<std::string>;

TEST(Dns, UserNetworkAnswersServiceAliasAndContainerName) {
    auto b = build(R"(
services:
  web: {networks: {front: {aliases: [www]}}}
  api: {networks: [front]}
networks: {front: {}}
)");
    EXPECT_EQ(dnsIn(b->plan, "shop-web-1"),
              (V{"web.shop_front=172.18.0.2@front", "web=172.18.0.2@front",
                 "www.shop_front=172.18.0.2@front", "www=172.18.0.2@front",
                 "shop-web-1.shop_front=172.18.0.2@front", "shop-web-1=172.18.0.2@front",
                 "api.shop_front=172.18.0.3@front", "api=172.18.0.3@front",
                 "shop-api-1.shop_front=172.18.0.3@front", "shop-api-1=172.18.0.3@front"}));
    EXPECT_EQ(dnsIn(b->plan, "shop-api-1"), dnsIn(b->plan, "shop-web-1"));
}

TEST(Dns, DefaultBridgeHasNoEmbeddedDns) {
    auto b = build(R"(
services:
  a: {network_mode: bridge}
  b: {network_mode: bridge}
)");
    EXPECT_TRUE(b->plan.dns.empty());
}

TEST(Dns, ContainerOnTwoNetworksSeesBoth) {
    auto b = build(readText(sourcePath("scenarios/tour.yaml")), "tour.yaml");
    const V api = dnsIn(b->plan, "tour-api-1");
    EXPECT_TRUE(contains(api, "web=172.18.0.2@front"));
    EXPECT_TRUE(contains(api, "www=172.18.0.2@front"));
    EXPECT_TRUE(contains(api, "db=10.20.0.10@back"));
    // A name on both networks is answered by the first in libnetwork's endpoint
    // order (by network name: tour_back < tour_front), as 20.10 does.
    EXPECT_TRUE(contains(api, "api=10.20.0.2@back"));
    EXPECT_FALSE(contains(api, "api=172.18.0.3@front"));
    EXPECT_TRUE(contains(api, "api.tour_front=172.18.0.3@front"));
    // web is only on front: db is not its name to resolve (the tour's nxdomain probe).
    for (const auto& r : dnsIn(b->plan, "tour-web-1")) {
        EXPECT_EQ(r.find("db"), std::string::npos) << r;
        EXPECT_NE(r.find("@front"), std::string::npos) << r;
    }
    EXPECT_TRUE(dnsIn(b->plan, "tour-legacy-1").empty());
    EXPECT_TRUE(dnsIn(b->plan, "tour-sealed-1").empty());
}

TEST(Dns, LocalNetworksDoNotResolveAcrossHosts) {
    auto b = build(R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
services:
  a: {}
  b: {x-host: host2}
)");
    for (const auto& r : dnsIn(b->plan, "shop-a-1")) {
        EXPECT_EQ(r.find("b"), std::string::npos) << r;
    }
    EXPECT_TRUE(contains(dnsIn(b->plan, "shop-b-1"), "b=172.18.0.2@default"));
    EXPECT_FALSE(contains(dnsIn(b->plan, "shop-b-1"), "a=172.18.0.2@default"));
}

TEST(Listeners, ListenExposeAndPortsInTheSandbox) {
    auto b = build(R"(
services:
  web:
    x-listen: [8000/tcp, 53/udp]
    expose: ["9000"]
    ports: ["8080:80", "8443:443"]
)");
    EXPECT_EQ(listenersIn(b->plan, "shop-web-1"),
              (V{"tcp 0.0.0.0:8000 web", "udp 0.0.0.0:53 web", "tcp 0.0.0.0:9000 web",
                 "tcp 0.0.0.0:80 web", "tcp 0.0.0.0:443 web"}));
}

TEST(Listeners, SharedSandboxGetsTheSharersListeners) {
    auto b = build(R"(
services:
  app: {x-listen: [80/tcp]}
  sidecar: {network_mode: "service:app", x-listen: [9090/tcp]}
)");
    EXPECT_EQ(b->plan.findNetns("shop-sidecar-1"), nullptr);
    EXPECT_EQ(listenersIn(b->plan, "shop-app-1"),
              (V{"tcp 0.0.0.0:80 app", "tcp 0.0.0.0:9090 sidecar"}));
}

TEST(Listeners, NoneModeListensOnItsLoopbackOnlySandbox) {
    auto b = build("services: {sealed: {network_mode: none, x-listen: [80/tcp]}}");
    EXPECT_EQ(listenersIn(b->plan, "shop-sealed-1"), V{"tcp 0.0.0.0:80 sealed"});
}

TEST(Dns, SharedAliasAnswersEveryContainerHavingIt) {
    auto b = build(R"(
services:
  a: {networks: {front: {aliases: [cache]}}}
  b: {networks: {front: {aliases: [cache]}}}
networks: {front: {}}
)");
    const V records = dnsIn(b->plan, "shop-a-1");
    EXPECT_TRUE(contains(records, "cache=172.18.0.2@front"));
    EXPECT_TRUE(contains(records, "cache=172.18.0.3@front"));
}
