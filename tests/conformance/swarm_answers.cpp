// cnmlab's side of the swarm recorder's facts (see swarm_answers.hpp).
#include "tests/conformance/swarm_answers.hpp"

#include "tests/conformance/swarm_answers_detail.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "drivers/driver_options.hpp"
#include "drivers/overlay_driver.hpp"
#include "drivers/plan_text.hpp"
#include "model/error.hpp"

namespace cnmlab::conformance {

using nlohmann::json;

namespace detail {

const model::NetworkInstance* networkOf(const Loaded& l, const std::string& key) {
    return l.topology.findNetwork(key == "bridge" ? l.scenario.predefinedKey("bridge") : key);
}

// "docker network inspect" names a swarm network's id as <KEY.id[:N]>.
std::string withoutHost(const std::string& ns) {
    return ns.substr(0, ns.find('@'));
}

std::vector<const drivers::Address*> addressesIn(const Loaded& l, const std::string& ns) {
    std::vector<const drivers::Address*> out;
    for (const auto& a : l.plan.addresses) {
        if (a.netns == ns && a.dev != "lo") {
            out.push_back(&a);
        }
    }
    return out;
}

int mtuOf(const Loaded& l, const std::string& ns, const std::string& dev) {
    const drivers::Link* link = l.plan.findLink(ns, dev);
    return link != nullptr ? link->mtu : 0;
}

std::string sysctl(const Loaded& l, const std::string& ns, const std::string& key) {
    for (const auto& s : l.plan.sysctls) {
        if (s.netns == ns && s.key == key) {
            return s.value;
        }
    }
    return "0";
}

std::string kindName(drivers::LinkKind k) {
    switch (k) {
    case drivers::LinkKind::Bridge:
        return "bridge";
    case drivers::LinkKind::Veth:
        return "veth";
    case drivers::LinkKind::Vxlan:
        return "vxlan";
    case drivers::LinkKind::Macvlan:
        return "macvlan";
    case drivers::LinkKind::Ipvlan:
        return "ipvlan";
    case drivers::LinkKind::Dummy:
        return "dummy";
    case drivers::LinkKind::Loopback:
        return "loopback";
    case drivers::LinkKind::Vlan:
        return "vlan";
    }
    return "?";
}

// The recorder writes a user bridge's random name as br-<KEY@HOST.id[:12]>;
// cnmlab's deterministic one is written the same way.
// The bridge of a local network on one host: found by the network's subnet
// among the host's addresses (docker0 and docker_gwbridge by name).
const drivers::Address* bridgeAddress(const Loaded& l, const model::NetworkInstance& n,
                                      const std::string& host) {
    for (const auto* a : addressesIn(l, host)) {
        const drivers::Link* link = l.plan.findLink(host, a->dev);
        if (link == nullptr || link->kind != drivers::LinkKind::Bridge) {
            continue;
        }
        if ((n.predefined && a->dev == "docker0") || (n.implicit && a->dev == "docker_gwbridge") ||
            (!n.predefined && !n.implicit && n.subnet && n.subnet->contains(a->cidr.address))) {
            return a;
        }
    }
    return nullptr;
}

json withBridgeIds(const Loaded& l, const std::string& host, json v) {
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& n : l.topology.networks) {
        if (n.driver == "bridge" && !n.predefined && !n.implicit) {
            if (const drivers::Address* a = bridgeAddress(l, n, host)) {
                names.emplace_back(a->dev, "br-<" + n.key + "@" + host + ".id[:12]>");
            }
        }
    }
    auto fix = [&](std::string text) {
        for (const auto& [dev, placeholder] : names) {
            for (auto at = text.find(dev); at != std::string::npos; at = text.find(dev, at)) {
                text.replace(at, dev.size(), placeholder);
                at += placeholder.size();
            }
        }
        return text;
    };
    if (v.is_string()) {
        return fix(v.get<std::string>());
    }
    if (v.is_array()) {
        for (auto& e : v) {
            if (e.is_string()) {
                e = fix(e.get<std::string>());
            }
        }
    }
    return v;
}

}  // namespace detail

