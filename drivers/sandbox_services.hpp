#pragma once
// What the daemon serves inside sandboxes once every container runs: the
// embedded DNS server's names and the containers' listening sockets.

#include <vector>

#include "drivers/controller.hpp"

namespace cnmlab::drivers {

// Docker's embedded DNS (libnetwork resolver.go, service discovery in
// network.go): a sandbox with at least one user-defined network answers, for
// each of those networks, every container's service name, aliases and
// container name with that container's address on that network. Local-scope
// networks only see containers of the same host. Containers only on the
// default bridge get no embedded DNS and no records. A name that two
// containers share on a network (an alias) gets a record for each: Docker
// answers with both addresses. Records come in sandbox, network and start order.
void addServiceDiscovery(const model::Topology& topo,
                         const std::vector<const SandboxState*>& sandboxes, PlanBuilder& plan);

// A Listener on 0.0.0.0 for each port a container's process listens on:
// x-listen, expose and the container side of `ports`, in that order, once
// each. It sits in the container's sandbox; in the host's namespace for host
// mode; in the shared sandbox for service:/container: mode. The owner is the
// service key. (docker-proxy listeners come from the bridge driver.)
void addListeners(const model::Topology& topo, PlanBuilder& plan);

// The namespace a container's processes run in (see addListeners).
std::string processNetns(const model::Topology& topo, const model::Container& c);

} // namespace cnmlab::drivers
