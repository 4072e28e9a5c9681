#pragma once
// Per-driver network options, typed. Compose passes `driver_opts` to Docker as
// a map of strings (libnetwork's netlabel "generic options"); each driver reads
// the keys it knows and ignores the rest, as libnetwork's drivers do. cnmlab
// parses them once, when the Plan is built, into the struct of that driver.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/ip.hpp"
#include "model/topology.hpp"

namespace cnmlab::drivers {

// libnetwork drivers/bridge/labels.go and netlabel/labels.go.
struct BridgeOptions {
    std::string bridgeName;          // com.docker.network.bridge.name; "" = br-<12 hex of the id>
    bool enableIcc = true;           // com.docker.network.bridge.enable_icc
    bool enableIpMasquerade = true;  // com.docker.network.bridge.enable_ip_masquerade
    model::Ipv4 hostBindingIpv4{};   // com.docker.network.bridge.host_binding_ipv4 (0.0.0.0)
    int mtu = 0;                     // com.docker.network.driver.mtu; 0 = the kernel's 1500
};

// libnetwork drivers/macvlan/macvlan_network.go (parent_link_drivers.cpp).
struct MacvlanOptions {
    std::string parent;           // parent
    std::string mode = "bridge";  // macvlan_mode: bridge | private | vepa | passthru
};

// libnetwork drivers/ipvlan/ipvlan_network.go (parent_link_drivers.cpp).
struct IpvlanOptions {
    std::string parent;       // parent
    std::string mode = "l2";  // ipvlan_mode: l2 | l3
};

// libnetwork drivers/overlay/ov_network.go and encryption.go.
struct OverlayOptions {
    bool encrypted = false;               // "encrypted" present, whatever its value
    int mtu = 0;                          // com.docker.network.driver.mtu: the underlay's; 0 = 1500
    std::vector<std::uint32_t> vxlanIds;  // com.docker.network.driver.overlay.vxlanid_list

    // encryption.go maxMTU: the underlay MTU minus VXLAN's 50 bytes, and for an
    // encrypted network minus ESP's 26, down to a multiple of 4.
    int maxMtu() const {
        const int m = (mtu != 0 ? mtu : 1500) - 50;
        return encrypted ? (m - 26) & ~3 : m;
    }
};

// std::monostate: a driver without options (host, null, plugins).
using DriverOptions =
    std::variant<std::monostate, BridgeOptions, MacvlanOptions, IpvlanOptions, OverlayOptions>;

// The options of `net` for its driver. Predefined networks get what dockerd
// gives them (docker0: name docker0, MTU 1500). Throws model::Error(Invalid) at
// the network's position, naming networks.KEY.driver_opts.OPTION, for a value
// the driver would reject (Docker parses booleans with Go's strconv.ParseBool).
DriverOptions parseDriverOptions(const model::NetworkInstance& net);

}  // namespace cnmlab::drivers
