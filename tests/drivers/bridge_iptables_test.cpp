// The bridge driver's netfilter rules, in order, as libnetwork 20.10 leaves them
// (drivers/bridge/setup_ip_tables.go, iptables/iptables.go, firewall_linux.go).
// The expected lists are what `iptables-save` shows on a real 20.10 host with
// docker0 and the scenario's bridges.
#include "test_util.hpp"

using namespace cnmlab::test;
using cnmlab::drivers::NfTable;
using V = std::vector<std::string>;

namespace {

const char* kOneBridge = R"(
services: {web: {networks: [front]}}
networks: {front: {}}
)";

V docker0Forward() {
    return {"-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A FORWARD -o docker0 -j DOCKER", "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
            "-A FORWARD -i docker0 -o docker0 -j ACCEPT"};
}

V concat(V a, const V& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace

TEST(BridgeIptables, OneUserBridgeFilterTableInDockerOrder) {
    auto b = build(kOneBridge);
    const std::string br = b->bridgeOf("front");
    EXPECT_EQ(
        chainRules(b->plan, "host1", NfTable::Filter, "FORWARD"),
        concat({"-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
                "-A FORWARD -o " + br + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A FORWARD -o " + br + " -j DOCKER",
                "-A FORWARD -i " + br + " ! -o " + br + " -j ACCEPT",
                "-A FORWARD -i " + br + " -o " + br + " -j ACCEPT"},
               docker0Forward()));
    EXPECT_EQ(
        chainRules(b->plan, "host1", NfTable::Filter, "DOCKER-ISOLATION-STAGE-1"),
        (V{"-A DOCKER-ISOLATION-STAGE-1 -i " + br + " ! -o " + br + " -j DOCKER-ISOLATION-STAGE-2",
           "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
           "-A DOCKER-ISOLATION-STAGE-1 -j RETURN"}));
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER-ISOLATION-STAGE-2"),
              (V{"-A DOCKER-ISOLATION-STAGE-2 -o " + br + " -j DROP",
                 "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
                 "-A DOCKER-ISOLATION-STAGE-2 -j RETURN"}));
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER-USER"),
              V{"-A DOCKER-USER -j RETURN"});
    EXPECT_TRUE(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER").empty());
}

TEST(BridgeIptables, OneUserBridgeNatTableInDockerOrder) {
    auto b = build(kOneBridge);
    const std::string br = b->bridgeOf("front");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "PREROUTING"),
              V{"-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER"});
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "OUTPUT"),
              V{"-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER"});
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "POSTROUTING"),
              (V{"-A POSTROUTING -s 172.18.0.0/16 ! -o " + br + " -j MASQUERADE",
                 "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"}));
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "DOCKER"),
              (V{"-A DOCKER -i " + br + " -j RETURN", "-A DOCKER -i docker0 -j RETURN"}));
}

TEST(BridgeIptables, ChainsAndForwardPolicyDrop) {
    auto b = build(kOneBridge);
    const std::string save = iptablesSave(b->plan, "host1");
    EXPECT_NE(save.find("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                        ":DOCKER - [0:0]\n:DOCKER-ISOLATION-STAGE-1 - [0:0]\n"
                        ":DOCKER-ISOLATION-STAGE-2 - [0:0]\n:DOCKER-USER - [0:0]\n"),
              std::string::npos)
        << save;
    EXPECT_NE(save.find("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT "
                        "[0:0]\n:POSTROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n"),
              std::string::npos)
        << save;
}

TEST(BridgeIptables, IccOffAppendsDropAtTheEndOfForward) {
    auto b = build(R"(
services: {web: {networks: [front]}}
networks:
  front: {driver_opts: {com.docker.network.bridge.enable_icc: "false"}}
)");
    const std::string br = b->bridgeOf("front");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "FORWARD"),
              concat(concat({"-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
                             "-A FORWARD -o " + br +
                                 " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                             "-A FORWARD -o " + br + " -j DOCKER",
                             "-A FORWARD -i " + br + " ! -o " + br + " -j ACCEPT"},
                            docker0Forward()),
                     {"-A FORWARD -i " + br + " -o " + br + " -j DROP"}));
}

TEST(BridgeIptables, InternalNetworkIsolatedWithoutNat) {
    auto b = build(R"(
services: {db: {networks: [back]}}
networks:
  back: {internal: true, ipam: {config: [{subnet: 10.20.0.0/24}]}}
)");
    const std::string br = b->bridgeOf("back");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER-ISOLATION-STAGE-1"),
              (V{"-A DOCKER-ISOLATION-STAGE-1 ! -s 10.20.0.0/24 -o " + br + " -j DROP",
                 "-A DOCKER-ISOLATION-STAGE-1 ! -d 10.20.0.0/24 -i " + br + " -j DROP",
                 "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
                 "-A DOCKER-ISOLATION-STAGE-1 -j RETURN"}));
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER-ISOLATION-STAGE-2"),
              (V{"-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
                 "-A DOCKER-ISOLATION-STAGE-2 -j RETURN"}));
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "FORWARD"),
              concat({"-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
                      "-A FORWARD -i " + br + " -o " + br + " -j ACCEPT"},
                     docker0Forward()));
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "POSTROUTING"),
              V{"-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"});
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "DOCKER"),
              V{"-A DOCKER -i docker0 -j RETURN"});
}

