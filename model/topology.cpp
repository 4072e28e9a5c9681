#include "model/topology.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "model/ipam.hpp"
#include "model/ipam_calico.hpp"
#include "model/topology_rules.hpp"
#include "model/topology_swarm.hpp"

namespace cnmlab::model {

namespace {

// Where a network's addresses come from on one host.
struct PoolRef {
    Ipam* ipam = nullptr;
    PoolId id = 0;
};

class Resolver : public SwarmAllocator {
public:
    Resolver(const Scenario& sc, const std::vector<HistoryStep>& history)
        : m_sc(sc), m_history(history), m_global(Ipam::makeGlobalSpace()) {
        m_swarm = std::make_unique<Ipam>(std::vector<Cidr>{}, m_global);
        for (const auto& h : sc.hosts) {
            Cidr lan{h.underlay.network(), h.underlay.prefix};
            m_ipam.emplace(h.name, std::make_unique<Ipam>(std::vector<Cidr>{lan}, m_global));
        }
    }

    Topology run() {
        m_topo.scenario = &m_sc;
        std::set<std::string> laterServices;
        std::set<std::string> laterNetworks;
        for (const auto& step : m_history) {
            laterServices.insert(step.addServices.begin(), step.addServices.end());
            laterNetworks.insert(step.addNetworks.begin(), step.addNetworks.end());
        }
        createPredefined();
        m_topo.swarm = std::any_of(m_sc.networks.begin(), m_sc.networks.end(),
                                   [](const NetworkSpec& n) { return n.driver == "overlay"; }) ||
                       std::any_of(m_sc.services.begin(), m_sc.services.end(),
                                   [](const ServiceSpec& s) { return s.deploy.has_value(); });
        if (m_topo.swarm) {
            createSwarm();
        }
        createNetworks(laterNetworks);
        std::vector<const ServiceSpec*> initial;
        std::vector<const ServiceSpec*> swarmServices;
        for (const auto& s : m_sc.services) {
            if (s.deploy) {
                checkSwarmService(m_sc, s);
                swarmServices.push_back(&s);
            } else if (laterServices.count(s.key) == 0) {
                initial.push_back(&s);
            }
        }
        createSwarmServices(m_sc, m_topo, swarmServices, *this);
        createContainers(initial);
        for (const auto& step : m_history) {
            replay(step);
        }
        finish();
        return std::move(m_topo);
    }

private:
    [[noreturn]] static void fail(ErrorKind kind, const SourcePos& pos, const std::string& msg) {
        throw Error(kind, msg, pos);
    }

