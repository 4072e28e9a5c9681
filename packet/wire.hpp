#pragma once
// Byte-order helpers and the Internet checksum, shared by the packet codecs
// (packet_codec.cpp, dns_codec.cpp, packet_describe.cpp). Internal to sim/.
// Hand-written: libpcap reads and writes files but has no header builders, and
// the few lines here are simpler than pulling in a packet-crafting library.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/ip.hpp"

namespace cnmlab::packet::wire {

// Appends in network byte order.
inline void put8(std::vector<std::uint8_t>& out, std::uint8_t v) {
    out.push_back(v);
}
inline void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v));
}
inline void putMac(std::vector<std::uint8_t>& out, const model::Mac& mac) {
    out.insert(out.end(), mac.begin(), mac.end());
}
inline void putIp(std::vector<std::uint8_t>& out, model::Ipv4 ip) {
    put32(out, ip.value());
}

// Overwrites two bytes at `at` (for length and checksum fields filled in last).
inline void set16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t v) {
    out[at] = static_cast<std::uint8_t>(v >> 8);
    out[at + 1] = static_cast<std::uint8_t>(v);
}

// Reads in network byte order; the caller has checked the bounds.
inline std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
inline std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) {
    return (std::uint32_t{get16(b, at)} << 16) | get16(b, at + 2);
}
inline model::Mac getMac(std::span<const std::uint8_t> b, std::size_t at) {
    model::Mac mac{};
    for (std::size_t i = 0; i < mac.size(); ++i) {
        mac[i] = b[at + i];
    }
    return mac;
}
inline model::Ipv4 getIp(std::span<const std::uint8_t> b, std::size_t at) {
    return model::Ipv4(get32(b, at));
}

// RFC 1071 one's-complement sum of 16-bit words (odd length padded with a zero
// byte), not yet complemented, so pseudo-headers can be summed in first.
inline std::uint32_t onesSum(std::span<const std::uint8_t> b, std::uint32_t sum = 0) {
    std::size_t i = 0;
    for (; i + 1 < b.size(); i += 2) {
        sum += get16(b, i);
    }
    if (i < b.size()) {
        sum += std::uint32_t{b[i]} << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

// The complemented checksum of `b`: what goes in the header field (with the
// field zeroed while summing), and 0 when verifying a buffer that contains it.
inline std::uint16_t internetChecksum(std::span<const std::uint8_t> b, std::uint32_t sum = 0) {
    return static_cast<std::uint16_t>(~onesSum(b, sum) & 0xffff);
}

// The TCP/UDP pseudo-header's contribution (RFC 793 / RFC 768).
inline std::uint32_t pseudoHeaderSum(model::Ipv4 src, model::Ipv4 dst, std::uint8_t proto,
                                     std::size_t length) {
    std::uint32_t sum = (src.value() >> 16) + (src.value() & 0xffff) + (dst.value() >> 16) +
                        (dst.value() & 0xffff) + proto + static_cast<std::uint32_t>(length);
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

}  // namespace cnmlab::packet::wire
