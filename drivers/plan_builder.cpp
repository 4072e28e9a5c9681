#include "drivers/plan_builder.hpp"
#include "drivers/plugin_directory.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "drivers/controller.hpp"
#include "drivers/overlay_driver.hpp"
#include "drivers/sandbox_services.hpp"
#include "drivers/service_lb.hpp"
#include "drivers/underlay.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

template <typename T>
void addOwned(std::vector<T>& items, std::vector<Owner>& owners, const Owner& owner, T item) {
    items.push_back(std::move(item));
    owners.push_back(owner);
}

// Erases the items `owner` added; returns whether there were any.
template <typename T>
bool eraseOwned(std::vector<T>& items, std::vector<Owner>& owners, const Owner& owner) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (owners[i] != owner) {
            if (out != i) {
                items[out] = std::move(items[i]);
                owners[out] = std::move(owners[i]);
            }
            ++out;
        }
    }
    const bool erased = out != items.size();
    items.resize(out);
    owners.resize(out);
    return erased;
}

bool sameMatch(const NfMatch& a, const NfMatch& b) {
    return a.inIf == b.inIf && a.inIfNot == b.inIfNot && a.outIf == b.outIf &&
           a.outIfNot == b.outIfNot && a.src == b.src && a.srcNot == b.srcNot && a.dst == b.dst &&
           a.dstNot == b.dstNot && a.proto == b.proto && a.protoNumber == b.protoNumber &&
           a.dport == b.dport && a.sport == b.sport && a.ctEstablished == b.ctEstablished &&
           a.ctState == b.ctState && a.legacyState == b.legacyState &&
           a.dstTypeLocal == b.dstTypeLocal && a.srcTypeLocal == b.srcTypeLocal &&
           a.ipvs == b.ipvs && a.ipsecPolicy == b.ipsecPolicy && a.vxlanVni == b.vxlanVni;
}

// iptables -C compares the whole rule but not its comment; `why` is ours. The
// chain is the caller's to compare.
bool sameRuleInChain(const NfRule& a, const NfRule& b) {
    return sameMatch(a.match, b.match) && a.verdict == b.verdict && a.target == b.target &&
           a.toAddress == b.toAddress && a.toPort == b.toPort && a.setMark == b.setMark;
}

[[noreturn]] void conflict(const std::string& message) {
    throw model::Error(model::ErrorKind::Conflict, message);
}

}  // namespace

std::string PlanBuilder::key(std::string_view netns, std::string_view name) {
    std::string k(netns);
    k += '\0';
    k += name;
    return k;
}

std::string PlanBuilder::chainKey(std::string_view netns, NfTable table, std::string_view chain) {
    return key(netns, tableName(table)) + '\0' + std::string(chain);
}

// ---- objects ------------------------------------------------------------------

void PlanBuilder::add(const Owner& owner, Netns ns) {
    if (!m_namespaceNames.insert(ns.name).second) {
        conflict(fmt::format("two namespaces would be named '{}' (a host, external or container "
                             "name collides with another, or with 'lan' or 'router')",
                             ns.name));
    }
    owned(owner, kNamespaces);
    addOwned(m_plan.namespaces, m_owners.namespaces, owner, std::move(ns));
}

void PlanBuilder::add(const Owner& owner, Link link) {
    if (hasLink(link.netns, link.name)) {
        conflict(fmt::format("interface {} exists twice in namespace {}", link.name, link.netns));
    }
    owned(owner, kLinks);
    m_linkPos[key(link.netns, link.name)] = m_plan.links.size();
    addOwned(m_plan.links, m_owners.links, owner, std::move(link));
}

void PlanBuilder::add(const Owner& owner, Address address) {
    owned(owner, kAddresses);
    m_addressedDevs.insert(key(address.netns, address.dev));
    addOwned(m_plan.addresses, m_owners.addresses, owner, std::move(address));
}

void PlanBuilder::add(const Owner& owner, Route route) {
    owned(owner, kRoutes);
    addOwned(m_plan.routes, m_owners.routes, owner, std::move(route));
}

