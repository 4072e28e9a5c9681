// serialize() and parse(): Frame <-> bytes. describe(), layerNames() and
// summary() are in packet_describe.cpp; DNS is in dns_codec.cpp.
#include "packet/packet_codec.hpp"

#include <algorithm>

#include "packet/dns_codec.hpp"
#include "packet/esp_codec.hpp"
#include "packet/wire.hpp"

namespace cnmlab::packet {

namespace {

using Bytes = std::vector<std::uint8_t>;
using Span = std::span<const std::uint8_t>;

constexpr std::size_t kIpv4HeaderSize = 20;
constexpr std::size_t kArpSize = 28;
constexpr std::size_t kIcmpHeaderSize = 8;
constexpr std::size_t kUdpHeaderSize = 8;
constexpr std::size_t kTcpHeaderSize = 20;
constexpr std::size_t kVxlanHeaderSize = 8;
constexpr std::size_t kQuotedL4Bytes = 8;  // RFC 792: the first 64 bits of the datagram
constexpr std::uint16_t kDontFragment = 0x4000;
constexpr std::uint16_t kMoreFragments = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1fff;
constexpr std::uint8_t kVxlanFlagVni = 0x08;

void appendZeros(Bytes& out, std::size_t n) {
    out.insert(out.end(), n, std::uint8_t{0});
}

Bytes zeros(std::size_t n) {
    Bytes out;
    appendZeros(out, n);
    return out;
}

void append(Bytes& out, const Bytes& more) {
    out.insert(out.end(), more.begin(), more.end());
}

// ---- serialize -------------------------------------------------------------

Bytes ethernetFrame(const Frame& f);

Bytes arpPacket(const Frame& f) {
    Bytes out;
    wire::put16(out, 1);  // hardware type: Ethernet
    wire::put16(out, kEtherTypeIpv4);
    wire::put8(out, 6);
    wire::put8(out, 4);
    wire::put16(out, f.arpOp);
    wire::putMac(out, f.arpSenderMac);
    wire::putIp(out, f.arpSenderIp);
    wire::putMac(out, f.arpTargetMac);
    wire::putIp(out, f.arpTargetIp);
    return out;
}

Bytes ipv4Packet(const Frame& f);

Bytes icmpMessage(const Frame& f) {
    Bytes out;
    wire::put8(out, f.icmpType);
    wire::put8(out, f.icmpCode);
    wire::put16(out, 0);  // checksum, filled in below
    if (isIcmpError(f.icmpType)) {
        wire::put16(out, 0);          // unused
        wire::put16(out, f.icmpSeq);  // fragmentation needed: the next-hop MTU
        if (f.quoted) {
            Bytes quote = ipv4Packet(*f.quoted);
            quote.resize(std::min(quote.size(), kIpv4HeaderSize + kQuotedL4Bytes));
            append(out, quote);
        } else {
            appendZeros(out, f.payloadSize);
        }
    } else {
        wire::put16(out, f.icmpId);
        wire::put16(out, f.icmpSeq);
        appendZeros(out, f.payloadSize);
    }
    wire::set16(out, 2, wire::internetChecksum(out));
    return out;
}

Bytes udpPayload(const Frame& f) {
    if (f.inner) {
        Bytes out;
        wire::put32(out, std::uint32_t{kVxlanFlagVni} << 24);
        wire::put32(out, (f.vni & 0xffffffu) << 8);
        append(out, ethernetFrame(*f.inner));
        return out;
    }
    if (f.dns) {
        return encodeDns(*f.dns);
    }
    return zeros(f.payloadSize);
}

Bytes udpDatagram(const Frame& f) {
    const Bytes payload = udpPayload(f);
    const std::size_t length = kUdpHeaderSize + payload.size();
    Bytes out;
    wire::put16(out, f.srcPort);
    wire::put16(out, f.inner ? kVxlanPort : f.dstPort);
    wire::put16(out, static_cast<std::uint16_t>(length));
    wire::put16(out, 0);
    append(out, payload);
    std::uint16_t sum =
        wire::internetChecksum(out, wire::pseudoHeaderSum(f.ipSrc, f.ipDst, kIpProtoUdp, length));
    wire::set16(out, 6, sum == 0 ? 0xffff : sum);  // RFC 768: 0 means "no checksum"
    return out;
}

Bytes tcpSegment(const Frame& f) {
    Bytes out;
    wire::put16(out, f.srcPort);
    wire::put16(out, f.dstPort);
    wire::put32(out, f.tcpSeq);
    wire::put32(out, f.tcpAck);
    wire::put8(out, (kTcpHeaderSize / 4) << 4);  // data offset, no options
    wire::put8(out, f.tcpFlags);
    wire::put16(out, f.tcpWindow);
    wire::put16(out, 0);  // checksum, filled in below
    wire::put16(out, 0);  // urgent pointer
    appendZeros(out, f.payloadSize);
    wire::set16(out, 16,
                wire::internetChecksum(
                    out, wire::pseudoHeaderSum(f.ipSrc, f.ipDst, kIpProtoTcp, out.size())));
    return out;
}

Bytes ipPayload(const Frame& f) {
    switch (f.ipProto) {
    case kIpProtoIcmp:
        return icmpMessage(f);
    case kIpProtoTcp:
        return tcpSegment(f);
    case kIpProtoUdp:
        return udpDatagram(f);
    case kIpProtoEsp: {
        // The protected datagram as the sender's IP layer had it, then sealed.
        const Bytes plain = f.esp ? ipPayload(*f.esp) : Bytes{};
        return espPayload(f, plain, f.esp ? f.esp->ipProto : 0);
    }
    default:
        return zeros(f.payloadSize);
    }
}

Bytes ipv4Packet(const Frame& f) {
    const Bytes payload = ipPayload(f);
    Bytes out;
    wire::put8(out, 0x45);  // version 4, IHL 5
    wire::put8(out, 0);     // DSCP/ECN
    wire::put16(out, static_cast<std::uint16_t>(kIpv4HeaderSize + payload.size()));
    wire::put16(out, f.ipId);
    wire::put16(out, f.dontFragment ? kDontFragment : 0);
    wire::put8(out, f.ttl);
    wire::put8(out, f.ipProto);
    wire::put16(out, 0);  // header checksum, filled in below
    wire::putIp(out, f.ipSrc);
    wire::putIp(out, f.ipDst);
    wire::set16(out, 10, wire::internetChecksum(out));
    append(out, payload);
    return out;
}

// The frame without padding: VXLAN carries inner frames this way.
Bytes ethernetFrame(const Frame& f) {
    Bytes out;
    wire::putMac(out, f.dstMac);
    wire::putMac(out, f.srcMac);
    if (f.vlanId != 0) {
        wire::put16(out, kEtherTypeVlan);
        wire::put16(out, f.vlanId & 0x0fffU);  // PCP 0, DEI 0
    }
    wire::put16(out, f.ethertype);
    if (f.ethertype == kEtherTypeArp) {
        append(out, arpPacket(f));
    } else if (f.ethertype == kEtherTypeIpv4) {
        append(out, ipv4Packet(f));
    } else {
        appendZeros(out, f.payloadSize);
    }
    return out;
}

// ---- parse -----------------------------------------------------------------

std::optional<Frame> parseEthernet(Span b);

bool parseArp(Span b, Frame& f) {
    if (b.size() < kArpSize || wire::get16(b, 0) != 1 || wire::get16(b, 2) != kEtherTypeIpv4 ||
        b[4] != 6 || b[5] != 4) {
        return false;
    }
    f.arpOp = wire::get16(b, 6);
    f.arpSenderMac = wire::getMac(b, 8);
    f.arpSenderIp = wire::getIp(b, 14);
    f.arpTargetMac = wire::getMac(b, 18);
    f.arpTargetIp = wire::getIp(b, 24);
    return true;
}

struct Ipv4Head {
    std::size_t headerLength = 0;
    std::size_t totalLength = 0;
};

// Fills the IPv4 fields of `f`. The caller checks totalLength against what it has.
std::optional<Ipv4Head> parseIpv4Header(Span b, Frame& f) {
    if (b.size() < kIpv4HeaderSize || (b[0] >> 4) != 4) {
        return std::nullopt;
    }
    Ipv4Head head{std::size_t{b[0] & 0x0fu} * 4, wire::get16(b, 2)};
    const std::uint16_t fragment = wire::get16(b, 6);
    if (head.headerLength < kIpv4HeaderSize || head.headerLength > b.size() ||
        head.totalLength < head.headerLength || (fragment & kMoreFragments) != 0 ||
        (fragment & kFragmentOffsetMask) != 0) {
        return std::nullopt;
    }
    f.ipId = wire::get16(b, 4);
    f.dontFragment = (fragment & kDontFragment) != 0;
    f.ttl = b[8];
    f.ipProto = b[9];
    f.ipSrc = wire::getIp(b, 12);
    f.ipDst = wire::getIp(b, 16);
    return head;
}

std::uint16_t sizeField(std::size_t n) {
    return static_cast<std::uint16_t>(n);
}

// The packet an ICMP error quotes: an IPv4 header and (at least) the first 8
// bytes of its L4 header. Sizes come from the quoted header's length fields, so
// serialize(*quote) quotes the same bytes again.
std::shared_ptr<const Frame> parseQuote(Span b) {
    auto q = std::make_shared<Frame>();
    const auto head = parseIpv4Header(b, *q);
    if (!head) {
        return nullptr;
    }
    const Span l4 = b.subspan(head->headerLength);
    const std::size_t l4Length = head->totalLength - head->headerLength;
    auto remainder = [&](std::size_t header) {
        return sizeField(l4Length - std::min(l4Length, header));
    };
    if ((q->ipProto == kIpProtoTcp || q->ipProto == kIpProtoUdp) && l4.size() >= 8) {
        q->srcPort = wire::get16(l4, 0);
        q->dstPort = wire::get16(l4, 2);
        if (q->ipProto == kIpProtoTcp) {
            q->tcpSeq = wire::get32(l4, 4);
            q->payloadSize = remainder(kTcpHeaderSize);
        } else {
            q->payloadSize = remainder(kUdpHeaderSize);
        }
    } else if (q->ipProto == kIpProtoIcmp && l4.size() >= 8) {
        q->icmpType = l4[0];
        q->icmpCode = l4[1];
        q->icmpId = wire::get16(l4, 4);
        q->icmpSeq = wire::get16(l4, 6);
        q->payloadSize = remainder(kIcmpHeaderSize);
    } else {
        q->payloadSize = remainder(0);
    }
    return q;
}

bool parseIcmp(Span b, Frame& f) {
    if (b.size() < kIcmpHeaderSize) {
        return false;
    }
    f.icmpType = b[0];
    f.icmpCode = b[1];
    const Span rest = b.subspan(kIcmpHeaderSize);
    if (isIcmpError(f.icmpType)) {
        f.icmpSeq = wire::get16(b, 6);  // fragmentation needed: the next-hop MTU
        f.quoted = parseQuote(rest);
        if (!f.quoted) {
            f.payloadSize = sizeField(rest.size());
        }
        return true;
    }
    f.icmpId = wire::get16(b, 4);
    f.icmpSeq = wire::get16(b, 6);
    f.payloadSize = sizeField(rest.size());
    return true;
}

bool parseUdp(Span b, Frame& f) {
    if (b.size() < kUdpHeaderSize) {
        return false;
    }
    const std::size_t length = wire::get16(b, 4);
    if (length < kUdpHeaderSize || length > b.size()) {
        return false;
    }
    f.srcPort = wire::get16(b, 0);
    f.dstPort = wire::get16(b, 2);
    const Span payload = b.subspan(kUdpHeaderSize, length - kUdpHeaderSize);
    if (f.dstPort == kVxlanPort && payload.size() >= kVxlanHeaderSize &&
        (payload[0] & kVxlanFlagVni) != 0) {
        auto inner = parseEthernet(payload.subspan(kVxlanHeaderSize));
        if (!inner) {
            return false;
        }
        f.vni = wire::get32(payload, 4) >> 8;
        f.inner = std::make_shared<const Frame>(std::move(*inner));
        return true;
    }
    if (f.srcPort == kDnsPort || f.dstPort == kDnsPort) {
        if (auto dns = decodeDns(payload)) {
            f.dns = std::make_shared<const DnsMessage>(std::move(*dns));
            return true;
        }
    }
    f.payloadSize = sizeField(payload.size());
    return true;
}

bool parseTcp(Span b, Frame& f) {
    if (b.size() < kTcpHeaderSize) {
        return false;
    }
    const std::size_t dataOffset = std::size_t{b[12]} / 16 * 4;
    if (dataOffset < kTcpHeaderSize || dataOffset > b.size()) {
        return false;
    }
    f.srcPort = wire::get16(b, 0);
    f.dstPort = wire::get16(b, 2);
    f.tcpSeq = wire::get32(b, 4);
    f.tcpAck = wire::get32(b, 8);
    f.tcpFlags = b[13];
    f.tcpWindow = wire::get16(b, 14);
    f.payloadSize = sizeField(b.size() - dataOffset);
    return true;
}

bool parseIpv4(Span b, Frame& f) {
    const auto head = parseIpv4Header(b, f);
    if (!head || head->totalLength > b.size()) {
        return false;
    }
    const Span payload = b.subspan(head->headerLength, head->totalLength - head->headerLength);
    switch (f.ipProto) {
    case kIpProtoIcmp:
        return parseIcmp(payload, f);
    case kIpProtoTcp:
        return parseTcp(payload, f);
    case kIpProtoUdp:
        return parseUdp(payload, f);
    case kIpProtoEsp:
        return parseEsp(payload, f);
    default:
        f.payloadSize = sizeField(payload.size());
        return true;
    }
}

std::optional<Frame> parseEthernet(Span b) {
    if (b.size() < kEthernetHeaderSize) {
        return std::nullopt;
    }
    Frame f;
    f.dstMac = wire::getMac(b, 0);
    f.srcMac = wire::getMac(b, 6);
    f.ethertype = wire::get16(b, 12);
    std::size_t header = kEthernetHeaderSize;
    if (f.ethertype == kEtherTypeVlan) {
        if (b.size() < kEthernetHeaderSize + kVlanTagSize) {
            return std::nullopt;
        }
        f.vlanId = wire::get16(b, 14) & 0x0fffU;
        f.ethertype = wire::get16(b, 16);
        header += kVlanTagSize;
    }
    const Span rest = b.subspan(header);
    bool ok = true;
    if (f.ethertype == kEtherTypeArp) {
        ok = parseArp(rest, f);
    } else if (f.ethertype == kEtherTypeIpv4) {
        ok = parseIpv4(rest, f);
    } else {
        f.payloadSize = sizeField(std::min<std::size_t>(rest.size(), 0xffff));
    }
    if (!ok) {
        return std::nullopt;
    }
    return f;
}

}  // namespace

namespace {

std::size_t ethernetSize(const Frame& f) {
    const std::size_t header = kEthernetHeaderSize + (f.vlanId != 0 ? kVlanTagSize : 0);
    if (f.ethertype == kEtherTypeArp) {
        return header + kArpSize;
    }
    if (f.ethertype == kEtherTypeIpv4) {
        return header + ipv4Size(f);
    }
    return header + f.payloadSize;
}

}  // namespace

std::size_t ipv4Size(const Frame& f) {
    std::size_t l4 = f.payloadSize;
    switch (f.ipProto) {
    case kIpProtoIcmp:
        l4 =
            kIcmpHeaderSize + (isIcmpError(f.icmpType) && f.quoted
                                   ? std::min(ipv4Size(*f.quoted), kIpv4HeaderSize + kQuotedL4Bytes)
                                   : std::size_t{f.payloadSize});
        break;
    case kIpProtoTcp:
        l4 = kTcpHeaderSize + f.payloadSize;
        break;
    case kIpProtoUdp:
        l4 = kUdpHeaderSize + (f.inner ? kVxlanHeaderSize + ethernetSize(*f.inner)
                               : f.dns ? dnsSize(*f.dns)
                                       : std::size_t{f.payloadSize});
        break;
    case kIpProtoEsp:
        l4 = f.esp      ? espSize(ipv4Size(*f.esp) - kIpv4HeaderSize)
             : f.espRaw ? kEspHeaderSize + f.espRaw->size()
                        : kEspHeaderSize;
        break;
    default:
        break;
    }
    return kIpv4HeaderSize + l4;
}

std::vector<std::uint8_t> serialize(const Frame& frame) {
    Bytes out = ethernetFrame(frame);
    if (out.size() < kEthernetMinFrame) {
        out.resize(kEthernetMinFrame, 0);
    }
    return out;
}

std::optional<Frame> parse(std::span<const std::uint8_t> bytes) {
    return parseEthernet(bytes);
}

}  // namespace cnmlab::packet
