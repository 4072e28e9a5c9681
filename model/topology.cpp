#include "model/topology.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "model/ipam.hpp"

namespace cnmlab::model {

std::string objectId(std::string_view seed) {
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a, then splitmix64 for 256 bits
    for (char c : seed) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    std::string out;
    for (int i = 0; i < 4; ++i) {
        h += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = h;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        out += fmt::format("{:016x}", z ^ (z >> 31));
    }
    return out;
}

const NetworkInstance* Topology::findNetwork(std::string_view key) const {
    auto it = std::find_if(networks.begin(), networks.end(),
                           [&](const NetworkInstance& n) { return n.key == key; });
    return it == networks.end() ? nullptr : &*it;
}

const Container* Topology::findContainer(std::string_view service) const {
    auto it = std::find_if(containers.begin(), containers.end(),
                           [&](const Container& c) { return c.service == service; });
    return it == containers.end() ? nullptr : &*it;
}

namespace {

// Where a network's addresses come from on one host.
struct PoolRef {
    Ipam* ipam = nullptr;
    PoolId id = 0;
};

class Resolver {
public:
    explicit Resolver(const Scenario& sc) : m_sc(sc), m_global(Ipam::makeGlobalSpace()) {
        m_swarm = std::make_unique<Ipam>(std::vector<Cidr>{}, m_global);
        for (const auto& h : sc.hosts) {
            Cidr lan{h.underlay.network(), h.underlay.prefix};
            m_ipam.emplace(h.name, std::make_unique<Ipam>(std::vector<Cidr>{lan}, m_global));
        }
    }

    Topology run() {
        m_topo.scenario = &m_sc;
        createPredefined();
        createNetworks();
        createContainers();
        // Predefined networks are listed only when a container uses them.
        std::erase_if(m_topo.networks, [&](const NetworkInstance& n) {
            return n.predefined && m_usedPredefined.count(n.key) == 0;
        });
        return std::move(m_topo);
    }

private:
    [[noreturn]] static void fail(ErrorKind kind, const SourcePos& pos, const std::string& msg) {
        throw Error(kind, msg, pos);
    }

    static NetworkInstance predefined(const std::string& name, const std::string& driver) {
        NetworkInstance n;
        n.key = name;
        n.name = name;
        n.id = objectId(name);
        n.driver = driver;
        n.scope = "local";
        n.predefined = true;
        return n;
    }

    void createPredefined() {
        // docker0 is made when each daemon starts: the first local pool, gateway .1.
        NetworkInstance bridge = predefined("bridge", "bridge");
        for (const auto& h : m_sc.hosts) {
            Ipam& ipam = *m_ipam.at(h.name);
            const PoolId id = ipam.requestPool(AddressSpaceKind::Local, std::nullopt, std::nullopt,
                                               "bridge");
            const Ipv4 gw = ipam.requestAddress(id, std::nullopt, true);
            if (!bridge.subnet) {
                bridge.subnet = ipam.pool(id).subnet;
                bridge.gateway = gw;
            }
            bridge.hosts.push_back(h.name);
            m_pools[{"bridge", h.name}] = {&ipam, id};
            m_subnets[h.name].emplace_back(ipam.pool(id).subnet, "bridge");
        }
        m_topo.networks.push_back(bridge);
        NetworkInstance host = predefined("host", "host");
        NetworkInstance none = predefined("none", "null");
        for (const auto& h : m_sc.hosts) {
            host.hosts.push_back(h.name);
            none.hosts.push_back(h.name);
        }
        m_topo.networks.push_back(host);
        m_topo.networks.push_back(none);
    }

    // An external network named bridge, host or none is that predefined network.
    static std::optional<std::string> predefinedAlias(const Scenario& sc, const NetworkSpec& n) {
        const std::string name = sc.networkName(n);
        if (n.external && (name == kPredefinedBridge || name == kPredefinedHost ||
                           name == kPredefinedNone)) {
            return name;
        }
        return std::nullopt;
    }

    std::vector<std::string> hostsOf(const NetworkSpec& n) const {
        std::vector<std::string> out;
        for (const auto& h : m_sc.hosts) {
            for (const auto& s : m_sc.services) {
                const bool on = std::any_of(s.networks.begin(), s.networks.end(),
                                            [&](const ServiceNetwork& sn) { return sn.key == n.key; });
                if (on && m_sc.hostOf(s) == h.name) {
                    out.push_back(h.name);
                    break;
                }
            }
        }
        if (out.empty()) {
            out.push_back(m_sc.hosts.front().name);
        }
        return out;
    }

