// The IP stack's check against the egress device's MTU (ip_fragment): a
// packet with DF is dropped (ICMP fragmentation needed for a forwarded one),
// one without goes on, cut into fragments as the trace says.
#include <gtest/gtest.h>

#include <algorithm>

#include "packet/packet_codec.hpp"
#include "packet/wire.hpp"
#include "sim/probe.hpp"
#include "sim/world.hpp"
#include "tests/sim/hand_plan.hpp"

using namespace cnmlab;
using namespace cnmlab::sim;
using drivers::LinkKind;
using drivers::NetnsKind;
using test::cidr;
using test::findHop;
using test::ip;
using test::veth;

namespace {}  // namespace

// A router between two links, the second with a smaller MTU on the router's side.
TEST(Mtu, AForwardedPacketWithDfGetsFragmentationNeededWithoutDfIsFragmented) {
    drivers::Plan p;
    p.namespaces.push_back({"r", NetnsKind::Host, "r", ""});
    p.namespaces.push_back({"a", NetnsKind::Sandbox, "r", "a"});
    p.namespaces.push_back({"b", NetnsKind::Sandbox, "r", "b"});
    p.links.push_back(veth("a", "eth0", "r", "va", Mac{2, 0, 0, 0, 0, 1}, 1500));
    p.links.push_back(veth("r", "va", "a", "eth0", Mac{2, 0, 0, 0, 0, 2}, 1500));
    p.links.push_back(veth("b", "eth0", "r", "vb", Mac{2, 0, 0, 0, 0, 3}, 1500));
    p.links.push_back(veth("r", "vb", "b", "eth0", Mac{2, 0, 0, 0, 0, 4}, 1000));
    p.addresses.push_back({"a", "eth0", cidr("10.1.0.2/24")});
    p.addresses.push_back({"r", "va", cidr("10.1.0.1/24")});
    p.addresses.push_back({"b", "eth0", cidr("10.2.0.2/24")});
    p.addresses.push_back({"r", "vb", cidr("10.2.0.1/24")});
    p.routes.push_back({"a", cidr("0.0.0.0/0"), ip("10.1.0.1"), "eth0", std::nullopt});
    p.routes.push_back({"b", cidr("0.0.0.0/0"), ip("10.2.0.1"), "eth0", std::nullopt});
    p.sysctls.push_back({"r", "net.ipv4.ip_forward", "1"});
    World w(p);
    const int a = w.findNamespace("a");
    const ProbeResult df =
        runProbe(w, a, ip("10.2.0.2"), model::Proto::Icmp, 0, true, ProbeSize{1200, true});
    EXPECT_FALSE(df.reachable);
    EXPECT_EQ(df.reason.why, Why::FragmentationNeeded);
    EXPECT_EQ(outcomeOf(false, df.reason), model::Outcome::NoRoute);
    EXPECT_NE(w.explain(df.reason).en.find("sends ICMP fragmentation needed (MTU 1000)"),
              std::string::npos)
        << w.explain(df.reason).en;
    // The error a receives names the MTU where RFC 1191 puts it.
    const auto error = std::find_if(df.hops.begin(), df.hops.end(), [](const Hop& h) {
        return h.action == action::kDeliver && h.frame->ipProto == kIpProtoIcmp &&
               h.frame->icmpType == icmp::kDestUnreachable;
    });
    ASSERT_NE(error, df.hops.end());
    const auto bytes = packet::serialize(*error->frame);
    EXPECT_EQ(bytes[14 + 20 + 1], icmp::kFragmentationNeeded);
    EXPECT_EQ(packet::wire::get16(bytes, 14 + 20 + 6), 1000);
    EXPECT_EQ(packet::parse(bytes)->icmpSeq, 1000);

    const ProbeResult clear =
        runProbe(w, a, ip("10.2.0.2"), model::Proto::Icmp, 0, true, ProbeSize{1200, false});
    EXPECT_TRUE(clear.reachable) << w.explain(clear.reason).en;
    EXPECT_NE(findHop(clear.hops, action::kFragment, "r", "cuts it into 2 fragments"), nullptr);
}
