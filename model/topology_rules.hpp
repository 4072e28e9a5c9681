#pragma once
// Rules of resolve() (topology.cpp) kept apart: each reads the topology as
// resolve() has built it so far.

#include <string>
#include <vector>

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

// Warns about a macvlan or ipvlan container given a LAN machine's address.
void warnAboutMachineAddresses(const Scenario& sc, Topology& topo);

}  // namespace cnmlab::model
