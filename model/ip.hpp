#pragma once
// IPv4 addresses, prefixes and MAC addresses as value types.
// Parsing is strict (dotted quad, no leading zeros beyond "0", prefix 0..32) and
// never throws: callers turn a nullopt into an Error that carries the file position.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cnmlab::model {

class Ipv4 {
public:
    constexpr Ipv4() = default;
    constexpr explicit Ipv4(std::uint32_t value) : m_value(value) {}
    constexpr Ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
        : m_value((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) |
                  std::uint32_t{d}) {}

    static std::optional<Ipv4> parse(std::string_view text);

    constexpr std::uint32_t value() const { return m_value; }
    constexpr std::uint8_t octet(int i) const {
        return static_cast<std::uint8_t>(m_value >> (24 - 8 * i));
    }
    std::string str() const;
    // clang-tidy 14 reads the defaulted <=>'s comparison with 0 as a null pointer.
    constexpr auto operator<=>(const Ipv4&) const = default;  // NOLINT(modernize-use-nullptr)

private:
    std::uint32_t m_value = 0;
};

// An IPv4 network in CIDR form. `address` may have host bits set (an interface
// address such as 172.18.0.2/16); network() clears them.
struct Cidr {
    Ipv4 address;
    int prefix = 0;

    static std::optional<Cidr> parse(std::string_view text);

    constexpr std::uint32_t mask() const {
        return prefix == 0 ? 0u : ~std::uint32_t{0} << (32 - prefix);
    }
    constexpr Ipv4 network() const { return Ipv4(address.value() & mask()); }
    constexpr Ipv4 broadcast() const { return Ipv4(network().value() | ~mask()); }
    constexpr std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix); }
    constexpr bool contains(Ipv4 ip) const { return (ip.value() & mask()) == network().value(); }
    constexpr bool contains(const Cidr& other) const {
        return other.prefix >= prefix && contains(other.network());
    }
    constexpr bool overlaps(const Cidr& other) const {
        return contains(other.network()) || other.contains(network());
    }
    constexpr bool isNetworkAddress() const { return address == network(); }
    std::string str() const;         // address as given, e.g. "172.18.0.2/16"
    std::string networkStr() const;  // canonical network, e.g. "172.18.0.0/16"
    constexpr auto operator<=>(const Cidr&) const = default;  // NOLINT(modernize-use-nullptr)
};

using Mac = std::array<std::uint8_t, 6>;

// Docker 20.10 derives a container's MAC from its IPv4 address: 02:42 followed by
// the four bytes of the address (libnetwork netutils.GenerateMACFromIP).
Mac macFromIp(Ipv4 ip);
std::string macStr(const Mac& mac);
// A 48-bit MAC address as Go's net.ParseMAC reads one (Docker's mac_address):
// 02:42:ac:11:00:02, 02-42-ac-11-00-02 or 0242.ac11.0002, hex digits in either
// case. nullopt for anything else.
std::optional<Mac> parseMac(std::string_view text);
// Whether the kernel gives `mac` to an interface: not multicast (nor
// broadcast), not all zeros (is_valid_ether_addr).
bool isUnicastMac(const Mac& mac);

}  // namespace cnmlab::model
