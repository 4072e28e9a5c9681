// Every error of issue #2: the message names the key, and the line and column
// point at it. `loadError` reads and resolves, as `cnmlab validate` does.
#include <gtest/gtest.h>

#include "test_util.hpp"

using cnmlab::test::loadError;
using namespace cnmlab::model;

namespace {

void expectError(const std::string& yaml, int line, int col, const std::string& fragment) {
    const Error e = loadError(yaml);
    ASSERT_NE(e.kind(), ErrorKind::System) << "expected an error for:\n" << yaml;
    EXPECT_EQ(e.pos().file, "t.yaml");
    EXPECT_EQ(e.pos().line, line) << e.formatted();
    EXPECT_EQ(e.pos().column, col) << e.formatted();
    EXPECT_NE(e.message().find(fragment), std::string::npos)
        << "message '" << e.message() << "' lacks '" << fragment << "'";
}

}  // namespace

TEST(ReaderErrors, NotYaml) {
    expectError("services: [a\nb: c", 2, 2, "not valid YAML");
}

TEST(ReaderErrors, NotAMapping) {
    expectError("- a\n- b\n", 1, 1, "must be a mapping");
    expectError("", 1, 1, "empty");
}

TEST(ReaderErrors, FormattedAsFileLineCol) {
    const Error e = loadError("services:\n  web:\n    imagee: nginx\n");
    EXPECT_EQ(e.formatted().rfind("t.yaml:3:5: error: services.web: unknown key 'imagee'", 0), 0u)
        << e.formatted();
}

TEST(ReaderErrors, UnknownTopLevelKey) {
    expectError("services: {}\nnetwork: {}\n", 2, 1, "unknown key 'network'");
}

TEST(ReaderErrors, UnknownNetworkKey) {
    expectError("services: {}\nnetworks:\n  a:\n    drivr: bridge\n", 4, 5,
                "networks.a: unknown key 'drivr'");
}

TEST(ReaderErrors, WrongTypeNamesPath) {
    expectError("services:\n  web:\n    ports: 80\n", 3, 12, "services.web.ports: expected a list");
}

TEST(ReaderErrors, DuplicateKey) {
    expectError("services:\n  web: {}\n  web: {}\n", 3, 3, "duplicate key 'web'");
}

TEST(ReaderErrors, UnknownDriver) {
    expectError("services: {}\nnetworks:\n  a: {driver: brdge}\n", 3, 15,
                "unknown network driver 'brdge'");
}

TEST(ReaderErrors, HostDriverForUserNetwork) {
    expectError("services: {}\nnetworks:\n  a: {driver: host}\n", 3, 15,
                "only one instance of the \"host\" network");
}

TEST(ReaderErrors, UndefinedNetwork) {
    expectError("services:\n  web:\n    networks: [front]\n", 3, 16,
                "refers to undefined network 'front'");
}

TEST(ReaderErrors, UnknownHost) {
    expectError("services:\n  web: {x-host: host9}\n", 2, 17, "no host 'host9'");
}

TEST(ReaderErrors, UnknownServiceInNetworkMode) {
    expectError("services:\n  web: {network_mode: \"service:db\"}\n", 2, 23, "no service 'db'");
}

TEST(ReaderErrors, BadNetworkMode) {
    expectError("services:\n  web: {network_mode: bridgee}\n", 2, 23, "not a network mode");
}

TEST(ReaderErrors, MalformedCidr) {
    expectError("services: {}\nnetworks:\n  a:\n    ipam: {config: [{subnet: 10.0.0/24}]}\n", 4, 30,
                "networks.a.ipam.config[0].subnet: '10.0.0/24' is not an IPv4 subnet");
}

TEST(ReaderErrors, SubnetWithHostBits) {
    expectError("services: {}\nnetworks:\n  a:\n    ipam: {config: [{subnet: 10.0.0.1/24}]}\n", 4,
                30, "host bits set");
}

TEST(ReaderErrors, MalformedAddress) {
    expectError(
        "services:\n  w:\n    networks:\n      a: {ipv4_address: 10.0.0.300}\nnetworks:\n  a: {}\n",
        4, 25, "'10.0.0.300' is not an IPv4 address");
}

