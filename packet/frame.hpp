#pragma once
// A frame on a simulated wire, kept as decoded header fields (compact and fast
// to forward). serialize() in packet_codec.hpp turns it into the exact bytes a
// real NIC would carry — for pcap files and the packet inspector — and parse()
// reads such bytes back. Only the layers named by `ethertype` / `ipProto` /
// ports are meaningful; the rest keep their defaults.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/ip.hpp"

namespace cnmlab::packet {

using model::Ipv4;
using model::Mac;

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;  // IEEE 802.1Q tag protocol identifier
inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoUdp = 17;
inline constexpr std::uint8_t kIpProtoEsp = 50;
inline constexpr std::uint16_t kVxlanPort = 4789;
inline constexpr std::uint16_t kDnsPort = 53;

namespace tcp {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
}  // namespace tcp

namespace icmp {
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestUnreachable = 3;      // codes: 0 net, 1 host, 3 port, 13 admin
inline constexpr std::uint8_t kHostUnreachable = 1;      // the code of a failed neighbour
inline constexpr std::uint8_t kFragmentationNeeded = 4;  // and DF set; carries the next-hop MTU
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kTimeExceeded = 11;
}  // namespace icmp

struct DnsAnswer {
    std::string name;
    Ipv4 address;
    std::uint32_t ttl = 600;  // Docker's embedded DNS answers with TTL 600
};

struct DnsMessage {
    std::uint16_t id = 0;
    bool response = false;
    bool recursionDesired = true;
    bool recursionAvailable = false;
    std::uint8_t rcode = 0;   // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN
    std::string qname;        // without the trailing dot
    std::uint16_t qtype = 1;  // A
    std::vector<DnsAnswer> answers;
};

struct Frame {
    // Ethernet II
    Mac dstMac{};
    Mac srcMac{};
    std::uint16_t ethertype = kEtherTypeIpv4;
    // IEEE 802.1Q: the VLAN ID (1-4094) of the tag between the source MAC and
    // `ethertype` (TPID 0x8100, priority 0); 0 for an untagged frame. A VLAN
    // sub-interface (eth0.50) pushes it on the way out and its parent's
    // receive path pops it, as net/8021q does.
    std::uint16_t vlanId = 0;

    // ARP (ethertype 0x0806): Ethernet/IPv4 only
    std::uint16_t arpOp = 0;  // 1 request, 2 reply
    Mac arpSenderMac{};
    Ipv4 arpSenderIp;
    Mac arpTargetMac{};
    Ipv4 arpTargetIp;

    // IPv4 (ethertype 0x0800)
    Ipv4 ipSrc;
    Ipv4 ipDst;
    std::uint8_t ttl = 64;
    std::uint8_t ipProto = kIpProtoIcmp;
    std::uint16_t ipId = 0;
    bool dontFragment = true;

    // ICMP
    std::uint8_t icmpType = 0;
    std::uint8_t icmpCode = 0;
    std::uint16_t icmpId = 0;
    std::uint16_t icmpSeq = 0;
    // ICMP errors quote the offending packet's IPv4 header and first 8 bytes.
    std::shared_ptr<const Frame> quoted;

    // TCP / UDP
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint8_t tcpFlags = 0;
    std::uint32_t tcpSeq = 0;
    std::uint32_t tcpAck = 0;
    std::uint16_t tcpWindow = 64240;

    // Application payload: DNS over UDP port 53; otherwise `payloadSize` bytes
    // of zeros (ICMP echo data, UDP probe data).
    std::shared_ptr<const DnsMessage> dns;
    std::uint16_t payloadSize = 0;

    // VXLAN over UDP 4789: the encapsulated frame.
    std::uint32_t vni = 0;
    std::shared_ptr<const Frame> inner;

    // ESP in transport mode (IP protocol 50): the security association's SPI,
    // the sequence number, and what it protects: `esp` is the packet as it
    // was before (its IPv4 header and the transport layer that gets
    // encrypted). `espKey` is the SA's rfc4106 key (16 bytes of AES key, then
    // the 4-byte salt): the codec encrypts with it, so the bytes on the wire
    // are real AES-GCM that Wireshark decrypts given the key. A parsed ESP
    // packet has no key and no `esp`: its payload stays opaque.
    std::uint32_t espSpi = 0;
    std::uint32_t espSeq = 0;
    std::shared_ptr<const Frame> esp;
    std::shared_ptr<const std::vector<std::uint8_t>> espKey;
    // Parsed: the IV, ciphertext and ICV as they were on the wire.
    std::shared_ptr<const std::vector<std::uint8_t>> espRaw;
    // Not on the wire (skb state): the packet came out of an ESP security
    // association (its secpath), which iptables' `-m policy --pol ipsec` reads.
    bool viaIpsec = false;
    // skb state: IPVS took the packet as one of its connections (its
    // `ipvs_property`), which iptables' `-m ipvs --ipvs` reads.
    bool viaIpvs = false;
};

// The addresses and ports of an answer to `f` (the rest left to the caller).
inline Frame replyTo(const Frame& f) {
    Frame r;
    r.ipSrc = f.ipDst;
    r.ipDst = f.ipSrc;
    r.ipProto = f.ipProto;
    r.srcPort = f.dstPort;
    r.dstPort = f.srcPort;
    return r;
}

}  // namespace cnmlab::packet
