// What the packet inspector shows of a frame: describe()'s field tree (every
// row locates its bytes, children cover their parent), layer names, and the
// one-line summary as Wireshark's Info column reads. The codec itself:
// packet_codec_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "packet/packet_codec.hpp"
#include "tests/packet/sample_frames.hpp"

namespace cnmlab::packet {
namespace {

using namespace cnmlab::packet::testing;

// ---- describe ----------------------------------------------------------------------

// Every item's children (following rows one level deeper) start at its offset,
// leave no gap and end at its end; depth 0 rows cover the whole frame.
void expectTreeCoversBytes(const std::vector<Field>& fields, std::size_t size,
                           const std::string& what) {
    auto checkChildren = [&](std::size_t parent, std::size_t begin, std::size_t end, int depth) {
        std::size_t covered = begin;
        std::size_t lastOffset = begin;
        for (std::size_t j = parent; j < fields.size() && fields[j].depth >= depth; ++j) {
            if (fields[j].depth != depth) {
                continue;
            }
            EXPECT_GE(fields[j].offset, lastOffset) << what << ": " << fields[j].name;
            EXPECT_LE(fields[j].offset, covered) << what << ": gap before " << fields[j].name;
            lastOffset = fields[j].offset;
            covered = std::max(covered, fields[j].offset + fields[j].length);
        }
        EXPECT_EQ(covered, end) << what << ": children of row " << parent;
    };
    checkChildren(0, 0, size, 0);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const Field& f = fields[i];
        EXPECT_GT(f.length, 0u) << what << ": " << f.name;
        EXPECT_LE(f.offset + f.length, size) << what << ": " << f.name;
        if (i + 1 < fields.size()) {
            EXPECT_LE(fields[i + 1].depth, f.depth + 1) << what << ": " << f.name;
            if (fields[i + 1].depth == f.depth + 1) {
                checkChildren(i + 1, f.offset, f.offset + f.length, f.depth + 1);
            }
        }
    }
}

TEST(PacketDescribe, OffsetsStayInBoundsAndChildrenCoverTheirParent) {
    for (const auto& [name, frame] : allSamples()) {
        expectTreeCoversBytes(describe(frame), serialize(frame).size(), name);
    }
}

// The row named `name` after the layer row named `layer` (at any depth).
const Field* find(const std::vector<Field>& fields, const std::string& layer,
                  const std::string& name, std::size_t skipLayers = 0) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name != layer || skipLayers-- > 0) {
            continue;
        }
        for (std::size_t j = i + 1; j < fields.size() && fields[j].depth > fields[i].depth; ++j) {
            if (fields[j].name == name) {
                return &fields[j];
            }
        }
        return nullptr;
    }
    return nullptr;
}

TEST(PacketDescribe, ValuesAreHumanReadableAndLocateTheirBytes) {
    const auto fields = describe(tcpSynAck());
    const Field* src = find(fields, "Ethernet II", "Source");
    ASSERT_TRUE(src);
    EXPECT_EQ(src->value, "02:42:ac:12:00:03");
    EXPECT_EQ(src->offset, 6u);
    const Field* ipSrc = find(fields, "Internet Protocol Version 4", "Source Address");
    ASSERT_TRUE(ipSrc);
    EXPECT_EQ(ipSrc->value, "172.18.0.3");
    EXPECT_EQ(ipSrc->offset, 26u);
    EXPECT_EQ(ipSrc->length, 4u);
    const Field* flags = find(fields, "Transmission Control Protocol", "Flags");
    ASSERT_TRUE(flags);
    EXPECT_EQ(flags->value, "0x012 (SYN, ACK)");
    EXPECT_EQ(flags->offset, 46u);

    const auto syn = describe(tcpSyn());
    EXPECT_EQ(find(syn, "Internet Protocol Version 4", "Header Checksum")->value,
              "0xe2a5 [correct]");
    EXPECT_EQ(find(syn, "Transmission Control Protocol", "Checksum")->value, "0xa621 [correct]");
    EXPECT_EQ(find(syn, "Internet Protocol Version 4", "Flags")->value, "0x2, Don't fragment");
}

TEST(PacketDescribe, DnsAnswersNestUnderTheMessage) {
    const auto fields = describe(dnsResponse());
    const Field* answers = find(fields, "Domain Name System (response)", "Answers");
    ASSERT_TRUE(answers);
    EXPECT_EQ(answers->depth, 1);
    const Field* address = find(fields, "Answers", "Address");
    ASSERT_TRUE(address);
    EXPECT_EQ(address->value, "172.18.0.3");
    EXPECT_EQ(address->depth, 3);
    EXPECT_EQ(address->offset, serialize(dnsResponse()).size() - 4);
    EXPECT_EQ(find(fields, "Answers", "db")->value, "type A, class IN, addr 172.18.0.3");
    EXPECT_EQ(find(fields, "Domain Name System (response)", "Flags")->value,
              "0x8180 Standard query response, No error");
}

