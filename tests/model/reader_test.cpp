#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/compose_reader.hpp"
#include "model/compose_writer.hpp"
#include "test_util.hpp"

using namespace cnmlab::model;
using cnmlab::test::sourcePath;

namespace {
Scenario read(const std::string& yaml) {
    return readScenario(yaml, "shop.yaml");
}
}  // namespace

TEST(Reader, ProjectNameDefaultsToFileStem) {
    EXPECT_EQ(read("services: {web: {}}").projectName, "shop");
    EXPECT_EQ(readScenario("services: {}", "dir/My Lab.v2.yaml").projectName, "mylab");
    EXPECT_EQ(read("name: other\nservices: {}").projectName, "other");
}

TEST(Reader, DefaultHostWhenNoXHosts) {
    Scenario sc = read("services: {web: {}}");
    ASSERT_EQ(sc.hosts.size(), 1u);
    EXPECT_EQ(sc.hosts[0].name, "host1");
    EXPECT_EQ(sc.hosts[0].underlay.str(), "192.168.100.11/24");
}

TEST(Reader, ReadsHostsAndExternals) {
    Scenario sc = read(R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
x-externals:
  laptop: {underlay: 192.168.100.50/24}
  internet: {address: 203.0.113.10}
services: {web: {x-host: host2}}
)");
    ASSERT_EQ(sc.hosts.size(), 2u);
    EXPECT_EQ(sc.hosts[1].underlay.str(), "192.168.100.12/24");
    ASSERT_EQ(sc.externals.size(), 2u);
    EXPECT_EQ(sc.externals[0].underlay->str(), "192.168.100.50/24");
    EXPECT_EQ(sc.externals[1].address->str(), "203.0.113.10");
    EXPECT_EQ(sc.hostOf(sc.services[0]), "host2");
}

TEST(Reader, ServiceNetworksAsListOrMap) {
    Scenario sc = read(R"(
services:
  a: {networks: [front, back]}
  b:
    networks:
      front: {aliases: [www, w2]}
      back: {ipv4_address: 10.10.0.10}
networks:
  front: {}
  back: {ipam: {config: [{subnet: 10.10.0.0/24}]}}
)");
    ASSERT_EQ(sc.services[0].networks.size(), 2u);
    EXPECT_EQ(sc.services[0].networks[1].key, "back");
    const auto& b = sc.services[1];
    EXPECT_EQ(b.networks[0].aliases, (std::vector<std::string>{"www", "w2"}));
    EXPECT_EQ(b.networks[1].ipv4Address->str(), "10.10.0.10");
}

TEST(Reader, ServicesWithoutNetworksJoinImplicitDefault) {
    Scenario sc = read("services: {web: {}, db: {network_mode: host}}");
    ASSERT_EQ(sc.networks.size(), 1u);
    EXPECT_EQ(sc.networks[0].key, "default");
    EXPECT_TRUE(sc.networks[0].implicit);
    EXPECT_EQ(sc.networkName(sc.networks[0]), "shop_default");
    EXPECT_EQ(sc.services[0].networks[0].key, "default");
    EXPECT_TRUE(sc.services[1].networks.empty());
}

TEST(Reader, NoDefaultNetworkWhenNobodyUsesIt) {
    Scenario sc = read("services: {a: {networks: [x]}}\nnetworks: {x: {}}");
    ASSERT_EQ(sc.networks.size(), 1u);
    EXPECT_EQ(sc.networks[0].key, "x");
}

TEST(Reader, NetworkModeAllForms) {
    Scenario sc = read(R"(
services:
  a: {network_mode: bridge}
  b: {network_mode: host}
  c: {network_mode: none}
  d: {network_mode: "service:a"}
  e: {network_mode: "container:shop-a-1"}
)");
    EXPECT_EQ(sc.services[0].networkMode, NetworkMode::Bridge);
    EXPECT_EQ(sc.services[1].networkMode, NetworkMode::Host);
    EXPECT_EQ(sc.services[2].networkMode, NetworkMode::None);
    EXPECT_EQ(sc.services[3].networkMode, NetworkMode::Service);
    EXPECT_EQ(sc.services[3].networkModeTarget, "a");
    EXPECT_EQ(sc.services[4].networkMode, NetworkMode::Container);
    EXPECT_EQ(sc.services[4].networkModeTarget, "shop-a-1");
}

