#pragma once
// Frames as bytes: the exact octets a real NIC carries (for pcap files and the
// packet inspector's hex view), the inverse parse, and Wireshark-like views of
// a frame (field tree, layer names, one-line summary).
//
// Layout rules (what serialize() writes; parse() reads them back):
//   - Ethernet II header, then by `ethertype`: ARP (Ethernet/IPv4, 28 bytes),
//     IPv4 (IHL 5, no options), or `payloadSize` zero bytes for anything else.
//   - IPv4 by `ipProto`: ICMP, TCP (20-byte header, no options), UDP, or
//     `payloadSize` zero bytes for other protocols. Never fragmented.
//   - ICMP echo and other informational types: id, seq, `payloadSize` bytes of
//     zeros. Destination-unreachable and time-exceeded: 2 unused bytes and
//     `icmpSeq` (where RFC 1191 puts fragmentation needed's next-hop MTU; 0
//     for the others), then the `quoted` frame's IPv4 header and the first 8
//     bytes of its L4 header.
//   - UDP: a frame with `inner` is VXLAN (destination port 4789 whatever
//     `dstPort` says; 8-byte header, flags 0x08, VNI, then the inner frame
//     unpadded); else a frame with `dns` carries that DNS message; else
//     `payloadSize` zero bytes.
//   - Every checksum (IPv4 header, ICMP, UDP with pseudo-header, TCP) is
//     correct. The outermost frame is padded with zeros to Ethernet's 60-byte
//     minimum (no FCS), as a NIC does.
// The caller keeps each IPv4 packet within 65535 bytes (payloadSize plus
// headers); length fields are 16 bits. All functions are pure and thread-safe;
// each call costs O(frame size).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packet/frame.hpp"

namespace cnmlab::packet {

inline constexpr std::size_t kEthernetMinFrame = 60;  // without the 4-byte FCS
inline constexpr std::size_t kEthernetHeaderSize = 14;
inline constexpr std::size_t kVlanTagSize = 4;  // 802.1Q: TPID and TCI

// Destination-unreachable and time-exceeded: the ICMP types that quote the
// offending packet (and that a kernel never answers with another error).
constexpr bool isIcmpError(std::uint8_t type) {
    return type == icmp::kDestUnreachable || type == icmp::kTimeExceeded;
}

// The frame's bytes on the wire, padded to kEthernetMinFrame.
std::vector<std::uint8_t> serialize(const Frame& frame);

// The IPv4 packet's total length as serialize() writes it, computed without
// writing it (the data path checks it against MTUs). No allocation but for a
// DNS message, which is encoded to be measured.
std::size_t ipv4Size(const Frame& frame);

// Reads bytes as serialize() writes them. Tolerates what real captures add
// (IP and TCP options, Ethernet padding, unknown ethertypes and protocols,
// which become `payloadSize`). Checksums are not verified: a Frame has no
// place to keep a wrong one. Returns nullopt for truncated or inconsistent
// headers, IPv4 fragments and a VXLAN payload that is not a frame.
std::optional<Frame> parse(std::span<const std::uint8_t> bytes);

// One row of the packet details tree, flattened. Layer headers ("Ethernet II",
// "Internet Protocol Version 4", ...) have depth 0, their fields depth 1, and
// nested items (flag bits, DNS answers, VXLAN's inner layers, the packet an
// ICMP error quotes) are deeper. `offset`/`length` locate the item in
// serialize(frame)'s output. The children of any item (the rows that follow
// it, one level deeper) cover its bytes without gaps; bit fields share bytes.
struct Field {
    std::string name;
    std::string value;
    std::size_t offset = 0;
    std::size_t length = 0;
    int depth = 0;
};

std::vector<Field> describe(const Frame& frame);

// The protocol stack, outermost first, in the trace JSON's spelling (docs/command-line.md): "eth",
// "vlan" (an 802.1Q tag), "arp", "ipv4", "icmp", "tcp", "udp", "dns", "vxlan" (the inner frame's
// layers follow "vxlan"). The packet an ICMP error quotes is not listed.
std::vector<std::string> layerNames(const Frame& frame);

// One line like Wireshark's Info column, e.g. "Who has 172.18.0.3? Tell
// 172.18.0.2", "45678 → 80 [SYN] Seq=0 Win=64240 Len=0".
std::string summary(const Frame& frame);

// "SYN, ACK" for the TCP flags byte; "<None>" when no flag is set.
std::string tcpFlagsStr(std::uint8_t flags);

}  // namespace cnmlab::packet