namespace {

using namespace detail;

// ---- networks ----------------------------------------------------------------

json swarmNetwork(const Loaded& l, const std::string& key, const std::string& field) {
    const model::NetworkInstance* n = networkOf(l, key);
    if (n == nullptr) {
        return "(no network)";
    }
    if (field == "attachable") {
        return n->attachable;
    }
    if (field == "ingress") {
        return n->ingress;
    }
    if (field == "scope") {
        return n->scope;
    }
    if (field == "vni") {
        return json::array({n->vni});
    }
    if (field == "name") {
        return n->name;
    }
    if (field == "encrypted") {
        const auto opts = drivers::parseDriverOptions(*n);
        const auto* o = std::get_if<drivers::OverlayOptions>(&opts);
        return o != nullptr && o->encrypted;
    }
    if (field == "internal") {
        return n->internal;
    }
    if (field == "subnet") {
        return n->subnet ? json(n->subnet->networkStr()) : json("(none)");
    }
    if (field == "gateway") {
        return n->gateway ? json(n->gateway->str()) : json("");
    }
    return kNotCompared;
}

json localNetwork(const Loaded& l, const std::string& key, const std::string& host,
                  const std::string& field) {
    const model::NetworkInstance* n = networkOf(l, key);
    if (key == "bridge" && n == nullptr) {
        static model::NetworkInstance docker0;
        docker0.predefined = true;
        n = &docker0;
    }
    const drivers::Address* a = n != nullptr ? bridgeAddress(l, *n, host) : nullptr;
    if (a == nullptr) {
        return "(no bridge)";
    }
    if (field == "subnet") {
        return a->cidr.networkStr();
    }
    if (field == "gateway") {
        return a->cidr.address.str();
    }
    if (field == "internal") {
        return n->internal;
    }
    if (field == "device") {
        return a->dev;
    }
    if (field == "mtu") {
        return mtuOf(l, host, a->dev);
    }
    if (field == "options" && n->implicit) {
        const auto opts = drivers::parseDriverOptions(*n);
        const auto& o = std::get<drivers::BridgeOptions>(opts);
        return json{{"com.docker.network.bridge.enable_icc", o.enableIcc ? "true" : "false"},
                    {"com.docker.network.bridge.enable_ip_masquerade",
                     o.enableIpMasquerade ? "true" : "false"},
                    {"com.docker.network.bridge.name", o.bridgeName}};
    }
    return kNotCompared;
}

// ---- endpoints: the fields of the container's own interfaces ------------------

json endpointInterface(const Loaded& l, const json& fact) {
    const model::Container* c = l.topology.findContainer(fact.at("service").get<std::string>());
    if (c == nullptr) {
        return "(no container)";
    }
    const std::string field = fact.at("field");
    if (field == "name") {
        return kNotCompared;  // gateway_<sandbox id>: Docker's random id
    }
    if (field == "interfaces") {
        std::vector<std::string> out;
        for (const auto* a : addressesIn(l, c->netns)) {
            for (const auto& ep : c->endpoints) {
                if (ep.ipv4 == a->cidr.address) {
                    out.push_back(fmt::format("{} {} mtu {}", a->dev, ep.network,
                                              mtuOf(l, c->netns, a->dev)));
                }
            }
        }
        return out;
    }
    const std::string key = fact.at("network");
    for (const auto& ep : c->endpoints) {
        if (ep.network != key) {
            continue;
        }
        for (const auto* a : addressesIn(l, c->netns)) {
            if (a->cidr.address == ep.ipv4) {
                return field == "ifname" ? json(a->dev) : json(mtuOf(l, c->netns, a->dev));
            }
        }
    }
    return "(no endpoint)";
}

// ---- load balancers ---------------------------------------------------------------

json loadBalancer(const Loaded& l, const std::string& key, const std::string& host,
                  const std::string& field) {
    const model::NetworkInstance* n = networkOf(l, key);
    const model::LoadBalancer* lb =
        n != nullptr ? l.topology.findLoadBalancer(n->key, host) : nullptr;
    if (lb == nullptr) {
        return "(no load balancer)";
    }
    const std::string ns = drivers::loadBalancerNamespace(*n, host);
    if (field == "ipv4") {
        return lb->endpoint.ipv4.str();
    }
    if (field == "prefix") {
        return lb->endpoint.prefix;
    }
    if (field == "mac") {
        return model::macStr(lb->endpoint.mac);
    }
    if (field == "key") {
        return n->ingress ? std::string("ingress-sbox") : "lb-" + n->name;
    }
    if (field == "name") {
        return n->ingress ? std::string("ingress-endpoint") : n->name + "-endpoint";
    }
    if (field == "sandbox") {
        const std::string base = withoutHost(ns);
        const std::string id = n->id.substr(0, 9);
        const auto at = base.find(id);
        return at == std::string::npos
                   ? base
                   : base.substr(0, at) + "<" + key + ".id[:9]>" + base.substr(at + id.size());
    }
    if (field == "interfaces") {
        std::vector<std::string> out;
        for (const auto* a : addressesIn(l, ns)) {
            out.push_back(fmt::format("{} {} mtu {}", a->dev, a->cidr.str(), mtuOf(l, ns, a->dev)));
        }
        return out;
    }
    if (field == "routes") {
        return routesIn(l, ns, [](const std::string& dev) { return "dev " + dev; });
    }
    return kNotCompared;  // iptables: the embedded DNS server's rules are not in the Plan
}

// ---- the overlay's namespace on a host ---------------------------------------------

json overlay(const Loaded& l, const std::string& key, const std::string& host,
             const std::string& field) {
    const model::NetworkInstance* n = networkOf(l, key);
    if (n == nullptr) {
        return "(no network)";
    }
    const std::string ns = drivers::overlayNamespace(*n, host);
    const bool here = l.plan.findNetns(ns) != nullptr;
    if (field == "peers") {
        std::vector<std::string> hosts;  // networkdb tells only the nodes on the network
        if (!here) {
            return hosts;
        }
        for (const auto& h : l.scenario.hosts) {
            if (l.plan.findNetns(drivers::overlayNamespace(*n, h.name)) != nullptr) {
                hosts.push_back(h.name);
            }
        }
        return hosts;
    }
    if (field == "namespace") {
        return here ? json("1-<" + key + ".id[:10]>") : json(nullptr);
    }
    if (!here) {
        return nullptr;
    }
    const drivers::Link* br = l.plan.findLink(ns, "br0");
    const drivers::Link* vx = l.plan.findLink(ns, "vxlan0");
    if (field == "bridge") {
        std::vector<std::string> addrs;
        for (const auto* a : addressesIn(l, ns)) {
            if (a->dev == "br0") {
                addrs.push_back(a->cidr.str());
            }
        }
        return json{{"name", "br0"}, {"mtu", br != nullptr ? br->mtu : 0}, {"addresses", addrs}};
    }
    if (field == "vxlan") {
        if (vx == nullptr) {
            return nullptr;
        }
        return json{{"name", vx->name},     {"master", vx->master},
                    {"mtu", vx->mtu},       {"id", vx->vni},
                    {"port", vx->dstPort},  {"learning", vx->learning},
                    {"proxy", vx->proxy},   {"l2miss", vx->l2miss},
                    {"l3miss", vx->l3miss}, {"ageing", vx->ageingSeconds}};
    }
    if (field == "devices") {
        std::vector<std::string> out;
        for (const auto& link : l.plan.links) {
            if (link.netns != ns || link.kind == drivers::LinkKind::Loopback) {
                continue;
            }
            std::string line = link.name + " " + kindName(link.kind);
            if (!link.master.empty()) {
                line += " master " + link.master;
            }
            line += fmt::format(" mtu {}", link.mtu);
            for (const auto* a : addressesIn(l, ns)) {
                if (a->dev == link.name) {
                    line += " " + a->cidr.str();
                }
            }
            out.push_back(line);
        }
        return out;
    }
    std::map<std::string, std::string> vtepOf;  // MAC -> VTEP
    std::vector<std::string> fdb;
    for (const auto& f : l.plan.fdb) {
        if (f.netns == ns && f.remote) {
            vtepOf[model::macStr(f.mac)] = f.remote->str();
            fdb.push_back(
                fmt::format("{} dev {} dst {}", model::macStr(f.mac), f.dev, f.remote->str()));
        }
    }
    if (field == "fdb") {
        return fdb;
    }
    std::vector<std::string> neigh;
    std::vector<std::string> programmed;
    for (const auto& nb : l.plan.neighbors) {
        if (nb.netns == ns) {
            const std::string mac = model::macStr(nb.mac);
            neigh.push_back(fmt::format("{} lladdr {} dev {}", nb.ip.str(), mac, nb.dev));
            programmed.push_back(fmt::format("neigh {} {}, then fdb {} dst {}", nb.ip.str(), mac,
                                             mac, vtepOf.count(mac) ? vtepOf[mac] : "?"));
        }
    }
    if (field == "neigh") {
        return neigh;
    }
    if (field == "programmed") {
        return programmed;
    }
    if (field == "routes") {
        return routesIn(l, ns, [](const std::string& dev) { return "dev " + dev; });
    }
    if (field == "iptables") {
        json tables = json::object();
        for (const auto& r : l.plan.rules) {
            if (r.netns == ns) {
                tables[r.table == drivers::NfTable::Nat ? "nat" : "filter"].push_back(
                    drivers::ruleSpec(r));
            }
        }
        return tables;
    }
    if (field == "ip_forward") {
        return sysctl(l, ns, "net.ipv4.ip_forward");
    }
    return kNotCompared;  // vxlan_created_as: the name before the move is not in the Plan
}

// "network NAME not manually attachable", the part of Docker's refusal both
// sides must say; the message itself is Docker's.
std::string attachableRefusal(const std::string& text) {
    const auto end = text.find(" not manually attachable");
    if (end == std::string::npos) {
        return text;
    }
    const auto begin = text.rfind("network ", end);
    return begin == std::string::npos
               ? text
               : text.substr(begin, end - begin) + " not manually attachable";
}

}  // namespace