    void createNetworks() {
        // Allocation order (see topology.hpp): explicit subnets, then pools;
        // external networks first within each; the implicit default last.
        auto rank = [](const NetworkSpec* n) {
            if (n->implicit) {
                return 4;
            }
            const bool explicitSubnet = !n->ipamConfigs.empty() && n->ipamConfigs.front().subnet;
            return (explicitSubnet ? 0 : 2) + (n->external ? 0 : 1);
        };
        std::vector<const NetworkSpec*> order;
        for (const auto& n : m_sc.networks) {
            if (!predefinedAlias(m_sc, n)) {
                order.push_back(&n);
            }
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](const NetworkSpec* a, const NetworkSpec* b) { return rank(a) < rank(b); });
        std::map<std::string, std::size_t> index;
        for (const NetworkSpec* n : order) {
            index[n->key] = m_topo.networks.size();
            m_topo.networks.push_back(createNetwork(*n));
        }
        // List networks in file order (allocation order differs).
        std::vector<NetworkInstance> sorted(m_topo.networks.begin(), m_topo.networks.begin() + 3);
        for (const auto& n : m_sc.networks) {
            if (auto it = index.find(n.key); it != index.end()) {
                sorted.push_back(std::move(m_topo.networks[it->second]));
            }
        }
        m_topo.networks = std::move(sorted);
    }

    NetworkInstance createNetwork(const NetworkSpec& n) {
        NetworkInstance inst;
        inst.key = n.key;
        inst.name = m_sc.networkName(n);
        inst.id = objectId(m_sc.projectName + "/" + inst.name);
        inst.driver = n.driver == "none" ? "null" : n.driver;
        inst.scope = n.driver == "overlay" ? "swarm" : "local";
        inst.internal = n.internal;
        inst.attachable = n.attachable;
        inst.spec = &n;
        inst.hosts = hostsOf(n);
        const IpamConfig* cfg = n.ipamConfigs.empty() ? nullptr : &n.ipamConfigs.front();
        const std::optional<Cidr> subnet = cfg ? cfg->subnet : std::nullopt;
        const SourcePos where = cfg ? cfg->pos : n.pos;
        if (subnet) {
            checkOverlap(inst, *subnet, where);
        }
        const bool swarm = inst.scope == "swarm";
        for (const auto& host : inst.hosts) {
            Ipam& ipam = swarm ? *m_swarm : *m_ipam.at(host);
            if (swarm && inst.subnet) {
                m_pools[{n.key, host}] = m_pools.at({n.key, inst.hosts.front()});
                m_subnets[host].emplace_back(*inst.subnet, inst.name);
                continue;
            }
            PoolId id = 0;
            try {
                id = ipam.requestPool(swarm ? AddressSpaceKind::Global : AddressSpaceKind::Local,
                                      subnet, cfg ? cfg->ipRange : std::nullopt, inst.name);
            } catch (const Error& e) {
                fail(e.kind(), where, fmt::format("networks.{}: {} on {}", n.key, e.message(), host));
            }
            const PoolInfo& info = ipam.pool(id);
            std::optional<Ipv4> gw;
            try {
                gw = ipam.requestAddress(id, cfg ? cfg->gateway : std::nullopt, true);
                for (const auto& [auxName, ip] : cfg ? cfg->auxAddresses
                                                     : std::vector<std::pair<std::string, Ipv4>>{}) {
                    ipam.requestAddress(id, ip);
                }
            } catch (const Error& e) {
                fail(e.kind(), where, fmt::format("networks.{}: {}", n.key, e.message()));
            }
            if (!inst.subnet) {
                inst.subnet = info.subnet;
                inst.ipRange = info.range;
                inst.gateway = gw;
            }
            m_pools[{n.key, host}] = {&ipam, id};
            m_subnets[host].emplace_back(info.subnet, inst.name);
        }
        return inst;
    }

    void checkOverlap(const NetworkInstance& inst, const Cidr& subnet, const SourcePos& where) {
        for (const auto& host : m_sc.hosts) {
            const bool here = inst.scope == "swarm" ||
                              std::find(inst.hosts.begin(), inst.hosts.end(), host.name) !=
                                  inst.hosts.end();
            for (const auto& [other, name] : m_subnets[host.name]) {
                if (!other.overlaps(subnet)) {
                    continue;
                }
                if (here || m_swarmNames.count(name) != 0) {
                    fail(ErrorKind::Conflict, where,
                         fmt::format("networks.{}: subnet {} overlaps {} of network {} on {} "
                                     "(Docker: Pool overlaps with other one on this address space)",
                                     inst.key, subnet.str(), other.str(), name, host.name));
                }
            }
        }
        if (inst.scope == "swarm") {
            m_swarmNames.insert(inst.name);
        }
    }

