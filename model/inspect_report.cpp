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
    Json containers = Json::array();
    for (const auto& c : topo.containers) {
        Json endpoints = Json::array();
        for (const auto& e : c.endpoints) {
            endpoints.push_back(Json{{"network", e.network},
                                     {"ipv4", e.ipv4.str()},
                                     {"prefix", e.prefix},
                                     {"mac", e.mac == Mac{} ? std::string() : macStr(e.mac)},
                                     {"aliases", e.aliases}});
        }
        containers.push_back(Json{{"service", c.service},
                                  {"name", c.name},
                                  {"host", c.host},
                                  {"network_mode", c.networkMode},
                                  {"endpoints", std::move(endpoints)}});
    }
    Json out{{"networks", std::move(networks)}, {"containers", std::move(containers)}};
    if (topo.swarm) {
        out["services"] = Json::array();  // swarm services (`deploy:`) are refused for now
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
                        n.implicit ? "  (made by the swarm on every node)" : "");
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
    out += "\nCONTAINERS\n";
    for (const auto& c : topo.containers) {
        out += fmt::format("  {} ({}) on {}, network_mode {}\n", c.name, c.service, c.host,
                           c.networkMode);
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