TEST(PacketDescribe, VxlanInnerLayersAreOneLevelDeeper) {
    const auto fields = describe(vxlanTcp());
    const Field* vni =
        find(fields, "Virtual eXtensible Local Area Network", "VXLAN Network Identifier (VNI)");
    ASSERT_TRUE(vni);
    EXPECT_EQ(vni->value, "4097");
    const Field* innerTcp =
        find(fields, "Virtual eXtensible Local Area Network", "Transmission Control Protocol");
    ASSERT_TRUE(innerTcp);
    EXPECT_EQ(innerTcp->depth, 1);
    EXPECT_EQ(innerTcp->offset, 14u + 20u + 8u + 8u + 14u + 20u);
    EXPECT_EQ(find(fields, "Internet Protocol Version 4", "Source Address", 1)->value, "10.0.1.2");
}

TEST(PacketDescribe, IcmpErrorShowsTheQuotedPacket) {
    const auto fields = describe(portUnreachable());
    const Field* quotedUdp =
        find(fields, "Internet Control Message Protocol", "User Datagram Protocol");
    ASSERT_TRUE(quotedUdp);
    EXPECT_EQ(quotedUdp->depth, 1);
    EXPECT_EQ(quotedUdp->value, "Src Port: 40000, Dst Port: 9999");
    EXPECT_EQ(find(fields, "Internet Control Message Protocol", "Code")->value,
              "3 (Port unreachable)");
}

TEST(PacketDescribe, PaddingIsItsOwnRow) {
    const auto fields = describe(arpRequest());
    ASSERT_FALSE(fields.empty());
    EXPECT_EQ(fields.back().name, "Padding");
    EXPECT_EQ(fields.back().offset, 42u);
    EXPECT_EQ(fields.back().length, 18u);
}

// ---- layer names and summaries -------------------------------------------------

TEST(PacketLayers, NamesFollowTheStack) {
    using V = std::vector<std::string>;
    EXPECT_EQ(layerNames(arpRequest()), (V{"eth", "arp"}));
    EXPECT_EQ(layerNames(echoRequest()), (V{"eth", "ipv4", "icmp"}));
    EXPECT_EQ(layerNames(portUnreachable()), (V{"eth", "ipv4", "icmp"}));
    EXPECT_EQ(layerNames(tcpSyn()), (V{"eth", "ipv4", "tcp"}));
    EXPECT_EQ(layerNames(udpProbe()), (V{"eth", "ipv4", "udp"}));
    EXPECT_EQ(layerNames(dnsQuery()), (V{"eth", "ipv4", "udp", "dns"}));
    EXPECT_EQ(layerNames(vxlanTcp()), (V{"eth", "ipv4", "udp", "vxlan", "eth", "ipv4", "tcp"}));
}

TEST(PacketSummary, ReadsLikeWiresharkInfoColumn) {
    EXPECT_EQ(summary(arpRequest()), "Who has 172.18.0.3? Tell 172.18.0.2");
    EXPECT_EQ(summary(arpReply()), "172.18.0.3 is at 02:42:ac:12:00:03");
    EXPECT_EQ(summary(echoRequest()), "Echo (ping) request id=0x0001, seq=1");
    EXPECT_EQ(summary(echoReply()), "Echo (ping) reply id=0x0001, seq=1");
    EXPECT_EQ(summary(tcpSyn()), "45678 \u2192 80 [SYN] Seq=1000 Win=64240 Len=0");
    EXPECT_EQ(summary(tcpSynAck()), "80 \u2192 45678 [SYN, ACK] Seq=5000 Ack=1001 Win=65160 Len=0");
    EXPECT_EQ(summary(tcpRst()), "80 \u2192 45678 [RST, ACK] Seq=5001 Ack=1001 Win=0 Len=0");
    EXPECT_EQ(summary(udpProbe()), "40000 \u2192 9999 Len=32");
    EXPECT_EQ(summary(dnsQuery()), "Standard query 0x1234 A db");
    EXPECT_EQ(summary(dnsResponse()), "Standard query response 0x1234 A db A 172.18.0.3");
    EXPECT_EQ(summary(dnsNxdomain()),
              "Standard query response 0x4321 No such name A nosuch.example");
    EXPECT_EQ(summary(portUnreachable()), "Destination unreachable (Port unreachable)");
    EXPECT_EQ(summary(timeExceeded()), "Time-to-live exceeded (Time to live exceeded in transit)");
    EXPECT_EQ(summary(vxlanTcp()),
              "VXLAN VNI=4097: 45678 \u2192 80 [SYN] Seq=1000 Win=64240 Len=0");
}

TEST(PacketSummary, TcpFlagsInWiresharkOrder) {
    EXPECT_EQ(tcpFlagsStr(0), "<None>");
    EXPECT_EQ(tcpFlagsStr(tcp::kFin | tcp::kPsh | tcp::kAck), "FIN, PSH, ACK");
}

}  // namespace
}  // namespace cnmlab::packet