    void createContainers() {
        // Static addresses first (libnetwork reserves requested addresses; Compose
        // users expect them honoured), then dynamic ones, services in file order.
        for (const auto& s : m_sc.services) {
            m_topo.containers.push_back(makeContainer(s));
        }
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t ci = 0; ci < m_sc.services.size(); ++ci) {
                const ServiceSpec& s = m_sc.services[ci];
                Container& c = m_topo.containers[ci];
                for (std::size_t ei = 0; ei < c.endpoints.size(); ++ei) {
                    const ServiceNetwork* sn = endpointSpec(s, c.endpoints[ei].network);
                    const bool isStatic = sn != nullptr && sn->ipv4Address.has_value();
                    if (isStatic == (pass == 0)) {
                        allocate(s, c, c.endpoints[ei], sn);
                    }
                }
            }
        }
    }

    static const ServiceNetwork* endpointSpec(const ServiceSpec& s, const std::string& key) {
        for (const auto& sn : s.networks) {
            if (sn.key == key) {
                return &sn;
            }
        }
        return nullptr;
    }

    static Endpoint endpointOn(const std::string& network) {
        Endpoint ep;
        ep.network = network;
        return ep;
    }

    Container makeContainer(const ServiceSpec& s) {
        Container c;
        c.service = s.key;
        c.name = m_sc.containerName(s);
        c.host = m_sc.hostOf(s);
        c.spec = &s;
        switch (s.networkMode) {
        case NetworkMode::Default:
            c.networkMode = "default";
            break;
        case NetworkMode::Bridge:
            c.networkMode = "bridge";
            c.endpoints.push_back(endpointOn("bridge"));
            m_usedPredefined.insert("bridge");
            return c;
        case NetworkMode::Host:
            c.networkMode = "host";
            m_usedPredefined.insert("host");
            return c;
        case NetworkMode::None:
            c.networkMode = "none";
            m_usedPredefined.insert("none");
            return c;
        case NetworkMode::Service:
        case NetworkMode::Container:
            c.networkMode = (s.networkMode == NetworkMode::Service ? "service:" : "container:") +
                            s.networkModeTarget;
            for (const auto& o : m_sc.services) {
                if (o.key == s.networkModeTarget || m_sc.containerName(o) == s.networkModeTarget) {
                    c.sandboxOf = o.key;
                }
            }
            return c;
        }
        for (const auto& sn : s.networks) {
            const NetworkSpec* n = m_sc.findNetwork(sn.key);
            if (auto alias = predefinedAlias(m_sc, *n)) {
                if (*alias != "bridge" && s.networks.size() > 1) {
                    fail(ErrorKind::Invalid, sn.pos,
                         fmt::format("services.{}.networks.{}: a container on the {} network "
                                     "cannot join other networks",
                                     s.key, sn.key, *alias));
                }
                if (*alias != "bridge") {
                    c.networkMode = *alias;
                    m_usedPredefined.insert(*alias);
                    return c;
                }
                m_usedPredefined.insert("bridge");
                c.endpoints.push_back(endpointOn("bridge"));
                continue;
            }
            Endpoint ep;
            ep.network = sn.key;
            ep.aliases.push_back(s.key);
            for (const auto& a : sn.aliases) {
                if (std::find(ep.aliases.begin(), ep.aliases.end(), a) == ep.aliases.end()) {
                    ep.aliases.push_back(a);
                }
            }
            c.endpoints.push_back(std::move(ep));
        }
        return c;
    }

    void allocate(const ServiceSpec& s, Container& c, Endpoint& ep, const ServiceNetwork* sn) {
        const PoolRef& ref = m_pools.at({ep.network, c.host});
        const PoolInfo& info = ref.ipam->pool(ref.id);
        const std::optional<Ipv4> want = sn != nullptr ? sn->ipv4Address : std::nullopt;
        const SourcePos where = sn != nullptr ? (want ? sn->ipv4Pos : sn->pos) : s.pos;
        try {
            ep.ipv4 = ref.ipam->requestAddress(ref.id, want);
        } catch (const Error& e) {
            const NetworkInstance* net = m_topo.findNetwork(ep.network);
            std::string detail = e.message();
            if (want && net != nullptr && net->gateway == *want) {
                detail = fmt::format("{} is the gateway of {}", want->str(), net->name);
            } else if (want) {
                for (const auto& other : m_topo.containers) {
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
            fail(e.kind(), where,
                 fmt::format("services.{}.networks.{}{}: {}", s.key, ep.network,
                             want ? ".ipv4_address" : "", detail));
        }
        ep.prefix = info.subnet.prefix;
        ep.mac = macFromIp(ep.ipv4);
        ep.id = objectId(c.name + "/" + ep.network);
    }

    const Scenario& m_sc;
    std::shared_ptr<AddressSpace> m_global;
    std::unique_ptr<Ipam> m_swarm;
    std::map<std::string, std::unique_ptr<Ipam>> m_ipam;
    std::map<std::pair<std::string, std::string>, PoolRef> m_pools;  // (network key, host)
    std::map<std::string, std::vector<std::pair<Cidr, std::string>>> m_subnets;  // per host
    std::set<std::string> m_swarmNames;
    std::set<std::string> m_usedPredefined;
    Topology m_topo;
};

}  // namespace

Topology resolve(const Scenario& sc) { return Resolver(sc).run(); }

}  // namespace cnmlab::model
