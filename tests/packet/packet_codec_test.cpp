// serialize/parse for every layer the simulator puts on a wire (what
// describe() and summary() say about a frame: packet_describe_test.cpp).
// Known-good vectors come from outside the codec: RFC 791's well-known header
// example, hand-computed sums, and frames built by a small Python reference
// encoder (struct + RFC 1071; the script is reproduced in the comments below).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "packet/dns_codec.hpp"
#include "packet/packet_codec.hpp"
#include "tests/packet/sample_frames.hpp"

namespace cnmlab::packet {
namespace {

using namespace cnmlab::packet::testing;
using Bytes = std::vector<std::uint8_t>;

Bytes fromHex(const std::string& hex) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

Bytes slice(const Bytes& b, std::size_t at, std::size_t length) {
    const auto first = b.begin() + static_cast<std::ptrdiff_t>(at);
    return {first, first + static_cast<std::ptrdiff_t>(length)};
}

std::uint16_t be16(const Bytes& b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] * 256 + b[at + 1]);
}

// RFC 1071, written independently of sim/wire.hpp: sum big-endian words in
// 64 bits, fold once at the end. A buffer holding its own checksum sums to 0.
std::uint16_t rfc1071(const Bytes& data) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 2) {
        const std::uint64_t hi = data[i];
        const std::uint64_t lo = i + 1 < data.size() ? data[i + 1] : 0;
        sum += hi * 256 + lo;
    }
    while (sum > 0xffff) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(0xffff - sum);
}

Bytes pseudoHeader(const Bytes& ip, std::uint8_t proto, std::size_t length) {
    Bytes p = slice(ip, 12, 8);
    p.push_back(0);
    p.push_back(proto);
    p.push_back(static_cast<std::uint8_t>(length >> 8));
    p.push_back(static_cast<std::uint8_t>(length));
    return p;
}

// Walks an Ethernet frame at `at` with the test's own idea of the layout and
// checks every checksum it finds (recursing into VXLAN and ICMP quotes).
void expectChecksumsValid(const Bytes& frame, std::size_t at, const std::string& what) {
    if (be16(frame, at + 12) != 0x0800) {
        return;
    }
    const std::size_t ipAt = at + 14;
    const Bytes ip = slice(frame, ipAt, be16(frame, ipAt + 2));
    EXPECT_EQ(rfc1071(slice(ip, 0, 20)), 0) << what << ": IPv4 header";
    const Bytes l4 = slice(ip, 20, ip.size() - 20);
    switch (ip[9]) {
    case 1:
        EXPECT_EQ(rfc1071(l4), 0) << what << ": ICMP";
        if ((l4[0] == 3 || l4[0] == 11) && l4.size() >= 28) {
            EXPECT_EQ(rfc1071(slice(l4, 8, 20)), 0) << what << ": quoted IPv4 header";
        }
        break;
    case 6: {
        Bytes all = pseudoHeader(ip, 6, l4.size());
        all.insert(all.end(), l4.begin(), l4.end());
        EXPECT_EQ(rfc1071(all), 0) << what << ": TCP";
        break;
    }
    case 17: {
        EXPECT_NE(be16(l4, 6), 0) << what << ": UDP checksum present";
        Bytes all = pseudoHeader(ip, 17, l4.size());
        all.insert(all.end(), l4.begin(), l4.end());
        EXPECT_EQ(rfc1071(all), 0) << what << ": UDP";
        if (be16(l4, 2) == 4789) {
            expectChecksumsValid(frame, ipAt + 20 + 8 + 8, what + " (inner)");
        }
        break;
    }
    default:
        break;
    }
}

void expectSameDns(const DnsMessage& a, const DnsMessage& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.response, b.response);
    EXPECT_EQ(a.recursionDesired, b.recursionDesired);
    EXPECT_EQ(a.recursionAvailable, b.recursionAvailable);
    EXPECT_EQ(a.rcode, b.rcode);
    EXPECT_EQ(a.qname, b.qname);
    EXPECT_EQ(a.qtype, b.qtype);
    ASSERT_EQ(a.answers.size(), b.answers.size());
    for (std::size_t i = 0; i < a.answers.size(); ++i) {
        EXPECT_EQ(a.answers[i].name, b.answers[i].name);
        EXPECT_EQ(a.answers[i].address, b.answers[i].address);
        EXPECT_EQ(a.answers[i].ttl, b.answers[i].ttl);
    }
}