TEST(Reader, PortsShortSyntax) {
    Scenario sc = read(R"(
services:
  web:
    ports: ["8080:80", "127.0.0.1:8443:443/tcp", "53:53/udp", 9000, "7000-7002:8000-8002", "127.0.0.1::81"]
)");
    const auto& p = sc.services[0].ports;
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p[0].publishedFirst, 8080);
    EXPECT_EQ(p[0].targetFirst, 80);
    EXPECT_EQ(p[1].hostIp->str(), "127.0.0.1");
    EXPECT_EQ(p[1].publishedFirst, 8443);
    EXPECT_EQ(p[2].proto, Proto::Udp);
    EXPECT_EQ(p[3].publishedFirst, 0);
    EXPECT_EQ(p[3].targetFirst, 9000);
    EXPECT_EQ(p[4].publishedLast, 7002);
    EXPECT_EQ(p[4].targetLast, 8002);
    EXPECT_EQ(p[5].publishedFirst, 0);
    EXPECT_EQ(p[5].hostIp->str(), "127.0.0.1");
}

// "8000-8002:80": Docker publishes container port 80 on the first free port
// of the host range; cnmlab takes its first port. The file keeps the range.
TEST(Reader, HostRangeForOneContainerPortTakesItsFirstPort) {
    Scenario sc = read(R"(
services:
  web:
    ports: ["8000-8002:80", {target: 91, published: "9100-9105", protocol: udp}]
)");
    const auto& p = sc.services[0].ports;
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].publishedFirst, 8000);
    EXPECT_EQ(p[0].publishedLast, 8000);
    EXPECT_EQ(p[0].targetFirst, 80);
    EXPECT_EQ(p[0].targetLast, 80);
    EXPECT_EQ(p[1].publishedFirst, 9100);
    EXPECT_EQ(p[1].publishedLast, 9100);
    EXPECT_EQ(p[1].proto, Proto::Udp);
    EXPECT_NE(writeScenario(sc).find("8000-8002:80"), std::string::npos);
}

TEST(Reader, MacAddressInDockersThreeSpellings) {
    Scenario sc = read(R"(
services:
  a: {mac_address: "02:42:AC:11:00:99"}
  b: {mac_address: 02-42-ac-11-00-98}
  c: {mac_address: 0242.ac11.0097}
  d: {}
)");
    ASSERT_TRUE(sc.services[0].macAddress);
    EXPECT_EQ(macStr(*sc.services[0].macAddress), "02:42:ac:11:00:99");
    EXPECT_EQ(macStr(*sc.services[1].macAddress), "02:42:ac:11:00:98");
    EXPECT_EQ(macStr(*sc.services[2].macAddress), "02:42:ac:11:00:97");
    EXPECT_FALSE(sc.services[3].macAddress);
    // Written back as it was written, and read back the same.
    const Scenario again = read(writeScenario(sc));
    EXPECT_EQ(again.services[1].macText, "02-42-ac-11-00-98");
    EXPECT_EQ(again.services[1].macAddress, sc.services[1].macAddress);
}

TEST(Reader, PortsLongSyntax) {
    Scenario sc = read(R"(
services:
  web:
    ports:
      - {target: 80, published: "8080", protocol: udp, host_ip: 0.0.0.0, mode: host}
)");
    const auto& p = sc.services[0].ports[0];
    EXPECT_EQ(p.targetFirst, 80);
    EXPECT_EQ(p.publishedFirst, 8080);
    EXPECT_EQ(p.proto, Proto::Udp);
    EXPECT_EQ(p.hostIp->str(), "0.0.0.0");
}

