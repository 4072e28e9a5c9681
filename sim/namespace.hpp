#pragma once
// A network namespace of the simulated kernel: its devices (indices into the
// World's device table), and one of each per-namespace subsystem: routing
// table, neighbour table, sysctls, netfilter tables, conntrack, and the
// processes listening in it (listeners, the embedded DNS server's names).

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers/plan.hpp"
#include "sim/conntrack.hpp"
#include "sim/flow_table.hpp"
#include "sim/neighbour.hpp"
#include "sim/netfilter.hpp"
#include "sim/routing.hpp"

namespace cnmlab::sim {

struct Namespace {
    std::string planName;  // the Plan's name: unique, what traces and live use
    std::string name;      // what explanations call it (English)
    std::string nameZh;    // the same in Chinese (cnmlab's LAN switch and router have words)
    drivers::NetnsKind kind = drivers::NetnsKind::Host;
    std::string host;
    std::vector<int> devices;
    std::vector<int> vxlans;  // the vxlan devices whose UDP socket is in this namespace
    RoutingTable routing;
    NeighbourTable neighbours;
    // sysctls
    bool ipForward = false;
    bool bridgeNfCall = false;
    // Every address of every device. A Docker host has one address per
    // bridge: looked up by hash beyond a few.
    std::vector<std::uint32_t> localAddresses;
    static constexpr std::size_t kLocalScanLimit = 8;
    Table64<bool> localSet;
    NfTableState filter;
    NfTableState nat;
    NfTableState mangle;
    // Built-in hooks (-1 when the table has no such chain).
    int filterInput = -1, filterForward = -1, filterOutput = -1;
    int natPrerouting = -1, natOutput = -1, natPostrouting = -1;
    int mangleOutput = -1;
    int manglePrerouting = -1, mangleInput = -1;
    // IPVS virtual services (swarm VIPs, the routing mesh) keyed by fwmark,
    // each with its round-robin position (ipvs.cpp).
    struct VirtualService {
        const drivers::IpvsService* plan = nullptr;
        std::size_t next = 0;
    };
    std::vector<VirtualService> ipvs;
    // IPsec (xfrm): the security associations and output policies of the Plan.
    struct Sa {
        const drivers::XfrmState* plan = nullptr;
        std::shared_ptr<const std::vector<std::uint8_t>> key;
        std::uint32_t seq = 0;  // the last sequence number sent
    };
    std::vector<Sa> xfrmStates;
    std::vector<const drivers::XfrmPolicy*> xfrmPolicies;
    ConntrackTable conntrack;
    std::vector<const drivers::Listener*> listeners;
    std::unordered_map<std::string, std::vector<Ipv4>> dns;  // lower-case name -> addresses
    bool hasDns = false;
};

}  // namespace cnmlab::sim