TEST(BridgeIptables, MasqueradeOffDropsNatAndSkipDnat) {
    auto b = build(R"(
services: {web: {networks: [front]}}
networks:
  front: {driver_opts: {com.docker.network.bridge.enable_ip_masquerade: "false"}}
)");
    const std::string br = b->bridgeOf("front");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "POSTROUTING"),
              V{"-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"});
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "DOCKER"),
              V{"-A DOCKER -i docker0 -j RETURN"});
    // Forwarding is unchanged.
    EXPECT_TRUE(contains(chainRules(b->plan, "host1", NfTable::Filter, "FORWARD"),
                         "-A FORWARD -i " + br + " ! -o " + br + " -j ACCEPT"));
}

TEST(BridgeIptables, PublishedPortDnatAcceptAndHairpin) {
    auto b = build(R"(
services: {web: {networks: [front], ports: ["8080:80"]}}
networks: {front: {}}
)");
    const std::string br = b->bridgeOf("front");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "DOCKER"),
              (V{"-A DOCKER -i " + br + " -j RETURN", "-A DOCKER -i docker0 -j RETURN",
                 "-A DOCKER ! -i " + br +
                     " -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80"}));
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER"),
              V{"-A DOCKER -d 172.18.0.2/32 ! -i " + br + " -o " + br +
                " -p tcp -m tcp --dport 80 -j ACCEPT"});
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "POSTROUTING").back(),
              "-A POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p tcp -m tcp --dport 80 -j "
              "MASQUERADE");
    EXPECT_TRUE(
        contains(listenersIn(b->plan, "host1"), "tcp 0.0.0.0:8080 docker-proxy -> 172.18.0.2:80"));
}

TEST(BridgeIptables, PublishedPortOnHostIp) {
    auto b = build(R"(
services: {web: {networks: [front], ports: ["127.0.0.1:8080:80/udp"]}}
networks: {front: {}}
)");
    const std::string br = b->bridgeOf("front");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "DOCKER").back(),
              "-A DOCKER -d 127.0.0.1/32 ! -i " + br +
                  " -p udp -m udp --dport 8080 -j DNAT --to-destination 172.18.0.2:80");
    EXPECT_TRUE(contains(listenersIn(b->plan, "host1"),
                         "udp 127.0.0.1:8080 docker-proxy -> 172.18.0.2:80"));
}

TEST(BridgeIptables, HostBindingOptionIsTheDefaultHostIp) {
    auto b = build(R"(
services: {web: {networks: [front], ports: ["8080:80"]}}
networks:
  front: {driver_opts: {com.docker.network.bridge.host_binding_ipv4: 192.168.100.11}}
)");
    const std::string br = b->bridgeOf("front");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "DOCKER").back(),
              "-A DOCKER -d 192.168.100.11/32 ! -i " + br +
                  " -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80");
}

TEST(BridgeIptables, EphemeralHostPortsStartAt32768) {
    auto b = build(R"(
services: {web: {ports: ["80", "81"]}}
)");
    const auto l = listenersIn(b->plan, "host1");
    EXPECT_TRUE(contains(l, "tcp 0.0.0.0:32768 docker-proxy -> 172.18.0.2:80"));
    EXPECT_TRUE(contains(l, "tcp 0.0.0.0:32769 docker-proxy -> 172.18.0.2:81"));
}

TEST(BridgeIptables, PortAllocatedTwiceIsAConflict) {
    const auto e = planError(R"(
services:
  a: {ports: ["8080:80"]}
  b: {ports: ["8080:80"]}
)");
    EXPECT_EQ(e.kind(), cnmlab::model::ErrorKind::Conflict);
    EXPECT_NE(e.message().find("Bind for 0.0.0.0:8080 failed: port is already allocated"),
              std::string::npos);
    EXPECT_EQ(e.pos().line, 4);
}

TEST(BridgeIptables, PortsGoToTheGatewayEndpoint) {
    // shop_back sorts before shop_front: back is the gateway endpoint (sandbox.go).
    auto b = build(R"(
services: {api: {networks: [front, back], ports: ["5000:5000"]}}
networks: {front: {}, back: {}}
)");
    const std::string back = b->bridgeOf("back");
    const std::string ip = b->endpoint("api", "back").ipv4.str();
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Nat, "DOCKER").back(),
              "-A DOCKER ! -i " + back + " -p tcp -m tcp --dport 5000 -j DNAT --to-destination " +
                  ip + ":5000");
    EXPECT_EQ(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER").size(), 1U);
}

TEST(BridgeIptables, NoPortsPublishedFromAnInternalOnlyContainer) {
    auto b = build(R"(
services: {db: {networks: [back], ports: ["5432:5432"]}}
networks: {back: {internal: true}}
)");
    EXPECT_TRUE(chainRules(b->plan, "host1", NfTable::Filter, "DOCKER").empty());
    EXPECT_TRUE(listenersIn(b->plan, "host1").empty());
}

TEST(BridgeIptables, EveryRuleSaysWhy) {
    auto b = build(readText(sourcePath("scenarios/tour.yaml")), "tour.yaml");
    for (const auto& r : b->plan.rules) {
        EXPECT_FALSE(r.why.empty()) << ruleSpec(r);
        EXPECT_EQ(r.why.back(), '.') << r.why;
    }
}
