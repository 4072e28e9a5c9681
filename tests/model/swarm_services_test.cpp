// Swarm services (deploy:) in resolve(): placement, VIPs, tasks and load
// balancers in the order Docker 20.10 allocated them (recordings 43-45,
// docs/services.md), and what is refused.
#include <gtest/gtest.h>

#include "model/topology_swarm.hpp"
#include "test_util.hpp"

using namespace cnmlab::model;

namespace {

const char* const kThreeHosts = R"(
name: cf43
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
  host3: {underlay: 192.168.100.13/24}
)";

using cnmlab::test::resolveText;

std::string addressOn(const Topology& t, const std::string& task, const std::string& net) {
    for (const auto& e : t.findContainer(task)->endpoints) {
        if (e.network == net) {
            return e.ipv4.str();
        }
    }
    return "";
}

}  // namespace

// Recording 43: VIP, then tasks, per service; load balancers after every
// service; the plain container last.
TEST(SwarmServices, VipThenTasksThenLoadBalancersAsMeasuredIn43) {
    auto r = resolveText(std::string(kThreeHosts) + R"(
services:
  web: {image: busybox, networks: [mesh], deploy: {replicas: 3}}
  api:
    image: busybox
    networks: [mesh]
    deploy: {placement: {constraints: ["node.hostname == host3"]}}
  client: {image: busybox, x-host: host2, networks: [mesh]}
networks:
  mesh: {driver: overlay, attachable: true}
)");
    const Topology& t = r->topo;
    ASSERT_EQ(t.services.size(), 2u);
    EXPECT_EQ(t.services[0].name, "cf43_web");
    EXPECT_EQ(t.services[0].vips.at(0).ipv4.str(), "10.0.1.2");
    EXPECT_EQ(addressOn(t, "web.1", "mesh"), "10.0.1.3");
    EXPECT_EQ(addressOn(t, "web.3", "mesh"), "10.0.1.5");
    EXPECT_EQ(t.services[1].vips.at(0).ipv4.str(), "10.0.1.6");
    EXPECT_EQ(addressOn(t, "api.1", "mesh"), "10.0.1.7");
    EXPECT_EQ(t.findContainer("api.1")->host, "host3");
    EXPECT_EQ(t.findLoadBalancer("mesh", "host1")->endpoint.ipv4.str(), "10.0.1.8");
    EXPECT_EQ(t.findLoadBalancer("mesh", "host3")->endpoint.ipv4.str(), "10.0.1.10");
    EXPECT_EQ(addressOn(t, "client", "mesh"), "10.0.1.11");
    // Spread: one replica per node.
    EXPECT_EQ(t.findContainer("web.1")->host, "host1");
    EXPECT_EQ(t.findContainer("web.2")->host, "host2");
    EXPECT_EQ(t.findContainer("web.3")->host, "host3");
    EXPECT_EQ(t.findContainer("web.2")->endpoints.front().aliases,
              (std::vector<std::string>{"web"}));
}

// Recording 44: dnsrr has no VIP; global runs one task per node, named by node.
TEST(SwarmServices, DnsrrHasNoVipAndGlobalRunsEverywhere) {
    auto r = resolveText(std::string(kThreeHosts) + R"(
services:
  db:
    image: busybox
    networks: [back]
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      placement: {constraints: ["node.role == worker"]}
  mon: {image: busybox, networks: [back], deploy: {mode: global}}
networks:
  back: {driver: overlay, attachable: true}
)");
    const Topology& t = r->topo;
    EXPECT_TRUE(t.services[0].vips.empty());
    EXPECT_EQ(addressOn(t, "db.1", "back"), "10.0.1.2");
    EXPECT_NE(t.findContainer("db.1")->host, "host1");  // a worker
    EXPECT_NE(t.findContainer("db.2")->host, "host1");
    EXPECT_EQ(t.services[1].vips.at(0).ipv4.str(), "10.0.1.4");
    EXPECT_EQ(t.services[1].tasks,
              (std::vector<std::string>{"mon.host1", "mon.host2", "mon.host3"}));
    EXPECT_EQ(t.services[1].replicas, 3);
}

