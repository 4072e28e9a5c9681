// The swarm half of a node's controller: libnetwork controller.go
// (agentInit: the ingress sandbox), network.go (createLoadBalancerSandbox),
// default_gateway.go (docker_gwbridge) and moby daemon/network.go (overlay
// networks made on a node when its first container attaches). docs/overlay.md
// has the order measured on Docker 20.10.
#include <fmt/format.h>

#include "drivers/controller.hpp"
#include "drivers/overlay_driver.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

// swarm init / join: the ingress network and its sandbox, whose join makes
// docker_gwbridge (the node's next local pool) and puts the sandbox on it.
void Controller::joinSwarm() {
    const model::NetworkInstance* ingress = nullptr;
    const model::NetworkInstance* gwbridge = nullptr;
    for (const auto& n : m_topo.networks) {
        if (n.implicit) {
            (n.ingress ? ingress : gwbridge) = &n;
        }
    }
    if (ingress == nullptr || gwbridge == nullptr) {
        throw model::Error(model::ErrorKind::Invalid, "a swarm without its implicit networks");
    }
    createNetwork(*ingress);
    const model::LoadBalancer* lb = m_topo.findLoadBalancer(ingress->key, m_host);
    if (lb == nullptr) {
        return;
    }
    const std::string ns = loadBalancerNamespace(*ingress, m_host);
    joinSystemSandbox(ns, *ingress, lb->endpoint, true);
    createNetwork(*gwbridge);
    if (lb->gwbridge) {
        joinSystemSandbox(ns, *gwbridge, *lb->gwbridge, false);
    }
}

// daemon/network.go: a node creates an overlay when its first container
// attaches, with the load balancer the manager gave it, whose sandbox joins
// at once (and so makes the overlay's namespace on the node).
void Controller::ensureOverlay(const model::NetworkInstance& net) {
    auto* overlay = dynamic_cast<OverlayDriver*>(&m_registry->driverFor(net));
    if (overlay == nullptr || overlay->hasNetwork(net)) {
        return;
    }
    createNetwork(net);
    if (const model::LoadBalancer* lb = m_topo.findLoadBalancer(net.key, m_host)) {
        joinSystemSandbox(loadBalancerNamespace(net, m_host), net, lb->endpoint, true);
    }
}

// A sandbox of Docker's own (a load balancer's, the ingress sandbox): a
// namespace with lo, the endpoint as the next eth<N>. The ingress sandbox's
// docker_gwbridge endpoint gives it its default route; load balancers have none.
void Controller::joinSystemSandbox(const std::string& netns, const model::NetworkInstance& net,
                                   const model::Endpoint& ep, bool first) {
    const Owner owner = "sandbox:" + netns;
    if (first) {
        m_plan.add(owner, Netns{netns, NetnsKind::LoadBalancer, m_host, ""});
        Link lo;
        lo.netns = netns;
        lo.name = "lo";
        lo.kind = LinkKind::Loopback;
        lo.mtu = 65536;
        m_plan.add(owner, lo);
        m_plan.add(owner, Address{netns, "lo", Cidr{Ipv4(127, 0, 0, 1), 8}});
    }
    Driver& driver = m_registry->driverFor(net);
    const EndpointRequest req{&net, &ep, nullptr, m_host};
    InterfaceInfo iface{Cidr{ep.ipv4, ep.prefix}, ep.mac};
    driver.createEndpoint(req, iface, m_plan);
    JoinInfo info;
    driver.join(req, netns, info, m_plan);
    const std::string ifName = first ? "eth0" : "eth1";
    m_plan.moveLink(m_host, info.srcName, netns, ifName);
    m_plan.link(netns, ifName).mac = iface.mac.value_or(ep.mac);
    m_plan.add(endpointOwner(ep), Address{netns, ifName, iface.address});
    if (info.gateway) {
        m_plan.add(endpointOwner(ep),
                   Route{netns, Cidr{Ipv4(), 0}, info.gateway, ifName, std::nullopt});
    }
}

}  // namespace cnmlab::drivers