void PlanBuilder::add(const Owner& owner, Neighbor neighbor) {
    owned(owner, kNeighbors);
    addOwned(m_plan.neighbors, m_owners.neighbors, owner, std::move(neighbor));
}

void PlanBuilder::add(const Owner& owner, FdbEntry entry) {
    owned(owner, kFdb);
    addOwned(m_plan.fdb, m_owners.fdb, owner, std::move(entry));
}

void PlanBuilder::add(const Owner& owner, NfChain chain) {
    if (!hasChain(chain.netns, chain.table, chain.name)) {
        owned(owner, kChains);
        addOwned(m_plan.chains, m_owners.chains, owner, std::move(chain));
    }
}

void PlanBuilder::add(const Owner& owner, DnsRecord record) {
    owned(owner, kDns);
    addOwned(m_plan.dns, m_owners.dns, owner, std::move(record));
}

void PlanBuilder::add(const Owner& owner, Listener listener) {
    owned(owner, kListeners);
    addOwned(m_plan.listeners, m_owners.listeners, owner, std::move(listener));
}

void PlanBuilder::add(const Owner& owner, XfrmState state) {
    owned(owner, kXfrm);
    addOwned(m_plan.xfrmStates, m_owners.xfrmStates, owner, std::move(state));
}

void PlanBuilder::add(const Owner& owner, XfrmPolicy policy) {
    owned(owner, kXfrm);
    addOwned(m_plan.xfrmPolicies, m_owners.xfrmPolicies, owner, std::move(policy));
}

void PlanBuilder::add(const Owner& owner, IpvsService service) {
    owned(owner, kIpvs);
    addOwned(m_plan.ipvs, m_owners.ipvs, owner, std::move(service));
}

void PlanBuilder::set(const Owner& owner, Sysctl sysctl) {
    for (auto& s : m_plan.sysctls) {
        if (s.netns == sysctl.netns && s.key == sysctl.key) {
            s.value = std::move(sysctl.value);
            return;
        }
    }
    owned(owner, kSysctls);
    addOwned(m_plan.sysctls, m_owners.sysctls, owner, std::move(sysctl));
}

// ---- netfilter ----------------------------------------------------------------

const PlanBuilder::ChainRules* PlanBuilder::chainRules(const NfRule& rule) const {
    auto it = m_ruleChainIndex.find(chainKey(rule.netns, rule.table, rule.chain));
    return it == m_ruleChainIndex.end() ? nullptr : &m_ruleChains[it->second];
}

PlanBuilder::ChainRules* PlanBuilder::chainRules(const NfRule& rule) {
    auto it = m_ruleChainIndex.find(chainKey(rule.netns, rule.table, rule.chain));
    return it == m_ruleChainIndex.end() ? nullptr : &m_ruleChains[it->second];
}

PlanBuilder::ChainRules& PlanBuilder::chainRulesFor(const NfRule& rule) {
    if (ChainRules* c = chainRules(rule)) {
        return *c;
    }
    m_ruleChainIndex.emplace(chainKey(rule.netns, rule.table, rule.chain), m_ruleChains.size());
    m_ruleChains.push_back(ChainRules{rule.netns, rule.table, rule.chain, {}, {}});
    return m_ruleChains.back();
}

bool PlanBuilder::hasRule(const NfRule& rule) const {
    const ChainRules* c = chainRules(rule);
    return c != nullptr && std::any_of(c->rules.begin(), c->rules.end(),
                                       [&](const NfRule& r) { return sameRuleInChain(r, rule); });
}

bool PlanBuilder::hasChain(std::string_view netns, NfTable table, std::string_view name) const {
    return std::any_of(m_plan.chains.begin(), m_plan.chains.end(), [&](const NfChain& c) {
        return c.netns == netns && c.table == table && c.name == name;
    });
}

bool PlanBuilder::insertRule(const Owner& owner, NfRule rule) {
    if (hasRule(rule)) {
        return false;
    }
    ChainRules& c = chainRulesFor(rule);
    c.rules.insert(c.rules.begin(), std::move(rule));
    c.owners.insert(c.owners.begin(), owner);
    owned(owner, kRules);
    m_rulesStale = true;
    return true;
}

