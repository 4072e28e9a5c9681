// cnmlab's side of the swarm recorder's host, iptables and xfrm facts.
#include <map>
#include <set>

#include "drivers/overlay_driver.hpp"
#include "drivers/plan_text.hpp"
#include "tests/conformance/swarm_answers.hpp"
#include "tests/conformance/swarm_answers_detail.hpp"

namespace cnmlab::conformance::detail {

using nlohmann::json;

namespace {

// ---- hosts --------------------------------------------------------------------------

// A host's device as the recorder writes it: the network key of a bridge, else the name.
std::string hostDevice(const Loaded& l, const std::string& host, const std::string& dev) {
    for (const auto& n : l.topology.networks) {
        const drivers::Address* a = bridgeAddress(l, n, host);
        if (a != nullptr && a->dev == dev) {
            return n.predefined ? std::string("bridge") : n.key;
        }
    }
    return dev == "docker0" ? "bridge" : dev;
}

// iptables-save of a host's table as the recorder keeps it: chain lines
// (":CHAIN POLICY", "-" for user chains) and rules.
std::vector<std::string> saved(const Loaded& l, const std::string& host, drivers::NfTable table) {
    std::vector<std::string> out;
    const auto chains = drivers::chainsInSaveOrder(l.plan, host, table);
    for (const auto* c : chains) {
        out.push_back(":" + c->name + " " + (c->builtin ? c->policy : "-"));
    }
    for (const auto* c : chains) {
        for (const auto& r : l.plan.rules) {
            if (r.netns == host && r.table == table && r.chain == c->name) {
                out.push_back(drivers::ruleSpec(r));
            }
        }
    }
    return out;
}

}  // namespace

json hostFact(const Loaded& l, const std::string& host, const std::string& field) {
    const model::HostSpec* h = l.scenario.findHost(host);
    if (h == nullptr) {
        return "(no host)";
    }
    if (field == "role") {
        return h == &l.scenario.hosts.front() ? "manager" : "worker";
    }
    if (field == "address") {
        return h->underlay.address.str();
    }
    if (field == "ip_forward") {
        return sysctl(l, host, "net.ipv4.ip_forward");
    }
    if (field == "routes") {
        return routesIn(
            l, host, [&](const std::string& dev) { return "(" + hostDevice(l, host, dev) + ")"; });
    }
    if (field == "devices") {
        std::vector<std::string> out;
        for (const auto& link : l.plan.links) {
            if (link.netns == host && link.kind != drivers::LinkKind::Loopback &&
                (link.kind != drivers::LinkKind::Veth || link.name == "eth0")) {
                out.push_back(
                    fmt::format("{} {} mtu {}", link.name, kindName(link.kind), link.mtu));
            }
        }
        return out;
    }
    if (field == "networks") {
        // docker network ls: every network the node has; the manager lists every overlay.
        std::set<std::string> keys = {"bridge", "host", "none"};
        const bool manager = h == &l.scenario.hosts.front();
        for (const auto& n : l.topology.networks) {
            const bool swarmScope = n.scope == "swarm";
            const bool on = std::find(n.hosts.begin(), n.hosts.end(), host) != n.hosts.end();
            if (!n.predefined && (on || (swarmScope && manager))) {
                if (swarmScope && !n.implicit && !manager &&
                    l.plan.findNetns(drivers::overlayNamespace(n, host)) == nullptr) {
                    continue;
                }
                keys.insert(n.key);
            }
        }
        return std::vector<std::string>(keys.begin(), keys.end());
    }
    return kNotCompared;
}

json iptablesFact(const Loaded& l, const json& fact) {
    const std::string id = fact.at("id");  // ipt/HOST/TABLE[/docker_gwbridge]
    const std::string host = fact.at("host");
    const std::string rest = id.substr(std::string("ipt/").size() + host.size() + 1);
    const std::string table = rest.substr(0, rest.find('/'));
    const drivers::NfTable t = table == "nat"      ? drivers::NfTable::Nat
                               : table == "mangle" ? drivers::NfTable::Mangle
                                                   : drivers::NfTable::Filter;
    std::vector<std::string> lines = saved(l, host, t);
    if (t == drivers::NfTable::Mangle && lines.empty()) {
        // The Plan lists mangle's chains only where Docker adds rules; the
        // table's built-in chains are there regardless.
        for (const char* c : {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}) {
            lines.push_back(std::string(":") + c + " ACCEPT");
        }
    }
    if (rest.find("/docker_gwbridge") == std::string::npos) {
        return lines;
    }
    const model::NetworkInstance* gw = networkOf(l, "docker_gwbridge");
    const std::string subnet = gw != nullptr && gw->subnet ? gw->subnet->networkStr() : "?";
    std::vector<std::string> kept;
    for (const auto& line : lines) {
        if (line.front() != ':' && (line.find("docker_gwbridge") != std::string::npos ||
                                    line.find(subnet) != std::string::npos)) {
            kept.push_back(line);
        }
    }
    return kept;
}

// `ip xfrm state` / `ip xfrm policy` of a host, as the recorder wrote them
// (SPIs and keys blanked).
json xfrmFact(const Loaded& l, const json& fact) {
    const std::string id = fact.at("id");
    const std::string host = fact.at("host");
    std::vector<std::string> out;
    if (id.ends_with("/state")) {
        for (const auto& x : l.plan.xfrmStates) {
            if (x.netns == host) {
                out.push_back(fmt::format("src {} dst {} proto esp spi <spi> reqid {} mode "
                                          "transport",
                                          x.src.str(), x.dst.str(), x.reqid));
            }
        }
        return out;
    }
    if (id.ends_with("/policy")) {
        for (const auto& p : l.plan.xfrmPolicies) {
            if (p.netns == host) {
                out.push_back(fmt::format(
                    "src {} dst {} proto udp dport {} dir out priority 0 ptype main mark "
                    "0x{:x}/0x{:x} tmpl src {} dst {} proto esp spi <spi> reqid {} mode transport",
                    p.src.str(), p.dst.str(), p.dport, p.mark, p.markMask, p.tmplSrc.str(),
                    p.tmplDst.str(), p.reqid));
            }
        }
        return out;
    }
    return kNotCompared;  // stat: packet counters
}

}  // namespace cnmlab::conformance::detail
