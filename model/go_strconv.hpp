#pragma once
// Go's strconv.Atoi, which dockerd and libnetwork use to read numbers from
// option strings (an MTU, a VLAN id in `-o parent=eth0.50`): an optional
// sign, then decimal digits only, fitting an int64. "+5" and "050" are
// accepted; "", "+", "5a", " 5", "0x5" and "1_0" are not.
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>

namespace cnmlab::model {

inline std::optional<std::int64_t> goAtoi(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    std::uint64_t magnitude = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude);
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (ec != std::errc{} || end != s.data() + s.size() || magnitude > kMax + (negative ? 1 : 0)) {
        return std::nullopt;  // Atoi's "value out of range"
    }
    if (negative) {
        return magnitude > kMax ? std::numeric_limits<std::int64_t>::min()
                                : -static_cast<std::int64_t>(magnitude);
    }
    return static_cast<std::int64_t>(magnitude);
}

}  // namespace cnmlab::model
