// docker-proxy in the simulated kernel: a process of the host namespace that
// accepts the client's connection, opens its own from the host to the
// container (the second leg, through the host's routing and netfilter), and
// relays; and what the client sees when that second leg fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/topology.hpp"
#include "sim/scenario_sim.hpp"
#include "tests/conformance/proxy/proxy_plan.hpp"

using namespace cnmlab;
using namespace cnmlab::sim;

namespace {

struct Loaded {
    model::Scenario sc;
    model::Topology topo;
    drivers::Plan plan;
    std::unique_ptr<ScenarioSim> sim;
};

// docker-proxy.yaml: web (172.18.0.2) publishes 8080:80 ... on host1
// (192.168.100.11, bridge gateway 172.18.0.1); peer (172.18.0.3) shares the bridge.
// `recorded`: with the recorder's changes to web (no listener on 81 and
// 84/udp, 82 dropped in web's INPUT).
std::unique_ptr<Loaded> load(bool recorded = true,
                             const std::function<void(drivers::Plan&)>& edit = {}) {
    auto l = std::make_unique<Loaded>();
    l->sc = model::readScenarioFile(std::string(CNMLAB_SOURCE_DIR) + "/" + test::proxy::kScenario);
    l->topo = model::resolve(l->sc);
    l->plan = drivers::buildPlan(l->topo);
    if (recorded) {
        test::proxy::applyRecordedChanges(l->plan, "proxy-web-1");
    }
    if (edit) {
        edit(l->plan);
    }
    l->sim = std::make_unique<ScenarioSim>(l->topo, l->plan);
    return l;
}

ProbeRecord connectTcp(Loaded& l, const std::string& from, const std::string& to, int port) {
    return l.sim->probe(from, to, model::Proto::Tcp, port, std::nullopt, true);
}

std::string dump(const ProbeRecord& r) {
    std::string s = r.reason.en + "\n";
    for (const auto& h : r.hops) {
        s += h.node + " " + h.device + " " + h.action + ": " + h.explain.en + "\n";
    }
    return s;
}

// The index of the first hop after `from` that satisfies `pred`, or -1.
template <class Pred> int find(const std::vector<Hop>& hops, Pred pred, int from = 0) {
    for (int i = from; i < static_cast<int>(hops.size()); ++i) {
        if (pred(hops[static_cast<std::size_t>(i)])) {
            return i;
        }
    }
    return -1;
}

bool isSyn(const Hop& h) {
    return h.frame && h.frame->ipProto == kIpProtoTcp && h.frame->tcpFlags == tcp::kSyn;
}

const Ipv4 kWeb = *Ipv4::parse("172.18.0.2");
const Ipv4 kGateway = *Ipv4::parse("172.18.0.1");

}  // namespace

