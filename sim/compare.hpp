#pragma once
// `cnmlab compare` (SPEC §2; docs/compare.md): one file, its networks put on
// each driver of a list in turn (model/driver_swap.hpp), each run in the
// simulation and measured the same way, so the reports line up side by side.
//
// Per driver: whether the file is valid there (and the reader's or the
// driver's reason when not); the reachability matrix, and its pairs that
// changed from the first driver; ping between the compared networks'
// containers and their own host, the other hosts and the LAN's machines, and
// across hosts; name resolution between them; published ports from off the
// host; the identity a container shows on the LAN (the source MAC and IP of
// its ping as the LAN switch sees it); one reference ping of 64 bytes of ICMP
// (ping's 56 of data) between two of the containers, measured hop by hop
// (MTU, the frame's bytes where it is largest, the layers there, the devices
// it crosses); and how many kernel objects and rules the Plan creates.
//
// Cost: one resolve, Plan and reach matrix per driver, plus one traced probe
// per compared container; about the cost of `reach` times the drivers.

#include <optional>
#include <string>
#include <vector>

#include "model/driver_swap.hpp"
#include "model/scenario.hpp"
#include "sim/reason.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

struct Tally {
    int reachable = 0;
    int total = 0;
    bool operator==(const Tally&) const = default;
};

// One probe of the matrix, named the way the file names things.
struct PairKey {
    std::string from;
    std::string to;
    std::string network;  // the target's network key, "" for none
    model::Proto proto = model::Proto::Icmp;
    int port = 0;                                      // 0 for ICMP
    auto operator<=>(const PairKey&) const = default;  // NOLINT(modernize-use-nullptr)
};

// A pair whose verdict is not the first driver's ("absent": the pair does not
// exist on that driver, e.g. a container gone to host mode).
inline constexpr std::size_t kMaxChanges = 1000;

struct PairChange {
    PairKey pair;
    std::string first;  // "reachable", "unreachable" or "absent"
    std::string here;
    Text reason;  // why, on this driver ("" when absent here)
};

// How a container shows on the LAN: the echo request it sends to a LAN
// machine, as the LAN switch forwards it.
struct LanIdentity {
    std::string container;  // service key
    std::string to;         // the LAN machine pinged
    bool onLan = false;     // false: nothing of it reached the LAN
    std::string mac;        // source MAC on the LAN
    std::string ip;         // source IPv4 on the LAN
    int vlan = 0;           // 802.1Q tag on the LAN, 0 untagged
    bool ownMac = false;    // the container's own (else the host's, or a router's)
    bool ownIp = false;
};

// The reference ping, hop by hop.
// One address two containers on different hosts both have, on a network
// whose hosts share one LAN segment (macvlan, ipvlan): each host's IPAM
// allocated it on its own, as Docker's local-scope IPAM does.
struct DuplicateAddress {
    std::string network;
    std::string ip;
    std::vector<std::string> containers;  // service keys
};

struct WireSample {
    std::string from;  // service keys; empty when the file has no two containers
    std::string to;
    std::string network;  // the compared network they share (the ping's target address)
    bool crossHost = false;
    bool reachable = false;
    Text reason;
    int mtu = 0;                       // of the sender's interface
    int icmpBytes = 64;                // the ICMP message (8 header + 56 data)
    int frameBytes = 0;                // the echo request's largest frame, Ethernet header on
    std::string where;                 // where it was largest ("LAN", or the device's node)
    std::vector<std::string> layers;   // of that frame
    std::vector<std::string> devices;  // node:device it crossed, in order, once each
};

struct PlanTally {
    int namespaces = 0;
    int links = 0;
    int addresses = 0;
    int routes = 0;
    int neighbours = 0;  // neighbour and FDB entries
    int rules = 0;       // netfilter rules (iptables and IPVS)
    int chains = 0;
    int other = 0;  // sysctls, DNS records, IPsec states and policies
    int total() const {
        return namespaces + links + addresses + routes + neighbours + rules + chains + other;
    }
};

struct DriverReport {
    std::string driver;
    std::vector<model::NetworkSetting> settings;
    std::string scenarioText;  // the file on this driver
    bool valid = false;
    std::string invalid;  // why not, the reader's or driver's message
    // Only when valid:
    Tally matrix;
    // From the first valid driver (none for it): every pair counted, at most
    // kMaxChanges kept, flips first.
    int flips = 0;      // pairs both have, whose verdict changed
    int newOrGone = 0;  // pairs only one of them has
    std::vector<PairChange> changes;
    Tally toOwnHost, fromOwnHost;
    Tally toOtherHosts, fromOtherHosts;
    Tally toLan, fromLan;  // the LAN's machines (externals with underlay)
    Tally crossHost;       // container to container on different hosts
    Tally names;           // lookups of each other's service name that answer
    Tally published;       // published ports tried from off the host
    Tally probes;          // the file's x-probes that pass
    std::vector<LanIdentity> identities;
    std::vector<DuplicateAddress> duplicates;
    WireSample wire;
    PlanTally objects;
};

struct Comparison {
    std::string file;
    std::vector<std::string> networks;    // the networks put on each driver
    std::vector<std::string> containers;  // the compared containers (service keys)
    std::vector<DriverReport> drivers;
};

// Runs the comparison. Throws model::Error (Invalid) for a network that is not
// the file's or a driver compare does not know; a driver the file is invalid
// on is a report with `valid` false, not an error.
Comparison compare(const model::Scenario& sc, const std::vector<std::string>& drivers,
                   const std::string& network = {});

// The identity in a person's words: "own MAC, own IP", "host's MAC, own IP",
// "host's MAC and IP", "not on the LAN" (with " · VLAN N" when tagged).
std::string identityWords(const LanIdentity& id, const std::string& lang);

}  // namespace cnmlab::sim
