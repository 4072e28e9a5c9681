// The daemon's start and the networks: moby daemon/daemon_unix.go
// (initNetworkController), libnetwork controller.go (NewNetwork) and
// firewall_linux.go (arrangeUserFilterRule).
#include "drivers/controller.hpp"

#include <algorithm>

#include "drivers/iptables.hpp"

namespace cnmlab::drivers {

namespace {

constexpr std::string_view kUserChain = "DOCKER-USER";

// Docker's predefined networks as a host has them even when no container uses
// them (resolve() lists them only when used). docker0 always takes the first
// local pool, 172.17.0.0/16, gateway .1 (topology.hpp, allocation step 1).
// `name` is Docker's name ("bridge", "host", "none"); the Topology's key for
// it is Scenario::predefinedKey(name).
model::NetworkInstance predefinedNetwork(const model::Topology& topo, std::string_view name) {
    for (const auto& n : topo.networks) {
        if (n.predefined && n.name == name) {
            return n;
        }
    }
    model::NetworkInstance n;
    n.key = topo.scenario->predefinedKey(name);
    n.name = std::string(name);
    n.id = model::objectId(n.name);
    n.driver = name == "none" ? "null" : n.name;
    n.scope = "local";
    n.predefined = true;
    if (name == "bridge") {
        n.subnet = Cidr{Ipv4(172, 17, 0, 0), 16};
        n.gateway = Ipv4(172, 17, 0, 1);
    }
    for (const auto& h : topo.scenario->hosts) {
        n.hosts.push_back(h.name);
    }
    return n;
}

// topology.cpp's allocation rank: explicit subnets before pools, external
// networks first within each, the implicit default last.
int creationRank(const model::NetworkInstance& n) {
    if (n.spec == nullptr) {
        return 5;
    }
    if (n.spec->implicit) {
        return 4;
    }
    const bool explicitSubnet = !n.spec->ipamConfigs.empty() && n.spec->ipamConfigs.front().subnet;
    return (explicitSubnet ? 0 : 2) + (n.spec->external ? 0 : 1);
}

bool onHost(const model::NetworkInstance& n, const std::string& host) {
    return std::find(n.hosts.begin(), n.hosts.end(), host) != n.hosts.end();
}

}  // namespace

NetworkOptionsMap parseAllOptions(const model::Topology& topo) {
    NetworkOptionsMap out;
    for (const auto& n : topo.networks) {
        out.emplace(n.name, parseDriverOptions(n));
    }
    for (std::string_view name : {"bridge", "host", "none"}) {
        if (out.count(std::string(name)) == 0) {
            out.emplace(std::string(name), parseDriverOptions(predefinedNetwork(topo, name)));
        }
    }
    return out;
}

Controller::Controller(const model::Topology& topo, const NetworkOptionsMap& options,
                       std::string host, PlanBuilder& plan, PluginSession* plugins)
    : m_topo(topo), m_options(options), m_host(std::move(host)), m_plan(plan), m_plugins(plugins) {
    for (std::string_view name : {"bridge", "host", "none"}) {
        m_predefined.push_back(predefinedNetwork(topo, name));
    }
}

const model::NetworkInstance& Controller::predefined(std::string_view nameOrKey) const {
    for (const auto& n : m_predefined) {
        if (n.name == nameOrKey || n.key == nameOrKey) {
            return n;
        }
    }
    return m_predefined.front();
}

void Controller::startDaemon() {
    m_registry = std::make_unique<DriverRegistry>(m_host, m_plan, m_topo.scenario, m_plugins);
    createNetwork(predefined("none"));
    createNetwork(predefined("host"));
    createNetwork(predefined("bridge"));
    if (m_topo.swarm) {
        joinSwarm();
    }
}

void Controller::syncPlugins() {
    m_registry->syncRemotes(m_plan);
}

void Controller::createNetworks() {
    std::vector<const model::NetworkInstance*> order;
    for (const auto& n : m_topo.networks) {
        if (!n.predefined && !n.implicit && n.driver != "overlay" && onHost(n, m_host)) {
            order.push_back(&n);
        }
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const model::NetworkInstance* a, const model::NetworkInstance* b) {
                         return creationRank(*a) < creationRank(*b);
                     });
    for (const model::NetworkInstance* n : order) {
        createNetwork(*n);
    }
}

// NewNetwork: the driver creates it, then DOCKER-USER is put back on top.
void Controller::createNetwork(const model::NetworkInstance& net) {
    Driver& driver = m_registry->driverFor(net);
    NetworkRequest req;
    req.network = &net;
    req.host = m_host;
    req.options = &m_options.at(net.name);
    req.ipv4 = ipamData(net);
    driver.createNetwork(req, m_plan);
    arrangeUserFilterRule();
}

void Controller::arrangeUserFilterRule() {
    Iptables ipt(m_plan, m_host);
    const Owner owner = daemonOwner(m_host);
    ipt.newChain(owner, NfTable::Filter, std::string(kUserChain));
    ipt.addReturnRule(owner, std::string(kUserChain),
                      "DOCKER-USER is where the administrator's own rules go; by default it "
                      "lets everything on.",
                      "DOCKER-USER 链用于放置管理员自己的规则；默认放行一切。");
    ipt.ensureJumpRule(
        owner, "FORWARD", std::string(kUserChain),
        "The administrator's DOCKER-USER rules see every forwarded packet "
        "before Docker's own (kept first in FORWARD after each network).",
        "每个被转发的数据包都先经过管理员的 DOCKER-USER 规则，再经过 Docker 自己的规则"
        "（每创建一个网络后都保持在 FORWARD 链首位）。");
}

// The pool IPAM gave `net` on this host. Every host has its own local address
// space: a network without an explicit subnet may have a different pool on a
// host other than the first, which its endpoints there reveal (20.10's default
// IPAM makes the pool's first address the gateway when none is given).
std::optional<IpamData> Controller::ipamData(const model::NetworkInstance& net) const {
    if (!net.subnet || !net.gateway) {
        return std::nullopt;
    }
    IpamData data{Cidr{net.subnet->network(), net.subnet->prefix}, *net.gateway};
    const bool explicitSubnet = net.spec != nullptr && !net.spec->ipamConfigs.empty() &&
                                net.spec->ipamConfigs.front().subnet;
    if (net.predefined || explicitSubnet || net.scope != "local" || net.hosts.empty() ||
        net.hosts.front() == m_host) {
        return data;
    }
    for (const auto& c : m_topo.containers) {
        if (c.host != m_host) {
            continue;
        }
        for (const auto& ep : c.endpoints) {
            if (ep.network == net.key) {
                const Cidr pool{Cidr{ep.ipv4, ep.prefix}.network(), ep.prefix};
                if (pool != data.pool) {
                    data = IpamData{pool, Ipv4(pool.address.value() + 1)};
                }
                return data;
            }
        }
    }
    return data;
}

}  // namespace cnmlab::drivers
