#pragma once
// The executor that builds a Plan for real: named namespaces, rtnetlink for
// links/addresses/routes/neighbours, /proc/sys (or its rtnetlink equivalent,
// see sysctl.hpp) for sysctls, libnftables for
// Docker's rules. It remembers every namespace it made (its manifest), so a
// failure part-way can remove exactly those.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "live/executor.hpp"
#include "live/kernel_support.hpp"
#include "live/netns.hpp"
#include "live/rtnl.hpp"

namespace cnmlab::live {

class KernelExecutor : public PlanExecutor {
public:
    // `plan` (already livePlan()-renamed) must outlive the executor.
    // It holds at most as many namespace descriptors and netlink sockets as a
    // quarter of the descriptors this process may still open: a topology of
    // any size builds under a small `ulimit -n`.
    explicit KernelExecutor(const drivers::Plan& plan);
    void createNamespace(const drivers::Netns& ns) override;
    // Two threads: making a namespace is mostly the kernel's own work, and two
    // make a hundred in about half the time of one (links, which take the RTNL
    // lock, stay serial).
    void createNamespaces(const std::vector<drivers::Netns>& all) override;
    void createLink(const drivers::Link& link) override;
    void setMaster(const drivers::Link& link) override;
    void setUp(const drivers::Link& link) override;
    void addAddress(const drivers::Address& a) override;
    void addRoute(const drivers::Route& r) override;
    void addNeighbor(const drivers::Neighbor& n) override;
    void addFdb(const drivers::FdbEntry& f) override;
    void setSysctl(const drivers::Sysctl& s) override;
    void addXfrmState(const drivers::XfrmState& x) override;
    void addXfrmPolicy(const drivers::XfrmPolicy& x) override;
    void loadRules(const std::string& netns, const std::string& nftScript) override;

    const Fd& ns(const std::string& name) const;
    // Deletes every namespace this executor made (with all their links).
    void rollback();

private:
    Rtnl& rtnl(const std::string& ns);
    // Called between operations (never while one holds a reference): closes
    // every cached descriptor when the cache is full.
    void trim();
    model::Mac peerMacOf(const drivers::Link& l) const;

    const drivers::Plan& m_plan;

    mutable std::map<std::string, Fd> m_fds;  // opened when needed, see trim()
    std::map<std::string, std::unique_ptr<Rtnl>> m_rtnl;
    std::size_t m_cacheMax = 0;
    std::vector<std::string> m_created;
};

// Executes `plan` (already livePlan()-renamed) in the kernel; on failure
// removes what it made and rethrows.
std::unique_ptr<KernelExecutor> buildInKernel(const drivers::Plan& plan);

}  // namespace cnmlab::live
