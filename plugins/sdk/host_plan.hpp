#pragma once
// What a plugin builds in its host's network namespace, as Plan objects, and
// the journal of every change, in order. cnmlab reads the journal through the
// protocol's extension call (`/CnmlabPlan.Changes`, remote_driver.hpp) and
// replays it into the scenario's Plan, so the simulation runs exactly what the
// plugin would build; under real Docker the plugin hands each change to the
// live executor (kernel_apply.hpp) as it makes it.
//
// Every object's `netns` is "" — the namespace the plugin runs in, which
// cnmlab maps to the host's. Objects are added on behalf of an owner
// ("network:ID", "endpoint:ID", "peer:ADDRESS"), and removeOwnedBy() removes
// what one owner added, as the plugin's DeleteEndpoint or Leave does.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "drivers/plan_builder.hpp"
#include "drivers/remote_api.hpp"

namespace cnmlab::plugins {

class HostPlan {
public:
    using Json = drivers::remote::Json;
    using Owner = drivers::Owner;
    // Called with each change as it is journalled (the live applier).
    using Listener = std::function<void(const Json& change)>;

    void add(const Owner& owner, const drivers::Link& v);
    void add(const Owner& owner, const drivers::Address& v);
    void add(const Owner& owner, const drivers::Route& v);
    // With a note: a control-plane step (a route BGP brought) that cnmlab
    // shows where a packet first meets the route's device.
    void add(const Owner& owner, const drivers::Route& v, const std::string& note);
    void add(const Owner& owner, const drivers::Neighbor& v);
    void add(const Owner& owner, const drivers::FdbEntry& v);
    void add(const Owner& owner, const drivers::FdbEntry& v, const std::string& note);
    void add(const Owner& owner, const drivers::NfChain& v);
    void set(const Owner& owner, const drivers::Sysctl& v);
    void appendRule(const Owner& owner, const drivers::NfRule& v);
    // iptables -I: at the top of its chain (before a chain's closing verdict).
    void insertRule(const Owner& owner, const drivers::NfRule& v);
    // Removes every object `owner` added; the change lists them.
    void removeOwnedBy(const Owner& owner);

    bool hasLink(const std::string& name) const { return m_builder.hasLink("", name); }
    bool owns(const Owner& owner) const;
    const drivers::Plan& plan() const { return m_builder.plan(); }

    // The changes from index `since` on, as the extension's reply lists them:
    // {"Op": "add"|"set"|"append"|"insert"|"remove", "Owner": ..., "Kind": ...,
    //  "Object": {...}} ("remove" carries "Objects": what went).
    std::vector<Json> changesSince(std::size_t since) const;
    std::size_t size() const { return m_journal.size(); }

    void setListener(Listener listener) { m_listener = std::move(listener); }

private:
    void record(Json change);

    drivers::PlanBuilder m_builder;
    std::vector<Json> m_journal;
    // Each owner's changes still standing, for what "remove" takes away.
    std::vector<std::pair<Owner, Json>> m_standing;
    Listener m_listener;
};

}  // namespace cnmlab::plugins
