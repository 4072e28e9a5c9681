#include "model/topology_swarm.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace cnmlab::model {

namespace {

bool satisfies(const Scenario& sc, const HostSpec& h, const PlacementConstraint& c) {
    std::string have;
    if (c.attribute == "node.hostname") {
        have = h.name;
    } else {
        have = &h == &sc.hosts.front() ? "manager" : "worker";
    }
    return (have == c.value) == c.equal;
}

[[noreturn]] void refuse(const SourcePos& pos, const std::string& message) {
    throw Error(ErrorKind::Invalid, message, pos);
}

}  // namespace

std::vector<TaskPlacement> placeTasks(const Scenario& sc, const ServiceSpec& s) {
    const DeploySpec& d = *s.deploy;
    std::vector<const HostSpec*> eligible;
    for (const auto& h : sc.hosts) {
        if (std::all_of(d.constraints.begin(), d.constraints.end(),
                        [&](const PlacementConstraint& c) { return satisfies(sc, h, c); })) {
            eligible.push_back(&h);
        }
    }
    std::vector<TaskPlacement> out;
    if (eligible.empty() && (d.global || d.replicas > 0)) {
        std::string all;
        for (const auto& c : d.constraints) {
            all += (all.empty() ? "" : ", ") + c.text;
        }
        refuse(d.constraints.empty() ? d.pos : d.constraints.front().pos,
               fmt::format("services.{}.deploy.placement.constraints: no node of the swarm "
                           "satisfies {} (Docker leaves its tasks pending: \"no suitable node\")",
                           s.key, all));
    }
    if (d.global) {
        for (const HostSpec* h : eligible) {
            out.push_back(TaskPlacement{s.key + "." + h->name, h->name});
        }
        return out;
    }
    std::map<const HostSpec*, int> load;
    for (int slot = 1; slot <= d.replicas; ++slot) {
        const HostSpec* best = eligible.front();
        for (const HostSpec* h : eligible) {
            if (load[h] < load[best]) {
                best = h;
            }
        }
        ++load[best];
        out.push_back(TaskPlacement{fmt::format("{}.{}", s.key, slot), best->name});
    }
    return out;
}

void checkSwarmService(const Scenario& sc, const ServiceSpec& s) {
    const std::string path = "services." + s.key;
    if (s.networkMode != NetworkMode::Default) {
        refuse(s.networkModePos,
               fmt::format("{}.network_mode: a swarm service (deploy:) joins overlay networks; "
                           "`docker stack deploy` has no network_mode",
                           path));
    }
    if (s.host) {
        refuse(s.hostPos, fmt::format("{}.x-host: the swarm places a service's tasks; use "
                                      "deploy.placement.constraints (node.hostname == {})",
                                      path, *s.host));
    }
    if (s.macAddress) {
        refuse(s.macPos, fmt::format("{}.mac_address: a swarm service's tasks get Docker's MACs; "
                                     "`docker stack deploy` ignores mac_address",
                                     path));
    }
    for (const auto& sn : s.networks) {
        const NetworkSpec* n = sc.findNetwork(sn.key);
        if (n != nullptr && n->implicit && n->driver != "overlay") {
            refuse(s.pos, fmt::format("{}: a swarm service (deploy:) on the default network, "
                                      "which plain containers share: `docker stack deploy` "
                                      "would make it an overlay they cannot join. Give the "
                                      "swarm service an overlay network under `networks:`",
                                      path));
        }
        if (n != nullptr && n->driver != "overlay") {
            refuse(sn.pos, fmt::format("{}.networks.{}: a swarm service joins overlay networks "
                                       "only, and {} is a {} network (give it `driver: overlay`)",
                                       path, sn.key, sn.key, n->driver));
        }
        if (sn.ipv4Address) {
            refuse(sn.ipv4Pos, fmt::format("{}.networks.{}.ipv4_address: the swarm allocates its "
                                           "tasks' addresses (`docker stack deploy` ignores "
                                           "ipv4_address)",
                                           path, sn.key));
        }
    }
    for (const auto& pm : s.ports) {
        if (pm.publishedFirst == 0) {
            refuse(pm.pos, fmt::format("{}.ports: give `published:` (without it Docker picks a "
                                       "random port from 30000, which cnmlab cannot predict)",
                                       path));
        }
        if (pm.hostIp) {
            refuse(pm.pos, fmt::format("{}.ports: a swarm service publishes on every address; "
                                       "Docker has no host_ip for it",
                                       path));
        }
        if (!pm.hostMode && s.deploy->dnsrr) {
            refuse(pm.pos, fmt::format("{}.ports: Docker: \"port published with ingress mode "
                                       "can't be used with dnsrr mode\" (publish it with "
                                       "`mode: host`)",
                                       path));
        }
    }
}