TEST(Reader, ExposeAndListen) {
    Scenario sc = read(R"(
services:
  web: {expose: ["5432", 80, "1000-1002/udp"], x-listen: [8080/tcp]}
)");
    const auto& s = sc.services[0];
    ASSERT_EQ(s.expose.size(), 5u);
    EXPECT_EQ(s.expose[0].port, 5432);
    EXPECT_EQ(s.expose[4], (PortProto{1002, Proto::Udp}));
    EXPECT_EQ(s.listen[0], (PortProto{8080, Proto::Tcp}));
}

TEST(Reader, ContainerNameAndHostname) {
    Scenario sc = read("services: {web: {container_name: front-door, hostname: w1}, db: {}}");
    EXPECT_EQ(sc.containerName(sc.services[0]), "front-door");
    EXPECT_EQ(*sc.services[0].hostname, "w1");
    EXPECT_EQ(sc.containerName(sc.services[1]), "shop-db-1");
}

TEST(Reader, NetworkKeys) {
    Scenario sc = read(R"(
services: {a: {networks: [n]}}
networks:
  n:
    name: custom
    driver: overlay
    attachable: true
    internal: true
    driver_opts: {encrypted: "", com.docker.network.driver.mtu: 1400}
    ipam:
      driver: default
      config:
        - subnet: 10.10.0.0/24
          ip_range: 10.10.0.128/25
          gateway: 10.10.0.254
          aux_addresses: {router: 10.10.0.5}
  ext: {external: true}
)");
    const NetworkSpec& n = sc.networks[0];
    EXPECT_EQ(sc.networkName(n), "custom");
    EXPECT_EQ(n.driver, "overlay");
    EXPECT_TRUE(n.attachable);
    EXPECT_TRUE(n.internal);
    ASSERT_EQ(n.driverOpts.size(), 2u);
    EXPECT_EQ(n.driverOpts[1].second, "1400");
    const IpamConfig& c = n.ipamConfigs[0];
    EXPECT_EQ(c.subnet->str(), "10.10.0.0/24");
    EXPECT_EQ(c.ipRange->str(), "10.10.0.128/25");
    EXPECT_EQ(c.gateway->str(), "10.10.0.254");
    EXPECT_EQ(c.auxAddresses[0].second.str(), "10.10.0.5");
    EXPECT_TRUE(sc.networks[1].external);
    EXPECT_EQ(sc.networkName(sc.networks[1]), "ext");
}

TEST(Reader, ProbesLessonLayout) {
    Scenario sc = read(R"(
x-externals: {internet: {address: 203.0.113.10}}
services: {web: {}, db: {}}
x-probes:
  - {from: web, to: db, expect: reachable}
  - {from: db, to: web, proto: tcp, port: 80, expect: unreachable}
  - {from: web, resolve: db, expect: 172.18.0.3}
  - {from: web, resolve: nope, expect: nxdomain}
  - {from: web, to: internet, expect: reachable}
  - {from: host1, to: 127.0.0.1, expect: reachable}
x-lesson:
  title: {en: Hello, zh: 你好}
  steps:
    - {en: one, zh: 一, highlight: [web, default], probe: 1}
x-layout: {web: [120, 80.5], default: [300, 80]}
)");
    ASSERT_EQ(sc.probes.size(), 6u);
    EXPECT_EQ(sc.probes[1].proto, Proto::Tcp);
    EXPECT_EQ(*sc.probes[1].port, 80);
    EXPECT_EQ(sc.probes[1].expect, Expect::Unreachable);
    EXPECT_EQ(sc.probes[2].expect, Expect::Address);
    EXPECT_EQ(sc.probes[2].expectAddress->str(), "172.18.0.3");
    EXPECT_EQ(sc.probes[3].expect, Expect::NxDomain);
    ASSERT_TRUE(sc.lesson);
    EXPECT_EQ(sc.lesson->title.zh, "你好");
    EXPECT_EQ(*sc.lesson->steps[0].probe, 1);
    EXPECT_EQ(sc.layout[0].second.second, 80.5);
}

