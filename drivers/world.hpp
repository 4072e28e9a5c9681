#pragma once
// The machines around Docker: what exists before any dockerd starts.
//
//  - "lan" (NetnsKind::Lan): the hosts' physical LAN, a plain bridge "br-lan";
//    each machine's eth0 is a veth whose other end is a port of br-lan named
//    after the machine (names.hpp lanPortName).
//  - one namespace per Docker host (NetnsKind::Host, named after the host) with
//    lo 127.0.0.1/8, eth0 holding the host's underlay address, and iptables'
//    built-in chains (filter INPUT/FORWARD/OUTPUT, nat PREROUTING/INPUT/OUTPUT/
//    POSTROUTING), policy ACCEPT; dockerd changes FORWARD to DROP when it starts.
//  - one namespace per external with `underlay:` (NetnsKind::External), lo and
//    eth0 on the LAN.
//  - when some external has `address:` (beyond the LAN), a router "router"
//    (NetnsKind::External) at the LAN's first address with ip_forward=1, and a
//    dummy0 link holding each such external's address as a /32. Such an
//    external has no namespace of its own: its name stands for that address on
//    the router (a probe to "internet" is answered by the router's dummy0). One
//    namespace fewer and no transit subnet to invent, and it behaves the same
//    for every probe SPEC §1 allows. Every host and LAN external then gets a
//    default route via the router; without the router nothing has one.

#include "drivers/plan_builder.hpp"
#include "model/scenario.hpp"

namespace cnmlab::drivers {

inline constexpr std::string_view kLanNetns = "lan";
inline constexpr std::string_view kLanBridge = "br-lan";
inline constexpr std::string_view kRouterNetns = "router";
inline constexpr std::string_view kWorldOwner = "world";

// Adds the world above to `plan`, owned by kWorldOwner. Throws model::Error
// (Conflict) if a machine's name is "lan" or "router".
void buildWorld(const model::Scenario& sc, PlanBuilder& plan);

// The router's address on the LAN (the LAN's first address), e.g. 192.168.100.1/24.
model::Cidr routerLanAddress(const model::Scenario& sc);

} // namespace cnmlab::drivers
