#pragma once
// Why a probe ended as it did, kept as a few numbers so millions of probes cost
// little; World::explain() turns one into the sentence (English and Chinese)
// that names the device and the rule that decided it.

#include <cstdint>
#include <string>

#include "drivers/plan.hpp"
#include "model/ip.hpp"

namespace cnmlab::sim {

enum class Why : std::uint8_t {
    None,
    Answered,        // a: the address that answered
    DeviceDownTx,    // dev
    DeviceDownRx,    // dev
    NoPeer,          // dev
    BridgeFilter,    // ns, dev (bridge), chain, rule, a -> b
    Filter,          // ns, chain, rule, dev (in, -1 local), dev2 (out, -1 local)
    NotRouter,       // ns, b (destination)
    NoRoute,         // ns, b
    TtlExpired,      // ns
    NoArpReply,      // ns, dev, b (next hop)
    TcpReset,        // a (who reset), port
    IcmpError,       // a (who answered), type, code
    NoAnswer,
    NoDnsServer,     // ns
    NoAddress,       // the target has no IPv4 address (scenario level)
};

struct Reason {
    Why why = Why::None;
    std::int32_t ns = -1;
    std::int32_t dev = -1;
    std::int32_t dev2 = -1;
    const drivers::NfRule* rule = nullptr;
    const std::string* chain = nullptr;
    model::Ipv4 a{};
    model::Ipv4 b{};
    std::uint16_t port = 0;
    std::uint8_t type = 0;
    std::uint8_t code = 0;
};

}  // namespace cnmlab::sim
