#pragma once
// ESP in transport mode (RFC 4303) with AES-GCM (RFC 4106), as Linux's
// "rfc4106(gcm(aes))" sends it for Docker's encrypted overlays: SPI, sequence
// number, an 8-byte IV, the encrypted transport payload with its padding,
// pad length and next header, and an 8-byte ICV (Docker asks for 64 bits).
// The encryption is real (OpenSSL's AES-GCM), so a capture decrypts in
// Wireshark with the key `cnmlab plan` prints for the security association.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "packet/frame.hpp"

namespace cnmlab::packet {

inline constexpr std::size_t kEspHeaderSize = 8;  // SPI and sequence number
inline constexpr std::size_t kEspIvSize = 8;
inline constexpr std::size_t kEspIcvSize = 8;

// The ESP payload of `f` (ipProto 50): header, IV, ciphertext, ICV. `plain`
// is the protected transport payload (the UDP datagram), `nextHeader` its IP
// protocol. Without a key (a parsed packet), its bytes as they were parsed.
std::vector<std::uint8_t> espPayload(const Frame& f, std::span<const std::uint8_t> plain,
                                     std::uint8_t nextHeader);

// The size of the ESP payload that protects `plainBytes` of transport payload.
std::size_t espSize(std::size_t plainBytes);

// Reads SPI and sequence number and keeps the rest opaque. False when too short.
bool parseEsp(std::span<const std::uint8_t> b, Frame& f);

}  // namespace cnmlab::packet
