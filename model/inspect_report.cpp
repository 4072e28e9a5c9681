#include "model/inspect_report.hpp"

#include <fmt/format.h>

namespace cnmlab::model {

nlohmann::ordered_json inspectJson(const Topology& topo) {
    using Json = nlohmann::ordered_json;
    Json networks = Json::array();
    for (const auto& n : topo.networks) {
        networks.push_back(Json{
            {"key", n.key},
            {"name", n.name},
            {"driver", n.driver},
            {"scope", n.scope},
            {"subnet", n.subnet ? Json(n.subnet->networkStr()) : Json(nullptr)},
            {"gateway", n.gateway ? Json(n.gateway->str()) : Json(nullptr)},
            {"internal", n.internal},
            {"hosts", n.hosts},
        });
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
    return Json{{"networks", std::move(networks)}, {"containers", std::move(containers)}};
}

std::string inspectText(const Topology& topo) {
    std::string out = fmt::format("project {}\n\nNETWORKS\n", topo.scenario->projectName);
    out += fmt::format("  {:<14} {:<24} {:<8} {:<6} {:<18} {:<15} {}\n", "KEY", "NAME", "DRIVER",
                       "SCOPE", "SUBNET", "GATEWAY", "HOSTS");
    for (const auto& n : topo.networks) {
        std::string hosts;
        for (const auto& h : n.hosts) {
            hosts += (hosts.empty() ? "" : ",") + h;
        }
        out += fmt::format("  {:<14} {:<24} {:<8} {:<6} {:<18} {:<15} {}{}\n", n.key, n.name,
                           n.driver, n.scope, n.subnet ? n.subnet->networkStr() : "-",
                           n.gateway ? n.gateway->str() : "-", hosts,
                           n.internal ? "  (internal)" : "");
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
            out += fmt::format("      {:<14} {:<18} {}  {}\n", e.network,
                               fmt::format("{}/{}", e.ipv4.str(), e.prefix), macStr(e.mac),
                               aliases.empty() ? "" : "aliases " + aliases);
        }
    }
    return out;
}

}  // namespace cnmlab::model
