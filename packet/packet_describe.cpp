// describe(), layerNames(), summary(): Wireshark-like views of a Frame. The
// field tree walks serialize(frame)'s bytes alongside the frame, so offsets,
// lengths and checksums are the ones on the wire.
#include <array>
#include <utility>

#include <fmt/format.h>

#include "packet/dns_codec.hpp"
#include "packet/esp_codec.hpp"
#include "packet/packet_codec.hpp"
#include "packet/wire.hpp"

namespace cnmlab::packet {

namespace {

using Span = std::span<const std::uint8_t>;

constexpr std::size_t kIpv4HeaderSize = 20;
constexpr std::size_t kArpSize = 28;
constexpr std::size_t kUdpHeaderSize = 8;
constexpr std::size_t kTcpHeaderSize = 20;
constexpr std::size_t kVxlanHeaderSize = 8;

// The bytes being described and the rows produced so far.
struct Tree {
    Span bytes;
    std::vector<Field>& out;

    void add(std::string name, std::string value, std::size_t offset, std::size_t length,
             int depth) {
        out.push_back(Field{std::move(name), std::move(value), offset, length, depth});
    }
    std::uint16_t u16(std::size_t at) const { return wire::get16(bytes, at); }
    std::uint32_t u32(std::size_t at) const { return wire::get32(bytes, at); }
};

std::string checksumStr(std::uint16_t value, bool correct) {
    return fmt::format("0x{:04x} [{}]", value, correct ? "correct" : "incorrect");
}

std::string setStr(bool set) {
    return set ? "Set" : "Not set";
}

std::string portPair(const Frame& f) {
    return fmt::format("{} \u2192 {}", f.srcPort, f.dstPort);
}

std::string icmpTypeStr(std::uint8_t type) {
    switch (type) {
    case icmp::kEchoReply:
        return "Echo (ping) reply";
    case icmp::kDestUnreachable:
        return "Destination unreachable";
    case icmp::kEchoRequest:
        return "Echo (ping) request";
    case icmp::kTimeExceeded:
        return "Time-to-live exceeded";
    default:
        return fmt::format("Type {}", type);
    }
}

std::string icmpCodeStr(std::uint8_t type, std::uint8_t code) {
    if (type == icmp::kDestUnreachable) {
        switch (code) {
        case 0:
            return "Network unreachable";
        case 1:
            return "Host unreachable";
        case 2:
            return "Protocol unreachable";
        case 3:
            return "Port unreachable";
        case 4:
            return "Fragmentation needed";
        case 13:
            return "Communication administratively filtered";
        default:
            break;
        }
    } else if (type == icmp::kTimeExceeded) {
        switch (code) {
        case 0:
            return "Time to live exceeded in transit";
        case 1:
            return "Fragment reassembly time exceeded";
        default:
            break;
        }
    }
    return fmt::format("Code {}", code);
}

std::string ipProtoStr(std::uint8_t proto) {
    switch (proto) {
    case kIpProtoIcmp:
        return "ICMP (1)";
    case kIpProtoTcp:
        return "TCP (6)";
    case kIpProtoUdp:
        return "UDP (17)";
    case kIpProtoEsp:
        return "ESP (50)";
    default:
        return std::to_string(proto);
    }
}

void describeData(Tree& t, std::size_t at, std::size_t end, int depth) {
    if (end > at) {
        t.add("Data", fmt::format("{} bytes", end - at), at, end - at, depth);
    }
}

std::size_t describeEthernet(Tree& t, const Frame& f, std::size_t at, int depth);

void describeArp(Tree& t, const Frame& f, std::size_t at, int depth) {
    const char* op = f.arpOp == 1 ? "request" : f.arpOp == 2 ? "reply" : "unknown";
    t.add("Address Resolution Protocol", op, at, kArpSize, depth);
    const int d = depth + 1;
    t.add("Hardware type", "Ethernet (1)", at, 2, d);
    t.add("Protocol type", "IPv4 (0x0800)", at + 2, 2, d);
    t.add("Hardware size", "6", at + 4, 1, d);
    t.add("Protocol size", "4", at + 5, 1, d);
    t.add("Opcode", fmt::format("{} ({})", op, f.arpOp), at + 6, 2, d);
    t.add("Sender MAC address", model::macStr(f.arpSenderMac), at + 8, 6, d);
    t.add("Sender IP address", f.arpSenderIp.str(), at + 14, 4, d);
    t.add("Target MAC address", model::macStr(f.arpTargetMac), at + 18, 6, d);
    t.add("Target IP address", f.arpTargetIp.str(), at + 24, 4, d);
}

void describeIpv4Flags(Tree& t, std::size_t at, int depth) {
    const std::uint16_t word = t.u16(at);
    const bool df = (word & 0x4000) != 0;
    t.add("Flags", fmt::format("0x{:x}{}", word >> 13, df ? ", Don't fragment" : ""), at, 2, depth);
    t.add("Reserved bit", setStr((word & 0x8000) != 0), at, 2, depth + 1);
    t.add("Don't fragment", setStr(df), at, 2, depth + 1);
    t.add("More fragments", setStr((word & 0x2000) != 0), at, 2, depth + 1);
    t.add("Fragment Offset", std::to_string(word & 0x1fff), at, 2, depth + 1);
}

// The 20-byte IPv4 header at `at` (also the header an ICMP error quotes).
void describeIpv4Header(Tree& t, const Frame& f, std::size_t at, int depth) {
    t.add("Internet Protocol Version 4",
          fmt::format("Src: {}, Dst: {}", f.ipSrc.str(), f.ipDst.str()), at, kIpv4HeaderSize,
          depth);
    const int d = depth + 1;
    t.add("Version", "4", at, 1, d);
    t.add("Header Length", "20 bytes (5)", at, 1, d);
    t.add("Differentiated Services Field", fmt::format("0x{:02x}", t.bytes[at + 1]), at + 1, 1, d);
    t.add("Total Length", std::to_string(t.u16(at + 2)), at + 2, 2, d);
    t.add("Identification", fmt::format("0x{:04x} ({})", f.ipId, f.ipId), at + 4, 2, d);
    describeIpv4Flags(t, at + 6, d);
    t.add("Time to Live", std::to_string(f.ttl), at + 8, 1, d);
    t.add("Protocol", ipProtoStr(f.ipProto), at + 9, 1, d);
    const bool ok = wire::internetChecksum(t.bytes.subspan(at, kIpv4HeaderSize)) == 0;
    t.add("Header Checksum", checksumStr(t.u16(at + 10), ok), at + 10, 2, d);
    t.add("Source Address", f.ipSrc.str(), at + 12, 4, d);
    t.add("Destination Address", f.ipDst.str(), at + 16, 4, d);
}

// The first bytes of the quoted packet's L4 header, [at, end). Their checksum
// covers bytes the quote leaves out, so it is shown unverified.
void describeQuotedL4(Tree& t, const Frame& q, std::size_t at, std::size_t end, int depth) {
    const int d = depth + 1;
    if (end - at >= 8 && (q.ipProto == kIpProtoUdp || q.ipProto == kIpProtoTcp)) {
        const bool udp = q.ipProto == kIpProtoUdp;
        t.add(udp ? "User Datagram Protocol" : "Transmission Control Protocol",
              fmt::format("Src Port: {}, Dst Port: {}", q.srcPort, q.dstPort), at, 8, depth);
        t.add("Source Port", std::to_string(q.srcPort), at, 2, d);
        t.add("Destination Port", std::to_string(q.dstPort), at + 2, 2, d);
        if (udp) {
            t.add("Length", std::to_string(t.u16(at + 4)), at + 4, 2, d);
            t.add("Checksum", fmt::format("0x{:04x} [unverified]", t.u16(at + 6)), at + 6, 2, d);
        } else {
            t.add("Sequence Number", std::to_string(q.tcpSeq), at + 4, 4, d);
        }
    } else if (end - at >= 8 && q.ipProto == kIpProtoIcmp) {
        t.add("Internet Control Message Protocol", icmpTypeStr(q.icmpType), at, 8, depth);
        t.add("Type", std::to_string(q.icmpType), at, 1, d);
        t.add("Code", std::to_string(q.icmpCode), at + 1, 1, d);
        t.add("Checksum", fmt::format("0x{:04x} [unverified]", t.u16(at + 2)), at + 2, 2, d);
        t.add("Identifier", fmt::format("0x{:04x}", q.icmpId), at + 4, 2, d);
        t.add("Sequence Number", std::to_string(q.icmpSeq), at + 6, 2, d);
    } else {
        describeData(t, at, end, depth);
    }
}

void describeIcmp(Tree& t, const Frame& f, std::size_t at, std::size_t end, int depth) {
    t.add("Internet Control Message Protocol", icmpTypeStr(f.icmpType), at, end - at, depth);
    const int d = depth + 1;
    t.add("Type", fmt::format("{} ({})", f.icmpType, icmpTypeStr(f.icmpType)), at, 1, d);
    t.add("Code", fmt::format("{} ({})", f.icmpCode, icmpCodeStr(f.icmpType, f.icmpCode)), at + 1,
          1, d);
    const bool ok = wire::internetChecksum(t.bytes.subspan(at, end - at)) == 0;
    t.add("Checksum", checksumStr(t.u16(at + 2), ok), at + 2, 2, d);
    if (!isIcmpError(f.icmpType)) {
        t.add("Identifier", fmt::format("0x{:04x} ({})", f.icmpId, f.icmpId), at + 4, 2, d);
        t.add("Sequence Number", fmt::format("{} (0x{:04x})", f.icmpSeq, f.icmpSeq), at + 6, 2, d);
        describeData(t, at + 8, end, d);
        return;
    }
    t.add("Unused", fmt::format("0x{:08x}", t.u32(at + 4)), at + 4, 4, d);
    if (!f.quoted) {
        describeData(t, at + 8, end, d);
        return;
    }
    describeIpv4Header(t, *f.quoted, at + 8, d);
    describeQuotedL4(t, *f.quoted, at + 8 + kIpv4HeaderSize, end, d);
}

void describeVxlan(Tree& t, const Frame& f, std::size_t at, std::size_t end, int depth) {
    t.add("Virtual eXtensible Local Area Network", fmt::format("VNI: {}", f.vni), at, end - at,
          depth);
    const int d = depth + 1;
    t.add("Flags", fmt::format("0x{:02x}, VXLAN Network ID (VNI)", t.bytes[at]), at, 1, d);
    t.add("Reserved", "0x000000", at + 1, 3, d);
    t.add("VXLAN Network Identifier (VNI)", std::to_string(f.vni), at + 4, 3, d);
    t.add("Reserved", "0x00", at + 7, 1, d);
    describeEthernet(t, *f.inner, at + kVxlanHeaderSize, d);
}

void describeUdp(Tree& t, const Frame& f, std::size_t at, int depth) {
    const std::size_t length = t.u16(at + 4);
    const std::size_t end = at + length;
    const std::uint16_t dstPort = t.u16(at + 2);
    t.add("User Datagram Protocol", fmt::format("Src Port: {}, Dst Port: {}", f.srcPort, dstPort),
          at, kUdpHeaderSize, depth);
    const int d = depth + 1;
    t.add("Source Port", std::to_string(f.srcPort), at, 2, d);
    t.add("Destination Port", std::to_string(dstPort), at + 2, 2, d);
    t.add("Length", std::to_string(length), at + 4, 2, d);
    const bool ok =
        wire::internetChecksum(t.bytes.subspan(at, length),
                               wire::pseudoHeaderSum(f.ipSrc, f.ipDst, kIpProtoUdp, length)) == 0;
    t.add("Checksum", checksumStr(t.u16(at + 6), ok), at + 6, 2, d);
    const std::size_t payload = at + kUdpHeaderSize;
    if (f.inner) {
        describeVxlan(t, f, payload, end, depth);
    } else if (f.dns) {
        describeDns(t.bytes.subspan(payload, end - payload), payload, depth, t.out);
    } else {
        describeData(t, payload, end, depth);
    }
}

void describeEsp(Tree& t, const Frame& f, std::size_t at, std::size_t end, int depth) {
    t.add("Encapsulating Security Payload",
          fmt::format("SPI: 0x{:08x}, Sequence: {}", f.espSpi, f.espSeq), at, end - at, depth);
    const int d = depth + 1;
    t.add("ESP SPI", fmt::format("0x{:08x}", f.espSpi), at, 4, d);
    t.add("ESP Sequence", std::to_string(f.espSeq), at + 4, 4, d);
    const std::size_t iv = at + kEspHeaderSize;
    if (end < iv + kEspIvSize + kEspIcvSize) {
        return;
    }
    t.add("IV", fmt::format("{} bytes", kEspIvSize), iv, kEspIvSize, d);
    const std::size_t cipher = iv + kEspIvSize;
    const std::size_t icv = end - kEspIcvSize;
    t.add("Encrypted data",
          fmt::format("{} bytes: {}, padding, pad length and next header, opaque without the "
                      "security association's key",
                      icv - cipher,
                      f.esp && f.esp->ipProto == kIpProtoUdp ? std::string("the UDP datagram")
                                                             : std::string("the protected data")),
          cipher, icv - cipher, d);
    t.add("ICV", fmt::format("{} bytes (AES-GCM tag)", kEspIcvSize), icv, kEspIcvSize, d);
}

void describeTcpFlags(Tree& t, std::uint8_t flags, std::size_t at, int depth) {
    t.add("Flags", fmt::format("0x{:03x} ({})", flags, tcpFlagsStr(flags)), at, 2, depth);
    constexpr std::array<std::pair<std::uint8_t, const char*>, 8> bits = {
        {{0x80, "Congestion Window Reduced"},
         {0x40, "ECN-Echo"},
         {0x20, "Urgent"},
         {tcp::kAck, "Acknowledgment"},
         {tcp::kPsh, "Push"},
         {tcp::kRst, "Reset"},
         {tcp::kSyn, "Syn"},
         {tcp::kFin, "Fin"}}};
    for (const auto& [mask, name] : bits) {
        t.add(name, setStr((flags & mask) != 0), at, 2, depth + 1);
    }
}

void describeTcp(Tree& t, const Frame& f, std::size_t at, std::size_t end, int depth) {
    t.add("Transmission Control Protocol",
          fmt::format("Src Port: {}, Dst Port: {}, Seq: {}, Len: {}", f.srcPort, f.dstPort,
                      f.tcpSeq, end - at - kTcpHeaderSize),
          at, kTcpHeaderSize, depth);
    const int d = depth + 1;
    t.add("Source Port", std::to_string(f.srcPort), at, 2, d);
    t.add("Destination Port", std::to_string(f.dstPort), at + 2, 2, d);
    t.add("Sequence Number", std::to_string(f.tcpSeq), at + 4, 4, d);
    t.add("Acknowledgment Number", std::to_string(f.tcpAck), at + 8, 4, d);
    t.add("Header Length", "20 bytes (5)", at + 12, 1, d);
    describeTcpFlags(t, f.tcpFlags, at + 12, d);
    t.add("Window", std::to_string(f.tcpWindow), at + 14, 2, d);
    const bool ok =
        wire::internetChecksum(t.bytes.subspan(at, end - at),
                               wire::pseudoHeaderSum(f.ipSrc, f.ipDst, kIpProtoTcp, end - at)) == 0;
    t.add("Checksum", checksumStr(t.u16(at + 16), ok), at + 16, 2, d);
    t.add("Urgent Pointer", std::to_string(t.u16(at + 18)), at + 18, 2, d);
    describeData(t, at + kTcpHeaderSize, end, depth);
}

// Returns the offset just past the packet.
std::size_t describeIpv4(Tree& t, const Frame& f, std::size_t at, int depth) {
    describeIpv4Header(t, f, at, depth);
    const std::size_t end = at + t.u16(at + 2);
    const std::size_t payload = at + kIpv4HeaderSize;
    switch (f.ipProto) {
    case kIpProtoIcmp:
        describeIcmp(t, f, payload, end, depth);
        break;
    case kIpProtoTcp:
        describeTcp(t, f, payload, end, depth);
        break;
    case kIpProtoUdp:
        describeUdp(t, f, payload, depth);
        break;
    case kIpProtoEsp:
        describeEsp(t, f, payload, end, depth);
        break;
    default:
        describeData(t, payload, end, depth);
        break;
    }
    return end;
}

std::size_t describeEthernet(Tree& t, const Frame& f, std::size_t at, int depth) {
    t.add("Ethernet II",
          fmt::format("Src: {}, Dst: {}", model::macStr(f.srcMac), model::macStr(f.dstMac)), at,
          kEthernetHeaderSize, depth);
    const int d = depth + 1;
    t.add("Destination", model::macStr(f.dstMac), at, 6, d);
    t.add("Source", model::macStr(f.srcMac), at + 6, 6, d);
    const char* type = f.ethertype == kEtherTypeIpv4  ? "IPv4 "
                       : f.ethertype == kEtherTypeArp ? "ARP "
                                                      : "";
    std::size_t typeAt = at + 12;
    if (f.vlanId != 0) {
        t.add("Type", fmt::format("802.1Q Virtual LAN (0x{:04x})", kEtherTypeVlan), typeAt, 2, d);
        t.add("802.1Q Virtual LAN", fmt::format("PRI: 0, DEI: 0, ID: {}", f.vlanId), typeAt + 2,
              kVlanTagSize, depth);
        t.add("ID", std::to_string(f.vlanId), typeAt + 2, 2, d);
        typeAt += kVlanTagSize;
    }
    t.add("Type", fmt::format("{}(0x{:04x})", type, f.ethertype), typeAt, 2, d);
    const std::size_t payload = typeAt + 2;
    if (f.ethertype == kEtherTypeArp) {
        describeArp(t, f, payload, depth);
        return payload + kArpSize;
    }
    if (f.ethertype == kEtherTypeIpv4) {
        return describeIpv4(t, f, payload, depth);
    }
    describeData(t, payload, payload + f.payloadSize, depth);
    return payload + f.payloadSize;
}

// ---- summary ---------------------------------------------------------------

std::string arpSummary(const Frame& f) {
    if (f.arpOp == 1) {
        if (f.arpSenderIp == f.arpTargetIp) {
            return fmt::format("Gratuitous ARP for {} (Request)", f.arpSenderIp.str());
        }
        return fmt::format("Who has {}? Tell {}", f.arpTargetIp.str(), f.arpSenderIp.str());
    }
    if (f.arpOp == 2) {
        return fmt::format("{} is at {}", f.arpSenderIp.str(), model::macStr(f.arpSenderMac));
    }
    return fmt::format("ARP opcode {}", f.arpOp);
}

std::string icmpSummary(const Frame& f) {
    if (isIcmpError(f.icmpType)) {
        return fmt::format("{} ({})", icmpTypeStr(f.icmpType), icmpCodeStr(f.icmpType, f.icmpCode));
    }
    return fmt::format("{} id=0x{:04x}, seq={}", icmpTypeStr(f.icmpType), f.icmpId, f.icmpSeq);
}

std::string dnsSummary(const DnsMessage& m) {
    std::string text =
        fmt::format("Standard query{} 0x{:04x} ", m.response ? " response" : "", m.id);
    if (m.response && m.rcode != 0) {
        text += dnsRcodeStr(m.rcode) + ' ';
    }
    text += fmt::format("{} {}", dnsTypeStr(m.qtype), m.qname);
    for (const DnsAnswer& a : m.answers) {
        text += fmt::format(" A {}", a.address.str());
    }
    return text;
}

std::string tcpSummary(const Frame& f) {
    std::string text =
        fmt::format("{} [{}] Seq={}", portPair(f), tcpFlagsStr(f.tcpFlags), f.tcpSeq);
    if ((f.tcpFlags & tcp::kAck) != 0) {
        text += fmt::format(" Ack={}", f.tcpAck);
    }
    return text + fmt::format(" Win={} Len={}", f.tcpWindow, f.payloadSize);
}

std::string udpSummary(const Frame& f) {
    if (f.inner) {
        return fmt::format("VXLAN VNI={}: {}", f.vni, summary(*f.inner));
    }
    if (f.dns) {
        return dnsSummary(*f.dns);
    }
    return fmt::format("{} Len={}", portPair(f), f.payloadSize);
}

}  // namespace

std::vector<Field> describe(const Frame& frame) {
    const std::vector<std::uint8_t> bytes = serialize(frame);
    std::vector<Field> out;
    Tree tree{bytes, out};
    const std::size_t end = describeEthernet(tree, frame, 0, 0);
    if (end < bytes.size()) {
        tree.add("Padding", fmt::format("{} bytes", bytes.size() - end), end, bytes.size() - end,
                 0);
    }
    return out;
}

std::vector<std::string> layerNames(const Frame& frame) {
    std::vector<std::string> names{"eth"};
    if (frame.vlanId != 0) {
        names.emplace_back("vlan");
    }
    if (frame.ethertype == kEtherTypeArp) {
        names.emplace_back("arp");
    }
    if (frame.ethertype != kEtherTypeIpv4) {
        return names;
    }
    names.emplace_back("ipv4");
    switch (frame.ipProto) {
    case kIpProtoIcmp:
        names.emplace_back("icmp");
        break;
    case kIpProtoTcp:
        names.emplace_back("tcp");
        break;
    case kIpProtoUdp:
        names.emplace_back("udp");
        if (frame.inner) {
            names.emplace_back("vxlan");
            for (std::string& name : layerNames(*frame.inner)) {
                names.push_back(std::move(name));
            }
        } else if (frame.dns) {
            names.emplace_back("dns");
        }
        break;
    case kIpProtoEsp:
        names.emplace_back("esp");  // what it protects is opaque on the wire
        break;
    default:
        break;
    }
    return names;
}

std::string summary(const Frame& frame) {
    if (frame.ethertype == kEtherTypeArp) {
        return arpSummary(frame);
    }
    if (frame.ethertype != kEtherTypeIpv4) {
        return fmt::format("Ethertype 0x{:04x}, {} bytes", frame.ethertype, frame.payloadSize);
    }
    switch (frame.ipProto) {
    case kIpProtoIcmp:
        return icmpSummary(frame);
    case kIpProtoTcp:
        return tcpSummary(frame);
    case kIpProtoUdp:
        return udpSummary(frame);
    case kIpProtoEsp:
        return fmt::format("ESP (SPI=0x{:08x}, Seq={}): encrypted", frame.espSpi, frame.espSeq);
    default:
        return fmt::format("{} \u2192 {} IPv4 protocol {}", frame.ipSrc.str(), frame.ipDst.str(),
                           frame.ipProto);
    }
}

std::string tcpFlagsStr(std::uint8_t flags) {
    constexpr std::array<std::pair<std::uint8_t, const char*>, 8> names = {{{tcp::kFin, "FIN"},
                                                                            {tcp::kSyn, "SYN"},
                                                                            {tcp::kRst, "RST"},
                                                                            {tcp::kPsh, "PSH"},
                                                                            {tcp::kAck, "ACK"},
                                                                            {0x20, "URG"},
                                                                            {0x40, "ECE"},
                                                                            {0x80, "CWR"}}};
    std::string text;
    for (const auto& [mask, name] : names) {
        if ((flags & mask) != 0) {
            text += text.empty() ? name : fmt::format(", {}", name);
        }
    }
    return text.empty() ? "<None>" : text;
}

}  // namespace cnmlab::packet