    NetworkInstance predefined(const std::string& name, const std::string& driver) const {
        NetworkInstance n;
        n.key = m_sc.predefinedKey(name);
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
            const PoolId id =
                ipam.requestPool(AddressSpaceKind::Local, std::nullopt, std::nullopt, "bridge");
            const Ipv4 gw = ipam.requestAddress(id, std::nullopt, true);
            if (!bridge.subnet) {
                bridge.subnet = ipam.pool(id).subnet;
                bridge.gateway = gw;
            }
            bridge.hosts.push_back(h.name);
            m_pools[{bridge.key, h.name}] = {&ipam, id};
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

    // `docker swarm init` on the first host, `join` on the others (SPEC §1a;
    // docs/overlay.md): the manager makes `ingress` (the first subnet of the
    // global pool, VXLAN ID 4096), and each node, in join order, its ingress
    // sandbox: an address on ingress, then docker_gwbridge (the next local
    // pool of that node, after docker0) with the sandbox at its second address.
    void createSwarm() {
        NetworkInstance gw = predefined("docker_gwbridge", "bridge");
        gw.predefined = false;
        gw.implicit = true;
        NetworkInstance ingress = predefined("ingress", "overlay");
        ingress.predefined = false;
        ingress.implicit = true;
        ingress.ingress = true;
        ingress.scope = "swarm";
        ingress.vni = m_nextVni++;
        const PoolId ingressPool =
            m_swarm->requestPool(AddressSpaceKind::Global, std::nullopt, std::nullopt, "ingress");
        ingress.subnet = m_swarm->pool(ingressPool).subnet;
        ingress.gateway = m_swarm->requestAddress(ingressPool, std::nullopt, true);
        m_swarmNames.insert(ingress.name);
        for (const auto& h : m_sc.hosts) {
            Ipam& ipam = *m_ipam.at(h.name);
            const PoolId id = ipam.requestPool(AddressSpaceKind::Local, std::nullopt, std::nullopt,
                                               "docker_gwbridge");
            const Ipv4 gateway = ipam.requestAddress(id, std::nullopt, true);
            if (!gw.subnet) {
                gw.subnet = ipam.pool(id).subnet;
                gw.gateway = gateway;
            }
            gw.hosts.push_back(h.name);
            ingress.hosts.push_back(h.name);
            m_pools[{gw.key, h.name}] = {&ipam, id};
            m_pools[{ingress.key, h.name}] = {m_swarm.get(), ingressPool};
            m_subnets[h.name].emplace_back(ipam.pool(id).subnet, gw.name);
            m_subnets[h.name].emplace_back(*ingress.subnet, ingress.name);
        }
        m_gwbridgeKey = gw.key;
        m_topo.networks.push_back(gw);
        m_topo.networks.push_back(ingress);
        for (const auto& h : m_sc.hosts) {
            LoadBalancer lb;
            lb.host = h.name;
            lb.endpoint = systemEndpoint(ingress.key, h.name, "ingress-endpoint");
            lb.gwbridge = systemEndpoint(gw.key, h.name, "gateway_ingress-sbox");
            m_topo.loadBalancers.push_back(std::move(lb));
        }
    }

    // libnetwork default_gateway.go createGWNetwork, outside a swarm: the
    // first container on a host that needs docker_gwbridge makes it there,
    // from the host's next local pool.
    void ensureGwbridge(const std::string& host) {
        if (m_gwbridgeKey.empty()) {
            NetworkInstance gw = predefined("docker_gwbridge", "bridge");
            gw.predefined = false;
            gw.implicit = true;
            m_gwbridgeKey = gw.key;
            m_topo.networks.push_back(gw);
        }
        if (m_pools.count({m_gwbridgeKey, host}) != 0) {
            return;
        }
        auto gw = std::find_if(m_topo.networks.begin(), m_topo.networks.end(),
                               [this](const NetworkInstance& n) { return n.key == m_gwbridgeKey; });
        Ipam& ipam = *m_ipam.at(host);
        const PoolId id = ipam.requestPool(AddressSpaceKind::Local, std::nullopt, std::nullopt,
                                           "docker_gwbridge");
        const Ipv4 gateway = ipam.requestAddress(id, std::nullopt, true);
        if (!gw->subnet) {
            gw->subnet = ipam.pool(id).subnet;
            gw->gateway = gateway;
        }
        gw->hosts.push_back(host);
        m_pools[{m_gwbridgeKey, host}] = {&ipam, id};
        m_subnets[host].emplace_back(ipam.pool(id).subnet, gw->name);
    }

    Endpoint nextEndpoint(const std::string& network, const std::string& host,
                          const std::string& idSeed) override {
        return systemEndpoint(network, host, idSeed);
    }

    // An endpoint of Docker's own (a load balancer's, the ingress sandbox's,
    // a container's on docker_gwbridge): the next address of its pool there.
    Endpoint systemEndpoint(const std::string& network, const std::string& host,
                            const std::string& name) {
        const PoolRef& ref = m_pools.at({network, host});
        Endpoint ep;
        ep.network = network;
        ep.ipv4 = ref.ipam->requestAddress(ref.id, std::nullopt);
        ep.prefix = ref.ipam->pool(ref.id).subnet.prefix;
        ep.mac = macFromIp(ep.ipv4);
        ep.id = objectId(name + "@" + host + "/" + network);
        return ep;
    }

    // swarmkit allocateNode: a node's first container on an overlay brings
    // the node's load-balancer attachment for it, allocated right after.
    void addLoadBalancer(const NetworkInstance& net, const std::string& host) override {
        if (net.driver != "overlay" || m_topo.findLoadBalancer(net.key, host) != nullptr) {
            return;
        }
        LoadBalancer lb;
        lb.host = host;
        lb.endpoint = systemEndpoint(net.key, host, net.name + "-endpoint");
        m_topo.loadBalancers.push_back(std::move(lb));
    }

    void addGwbridgeEndpoint(Container& c) override {
        if (!c.sandboxOf.empty() || !needsGwbridge(m_topo, c)) {
            return;
        }
        if (!m_topo.swarm) {
            ensureGwbridge(c.host);
        }
        const std::string sandboxId = objectId(c.name + "/sandbox").substr(0, 12);
        c.endpoints.push_back(systemEndpoint(m_gwbridgeKey, c.host, "gateway_" + sandboxId));
    }

    // An external network named bridge, host or none is that predefined network.
    static std::optional<std::string> predefinedAlias(const Scenario& sc, const NetworkSpec& n) {
        return sc.predefinedAlias(n);
    }

    void createNetworks(const std::set<std::string>& skip) {
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
            if (!predefinedAlias(m_sc, n) && skip.count(n.key) == 0) {
                order.push_back(&n);
            }
        }
        std::stable_sort(
            order.begin(), order.end(),
            [&](const NetworkSpec* a, const NetworkSpec* b) { return rank(a) < rank(b); });
        for (const NetworkSpec* n : order) {
            m_topo.networks.push_back(createNetwork(*n));
        }
    }

