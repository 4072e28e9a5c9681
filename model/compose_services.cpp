// Reading `services`: one ServiceSpec per key (its ports: compose_ports.cpp).
// Which keys cnmlab models, and why the others have no effect:
// docs/scenario-format.md#services.
#include <fmt/format.h>

#include "model/compose_reader_impl.hpp"

namespace cnmlab::model::detail {

ServiceSpec ComposeReader::service(const std::string& key, const YAML::Node& keyNode,
                                   const YAML::Node& n) const {
    const std::string path = "services." + key;
    ServiceSpec s;
    s.key = key;
    s.pos = pos(keyNode);
    if (n.IsNull()) {
        return s;
    }
    map(n, path);
    if (auto v = n["container_name"]) {
        containerName(s, v, path + ".container_name");
    }
    if (auto v = n["hostname"]) {
        s.hostname = scalar(v, path + ".hostname");
    }
    if (auto v = n["x-host"]) {
        s.host = scalar(v, path + ".x-host");
        s.hostPos = pos(v);
    }
    if (auto v = n["network_mode"]) {
        networkMode(s, v, path + ".network_mode");
    }
    if (auto v = n["networks"]) {
        serviceNetworks(s, v, path + ".networks");
    }
    if (auto v = n["ports"]) {
        s.ports = ports(v, path + ".ports");
    }
    if (auto v = n["expose"]) {
        s.expose = portList(v, path + ".expose");
    }
    if (auto v = n["x-listen"]) {
        s.listen = portList(v, path + ".x-listen");
    }
    if (auto v = n["mac_address"]) {
        macAddress(s, v, path + ".mac_address");
    }
    if (auto v = n["deploy"]) {
        s.deploy = deploy(keyOf(n, "deploy"), v, path + ".deploy");
    }
    nearMisses(n, path + ".", {"x-host", "x-listen"});
    s.extra = extras(n, {"container_name", "hostname", "x-host", "network_mode", "networks",
                         "ports", "expose", "x-listen", "mac_address", "deploy"});
    return s;
}

// Docker's rule for container names, and at least two characters.
void ComposeReader::containerName(ServiceSpec& s, const YAML::Node& v,
                                  const std::string& path) const {
    s.containerName = scalar(v, path);
    checkMachineName(v, path, *s.containerName, "container name");
    if (s.containerName->size() < 2) {
        fail(v, fmt::format("{}: '{}' is too short (Docker wants at least two characters)", path,
                            *s.containerName));
    }
}

void ComposeReader::networkMode(ServiceSpec& s, const YAML::Node& v,
                                const std::string& path) const {
    const std::string mode = scalar(v, path);
    s.networkModePos = pos(v);
    if (mode == "bridge" || mode == "default") {
        s.networkMode = mode == "bridge" ? NetworkMode::Bridge : NetworkMode::Default;
    } else if (mode == "host") {
        s.networkMode = NetworkMode::Host;
    } else if (mode == "none") {
        s.networkMode = NetworkMode::None;
    } else if (mode.rfind("service:", 0) == 0 && mode.size() > 8) {
        s.networkMode = NetworkMode::Service;
        s.networkModeTarget = mode.substr(8);
    } else if (mode.rfind("container:", 0) == 0 && mode.size() > 10) {
        s.networkMode = NetworkMode::Container;
        s.networkModeTarget = mode.substr(10);
    } else {
        fail(v, fmt::format("{}: '{}' is not a network mode (expected bridge, host, none, "
                            "service:NAME or container:NAME)",
                            path, mode));
    }
}

// The list form ([front, back]) or the mapping form (front: {aliases: ...}).
void ComposeReader::serviceNetworks(ServiceSpec& s, const YAML::Node& v,
                                    const std::string& path) const {
    if (v.IsSequence()) {
        s.networksListForm = true;
        for (std::size_t i = 0; i < v.size(); ++i) {
            ServiceNetwork sn;
            sn.key = scalar(v[i], fmt::format("{}[{}]", path, i));
            sn.pos = pos(v[i]);
            sn.shortForm = true;
            s.networks.push_back(std::move(sn));
        }
        return;
    }
    s.networksListForm = false;
    for (const auto& kv : v) {
        s.networks.push_back(serviceNetwork(kv.first, kv.second, path));
    }
}

ServiceNetwork ComposeReader::serviceNetwork(const YAML::Node& key, const YAML::Node& body,
                                             const std::string& path) const {
    ServiceNetwork sn;
    sn.key = key.Scalar();
    sn.pos = pos(key);
    const std::string p = path + "." + sn.key;
    if (!body.IsMap()) {
        return sn;
    }
    if (auto a = body["aliases"]) {
        sn.aliases = stringList(a, p + ".aliases");
    }
    if (auto a = body["ipv4_address"]) {
        sn.ipv4Address = ipv4(a, p + ".ipv4_address");
        sn.ipv4Pos = pos(a);
    }
    sn.extra = extras(body, {"aliases", "ipv4_address"});
    return sn;
}

// A MAC address as Docker reads one (Go's net.ParseMAC, 48 bits) that the
// kernel gives to an interface (not multicast, not zero: the container would
// not start, "cannot assign requested address").
void ComposeReader::macAddress(ServiceSpec& s, const YAML::Node& v, const std::string& path) const {
    s.macText = scalar(v, path);
    s.macPos = pos(v);
    s.macAddress = parseMac(s.macText);
    if (!s.macAddress) {
        fail(v, fmt::format("{}: '{}' is not a MAC address (like 02:42:ac:11:00:02)", path,
                            s.macText));
    }
    if (!isUnicastMac(*s.macAddress)) {
        fail(v, fmt::format("{}: {} is not a unicast address, and the kernel gives no other to "
                            "an interface (Docker: cannot assign requested address)",
                            path, s.macText));
    }
}

// `deploy:`: what makes a swarm service (SPEC §1a) and what decides its
// tasks and addresses. Everything else under `deploy:` (resources,
// restart_policy, update_config, labels) has no effect on the network and is
// kept as written.
DeploySpec ComposeReader::deploy(const YAML::Node& key, const YAML::Node& n,
                                 const std::string& path) const {
    DeploySpec d;
    d.pos = pos(key);
    if (n.IsNull()) {
        return d;
    }
    map(n, path);
    if (auto v = n["mode"]) {
        d.global =
            choice(v, path + ".mode", "a service mode", {"replicated", "global"}) == "global";
        d.modeGiven = true;
    }
    if (auto v = n["replicas"]) {
        if (d.global) {
            fail(v, fmt::format("{}.replicas: a global service runs one task per node; Docker: "
                                "\"replicas can only be used with replicated mode\"",
                                path));
        }
        d.replicas = integer(v, path + ".replicas", 0, 1000);
        d.replicasGiven = true;
    }
    if (auto v = n["endpoint_mode"]) {
        d.dnsrr =
            choice(v, path + ".endpoint_mode", "an endpoint mode", {"vip", "dnsrr"}) == "dnsrr";
        d.endpointModeGiven = true;
    }
    if (auto placement = n["placement"]) {
        map(placement, path + ".placement");
        if (auto list = placement["constraints"]) {
            const std::string cpath = path + ".placement.constraints";
            if (!list.IsSequence()) {
                fail(list, fmt::format("{}: expected a list of constraints", cpath));
            }
            for (std::size_t i = 0; i < list.size(); ++i) {
                d.constraints.push_back(constraint(list[i], fmt::format("{}[{}]", cpath, i)));
            }
        }
        d.placementExtra = extras(placement, {"constraints"});
    }
    d.extra = extras(n, {"mode", "replicas", "endpoint_mode", "placement"});
    return d;
}

// "node.hostname == host2", "node.role != manager" (swarmkit constraint.go:
// an attribute, == or !=, a value). Other attributes exist in Docker
// (node.labels, engine.labels, node.platform) but cnmlab's nodes have none.
PlacementConstraint ComposeReader::constraint(const YAML::Node& v, const std::string& path) const {
    PlacementConstraint c;
    c.text = scalar(v, path);
    c.pos = pos(v);
    const std::size_t eq = c.text.find("==");
    const std::size_t ne = c.text.find("!=");
    const std::size_t op = eq != std::string::npos ? eq : ne;
    auto trim = [](std::string t) {
        t.erase(0, t.find_first_not_of(" \t"));
        t.erase(t.find_last_not_of(" \t") + 1);
        return t;
    };
    if (op == std::string::npos) {
        fail(v, fmt::format("{}: '{}' is not a constraint (expected like node.hostname == host2)",
                            path, c.text));
    }
    c.attribute = trim(c.text.substr(0, op));
    c.equal = op == eq;
    c.value = trim(c.text.substr(op + 2));
    if (c.value.empty()) {
        fail(v, fmt::format("{}: '{}' has no value", path, c.text));
    }
    if (c.attribute != "node.hostname" && c.attribute != "node.role") {
        throw Error(ErrorKind::Unsupported,
                    fmt::format("{}: cnmlab places tasks by node.hostname and node.role only; "
                                "its nodes have no {}",
                                path, c.attribute),
                    c.pos);
    }
    if (c.attribute == "node.role" && c.value != "manager" && c.value != "worker") {
        fail(v, fmt::format("{}: a node's role is manager or worker, not '{}'", path, c.value));
    }
    return c;
}

}  // namespace cnmlab::model::detail
