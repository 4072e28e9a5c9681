#pragma once
// Which of the scenario's networks this kernel can build. A driver's link type
// (ipvlan, say: this machine's kernel has no CONFIG_IPVLAN) is tried for real,
// once per process, in a scratch namespace carrying the scenario's prefix (so
// `live down` would find it after a crash), which is removed at once.

#include <optional>
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

// A kernel object the Plan names that this kernel cannot make, and what live
// mode builds in its place. Today one: a dummy link (the dm-<id> parent Docker's
// macvlan/ipvlan drivers make for a network without `parent`) on a kernel
// without CONFIG_DUMMY becomes a veth pair whose other end stays up in the same
// namespace. It holds addresses and carries macvlan/ipvlan slaves just as well;
// unlike a dummy, what is sent on it reaches that other end, where the
// namespace receives it as from a wire (it answers ARP only for its own
// addresses, and nothing is routed back). `plan` and `live status` say so.
struct Substitute {
    std::string netns;  // the Plan's namespace ("host1")
    std::string link;   // the Plan's link ("dm-0123456789ab")
    std::string peer;   // the veth's other end, in the same namespace
    std::string why;    // "the kernel lacks the dummy driver (CONFIG_DUMMY)"
};
Substitute dummySubstitute(const std::string& netns, const std::string& link);
// One line: the link, what is built instead, and why.
std::string describe(const Substitute& s);

// Whether this kernel makes dummy links: tried once per process in a child
// process's own new network namespace (a new user namespace too when not root),
// so nothing is left behind. nullopt when that cannot be tried here.
std::optional<bool> kernelMakesDummy();

// What `live up` will build in place of the Plan's objects on this kernel
// (empty when it has them all, or when that cannot be told here).
std::vector<Substitute> substitutesFor(const drivers::Plan& plan);

// What the scenario's namespaces (`prefix`, see livePrefix) hold in place of
// the Plan's objects, asked of the kernel: a dummy link of the Plan that is a
// veth there. Needs root (the namespaces are root's); empty when not up.
std::vector<Substitute> substitutesBuilt(const drivers::Plan& plan, const std::string& prefix);

}  // namespace cnmlab::live
