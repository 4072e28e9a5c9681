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
    if (n["deploy"]) {
        refuseDeploy(n, key, path);
    }
    nearMisses(n, path + ".", {"x-host", "x-listen"});
    s.extra = extras(n, {"container_name", "hostname", "x-host", "network_mode", "networks",
                         "ports", "expose", "x-listen", "mac_address"});
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

// Until swarm services exist, a `deploy:` service would quietly become one
// plain container: refuse it instead (Unsupported: exit 3).
void ComposeReader::refuseDeploy(const YAML::Node& service, const std::string& key,
                                 const std::string& path) const {
    throw Error(ErrorKind::Unsupported,
                fmt::format("{}.deploy: swarm services (`deploy:`, as `docker stack deploy` "
                            "creates them) are not supported by this version of cnmlab; remove "
                            "`deploy:` to run {} as a plain container",
                            path, key),
                pos(keyOf(service, "deploy")));
}

}  // namespace cnmlab::model::detail
