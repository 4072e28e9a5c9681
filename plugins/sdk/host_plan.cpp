#include "plugins/sdk/host_plan.hpp"

#include <algorithm>

#include "drivers/plan_json.hpp"

namespace cnmlab::plugins {

namespace {
HostPlan::Json change(const char* op, const drivers::Owner& owner, const char* kind,
                      HostPlan::Json object) {
    HostPlan::Json c = HostPlan::Json::object();
    c["Op"] = op;
    c["Owner"] = owner;
    c["Kind"] = kind;
    c["Object"] = std::move(object);
    return c;
}
}  // namespace

void HostPlan::record(Json c) {
    const std::string owner = c["Owner"].get<std::string>();
    m_standing.emplace_back(owner, c);
    if (m_listener) {
        m_listener(c);
    }
    m_journal.push_back(std::move(c));
}

void HostPlan::add(const Owner& owner, const drivers::Link& v) {
    m_builder.add(owner, v);
    record(change("add", owner, "link", drivers::toJson(v)));
}
void HostPlan::add(const Owner& owner, const drivers::Address& v) {
    m_builder.add(owner, v);
    record(change("add", owner, "address", drivers::toJson(v)));
}
void HostPlan::add(const Owner& owner, const drivers::Route& v) {
    m_builder.add(owner, v);
    record(change("add", owner, "route", drivers::toJson(v)));
}
void HostPlan::add(const Owner& owner, const drivers::Route& v, const std::string& note) {
    m_builder.add(owner, v);
    Json c = change("add", owner, "route", drivers::toJson(v));
    c["Note"] = note;
    record(std::move(c));
}

void HostPlan::add(const Owner& owner, const drivers::Neighbor& v) {
    m_builder.add(owner, v);
    record(change("add", owner, "neighbor", drivers::toJson(v)));
}
void HostPlan::add(const Owner& owner, const drivers::FdbEntry& v) {
    m_builder.add(owner, v);
    record(change("add", owner, "fdb", drivers::toJson(v)));
}
void HostPlan::add(const Owner& owner, const drivers::FdbEntry& v, const std::string& note) {
    m_builder.add(owner, v);
    Json c = change("add", owner, "fdb", drivers::toJson(v));
    c["Note"] = note;
    record(std::move(c));
}

void HostPlan::add(const Owner& owner, const drivers::NfChain& v) {
    m_builder.add(owner, v);
    record(change("add", owner, "chain", drivers::toJson(v)));
}
void HostPlan::set(const Owner& owner, const drivers::Sysctl& v) {
    m_builder.set(owner, v);
    record(change("set", owner, "sysctl", drivers::toJson(v)));
}
void HostPlan::appendRule(const Owner& owner, const drivers::NfRule& v) {
    if (m_builder.appendRule(owner, v)) {
        record(change("append", owner, "rule", drivers::toJson(v)));
    }
}

void HostPlan::insertRule(const Owner& owner, const drivers::NfRule& v) {
    if (m_builder.insertRule(owner, v)) {
        record(change("insert", owner, "rule", drivers::toJson(v)));
    }
}

bool HostPlan::owns(const Owner& owner) const {
    return std::any_of(m_standing.begin(), m_standing.end(),
                       [&](const auto& s) { return s.first == owner; });
}

void HostPlan::removeOwnedBy(const Owner& owner) {
    Json gone = Json::array();
    for (auto it = m_standing.begin(); it != m_standing.end();) {
        if (it->first == owner) {
            Json o = Json::object();
            o["Kind"] = it->second["Kind"];
            o["Object"] = it->second["Object"];
            gone.push_back(std::move(o));
            it = m_standing.erase(it);
        } else {
            ++it;
        }
    }
    if (gone.empty()) {
        return;
    }
    m_builder.removeOwnedBy(owner);
    Json c = Json::object();
    c["Op"] = "remove";
    c["Owner"] = owner;
    c["Objects"] = std::move(gone);
    if (m_listener) {
        m_listener(c);
    }
    m_journal.push_back(std::move(c));
}

std::vector<HostPlan::Json> HostPlan::changesSince(std::size_t since) const {
    if (since >= m_journal.size()) {
        return {};
    }
    return {m_journal.begin() + static_cast<std::ptrdiff_t>(since), m_journal.end()};
}

}  // namespace cnmlab::plugins
