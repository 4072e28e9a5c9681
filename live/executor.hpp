#pragma once
// Executing a Plan: the order of operations (namespaces, links, masters, up,
// addresses, routes, neighbours, FDB entries, sysctls, IPsec, netfilter) is fixed here, once; an
// executor does each operation. KernelExecutor does them for real (netlink,
// libnftables); RecordingExecutor writes their `ip`/`nft` equivalents to a list,
// so ordinary tests check the sequence without root.

#include <string>
#include <vector>

#include "drivers/plan.hpp"

namespace cnmlab::live {

class PlanExecutor {
public:
    virtual ~PlanExecutor() = default;
    virtual void createNamespace(const drivers::Netns& ns) = 0;
    // All of the Plan's namespaces, before anything else; an executor may make
    // them concurrently (they depend on nothing).
    virtual void createNamespaces(const std::vector<drivers::Netns>& all) {
        for (const auto& ns : all) {
            createNamespace(ns);
        }
    }
    // Veth pairs are created once, from the end listed first in the Plan.
    virtual void createLink(const drivers::Link& link) = 0;
    virtual void setMaster(const drivers::Link& link) = 0;
    virtual void setUp(const drivers::Link& link) = 0;
    virtual void addAddress(const drivers::Address& a) = 0;
    virtual void addRoute(const drivers::Route& r) = 0;
    virtual void addNeighbor(const drivers::Neighbor& n) = 0;
    virtual void addFdb(const drivers::FdbEntry& f) = 0;
    virtual void setSysctl(const drivers::Sysctl& s) = 0;
    virtual void addXfrmState(const drivers::XfrmState& x) = 0;
    virtual void addXfrmPolicy(const drivers::XfrmPolicy& x) = 0;
    virtual void loadRules(const std::string& netns, const std::string& nftScript) = 0;
};

void executePlan(const drivers::Plan& plan, PlanExecutor& exec);

class RecordingExecutor : public PlanExecutor {
public:
    void createNamespace(const drivers::Netns& ns) override;
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

    std::vector<std::string> ops;
};

// The Plan as live mode builds it: every namespace renamed PREFIX + name, and
// interface names longer than the kernel's 15 characters shortened
// deterministically (first 9 characters + 6 hex digits of a hash), everywhere
// they appear (links, masters, peers, addresses, routes, rules).
drivers::Plan livePlan(const drivers::Plan& plan, const std::string& prefix);
std::string shortIfname(const std::string& name);

}  // namespace cnmlab::live
