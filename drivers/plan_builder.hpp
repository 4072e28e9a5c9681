#pragma once
// Building a Plan: PlanBuilder, the one place drivers and the controller write
// kernel objects into, and buildPlan(), which drives them in Docker's order.
//
// Every object is added on behalf of an owner (a string such as
// "network:host1/front" or "endpoint:<id>"), so the driverapi calls that undo
// something (Leave, DeleteEndpoint, DeleteNetwork, RevokeExternalConnectivity)
// remove exactly what the matching call added: removeOwnedBy(owner).
//
// Netfilter rules are kept in evaluation order per (namespace, table, chain),
// and are written with iptables' own verbs (-C/-I/-A/-D/-P), because where a
// rule lands depends on whether libnetwork inserted or appended it.
//
// Connected routes (the prefix route the kernel adds with each address) are not
// listed in Plan::routes: the address implies them, as in the kernel; sim/
// derives them and plan_text prints them as comments.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "drivers/plan.hpp"
#include "model/topology.hpp"

namespace cnmlab::drivers {

using Owner = std::string;

class PlanBuilder {
public:
    void add(const Owner& owner, Netns ns);   // throws Conflict on a second namespace of that name
    void add(const Owner& owner, Link link);  // throws Conflict on a second link of that name
    void add(const Owner& owner, Address address);
    void add(const Owner& owner, Route route);
    void add(const Owner& owner, Neighbor neighbor);
    void add(const Owner& owner, FdbEntry entry);
    void add(const Owner& owner, NfChain chain);  // iptables -N (no-op if it exists)
    void add(const Owner& owner, DnsRecord record);
    void add(const Owner& owner, Listener listener);
    void add(const Owner& owner, XfrmState state);
    void add(const Owner& owner, XfrmPolicy policy);
    void add(const Owner& owner, IpvsService service);
    // Writes a sysctl: replaces the value when the key is already set in that namespace.
    void set(const Owner& owner, Sysctl sysctl);
    // An exchange with a plugin (not owned: the record stays); its index.
    std::size_t addPluginCall(PluginCall call);
    PluginCall& pluginCall(std::size_t index) { return m_plan.pluginCalls.at(index); }

    // ---- netfilter, as the iptables command does it ---------------------------
    // Rules are kept per chain; Plan::rules lists them chain after chain (chains in
    // the order their first rule came), each chain in evaluation order.
    bool hasRule(const NfRule& rule) const;  // -C: same chain, matches and target
    bool hasChain(std::string_view netns, NfTable table, std::string_view name) const;
    bool insertRule(const Owner& owner, NfRule rule);  // -I: at the top; false if present
    bool appendRule(const Owner& owner, NfRule rule);  // -A: at the end; false if present
    bool deleteRule(const NfRule& rule);               // -D: false if absent
    // -P: the policy of a built-in chain; throws model::Error(NotFound) if absent.
    void setPolicy(std::string_view netns, NfTable table, std::string_view chain,
                   std::string policy);

    // A namespace of that name exists (O(1)).
    bool hasNetns(const std::string& name) const { return m_namespaceNames.count(name) != 0; }

    // ---- links ----------------------------------------------------------------
    bool hasLink(std::string_view netns, std::string_view name) const;
    // Mutable access for the owner of a link (the sandbox sets the MAC it was told).
    // Throws model::Error(NotFound) if absent.
    Link& link(std::string_view netns, std::string_view name);
    // `ip link set NAME netns TO name NEWNAME`: moves one end of a veth into a
    // sandbox under its final name, and keeps the peer's view of it right.
    void moveLink(std::string_view netns, std::string_view name, const std::string& toNetns,
                  const std::string& newName);

    // Removes every object `owner` added (a link takes its addresses with it only
    // when they have the same owner; callers keep them together). Costs a scan of
    // the kinds of objects the owner has, nothing when it has none.
    void removeOwnedBy(const Owner& owner);

    // The Plan so far. Cheap, except that the first call after a rule changed
    // rebuilds Plan::rules (O(rules)).
    const Plan& plan() const;
    Plan take() &&;

private:
    // One chain's rules in evaluation order, with their owners.
    struct ChainRules {
        std::string netns;
        NfTable table = NfTable::Filter;
        std::string chain;
        std::vector<NfRule> rules;
        std::vector<Owner> owners;
    };
    enum Kind : unsigned {
        kNamespaces = 1U << 0,
        kLinks = 1U << 1,
        kAddresses = 1U << 2,
        kRoutes = 1U << 3,
        kNeighbors = 1U << 4,
        kFdb = 1U << 5,
        kSysctls = 1U << 6,
        kChains = 1U << 7,
        kRules = 1U << 8,
        kDns = 1U << 9,
        kListeners = 1U << 10,
        kXfrm = 1U << 11,
        kIpvs = 1U << 12,
    };
    struct Owners {
        std::vector<Owner> namespaces, links, addresses, routes, neighbors, fdb, sysctls, chains,
            dns, listeners, xfrmStates, xfrmPolicies, ipvs;
    };

    static std::string key(std::string_view netns, std::string_view name);
    static std::string chainKey(std::string_view netns, NfTable table, std::string_view chain);
    // The index of a link in m_plan.links, if present.
    std::optional<std::size_t> linkPos(std::string_view netns, std::string_view name) const;
    ChainRules* chainRules(const NfRule& rule);
    const ChainRules* chainRules(const NfRule& rule) const;
    ChainRules& chainRulesFor(const NfRule& rule);  // created when absent
    void owned(const Owner& owner, Kind kind) { m_ownedKinds[owner] |= kind; }
    void syncRules() const;

    // mutable: plan() materialises Plan::rules from m_ruleChains when stale.
    mutable Plan m_plan;
    Owners m_owners;
    std::vector<ChainRules> m_ruleChains;
    std::unordered_map<std::string, std::size_t> m_ruleChainIndex;  // chainKey() -> index
    mutable bool m_rulesStale = false;
    // Indexes that keep building linear in the size of the Plan.
    std::unordered_map<Owner, unsigned> m_ownedKinds;  // Kind bits per owner
    std::unordered_set<std::string> m_namespaceNames;
    mutable std::unordered_map<std::string, std::size_t> m_linkPos;  // key() -> index in links
    mutable bool m_linkPosStale = false;                             // after a removal
    std::unordered_set<std::string> m_addressedDevs;  // key() of devs given an address
};

// What Docker 20.10 builds for a resolved topology: the world (every Docker host
// as a namespace on one LAN, externals, the router), then on each host what
// dockerd does at start (the bridge driver's chains, the predefined networks),
// the scenario's networks in the order resolve() allocated them, and the
// containers in file order, each joining its networks (see controller.hpp).
// Throws model::Error: Invalid for a bad driver option, Unsupported for a
// network whose driver cnmlab does not implement yet, Conflict for a published
// port allocated twice or a name taken by two namespaces.
Plan buildPlan(const model::Topology& topo);

}  // namespace cnmlab::drivers