TEST(ReaderErrors, MalformedPort) {
    expectError("services:\n  web:\n    ports: [\"8080:80000\"]\n", 3, 13,
                "services.web.ports[0]: '80000' is not a port");
    expectError("services:\n  web:\n    expose: [\"http\"]\n", 3, 14, "is not a port");
    expectError("services:\n  web:\n    ports: [\"80/sctp\"]\n", 3, 13, "unknown protocol 'sctp'");
}

TEST(ReaderErrors, OverlappingSubnetsOnOneHost) {
    expectError(R"(services: {a: {networks: [x, y]}}
networks:
  x: {ipam: {config: [{subnet: 10.0.0.0/16}]}}
  y: {ipam: {config: [{subnet: 10.0.5.0/24}]}}
)",
                4, 23, "overlaps 10.0.0.0/16 of network t_x on host1");
}

TEST(ReaderErrors, SubnetOverlappingDocker0) {
    expectError("services: {a: {networks: [x]}}\nnetworks:\n  x: {ipam: {config: [{subnet: "
                "172.17.5.0/24}]}}\n",
                3, 23, "network bridge");
}

TEST(ReaderErrors, OverlaySubnetsOverlapAcrossHosts) {
    expectError(R"(x-hosts:
  h1: {underlay: 192.168.1.1/24}
  h2: {underlay: 192.168.1.2/24}
services:
  a: {x-host: h1, networks: [x]}
  b: {x-host: h2, networks: [y]}
networks:
  x: {driver: overlay, ipam: {config: [{subnet: 10.9.0.0/16}]}}
  y: {ipam: {config: [{subnet: 10.9.1.0/24}]}}
)",
                9, 23, "overlaps");
}

TEST(ReaderErrors, BridgeSubnetsMayRepeatOnDifferentHosts) {
    const Error e = loadError(R"(x-hosts:
  h1: {underlay: 192.168.1.1/24}
  h2: {underlay: 192.168.1.2/24}
services:
  a: {x-host: h1, networks: [x]}
  b: {x-host: h2, networks: [y]}
networks:
  x: {ipam: {config: [{subnet: 10.9.0.0/16}]}}
  y: {ipam: {config: [{subnet: 10.9.1.0/24}]}}
)");
    EXPECT_EQ(e.kind(), ErrorKind::System) << e.formatted();  // i.e. no error
}

TEST(ReaderErrors, StaticAddressOutsideSubnet) {
    expectError(R"(services:
  w:
    networks:
      a: {ipv4_address: 10.1.0.5}
networks:
  a: {ipam: {config: [{subnet: 10.0.0.0/24}]}}
)",
                4, 25, "services.w.networks.a.ipv4_address");
}

TEST(ReaderErrors, StaticAddressEqualsGateway) {
    expectError(R"(services:
  w:
    networks:
      a: {ipv4_address: 10.0.0.1}
networks:
  a: {ipam: {config: [{subnet: 10.0.0.0/24}]}}
)",
                4, 25, "10.0.0.1 is the gateway of t_a");
}

TEST(ReaderErrors, StaticAddressGivenTwice) {
    expectError(R"(services:
  v:
    networks:
      a: {ipv4_address: 10.0.0.7}
  w:
    networks:
      a: {ipv4_address: 10.0.0.7}
networks:
  a: {ipam: {config: [{subnet: 10.0.0.0/24}]}}
)",
                7, 25, "already the address of v");
}

TEST(ReaderErrors, StaticAddressNeedsUserSubnet) {
    expectError(
        "services:\n  w:\n    networks:\n      a: {ipv4_address: 10.0.0.7}\nnetworks:\n  a: {}\n",
        4, 25, "user configured subnets");
}

TEST(ReaderErrors, NetworkModeWithNetworks) {
    expectError("services:\n  w:\n    network_mode: host\n    networks: [a]\nnetworks: {a: {}}\n",
                3, 19, "network_mode and networks cannot be used together");
}

