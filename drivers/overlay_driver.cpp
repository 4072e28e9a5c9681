// The overlay driver: libnetwork drivers/overlay ov_network.go (networks and
// their sandbox), joinleave.go (Join), ov_utils.go (createVxlan), peerdb.go
// (peerAdd) and encryption.go (maxMTU). docs/overlay.md has the measurements.
#include "drivers/overlay_driver.hpp"

#include <fmt/format.h>

#include "drivers/builtin_drivers.hpp"
#include "drivers/names.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

using model::Error;
using model::ErrorKind;

constexpr std::uint16_t kVxlanPort = 4789;  // VXLANUDPPort(), the swarm's data path port

}  // namespace

std::string overlayNamespace(const model::NetworkInstance& net, const std::string& host) {
    return "1-" + net.id.substr(0, 10) + "@" + host;
}

std::string loadBalancerNamespace(const model::NetworkInstance& net, const std::string& host) {
    return (net.ingress ? std::string("ingress_sbox") : "lb_" + net.id.substr(0, 9)) + "@" + host;
}

OverlayNetworkState& OverlayDriver::network(const model::NetworkInstance& net) {
    auto it = m_networks.find(net.key);
    if (it == m_networks.end()) {
        throw Error(ErrorKind::NotFound,
                    fmt::format("network {} is not instantiated on {}", net.name, m_host));
    }
    return it->second;
}

// CreateNetwork on a node: nothing in the kernel yet (the namespace waits for
// the first join); the VNI and subnet come from the manager.
void OverlayDriver::createNetwork(const NetworkRequest& req, PlanBuilder& /*plan*/) {
    const model::NetworkInstance& net = *req.network;
    if (!req.ipv4) {
        throw Error(ErrorKind::Invalid, fmt::format("network {}: ipv4 pool is empty", net.name));
    }
    OverlayNetworkState st;
    st.network = &net;
    st.options = std::get<OverlayOptions>(*req.options);
    st.netns = overlayNamespace(net, m_host);
    st.bridgeAddress = Cidr{req.ipv4->gateway, req.ipv4->pool.prefix};
    st.owner = networkOwner(m_host, net);
    m_networks.emplace(net.key, std::move(st));
}

void OverlayDriver::deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) {
    plan.removeOwnedBy(network(*req.network).owner);
    m_networks.erase(req.network->key);
}

// joinSandbox -> initSandbox + initSubnetSandbox: the namespace, br0 with the
// gateway, vxlan0 on it, ip_forward on.
void OverlayDriver::initSandbox(OverlayNetworkState& st, PlanBuilder& plan) {
    if (st.sandboxMade) {
        return;
    }
    const model::NetworkInstance& net = *st.network;
    const int mtu = st.options.maxMtu();
    plan.add(st.owner, Netns{st.netns, NetnsKind::Overlay, m_host, ""});
    Link lo;
    lo.netns = st.netns;
    lo.name = "lo";
    lo.kind = LinkKind::Loopback;
    lo.mac = kZeroMac;
    lo.mtu = 65536;
    plan.add(st.owner, lo);
    plan.add(st.owner, Address{st.netns, "lo", Cidr{Ipv4(127, 0, 0, 1), 8}});
    Link br;
    br.netns = st.netns;
    br.name = "br0";  // made as ov-<VNI 6 hex>-<id[:5]> and renamed (generateBridgeName)
    br.kind = LinkKind::Bridge;
    br.mac = kernelMac(st.netns + "/br0");
    br.mtu = mtu;
    plan.add(st.owner, br);
    plan.add(st.owner, Address{st.netns, "br0", st.bridgeAddress});
    Link vx;
    vx.netns = st.netns;
    vx.name = "vxlan0";  // made as vx-<VNI 6 hex>-<id[:5]> in the host, then moved
    vx.kind = LinkKind::Vxlan;
    vx.mac = kernelMac(st.netns + "/vxlan0");
    vx.mtu = mtu;
    vx.master = "br0";
    vx.parentNetns = m_host;
    vx.vni = net.vni;
    vx.dstPort = kVxlanPort;
    vx.learning = true;
    vx.proxy = true;
    vx.l2miss = true;
    vx.l3miss = true;
    plan.add(st.owner, vx);
    plan.set(st.owner, Sysctl{st.netns, "net.ipv4.ip_forward", "1"});
    if (st.options.encrypted) {
        programEncryptionRules(plan, m_host, net.vni, st.owner);
    }
    st.sandboxMade = true;
}

