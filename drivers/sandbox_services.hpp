#pragma once
// What the daemon serves inside sandboxes once every container runs: the
// embedded DNS server's names and the containers' listening sockets.

#include <vector>

#include "drivers/controller.hpp"

namespace cnmlab::drivers {

// Docker's embedded DNS (libnetwork resolver.go; sandbox.go ResolveName): a
// sandbox with at least one user-defined network answers the service names,
// aliases and container names of the containers on those networks. A name is
// looked up network by network in the sandbox's endpoint order (endpoint.Less:
// non-internal first, then by network name; on a swarm node the endpoints on
// swarm-scope networks come first) and the first network that knows
// it answers, with every address it has for it (an alias two containers share
// gives both). So the Plan holds, per sandbox and name, the records of that
// one network: what `nslookup NAME` inside the container returns. NAME.NETWORK
// (the network's Docker name) is answered by that network alone, when the
// sandbox is on it. Local-scope
// networks only know containers of the same host. Containers only on the
// default bridge get no embedded DNS and no records (real Docker 20.10.24
// behaves so: tests/drivers/recorded_test.cpp).
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

}  // namespace cnmlab::drivers