bool PlanBuilder::appendRule(const Owner& owner, NfRule rule) {
    if (hasRule(rule)) {
        return false;
    }
    ChainRules& c = chainRulesFor(rule);
    c.rules.push_back(std::move(rule));
    c.owners.push_back(owner);
    owned(owner, kRules);
    m_rulesStale = true;
    return true;
}

bool PlanBuilder::deleteRule(const NfRule& rule) {
    ChainRules* c = chainRules(rule);
    if (c == nullptr) {
        return false;
    }
    auto it = std::find_if(c->rules.begin(), c->rules.end(),
                           [&](const NfRule& r) { return sameRuleInChain(r, rule); });
    if (it == c->rules.end()) {
        return false;
    }
    c->owners.erase(c->owners.begin() + (it - c->rules.begin()));
    c->rules.erase(it);
    m_rulesStale = true;
    return true;
}

void PlanBuilder::setPolicy(std::string_view netns, NfTable table, std::string_view chain,
                            std::string policy) {
    for (auto& c : m_plan.chains) {
        if (c.netns == netns && c.table == table && c.name == chain && c.builtin) {
            c.policy = std::move(policy);
            return;
        }
    }
    throw model::Error(model::ErrorKind::NotFound,
                       fmt::format("no built-in chain {} in namespace {}", chain, netns));
}

void PlanBuilder::syncRules() const {
    if (!m_rulesStale) {
        return;
    }
    m_plan.rules.clear();
    for (const auto& c : m_ruleChains) {
        m_plan.rules.insert(m_plan.rules.end(), c.rules.begin(), c.rules.end());
    }
    m_rulesStale = false;
}

std::size_t PlanBuilder::addPluginCall(PluginCall call) {
    m_plan.pluginCalls.push_back(std::move(call));
    return m_plan.pluginCalls.size() - 1;
}

const Plan& PlanBuilder::plan() const {
    syncRules();
    return m_plan;
}

Plan PlanBuilder::take() && {
    syncRules();
    return std::move(m_plan);
}

// ---- links --------------------------------------------------------------------

