#pragma once
// Rules of resolve() (topology.cpp) kept apart: each reads the topology as
// resolve() has built it so far.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/ipam_calico.hpp"
#include "model/topology.hpp"

namespace cnmlab::model {

// The hosts with a container on network `n`, in x-hosts order (the first
// host when none has: the manager lists an unused overlay).
std::vector<std::string> hostsUsing(const Scenario& sc, const NetworkSpec& n);

// libnetwork default_gateway.go needDefaultGW: whether `c` needs an endpoint
// on docker_gwbridge (none of its endpoints gives a gateway).
bool needsGwbridge(const Topology& topo, const Container& c);

// mac_address, as Docker 20.10 takes it (throws Error(Invalid) at its key).
void applyMacAddress(const Topology& topo, const ServiceSpec& s, Container& c);

// libnetwork's overlap check of a network's subnet against the subnets of
// every host it is on (`subnets`, per host: subnet and network name; a swarm
// or global network's count on every host, `globalNames`, which it joins).
// Throws Error(Conflict) at `where`.
void checkSubnetOverlap(const Scenario& sc, const NetworkInstance& inst, const Cidr& subnet,
                        const SourcePos& where,
                        std::map<std::string, std::vector<std::pair<Cidr, std::string>>>& subnets,
                        std::set<std::string>& globalNames);

// The message for an address IPAM refused `ep` of `c` (`want`: the asked-for one).
std::string addressError(const Topology& topo, const ServiceSpec& s, const Container& c,
                         const Endpoint& ep, std::optional<Ipv4> want, const std::string& message);

// calico's default pool (CALICO_IPV4POOL_CIDR), for a network without a subnet.
inline constexpr Cidr kCalicoDefaultPool{Ipv4(192, 168, 0, 0), 16};

// calico's IPAM for the containers' endpoints on those networks: host after
// host in x-hosts order (each dockerd starts its containers; the first to
// ask claims the first block), containers in start order; a static
// ipv4_address is assigned as asked. Throws Error at the key.
// `networks`: network key -> its pool; `pools`: pool -> its IPAM.
void assignCalicoAddresses(const Scenario& sc, Topology& topo,
                           const std::map<std::string, std::string>& networks,
                           std::map<std::string, CalicoIpam>& pools);

// Warns about a macvlan or ipvlan container given a LAN machine's address.
void warnAboutMachineAddresses(const Scenario& sc, Topology& topo);

}  // namespace cnmlab::model