TEST(DockerProxy, LoopbackConnectionCrossesBothLegsAndTheGreetingComesBack) {
    auto l = load();
    const ProbeRecord r = connectTcp(*l, "host1", "127.0.0.1", 8080);
    ASSERT_TRUE(r.reachable) << dump(r);
    const auto& h = r.hops;
    // First leg: the client's SYN to 127.0.0.1:8080, answered in host1 by docker-proxy.
    const int accept = find(h, [](const Hop& x) {
        return x.node == "host1" && x.action == action::kReply &&
               x.explain.en.find("docker-proxy") != std::string::npos;
    });
    ASSERT_GE(accept, 0) << dump(r);
    EXPECT_NE(h[static_cast<std::size_t>(accept)].explain.en.find(
                  "docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip "
                  "172.18.0.2 -container-port 80"),
              std::string::npos);
    // docker-proxy accepts at once and dials the container.
    const int dial = find(
        h, [](const Hop& x) { return x.action == action::kProxy; }, accept);
    ASSERT_GT(dial, accept) << dump(r);
    EXPECT_NE(h[static_cast<std::size_t>(dial)].explain.en.find(
                  "dials 172.18.0.2:80 itself (the second leg)"),
              std::string::npos);
    // Second leg: a SYN from host1's bridge address to web:80, routed out of the bridge ...
    const int route = find(
        h,
        [](const Hop& x) {
            return x.node == "host1" && x.action == action::kRoute && isSyn(x) &&
                   x.frame->ipDst == kWeb && x.frame->dstPort == 80;
        },
        dial);
    ASSERT_GT(route, dial) << dump(r);
    const Frame& leg2 = *h[static_cast<std::size_t>(route)].frame;
    EXPECT_EQ(leg2.ipSrc, kGateway);
    EXPECT_GE(leg2.srcPort, 40000);
    EXPECT_NE(leg2.srcPort, h.front().frame->srcPort);  // not the client's port
    // ... across the bridge into web's namespace, whose listener answers.
    const int arrive = find(
        h,
        [](const Hop& x) { return x.node == "proxy-web-1" && isSyn(x) && x.action == action::kRx; },
        route);
    ASSERT_GT(arrive, route) << dump(r);
    const int answer = find(
        h,
        [](const Hop& x) {
            return x.node == "proxy-web-1" && x.action == action::kReply &&
                   x.explain.en.find("listens on port 80") != std::string::npos;
        },
        arrive);
    ASSERT_GT(answer, arrive) << dump(r);
    // Back in host1, docker-proxy relays web's greeting to the client.
    const int relay = find(
        h,
        [](const Hop& x) {
            return x.node == "host1" && x.action == action::kProxy &&
                   x.explain.en.find("writes its greeting at once, \"cnmlab proxy-web-1 80\" "
                                     "(22 bytes)") != std::string::npos;
        },
        answer);
    ASSERT_GT(relay, answer) << dump(r);
    const Hop& last = h.back();
    EXPECT_EQ(last.action, action::kDeliver);
    EXPECT_EQ(last.node, "host1");
    EXPECT_EQ(last.frame->payloadSize, 22);  // "cnmlab proxy-web-1 80\n"
    EXPECT_EQ(last.frame->ipSrc, *Ipv4::parse("127.0.0.1"));
    EXPECT_EQ(last.frame->srcPort, 8080);
    EXPECT_EQ(r.reason.en, "127.0.0.1 answered");
}

TEST(DockerProxy, HairpinFromTheSameBridgeGoesThroughTheProxy) {
    auto l = load();
    for (const char* to : {"192.168.100.11", "172.18.0.1"}) {
        const ProbeRecord r = connectTcp(*l, "peer", to, 8080);
        ASSERT_TRUE(r.reachable) << to << "\n" << dump(r);
        // Not DNATed (nat DOCKER returns for traffic from the bridge itself): the
        // proxy answers, and its own connection reaches web.
        EXPECT_EQ(find(r.hops, [](const Hop& x) { return x.action == action::kNat; }), -1)
            << dump(r);
        EXPECT_GE(find(r.hops, [](const Hop& x) { return x.action == action::kProxy; }), 0);
        EXPECT_GE(find(r.hops,
                       [](const Hop& x) {
                           return x.node == "proxy-web-1" && isSyn(x) && x.frame->ipSrc == kGateway;
                       }),
                  0)
            << dump(r);
    }
}

TEST(DockerProxy, DnatedConnectionsDoNotTouchTheProxy) {
    auto l = load();
    const ProbeRecord r = connectTcp(*l, "host1", "host1", 8080);  // nat OUTPUT DNAT
    ASSERT_TRUE(r.reachable) << dump(r);
    EXPECT_EQ(find(r.hops, [](const Hop& x) { return x.action == action::kProxy; }), -1) << dump(r);
    EXPECT_GE(find(r.hops, [](const Hop& x) { return x.action == action::kNat; }), 0);
}

