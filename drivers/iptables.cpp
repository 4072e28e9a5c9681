#include "drivers/iptables.hpp"

namespace cnmlab::drivers {

NfRule Iptables::rule(NfTable table, const std::string& chain, const NfMatch& match,
                      const NfTarget& target, std::string why, std::string whyZh) const {
    NfRule r;
    r.netns = m_netns;
    r.table = table;
    r.chain = chain;
    r.match = match;
    r.verdict = target.verdict;
    r.target = target.chain;
    r.toAddress = target.toAddress;
    r.toPort = target.toPort;
    r.setMark = target.mark;
    r.why = std::move(why);
    r.whyZh = std::move(whyZh);
    return r;
}

void Iptables::newChain(const Owner& owner, NfTable table, const std::string& name) {
    m_plan.add(owner, NfChain{m_netns, table, name, false, ""});
}

void Iptables::builtinChains(const Owner& owner, NfTable table) {
    static constexpr std::initializer_list<const char*> kFilter = {"INPUT", "FORWARD", "OUTPUT"};
    static constexpr std::initializer_list<const char*> kNat = {"PREROUTING", "INPUT", "OUTPUT",
                                                                "POSTROUTING"};
    static constexpr std::initializer_list<const char*> kMangle = {"PREROUTING", "INPUT", "FORWARD",
                                                                   "OUTPUT", "POSTROUTING"};
    for (const char* chain : table == NfTable::Filter ? kFilter
                             : table == NfTable::Nat  ? kNat
                                                      : kMangle) {
        m_plan.add(owner, NfChain{m_netns, table, chain, true, "ACCEPT"});
    }
}

void Iptables::addReturnRule(const Owner& owner, const std::string& chain, std::string why,
                             std::string whyZh) {
    m_plan.appendRule(
        owner, rule(NfTable::Filter, chain, {}, NfTarget::ret(), std::move(why), std::move(whyZh)));
}

void Iptables::ensureJumpRule(const Owner& owner, const std::string& from, const std::string& to,
                              std::string why, std::string whyZh) {
    const NfRule jump =
        rule(NfTable::Filter, from, {}, NfTarget::jump(to), std::move(why), std::move(whyZh));
    m_plan.deleteRule(jump);
    m_plan.insertRule(owner, jump);
}

void Iptables::setDefaultPolicy(NfTable table, const std::string& chain,
                                const std::string& policy) {
    m_plan.setPolicy(m_netns, table, chain, policy);
}

}  // namespace cnmlab::drivers
