// plan_text.hpp: the commands and iptables-save text of a Plan.
#include "test_util.hpp"

using namespace cnmlab::test;

namespace {

bool has(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
}

}  // namespace

TEST(PlanText, TourShowsWhatDockerCreates) {
    auto b = build(readText(sourcePath("scenarios/tour.yaml")), "tour.yaml");
    const std::string text = planText(b->plan);
    const std::string front = b->bridgeOf("front");
    const std::string back = b->bridgeOf("back");
    const std::string webVeth = "veth" + b->endpoint("web", "front").id.substr(0, 7);
    for (const std::string& line : {
             std::string("# ==== host1: Docker host ===="),
             std::string("ip netns add tour-web-1    # service web"),
             std::string("sysctl -w net.ipv4.ip_forward=1"),
             std::string("sysctl -w net.bridge.bridge-nf-call-iptables=1"),
             "ip link add " + front + " address " +
                 cnmlab::model::macStr(b->plan.findLink("host1", front)->mac) +
                 " mtu 1500 type bridge",
             "ip addr add 172.18.0.1/16 dev " + front,
             "ip addr add 10.20.0.1/24 dev " + back,
             "ip link add " + webVeth + " address " +
                 cnmlab::model::macStr(b->plan.findLink("host1", webVeth)->mac) +
                 " mtu 1500 master " + front +
                 " type veth peer name eth0 address 02:42:ac:12:00:02 mtu 1500 netns tour-web-1",
             std::string("ip -n tour-web-1 addr add 172.18.0.2/16 dev eth0"),
             std::string("ip -n tour-web-1 route add default via 172.18.0.1 dev eth0"),
             std::string("ip -n tour-api-1 route add default via 10.20.0.1 dev eth1"),
             std::string("*filter"),
             std::string(":FORWARD DROP [0:0]"),
             std::string(":DOCKER - [0:0]"),
             "-A FORWARD -o " + front + " -j DOCKER",
             std::string("COMMIT"),
             std::string("*nat"),
             "-A DOCKER ! -i " + front +
                 " -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80",
             std::string("docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip "
                         "172.18.0.2 -container-port 80 &"),
             std::string("# monitor listens on tcp 0.0.0.0:9100"),
             std::string("# embedded DNS (127.0.0.11) answers www -> 172.18.0.2 (network front) "
                         "in tour-web-1"),
             std::string("# ==== _lan: the hosts' physical LAN (a switch) ===="),
             std::string("# ==== laptop: machine outside Docker ===="),
             std::string("ip addr add 192.168.100.50/24 dev eth0"),
         }) {
        EXPECT_TRUE(has(text, line)) << "missing: " << line << "\n" << text;
    }
    // Filter before nat, and the sandboxes' namespaces before the veths into them.
    EXPECT_LT(text.find("*filter"), text.find("*nat"));
    EXPECT_LT(text.find("ip netns add tour-web-1"), text.find("netns tour-web-1\n"));
}

TEST(PlanText, OneHostOnly) {
    auto b = build(readText(sourcePath("scenarios/tour.yaml")), "tour.yaml");
    const std::string text = planText(b->plan, "host1");
    EXPECT_NE(text.find("# ==== host1"), std::string::npos);
    EXPECT_EQ(text.find("# ==== _lan"), std::string::npos);
    EXPECT_EQ(planText(b->plan, "nosuchhost"), "");
}

