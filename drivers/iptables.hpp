#pragma once
// libnetwork's iptables package (iptables/iptables.go) over a PlanBuilder: the
// same verbs Docker runs, so the rules land where Docker's land. Bound to one
// namespace (a Docker host).

#include <optional>
#include <string>

#include "drivers/plan_builder.hpp"

namespace cnmlab::drivers {

// What a rule does: -j ACCEPT/DROP/RETURN/CHAIN/MASQUERADE/DNAT.
struct NfTarget {
    NfVerdict verdict = NfVerdict::Accept;
    std::string chain;  // Jump
    std::optional<Ipv4> toAddress;
    std::optional<int> toPort;
    std::optional<std::uint32_t> mark;  // Mark

    static NfTarget accept() { return {NfVerdict::Accept, "", {}, {}, {}}; }
    static NfTarget drop() { return {NfVerdict::Drop, "", {}, {}, {}}; }
    static NfTarget ret() { return {NfVerdict::Return, "", {}, {}, {}}; }
    static NfTarget masquerade() { return {NfVerdict::Masquerade, "", {}, {}, {}}; }
    static NfTarget jump(std::string chain) {
        return {NfVerdict::Jump, std::move(chain), {}, {}, {}};
    }
    static NfTarget dnat(Ipv4 to, int port) { return {NfVerdict::Dnat, "", to, port, {}}; }
    static NfTarget snat(Ipv4 to) { return {NfVerdict::Snat, "", to, {}, {}}; }
    static NfTarget redirect(int port) { return {NfVerdict::Redirect, "", {}, port, {}}; }
    // -j MARK --set-mark VALUE (mangle).
    static NfTarget setMark(std::uint32_t value) { return {NfVerdict::Mark, "", {}, {}, value}; }
};

class Iptables {
public:
    Iptables(PlanBuilder& plan, std::string netns) : m_plan(plan), m_netns(std::move(netns)) {}

    // `why` and `whyZh`: the sentence explaining the rule, in English and Chinese.
    NfRule rule(NfTable table, const std::string& chain, const NfMatch& match,
                const NfTarget& target, std::string why, std::string whyZh) const;

    // iptable.NewChain: -N, unless it exists.
    void newChain(const Owner& owner, NfTable table, const std::string& name);
    // The table's built-in chains (filter: INPUT FORWARD OUTPUT; nat: PREROUTING
    // INPUT OUTPUT POSTROUTING; mangle: all five), policy ACCEPT, as the kernel
    // has them once the table is used; no-op for those present.
    void builtinChains(const Owner& owner, NfTable table);
    // -I / -A / -D, each a no-op when -C says so (ProgramRule, programChainRule).
    bool insert(const Owner& owner, const NfRule& r) { return m_plan.insertRule(owner, r); }
    bool append(const Owner& owner, const NfRule& r) { return m_plan.appendRule(owner, r); }
    bool remove(const NfRule& r) { return m_plan.deleteRule(r); }
    // iptable.AddReturnRule: -A CHAIN -j RETURN in the filter table, once.
    void addReturnRule(const Owner& owner, const std::string& chain, std::string why,
                       std::string whyZh);
    // iptable.EnsureJumpRule: -D FROM -j TO if present, then -I FROM -j TO, so
    // the jump is the first rule of FROM (filter table).
    void ensureJumpRule(const Owner& owner, const std::string& from, const std::string& to,
                        std::string why, std::string whyZh);
    // iptable.SetDefaultPolicy: -P.
    void setDefaultPolicy(NfTable table, const std::string& chain, const std::string& policy);

    PlanBuilder& plan() { return m_plan; }

private:
    PlanBuilder& m_plan;
    std::string m_netns;
};

}  // namespace cnmlab::drivers
