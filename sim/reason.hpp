#pragma once
// Why a probe ended as it did, kept as a few numbers so millions of probes cost
// little; World::explain() turns one into the sentence (English and Chinese)
// that names the device and the rule that decided it.

#include <cstdint>
#include <string>

#include "drivers/plan.hpp"
#include "model/ip.hpp"
#include "model/outcome.hpp"

namespace cnmlab::sim {

enum class Why : std::uint8_t {
    None,
    Answered,      // a: the address that answered
    DeviceDownTx,  // dev
    DeviceDownRx,  // dev
    NoPeer,        // dev
    DummyDevice,   // ns, dev: a dummy link swallows what it is given
    BridgeFilter,  // ns, dev (bridge), chain, rule, a -> b
    Filter,        // ns, chain, rule, dev (in, -1 local), dev2 (out, -1 local)
    NotRouter,     // ns, b (destination)
    NoRoute,       // ns, b
    NoRouteBack,   // ns, b: the kernel's answer to the probe has no route back
    TtlExpired,    // ns
    NoArpReply,    // ns, dev, b (next hop)
    TcpReset,      // a (who reset), port
    IcmpError,     // a (who answered), type, code
    NoAnswer,
    NoDnsServer,  // ns
    NoAddress,    // the target has no IPv4 address (scenario level)
    // docker-proxy took the client's connection (or datagram), and its own
    // connection to the container (the second leg, b:port) failed. `inner` is
    // how it failed, with that reason's fields (ns, dev, rule, a ...) kept.
    ProxyClosed,       // TCP: the second leg was refused or unreachable, so the
                       // proxy closed the client's connection without a byte;
                       // ns is the proxy's namespace
    ProxyNoAnswer,     // the second leg got no answer (inner: a drop, or None),
                       // or (UDP) an error docker-proxy ignores: the client waits
    ProxyWrongSource,  // UDP: docker-proxy wrote the answer from a (its socket is
                       // bound to 0.0.0.0, so the route to the client picks the
                       // source), but the client's socket is connected to b:port
    // VXLAN (sim/devices/vxlan.hpp)
    VxlanNoFdb,       // ns, dev (the vxlan device), b: the inner destination
                      // (or ARP target): no FDB entry and no default entry
    VxlanArpMiss,     // ns, dev, b: proxy on, and no neighbour entry for the
                      // ARP request's target
    VxlanUnknownVni,  // ns (the link namespace), a: the sending VTEP, port,
                      // value: the VNI no device there has (0 for a datagram
                      // without a VXLAN header)
    // An IPv4 packet bigger than the MTU of its way out, with DF set:
    // ns, dev (the egress device), value: its MTU, port: the packet's size,
    // code: 1 when a forwarded packet's sender got ICMP fragmentation needed
    // (0: a local sender's socket got EMSGSIZE)
    FragmentationNeeded,
    // IPsec (xfrm): ns, dev (out; -1 in), a: the packet's source, b: its
    // destination, value: the SPI the policy's template or the packet names.
    XfrmOutNoState,  // an output policy matched, and the kernel has no SA for it
    XfrmInNoState,   // an ESP packet arrived for an SPI the kernel has no SA for
    // 802.1Q: ns, dev (the device it arrived on), port: the VLAN ID of a tagged
    // frame for which the device has no VLAN sub-interface
    VlanNoDevice,
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
    Why inner = Why::None;    // ProxyClosed, ProxyNoAnswer: how the second leg failed
    std::uint8_t proto = 0;   // ProxyClosed, ProxyNoAnswer: the IP protocol (6, 17)
    std::uint32_t value = 0;  // VxlanUnknownVni: the VNI; FragmentationNeeded: the MTU
    bool operator==(const Reason&) const = default;
};

// How a probe that ended for reason `r` looks to its sender, as the kernel
// would tell it (what `live verify` compares): an answer, a refusal, silence,
// an error that says there is no way there, or docker-proxy closing on it.
constexpr model::Outcome outcomeOf(bool reachable, const Reason& r) {
    using model::Outcome;
    if (reachable) {
        return Outcome::Answered;
    }
    switch (r.why) {
    case Why::TcpReset:
    case Why::NoDnsServer:  // nothing listens on 127.0.0.11:53: port unreachable
        return Outcome::Refused;
    case Why::IcmpError:
        return r.type == 3 && r.code == 3 ? Outcome::Refused : Outcome::NoRoute;
    case Why::NoRoute:     // a local ENETUNREACH, or the router's net unreachable
    case Why::NoArpReply:  // the neighbour failed: host unreachable
    case Why::TtlExpired:  // time exceeded
    case Why::NoAddress:
    case Why::VxlanArpMiss:         // the sender's ARP fails: host unreachable
    case Why::FragmentationNeeded:  // ICMP fragmentation needed, or EMSGSIZE
        return Outcome::NoRoute;
    case Why::ProxyClosed:
        return Outcome::Closed;
    case Why::Answered:
        return Outcome::Answered;
    default:  // a filter, a down or missing device, no answer, docker-proxy silent
        return Outcome::Dropped;
    }
}

struct ReasonHash {
    std::size_t operator()(const Reason& r) const {
        std::uint64_t h = static_cast<std::uint64_t>(r.why);
        auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 0x100000001b3ULL; };
        mix(static_cast<std::uint32_t>(r.ns));
        mix(static_cast<std::uint32_t>(r.dev));
        mix(static_cast<std::uint32_t>(r.dev2));
        mix(reinterpret_cast<std::uintptr_t>(r.rule));
        mix(reinterpret_cast<std::uintptr_t>(r.chain));
        mix(r.a.value());
        mix(r.b.value());
        mix((std::uint64_t{r.port} << 16) | (std::uint64_t{r.type} << 8) | r.code);
        mix((static_cast<std::uint64_t>(r.inner) << 8) | r.proto);
        mix(r.value);
        return static_cast<std::size_t>(h ^ (h >> 31));
    }
};

}  // namespace cnmlab::sim
