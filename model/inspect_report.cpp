#include "model/inspect_report.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace cnmlab::model {

nlohmann::ordered_json inspectJson(const Topology& topo) {
    using Json = nlohmann::ordered_json;
    Json networks = Json::array();
    for (const auto& n : topo.networks) {
        Json j{
            {"key", n.key},
            {"name", n.name},
            {"driver", n.driver},
            {"scope", n.scope},
            {"subnet", n.subnet ? Json(n.subnet->networkStr()) : Json(nullptr)},
            {"gateway", n.gateway ? Json(n.gateway->str()) : Json(nullptr)},
            {"internal", n.internal},
            {"hosts", n.hosts},
        };
        if (n.implicit) {
            j["implicit"] = true;  // SPEC §1a: made by swarm init/join on every node
        }
        networks.push_back(std::move(j));
    }
    auto endpointsOf = [](const Container& c) {
        Json endpoints = Json::array();
        for (const auto& e : c.endpoints) {
            endpoints.push_back(Json{{"network", e.network},
                                     {"ipv4", e.ipv4.str()},
                                     {"prefix", e.prefix},
                                     {"mac", e.mac == Mac{} ? std::string() : macStr(e.mac)},
                                     {"aliases", e.aliases}});
        }
        return endpoints;
    };
    Json containers = Json::array();
    for (const auto& c : topo.containers) {
        if (!c.task.empty()) {
            continue;  // SPEC §1a: a task is listed under its service
        }
        Json endpoints = endpointsOf(c);
        containers.push_back(Json{{"service", c.service},
                                  {"name", c.name},
                                  {"host", c.host},
                                  {"network_mode", c.networkMode},
                                  {"endpoints", std::move(endpoints)}});
    }
    Json out{{"networks", std::move(networks)}, {"containers", std::move(containers)}};
    if (topo.swarm) {
        Json services = Json::array();
        for (const auto& s : topo.services) {
            Json vips = Json::array();
            for (const auto& v : s.vips) {
                vips.push_back(
                    Json{{"network", v.network}, {"ipv4", v.ipv4.str()}, {"prefix", v.prefix}});
            }
            Json published = Json::array();
            for (const auto& p : s.published) {
                published.push_back(Json{{"published", p.published},
                                         {"target", p.target},
                                         {"protocol", protoName(p.proto)},
                                         {"mode", p.hostMode ? "host" : "ingress"}});
            }
            Json tasks = Json::array();
            for (const auto& t : s.tasks) {
                const Container* c = topo.findContainer(t);
                tasks.push_back(
                    Json{{"name", t}, {"host", c->host}, {"endpoints", endpointsOf(*c)}});
            }
            services.push_back(Json{{"service", s.key},
                                    {"name", s.name},
                                    {"mode", s.global ? "global" : "replicated"},
                                    {"replicas", s.replicas},
                                    {"endpoint_mode", s.dnsrr ? "dnsrr" : "vip"},
                                    {"vips", std::move(vips)},
                                    {"published", std::move(published)},
                                    {"tasks", std::move(tasks)}});
        }
        out["services"] = std::move(services);
    }
    return out;
}

std::string inspectText(const Topology& topo) {
    std::string out = fmt::format("project {}\n\nNETWORKS\n", topo.scenario->projectName);
    std::size_t keyWidth = 14;
    for (const auto& n : topo.networks) {
        keyWidth = std::max(keyWidth, n.key.size());
    }
    out += fmt::format("  {:<{}} {:<24} {:<8} {:<6} {:<18} {:<15} {}\n", "KEY", keyWidth, "NAME",
                       "DRIVER", "SCOPE", "SUBNET", "GATEWAY", "HOSTS");
    for (const auto& n : topo.networks) {
        std::string hosts;
        for (const auto& h : n.hosts) {
            hosts += (hosts.empty() ? "" : ",") + h;
        }
        out +=
            fmt::format("  {:<{}} {:<24} {:<8} {:<6} {:<18} {:<15} {}{}{}\n", n.key, keyWidth,
                        n.name, n.driver, n.scope, n.subnet ? n.subnet->networkStr() : "-",
                        n.gateway ? n.gateway->str() : "-", hosts, n.internal ? "  (internal)" : "",
                        !n.implicit  ? ""
                        : topo.swarm ? "  (made by the swarm on every node)"
                                     : "  (made by libnetwork for containers no endpoint gives a "
                                       "gateway)");
    }
    if (topo.swarm) {
        out += "\nLOAD BALANCERS (one per swarm node and overlay it instantiates)\n";
        for (const auto& lb : topo.loadBalancers) {
            const Endpoint& e = lb.endpoint;
            out += fmt::format("  {:<{}} {:<8} {:<18} {}{}\n", e.network, keyWidth, lb.host,
                               fmt::format("{}/{}", e.ipv4.str(), e.prefix), macStr(e.mac),
                               lb.gwbridge ? fmt::format("  (ingress sandbox; docker_gwbridge {})",
                                                         lb.gwbridge->ipv4.str())
                                           : "");
        }
    }
    if (!topo.services.empty()) {
        out += "\nSWARM SERVICES (tasks are listed with the containers)\n";
        for (const auto& s : topo.services) {
            std::string vips;
            for (const auto& v : s.vips) {
                vips += fmt::format("{}VIP {}/{} on {}", vips.empty() ? "" : ", ", v.ipv4.str(),
                                    v.prefix, v.network);
            }
            std::string ports;
            for (const auto& p : s.published) {
                ports += fmt::format("{}{}:{}/{} {}", ports.empty() ? "" : ", ", p.published,
                                     p.target, protoName(p.proto), p.hostMode ? "host" : "ingress");
            }
            out += fmt::format("  {} ({}) {} {}, endpoint mode {}; {}{}\n", s.name, s.key,
                               s.global ? "global" : "replicated", s.replicas,
                               s.dnsrr ? "dnsrr" : "vip", vips.empty() ? "no VIP" : vips,
                               ports.empty() ? "" : "; published " + ports);
        }
    }
    out += "\nCONTAINERS\n";
    for (const auto& c : topo.containers) {
        out += c.task.empty() ? fmt::format("  {} ({}) on {}, network_mode {}\n", c.name, c.service,
                                            c.host, c.networkMode)
                              : fmt::format("  {} ({}) on {}, task of swarm service {}\n", c.name,
                                            c.service, c.host, c.task);
        if (c.endpoints.empty()) {
            out += fmt::format("      {}\n",
                               c.networkMode == "host" ? "uses the host's own network stack"
                               : c.networkMode == "none"
                                   ? "loopback only"
                                   : "shares the network namespace of " + c.sandboxOf);
        }
        for (const auto& e : c.endpoints) {
            std::string aliases;
            for (const auto& a : e.aliases) {
                aliases += (aliases.empty() ? "" : ",") + a;
            }
            out += fmt::format("      {:<{}} {:<18} {}  {}\n", e.network, keyWidth,
                               fmt::format("{}/{}", e.ipv4.str(), e.prefix), macStr(e.mac),
                               aliases.empty() ? "" : "aliases " + aliases);
        }
    }
    return out;
}

}  // namespace cnmlab::model