void expectSameIp(const Frame& a, const Frame& b) {
    EXPECT_EQ(a.ipSrc, b.ipSrc);
    EXPECT_EQ(a.ipDst, b.ipDst);
    EXPECT_EQ(a.ttl, b.ttl);
    EXPECT_EQ(a.ipProto, b.ipProto);
    EXPECT_EQ(a.ipId, b.ipId);
    EXPECT_EQ(a.dontFragment, b.dontFragment);
}

// What an ICMP error's quote keeps: the IPv4 header and the first 8 bytes.
void expectSameQuote(const Frame& a, const Frame& b) {
    expectSameIp(a, b);
    EXPECT_EQ(a.payloadSize, b.payloadSize);
    if (a.ipProto == kIpProtoIcmp) {
        EXPECT_EQ(a.icmpType, b.icmpType);
        EXPECT_EQ(a.icmpId, b.icmpId);
        EXPECT_EQ(a.icmpSeq, b.icmpSeq);
    } else {
        EXPECT_EQ(a.srcPort, b.srcPort);
        EXPECT_EQ(a.dstPort, b.dstPort);
        if (a.ipProto == kIpProtoTcp) {
            EXPECT_EQ(a.tcpSeq, b.tcpSeq);
        }
    }
}

void expectSameFrame(const Frame& a, const Frame& b);

void expectSameL4(const Frame& a, const Frame& b) {
    switch (a.ipProto) {
    case kIpProtoIcmp:
        EXPECT_EQ(a.icmpType, b.icmpType);
        EXPECT_EQ(a.icmpCode, b.icmpCode);
        ASSERT_EQ(a.quoted == nullptr, b.quoted == nullptr);
        if (a.quoted) {
            expectSameQuote(*a.quoted, *b.quoted);
        } else {
            EXPECT_EQ(a.icmpId, b.icmpId);
            EXPECT_EQ(a.icmpSeq, b.icmpSeq);
            EXPECT_EQ(a.payloadSize, b.payloadSize);
        }
        break;
    case kIpProtoTcp:
        EXPECT_EQ(a.srcPort, b.srcPort);
        EXPECT_EQ(a.dstPort, b.dstPort);
        EXPECT_EQ(a.tcpFlags, b.tcpFlags);
        EXPECT_EQ(a.tcpSeq, b.tcpSeq);
        EXPECT_EQ(a.tcpAck, b.tcpAck);
        EXPECT_EQ(a.tcpWindow, b.tcpWindow);
        EXPECT_EQ(a.payloadSize, b.payloadSize);
        break;
    case kIpProtoUdp:
        EXPECT_EQ(a.srcPort, b.srcPort);
        EXPECT_EQ(a.dstPort, b.dstPort);
        ASSERT_EQ(a.inner == nullptr, b.inner == nullptr);
        ASSERT_EQ(a.dns == nullptr, b.dns == nullptr);
        if (a.inner) {
            EXPECT_EQ(a.vni, b.vni);
            expectSameFrame(*a.inner, *b.inner);
        } else if (a.dns) {
            expectSameDns(*a.dns, *b.dns);
        } else {
            EXPECT_EQ(a.payloadSize, b.payloadSize);
        }
        break;
    default:
        EXPECT_EQ(a.payloadSize, b.payloadSize);
        break;
    }
}

void expectSameFrame(const Frame& a, const Frame& b) {
    EXPECT_EQ(a.dstMac, b.dstMac);
    EXPECT_EQ(a.srcMac, b.srcMac);
    EXPECT_EQ(a.vlanId, b.vlanId);
    ASSERT_EQ(a.ethertype, b.ethertype);
    if (a.ethertype == kEtherTypeArp) {
        EXPECT_EQ(a.arpOp, b.arpOp);
        EXPECT_EQ(a.arpSenderMac, b.arpSenderMac);
        EXPECT_EQ(a.arpSenderIp, b.arpSenderIp);
        EXPECT_EQ(a.arpTargetMac, b.arpTargetMac);
        EXPECT_EQ(a.arpTargetIp, b.arpTargetIp);
    } else if (a.ethertype == kEtherTypeIpv4) {
        expectSameIp(a, b);
        expectSameL4(a, b);
    }
}