    // One step of history: what `docker rm` / `docker network rm` release, then
    // what the next `docker network create` / `docker run` allocate.
    void replay(const HistoryStep& step) {
        for (const auto& key : step.removeServices) {
            auto it = std::find_if(m_topo.containers.begin(), m_topo.containers.end(),
                                   [&](const Container& c) { return c.service == key; });
            if (it == m_topo.containers.end()) {
                continue;
            }
            for (const auto& ep : it->endpoints) {
                const PoolRef& ref = m_pools.at({ep.network, it->host});
                ref.ipam->releaseAddress(ref.id, ep.ipv4);
            }
            m_topo.containers.erase(it);
        }
        for (const auto& key : step.removeNetworks) {
            auto it = std::find_if(m_topo.networks.begin(), m_topo.networks.end(),
                                   [&](const NetworkInstance& n) { return n.key == key; });
            if (it == m_topo.networks.end() || it->predefined) {
                continue;
            }
            const bool swarm = it->scope == "swarm";
            for (const auto& host : it->hosts) {
                const PoolRef ref = m_pools.at({key, host});
                if (!swarm || host == it->hosts.front()) {
                    ref.ipam->releasePool(ref.id);
                }
                m_pools.erase({key, host});
                std::erase_if(m_subnets[host], [&](const auto& e) { return e.second == it->name; });
            }
            m_topo.networks.erase(it);
        }
        for (const auto& n : m_sc.networks) {
            if (std::find(step.addNetworks.begin(), step.addNetworks.end(), n.key) !=
                step.addNetworks.end()) {
                m_topo.networks.push_back(createNetwork(n));
            }
        }
        std::vector<const ServiceSpec*> added;
        for (const auto& s : m_sc.services) {
            if (std::find(step.addServices.begin(), step.addServices.end(), s.key) !=
                step.addServices.end()) {
                added.push_back(&s);
            }
        }
        createContainers(added);
    }

    // Networks in file order after the predefined ones; containers in file order.
    void finish() {
        std::vector<NetworkInstance> sorted;
        for (auto& n : m_topo.networks) {
            if (n.predefined && m_usedPredefined.count(n.key) != 0) {
                sorted.push_back(std::move(n));
            }
        }
        for (auto& n : m_topo.networks) {
            if (n.implicit) {
                sorted.push_back(std::move(n));
            }
        }
        for (const auto& spec : m_sc.networks) {
            for (auto& n : m_topo.networks) {
                if (!n.predefined && !n.implicit && n.key == spec.key) {
                    sorted.push_back(std::move(n));
                }
            }
        }
        m_topo.networks = std::move(sorted);
        std::vector<Container> containers;
        for (const auto& s : m_sc.services) {
            for (auto& c : m_topo.containers) {
                if (c.service == s.key || c.task == s.key) {
                    containers.push_back(std::move(c));
                }
            }
        }
        m_topo.containers = std::move(containers);
        assignCalicoAddresses(m_sc, m_topo, m_calico, m_calicoPools);
        warnAboutMachineAddresses(m_sc, m_topo);
    }