namespace {

SwarmService describe(const Scenario& sc, const ServiceSpec& s) {
    SwarmService out;
    out.key = s.key;
    out.name = sc.projectName + "_" + s.key;
    out.global = s.deploy->global;
    out.dnsrr = s.deploy->dnsrr;
    out.spec = &s;
    for (const auto& sn : s.networks) {
        out.networks.push_back(sn.key);
    }
    for (const auto& pm : s.ports) {
        for (int i = 0; i <= pm.targetLast - pm.targetFirst; ++i) {
            out.published.push_back(
                SwarmPort{pm.publishedFirst + i, pm.targetFirst + i, pm.proto, pm.hostMode});
        }
    }
    return out;
}

std::vector<std::string> aliasesOf(const ServiceSpec& s, const std::string& network) {
    std::vector<std::string> out{s.key};
    for (const auto& sn : s.networks) {
        if (sn.key != network) {
            continue;
        }
        for (const auto& a : sn.aliases) {
            if (std::find(out.begin(), out.end(), a) == out.end()) {
                out.push_back(a);
            }
        }
    }
    return out;
}

}  // namespace

namespace {

// An allocation for `s` on `network`, the error positioned at the key that
// asked for it (its ports for ingress, else its networks).
Endpoint allocateFor(const ServiceSpec& s, const std::string& network, const std::string& host,
                     const std::string& seed, SwarmAllocator& alloc) {
    try {
        return alloc.nextEndpoint(network, host, seed);
    } catch (const Error& e) {
        SourcePos at = s.deploy->pos;
        std::string key = "deploy";
        if (network == "ingress" && !s.ports.empty()) {
            at = s.ports.front().pos;
            key = "ports";
        }
        for (const auto& sn : s.networks) {
            if (sn.key == network) {
                at = sn.pos;
                key = "networks." + network;
            }
        }
        throw Error(e.kind(),
                    fmt::format("services.{}.{}: {} (the swarm's tasks and VIPs on {} do not fit "
                                "its subnet)",
                                s.key, key, e.message(), network),
                    at);
    }
}

}  // namespace

void createSwarmServices(const Scenario& sc, Topology& topo,
                         const std::vector<const ServiceSpec*>& services, SwarmAllocator& alloc) {
    const std::string ingress = "ingress";
    const std::size_t firstTask = topo.containers.size();
    for (const ServiceSpec* s : services) {
        SwarmService svc = describe(sc, *s);
        std::vector<std::string> nets = svc.networks;
        if (svc.usesIngress()) {
            nets.push_back(ingress);
        }
        if (!svc.dnsrr) {
            for (const auto& n : nets) {
                // The manager allocates it from the network's one pool.
                const NetworkInstance* net = topo.findNetwork(n);
                const Endpoint vip =
                    allocateFor(*s, n, net->hosts.front(), svc.name + "/vip", alloc);
                svc.vips.push_back(ServiceVip{n, vip.ipv4, vip.prefix});
            }
        }
        for (const auto& placed : placeTasks(sc, *s)) {
            Container c;
            c.service = placed.name;
            c.name = sc.projectName + "_" + placed.name;
            c.host = placed.host;
            c.netns = sc.findHost(c.name) != nullptr || sc.findExternal(c.name) != nullptr
                          ? c.name + "@" + c.host
                          : c.name;
            c.networkMode = "default";
            c.spec = s;
            c.task = s->key;
            for (const auto& n : nets) {
                Endpoint ep = allocateFor(*s, n, c.host, c.name + "/" + n, alloc);
                ep.id = objectId(c.name + "/" + n);
                if (n != ingress) {
                    ep.aliases = aliasesOf(*s, n);
                }
                c.endpoints.push_back(std::move(ep));
            }
            svc.tasks.push_back(c.service);
            topo.containers.push_back(std::move(c));
        }
        svc.replicas = static_cast<int>(svc.tasks.size());
        topo.services.push_back(std::move(svc));
    }
    std::set<std::pair<std::string, std::string>> runsTask;  // (network, host)
    for (std::size_t i = firstTask; i < topo.containers.size(); ++i) {
        for (const auto& e : topo.containers[i].endpoints) {
            runsTask.emplace(e.network, topo.containers[i].host);
        }
    }
    for (const auto& net : topo.networks) {
        for (const auto& h : sc.hosts) {
            if (net.driver == "overlay" && !net.ingress && runsTask.count({net.key, h.name}) != 0) {
                alloc.addLoadBalancer(net, h.name);
            }
        }
    }
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = firstTask; i < topo.containers.size(); ++i) {
            Container& c = topo.containers[i];
            const bool onIngress =
                std::any_of(c.endpoints.begin(), c.endpoints.end(),
                            [&](const Endpoint& e) { return e.network == ingress; });
            if (onIngress == (pass == 1)) {
                alloc.addGwbridgeEndpoint(c);
            }
        }
    }
}

}  // namespace cnmlab::model