// ---- known-good vectors ------------------------------------------------------

// The IPv4 header every checksum tutorial uses (192.168.0.1 -> 192.168.0.199,
// UDP, total length 115, checksum 0xb861).
TEST(PacketChecksum, Ipv4HeaderMatchesTextbookExample) {
    Frame f = ipFrame(kIpProtoUdp, 0);
    f.ipSrc = Ipv4(192, 168, 0, 1);
    f.ipDst = Ipv4(192, 168, 0, 199);
    f.payloadSize = 115 - 20 - 8;
    const Bytes b = serialize(f);
    EXPECT_EQ(slice(b, 14, 20), fromHex("45000073000040004011b861c0a80001c0a800c7"));
}

// Echo request id 1 seq 1, 56 zero bytes: 0x0800 + 0x0001 + 0x0001 = 0x0802,
// complemented 0xf7fd (computed by hand).
TEST(PacketChecksum, IcmpEchoMatchesHandComputedSum) {
    const Bytes b = serialize(echoRequest());
    EXPECT_EQ(be16(b, 34 + 2), 0xf7fd);
}

// The Python reference encoder:
//   def csum(b): b += b'\0' * (len(b) % 2); s = sum(struct.unpack('!%dH' % (len(b)//2), b))
//                while s >> 16: s = (s & 0xffff) + (s >> 16)
//                return ~s & 0xffff
//   UDP/TCP checksums over inet_aton(src) + inet_aton(dst) + pack('!BBH', 0, proto, len) + seg;
//   Ethernet padded with zeros to 60 bytes.
TEST(PacketVectors, UdpProbeMatchesReferenceEncoder) {
    EXPECT_EQ(serialize(udpProbe()),
              fromHex("0242ac1200030242ac12000208004500003c123440004011d053ac120002ac120003"
                      "9c40270f0028e424" +
                      std::string(64, '0')));
}

TEST(PacketVectors, TcpSynMatchesReferenceEncoder) {
    EXPECT_EQ(serialize(tcpSyn()),
              fromHex("0242ac1200030242ac120002080045000028000140004006e2a5ac120002ac120003"
                      "b26e0050000003e8000000005002faf0a6210000000000000000"));
}

TEST(PacketVectors, EchoRequestMatchesReferenceEncoder) {
    EXPECT_EQ(serialize(echoRequest()),
              fromHex("0242ac1200030242ac1200020800450000541c4640004001c639ac120002ac120003"
                      "0800f7fd00010001" +
                      std::string(112, '0')));
}

TEST(PacketVectors, DnsResponseMatchesReferenceEncoder) {
    EXPECT_EQ(serialize(dnsResponse()),
              fromHex("0242ac1200020242ac1200010800450000400007400040110f877f00000bac120002"
                      "0035cf09002c9e9a"
                      "1234818000010001000000000264620000010001"
                      "c00c00010001000002580004ac120003"));
}

TEST(PacketVectors, ArpRequestLayout) {
    EXPECT_EQ(serialize(arpRequest()), fromHex("ffffffffffff0242ac1200020806"
                                               "0001080006040001"
                                               "0242ac120002ac120002"
                                               "000000000000ac120003" +
                                               std::string(36, '0')));
}

TEST(PacketChecksum, EveryLayerVerifiesWithIndependentRfc1071) {
    for (const auto& [name, frame] : allSamples()) {
        expectChecksumsValid(serialize(frame), 0, name);
    }
}

// ---- Ethernet padding --------------------------------------------------------

TEST(PacketEthernet, PadsShortFramesToSixtyBytesWithZeros) {
    const Bytes arp = serialize(arpRequest());
    ASSERT_EQ(arp.size(), 60u);
    for (std::size_t i = 42; i < arp.size(); ++i) {
        EXPECT_EQ(arp[i], 0) << i;
    }
    EXPECT_EQ(serialize(tcpSyn()).size(), 60u);  // 54 bytes of headers
    EXPECT_EQ(serialize(echoRequest()).size(), 98u);
    EXPECT_EQ(serialize(tcpData()).size(), 154u);
}