TEST(PlanText, EquivalentOfEachObject) {
    using namespace cnmlab::drivers;
    EXPECT_EQ(equivalent(Netns{"shop-web-1", NetnsKind::Sandbox, "host1", "web"}),
              "ip netns add shop-web-1");
    Link br;
    br.netns = "host1";
    br.name = "br-0123456789ab";
    br.kind = LinkKind::Bridge;
    br.mac = {0x02, 0x42, 0x01, 0x02, 0x03, 0x04};
    EXPECT_EQ(equivalent(br),
              "ip link add br-0123456789ab address 02:42:01:02:03:04 mtu 1500 type bridge");
    EXPECT_EQ(equivalent(Address{"shop-web-1", "eth0", Cidr{Ipv4(172, 18, 0, 2), 16}}),
              "ip addr add 172.18.0.2/16 dev eth0");
    EXPECT_EQ(
        equivalent(Route{"shop-web-1", Cidr{Ipv4(), 0}, Ipv4(172, 18, 0, 1), "eth0", std::nullopt}),
        "ip route add default via 172.18.0.1 dev eth0");
    EXPECT_EQ(
        equivalent(Route{"h", Cidr{Ipv4(10, 0, 0, 0), 8}, std::nullopt, "eth1", Ipv4(10, 0, 0, 5)}),
        "ip route add 10.0.0.0/8 dev eth1 src 10.0.0.5");
    EXPECT_EQ(equivalent(Sysctl{"host1", "net.ipv4.ip_forward", "1"}),
              "sysctl -w net.ipv4.ip_forward=1");
    EXPECT_EQ(equivalent(NfChain{"host1", NfTable::Filter, "FORWARD", true, "DROP"}),
              "iptables -P FORWARD DROP");
    EXPECT_EQ(equivalent(NfChain{"host1", NfTable::Nat, "DOCKER", false, ""}),
              "iptables -t nat -N DOCKER");
    NfRule r;
    r.netns = "host1";
    r.table = NfTable::Nat;
    r.chain = "POSTROUTING";
    r.match.src = Cidr{Ipv4(172, 18, 0, 0), 16};
    r.match.outIf = "br-x";
    r.match.outIfNot = true;
    r.verdict = NfVerdict::Masquerade;
    EXPECT_EQ(equivalent(r),
              "iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br-x -j MASQUERADE");
    EXPECT_EQ(equivalent(Neighbor{"h", "eth0", Ipv4(10, 0, 0, 2), {0x02, 0x42, 0x0a, 0, 0, 2}}),
              "ip neigh add 10.0.0.2 lladdr 02:42:0a:00:00:02 dev eth0 nud permanent");
    EXPECT_EQ(inNetns("ip addr add 1.2.3.4/32 dev lo", "sb"),
              "ip -n sb addr add 1.2.3.4/32 dev lo");
    EXPECT_EQ(inNetns("sysctl -w a=1", "sb"), "ip netns exec sb sysctl -w a=1");
}

// libnetwork's programIngress writes `-m state -p tcp --sport P --state
// ESTABLISHED,RELATED`; iptables-save prints the protocol first, the state
// match (loaded first) before the tcp match --sport pulls in, and the states
// in libxt_conntrack's order.
TEST(PlanText, IngressStateRuleAsIptablesSavePrintsIt) {
    auto b = build(R"(
x-hosts:
  host1: {underlay: 192.168.100.11/24}
services:
  web:
    networks: [front]
    ports: ["8080:80"]
    deploy: {replicas: 1}
networks:
  front: {driver: overlay}
)");
    const auto rules = chainRules(b->plan, "host1", NfTable::Filter, "DOCKER-INGRESS");
    EXPECT_NE(std::find(rules.begin(), rules.end(),
                        "-A DOCKER-INGRESS -p tcp -m state --state RELATED,ESTABLISHED -m tcp "
                        "--sport 8080 -j ACCEPT"),
              rules.end())
        << ::testing::PrintToString(rules);
    NfRule r;
    r.chain = "INPUT";
    r.match.proto = cnmlab::model::Proto::Tcp;
    r.match.dport = 80;
    r.match.ctState = "ESTABLISHED,NEW";
    EXPECT_EQ(ruleSpec(r), "-A INPUT -p tcp -m tcp --dport 80 -m conntrack --ctstate "
                           "NEW,ESTABLISHED -j ACCEPT");
}