TEST(ReaderErrors, PortsWithHostMode) {
    expectError("services:\n  w:\n    network_mode: host\n    ports: [\"80:80\"]\n", 4, 13,
                "published ports are discarded in network_mode: host");
}

TEST(ReaderErrors, ServiceCycle) {
    expectError(R"(services:
  a: {network_mode: "service:b"}
  b: {network_mode: "service:c"}
  c: {network_mode: "service:a"}
)",
                2, 21, "cycle: a -> b -> c -> a");
}

TEST(ReaderErrors, ProbeNamingUnknown) {
    expectError("services: {web: {}}\nx-probes:\n  - {from: web, to: dbb, expect: reachable}\n", 3,
                21, "x-probes[0].to: 'dbb' is not a service");
    expectError("services: {web: {}}\nx-probes:\n  - {from: wbe, to: web, expect: reachable}\n", 3,
                12, "x-probes[0].from: 'wbe'");
}

TEST(ReaderErrors, ProbeBadExpect) {
    expectError("services: {web: {}}\nx-probes:\n  - {from: web, to: web, expect: maybe}\n", 3, 34,
                "expected reachable or unreachable");
}

TEST(ReaderErrors, LessonProbeOutOfRange) {
    expectError("services: {web: {}}\nx-lesson:\n  steps:\n    - {en: a, probe: 3}\n", 4, 7,
                "there is no probe 3");
}

TEST(ReaderErrors, LessonHighlightMisspelledIsReportedAtTheName) {
    expectError("services: {web: {}}\nx-lesson:\n  steps:\n    - {en: a, highlight: [web, wbe]}\n",
                4, 32, "x-lesson.steps[0].highlight: 'wbe'");
    expectError("services: {web: {}}\nx-lesson:\n  steps:\n    - en: a\n      highlight:\n"
                "        - web\n        - wbe\n",
                7, 11, "'wbe' is not a service");
}

TEST(ReaderErrors, HostUnderlayNotOnLan) {
    expectError(R"(x-hosts:
  h1: {underlay: 192.168.1.1/24}
  h2: {underlay: 10.0.0.2/24}
services: {}
)",
                3, 3, "not on the hosts' LAN");
}

TEST(ReaderErrors, PoolExhaustedNamesNetwork) {
    std::string yaml = "services:\n";
    for (int i = 0; i < 3; ++i) {
        yaml += "  s" + std::to_string(i) + ": {networks: [tiny]}\n";
    }
    yaml += "networks:\n  tiny: {ipam: {config: [{subnet: 10.0.0.0/30}]}}\n";
    const Error e = loadError(yaml);
    EXPECT_NE(e.message().find("tiny"), std::string::npos) << e.formatted();
    EXPECT_EQ(e.pos().line, 3);  // s1, the first that finds the pool full
}

TEST(ReaderErrors, NetworkBodyMustBeAMapping) {
    // Found by the fuzzer: a key outside Compose's name pattern escaped the schema.
    expectError("services: {}\nnetworks:\n  b:0 ipnet: 10.1.2.0/24\n", 3, 3,
                "networks: 'b:0 ipnet' is not a valid network name (Compose allows letters, "
                "digits, '.', '_' and '-')");
    expectError("services:\n  web: 5\n", 2, 8, "services.web: expected");
}

// Machine and container names as Docker checks container names: cnmlab's own
// namespaces start with '_', so no user name can take theirs.
TEST(ReaderErrors, MachineAndContainerNamesStartWithALetterOrDigit) {
    expectError("x-hosts:\n  _lan: {underlay: 192.168.100.11/24}\n", 2, 3,
                "x-hosts: '_lan' is not a valid host name");
    expectError("x-externals:\n  a/b: {underlay: 192.168.100.50/24}\n", 2, 3,
                "x-externals: 'a/b' is not a valid machine name");
    expectError("services:\n  web: {container_name: _router}\n", 2, 25,
                "services.web.container_name: '_router' is not a valid container name");
    expectError("services:\n  web: {container_name: x}\n", 2, 25, "too short");
}

