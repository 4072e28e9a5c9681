#pragma once
// Swarm services in resolve() (topology.cpp): where their tasks run and what
// addresses they get. Internal to model/.
//
// Measured on Docker 20.10 (docs/services.md, recordings 43-45): per service,
// in file order, its VIPs (one per network, then ingress), then its tasks
// slot by slot (an address on each of its networks, then on ingress); after
// every service, each node's load-balancer endpoint on each overlay where it
// runs a task, nodes in x-hosts order; then each node's docker_gwbridge
// endpoints, tasks that do not use ingress first (measured in 45).

#include <string>
#include <vector>

#include "model/topology.hpp"

namespace cnmlab::model {

// Where resolve() lends its pools to the swarm services step.
class SwarmAllocator {
public:
    virtual ~SwarmAllocator() = default;
    // The next free address of `network`'s pool on `host`; id from `idSeed`.
    virtual Endpoint nextEndpoint(const std::string& network, const std::string& host,
                                  const std::string& idSeed) = 0;
    // swarmkit allocateNode: the node's load-balancer endpoint on `net`.
    virtual void addLoadBalancer(const NetworkInstance& net, const std::string& host) = 0;
    // needDefaultGW: the container's docker_gwbridge endpoint, when it needs one.
    virtual void addGwbridgeEndpoint(Container& c) = 0;
};

// One task: its name (KEY.SLOT or KEY.HOST) and node.
struct TaskPlacement {
    std::string name;
    std::string host;
};

// The swarm scheduler with its random tie-break fixed (SPEC §1a): slot by
// slot, the eligible node with the fewest tasks of the service, ties to the
// node first in x-hosts; a global service on every eligible node. Throws
// Error(Invalid) at the constraint when no node is eligible.
std::vector<TaskPlacement> placeTasks(const Scenario& sc, const ServiceSpec& s);

// What Docker refuses in a `deploy:` service, or cnmlab cannot model: throws
// Error at the offending key.
void checkSwarmService(const Scenario& sc, const ServiceSpec& s);

// Creates the services' VIPs, tasks (appended to topo.containers) and load
// balancers, in Docker's order (above).
void createSwarmServices(const Scenario& sc, Topology& topo,
                         const std::vector<const ServiceSpec*>& services, SwarmAllocator& alloc);

}  // namespace cnmlab::model
