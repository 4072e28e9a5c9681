#pragma once
// Swarm services' load balancing needs IPVS in the kernel (CONFIG_IP_VS).
// Where it is missing, Docker 20.10 programs nothing of a VIP or the routing
// mesh, silently (docs/services.md "IPVS": its family lookup fails and every
// IPVS call then looks like a success); live mode says so instead: `live up`
// refuses such a file naming the services, and `live verify` builds what
// Docker builds there (tasks, DNS, dnsrr, host-mode ports, the tasks'
// redirect rules) and skips the probes that go through a VIP or an ingress
// port, with the reason.

#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "model/topology.hpp"

namespace cnmlab::live {

struct LackingService {
    const model::SwarmService* service = nullptr;
    std::string why;
};

// Whether this kernel has IPVS: /proc/net/ip_vs exists once ip_vs is loaded
// (Docker loads it with modprobe; live mode changes no module of the machine).
bool kernelHasIpvs();

// The services with a VIP or an ingress port this kernel (or live mode)
// cannot balance. live mode has no IPVS executor yet, so with IP_VS present
// they are listed too, with that reason.
std::vector<LackingService> servicesTheKernelLacks(const model::Topology& topo);

// One line per service, for an Unsupported error (exit 3).
std::string describe(const std::vector<LackingService>& lacking);

// `plan` without what libnetwork's addLBBackend would have programmed (the
// VIP aliases, the fwmark and IPVS SNAT rules, IPVS services, the hosts'
// DOCKER-INGRESS chains and their jumps, route_localnet): what Docker leaves
// on a kernel without IP_VS (recordings 43-45).
drivers::Plan withoutServiceBalancing(const drivers::Plan& plan, const model::Topology& topo);

}  // namespace cnmlab::live