    NetworkInstance createNetwork(const NetworkSpec& n) {
        NetworkInstance inst;
        inst.key = n.key;
        inst.name = m_sc.networkName(n);
        inst.id = objectId(m_sc.projectName + "/" + inst.name);
        inst.driver = n.driver == "none" ? "null" : n.driver;
        const auto plugin = pluginTraits(m_sc, n.driver);
        inst.scope = n.driver == "overlay"           ? "swarm"
                     : plugin && plugin->globalScope ? "global"
                                                     : "local";
        inst.internal = n.internal;
        inst.attachable = n.attachable;
        inst.spec = &n;
        inst.hosts = hostsUsing(m_sc, n);
        if (inst.driver == "overlay") {
            inst.vni = m_nextVni++;
        }
        const IpamConfig* cfg = n.ipamConfigs.empty() ? nullptr : &n.ipamConfigs.front();
        const std::optional<Cidr> subnet = cfg ? cfg->subnet : std::nullopt;
        const SourcePos where = cfg ? cfg->pos : n.pos;
        if (subnet) {
            checkOverlap(inst, *subnet, where);
        }
        // Swarm and global scope: one pool from the global address space.
        const bool swarm = inst.scope != "local";
        if (n.ipamDriver && *n.ipamDriver != "default") {
            // calico's IPAM: RequestPool answers the requested pool (or
            // 0.0.0.0/0) and a dummy gateway; addresses come later, per host.
            inst.subnet = subnet.value_or(Cidr{Ipv4(), 0});
            inst.gateway = Ipv4();
            // One IPAM per Calico pool, whatever networks draw on it.
            const Cidr pool = subnet.value_or(kCalicoDefaultPool);
            m_calicoPools.emplace(pool.str(), CalicoIpam(pool));
            m_calico.emplace(n.key, pool.str());
            return inst;
        }
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
                fail(e.kind(), where,
                     fmt::format("networks.{}: {} on {}", n.key, e.message(), host));
            }
            const PoolInfo& info = ipam.pool(id);
            std::optional<Ipv4> gw;
            try {
                gw = ipam.requestAddress(id, cfg ? cfg->gateway : std::nullopt, true);
                for (const auto& [auxName, ip] :
                     cfg ? cfg->auxAddresses : std::vector<std::pair<std::string, Ipv4>>{}) {
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
        checkSubnetOverlap(m_sc, inst, subnet, where, m_subnets, m_swarmNames);
    }

    void createContainers(const std::vector<const ServiceSpec*>& services) {
        // Static addresses first (libnetwork reserves requested addresses; Compose
        // users expect them honoured), then dynamic ones, services in file order.
        const std::size_t first = m_topo.containers.size();
        for (const ServiceSpec* s : services) {
            m_topo.containers.push_back(makeContainer(*s));
        }
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t i = 0; i < services.size(); ++i) {
                const ServiceSpec& s = *services[i];
                Container& c = m_topo.containers[first + i];
                for (auto& ep : c.endpoints) {
                    const ServiceNetwork* sn = endpointSpec(s, ep.network);
                    const bool isStatic = sn != nullptr && sn->ipv4Address.has_value();
                    if (isStatic == (pass == 0)) {
                        allocate(s, c, ep, sn);
                    }
                }
            }
        }
        for (std::size_t i = 0; i < services.size(); ++i) {
            applyMacAddress(m_topo, *services[i], m_topo.containers[first + i]);
        }
        // Containers start in the recorder's (and cnmlab's) order: those with
        // a static address first, then the others, file order.
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t i = 0; i < services.size(); ++i) {
                const bool anyStatic =
                    std::any_of(services[i]->networks.begin(), services[i]->networks.end(),
                                [](const ServiceNetwork& sn) { return sn.ipv4Address; });
                if (anyStatic == (pass == 0)) {
                    addGwbridgeEndpoint(m_topo.containers[first + i]);
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
        c.netns = m_sc.findHost(c.name) != nullptr || m_sc.findExternal(c.name) != nullptr
                      ? c.name + "@" + c.host
                      : c.name;
        c.spec = &s;
        switch (s.networkMode) {
        case NetworkMode::Default:
            c.networkMode = "default";
            break;
        case NetworkMode::Bridge:
            c.networkMode = "bridge";
            c.endpoints.push_back(endpointOn(m_sc.predefinedKey("bridge")));
            m_usedPredefined.insert(m_sc.predefinedKey("bridge"));
            return c;
        case NetworkMode::Host:
            c.networkMode = "host";
            m_usedPredefined.insert(m_sc.predefinedKey("host"));
            return c;
        case NetworkMode::None:
            c.networkMode = "none";
            m_usedPredefined.insert(m_sc.predefinedKey("none"));
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
                    m_usedPredefined.insert(m_sc.predefinedKey(*alias));
                    return c;
                }
                m_usedPredefined.insert(m_sc.predefinedKey("bridge"));
                c.endpoints.push_back(endpointOn(m_sc.predefinedKey("bridge")));
                continue;
            }
            if (n->driver == "overlay" && !n->attachable) {
                fail(ErrorKind::Invalid, sn.pos,
                     fmt::format("services.{}.networks.{}: Docker refuses to start a plain "
                                 "container on overlay network {}: \"network {} not manually "
                                 "attachable\" (give it `attachable: true`)",
                                 s.key, sn.key, m_sc.networkName(*n), m_sc.networkName(*n)));
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
        if (m_calico.count(ep.network) != 0) {  // NOLINT(readability-container-contains)
            // calico's IPAM assigns per host, in the hosts' start order (finish()).
            ep.prefix = 32;
            ep.mac = *findShippedPlugin("calico")->fixedMac;
            ep.id = objectId(c.name + "/" + ep.network);
            return;
        }
        const PoolRef& ref = m_pools.at({ep.network, c.host});
        const PoolInfo& info = ref.ipam->pool(ref.id);
        const std::optional<Ipv4> want = sn != nullptr ? sn->ipv4Address : std::nullopt;
        const SourcePos where = sn != nullptr ? (want ? sn->ipv4Pos : sn->pos) : s.pos;
        try {
            ep.ipv4 = ref.ipam->requestAddress(ref.id, want);
        } catch (const Error& e) {
            fail(e.kind(), where, addressError(m_topo, s, c, ep, want, e.message()));
        }
        ep.prefix = info.subnet.prefix;
        if (const NetworkInstance* n = m_topo.findNetwork(ep.network)) {
            addLoadBalancer(*n, c.host);
        }
        // Docker gives 02:42 + the IPv4 address; an ipvlan endpoint has none of
        // its own (the slave shares its parent's MAC; inspect shows "").
        const NetworkInstance* net = m_topo.findNetwork(ep.network);
        ep.mac = net != nullptr && net->driver == "ipvlan" ? Mac{} : macFromIp(ep.ipv4);
        ep.id = objectId(c.name + "/" + ep.network);
    }

    const Scenario& m_sc;
    const std::vector<HistoryStep>& m_history;
    std::shared_ptr<AddressSpace> m_global;
    std::unique_ptr<Ipam> m_swarm;
    std::map<std::string, std::string> m_calico;      // network key -> its Calico pool
    std::map<std::string, CalicoIpam> m_calicoPools;  // pool -> its IPAM
    std::map<std::string, std::unique_ptr<Ipam>> m_ipam;
    std::map<std::pair<std::string, std::string>, PoolRef> m_pools;  // (network key, host)
    std::map<std::string, std::vector<std::pair<Cidr, std::string>>> m_subnets;  // per host
    std::set<std::string> m_swarmNames;
    std::set<std::string> m_usedPredefined;
    std::uint32_t m_nextVni = 4096;  // ovmanager.go vxlanIDStart
    std::string m_gwbridgeKey;
    Topology m_topo;
};

}  // namespace

Topology resolve(const Scenario& sc, const std::vector<HistoryStep>& history) {
    return Resolver(sc, history).run();
}

}  // namespace cnmlab::model
