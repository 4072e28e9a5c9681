// The simulated kernel on hand-built Plans: one Docker host with a bridge and
// veth-connected sandboxes, so each device behaviour is pinned without the
// drivers.
#include <gtest/gtest.h>

#include "sim/probe.hpp"
#include "sim/world.hpp"
#include "tests/sim/hand_plan.hpp"

using namespace cnmlab;
using namespace cnmlab::sim;
using drivers::LinkKind;
using drivers::NetnsKind;
using test::bridge;
using test::cidr;
using test::ip;
using test::veth;

namespace {

Mac mac(std::uint8_t last) {
    return Mac{0x02, 0x42, 0xac, 0x12, 0x00, last};
}

// host1 with bridge br0 (172.18.0.1/16) and N sandboxes c1..cN at 172.18.0.(i+1).
drivers::Plan bridgePlan(int n) {
    drivers::Plan p;
    p.namespaces.push_back({"host1", NetnsKind::Host, "host1", ""});
    p.links.push_back(bridge("host1", "br0", Mac{0x02, 0x42, 0, 0, 0, 1}));
    p.addresses.push_back({"host1", "br0", cidr("172.18.0.1/16")});
    p.sysctls.push_back({"host1", "net.ipv4.ip_forward", "1"});
    p.sysctls.push_back({"host1", "net.bridge.bridge-nf-call-iptables", "1"});
    for (int i = 1; i <= n; ++i) {
        const std::string sb = "c" + std::to_string(i);
        p.namespaces.push_back({sb, NetnsKind::Sandbox, "host1", sb});
        const std::string port = "veth" + std::to_string(i);
        p.links.push_back(veth(sb, "eth0", "host1", port, mac(static_cast<std::uint8_t>(i + 1))));
        p.links.push_back(veth("host1", port, sb, "eth0",
                               Mac{0x0a, 0, 0, 0, 0, static_cast<std::uint8_t>(i)}, 1500, "br0"));
        p.addresses.push_back(
            {sb, "eth0", cidr(("172.18.0." + std::to_string(i + 1) + "/16").c_str())});
        p.routes.push_back({sb, cidr("0.0.0.0/0"), ip("172.18.0.1"), "eth0", std::nullopt});
    }
    return p;
}

bool hasAction(const std::vector<Hop>& hops, const std::string& act) {
    return std::any_of(hops.begin(), hops.end(), [&](const Hop& h) { return h.action == act; });
}

}  // namespace

TEST(World, PingAcrossBridgeArpsThenFloodsThenLearns) {
    drivers::Plan p = bridgePlan(3);
    World w(p);
    ProbeResult r =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Icmp, 0, true);
    EXPECT_TRUE(r.reachable) << w.explain(r.reason).en;
    EXPECT_TRUE(hasAction(r.hops, action::kArp));
    EXPECT_TRUE(hasAction(r.hops, action::kFlood));
    EXPECT_TRUE(hasAction(r.hops, action::kLearn));
    // The second ping finds ARP and FDB state in place: no flood, no ARP.
    ProbeResult again =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Icmp, 0, true);
    EXPECT_TRUE(again.reachable);
    EXPECT_FALSE(hasAction(again.hops, action::kFlood));
    EXPECT_FALSE(hasAction(again.hops, action::kArp));
}

TEST(World, FloodReachesEveryOtherPort) {
    drivers::Plan p = bridgePlan(4);
    World w(p);
    ProbeResult r =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Icmp, 0, true);
    ASSERT_TRUE(r.reachable);
    const auto flood = std::find_if(r.hops.begin(), r.hops.end(),
                                    [](const Hop& h) { return h.action == action::kFlood; });
    ASSERT_NE(flood, r.hops.end());
    EXPECT_NE(flood->explain.en.find("other 3 port(s)"), std::string::npos) << flood->explain.en;
}

