// The VXLAN device on hand-built Plans shaped as Docker's overlay driver
// builds them (docs/overlay.md): two hosts on one LAN, each with an overlay
// namespace (br0 with the gateway address, vxlan0 VNI 4097 as its port, a veth
// to a container, MTU 1450) and the static neighbour and FDB entries peerAdd
// programs for the other host's container.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "packet/packet_codec.hpp"
#include "packet/wire.hpp"
#include "sim/capture.hpp"
#include "sim/probe.hpp"
#include "sim/world.hpp"
#include "tests/packet/test_files.hpp"
#include "tests/sim/hand_plan.hpp"

using namespace cnmlab;
using namespace cnmlab::sim;
using drivers::LinkKind;
using drivers::NetnsKind;
using test::bridge;
using test::cidr;
using test::findHop;
using test::veth;

namespace {

Mac containerMac(int host) {
    return Mac{0x02, 0x42, 0x0a, 0x00, 0x01, static_cast<std::uint8_t>(host + 1)};
}
Ipv4 containerIp(int host) {
    return Ipv4(10, 0, 1, static_cast<std::uint8_t>(host + 1));
}
Ipv4 hostIp(int host) {
    return Ipv4(192, 168, 100, static_cast<std::uint8_t>(10 + host));
}

void addHost(drivers::Plan& p, int h, int lanMtu) {
    const std::string host = "host" + std::to_string(h);
    const std::string ovl = "ovl-" + host + "-blue";
    const std::string c = "c" + std::to_string(h);
    const auto n = static_cast<std::uint8_t>(h);
    p.namespaces.push_back({host, NetnsKind::Host, host, ""});
    p.namespaces.push_back({ovl, NetnsKind::Overlay, host, ""});
    p.namespaces.push_back({c, NetnsKind::Sandbox, host, c});
    // The host's eth0 on the LAN switch.
    p.links.push_back(veth(host, "eth0", "_lan", "p" + host, Mac{0x52, 0x54, 0, 0, 0, n}, lanMtu));
    p.links.push_back(
        veth("_lan", "p" + host, host, "eth0", Mac{0x0a, 0x1a, 0, 0, 0, n}, lanMtu, "lan0"));
    p.addresses.push_back({host, "eth0", Cidr{hostIp(h), 24}});
    p.sysctls.push_back({host, "net.ipv4.ip_forward", "1"});
    // The overlay namespace: br0, vxlan0 made in the host namespace, a veth.
    p.links.push_back(bridge(ovl, "br0", Mac{0x02, 0x42, 0xbb, 0, 0, n}, 1450));
    drivers::Link vx;
    vx.netns = ovl;
    vx.name = "vxlan0";
    vx.kind = LinkKind::Vxlan;
    vx.mac = Mac{0x02, 0x42, 0xcc, 0, 0, n};
    vx.mtu = 1450;
    vx.master = "br0";
    vx.parentNetns = host;
    vx.vni = 4097;
    vx.dstPort = 4789;
    vx.learning = vx.proxy = vx.l2miss = vx.l3miss = true;
    p.links.push_back(vx);
    p.addresses.push_back({ovl, "br0", cidr("10.0.1.1/24")});
    p.sysctls.push_back({ovl, "net.ipv4.ip_forward", "1"});
    p.links.push_back(veth(ovl, "veth0", c, "eth0", Mac{0x0a, 0xee, 0, 0, 0, n}, 1450, "br0"));
    p.links.push_back(veth(c, "eth0", ovl, "veth0", containerMac(h), 1450));
    p.addresses.push_back({c, "eth0", Cidr{containerIp(h), 24}});
}

// peerAdd on `h` for the container of `other`: neighbour, then FDB entry.
void peerAdd(drivers::Plan& p, int h, int other, bool neighbour = true, bool fdb = true) {
    const std::string ovl = "ovl-host" + std::to_string(h) + "-blue";
    if (neighbour) {
        p.neighbors.push_back({ovl, "vxlan0", containerIp(other), containerMac(other)});
    }
    if (fdb) {
        p.fdb.push_back({ovl, "vxlan0", containerMac(other), hostIp(other)});
    }
}

drivers::Plan overlayPlan(int lanMtu = 1500) {
    drivers::Plan p;
    p.namespaces.push_back({"_lan", NetnsKind::Lan, "", ""});
    p.links.push_back(bridge("_lan", "lan0", Mac{0x0a, 0x1a, 0, 0, 0, 0xff}));
    addHost(p, 1, lanMtu);
    addHost(p, 2, lanMtu);
    return p;
}

drivers::Plan fullPlan(int lanMtu = 1500) {
    drivers::Plan p = overlayPlan(lanMtu);
    peerAdd(p, 1, 2);
    peerAdd(p, 2, 1);
    return p;
}

ProbeResult ping(World& w, int from, int to, bool trace = true, const ProbeSize& size = {}) {
    return runProbe(w, w.findNamespace("c" + std::to_string(from)), containerIp(to),
                    model::Proto::Icmp, 0, trace, size);
}

// The frames host `h`'s eth0 put on the LAN that carry VXLAN.
std::vector<const Frame*> vxlanOnLan(const std::vector<Hop>& hops, int h) {
    std::vector<const Frame*> out;
    for (const Hop& hop : hops) {
        if (hop.action == action::kTx && hop.node == "host" + std::to_string(h) &&
            hop.device == "eth0" && hop.frame->inner) {
            out.push_back(hop.frame.get());
        }
    }
    return out;
}

std::string why(const World& w, const ProbeResult& r) {
    return w.explain(r.reason).en;
}

}  // namespace

