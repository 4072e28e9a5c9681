#pragma once
// A scenario built in the kernel for as long as a Testbed lives, with its
// listeners and embedded DNS running, to be probed and then removed: what
// `live verify` compares with the simulation. Networks this kernel cannot
// build (a driver whose module is missing) are left out and listed, with the
// services whose probes cannot run because of them.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "live/kernel_ipvs.hpp"
#include "live/kernel_support.hpp"
#include "model/topology.hpp"

namespace cnmlab::live {

class KernelExecutor;
class ServiceProcesses;

class Testbed {
public:
    // Builds `plan` (the scenario's, not yet renamed) under the scenario's
    // prefix. Throws model::Error: Unsupported without the privileges live
    // mode needs, Conflict when the scenario is already up, System for a kernel
    // error (after removing everything it made).
    Testbed(const model::Topology& topo, const drivers::Plan& plan);
    // Stops the services, then removes every namespace it made.
    ~Testbed();
    Testbed(const Testbed&) = delete;
    Testbed& operator=(const Testbed&) = delete;

    const std::vector<LackingNetwork>& lacking() const { return m_lacking; }
    // Swarm services whose VIP and routing mesh are not built (kernel_ipvs.hpp).
    const std::vector<LackingService>& lackingServices() const { return m_lackingServices; }
    // Services with an endpoint on a lacking network, and those sharing their namespace.
    const std::set<std::string>& untestable() const { return m_untestable; }
    // Why the listeners and the embedded DNS stopped; empty while they run.
    std::string servicesStopped();

private:
    std::vector<LackingNetwork> m_lacking;
    std::vector<LackingService> m_lackingServices;
    std::set<std::string> m_untestable;
    drivers::Plan m_plan;  // the renamed plan the executor and services point into
    std::unique_ptr<KernelExecutor> m_exec;
    std::unique_ptr<ServiceProcesses> m_services;  // stopped before m_exec rolls back
};

}  // namespace cnmlab::live