TEST(World, UnknownAddressFailsArp) {
    drivers::Plan p = bridgePlan(2);
    World w(p);
    ProbeResult r =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.99"), model::Proto::Icmp, 0, false);
    EXPECT_FALSE(r.reachable);
    EXPECT_NE(w.explain(r.reason).en.find("no ARP reply for 172.18.0.99"), std::string::npos)
        << w.explain(r.reason).en;
}

TEST(World, TcpToListenerGetsSynAckElseRst) {
    drivers::Plan p = bridgePlan(2);
    p.listeners.push_back({"c2", Ipv4(), 80, model::Proto::Tcp, "web", std::nullopt, std::nullopt});
    World w(p);
    EXPECT_TRUE(runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Tcp, 80, false)
                    .reachable);
    ProbeResult r =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Tcp, 81, false);
    EXPECT_FALSE(r.reachable);
    EXPECT_NE(w.explain(r.reason).en.find("RST"), std::string::npos) << w.explain(r.reason).en;
}

TEST(World, UdpWithoutListenerGetsPortUnreachable) {
    drivers::Plan p = bridgePlan(2);
    World w(p);
    ProbeResult r =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Udp, 9, false);
    EXPECT_FALSE(r.reachable);
    EXPECT_NE(w.explain(r.reason).en.find("port unreachable"), std::string::npos)
        << w.explain(r.reason).en;
}

TEST(World, IccOffDropsBridgedTrafficInForward) {
    drivers::Plan p = bridgePlan(2);
    p.chains.push_back({"host1", drivers::NfTable::Filter, "FORWARD", true, "DROP"});
    drivers::NfRule r;
    r.netns = "host1";
    r.chain = "FORWARD";
    r.match.inIf = "br0";
    r.match.outIf = "br0";
    r.verdict = drivers::NfVerdict::Drop;
    r.why = "inter-container communication is disabled on br0";
    p.rules.push_back(r);
    World w(p);
    ProbeResult res =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Icmp, 0, false);
    EXPECT_FALSE(res.reachable);
    EXPECT_NE(w.explain(res.reason).en.find("dropped by FORWARD on host1"), std::string::npos)
        << w.explain(res.reason).en;
    EXPECT_NE(w.explain(res.reason).en.find("inter-container communication is disabled"),
              std::string::npos);
}

// Rules are evaluated in order even though the ones a packet's interfaces alone
// decide are settled once per key: a per-packet rule before them still wins,
// a chain that RETURNs for the key is skipped, and one that decides for the key
// ends the evaluation.
TEST(World, KeyDecidedRulesKeepTheirPlaceAmongPerPacketRules) {
    drivers::Plan p = bridgePlan(3);
    p.listeners.push_back({"c2", Ipv4(), 80, model::Proto::Tcp, "web", std::nullopt, std::nullopt});
    p.listeners.push_back({"c2", Ipv4(), 81, model::Proto::Tcp, "web", std::nullopt, std::nullopt});
    p.listeners.push_back({"c3", Ipv4(), 80, model::Proto::Tcp, "web", std::nullopt, std::nullopt});
    p.chains.push_back({"host1", drivers::NfTable::Filter, "FORWARD", true, "ACCEPT"});
    p.chains.push_back({"host1", drivers::NfTable::Filter, "PASS", false, ""});
    p.chains.push_back({"host1", drivers::NfTable::Filter, "PORTS", false, ""});
    auto rule = [&](const char* chain, drivers::NfVerdict v, const char* target = "") {
        drivers::NfRule r;
        r.netns = "host1";
        r.chain = chain;
        r.match.inIf = "br0";
        r.match.outIf = "br0";
        r.verdict = v;
        r.target = target;
        r.why = std::string(chain) + " rule " + std::to_string(p.rules.size());
        return r;
    };
    drivers::NfRule replies = rule("FORWARD", drivers::NfVerdict::Accept);
    replies.match.ctEstablished = true;
    drivers::NfRule pass = rule("FORWARD", drivers::NfVerdict::Jump, "PASS");  // PASS returns
    drivers::NfRule returns = rule("PASS", drivers::NfVerdict::Return);
    drivers::NfRule toPorts = rule("FORWARD", drivers::NfVerdict::Jump, "PORTS");
    drivers::NfRule allow80 = rule("PORTS", drivers::NfVerdict::Accept);
    allow80.match.proto = model::Proto::Tcp;
    allow80.match.dport = 80;
    allow80.match.dst = cidr("172.18.0.3/32");  // c2 only
    drivers::NfRule dropAll = rule("FORWARD", drivers::NfVerdict::Drop);
    dropAll.why = "everything else on br0 is dropped";
    p.rules = {replies, pass, returns, toPorts, allow80, dropAll};
    World w(p);
    const int c1 = w.findNamespace("c1");
    for (int round = 0; round < 2; ++round) {  // the second round runs on what the first settled
        EXPECT_TRUE(runProbe(w, c1, ip("172.18.0.3"), model::Proto::Tcp, 80, false).reachable);
        ProbeResult r81 = runProbe(w, c1, ip("172.18.0.3"), model::Proto::Tcp, 81, false);
        EXPECT_FALSE(r81.reachable);
        EXPECT_NE(w.explain(r81.reason).en.find("everything else on br0 is dropped"),
                  std::string::npos)
            << w.explain(r81.reason).en;
        EXPECT_FALSE(runProbe(w, c1, ip("172.18.0.4"), model::Proto::Tcp, 80, false).reachable);
        EXPECT_FALSE(runProbe(w, c1, ip("172.18.0.3"), model::Proto::Icmp, 0, false).reachable);
    }
}