TEST(Vxlan, ContainersOnTwoHostsReachEachOtherThroughTheOverlay) {
    const drivers::Plan p = fullPlan();
    World w(p);
    const ProbeResult r = ping(w, 1, 2);
    ASSERT_TRUE(r.reachable) << why(w, r);
    const Hop* wrap = findHop(r.hops, action::kEncap, "ovl-host1-blue",
                              "vxlan0 in ovl-host1-blue wraps the frame for VTEP "
                              "192.168.100.12, VNI 4097");
    ASSERT_NE(wrap, nullptr);
    EXPECT_FALSE(wrap->explain.zh.empty());
    const Hop* unwrap = findHop(r.hops, action::kDecap, "ovl-host2-blue",
                                "host2 unwraps the VXLAN packet from VTEP 192.168.100.11 "
                                "(VNI 4097)");
    ASSERT_NE(unwrap, nullptr);
    EXPECT_EQ(unwrap->device, "vxlan0");
    // The reply goes back the same way.
    EXPECT_NE(findHop(r.hops, action::kEncap, "ovl-host2-blue", "VTEP 192.168.100.11"), nullptr);
    EXPECT_NE(findHop(r.hops, action::kDecap, "ovl-host1-blue", "host1 unwraps"), nullptr);
    EXPECT_TRUE(ping(w, 2, 1, false).reachable);
}

