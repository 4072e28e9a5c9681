// serialize/parse/describe for every layer the simulator puts on a wire.
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
    default: break;
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
    default: EXPECT_EQ(a.payloadSize, b.payloadSize); break;
    }
}

void expectSameFrame(const Frame& a, const Frame& b) {
    EXPECT_EQ(a.dstMac, b.dstMac);
    EXPECT_EQ(a.srcMac, b.srcMac);
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