TEST(World, HostReachesContainerThroughItsBridgeAddress) {
    drivers::Plan p = bridgePlan(1);
    World w(p);
    EXPECT_TRUE(
        runProbe(w, w.findNamespace("host1"), ip("172.18.0.2"), model::Proto::Icmp, 0, false)
            .reachable);
    EXPECT_TRUE(runProbe(w, w.findNamespace("c1"), ip("172.18.0.1"), model::Proto::Icmp, 0, false)
                    .reachable);
}

TEST(World, EmbeddedDnsAnswersKnownNamesOnly) {
    drivers::Plan p = bridgePlan(2);
    p.dns.push_back({"c1", "db", ip("172.18.0.3"), "back"});
    World w(p);
    ProbeResult ok = runLookup(w, w.findNamespace("c1"), "DB", false);
    ASSERT_TRUE(ok.dns);
    EXPECT_EQ(ok.dns->rcode, 0);
    ASSERT_EQ(ok.dns->answers.size(), 1u);
    EXPECT_EQ(ok.dns->answers[0].address.str(), "172.18.0.3");
    ProbeResult nx = runLookup(w, w.findNamespace("c1"), "nope", false);
    ASSERT_TRUE(nx.dns);
    EXPECT_EQ(nx.dns->rcode, 3);
    // c2 has no embedded DNS records: like a container on the default bridge.
    EXPECT_EQ(runLookup(w, w.findNamespace("c2"), "db", false).dns->rcode, 3);
}