TEST(Vxlan, TheBytesOnTheLanAreAValidVxlanPacket) {
    const drivers::Plan p = fullPlan();
    World w(p);
    const ProbeResult r = ping(w, 1, 2);
    ASSERT_TRUE(r.reachable) << why(w, r);
    const auto out = vxlanOnLan(r.hops, 1);
    const auto back = vxlanOnLan(r.hops, 2);
    ASSERT_EQ(out.size(), 1U);
    ASSERT_EQ(back.size(), 1U);
    const std::vector<std::uint8_t> bytes = packet::serialize(*out.front());
    const auto parsed = packet::parse(bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->srcMac, (Mac{0x52, 0x54, 0, 0, 0, 1}));
    EXPECT_EQ(parsed->dstMac, (Mac{0x52, 0x54, 0, 0, 0, 2}));
    EXPECT_EQ(parsed->ipSrc, hostIp(1));
    EXPECT_EQ(parsed->ipDst, hostIp(2));
    EXPECT_EQ(parsed->ipProto, kIpProtoUdp);
    EXPECT_EQ(parsed->ttl, 64);
    EXPECT_FALSE(parsed->dontFragment);
    EXPECT_EQ(parsed->dstPort, 4789);
    EXPECT_GE(parsed->srcPort, 32768);
    EXPECT_LE(parsed->srcPort, 60999);
    EXPECT_EQ(parsed->vni, 4097U);
    ASSERT_TRUE(parsed->inner);
    EXPECT_EQ(parsed->inner->srcMac, containerMac(1));
    EXPECT_EQ(parsed->inner->dstMac, containerMac(2));
    EXPECT_EQ(parsed->inner->ipSrc, containerIp(1));
    EXPECT_EQ(parsed->inner->ipDst, containerIp(2));
    EXPECT_EQ(parsed->inner->ipProto, kIpProtoIcmp);
    EXPECT_EQ(parsed->inner->icmpType, icmp::kEchoRequest);
    // Raw header bytes: VXLAN flags 0x08 and VNI 0x001001, the UDP checksum
    // verifies over the pseudo-header (Docker's devices have it on).
    constexpr std::size_t kUdp = 14 + 20;
    EXPECT_EQ(bytes[kUdp + 8], 0x08);
    EXPECT_EQ(bytes[kUdp + 12], 0x00);
    EXPECT_EQ(bytes[kUdp + 13], 0x10);
    EXPECT_EQ(bytes[kUdp + 14], 0x01);
    const std::size_t udpLength = packet::wire::get16(bytes, kUdp + 4);
    ASSERT_NE(packet::wire::get16(bytes, kUdp + 6), 0);
    const std::span<const std::uint8_t> udp(bytes.data() + kUdp, udpLength);
    EXPECT_EQ(packet::wire::internetChecksum(
                  udp, packet::wire::pseudoHeaderSum(hostIp(1), hostIp(2), 17, udpLength)),
              0);
    EXPECT_EQ(udpLength, 8 + 8 + 14 + 20 + 8 + 56U);
    // Both directions of the flow hash to one source port.
    EXPECT_EQ(back.front()->srcPort, out.front()->srcPort);
}

TEST(Vxlan, TheProxyAnswersArpForRemoteContainersOnTheSendingHost) {
    const drivers::Plan p = fullPlan();
    World w(p);
    const ProbeResult r = ping(w, 1, 2);
    ASSERT_TRUE(r.reachable) << why(w, r);
    const Hop* answer =
        findHop(r.hops, action::kReply, "ovl-host1-blue", "answers the ARP request itself (proxy)");
    ASSERT_NE(answer, nullptr);
    EXPECT_EQ(answer->device, "vxlan0");
    EXPECT_EQ(answer->frame->ethertype, kEtherTypeArp);
    EXPECT_EQ(answer->frame->arpOp, 2);
    EXPECT_EQ(answer->frame->arpSenderIp, containerIp(2));
    EXPECT_EQ(answer->frame->arpSenderMac, containerMac(2));
    EXPECT_EQ(answer->frame->srcMac, containerMac(2));
    EXPECT_EQ(answer->frame->dstMac, containerMac(1));
    EXPECT_EQ(answer->frame->arpTargetIp, containerIp(1));
    // c1 learned c2's MAC from it, and no ARP of the containers crossed the LAN.
    EXPECT_NE(findHop(r.hops, action::kArp, "c1", "learns 10.0.1.3 is at 02:42:0a:00:01:03"),
              nullptr);
    for (const Hop& h : r.hops) {
        if (h.frame && h.frame->inner) {
            EXPECT_NE(h.frame->inner->ethertype, kEtherTypeArp) << h.explain.en;
        }
    }
    // The reply's ARP on host2 was answered by host2's vxlan0 in turn.
    EXPECT_NE(findHop(r.hops, action::kReply, "ovl-host2-blue", "10.0.1.2 is at"), nullptr);
}