// x-layout errors name their own key's line, not the top of the file.
TEST(ReaderErrors, LayoutOfSomethingUnknownIsPositioned) {
    expectError("services: {web: {}}\nx-layout:\n  web: [1, 2]\n  wbe: [3, 4]\n", 4, 3,
                "x-layout.wbe: 'wbe' is not a service");
}

// A service key outside Compose's names: said as such, at the key, with what
// Compose allows (not as an unknown key of the schema).
TEST(ReaderErrors, BadServiceNameSaysWhatIsAllowed) {
    expectError("services:\n  web: {}\n  \"Bad Name!\": {}\n", 3, 3,
                "services: 'Bad Name!' is not a valid service name (Compose allows letters, "
                "digits, '.', '_' and '-')");
    expectError("services:\n  web:\n    networks:\n      \"a b\": {}\n", 4, 7,
                "services.web.networks: 'a b' is not a valid network name");
}

// The router's address taken by a machine: at that machine, naming its key
// and the external that puts the router there.
TEST(ReaderErrors, LanRouterAddressConflictIsPositioned) {
    expectError("x-externals:\n  gw: {underlay: 192.168.100.1/24}\n"
                "  internet: {address: 203.0.113.10}\nservices: {web: {}}\n",
                2, 3,
                "x-externals.gw.underlay: 192.168.100.1 is the LAN router's address (the LAN's "
                "first address; the router is there because x-externals.internet lies beyond "
                "the LAN)");
    expectError("x-hosts:\n  host1: {underlay: 10.0.0.11/24}\n  host2: {underlay: 10.0.0.1/24}\n"
                "x-externals:\n  internet: {address: 203.0.113.10}\n",
                3, 3, "x-hosts.host2.underlay: 10.0.0.1 is the LAN router's address");
    // Without an external beyond the LAN there is no router, and .1 is free.
    EXPECT_EQ(loadError("x-externals:\n  gw: {underlay: 192.168.100.1/24}\n").kind(),
              ErrorKind::System);
}

// `include:` would bring in other files' services: refused, not ignored.
TEST(ReaderErrors, IncludeIsUnsupported) {
    expectError("include:\n  - other.yaml\nservices: {web: {}}\n", 1, 1,
                "include: cnmlab reads one file");
    EXPECT_EQ(loadError("include: [other.yaml]\n").kind(), ErrorKind::Unsupported);
}

TEST(ReaderErrors, MacAddressMustBeAUnicastMac) {
    expectError("services:\n  web: {mac_address: nope}\n", 2, 22,
                "services.web.mac_address: 'nope' is not a MAC address");
    expectError("services:\n  web: {mac_address: \"01:00:5e:00:00:01\"}\n", 2, 22,
                "is not a unicast address");
    expectError("services:\n  web: {mac_address: \"00:00:00:00:00:00\"}\n", 2, 22,
                "is not a unicast address");
}

// Docker refuses a MAC with the host's or another container's stack, and its
// ipvlan driver refuses one of the user's (validateNetMode, ipvlan CreateEndpoint).
TEST(ReaderErrors, MacAddressWhereDockerRefusesIt) {
    expectError("services:\n  web: {network_mode: host, mac_address: \"02:42:ac:11:00:99\"}\n", 2,
                42,
                "services.web.mac_address: conflicting options: mac-address and the network mode");
    expectError("services:\n  a: {}\n  b: {network_mode: \"service:a\", mac_address: "
                "\"02:42:ac:11:00:99\"}\n",
                3, 47, "conflicting options: mac-address and the network mode");
    expectError("services:\n  web: {networks: [l], mac_address: \"02:42:ac:11:00:99\"}\n"
                "networks:\n  l: {driver: ipvlan}\n",
                2, 37, "ipvlan interfaces do not support custom mac address assignment");
}

// Docker maps a host range to a container range of the same size, or to one
// container port; a single host port for a container range is refused.
TEST(ReaderErrors, PortRangesOfDifferentSizes) {
    expectError("services:\n  web: {ports: [\"8080:80-82\"]}\n", 2, 17,
                "services.web.ports[0]: the host and container port ranges differ in size");
    expectError("services:\n  web: {ports: [\"8000-8001:80-82\"]}\n", 2, 17, "differ in size");
}