TEST(World, PublishedPortDnatIsUndoneOnReplies) {
    // lan <-> host1 eth0 (192.168.100.11/24); c1 behind br0; DNAT host1:8080 -> c1:80.
    drivers::Plan p = bridgePlan(1);
    p.namespaces.push_back({"laptop", NetnsKind::External, "", ""});
    drivers::Link a;
    a.netns = "laptop";
    a.name = "eth0";
    a.mac = Mac{0x02, 0, 0, 0, 0, 0x50};
    a.peerNetns = "host1";
    a.peerName = "eth0";
    drivers::Link b;
    b.netns = "host1";
    b.name = "eth0";
    b.mac = Mac{0x02, 0, 0, 0, 0, 0x11};
    b.peerNetns = "laptop";
    b.peerName = "eth0";
    p.links.push_back(a);
    p.links.push_back(b);
    p.addresses.push_back({"laptop", "eth0", cidr("192.168.100.50/24")});
    p.addresses.push_back({"host1", "eth0", cidr("192.168.100.11/24")});
    p.listeners.push_back({"c1", Ipv4(), 80, model::Proto::Tcp, "web", std::nullopt, std::nullopt});
    drivers::NfRule jump;
    jump.netns = "host1";
    jump.table = drivers::NfTable::Nat;
    jump.chain = "PREROUTING";
    jump.match.dstTypeLocal = true;
    jump.verdict = drivers::NfVerdict::Jump;
    jump.target = "DOCKER";
    drivers::NfRule dnat;
    dnat.netns = "host1";
    dnat.table = drivers::NfTable::Nat;
    dnat.chain = "DOCKER";
    dnat.match.inIf = "br0";
    dnat.match.inIfNot = true;
    dnat.match.proto = model::Proto::Tcp;
    dnat.match.dport = 8080;
    dnat.verdict = drivers::NfVerdict::Dnat;
    dnat.toAddress = ip("172.18.0.2");
    dnat.toPort = 80;
    dnat.why = "published port 8080:80 of c1";
    p.chains.push_back({"host1", drivers::NfTable::Nat, "PREROUTING", true, "ACCEPT"});
    p.chains.push_back({"host1", drivers::NfTable::Nat, "DOCKER", false, ""});
    p.rules.push_back(jump);
    p.rules.push_back(dnat);
    World w(p);
    ProbeResult r =
        runProbe(w, w.findNamespace("laptop"), ip("192.168.100.11"), model::Proto::Tcp, 8080, true);
    EXPECT_TRUE(r.reachable) << w.explain(r.reason).en;
    EXPECT_TRUE(hasAction(r.hops, action::kNat));
    // Without the published port, nothing listens on the host: RST.
    EXPECT_FALSE(
        runProbe(w, w.findNamespace("laptop"), ip("192.168.100.11"), model::Proto::Tcp, 8081, false)
            .reachable);
}

TEST(World, RunsAreDeterministic) {
    drivers::Plan p = bridgePlan(3);
    World w1(p);
    World w2(p);
    ProbeResult a =
        runProbe(w1, w1.findNamespace("c1"), ip("172.18.0.4"), model::Proto::Icmp, 0, true);
    ProbeResult b =
        runProbe(w2, w2.findNamespace("c1"), ip("172.18.0.4"), model::Proto::Icmp, 0, true);
    ASSERT_EQ(a.hops.size(), b.hops.size());
    for (std::size_t i = 0; i < a.hops.size(); ++i) {
        EXPECT_EQ(a.hops[i].t, b.hops[i].t);
        EXPECT_EQ(a.hops[i].explain.en, b.hops[i].explain.en);
    }
}

TEST(World, BroadcastStormIsBoundedAndNothingHangs) {
    // Two bridges joined by two veth pairs: a loop with no STP (Docker sets none).
    drivers::Plan p = bridgePlan(1);
    drivers::Link br2;
    br2.netns = "host1";
    br2.name = "br1";
    br2.kind = LinkKind::Bridge;
    br2.mac = Mac{0x02, 0x42, 0, 0, 0, 2};
    p.links.push_back(br2);
    for (int i = 0; i < 2; ++i) {
        drivers::Link a;
        a.netns = "host1";
        a.name = "loopa" + std::to_string(i);
        a.mac = Mac{0x0a, 1, 0, 0, 0, static_cast<std::uint8_t>(i)};
        a.peerNetns = "host1";
        a.peerName = "loopb" + std::to_string(i);
        a.master = "br0";
        drivers::Link b = a;
        b.name = a.peerName;
        b.peerName = a.name;
        b.mac = Mac{0x0a, 2, 0, 0, 0, static_cast<std::uint8_t>(i)};
        b.master = "br1";
        p.links.push_back(a);
        p.links.push_back(b);
    }
    World w(p);
    ProbeResult r =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.77"), model::Proto::Icmp, 0, false);
    EXPECT_FALSE(r.reachable);
    EXPECT_TRUE(w.scheduler().empty());  // the run ended: the event budget cut the storm
}

