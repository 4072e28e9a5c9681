// Rules of resolve() that read the topology as it stands: needDefaultGW,
// mac_address, and the warning about a LAN machine's address (topology.hpp).
#include "model/topology_rules.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "model/topology_swarm.hpp"

namespace cnmlab::model {

std::vector<std::string> hostsUsing(const Scenario& sc, const NetworkSpec& n) {
    std::set<std::string> used;  // hosts with a container or task on `n`
    for (const auto& s : sc.services) {
        if (std::none_of(s.networks.begin(), s.networks.end(),
                         [&](const ServiceNetwork& sn) { return sn.key == n.key; })) {
            continue;
        }
        if (!s.deploy) {
            used.insert(sc.hostOf(s));
            continue;
        }
        for (const auto& t : placeTasks(sc, s)) {
            used.insert(t.host);
        }
    }
    std::vector<std::string> out;
    for (const auto& h : sc.hosts) {
        if (used.count(h.name) != 0) {
            out.push_back(h.name);
        }
    }
    if (out.empty()) {
        out.push_back(sc.hosts.front().name);
    }
    return out;
}

// libnetwork default_gateway.go needDefaultGW: a container whose
// endpoints give it no gateway (overlay endpoints have none, nor those of a
// plugin whose Join gives none; internal networks do not count) gets an
// endpoint on docker_gwbridge.
bool needsGwbridge(const Topology& topo, const Container& c) {
    bool need = false;
    for (const auto& ep : c.endpoints) {
        const NetworkInstance* net = topo.findNetwork(ep.network);
        if (net == nullptr || net->internal || net->driver == "null" || net->driver == "host") {
            continue;
        }
        const auto plugin = pluginTraits(*topo.scenario, net->driver);
        if (net->driver != "overlay" && (!plugin || plugin->joinGivesGateway)) {
            return false;
        }
        need = true;
    }
    return need;
}

// mac_address, as Docker 20.10 takes it: for the endpoint on the network
// the container is created with (Compose's first network; docker0 for
// network_mode: bridge), refused with the host's or another container's
// network stack, refused by the ipvlan driver (its slaves share their
// parent's MAC), and of no use without an interface (network_mode: none).
void applyMacAddress(const Topology& topo, const ServiceSpec& s, Container& c) {
    if (!s.macAddress) {
        return;
    }
    const bool shared =
        c.networkMode.rfind("service:", 0) == 0 || c.networkMode.rfind("container:", 0) == 0;
    if (c.networkMode == "host" || shared) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("services.{}.mac_address: conflicting options: mac-address and the "
                                "network mode (Docker gives no MAC address to a container on {})",
                                s.key,
                                c.networkMode == "host" ? "the host's network stack"
                                                        : "another container's network stack"),
                    s.macPos);
    }
    if (c.endpoints.empty()) {
        return;
    }
    Endpoint& first = c.endpoints.front();
    const NetworkInstance* net = topo.findNetwork(first.network);
    if (net != nullptr && net->driver == "ipvlan") {
        throw Error(
            ErrorKind::Invalid,
            fmt::format("services.{}.mac_address: ipvlan interfaces do not support custom mac "
                        "address assignment (Docker's ipvlan driver; the first network of {} "
                        "is {})",
                        s.key, s.key, net->name),
            s.macPos);
    }
    first.mac = *s.macAddress;
    first.macGiven = true;
}

// A macvlan or ipvlan container on the hosts' LAN (parent eth0) given the
// address of a machine there: Docker accepts it (it does not know the
// LAN), and then two machines answer for one address, and a probe to it
// may "pass" because the host answered.
void warnAboutMachineAddresses(const Scenario& sc, Topology& topo) {
    std::vector<std::pair<Ipv4, std::string>> machines;
    for (const auto& h : sc.hosts) {
        machines.emplace_back(h.underlay.address, "host " + h.name);
    }
    bool router = false;
    for (const auto& e : sc.externals) {
        if (e.underlay) {
            machines.emplace_back(e.underlay->address, "external " + e.name);
        }
        router = router || e.address.has_value();
    }
    if (router) {  // at the LAN's first address
        const Cidr& lan = sc.hosts.front().underlay;
        machines.emplace_back(Ipv4(lan.network().value() + 1), "the router");
    }
    for (const auto& c : topo.containers) {
        for (const auto& ep : c.endpoints) {
            const NetworkInstance* net = topo.findNetwork(ep.network);
            if (net == nullptr || net->spec == nullptr ||
                (net->driver != "macvlan" && net->driver != "ipvlan")) {
                continue;
            }
            std::string parent;
            for (const auto& [k, v] : net->spec->driverOpts) {
                parent = k == "parent" ? v : parent;
            }
            if (parent != "eth0" && parent.rfind("eth0.", 0) != 0) {
                continue;  // a dummy parent (dm-...) or another link: not the LAN
            }
            for (const auto& [ip, who] : machines) {
                if (ip != ep.ipv4) {
                    continue;
                }
                const ServiceNetwork* sn = nullptr;
                for (const auto& n : c.spec->networks) {
                    sn = n.key == ep.network ? &n : sn;
                }
                const SourcePos at = sn == nullptr     ? c.spec->pos
                                     : sn->ipv4Address ? sn->ipv4Pos
                                                       : sn->pos;
                topo.warnings.push_back(Warning{
                    at, fmt::format("services.{}.networks.{}: {} is the address of {} on the "
                                    "hosts' LAN; Docker accepts it, but then two machines "
                                    "answer for it, and probes to it may be answered by {}",
                                    c.service, ep.network, ip.str(), who, who)});
            }
        }
    }
}

