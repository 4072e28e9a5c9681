#pragma once
// The underlay: the machines around Docker and what exists before any dockerd
// starts (the hosts, their LAN and the router beyond it).
//
//  - kLanNetns (NetnsKind::Lan): the hosts' physical LAN, a plain bridge
//    "br-lan"; each machine's eth0 is a veth whose other end is a port of
//    br-lan named after the machine (names.hpp lanPortName).
//  - one namespace per Docker host (NetnsKind::Host, named after the host) with
//    lo 127.0.0.1/8, eth0 holding the host's underlay address, and iptables'
//    built-in chains (filter INPUT/FORWARD/OUTPUT, nat PREROUTING/INPUT/OUTPUT/
//    POSTROUTING), policy ACCEPT; dockerd changes FORWARD to DROP when it starts.
//  - one namespace per external with `underlay:` (NetnsKind::External), lo and
//    eth0 on the LAN.
//  - when some external has `address:` (beyond the LAN), a router kRouterNetns
//    (NetnsKind::Router) at the LAN's first address with ip_forward=1, and
//    every host and LAN external gets a default route via it. Each such
//    external is a machine of its own (NetnsKind::External, named after it)
//    behind the router on a point-to-point veth, as a provider's customer line
//    is: its eth0 holds only its own address as a /32 and its default route
//    goes to the router's LAN address `onlink`; the router reaches it with a
//    /32 link route on its port towards it. No transit subnet is invented:
//    Linux answers ARP for any of its addresses on any link (arp_ignore=0), so
//    the router's port answers for 192.168.100.1, and it asks for the
//    external's address with its LAN address as the sender. Without any
//    external beyond the LAN, nothing has a default route.
//
// Names: hosts, externals and containers are the user's names, which start
// with a letter or digit (Compose and Docker names do; model/ checks hosts and
// externals). cnmlab's own namespaces start with '_', so they never take a name
// away from the user.

#include "drivers/plan_builder.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"

namespace cnmlab::drivers {

inline constexpr std::string_view kLanNetns = "_lan";
inline constexpr std::string_view kLanBridge = "br-lan";
inline constexpr std::string_view kRouterNetns = "_router";
inline constexpr std::string_view kWorldOwner = "world";

// Adds the world above to `plan`, owned by kWorldOwner.
void buildUnderlay(const model::Scenario& sc, PlanBuilder& plan);

// The router's address on the LAN (the LAN's first address), e.g. 192.168.100.1/24.
model::Cidr routerLanAddress(const model::Scenario& sc);

// Whether the scenario has a router: some external has `address:` (then it is
// every LAN machine's default gateway), or some network tags its frames on
// the LAN with a VLAN (model::lanVlanOf: then the router routes between the
// VLANs, with a sub-interface on each, and is nobody's default gateway).
bool hasRouter(const model::Scenario& sc);
bool routesBeyondLan(const model::Scenario& sc);  // some external has `address:`

// The router's sub-interface on each VLAN the networks tag on the LAN
// (eth0.50), holding the gateway address of each network on that VLAN: the
// VLAN's gateway is the LAN's router, as for a macvlan network on eth0.50
// with Docker. Owned by kWorldOwner.
void addVlanGateways(const model::Topology& topo, PlanBuilder& plan);

}  // namespace cnmlab::drivers