std::optional<std::size_t> PlanBuilder::linkPos(std::string_view netns,
                                                std::string_view name) const {
    if (m_linkPosStale) {
        m_linkPos.clear();
        for (std::size_t i = 0; i < m_plan.links.size(); ++i) {
            m_linkPos[key(m_plan.links[i].netns, m_plan.links[i].name)] = i;
        }
        m_linkPosStale = false;
    }
    auto it = m_linkPos.find(key(netns, name));
    return it == m_linkPos.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

bool PlanBuilder::hasLink(std::string_view netns, std::string_view name) const {
    return linkPos(netns, name).has_value();
}

Link& PlanBuilder::link(std::string_view netns, std::string_view name) {
    if (auto pos = linkPos(netns, name)) {
        return m_plan.links[*pos];
    }
    throw model::Error(model::ErrorKind::NotFound,
                       fmt::format("no interface {} in namespace {}", name, netns));
}

void PlanBuilder::moveLink(std::string_view netns, std::string_view name,
                           const std::string& toNetns, const std::string& newName) {
    if (hasLink(toNetns, newName)) {
        conflict(fmt::format("interface {} exists twice in namespace {}", newName, toNetns));
    }
    const std::string oldKey = key(netns, name);
    Link& moved = link(netns, name);
    if (!moved.peerName.empty()) {
        Link& peer = link(moved.peerNetns, moved.peerName);
        peer.peerNetns = toNetns;
        peer.peerName = newName;
    }
    if (m_addressedDevs.count(oldKey) != 0) {
        for (auto& a : m_plan.addresses) {
            if (key(a.netns, a.dev) == oldKey) {
                a.netns = toNetns;
                a.dev = newName;
            }
        }
        m_addressedDevs.insert(key(toNetns, newName));
    }
    const auto pos = static_cast<std::size_t>(&moved - m_plan.links.data());
    m_linkPos.erase(oldKey);
    moved.netns = toNetns;
    moved.name = newName;
    m_linkPos[key(toNetns, newName)] = pos;
}

// ---- removal ------------------------------------------------------------------

void PlanBuilder::removeOwnedBy(const Owner& owner) {
    auto found = m_ownedKinds.find(owner);
    if (found == m_ownedKinds.end()) {
        return;
    }
    const unsigned kinds = found->second;
    m_ownedKinds.erase(found);
    if ((kinds & kNamespaces) != 0) {
        for (std::size_t i = 0; i < m_plan.namespaces.size(); ++i) {
            if (m_owners.namespaces[i] == owner) {
                m_namespaceNames.erase(m_plan.namespaces[i].name);
            }
        }
        eraseOwned(m_plan.namespaces, m_owners.namespaces, owner);
    }
    if ((kinds & kLinks) != 0 && eraseOwned(m_plan.links, m_owners.links, owner)) {
        m_linkPosStale = true;
    }
    if ((kinds & kAddresses) != 0) {
        eraseOwned(m_plan.addresses, m_owners.addresses, owner);
    }
    if ((kinds & kRoutes) != 0) {
        eraseOwned(m_plan.routes, m_owners.routes, owner);
    }
    if ((kinds & kNeighbors) != 0) {
        eraseOwned(m_plan.neighbors, m_owners.neighbors, owner);
    }
    if ((kinds & kFdb) != 0) {
        eraseOwned(m_plan.fdb, m_owners.fdb, owner);
    }
    if ((kinds & kSysctls) != 0) {
        eraseOwned(m_plan.sysctls, m_owners.sysctls, owner);
    }
    if ((kinds & kChains) != 0) {
        eraseOwned(m_plan.chains, m_owners.chains, owner);
    }
    if ((kinds & kRules) != 0) {
        for (auto& c : m_ruleChains) {
            m_rulesStale |= eraseOwned(c.rules, c.owners, owner);
        }
    }
    if ((kinds & kDns) != 0) {
        eraseOwned(m_plan.dns, m_owners.dns, owner);
    }
    if ((kinds & kListeners) != 0) {
        eraseOwned(m_plan.listeners, m_owners.listeners, owner);
    }
    if ((kinds & kXfrm) != 0) {
        eraseOwned(m_plan.xfrmStates, m_owners.xfrmStates, owner);
        eraseOwned(m_plan.xfrmPolicies, m_owners.xfrmPolicies, owner);
    }
    if ((kinds & kIpvs) != 0) {
        eraseOwned(m_plan.ipvs, m_owners.ipvs, owner);
    }
}

Plan buildPlan(const model::Topology& topo) {
    PlanBuilder plan;
    buildUnderlay(*topo.scenario, plan);
    addVlanGateways(topo, plan);
    const NetworkOptionsMap options = parseAllOptions(topo);
    // The plugins of this Plan (one cluster), when a directory is installed.
    const auto directory = pluginDirectory();
    const std::unique_ptr<PluginSession> plugins = directory ? directory->session() : nullptr;
    std::vector<std::unique_ptr<Controller>> controllers;
    for (const auto& host : topo.scenario->hosts) {
        auto c = std::make_unique<Controller>(topo, options, host.name, plan, plugins.get());
        c->startDaemon();
        c->createNetworks();
        c->startContainers();
        controllers.push_back(std::move(c));
    }
    for (const auto& c : controllers) {
        c->syncPlugins();
    }
    std::vector<const SandboxState*> sandboxes;
    for (const auto& c : controllers) {
        for (const auto& sb : c->sandboxes()) {
            sandboxes.push_back(&sb);
        }
    }
    addOverlayPeers(topo, plan);
    addOverlayEncryption(topo, plan);
    addServiceLoadBalancing(topo, plan);
    addServiceDiscovery(topo, sandboxes, plan);
    addListeners(topo, plan);
    return std::move(plan).take();
}

}  // namespace cnmlab::drivers