TEST(Vxlan, NoFdbEntryDropsTheFrameAndSaysWhy) {
    drivers::Plan p = overlayPlan();
    peerAdd(p, 1, 2, true, false);  // the neighbour entry, but no FDB entry
    peerAdd(p, 2, 1);
    World w(p);
    const ProbeResult r = ping(w, 1, 2);
    EXPECT_FALSE(r.reachable);
    EXPECT_EQ(r.reason.why, Why::VxlanNoFdb);
    EXPECT_EQ(outcomeOf(false, r.reason), model::Outcome::Dropped);
    const Text t = w.explain(r.reason);
    EXPECT_NE(t.en.find("vxlan0 in ovl-host1-blue has no FDB entry"), std::string::npos) << t.en;
    EXPECT_NE(t.en.find("10.0.1.3"), std::string::npos) << t.en;
    EXPECT_NE(t.en.find("l2miss"), std::string::npos) << t.en;
    EXPECT_NE(t.zh.find("FDB 表项"), std::string::npos) << t.zh;
    EXPECT_TRUE(vxlanOnLan(r.hops, 1).empty());
}

TEST(Vxlan, NoNeighbourEntryLeavesTheArpRequestUnansweredAndSaysWhy) {
    drivers::Plan p = overlayPlan();
    peerAdd(p, 1, 2, false, true);
    World w(p);
    const ProbeResult r = ping(w, 1, 2, false);
    EXPECT_FALSE(r.reachable);
    EXPECT_EQ(r.reason.why, Why::VxlanArpMiss);
    EXPECT_EQ(outcomeOf(false, r.reason), model::Outcome::NoRoute);  // host unreachable
    const std::string t = why(w, r);
    EXPECT_NE(t.find("no neighbour entry for 10.0.1.3"), std::string::npos) << t;
}

TEST(Vxlan, AnUnknownVniIsDroppedByTheReceivingHost) {
    drivers::Plan p = fullPlan();
    for (auto& l : p.links) {
        if (l.netns == "ovl-host2-blue" && l.name == "vxlan0") {
            l.vni = 4098;
        }
    }
    World w(p);
    const ProbeResult r = ping(w, 1, 2);
    EXPECT_FALSE(r.reachable);
    EXPECT_EQ(r.reason.why, Why::VxlanUnknownVni);
    const std::string t = why(w, r);
    EXPECT_NE(t.find("host2 got a VXLAN packet from VTEP 192.168.100.11 for VNI 4097"),
              std::string::npos)
        << t;
    EXPECT_EQ(vxlanOnLan(r.hops, 1).size(), 1U);
}

TEST(Vxlan, LearningNotesTheSendersVtepSoTheReplyFindsItsWay) {
    drivers::Plan p = overlayPlan();
    peerAdd(p, 1, 2);
    peerAdd(p, 2, 1, true, false);  // host2 has no FDB entry for c1: it learns one
    World w(p);
    const ProbeResult r = ping(w, 1, 2);
    ASSERT_TRUE(r.reachable) << why(w, r);
    EXPECT_NE(findHop(r.hops, action::kLearn, "ovl-host2-blue",
                      "vxlan0 learns that 02:42:0a:00:01:02 is behind VTEP 192.168.100.11"),
              nullptr);
    // Without learning the reply has nowhere to go.
    for (auto& l : p.links) {
        if (l.kind == LinkKind::Vxlan) {
            l.learning = false;
        }
    }
    World off(p);
    const ProbeResult r2 = ping(off, 1, 2, false);
    EXPECT_FALSE(r2.reachable);
    EXPECT_EQ(r2.reason.why, Why::VxlanNoFdb);
    EXPECT_EQ(off.ns(r2.reason.ns).planName, "ovl-host2-blue");
}

