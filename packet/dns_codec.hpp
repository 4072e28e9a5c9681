#pragma once
// DNS messages (RFC 1035) as bytes: the UDP payload of a Frame whose `dns` is
// set. Internal to sim/; packet_codec.cpp and packet_describe.cpp call it.
//
// encodeDns writes a header, one question (QNAME labels, QTYPE, class IN) and
// one A record per answer; an answer for the question's own name uses the
// compression pointer 0xc00c, as resolvers do. decodeDns reads such messages
// and tolerates real ones: compressed names anywhere, non-A answers and the
// authority/additional sections are skipped.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packet/frame.hpp"
#include "packet/packet_codec.hpp"

namespace cnmlab::packet {

inline constexpr std::size_t kDnsHeaderSize = 12;

// QNAME labels for "db.example" (no trailing dot; "" is the root). Empty labels
// are dropped and labels longer than 63 bytes are cut to 63, so any string
// encodes to a well-formed name.
std::vector<std::uint8_t> encodeDnsName(const std::string& name);

std::vector<std::uint8_t> encodeDns(const DnsMessage& message);
// encodeDns(message).size(), without writing the bytes (the IP stack's MTU
// check asks it of every DNS packet it routes).
std::size_t dnsSize(const DnsMessage& message);

// nullopt when the bytes are truncated, a name is malformed (or its
// compression pointers loop), or there is no question (a DnsMessage always
// has one; this also keeps zero-filled probes to port 53 from reading as DNS).
std::optional<DnsMessage> decodeDns(std::span<const std::uint8_t> bytes);

// Appends the "Domain Name System" subtree for the message in `bytes`, which
// starts at `base` in the frame's serialization, with the layer row at
// `depth`. Stops quietly where the bytes cannot be walked.
void describeDns(std::span<const std::uint8_t> bytes, std::size_t base, int depth,
                 std::vector<Field>& out);

// "A", "AAAA", ... for a QTYPE; "TYPE<n>" for the rest (RFC 3597 spelling).
std::string dnsTypeStr(std::uint16_t type);

// Wireshark's words for an RCODE: "No error", "No such name", ...
std::string dnsRcodeStr(std::uint8_t rcode);

}  // namespace cnmlab::packet
