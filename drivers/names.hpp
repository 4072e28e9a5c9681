#pragma once
// Deterministic stand-ins for what Docker and the kernel pick at random, so the
// same scenario always gives the same Plan (and golden files stay stable).

#include <string>
#include <string_view>

#include "model/ip.hpp"

namespace cnmlab::drivers {

// A MAC as libnetwork's netutils.GenerateRandomMAC makes it (02:42 and four
// random bytes): here the four bytes come from a hash of `seed`.
model::Mac dockerMac(std::string_view seed);

// The NIC of a machine on the physical LAN (hosts, externals, the router):
// 52:54:00 and three bytes of a hash of `seed`, as a VM's NIC would look.
model::Mac nicMac(std::string_view seed);

// A MAC as the kernel's eth_random_addr makes one for a new veth end (random,
// locally administered, unicast): here the bytes come from a hash of `seed`.
model::Mac kernelMac(std::string_view seed);

// "veth" and 7 hex digits, as libnetwork's netutils.GenerateIfaceName("veth", 7)
// makes the host end of a bridge endpoint: taken from the endpoint id, the
// 7 digits starting at 7 * `attempt` (the caller retries on a clash, as Docker does).
std::string vethName(std::string_view endpointId, int attempt);

// netutils.GenerateIfaceName: vethName(seed, attempt) for the first attempt
// whose name is neither taken in `netns` (PlanBuilder::hasLink) nor `avoid`.
template <typename Plan>
std::string freeVethName(const Plan& plan, const std::string& netns, const std::string& seed,
                         const std::string& avoid) {
    for (int attempt = 0;; ++attempt) {
        std::string name = vethName(seed, attempt);
        if (name != avoid && !plan.hasLink(netns, name)) {
            return name;
        }
    }
}

// The port towards `machine` on the LAN bridge, or on the router towards an
// external beyond it: its name when that fits IFNAMSIZ (15 characters), else a
// prefix and a hash.
std::string lanPortName(std::string_view machine);

// 00:00:00:00:00:00, the loopback's address.
inline constexpr model::Mac kZeroMac{};

}  // namespace cnmlab::drivers
