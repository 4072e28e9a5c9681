#pragma once
// Which of the scenario's networks this kernel can build. A driver's link type
// (ipvlan, say: this machine's kernel has no CONFIG_IPVLAN) is tried for real,
// once per process, in a scratch namespace carrying the scenario's prefix (so
// `live down` would find it after a crash), which is removed at once.

#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "model/topology.hpp"

namespace cnmlab::live {

struct LackingNetwork {
    const model::NetworkInstance* network = nullptr;
    std::string why;  // "the kernel lacks the ipvlan driver (CONFIG_IPVLAN)"
};

std::vector<LackingNetwork> networksTheKernelLacks(const model::Topology& topo,
                                                   const std::string& prefix);

// One line per network, for an Unsupported error (exit 3).
std::string describe(const std::vector<LackingNetwork>& lacking);

// `plan` without the links of the lacking networks' drivers (and the
// addresses, routes and neighbours on them): what `verify` builds.
drivers::Plan withoutLacking(const drivers::Plan& plan, const std::vector<LackingNetwork>& lacking);

}  // namespace cnmlab::live
