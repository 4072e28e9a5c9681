// Reading the top-level `networks`: one NetworkSpec per key, with its driver,
// options and ipam. Which driver accepts what is checked later
// (scenario_validate.cpp, drivers/driver_options.cpp).
#include <fmt/format.h>

#include "model/compose_reader_impl.hpp"

namespace cnmlab::model::detail {

NetworkSpec ComposeReader::network(const std::string& key, const YAML::Node& keyNode,
                                   const YAML::Node& n) const {
    const std::string path = "networks." + key;
    NetworkSpec net;
    net.key = key;
    net.pos = pos(keyNode);
    net.driverPos = net.pos;
    if (n.IsNull()) {
        net.declaredEmpty = true;
        return net;
    }
    map(n, path);
    if (auto v = n["name"]) {
        net.name = scalar(v, path + ".name");
    }
    if (auto v = n["driver"]) {
        net.driver = scalar(v, path + ".driver");
        net.driverPos = pos(v);
    }
    if (auto v = n["driver_opts"]) {
        for (const auto& kv : v) {
            net.driverOpts.emplace_back(kv.first.Scalar(),
                                        kv.second.IsNull() ? "" : kv.second.Scalar());
        }
    }
    if (auto v = n["internal"]) {
        net.internal = boolean(v, path + ".internal");
    }
    if (auto v = n["attachable"]) {
        net.attachable = boolean(v, path + ".attachable");
    }
    if (auto v = n["enable_ipv6"]) {
        net.enableIpv6 = boolean(v, path + ".enable_ipv6");
    }
    if (auto v = n["external"]) {
        networkExternal(net, v, path + ".external");
    }
    if (auto v = n["labels"]) {
        networkLabels(net, v, path + ".labels");
    }
    if (auto v = n["ipam"]) {
        ipam(net, v, path + ".ipam");
    }
    net.extra = extras(n, {"name", "driver", "driver_opts", "internal", "attachable", "enable_ipv6",
                           "external", "labels", "ipam"});
    return net;
}

// `external: true`, or Compose's older spelling of `name:`, `external: {name: X}`.
void ComposeReader::networkExternal(NetworkSpec& net, const YAML::Node& v,
                                    const std::string& path) const {
    if (!v.IsMap()) {
        net.external = boolean(v, path);
        return;
    }
    net.external = true;
    if (auto nm = v["name"]) {
        net.name = scalar(nm, path + ".name");
    }
}

// A mapping, or a list of KEY=VALUE.
void ComposeReader::networkLabels(NetworkSpec& net, const YAML::Node& v,
                                  const std::string& path) const {
    if (v.IsMap()) {
        for (const auto& kv : v) {
            net.labels.emplace_back(kv.first.Scalar(),
                                    kv.second.IsNull() ? "" : kv.second.Scalar());
        }
        return;
    }
    for (const auto& item : stringList(v, path)) {
        auto eq = item.find('=');
        net.labels.emplace_back(item.substr(0, eq),
                                eq == std::string::npos ? "" : item.substr(eq + 1));
    }
}

// Docker's default IPAM driver, or a shipped plugin's (calico), with one IPv4
// pool per network.
void ComposeReader::ipam(NetworkSpec& net, const YAML::Node& v, const std::string& path) const {
    if (auto d = v["driver"]) {
        net.ipamDriver = scalar(d, path + ".driver");
        const ShippedPlugin* plugin = findShippedPlugin(*net.ipamDriver);
        if (*net.ipamDriver != "default" && (plugin == nullptr || !plugin->servesIpam)) {
            fail(d, fmt::format("{}.driver: unknown IPAM driver '{}' (cnmlab has Docker's "
                                "'default' IPAM driver and calico's)",
                                path, *net.ipamDriver));
        }
    }
    if (auto cfgs = v["config"]) {
        for (std::size_t i = 0; i < cfgs.size(); ++i) {
            net.ipamConfigs.push_back(ipamConfig(cfgs[i], fmt::format("{}.config[{}]", path, i)));
        }
        if (net.ipamConfigs.size() > 1) {
            fail(cfgs[1],
                 fmt::format("{}.config[1]: cnmlab supports one IPv4 pool per network", path));
        }
    }
    net.ipamExtra = extras(v, {"driver", "config"});
}

// ip_range, gateway and aux_addresses must lie inside the subnet.
IpamConfig ComposeReader::ipamConfig(const YAML::Node& c, const std::string& p) const {
    IpamConfig ic;
    ic.pos = pos(c);
    if (auto s = c["subnet"]) {
        ic.subnet = subnet(s, p + ".subnet");
    }
    const std::string inSubnet = ic.subnet ? " " + ic.subnet->str() : " (none given)";
    if (auto r = c["ip_range"]) {
        ic.ipRange = subnet(r, p + ".ip_range");
        if (!ic.subnet || !ic.subnet->contains(*ic.ipRange)) {
            fail(r, fmt::format("{}.ip_range: {} is not inside the subnet{}", p, ic.ipRange->str(),
                                inSubnet));
        }
    }
    if (auto g = c["gateway"]) {
        ic.gateway = ipv4(g, p + ".gateway");
        if (!ic.subnet || !ic.subnet->contains(*ic.gateway)) {
            fail(g, fmt::format("{}.gateway: {} is not inside the subnet{}", p, ic.gateway->str(),
                                inSubnet));
        }
    }
    if (auto a = c["aux_addresses"]) {
        for (const auto& kv : a) {
            const Ipv4 ip = ipv4(kv.second, p + ".aux_addresses." + kv.first.Scalar());
            if (!ic.subnet || !ic.subnet->contains(ip)) {
                fail(kv.second, fmt::format("{}.aux_addresses.{}: {} is not inside the subnet", p,
                                            kv.first.Scalar(), ip.str()));
            }
            ic.auxAddresses.emplace_back(kv.first.Scalar(), ip);
        }
    }
    ic.extra = extras(c, {"subnet", "ip_range", "gateway", "aux_addresses"});
    return ic;
}

}  // namespace cnmlab::model::detail