TEST(PacketEthernet, ParseIgnoresPaddingAfterIpv4TotalLength) {
    const auto f = parse(serialize(tcpSyn()));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->payloadSize, 0);
}

// ---- 802.1Q -------------------------------------------------------------------

TEST(PacketVlan, TheTagSitsBetweenTheSourceMacAndTheEthertype) {
    Frame f = echoRequest();
    f.vlanId = 50;
    const Bytes tagged = serialize(f);
    const Bytes plain = serialize(echoRequest());
    ASSERT_EQ(tagged.size(), plain.size() + 4);
    EXPECT_EQ(be16(tagged, 12), 0x8100);  // TPID
    EXPECT_EQ(be16(tagged, 14), 50);      // PCP 0, DEI 0, VID 50
    EXPECT_EQ(be16(tagged, 16), 0x0800);
    EXPECT_EQ(slice(tagged, 18, plain.size() - 14), slice(plain, 14, plain.size() - 14));
    const auto back = parse(tagged);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->vlanId, 50);
    expectSameFrame(f, *back);
    EXPECT_EQ(layerNames(f), (std::vector<std::string>{"eth", "vlan", "ipv4", "icmp"}));
}

TEST(PacketVlan, ATaggedArpIsPaddedToSixtyBytesWithTheTag) {
    Frame f = arpRequest();
    f.vlanId = 4094;
    const Bytes b = serialize(f);
    EXPECT_EQ(b.size(), 60u);  // 14 + 4 + 28, padded as the parent's driver pads it
    EXPECT_EQ(be16(b, 14), 4094);
    EXPECT_EQ(parse(b)->arpTargetIp, f.arpTargetIp);
    EXPECT_FALSE(parse(slice(b, 0, 16)));  // a tag cut short
}

// ---- round trips -------------------------------------------------------------

TEST(PacketRoundTrip, ParseReproducesEveryLayer) {
    for (const auto& [name, frame] : allSamples()) {
        SCOPED_TRACE(name);
        const Bytes bytes = serialize(frame);
        const auto parsed = parse(bytes);
        ASSERT_TRUE(parsed);
        expectSameFrame(frame, *parsed);
        EXPECT_EQ(serialize(*parsed), bytes);
    }
}

TEST(PacketSize, Ipv4SizeIsWhatSerializeWritesWithoutWritingIt) {
    for (const auto& [name, frame] : allSamples()) {
        if (frame.ethertype != kEtherTypeIpv4) {
            continue;
        }
        SCOPED_TRACE(name);
        const Bytes bytes = serialize(frame);
        EXPECT_EQ(ipv4Size(frame), be16(bytes, kEthernetHeaderSize + 2));
    }
    Frame big = echoRequest();
    big.payloadSize = 1422;
    EXPECT_EQ(ipv4Size(vxlanOf(big)), 1500u);  // an overlay's MTU 1450 fills the LAN's 1500
}

TEST(PacketIcmp, FragmentationNeededCarriesTheNextHopMtu) {
    Frame f = portUnreachable();
    f.icmpCode = icmp::kFragmentationNeeded;
    f.icmpSeq = 1450;
    const Bytes b = serialize(f);
    EXPECT_EQ(be16(b, kEthernetHeaderSize + 20 + 4), 0);  // unused
    EXPECT_EQ(be16(b, kEthernetHeaderSize + 20 + 6), 1450);
    EXPECT_EQ(parse(b)->icmpSeq, 1450);
}

TEST(PacketRoundTrip, UnknownEthertypeAndIpProtocolKeepTheirPayloadSize) {
    Frame raw = udpProbe();
    raw.ipProto = 47;  // GRE, which the simulator does not speak
    raw.payloadSize = 40;
    auto parsed = parse(serialize(raw));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->ipProto, 47);
    EXPECT_EQ(parsed->payloadSize, 40);

    Frame ipv6 = raw;
    ipv6.ethertype = 0x86dd;
    ipv6.payloadSize = 100;
    parsed = parse(serialize(ipv6));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->ethertype, 0x86dd);
    EXPECT_EQ(parsed->payloadSize, 100);
}

