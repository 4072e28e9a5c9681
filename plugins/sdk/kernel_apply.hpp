#pragma once
// A plugin under real Docker (or `cnmlab live`): each change its HostPlan
// journals is made in the network namespace the plugin runs in, with the live
// executor's netlink, sysctl and nftables pieces, as the change is made. What
// a removal takes away: links (a veth with its peer, wherever libnetwork has
// moved it), routes, neighbours and FDB entries go with their links; rules
// and sysctls stay, as a plugin's long-lived ones do. On destruction every
// link the plugin made and still has is deleted.

#include <memory>
#include <string>
#include <vector>

#include "plugins/sdk/host_plan.hpp"

namespace cnmlab::live {
class Fd;
class Rtnl;
}  // namespace cnmlab::live

namespace cnmlab::plugins {

class KernelApplier {
public:
    // Applies what `plan` already holds, then each later change.
    explicit KernelApplier(HostPlan& plan);
    ~KernelApplier();
    KernelApplier(const KernelApplier&) = delete;
    KernelApplier& operator=(const KernelApplier&) = delete;

    void apply(const HostPlan::Json& change);

private:
    HostPlan& m_plan;
    std::unique_ptr<live::Fd> m_ns;
    std::unique_ptr<live::Rtnl> m_rtnl;
    std::vector<std::string> m_links;  // made here, in order
};

}  // namespace cnmlab::plugins
