#include "drivers/plan_builder.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "drivers/controller.hpp"
#include "drivers/sandbox_services.hpp"
#include "drivers/world.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

template <typename T>
void addOwned(std::vector<T>& items, std::vector<Owner>& owners, const Owner& owner, T item) {
    items.push_back(std::move(item));
    owners.push_back(owner);
}

// Returns whether anything was erased.
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
           a.dstNot == b.dstNot && a.proto == b.proto && a.dport == b.dport &&
           a.ctEstablished == b.ctEstablished && a.dstTypeLocal == b.dstTypeLocal;
}

// iptables -C compares the whole rule but not its comment; `why` is ours.
bool sameRule(const NfRule& a, const NfRule& b) {
    return a.netns == b.netns && a.table == b.table && a.chain == b.chain &&
           sameMatch(a.match, b.match) && a.verdict == b.verdict && a.target == b.target &&
           a.toAddress == b.toAddress && a.toPort == b.toPort;
}

bool sameChain(const NfRule& r, std::string_view netns, NfTable table, std::string_view chain) {
    return r.netns == netns && r.table == table && r.chain == chain;
}

}  // namespace

std::string PlanBuilder::key(std::string_view netns, std::string_view name) {
    std::string k(netns);
    k += '\0';
    k += name;
    return k;
}

void PlanBuilder::add(const Owner& owner, Netns ns) {
    if (!m_namespaceNames.insert(ns.name).second) {
        throw model::Error(model::ErrorKind::Conflict,
                           fmt::format("two namespaces would be named '{}' (a host, external or "
                                       "container name collides with another, or with 'lan' or "
                                       "'router')",
                                       ns.name));
    }
    ++m_ownedCount[owner];
    addOwned(m_plan.namespaces, m_owners.namespaces, owner, std::move(ns));
}

void PlanBuilder::add(const Owner& owner, Link link) {
    if (hasLink(link.netns, link.name)) {
        throw model::Error(model::ErrorKind::Conflict,
                           fmt::format("interface {} exists twice in namespace {}", link.name,
                                       link.netns));
    }
    ++m_ownedCount[owner];
    m_linkPos[key(link.netns, link.name)] = m_plan.links.size();
    addOwned(m_plan.links, m_owners.links, owner, std::move(link));
}

void PlanBuilder::add(const Owner& owner, Address address) {
    ++m_ownedCount[owner];
    m_addressedDevs.insert(key(address.netns, address.dev));
    addOwned(m_plan.addresses, m_owners.addresses, owner, std::move(address));
}

void PlanBuilder::add(const Owner& owner, Route route) {
    ++m_ownedCount[owner];
    addOwned(m_plan.routes, m_owners.routes, owner, std::move(route));
}

void PlanBuilder::add(const Owner& owner, Neighbor neighbor) {
    ++m_ownedCount[owner];
    addOwned(m_plan.neighbors, m_owners.neighbors, owner, std::move(neighbor));
}

void PlanBuilder::add(const Owner& owner, FdbEntry entry) {
    ++m_ownedCount[owner];
    addOwned(m_plan.fdb, m_owners.fdb, owner, std::move(entry));
}

void PlanBuilder::add(const Owner& owner, NfChain chain) {
    if (!hasChain(chain.netns, chain.table, chain.name)) {
        ++m_ownedCount[owner];
        addOwned(m_plan.chains, m_owners.chains, owner, std::move(chain));
    }
}

void PlanBuilder::add(const Owner& owner, DnsRecord record) {
    ++m_ownedCount[owner];
    addOwned(m_plan.dns, m_owners.dns, owner, std::move(record));
}

void PlanBuilder::add(const Owner& owner, Listener listener) {
    ++m_ownedCount[owner];
    addOwned(m_plan.listeners, m_owners.listeners, owner, std::move(listener));
}

void PlanBuilder::set(const Owner& owner, Sysctl sysctl) {
    for (std::size_t i = 0; i < m_plan.sysctls.size(); ++i) {
        Sysctl& s = m_plan.sysctls[i];
        if (s.netns == sysctl.netns && s.key == sysctl.key) {
            s.value = std::move(sysctl.value);
            return;
        }
    }
    ++m_ownedCount[owner];
    addOwned(m_plan.sysctls, m_owners.sysctls, owner, std::move(sysctl));
}