void assignCalicoAddresses(const Scenario& sc, Topology& topo,
                           const std::map<std::string, std::string>& networks,
                           std::map<std::string, CalicoIpam>& pools) {
    if (networks.empty()) {
        return;
    }
    // In the order dockerd asks the plugin's IPAM: host by host, each host's
    // containers as they start, a static address (AssignIP) where its
    // container comes. An address handed out before a later container asks
    // for it as its static one is taken, as it would be in Calico.
    for (const auto& h : sc.hosts) {
        for (auto& c : topo.containers) {
            if (c.host != h.name) {
                continue;
            }
            for (auto& ep : c.endpoints) {
                const auto net = networks.find(ep.network);
                if (net == networks.end()) {
                    continue;
                }
                CalicoIpam& ipam = pools.at(net->second);
                const ServiceNetwork* sn = nullptr;
                if (c.spec != nullptr) {
                    for (const auto& n : c.spec->networks) {
                        sn = n.key == ep.network ? &n : sn;
                    }
                }
                const bool isStatic = sn != nullptr && sn->ipv4Address.has_value();
                try {
                    if (isStatic) {
                        ipam.assignIp(*sn->ipv4Address, h.name);
                        ep.ipv4 = *sn->ipv4Address;
                    } else {
                        ep.ipv4 = ipam.assign(h.name);
                    }
                } catch (const Error& e) {
                    throw Error(e.kind(),
                                fmt::format("services.{}.networks.{}{}: {}", c.service, ep.network,
                                            isStatic ? ".ipv4_address" : "", e.message()),
                                sn != nullptr       ? (isStatic ? sn->ipv4Pos : sn->pos)
                                : c.spec != nullptr ? c.spec->pos
                                                    : SourcePos{});
                }
            }
        }
    }
}

void checkSubnetOverlap(const Scenario& sc, const NetworkInstance& inst, const Cidr& subnet,
                        const SourcePos& where,
                        std::map<std::string, std::vector<std::pair<Cidr, std::string>>>& subnets,
                        std::set<std::string>& globalNames) {
    for (const auto& host : sc.hosts) {
        const bool here = inst.scope != "local" || std::find(inst.hosts.begin(), inst.hosts.end(),
                                                             host.name) != inst.hosts.end();
        for (const auto& [other, name] : subnets[host.name]) {
            if (!other.overlaps(subnet)) {
                continue;
            }
            if (here || globalNames.count(name) != 0) {
                throw Error(ErrorKind::Conflict,
                            fmt::format("networks.{}: subnet {} overlaps {} of network {} on {} "
                                        "(Docker: Pool overlaps with other one on this address "
                                        "space)",
                                        inst.key, subnet.str(), other.str(), name, host.name),
                            where);
            }
        }
    }
    if (inst.scope != "local") {
        globalNames.insert(inst.name);
    }
}

std::string addressError(const Topology& topo, const ServiceSpec& s, const Container& c,
                         const Endpoint& ep, std::optional<Ipv4> want, const std::string& message) {
    const NetworkInstance* net = topo.findNetwork(ep.network);
    std::string detail = message;
    if (want && net != nullptr && net->gateway == *want) {
        detail = fmt::format("{} is the gateway of {}", want->str(), net->name);
    } else if (want) {
        for (const auto& other : topo.containers) {
            for (const auto& oe : other.endpoints) {
                if (&oe != &ep && oe.network == ep.network && oe.ipv4 == *want &&
                    other.host == c.host && other.service != s.key) {
                    detail = fmt::format("{} is already the address of {} (Docker: Address "
                                         "already in use)",
                                         want->str(), other.service);
                }
            }
        }
    }
    return fmt::format("services.{}.networks.{}{}: {}", s.key, ep.network,
                       want ? ".ipv4_address" : "", detail);
}

}  // namespace cnmlab::model