TEST(DockerProxy, RefusedSecondLegClosesTheClientWithoutAByte) {
    auto l = load();
    const ProbeRecord r = connectTcp(*l, "host1", "127.0.0.1", 8081);  // web does not listen on 81
    EXPECT_FALSE(r.reachable);
    const Hop& last = r.hops.back();
    ASSERT_EQ(last.action, action::kDeliver) << dump(r);
    EXPECT_NE(last.frame->tcpFlags & tcp::kFin, 0);
    EXPECT_EQ(last.frame->tcpFlags & tcp::kRst, 0);
    EXPECT_EQ(last.frame->payloadSize, 0);
    // Before that, the client was connected: it got docker-proxy's SYN-ACK.
    EXPECT_GE(find(r.hops,
                   [](const Hop& x) {
                       return x.node == "host1" && x.action == action::kDeliver && x.frame &&
                              x.frame->tcpFlags == (tcp::kSyn | tcp::kAck);
                   }),
              0);
    EXPECT_EQ(r.reason.en,
              "docker-proxy on host1 accepted the connection, but its own connection to "
              "172.18.0.2:81 failed (172.18.0.2 refused the connection to port 81 (TCP RST: "
              "nothing listens there)), so it closed the client's connection without sending a "
              "byte");
    EXPECT_FALSE(r.reason.zh.empty());
}

TEST(DockerProxy, DroppedSecondLegLeavesTheClientConnectedAndWaiting) {
    auto l = load();
    const ProbeRecord r = connectTcp(*l, "host1", "127.0.0.1", 8082);  // dropped in web's INPUT
    EXPECT_FALSE(r.reachable);
    EXPECT_EQ(r.hops.back().action, action::kDrop) << dump(r);
    EXPECT_EQ(r.hops.back().node, "proxy-web-1");
    EXPECT_NE(r.reason.en.find("docker-proxy accepted the connection, but its own connection to "
                               "172.18.0.2:82 got no answer (dropped by INPUT on proxy-web-1"),
              std::string::npos)
        << r.reason.en;
    EXPECT_NE(r.reason.en.find("about 2 minutes"), std::string::npos);
}

TEST(DockerProxy, SecondLegCrossesTheHostsOwnOutputChain) {
    // A DROP in host1's filter OUTPUT for the container: only a packet the host
    // itself sends (the proxy's) meets it.
    auto l = load(false, [](drivers::Plan& p) {
        drivers::NfRule drop;
        drop.netns = "host1";
        drop.table = drivers::NfTable::Filter;
        drop.chain = "OUTPUT";
        drop.match.dst = model::Cidr{kWeb, 32};
        drop.verdict = drivers::NfVerdict::Drop;
        drop.why = "test: the host may not send to web";
        drop.whyZh = "测试：主机不得向 web 发送";
        p.rules.push_back(drop);
    });
    const ProbeRecord viaProxy = connectTcp(*l, "host1", "127.0.0.1", 8080);
    EXPECT_FALSE(viaProxy.reachable);
    EXPECT_NE(viaProxy.reason.en.find("got no answer (dropped by OUTPUT on host1: test: the host "
                                      "may not send to web)"),
              std::string::npos)
        << dump(viaProxy);
    // A container on another network is DNATed and forwarded: OUTPUT never sees it.
    EXPECT_TRUE(l->sim->probe("peer", "web", model::Proto::Tcp, 80, std::nullopt, false).reachable);
}

TEST(DockerProxy, UdpIsRelayedAndAnsweredThroughTheProxy) {
    auto l = load();
    const ProbeRecord r =
        l->sim->probe("host1", "127.0.0.1", model::Proto::Udp, 8083, std::nullopt, true);
    ASSERT_TRUE(r.reachable) << dump(r);
    // The datagram reaches web from the host's bridge address, not from 127.0.0.1.
    EXPECT_GE(find(r.hops,
                   [](const Hop& x) {
                       return x.node == "proxy-web-1" && x.frame && x.frame->ipSrc == kGateway &&
                              x.frame->dstPort == 83;
                   }),
              0)
        << dump(r);
    EXPECT_GE(find(r.hops, [](const Hop& x) { return x.action == action::kProxy; }), 0);
}

