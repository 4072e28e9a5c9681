#pragma once
// What the simulated kernel reports: one Hop per decision, with a one-sentence
// explanation in English and Simplified Chinese. sim never calls the UI; the
// studio, the pcap writer and `trace --json` all read these records.

#include <memory>
#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "model/text.hpp"
#include "packet/frame.hpp"
#include "sim/scheduler.hpp"

namespace cnmlab::sim {

// The simulated kernel moves packet/'s frames and speaks its constants
// (kEtherTypeIpv4, tcp::kSyn, ...) unqualified, as the kernel does its own.
using namespace cnmlab::packet;

// Explanations are model::Text: English and Chinese.
using model::Text;

// Actions, as the trace JSON spells them (docs/command-line.md).
namespace action {
inline constexpr const char* kTx = "tx";
inline constexpr const char* kRx = "rx";
inline constexpr const char* kForward = "forward";
inline constexpr const char* kFlood = "flood";
inline constexpr const char* kLearn = "learn";
inline constexpr const char* kRoute = "route";
inline constexpr const char* kNat = "nat";
inline constexpr const char* kFilter = "filter";
inline constexpr const char* kArp = "arp";
inline constexpr const char* kDeliver = "deliver";
inline constexpr const char* kReply = "reply";
inline constexpr const char* kDrop = "drop";
inline constexpr const char* kProxy = "proxy";  // docker-proxy accepts, dials, relays or closes
inline constexpr const char* kEncap = "encap";  // a vxlan device wraps a frame for a VTEP
inline constexpr const char* kDecap = "decap";  // a host unwraps a VXLAN packet for its device
inline constexpr const char* kFragment = "fragment";    // ip_fragment cuts a packet
inline constexpr const char* kNetworkDb = "networkdb";  // what the control plane programmed
inline constexpr const char* kPlugin = "plugin";        // dockerd's exchange with a remote driver
inline constexpr const char* kEncrypt = "encrypt";      // an IPsec SA seals a packet (ESP)
inline constexpr const char* kDecrypt = "decrypt";      // an IPsec SA opens an ESP packet
inline constexpr const char* kBalance = "balance";      // IPVS picks a real server
}  // namespace action

struct Hop {
    TimeUs t = 0;
    std::string node;    // namespace name (host, sandbox, lan, external)
    std::string device;  // interface or bridge
    std::string action;
    std::shared_ptr<const Frame> frame;  // the frame as it is at this hop
    Text explain;
    // The netfilter rule that decided this hop (a DNAT or MASQUERADE, a drop
    // by a filter rule), pointing into the World's Plan; nullptr otherwise
    // (and for a drop by a chain's policy).
    const drivers::NfRule* rule = nullptr;
};

}  // namespace cnmlab::sim
