#include "drivers/sandbox_services.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace cnmlab::drivers {

namespace {

Owner dnsOwner(const std::string& netns) {
    return "dns:" + netns;
}

// docker_gwbridge endpoints are anonymous (default_gateway.go
// CreateOptionAnonymous): no name is answered on them.
bool userDefined(const JoinedEndpoint& e) {
    return !e.network->predefined && !e.network->implicit && e.network->driver != "host" &&
           e.network->driver != "null";
}

// The records Docker's DNS has for one container's endpoint: the aliases
// Compose gave it (service name first) and the container name. For a task of
// a swarm service (service_common.go addEndpointNameResolution): its
// container name, tasks.PROJECT_KEY and tasks.ALIAS for each service alias,
// and the service's names (PROJECT_KEY and its aliases) for the VIP on that
// network, or for the task itself with endpoint_mode dnsrr.
std::vector<std::pair<std::string, Ipv4>>
recordsOf(const model::Topology& topo, const SandboxState& sb, const JoinedEndpoint& e) {
    std::vector<std::pair<std::string, Ipv4>> out;
    const Ipv4 address = e.endpoint->ipv4;
    const model::Container& c = *sb.container;
    const model::SwarmService* svc = c.task.empty() ? nullptr : topo.findService(c.task);
    if (svc == nullptr) {
        for (const auto& a : e.endpoint->aliases) {
            out.emplace_back(a, address);
        }
        out.emplace_back(c.name, address);
        return out;
    }
    out.emplace_back(c.name, address);
    std::vector<std::string> names{svc->name};
    names.insert(names.end(), e.endpoint->aliases.begin(), e.endpoint->aliases.end());
    for (const auto& n : names) {
        out.emplace_back("tasks." + n, address);
    }
    const model::ServiceVip* vip = svc->vipOn(e.network->key);
    for (const auto& n : names) {
        out.emplace_back(n, vip != nullptr ? vip->ipv4 : address);
    }
    return out;
}

// What each network answers: its members' records in sandbox order, each
// (name, address) once (a VIP is every task's), with the host of the member
// (local networks answer only their own host's), and NAME.NETWORK beside.
struct NetworkRecord {
    std::string name;
    std::string qualified;  // NAME.NETWORK
    Ipv4 address;
    std::string host;
};
using NetworkRecords = std::map<const model::NetworkInstance*, std::vector<NetworkRecord>>;

NetworkRecords recordsByNetwork(const model::Topology& topo,
                                const std::vector<const SandboxState*>& sandboxes) {
    NetworkRecords out;
    std::map<const model::NetworkInstance*, std::set<std::pair<std::string, std::uint32_t>>> seen;
    for (const SandboxState* sb : sandboxes) {
        if (sb->hostMode) {
            continue;
        }
        for (const auto& e : sb->endpoints) {
            if (!userDefined(e)) {
                continue;
            }
            for (auto& [name, address] : recordsOf(topo, *sb, e)) {
                if (seen[e.network].emplace(name, address.value()).second) {
                    out[e.network].push_back(
                        NetworkRecord{name, name + "." + e.network->name, address, sb->host});
                }
            }
        }
    }
    return out;
}

// Adds the records `net` answers in `asker` for names no earlier network claimed.
void addRecordsFor(const SandboxState& asker, const JoinedEndpoint& net,
                   const NetworkRecords& records, std::set<std::string>& claimed,
                   PlanBuilder& plan) {
    const bool local = net.network->scope == "local";
    auto it = records.find(net.network);
    if (it == records.end()) {
        return;
    }
    const Owner owner = dnsOwner(asker.netns);
    std::vector<const std::string*> answered;
    for (const NetworkRecord& r : it->second) {
        if (local && r.host != asker.host) {
            continue;
        }
        // NAME.NETWORK is looked up on that network only.
        plan.add(owner, DnsRecord{asker.netns, r.qualified, r.address, net.network->key});
        if (claimed.count(r.name) == 0) {
            answered.push_back(&r.name);
            plan.add(owner, DnsRecord{asker.netns, r.name, r.address, net.network->key});
        }
    }
    for (const std::string* name : answered) {
        claimed.insert(*name);
    }
}

}  // namespace

void addServiceDiscovery(const model::Topology& topo,
                         const std::vector<const SandboxState*>& sandboxes, PlanBuilder& plan) {
    const NetworkRecords records = recordsByNetwork(topo, sandboxes);
    for (const SandboxState* sb : sandboxes) {
        if (sb->hostMode) {
            continue;
        }
        std::set<std::string> claimed;
        std::vector<const JoinedEndpoint*> order = sb->sortedEndpoints();
        if (topo.swarm) {
            // sandbox.go ResolveName on a swarm node: the endpoints on swarm
            // networks first, then ingress, then the local ones.
            std::stable_partition(order.begin(), order.end(), [](const JoinedEndpoint* e) {
                return e->network->scope == "swarm" && !e->network->ingress;
            });
        }
        for (const JoinedEndpoint* e : order) {
            if (userDefined(*e)) {
                addRecordsFor(*sb, *e, records, claimed, plan);
            }
        }
    }
}

std::string processNetns(const model::Topology& topo, const model::Container& c) {
    const model::Container* cur = &c;
    for (std::size_t guard = 0; guard <= topo.containers.size(); ++guard) {
        if (cur->networkMode == "host") {
            return cur->host;
        }
        if (cur->sandboxOf.empty()) {
            return cur->netns;
        }
        const model::Container* next = topo.findContainer(cur->sandboxOf);
        if (next == nullptr) {
            break;
        }
        cur = next;
    }
    return cur->netns;
}

void addListeners(const model::Topology& topo, PlanBuilder& plan) {
    std::set<std::tuple<std::string, int, int>> seen;  // (netns, port, proto)
    for (const auto& c : topo.containers) {
        if (c.spec == nullptr) {
            continue;
        }
        std::vector<model::PortProto> ports = c.spec->listen;
        ports.insert(ports.end(), c.spec->expose.begin(), c.spec->expose.end());
        for (const auto& pm : c.spec->ports) {
            for (int p = pm.targetFirst; p <= pm.targetLast; ++p) {
                ports.push_back(model::PortProto{p, pm.proto});
            }
        }
        const std::string netns = processNetns(topo, c);
        for (const auto& pp : ports) {
            if (!seen.emplace(netns, pp.port, static_cast<int>(pp.proto)).second) {
                continue;
            }
            Listener l;
            l.netns = netns;
            l.address = Ipv4();
            l.port = pp.port;
            l.proto = pp.proto;
            l.owner = c.service;
            plan.add("listen:" + c.service, l);
        }
    }
}

}  // namespace cnmlab::drivers