TEST(DockerProxy, UdpToAClosedPortGetsNothingBack) {
    auto l = load();
    const ProbeRecord r =
        l->sim->probe("host1", "127.0.0.1", model::Proto::Udp, 8084, std::nullopt, true);
    EXPECT_FALSE(r.reachable);
    // web answered docker-proxy with port unreachable; the client sees none of it.
    EXPECT_NE(r.reason.en.find("docker-proxy sent the datagram on to 172.18.0.2:84, but no answer "
                               "came back (172.18.0.2 answered ICMP port unreachable)"),
              std::string::npos)
        << dump(r);
}

TEST(DockerProxy, MatrixCountsHairpinnedPublishedPortsAsBefore) {
    // Through the proxy, the matrix's probes of published ports from the same
    // bridge still answer (now by the relayed greeting).
    auto l = load(false);
    const ReachMatrix m = l->sim->reach(1);
    int viaProxy = 0;
    for (const auto& e : m.entries) {
        if (m.names[e.from] == "peer" && m.names[e.to] == "host1" && e.proto == model::Proto::Tcp) {
            ++viaProxy;
            EXPECT_TRUE(e.reachable) << e.port << ": " << l->sim->world().explain(e.reason).en;
        }
    }
    EXPECT_EQ(viaProxy, 3);  // 8080, 8081, 8082
}

TEST(DockerProxy, UdpAnswerToTheHostsOtherAddressComesFromTheBridgeAndIsRefused) {
    // docker-proxy's listening socket is bound to 0.0.0.0: an answer to peer
    // leaves from the address of the route to peer (the bridge's 172.18.0.1),
    // whatever address peer wrote to; peer's connected socket refuses it.
    auto l = load();
    const ProbeRecord gw =
        l->sim->probe("peer", "172.18.0.1", model::Proto::Udp, 8083, std::nullopt, false);
    EXPECT_TRUE(gw.reachable) << gw.reason.en;
    const ProbeRecord r =
        l->sim->probe("peer", "192.168.100.11", model::Proto::Udp, 8083, std::nullopt, true);
    EXPECT_FALSE(r.reachable);
    EXPECT_EQ(r.reason.en,
              "docker-proxy on host1 wrote the answer from 172.18.0.1 (its socket is bound to "
              "0.0.0.0, so the route back to the client picks the source), but the client's socket "
              "is connected to 192.168.100.11:8083 and takes nothing from another address")
        << dump(r);
    // peer's kernel has no socket for it and says so.
    EXPECT_GE(find(r.hops,
                   [](const Hop& x) {
                       return x.node == "proxy-peer-1" && x.action == action::kReply &&
                              x.explain.en.find("port unreachable") != std::string::npos;
                   }),
              0)
        << dump(r);
}

TEST(DockerProxy, SecondLegToAnAbsentContainerEndsWithHostUnreachable) {
    // The container's address answers no ARP (its container is gone): the
    // kernel fails the neighbour after three requests and reports host
    // unreachable to docker-proxy's socket, whose dial ends; the client is closed.
    auto l = load(false, [](drivers::Plan& p) {
        for (auto& lis : p.listeners) {
            if (lis.owner == "docker-proxy" && lis.port == 8080) {
                lis.forwardTo = *Ipv4::parse("172.18.0.99");
            }
        }
    });
    const ProbeRecord r = connectTcp(*l, "host1", "127.0.0.1", 8080);
    EXPECT_FALSE(r.reachable);
    EXPECT_NE(r.reason.en.find("docker-proxy on host1 accepted the connection, but its own "
                               "connection to 172.18.0.99:80 failed (172.18.0.1 answered ICMP host "
                               "unreachable)"),
              std::string::npos)
        << dump(r);
    const Hop& last = r.hops.back();
    EXPECT_EQ(last.action, action::kDeliver);
    EXPECT_NE(last.frame->tcpFlags & tcp::kFin, 0);
    EXPECT_GE(last.t, 3'000'000U);  // three ARP requests a second apart
}
