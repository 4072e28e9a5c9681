#include "model/ip.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace cnmlab::model {

namespace {

std::optional<unsigned> parseDecimal(std::string_view text, unsigned max) {
    if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) {
        return std::nullopt;
    }
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || value > max) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<Ipv4> Ipv4::parse(std::string_view text) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        const auto dot = text.find('.');
        const bool last = i == 3;
        if (last != (dot == std::string_view::npos)) {
            return std::nullopt;
        }
        const auto part = parseDecimal(text.substr(0, dot), 255);
        if (!part) {
            return std::nullopt;
        }
        value = (value << 8) | *part;
        text = last ? std::string_view{} : text.substr(dot + 1);
    }
    return Ipv4(value);
}

std::string Ipv4::str() const {
    return fmt::format("{}.{}.{}.{}", octet(0), octet(1), octet(2), octet(3));
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto ip = Ipv4::parse(text.substr(0, slash));
    const auto prefix = parseDecimal(text.substr(slash + 1), 32);
    if (!ip || !prefix) {
        return std::nullopt;
    }
    return Cidr{*ip, static_cast<int>(*prefix)};
}

std::string Cidr::str() const {
    return fmt::format("{}/{}", address.str(), prefix);
}
std::string Cidr::networkStr() const {
    return fmt::format("{}/{}", network().str(), prefix);
}

Mac macFromIp(Ipv4 ip) {
    return {0x02, 0x42, ip.octet(0), ip.octet(1), ip.octet(2), ip.octet(3)};
}

std::optional<Mac> parseMac(std::string_view text) {
    // Six groups of two hex digits after ':' or '-', or three of four after '.'.
    const bool dotted = text.size() == 14;
    const std::size_t digits = dotted ? 4 : 2;
    if (!dotted && text.size() != 17) {
        return std::nullopt;
    }
    const char sep = text[digits];
    if (dotted ? sep != '.' : sep != ':' && sep != '-') {
        return std::nullopt;
    }
    std::string hex;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool atSeparator = (i + 1) % (digits + 1) == 0;
        if (atSeparator ? text[i] != sep
                        : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
            return std::nullopt;
        }
        if (!atSeparator) {
            hex += text[i];
        }
    }
    Mac mac{};
    for (std::size_t b = 0; b < mac.size(); ++b) {
        mac[b] = static_cast<std::uint8_t>(std::stoul(hex.substr(b * 2, 2), nullptr, 16));
    }
    return mac;
}

bool isUnicastMac(const Mac& mac) {
    return (mac[0] & 0x01) == 0 && mac != Mac{};
}

std::string macStr(const Mac& mac) {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2], mac[3],
                       mac[4], mac[5]);
}

}  // namespace cnmlab::model