json swarmAnswer(const Loaded& l, const json& fact, std::string& reason,
                 const std::string& refused) {
    const std::string kind = fact.at("kind");
    const std::string field = fact.value("field", "");
    if (kind == "network") {
        return fact.contains("host")
                   ? withBridgeIds(l, fact.at("host"),
                                   localNetwork(l, fact.at("network"), fact.at("host"), field))
                   : swarmNetwork(l, fact.at("network"), field);
    }
    if (kind == "endpoint") {
        return endpointInterface(l, fact);
    }
    if (kind == "lb") {
        return loadBalancer(l, fact.at("network"), fact.at("host"), field);
    }
    if (kind == "overlay") {
        return overlay(l, fact.at("network"), fact.at("host"), field);
    }
    if (kind == "host") {
        return withBridgeIds(l, fact.at("host"), hostFact(l, fact.at("host"), field));
    }
    if (kind == "iptables") {
        return withBridgeIds(l, fact.at("host"), iptablesFact(l, fact));
    }
    if (kind == "xfrm") {
        return xfrmFact(l, fact);
    }
    if (kind == "error") {
        return refused.empty() ? json("(accepted)") : json(attachableRefusal(refused));
    }
    if (kind == "reach") {
        const model::Proto proto =
            fact.at("proto") == "tcp" ? model::Proto::Tcp : model::Proto::Icmp;
        std::optional<int> port;
        if (!fact.at("port").is_null()) {
            port = fact.at("port").get<int>();
        }
        try {
            const sim::ProbeRecord r =
                l.sim->probe(fact.at("from"), fact.at("dst"), proto, port, std::nullopt, false);
            reason = r.reason.en;
            return r.reachable ? "reachable" : "unreachable";
        } catch (const model::Error& e) {
            return std::string("error: ") + e.what();
        }
    }
    return kNotCompared;  // swarm pools, timing: constants and clocks, not modelled
}

json swarmDocker(const json& fact) {
    const std::string kind = fact.at("kind");
    if (kind == "error") {
        return attachableRefusal(fact.at("value"));
    }
    if (kind == "overlay" && fact.value("field", "") == "vxlan" && fact.at("value").is_object()) {
        json kept = json::object();  // the fields the Plan's vxlan link has
        for (const char* k : {"name", "master", "mtu", "id", "port", "learning", "proxy", "l2miss",
                              "l3miss", "ageing"}) {
            if (fact.at("value").contains(k)) {
                kept[k] = fact.at("value").at(k);
            }
        }
        return kept;
    }
    return fact.value("value", json());
}

}  // namespace cnmlab::conformance
