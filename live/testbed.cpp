#include "live/testbed.hpp"

#include <fmt/format.h>

#include "live/environment.hpp"
#include "live/executor.hpp"
#include "live/kernel_executor.hpp"
#include "live/kernel_probes.hpp"
#include "live/lifecycle.hpp"
#include "live/netns.hpp"
#include "live/services.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

std::set<std::string> untestableServices(const model::Topology& topo,
                                         const std::vector<LackingNetwork>& lacking) {
    std::set<std::string> out;
    for (const auto& c : topo.containers) {
        for (const auto& ep : c.endpoints) {
            for (const auto& l : lacking) {
                if (ep.network == l.network->key) {
                    out.insert(c.service);
                }
            }
        }
    }
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& c : topo.containers) {
            if (!c.sandboxOf.empty() && out.count(c.sandboxOf) != 0 &&
                out.insert(c.service).second) {
                grew = true;
            }
        }
    }
    return out;
}

}  // namespace

Testbed::Testbed(const model::Topology& topo, const drivers::Plan& plan) {
    requireNetAdmin();
    const std::string prefix = livePrefix(*topo.scenario);
    requireLiveMode(prefix);
    if (!listNamedNetns(prefix).empty()) {
        throw model::Error(model::ErrorKind::Conflict,
                           fmt::format("{} is already up; `cnmlab live down` it before verify",
                                       topo.scenario->projectName));
    }
    m_lacking = networksTheKernelLacks(topo, prefix);
    m_untestable = untestableServices(topo, m_lacking);
    m_lackingServices = servicesTheKernelLacks(topo);
    const drivers::Plan buildable =
        m_lackingServices.empty() ? plan : withoutServiceBalancing(plan, topo);
    m_plan = withoutLacking(livePlan(buildable, prefix), m_lacking);
    m_exec = buildInKernel(m_plan);
    try {
        raiseFileLimit();
        m_services = std::make_unique<ServiceProcesses>(m_plan);
    } catch (...) {
        m_exec->rollback();
        throw;
    }
}

Testbed::~Testbed() {
    m_services.reset();
    m_exec->rollback();
}

std::string Testbed::servicesStopped() {
    return m_services->stopped();
}

}  // namespace cnmlab::live
