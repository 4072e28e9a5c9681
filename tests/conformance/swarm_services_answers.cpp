// cnmlab's side of the swarm recorder's service facts (see swarm_services_answers.hpp).
#include "tests/conformance/swarm_services_answers.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "drivers/overlay_driver.hpp"
#include "drivers/plan_text.hpp"
#include "model/error.hpp"
#include "tests/conformance/swarm_answers.hpp"

namespace cnmlab::conformance {

using nlohmann::json;

namespace {

// ---- services: docker service inspect ------------------------------------------

// The aliases the service has on `network` (`--network name=NET,alias=KEY`
// plus the file's aliases), as the recorder writes them: "KEY aliases A,B".
std::string networkEntry(const model::SwarmService& s, const std::string& network) {
    std::vector<std::string> aliases{s.key};
    for (const auto& sn : s.spec->networks) {
        if (sn.key != network) {
            continue;
        }
        for (const auto& a : sn.aliases) {
            if (std::find(aliases.begin(), aliases.end(), a) == aliases.end()) {
                aliases.push_back(a);
            }
        }
    }
    return fmt::format("{} aliases {}", network, fmt::join(aliases, ","));
}

json service(const Loaded& l, const std::string& key, const std::string& field) {
    const model::SwarmService* s = l.topology.findService(key);
    if (s == nullptr) {
        return "(no service)";
    }
    if (field == "name") {
        return s->name;
    }
    if (field == "mode") {
        return s->global ? "global" : "replicated";
    }
    if (field == "replicas") {
        return s->global ? json(nullptr) : json(s->replicas);
    }
    if (field == "endpoint_mode") {
        return s->dnsrr ? "dnsrr" : "vip";
    }
    if (field == "vips") {
        json vips = json::object();
        for (const auto& v : s->vips) {
            vips[v.network] = fmt::format("{}/{}", v.ipv4.str(), v.prefix);
        }
        return vips;
    }
    if (field == "published") {
        std::vector<std::string> out;
        for (const auto& p : s->published) {
            out.push_back(fmt::format("{}:{}/{} {}", p.published, p.target,
                                      model::protoName(p.proto), p.hostMode ? "host" : "ingress"));
        }
        return out;
    }
    if (field == "constraints") {
        std::vector<std::string> out;
        for (const auto& c : s->spec->deploy->constraints) {
            out.push_back(c.text);
        }
        return out;
    }
    if (field == "networks") {
        std::vector<std::string> out;
        for (const auto& n : s->networks) {
            out.push_back(networkEntry(*s, n));
        }
        return out;
    }
    return kNotCompared;
}

// ---- tasks: docker inspect --type task -------------------------------------------

const model::Container* task(const Loaded& l, const std::string& name) {
    const model::Container* c = l.topology.findContainer(name);
    return c != nullptr && !c->task.empty() ? c : nullptr;
}

// Docker's container name for a task with the ids written as the recorder
// writes them: PROJECT_KEY.SLOT.<KEY.SLOT.task.id>, or for a global service
// PROJECT_KEY.<HOST.node.id>.<KEY.HOST.task.id>.
std::string taskName(const Loaded& l, const model::Container& c) {
    const model::SwarmService* s = l.topology.findService(c.task);
    if (s != nullptr && s->global) {
        return fmt::format("{}.<{}.node.id>.<{}.task.id>", s->name, c.host, c.service);
    }
    return fmt::format("{}.<{}.task.id>", c.name, c.service);
}

json taskFact(const Loaded& l, const std::string& name, const std::string& field) {
    const model::Container* c = task(l, name);
    if (c == nullptr) {
        return "(no task)";
    }
    if (field == "host") {
        return c->host;
    }
    if (field == "state") {
        return "running";  // cnmlab starts every task it places
    }
    if (field == "error") {
        return "";
    }
    if (field == "name") {
        return taskName(l, *c);
    }
    return kNotCompared;
}

// ---- sandboxes' rules ---------------------------------------------------------------

// A namespace's rules by table as the recorder keeps them: iptables-save's
// rule lines in its order, tables without rules left out.
json sandboxRules(const Loaded& l, const std::string& ns) {
    json out = json::object();
    for (const drivers::NfTable t :
         {drivers::NfTable::Filter, drivers::NfTable::Nat, drivers::NfTable::Mangle}) {
        std::vector<std::string> lines;
        for (const auto* c : drivers::chainsInSaveOrder(l.plan, ns, t)) {
            for (const auto& r : l.plan.rules) {
                if (r.netns == ns && r.table == t && r.chain == c->name) {
                    lines.push_back(drivers::ruleSpec(r));
                }
            }
        }
        if (!lines.empty()) {
            out[drivers::tableName(t)] = lines;
        }
    }
    return out;
}

// ---- load balancers: IPVS ---------------------------------------------------------------

// /proc/net/ip_vs in the sandbox, as the kernel prints it (ip_vs_ctl.c
// ip_vs_info_seq_show): a fwmark service per VIP, each task a masquerading
// real server of weight 1, no connections counted.
json ipvsTable(const Loaded& l, const std::string& ns) {
    std::vector<std::string> lines{"IP Virtual Server version 1.2.1 (size=4096)",
                                   "Prot LocalAddress:Port Scheduler Flags",
                                   "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn"};
    for (const auto& v : l.plan.ipvs) {
        if (v.netns != ns) {
            continue;
        }
        lines.push_back(fmt::format("FWM  {:08X} {} ", v.fwmark, v.scheduler));
        for (const auto& r : v.reals) {
            lines.push_back(fmt::format("  -> {:08X}:{:04X}      {:<7} {:<6} {:<10} {:<10}",
                                        r.value(), 0, "Masq", 1, 0, 0));
        }
    }
    return lines;
}

json loadBalancerFact(const Loaded& l, const std::string& key, const std::string& host,
                      const std::string& field) {
    const model::NetworkInstance* n = l.topology.findNetwork(key);
    if (n == nullptr || l.topology.findLoadBalancer(n->key, host) == nullptr) {
        return "(no load balancer)";
    }
    const std::string ns = drivers::loadBalancerNamespace(*n, host);
    return field == "ipvs" ? ipvsTable(l, ns) : sandboxRules(l, ns);
}

// ---- reach to a VIP -----------------------------------------------------------------------

json reachVip(const Loaded& l, const json& fact, std::string& reason) {
    const json& target = fact.at("target");
    const model::SwarmService* s = l.topology.findService(target.at("vip").get<std::string>());
    const model::ServiceVip* vip =
        s != nullptr ? s->vipOn(target.at("network").get<std::string>()) : nullptr;
    if (vip == nullptr) {
        return "(no VIP)";
    }
    const model::Proto proto = fact.at("proto") == "tcp" ? model::Proto::Tcp : model::Proto::Icmp;
    std::optional<int> port;
    if (!fact.at("port").is_null()) {
        port = fact.at("port").get<int>();
    }
    try {
        const sim::ProbeRecord r =
            l.sim->probe(fact.at("from"), vip->ipv4.str(), proto, port, std::nullopt, false);
        reason = r.reason.en;
        return r.reachable ? "reachable" : "unreachable";
    } catch (const model::Error& e) {
        return std::string("error: ") + e.what();
    }
}

}  // namespace

std::optional<json> servicesAnswer(const Loaded& l, const json& fact, std::string& reason) {
    const std::string kind = fact.at("kind");
    const std::string field = fact.value("field", "");
    if (kind == "service") {
        return service(l, fact.at("service"), field);
    }
    if (kind == "task") {
        return taskFact(l, fact.at("task"), field);
    }
    if (kind == "sandbox") {
        const model::Container* c = task(l, fact.at("task"));
        return c == nullptr ? json("(no task)") : sandboxRules(l, c->netns);
    }
    if (kind == "lb" && (field == "ipvs" || field == "iptables")) {
        return loadBalancerFact(l, fact.at("network"), fact.at("host"), field);
    }
    if (kind == "reach" && fact.contains("target") && fact.at("target").contains("vip")) {
        return reachVip(l, fact, reason);
    }
    return std::nullopt;
}

std::optional<json> servicesDocker(const json& fact) {
    const std::string kind = fact.at("kind");
    const std::string field = fact.value("field", "");
    if ((kind != "sandbox" && kind != "lb") || field != "iptables" ||
        !fact.at("value").is_object()) {
        return std::nullopt;
    }
    // The embedded DNS server's rules (OUTPUT/POSTROUTING to 127.0.0.11 and
    // its DOCKER_OUTPUT/DOCKER_POSTROUTING chains) all name 127.0.0.11.
    json out = json::object();
    for (const auto& [table, lines] : fact.at("value").items()) {
        std::vector<std::string> kept;
        for (const auto& line : lines) {
            if (line.get<std::string>().find("127.0.0.11") == std::string::npos) {
                kept.push_back(line);
            }
        }
        if (!kept.empty()) {
            out[table] = kept;
        }
    }
    return out;
}

std::string dnsQuestion(const Loaded& l, const json& fact) {
    const std::string id = fact.at("id");
    const std::string suffix = ".task.id>";
    const auto end = id.find(suffix);
    const auto begin = end == std::string::npos ? std::string::npos : id.rfind('<', end);
    if (begin == std::string::npos) {
        return fact.at("name");
    }
    const model::Container* c = task(l, id.substr(begin + 1, end - begin - 1));
    return c != nullptr ? c->name : fact.at("name").get<std::string>();
}

std::string vipLabel(const Loaded& l, const model::Ipv4& address) {
    for (const auto& s : l.topology.services) {
        for (const auto& v : s.vips) {
            if (v.ipv4 == address) {
                return "vip:" + s.key + "@" + v.network;
            }
        }
    }
    return "";
}

}  // namespace cnmlab::conformance
