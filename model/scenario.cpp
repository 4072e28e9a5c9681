#include "model/scenario.hpp"

#include <algorithm>
#include <array>

namespace cnmlab::model {

std::string protoName(Proto p) {
    switch (p) {
    case Proto::Tcp:
        return "tcp";
    case Proto::Udp:
        return "udp";
    case Proto::Icmp:
        return "icmp";
    }
    return "icmp";
}

bool isBuiltinDriver(std::string_view driver) {
    static constexpr std::array kBuiltin = {"bridge",  "host",   "none",   "null",
                                            "macvlan", "ipvlan", "overlay"};
    return std::find(kBuiltin.begin(), kBuiltin.end(), driver) != kBuiltin.end();
}

const ShippedPlugin* findShippedPlugin(std::string_view driver) {
    // weave (plugin/net/driver.go): Join names the interface and adds at
    // most a multicast route, no gateway. kuryr (controllers.py): the
    // Neutron subnet's gateway, and DisableGatewayService. contiv
    // (mgmtfn/dockplugin/netDriver.go join): the network's gateway.
    // calico (libnetwork-plugin network_driver.go): Join gives 169.254.1.1,
    // CreateEndpoint the fixed MAC EE:EE:EE:EE:EE:EE; it is an IPAM driver too.
    static const std::array kShipped = {
        ShippedPlugin{"calico", true, true, true, Mac{0xee, 0xee, 0xee, 0xee, 0xee, 0xee}},
        ShippedPlugin{"contiv", true, true, false, std::nullopt},
        ShippedPlugin{"kuryr", true, true, false, std::nullopt},
        ShippedPlugin{"weave", true, false, false, std::nullopt}};
    const auto* it = std::find_if(kShipped.begin(), kShipped.end(),
                                  [&](const ShippedPlugin& p) { return p.name == driver; });
    return it == kShipped.end() ? nullptr : &*it;
}

std::optional<ShippedPlugin> pluginTraits(const Scenario& sc, std::string_view driver) {
    if (const ShippedPlugin* p = findShippedPlugin(driver)) {
        return *p;
    }
    if (const PluginSpec* p = sc.findPlugin(driver)) {
        return ShippedPlugin{p->name, p->globalScope, p->joinGivesGateway, false, std::nullopt};
    }
    return std::nullopt;
}

namespace {
template <typename T, typename Key>
const T* findBy(const std::vector<T>& items, std::string_view name, Key key) {
    auto it =
        std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*key == name; });
    return it == items.end() ? nullptr : &*it;
}
}  // namespace

const PluginSpec* Scenario::findPlugin(std::string_view name) const {
    return findBy(plugins, name, &PluginSpec::name);
}

const ServiceSpec* Scenario::findService(std::string_view key) const {
    return findBy(services, key, &ServiceSpec::key);
}
const NetworkSpec* Scenario::findNetwork(std::string_view key) const {
    return findBy(networks, key, &NetworkSpec::key);
}
const HostSpec* Scenario::findHost(std::string_view name) const {
    return findBy(hosts, name, &HostSpec::name);
}
const ExternalSpec* Scenario::findExternal(std::string_view name) const {
    return findBy(externals, name, &ExternalSpec::name);
}

std::string Scenario::networkName(const NetworkSpec& n) const {
    if (n.name) {
        return *n.name;
    }
    return n.external ? n.key : projectName + "_" + n.key;
}

std::optional<std::string> Scenario::predefinedAlias(const NetworkSpec& n) const {
    const std::string name = networkName(n);
    if (n.external &&
        (name == kPredefinedBridge || name == kPredefinedHost || name == kPredefinedNone)) {
        return name;
    }
    return std::nullopt;
}

std::string Scenario::predefinedKey(std::string_view dockerName) const {
    const NetworkSpec* own = findNetwork(dockerName);
    if (own != nullptr && !predefinedAlias(*own)) {
        return "docker/" + std::string(dockerName);
    }
    return std::string(dockerName);
}

std::string Scenario::containerName(const ServiceSpec& s) const {
    return s.containerName ? *s.containerName : projectName + "-" + s.key + "-1";
}

const std::string& Scenario::hostOf(const ServiceSpec& s) const {
    // A service sharing another's sandbox lives where that one lives.
    const ServiceSpec* cur = &s;
    for (std::size_t guard = 0; guard <= services.size(); ++guard) {
        if (cur->host) {
            return *cur->host;
        }
        if (cur->networkMode != NetworkMode::Service &&
            cur->networkMode != NetworkMode::Container) {
            break;
        }
        const ServiceSpec* next = nullptr;
        for (const auto& o : services) {
            if (o.key == cur->networkModeTarget || containerName(o) == cur->networkModeTarget) {
                next = &o;
            }
        }
        if (next == nullptr) {
            break;
        }
        cur = next;
    }
    return hosts.front().name;
}

}  // namespace cnmlab::model
