#include "model/driver_swap.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "model/compose_writer.hpp"
#include "model/error.hpp"

namespace cnmlab::model {

namespace {

bool isUserNetwork(const Scenario& sc, const NetworkSpec& n) {
    return !n.external && !sc.predefinedAlias(n);
}

bool hasStaticAddress(const Scenario& sc, const std::string& key) {
    return std::any_of(sc.services.begin(), sc.services.end(), [&](const ServiceSpec& s) {
        return std::any_of(s.networks.begin(), s.networks.end(), [&](const ServiceNetwork& sn) {
            return sn.key == key && sn.ipv4Address;
        });
    });
}

bool declaresSubnet(const NetworkSpec& n) {
    return std::any_of(n.ipamConfigs.begin(), n.ipamConfigs.end(),
                       [](const IpamConfig& c) { return c.subnet.has_value(); });
}

// The LAN machines' addresses: hosts and externals with `underlay:`.
std::vector<Ipv4> lanAddresses(const Scenario& sc) {
    std::vector<Ipv4> out;
    for (const auto& h : sc.hosts) {
        out.push_back(h.underlay.address);
    }
    for (const auto& e : sc.externals) {
        if (e.underlay) {
            out.push_back(e.underlay->address);
        }
    }
    return out;
}

// The highest block of the LAN no LAN machine sits in, at most half of it
// (Docker's docs: --ip-range 192.168.32.128/25 beside the machines below it).
std::optional<Cidr> freeRange(const Cidr& lan, const std::vector<Ipv4>& used) {
    for (int prefix = lan.prefix + 1; prefix <= 30; ++prefix) {
        const Cidr block{Ipv4(lan.broadcast().value() & Cidr{Ipv4(), prefix}.mask()), prefix};
        const bool free =
            std::none_of(used.begin(), used.end(), [&](Ipv4 ip) { return block.contains(ip); });
        if (free) {
            return block;
        }
    }
    return std::nullopt;
}

std::string lanNetworkOf(const Scenario& sc, const std::vector<std::string>& networks) {
    const Cidr& host = sc.hosts.front().underlay;
    const Cidr lan{host.network(), host.prefix};
    for (const auto& key : networks) {
        const NetworkSpec& n = *sc.findNetwork(key);
        if (!n.ipamConfigs.empty() && n.ipamConfigs.front().subnet &&
            n.ipamConfigs.front().subnet->networkStr() == lan.networkStr()) {
            return key;  // already on the LAN's subnet: it stays there
        }
    }
    for (const auto& key : networks) {
        if (!hasStaticAddress(sc, key) && !declaresSubnet(*sc.findNetwork(key))) {
            return key;
        }
    }
    for (const auto& key : networks) {
        if (!hasStaticAddress(sc, key)) {
            return key;
        }
    }
    return {};
}

void onLanParent(Scenario& sc, NetworkSpec& n, const std::string& driver,
                 std::vector<NetworkSetting>& settings) {
    const Cidr lan{sc.hosts.front().underlay.network(), sc.hosts.front().underlay.prefix};
    const bool onLanAlready = !n.ipamConfigs.empty() && n.ipamConfigs.front().subnet &&
                              n.ipamConfigs.front().subnet->networkStr() == lan.networkStr();
    IpamConfig c = onLanAlready ? n.ipamConfigs.front() : IpamConfig{};
    c.subnet = lan;
    if (!onLanAlready) {
        c.gateway = Ipv4(lan.network().value() + 1);
        c.ipRange = freeRange(lan, lanAddresses(sc));
    }
    n.ipamConfigs = {c};
    n.ipamDriver.reset();
    n.driverOpts = {{"parent", "eth0"}};
    settings.push_back(
        {n.key, fmt::format("{} on eth0: the LAN's subnet {}, gateway {}{}", driver,
                            lan.networkStr(), c.gateway->str(),
                            c.ipRange ? ", addresses from " + c.ipRange->networkStr() : "")});
}

void onVlanParent(NetworkSpec& n, const std::string& driver, int vlan,
                  std::vector<NetworkSetting>& settings) {
    const std::string parent = fmt::format("eth0.{}", vlan);
    n.driverOpts = {{"parent", parent}};
    n.ipamDriver.reset();
    settings.push_back(
        {n.key, fmt::format("{} on {} (802.1Q VLAN {} on eth0), {}", driver, parent, vlan,
                            declaresSubnet(n)
                                ? "its own subnet " + n.ipamConfigs.front().subnet->networkStr()
                                : std::string("a subnet from Docker's pools"))});
}

// host / none: the services of `moved` take the mode; the networks go.
void toNetworkMode(Scenario& sc, const std::vector<std::string>& order, NetworkMode mode,
                   const std::string& driver, std::vector<NetworkSetting>& settings) {
    const std::set<std::string> moved(order.begin(), order.end());
    for (auto& s : sc.services) {
        const auto onMoved = [&](const ServiceNetwork& sn) { return moved.count(sn.key) > 0; };
        const auto count = std::count_if(s.networks.begin(), s.networks.end(), onMoved);
        if (count == 0) {
            continue;
        }
        if (count != static_cast<long>(s.networks.size())) {
            const auto other = std::find_if_not(s.networks.begin(), s.networks.end(), onMoved);
            throw Error(ErrorKind::Invalid,
                        fmt::format("services.{}: network_mode: {} cannot be used beside "
                                    "networks, and {} is also on {}, which stays",
                                    s.key, driver, s.key, other->key));
        }
        s.networks.clear();
        s.implicitNetworks = false;
        s.networkMode = mode;
    }
    for (const auto& key : order) {
        settings.push_back({key, fmt::format("gone: its services use network_mode: {}", driver)});
    }
    std::erase_if(sc.networks, [&](const NetworkSpec& n) { return moved.count(n.key) > 0; });
    std::erase_if(sc.layout, [&](const auto& l) { return moved.count(l.first) > 0; });
    for (auto& p : sc.probes) {
        if (p.network && moved.count(*p.network) > 0) {
            p.network.reset();
        }
    }
}

}  // namespace

std::vector<std::string> comparedNetworks(const Scenario& sc, const std::string& only) {
    std::vector<std::string> out;
    if (!only.empty()) {
        const NetworkSpec* n = sc.findNetwork(only);
        if (n == nullptr || !isUserNetwork(sc, *n)) {
            throw Error(ErrorKind::Invalid, fmt::format("--network {}: {} has no user network {}",
                                                        only, sc.file, only));
        }
        out.push_back(only);
        return out;
    }
    for (const auto& n : sc.networks) {
        const bool used =
            !n.implicit || std::any_of(sc.services.begin(), sc.services.end(),
                                       [](const ServiceSpec& s) { return s.implicitNetworks; });
        if (isUserNetwork(sc, n) && used) {
            out.push_back(n.key);
        }
    }
    return out;
}

bool comparableDriver(const Scenario& sc, const std::string& driver) {
    return isBuiltinDriver(driver) || pluginTraits(sc, driver).has_value();
}

SwappedScenario swapDriver(const Scenario& original, const std::vector<std::string>& networks,
                           const std::string& driver) {
    Scenario sc = original;
    SwappedScenario out;
    sc.lesson.reset();
    if (driver == "host" || driver == "none" || driver == "null") {
        toNetworkMode(sc, networks, driver == "host" ? NetworkMode::Host : NetworkMode::None,
                      driver == "host" ? "host" : "none", out.settings);
        out.text = writeScenario(sc);
        return out;
    }
    const bool parentLink = driver == "macvlan" || driver == "ipvlan";
    // Parents the file's other networks of this driver hold (one network per
    // parent): the compared ones go around them.
    std::set<std::string> taken;
    for (const auto& n : sc.networks) {
        const bool compared = std::find(networks.begin(), networks.end(), n.key) != networks.end();
        for (const auto& [k, v] : n.driverOpts) {
            if (!compared && n.driver == driver && k == "parent") {
                taken.insert(v);
            }
        }
    }
    const std::string lanKey =
        parentLink && taken.count("eth0") == 0 ? lanNetworkOf(sc, networks) : std::string();
    int index = 0;
    for (const auto& key : networks) {
        ++index;
        while (taken.count(fmt::format("eth0.{}", 10 * index)) > 0) {
            ++index;
        }
        auto it = std::find_if(sc.networks.begin(), sc.networks.end(),
                               [&](const NetworkSpec& n) { return n.key == key; });
        NetworkSpec& n = *it;
        n.driver = driver;
        n.implicit = false;
        n.attachable = driver == "overlay";
        n.driverOpts.clear();
        if (n.ipamDriver && pluginTraits(sc, *n.ipamDriver)) {
            n.ipamDriver.reset();  // a plugin's IPAM goes with its driver
        }
        if (parentLink && key == lanKey) {
            onLanParent(sc, n, driver, out.settings);
        } else if (parentLink) {
            onVlanParent(n, driver, 10 * index, out.settings);
        } else {
            const auto traits = pluginTraits(sc, driver);
            if (traits && traits->servesIpam) {
                // Its own IPAM, as its docs create it (--ipam-driver NAME
                // --subnet POOL), from the pool of the file's network or else
                // the one scenarios/calico-routed.yaml uses: calico/node's
                // default pool, 192.168.0.0/16, is where the LANs of cnmlab's
                // files live.
                n.ipamDriver = driver;
                if (!declaresSubnet(n)) {
                    IpamConfig c;
                    c.subnet = Cidr::parse("10.65.0.0/16");
                    n.ipamConfigs = {c};
                }
            }
            out.settings.push_back(
                {key, fmt::format("{}{}", driver,
                                  driver == "overlay" ? ", attachable, across the swarm of the "
                                                        "file's hosts"
                                                      : ", its defaults")});
        }
    }
    out.text = writeScenario(sc);
    return out;
}

}  // namespace cnmlab::model