bool PlanBuilder::hasRule(const NfRule& rule) const {
    return std::any_of(m_plan.rules.begin(), m_plan.rules.end(),
                       [&](const NfRule& r) { return sameRule(r, rule); });
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
    // The top of the chain: before its first rule, wherever that sits in the list.
    auto it = std::find_if(m_plan.rules.begin(), m_plan.rules.end(), [&](const NfRule& r) {
        return sameChain(r, rule.netns, rule.table, rule.chain);
    });
    const auto at = it - m_plan.rules.begin();
    m_plan.rules.insert(it, std::move(rule));
    m_owners.rules.insert(m_owners.rules.begin() + at, owner);
    ++m_ownedCount[owner];
    return true;
}

bool PlanBuilder::appendRule(const Owner& owner, NfRule rule) {
    if (hasRule(rule)) {
        return false;
    }
    ++m_ownedCount[owner];
    addOwned(m_plan.rules, m_owners.rules, owner, std::move(rule));
    return true;
}

bool PlanBuilder::deleteRule(const NfRule& rule) {
    auto it = std::find_if(m_plan.rules.begin(), m_plan.rules.end(),
                           [&](const NfRule& r) { return sameRule(r, rule); });
    if (it == m_plan.rules.end()) {
        return false;
    }
    const auto at = it - m_plan.rules.begin();
    --m_ownedCount[m_owners.rules[static_cast<std::size_t>(at)]];
    m_plan.rules.erase(it);
    m_owners.rules.erase(m_owners.rules.begin() + at);
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

void PlanBuilder::moveLink(std::string_view netns, std::string_view name, const std::string& toNetns,
                           const std::string& newName) {
    if (hasLink(toNetns, newName)) {
        throw model::Error(model::ErrorKind::Conflict,
                           fmt::format("interface {} exists twice in namespace {}", newName, toNetns));
    }
    Link& moved = link(netns, name);
    if (!moved.peerName.empty()) {
        Link& peer = link(moved.peerNetns, moved.peerName);
        peer.peerNetns = toNetns;
        peer.peerName = newName;
    }
    if (m_addressedDevs.count(key(netns, name)) != 0) {
        for (auto& a : m_plan.addresses) {
            if (a.netns == netns && a.dev == name) {
                a.netns = toNetns;
                a.dev = newName;
            }
        }
        m_addressedDevs.insert(key(toNetns, newName));
    }
    const std::size_t pos = static_cast<std::size_t>(&moved - m_plan.links.data());
    m_linkPos.erase(key(netns, name));
    moved.netns = toNetns;
    moved.name = newName;
    m_linkPos[key(toNetns, newName)] = pos;
}

void PlanBuilder::removeOwnedBy(const Owner& owner) {
    auto count = m_ownedCount.find(owner);
    if (count == m_ownedCount.end() || count->second == 0) {
        return;
    }
    m_ownedCount.erase(count);
    for (std::size_t i = 0; i < m_plan.namespaces.size(); ++i) {
        if (m_owners.namespaces[i] == owner) {
            m_namespaceNames.erase(m_plan.namespaces[i].name);
        }
    }
    eraseOwned(m_plan.namespaces, m_owners.namespaces, owner);
    if (eraseOwned(m_plan.links, m_owners.links, owner)) {
        m_linkPosStale = true;
    }
    eraseOwned(m_plan.addresses, m_owners.addresses, owner);
    eraseOwned(m_plan.routes, m_owners.routes, owner);
    eraseOwned(m_plan.neighbors, m_owners.neighbors, owner);
    eraseOwned(m_plan.fdb, m_owners.fdb, owner);
    eraseOwned(m_plan.sysctls, m_owners.sysctls, owner);
    eraseOwned(m_plan.chains, m_owners.chains, owner);
    eraseOwned(m_plan.rules, m_owners.rules, owner);
    eraseOwned(m_plan.dns, m_owners.dns, owner);
    eraseOwned(m_plan.listeners, m_owners.listeners, owner);
}

Plan buildPlan(const model::Topology& topo) {
    PlanBuilder plan;
    buildWorld(*topo.scenario, plan);
    const NetworkOptionsMap options = parseAllOptions(topo);
    std::vector<std::unique_ptr<Controller>> controllers;
    for (const auto& host : topo.scenario->hosts) {
        auto c = std::make_unique<Controller>(topo, options, host.name, plan);
        c->startDaemon();
        c->createNetworks();
        c->startContainers();
        controllers.push_back(std::move(c));
    }
    std::vector<const SandboxState*> sandboxes;
    for (const auto& c : controllers) {
        for (const auto& sb : c->sandboxes()) {
            sandboxes.push_back(&sb);
        }
    }
    addServiceDiscovery(topo, sandboxes, plan);
    addListeners(topo, plan);
    return std::move(plan).take();
}

}  // namespace cnmlab::drivers