TEST(Reader, KeepsKeysCnmlabDoesNotModel) {
    Scenario sc = read(R"(
version: "3.8"
services:
  web: {image: nginx, environment: [A=1], volumes: ["./x:/y"], x-note: hi}
volumes: {data: {}}
)");
    const auto& extra = sc.services[0].extra;
    ASSERT_EQ(extra.size(), 4u);
    EXPECT_EQ(extra[0].first, "image");
    EXPECT_EQ(extra[0].second.Scalar(), "nginx");
    EXPECT_EQ(sc.extra.size(), 2u);
}

// Every file loads. A service with `deploy:` is a swarm service (SPEC §1a):
// minecraft.yaml's one service (deploy.resources only) runs as one task on
// the stack's default network, an overlay.
TEST(Reader, EveryFileOfTheComposeCorpusValidates) {
    int count = 0;
    int swarm = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(sourcePath("tests/data/compose-corpus"))) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        ++count;
        try {
            Scenario sc = readScenarioFile(entry.path().string());
            Topology t = resolve(sc);
            EXPECT_FALSE(t.containers.empty()) << entry.path();
            swarm += t.services.empty() ? 0 : 1;
        } catch (const Error& e) {
            ADD_FAILURE() << e.formatted();
        }
    }
    EXPECT_GE(count, 39);
    EXPECT_EQ(swarm, 1);  // minecraft.yaml
}

TEST(Reader, ADeployServiceIsASwarmServiceNotAPlainContainer) {
    const Scenario sc =
        readScenario("services:\n  web:\n    image: nginx\n    deploy: {replicas: 3}\n", "d.yaml");
    ASSERT_TRUE(sc.services[0].deploy);
    EXPECT_EQ(sc.services[0].deploy->replicas, 3);
    const Topology t = resolve(sc);
    ASSERT_EQ(t.services.size(), 1u);
    EXPECT_EQ(t.services[0].tasks, (std::vector<std::string>{"web.1", "web.2", "web.3"}));
    EXPECT_EQ(t.findNetwork("default")->driver, "overlay");  // the stack's default network
    EXPECT_EQ(t.findContainer("web.2")->name, "d_web.2");
}

TEST(Reader, NearMissXKeysWarnAndStayLegal) {
    const Scenario sc = readScenario(R"(
x-probs: []
x-lessons: {}
x-hots: {}
x-logging: &log {driver: json-file}
services:
  web: {image: nginx, x-lisen: [80], x-hosts: host1}
)",
                                     "w.yaml");
    std::vector<std::string> got;
    for (const auto& w : sc.warnings) {
        got.push_back(w.formatted());
    }
    ASSERT_EQ(got.size(), 5u) << ::testing::PrintToString(got);
    EXPECT_EQ(got[0], "w.yaml:7:23: warning: services.web.x-lisen: cnmlab ignores 'x-lisen' "
                      "(Compose allows any x- key); did you mean 'x-listen'?");
    EXPECT_NE(got[1].find("did you mean 'x-host'?"), std::string::npos) << got[1];
    EXPECT_NE(got[2].find("x-probs: cnmlab ignores 'x-probs'"), std::string::npos) << got[2];
    EXPECT_NE(got[2].find("did you mean 'x-probes'?"), std::string::npos) << got[2];
    EXPECT_NE(got[3].find("did you mean 'x-lesson'?"), std::string::npos) << got[3];
    EXPECT_NE(got[4].find("did you mean 'x-hosts'?"), std::string::npos) << got[4];
    // x-logging is nobody's near miss: no warning for it.
}

TEST(Reader, ScenariosDirectoryValidates) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(sourcePath("scenarios"))) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        ++count;
        try {
            Scenario sc = readScenarioFile(entry.path().string());
            resolve(sc);
        } catch (const Error& e) {
            ADD_FAILURE() << e.formatted();
        }
    }
    EXPECT_GE(count, 1);
}