TEST(PacketParse, ToleratesIpAndTcpOptions) {
    Bytes b = serialize(tcpSyn());
    b.resize(54);
    // A TCP MSS option (data offset 6), then an IPv4 header with 4 bytes of NOPs.
    b.insert(b.begin() + 54, {0x02, 0x04, 0x05, 0xb4});
    b[14 + 20 + 12] = 0x60;
    b.insert(b.begin() + 34, {0x01, 0x01, 0x01, 0x00});
    b[14] = 0x46;
    b[17] = static_cast<std::uint8_t>(b[17] + 8);
    const auto f = parse(b);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->srcPort, 45678);
    EXPECT_EQ(f->dstPort, 80);
    EXPECT_EQ(f->tcpFlags, tcp::kSyn);
    EXPECT_EQ(f->tcpSeq, 1000u);
    EXPECT_EQ(f->payloadSize, 0);
}

TEST(PacketParse, RejectsTruncatedHeaders) {
    for (const auto& [name, frame] : allSamples()) {
        SCOPED_TRACE(name);
        const Bytes bytes = serialize(frame);
        const std::size_t needed = frame.ethertype == kEtherTypeArp ? 42u : 14u + be16(bytes, 16);
        for (std::size_t n = 0; n < needed; ++n) {
            EXPECT_FALSE(parse(std::span(bytes).first(n))) << n;
        }
        EXPECT_TRUE(parse(std::span(bytes).first(needed)));
    }
}

TEST(PacketParse, RejectsFragments) {
    Bytes b = serialize(udpProbe());
    b[20] = 0x20;  // more fragments
    EXPECT_FALSE(parse(b));
}

// Corrupted bytes either are refused or become a frame that serializes to a
// fixed point of parse/serialize, and whose details rows all lie inside its
// bytes (the hex view highlights them).
TEST(PacketParse, SurvivesCorruptedBytes) {
    std::mt19937 rng(1234);
    int accepted = 0;
    int refused = 0;
    for (const auto& [name, frame] : allSamples()) {
        const Bytes original = serialize(frame);
        for (int round = 0; round < 500; ++round) {
            Bytes b = original;
            for (int flips = 0; flips < 3; ++flips) {
                b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
            }
            const auto parsed = parse(b);
            if (!parsed) {
                ++refused;
                continue;
            }
            ++accepted;
            const Bytes again = serialize(*parsed);
            const auto reparsed = parse(again);
            ASSERT_TRUE(reparsed) << name << " round " << round;
            ASSERT_EQ(serialize(*reparsed), again) << name << " round " << round;
            for (const Field& f : describe(*parsed)) {
                ASSERT_LE(f.offset + f.length, again.size())
                    << name << " round " << round << ": " << f.name;
            }
        }
    }
    EXPECT_GT(accepted, 0);
    EXPECT_GT(refused, 0);
}

// ---- ICMP errors ---------------------------------------------------------------

TEST(PacketIcmp, ErrorQuotesIpv4HeaderAndFirstEightBytes) {
    const Bytes b = serialize(portUnreachable());
    const Bytes probe = serialize(udpProbe());
    ASSERT_EQ(be16(b, 16), 20 + 8 + 28);  // IPv4 + ICMP header + quote
    EXPECT_EQ(b[34], 3);
    EXPECT_EQ(b[35], 3);
    EXPECT_EQ(slice(b, 38, 4), Bytes(4, 0));            // unused
    EXPECT_EQ(slice(b, 42, 28), slice(probe, 14, 28));  // quoted header + UDP header
    EXPECT_EQ(be16(b, 42 + 2), 60);                     // the original total length
}

// ---- DNS -------------------------------------------------------------------------

TEST(PacketDns, EncodesNamesAsLabels) {
    EXPECT_EQ(encodeDnsName("db"), (Bytes{2, 'd', 'b', 0}));
    EXPECT_EQ(encodeDnsName("a.example.com"),
              (Bytes{1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0}));
    EXPECT_EQ(encodeDnsName(""), (Bytes{0}));
    EXPECT_EQ(encodeDnsName("db."), encodeDnsName("db"));
    const Bytes longLabel = encodeDnsName(std::string(70, 'x'));
    EXPECT_EQ(longLabel.size(), 1u + 63u + 1u);
    EXPECT_EQ(longLabel[0], 63);
}

