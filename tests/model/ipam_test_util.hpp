#pragma once
// Helpers shared by the IPAM tests (ipam_pools_test.cpp, ipam_addresses_test.cpp).

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.hpp"
#include "model/ipam.hpp"

namespace cnmlab::model::testing {

inline Cidr cidr(std::string_view text) {
    return Cidr::parse(text).value();
}
inline Ipv4 ip(std::string_view text) {
    return Ipv4::parse(text).value();
}

// The default scenario's host: underlay 192.168.100.11/24.
inline const std::vector<Cidr> kLan{cidr("192.168.100.0/24")};

// A host without routes, with a global space of its own.
inline Ipam fresh() {
    return {{}, Ipam::makeGlobalSpace()};
}

inline PoolId implicitPool(Ipam& ipam, const std::string& name) {
    return ipam.requestPool(AddressSpaceKind::Local, std::nullopt, std::nullopt, name);
}

inline std::string implicitSubnet(Ipam& ipam, const std::string& name) {
    return ipam.pool(implicitPool(ipam, name)).subnet.str();
}

inline PoolId explicitPool(Ipam& ipam, std::string_view subnet, const std::string& name,
                           std::optional<std::string_view> range = std::nullopt) {
    return ipam.requestPool(AddressSpaceKind::Local, cidr(subnet),
                            range ? std::optional(cidr(*range)) : std::nullopt, name);
}

// The next dynamic address, as text.
inline std::string next(Ipam& ipam, PoolId id) {
    return ipam.requestAddress(id, std::nullopt).str();
}

// Runs `fn`, expects an Error of `kind` whose message contains every `parts`.
inline void expectError(const std::function<void()>& fn, ErrorKind kind,
                        const std::vector<std::string>& parts) {
    try {
        fn();
        FAIL() << "no error thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), kind) << e.message();
        for (const auto& p : parts) {
            EXPECT_NE(e.message().find(p), std::string::npos)
                << "message '" << e.message() << "' lacks '" << p << "'";
        }
    }
}

}  // namespace cnmlab::model::testing