// Recording 45: an ingress-published service gets a second VIP on ingress and
// its tasks an ingress endpoint; a host-mode port neither.
TEST(SwarmServices, IngressPortsBringAnIngressVipAndEndpoint) {
    auto r = resolveText(R"(
name: cf45
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
services:
  web:
    image: busybox
    networks: [front]
    ports: ["8080:80"]
    deploy: {placement: {constraints: ["node.hostname == host2"]}}
  api:
    image: busybox
    networks: [front]
    ports: [{target: 5000, published: 5000, mode: host}]
networks:
  front: {driver: overlay, attachable: true}
)");
    const Topology& t = r->topo;
    // api has no deploy: it is a plain container; its `mode: host` is ignored.
    const SwarmService& web = t.services.at(0);
    ASSERT_EQ(web.vips.size(), 2u);
    EXPECT_EQ(web.vips[1].network, "ingress");
    EXPECT_EQ(web.vips[1].ipv4.str(), "10.0.0.4");
    EXPECT_EQ(addressOn(t, "web.1", "ingress"), "10.0.0.5");
    EXPECT_EQ(addressOn(t, "web.1", "docker_gwbridge"), "172.18.0.3");
    ASSERT_EQ(web.published.size(), 1u);
    EXPECT_FALSE(web.published[0].hostMode);
    EXPECT_TRUE(web.usesIngress());
}

TEST(SwarmServices, RefusedWithTheKeyAndDockersWords) {
    const std::string base = std::string(kThreeHosts) +
                             "networks:\n  o: {driver: overlay}\n  b: {driver: bridge}\n"
                             "services:\n";
    const std::pair<const char*, const char*> cases[] = {
        {"  w: {image: x, networks: [b], deploy: {}}",
         "services.w.networks.b: a swarm service joins overlay networks only"},
        {"  w: {image: x, networks: [o], deploy: {placement: {constraints: "
         "[\"node.hostname == nope\"]}}}",
         "no node of the swarm satisfies node.hostname == nope"},
        {"  w: {image: x, networks: [o], ports: [\"80:80\"], deploy: {endpoint_mode: dnsrr}}",
         "port published with ingress mode can't be used with dnsrr mode"},
        {"  w: {image: x, networks: [o], deploy: {mode: global, replicas: 2}}",
         "replicas can only be used with replicated mode"},
        {"  w: {image: x, x-host: host2, networks: [o], deploy: {}}",
         ":25: error: services.w.x-host: the swarm places"},
        {"  w: {image: x, networks: [o], deploy: {placement: {constraints: "
         "[\"node.labels.zone == a\"]}}}",
         "node.hostname and node.role only"},
        {"  w: {image: x, networks: [o], deploy: {mode: both}}",
         "services.w.deploy.mode: 'both' is not a service mode (expected replicated or global)"},
        {"  w: {image: x, networks: [o], deploy: {endpoint_mode: rr}}",
         "'rr' is not an endpoint mode (expected vip or dnsrr)"},
        {"  w: {image: x, networks: [o], ports: [{target: 80, published: 80, mode: local}], "
         "deploy: {}}",
         "services.w.ports[0].mode: 'local' is not a publishing mode (expected ingress or host)"},
    };
    for (const auto& [service, message] : cases) {
        const std::string error = cnmlab::test::loadError(base + service + "\n").formatted();
        EXPECT_NE(error.find(message), std::string::npos) << service << "\n" << error;
    }
}

// The scheduler's spread with its tie-break fixed: fewest tasks of the
// service, then x-hosts order.
TEST(SwarmServices, PlacementSpreadsThenFillsInHostOrder) {
    const Scenario sc = readScenario(std::string(kThreeHosts) + R"(
services:
  w:
    image: x
    networks: [o]
    deploy: {replicas: 5, placement: {constraints: ["node.role != manager"]}}
networks:
  o: {driver: overlay}
)",
                                     "p.yaml");
    std::vector<std::string> hosts;
    for (const auto& t : placeTasks(sc, sc.services[0])) {
        hosts.push_back(t.host);
    }
    EXPECT_EQ(hosts, (std::vector<std::string>{"host2", "host3", "host2", "host3", "host2"}));
}