TEST(PacketDns, SizeIsTheEncodedSize) {
    DnsMessage m;
    m.id = 7;
    m.qname = "db";
    EXPECT_EQ(dnsSize(m), encodeDns(m).size());
    m.response = true;
    m.answers.push_back({"db", Ipv4(10, 0, 1, 2), 600});             // the pointer to the question
    m.answers.push_back({"db.other", Ipv4(10, 0, 1, 3), 600});       // a name of its own
    m.answers.push_back({std::string(70, 'x') + "..y", Ipv4(), 0});  // a cut label, empty labels
    EXPECT_EQ(dnsSize(m), encodeDns(m).size());
    m.qname = "";
    EXPECT_EQ(dnsSize(m), encodeDns(m).size());
}

TEST(PacketDns, QueryBytesFollowRfc1035) {
    const Bytes b = serialize(dnsQuery());
    EXPECT_EQ(slice(b, 42, b.size() - 42), fromHex("1234010000010000000000000264620000010001"));
}

TEST(PacketDns, AnswerForTheQuestionUsesCompressionPointer) {
    const Bytes b = encodeDns(*dnsResponse().dns);
    EXPECT_EQ(be16(b, 20), 0xc00c);
}

TEST(PacketDns, AnswerForAnotherNameIsWrittenInFull) {
    DnsMessage m = *dnsResponse().dns;
    m.answers.push_back(DnsAnswer{"shop-db-1.shop_back", Ipv4(10, 10, 0, 2), 600});
    const Bytes b = encodeDns(m);
    EXPECT_EQ(slice(b, 36, 21), encodeDnsName("shop-db-1.shop_back"));
    const auto back = decodeDns(b);
    ASSERT_TRUE(back);
    expectSameDns(m, *back);
}

// A CNAME answer (skipped) whose target the A record points into.
TEST(PacketDns, DecodesCompressedNamesAndSkipsOtherTypes) {
    const Bytes b = fromHex("beef81800001000200000000"
                            "03777777"
                            "00"
                            "00010001"  // www A IN
                            "c00c00050001"
                            "0000003c"
                            "0004"
                            "02646200"  // CNAME db
                            "c021000100010000025800"
                            "04ac120003");  // db A
    const auto m = decodeDns(b);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->qname, "www");
    ASSERT_EQ(m->answers.size(), 1u);
    EXPECT_EQ(m->answers[0].name, "db");
    EXPECT_EQ(m->answers[0].address, kDbIp);
    EXPECT_EQ(m->answers[0].ttl, 600u);
}

TEST(PacketDns, RejectsPointerLoopsAndMissingQuestion) {
    EXPECT_FALSE(decodeDns(fromHex("beef01000001000000000000c00c00010001")));
    EXPECT_FALSE(decodeDns(Bytes(32, 0)));
    // A UDP probe to port 53 with zero bytes stays a probe.
    Frame probe = udpProbe();
    probe.dstPort = kDnsPort;
    const auto parsed = parse(serialize(probe));
    ASSERT_TRUE(parsed);
    EXPECT_FALSE(parsed->dns);
    EXPECT_EQ(parsed->payloadSize, 32);
}

// ---- VXLAN -------------------------------------------------------------------------

TEST(PacketVxlan, NestsTheUnpaddedInnerFrame) {
    const Frame outer = vxlanTcp();
    const Bytes b = serialize(outer);
    const Bytes inner = serialize(*outer.inner);
    ASSERT_EQ(b.size(), 50u + 54u);
    EXPECT_EQ(be16(b, 36), 4789);
    EXPECT_EQ(be16(b, 34), 54321);
    EXPECT_EQ(slice(b, 42, 8), fromHex("0800000000100100"));  // I flag, VNI 4097
    EXPECT_EQ(slice(b, 50, 54), slice(inner, 0, 54));
    EXPECT_EQ(serialize(vxlanArp()).size(), 50u + 42u);
}

TEST(PacketVxlan, DestinationPortIs4789WhateverTheFrameSays) {
    Frame f = vxlanArp();
    f.dstPort = 0;
    EXPECT_EQ(be16(serialize(f), 36), 4789);
}

}  // namespace
}  // namespace cnmlab::packet