TEST(Vxlan, TheCaptureShowsVxlanAndTheInnerIcmpOnTheLan) {
    const drivers::Plan p = fullPlan();
    World w(p);
    ProbeRecord rec;
    const ProbeResult r = ping(w, 1, 2);
    ASSERT_TRUE(r.reachable) << why(w, r);
    rec.hops = r.hops;
    cnmlab::testing::TempFile file("vxlan");
    ASSERT_GT(writeCapture(w, rec, file.path(), "en"), 0U);
    if (!std::filesystem::exists(cnmlab::testing::kTshark)) {
        GTEST_SKIP() << cnmlab::testing::kTshark << " is not installed; cannot decode the capture";
    }
    const auto out = cnmlab::testing::runCapturingStdout({cnmlab::testing::kTshark,
                                                          "-r",
                                                          file.path().string(),
                                                          "-n",
                                                          "-o",
                                                          "udp.check_checksum:TRUE",
                                                          "-Y",
                                                          "vxlan",
                                                          "-T",
                                                          "fields",
                                                          "-E",
                                                          "separator=/t",
                                                          "-e",
                                                          "frame.interface_name",
                                                          "-e",
                                                          "vxlan.vni",
                                                          "-e",
                                                          "ip.src",
                                                          "-e",
                                                          "icmp.type",
                                                          "-e",
                                                          "udp.checksum.status"});
    ASSERT_TRUE(out);
    ASSERT_EQ(out->exitStatus, 0);
    // One line per VXLAN frame: the request and the reply, both on the LAN.
    EXPECT_NE(out->out.find("LAN\t4097\t192.168.100.11,10.0.1.2\t8\t1"), std::string::npos)
        << out->out;
    EXPECT_NE(out->out.find("LAN\t4097\t192.168.100.12,10.0.1.3\t0\t1"), std::string::npos)
        << out->out;
}

TEST(Vxlan, AFullSizedInnerPacketFillsTheLanMtuExactly) {
    const drivers::Plan p = fullPlan();
    World w(p);
    // 1450 bytes of inner IPv4: 1422 of ping data.
    const ProbeResult r = ping(w, 1, 2, true, ProbeSize{1422, true});
    ASSERT_TRUE(r.reachable) << why(w, r);
    const auto out = vxlanOnLan(r.hops, 1);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(packet::ipv4Size(*out.front()), 1500U);
    EXPECT_EQ(findHop(r.hops, action::kFragment, "host1"), nullptr);
    // One byte more does not fit the container's MTU 1450: DF set, so its
    // socket gets EMSGSIZE and nothing is sent.
    const ProbeResult big = ping(w, 1, 2, false, ProbeSize{1423, true});
    EXPECT_FALSE(big.reachable);
    EXPECT_EQ(big.reason.why, Why::FragmentationNeeded);
    EXPECT_EQ(big.reason.value, 1450U);
    EXPECT_NE(why(w, big).find("(1451 bytes) is bigger than the MTU 1450 of eth0 in c1"),
              std::string::npos)
        << why(w, big);
}

TEST(Vxlan, OuterPacketsBiggerThanTheLanMtuAreFragmentedNotDropped) {
    const drivers::Plan p = fullPlan(1400);
    World w(p);
    const ProbeResult r = ping(w, 1, 2, true, ProbeSize{1422, true});
    ASSERT_TRUE(r.reachable) << why(w, r);
    const Hop* cut = findHop(r.hops, action::kFragment, "host1",
                             "(1500 bytes) is bigger than the MTU 1400 of eth0 and DF is clear");
    ASSERT_NE(cut, nullptr);
    EXPECT_NE(cut->explain.en.find("2 fragments"), std::string::npos) << cut->explain.en;
}
