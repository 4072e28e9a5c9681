#pragma once
// A network device of the simulated kernel: what every kind shares (name,
// namespace, MAC, state, addresses, its place under a bridge or a lower
// device), and the state and behaviour of its kind, one type per kind in
// sim/devices/. The kinds are registered in two places: DeviceState's list of
// alternatives, and makeDeviceState(), which picks one for a Plan link. The
// data path calls Kind::transmit through Device::state (a jump table, no
// allocation), and a device that others are stacked on hands received frames
// to their rx handler first, as netdev_rx_handler_register arranges in Linux.

#include <cstdint>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "drivers/plan.hpp"
#include "sim/devices/bridge.hpp"
#include "sim/devices/ipvlan.hpp"
#include "sim/devices/macvlan.hpp"
#include "sim/devices/veth.hpp"
#include "sim/devices/vlan.hpp"
#include "sim/devices/vxlan.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

// lo: what it transmits is received by its own namespace at once.
struct Loopback {
    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
};

// A dummy link (the stand-in for a parent interface that does not exist):
// frames sent on it go nowhere.
struct Dummy {
    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
};

// Every Plan link kind has its type; a Device's state is set from its link
// (makeDeviceState) when the World is built.
using DeviceState = std::variant<Loopback, Veth, Bridge, Macvlan, Ipvlan, Dummy, Vxlan, Vlan>;

// A frame received on a device goes to its rx handler first; true when the
// handler took it (else it goes up the device's own IP stack).
using RxHandler = bool (*)(World& w, int dev, const Frame& f);

struct Device {
    std::string name;
    int ns = -1;
    drivers::LinkKind kind = drivers::LinkKind::Veth;
    Mac mac{};
    int mtu = 1500;
    bool up = true;
    bool noArp = false;  // IFF_NOARP (ipvlan l3 slaves): no neighbour resolution
    // net.ipv4.conf.DEV.proxy_arp: answer ARP for an address routed out of
    // another device with this device's MAC (Calico's host-side veths).
    bool proxyArp = false;
    std::vector<model::Cidr> addresses;
    int master = -1;          // the bridge this device is a port of
    std::vector<int> uppers;  // the macvlan or ipvlan links stacked on this one
    std::vector<int> vlans;   // its 802.1Q sub-interfaces
    RxHandler rxHandler = nullptr;
    DeviceState state;

    template <typename Kind> Kind* as() { return std::get_if<Kind>(&state); }
    template <typename Kind> const Kind* as() const { return std::get_if<Kind>(&state); }
    int peer() const {  // a veth's other end, else -1
        const Veth* v = as<Veth>();
        return v != nullptr ? v->peer : -1;
    }
};

// The state of a Plan link's kind, with its options (mode, ageing); the
// links between devices (peer, lower, ports) are set once all exist.
DeviceState makeDeviceState(const drivers::Link& link);

// A MAC as a 48-bit integer (FDB key), in wire order.
inline std::uint64_t macKey(const Mac& m) {
    return (std::uint64_t{m[0]} << 40) | (std::uint64_t{m[1]} << 32) | (std::uint64_t{m[2]} << 24) |
           (std::uint64_t{m[3]} << 16) | (std::uint64_t{m[4]} << 8) | std::uint64_t{m[5]};
}
inline bool isBroadcast(const Mac& m) {
    return macKey(m) == 0xffffffffffffULL;
}
// Two MACs compared as two integers (std::array's == calls memcmp).
inline bool sameMac(const Mac& a, const Mac& b) {
    std::uint32_t a4 = 0, b4 = 0;
    std::uint16_t a2 = 0, b2 = 0;
    std::memcpy(&a4, a.data(), 4);
    std::memcpy(&b4, b.data(), 4);
    std::memcpy(&a2, a.data() + 4, 2);
    std::memcpy(&b2, b.data() + 4, 2);
    return a4 == b4 && a2 == b2;
}

}  // namespace cnmlab::sim