void OverlayDriver::createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                                   PlanBuilder& /*plan*/) {
    network(*req.network);  // throws if the network is not here
    // CreateEndpoint: without a MAC, 02:42 + the IPv4 address (netutils.GenerateMACFromIP).
    iface.mac = iface.mac.value_or(model::macFromIp(iface.address.address));
}

void OverlayDriver::deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) {
    plan.removeOwnedBy(endpointOwner(*req.endpoint));
    m_sandboxEnds.erase(req.endpoint->id);
}

// Join: a veth pair made in the host, one end into the overlay namespace as
// vethN on br0, the other for the sandbox; both at the overlay's MTU.
void OverlayDriver::join(const EndpointRequest& req, const std::string& /*sandbox*/, JoinInfo& info,
                         PlanBuilder& plan) {
    OverlayNetworkState& st = network(*req.network);
    initSandbox(st, plan);
    const std::string& id = req.endpoint->id;
    const std::string overlayEnd = freeVethName(plan, m_host, id, "");
    const std::string sandboxEnd = freeVethName(plan, m_host, model::objectId(id), overlayEnd);
    const int mtu = st.options.maxMtu();
    Link a;
    a.netns = m_host;
    a.name = overlayEnd;
    a.kind = LinkKind::Veth;
    a.mac = kernelMac(st.netns + "/" + id);
    a.mtu = mtu;
    a.peerNetns = m_host;
    a.peerName = sandboxEnd;
    Link b;
    b.netns = m_host;
    b.name = sandboxEnd;
    b.kind = LinkKind::Veth;
    b.mac = req.endpoint->mac;
    b.mtu = mtu;
    b.peerNetns = m_host;
    b.peerName = overlayEnd;
    const Owner owner = endpointOwner(*req.endpoint);
    plan.add(owner, a);
    plan.add(owner, b);
    const std::string port = "veth" + std::to_string(st.nextVeth++);
    plan.moveLink(m_host, overlayEnd, st.netns, port);
    plan.link(st.netns, port).master = "br0";
    m_sandboxEnds[id] = sandboxEnd;
    info.srcName = sandboxEnd;
    info.dstPrefix = "eth";
}

void OverlayDriver::leave(const EndpointRequest& req, PlanBuilder& /*plan*/) {
    network(*req.network);
}

void addOverlayPeers(const model::Topology& topo, PlanBuilder& plan) {
    for (const auto& net : topo.networks) {
        if (net.driver != "overlay") {
            continue;
        }
        // Every endpoint of the network, by host: load balancers first, then
        // containers in file order (the gossip's order is Docker's to choose).
        std::vector<std::pair<std::string, const model::Endpoint*>> members;
        for (const auto& lb : topo.loadBalancers) {
            if (lb.endpoint.network == net.key) {
                members.emplace_back(lb.host, &lb.endpoint);
            }
        }
        for (const auto& c : topo.containers) {
            for (const auto& ep : c.endpoints) {
                if (ep.network == net.key) {
                    members.emplace_back(c.host, &ep);
                }
            }
        }
        for (const auto& host : topo.scenario->hosts) {
            const std::string ns = overlayNamespace(net, host.name);
            if (!plan.hasNetns(ns)) {
                continue;  // not instantiated there: networkdb sends it nothing
            }
            const Owner owner = "networkdb:" + host.name + "/" + net.key;
            for (const auto& [where, ep] : members) {
                if (where == host.name) {
                    continue;  // local endpoints: br0 learns them
                }
                const model::HostSpec* remote = topo.scenario->findHost(where);
                plan.add(owner, Neighbor{ns, "vxlan0", ep->ipv4, ep->mac});
                plan.add(owner, FdbEntry{ns, "vxlan0", ep->mac, remote->underlay.address});
            }
        }
    }
}

bool overlayEncrypted(const model::NetworkInstance& net) {
    const DriverOptions opts = parseDriverOptions(net);
    const auto* o = std::get_if<OverlayOptions>(&opts);
    return o != nullptr && o->encrypted;
}

std::unique_ptr<Driver> makeOverlayDriver(const std::string& host, PlanBuilder& /*plan*/) {
    return std::make_unique<OverlayDriver>(host);
}

}  // namespace cnmlab::drivers