TEST(World, FdbEntriesAgeOut) {
    drivers::Plan p = bridgePlan(3);
    p.links[0].ageingSeconds = 1;  // br0
    World w(p);
    ASSERT_TRUE(runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Icmp, 0, false)
                    .reachable);
    // Two ARP timeouts later (each probe to a dead address waits 1 s) the FDB has aged.
    runProbe(w, w.findNamespace("c1"), ip("172.18.0.99"), model::Proto::Icmp, 0, false);
    runProbe(w, w.findNamespace("c1"), ip("172.18.0.98"), model::Proto::Icmp, 0, false);
    ProbeResult again =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Icmp, 0, true);
    EXPECT_TRUE(again.reachable);
    EXPECT_TRUE(hasAction(again.hops, action::kFlood));
}

TEST(World, ConntrackLetsRepliesThroughADropPolicy) {
    // FORWARD policy DROP with only "-o br0 ctstate RELATED,ESTABLISHED ACCEPT" and
    // "-i br0 ! -o br0 ACCEPT": c1 reaches the LAN host, the LAN host cannot start a flow in.
    drivers::Plan p = bridgePlan(1);
    p.namespaces.push_back({"laptop", NetnsKind::External, "", ""});
    drivers::Link a;
    a.netns = "laptop";
    a.name = "eth0";
    a.mac = Mac{0x02, 0, 0, 0, 0, 0x50};
    a.peerNetns = "host1";
    a.peerName = "eth0";
    drivers::Link b = a;
    b.netns = "host1";
    b.peerNetns = "laptop";
    b.mac = Mac{0x02, 0, 0, 0, 0, 0x11};
    p.links.push_back(a);
    p.links.push_back(b);
    p.addresses.push_back({"laptop", "eth0", cidr("192.168.100.50/24")});
    p.addresses.push_back({"host1", "eth0", cidr("192.168.100.11/24")});
    p.routes.push_back(
        {"laptop", cidr("172.18.0.0/16"), ip("192.168.100.11"), "eth0", std::nullopt});
    p.chains.push_back({"host1", drivers::NfTable::Filter, "FORWARD", true, "DROP"});
    drivers::NfRule est;
    est.netns = "host1";
    est.chain = "FORWARD";
    est.match.outIf = "br0";
    est.match.ctEstablished = true;
    est.verdict = drivers::NfVerdict::Accept;
    drivers::NfRule out = est;
    out.match = {};
    out.match.inIf = "br0";
    out.match.outIf = "br0";
    out.match.outIfNot = true;
    p.rules.push_back(est);
    p.rules.push_back(out);
    World w(p);
    EXPECT_TRUE(
        runProbe(w, w.findNamespace("c1"), ip("192.168.100.50"), model::Proto::Icmp, 0, false)
            .reachable);
    ProbeResult in =
        runProbe(w, w.findNamespace("laptop"), ip("172.18.0.2"), model::Proto::Icmp, 0, false);
    EXPECT_FALSE(in.reachable);
    EXPECT_NE(w.explain(in.reason).en.find("DROP policy of FORWARD"), std::string::npos)
        << w.explain(in.reason).en;
}

TEST(World, ExplanationsExistInChinese) {
    drivers::Plan p = bridgePlan(2);
    World w(p);
    ProbeResult r =
        runProbe(w, w.findNamespace("c1"), ip("172.18.0.3"), model::Proto::Udp, 9, true);
    for (const auto& h : r.hops) {
        EXPECT_FALSE(h.explain.zh.empty()) << h.explain.en;
        EXPECT_NE(h.explain.zh, h.explain.en);
    }
    EXPECT_NE(w.explain(r.reason).zh.find("端口不可达"), std::string::npos)
        << w.explain(r.reason).zh;
}
