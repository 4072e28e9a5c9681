#pragma once
// Swarm services' load balancing, as libnetwork 20.10 programs it once every
// node knows every task (service_common.go addServiceBinding ->
// service_linux.go addLBBackend, programIngress, fwMarker, redirector;
// docs/services.md). Per node:
//   - a firewall mark per (service, network), from 256 in the order the node
//     binds them (fwMarkCtr): services in file order, their networks in
//     order, ingress last;
//   - in the load-balancer sandbox of each overlay (`lb_<id>`), for each
//     service with a VIP there: the VIP as a /32 on eth0, mangle INPUT
//     `-d VIP/32 -j MARK`, nat POSTROUTING `-m ipvs --ipvs -d SUBNET -j SNAT
//     --to-source` the sandbox's own address (once), and an IPVS service on
//     the mark, round robin over every task's address on that network;
//   - the same in the ingress sandbox for services publishing through the
//     routing mesh, plus mangle PREROUTING marking each published port, and
//     in the node's own namespace the DOCKER-INGRESS chains (DNAT of each
//     published port to the ingress sandbox's docker_gwbridge address);
//   - in each task's sandbox on ingress, the redirector's rules: the
//     published port REDIRECTed to the target port, nothing else accepted on
//     the ingress address.
// Host-mode ports are ordinary port mappings (Controller::publishedPorts).

#include <map>
#include <string>
#include <utility>

#include "drivers/plan_builder.hpp"

namespace cnmlab::drivers {

void addServiceLoadBalancing(const model::Topology& topo, PlanBuilder& plan);

// The firewall marks node `host` gives, by (service key, network key): only
// the networks the node has, for services with tasks.
using FwmarkMap = std::map<std::pair<std::string, std::string>, std::uint32_t>;
FwmarkMap serviceFwmarks(const model::Topology& topo, const std::string& host);

}  // namespace cnmlab::drivers
