// Containers and their sandboxes: moby daemon/container_operations.go
// (allocateNetwork, connectToNetwork), libnetwork endpoint.go (sbJoin),
// sandbox.go (populateNetworkResources, updateGateway, endpoint.Less,
// getGatewayEndpoint) and osl/ (the namespace, AddInterface, SetGateway).
#include <algorithm>

#include <fmt/format.h>

#include "drivers/controller.hpp"
#include "drivers/names.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

Owner sandboxOwner(const std::string& netns) {
    return "sandbox:" + netns;
}
Owner gatewayOwner(const std::string& netns) {
    return "gateway:" + netns;
}

bool hasGateway(const JoinedEndpoint& e) {
    return e.gateway.has_value() && e.network->driver != "null" && e.network->driver != "host";
}

// endpoint.Less (sandbox.go): priority (cnmlab has none), not in the gateway
// network, non-internal before internal, with a gateway before without, then
// by network name.
bool lessEndpoint(const JoinedEndpoint& a, const JoinedEndpoint& b) {
    if (a.network->internal != b.network->internal) {
        return !a.network->internal;
    }
    if (a.gateway.has_value() != b.gateway.has_value()) {
        return a.gateway.has_value();
    }
    return a.network->name < b.network->name;
}

}  // namespace

std::vector<const JoinedEndpoint*> SandboxState::sortedEndpoints() const {
    std::vector<const JoinedEndpoint*> sorted;
    for (const auto& e : endpoints) {
        sorted.push_back(&e);
    }
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const JoinedEndpoint* a, const JoinedEndpoint* b) { return lessEndpoint(*a, *b); });
    return sorted;
}

const JoinedEndpoint* SandboxState::electGatewayEndpoint() const {
    for (const JoinedEndpoint* e : sortedEndpoints()) {
        if (hasGateway(*e)) {
            return e;
        }
    }
    return nullptr;
}

const JoinedEndpoint* SandboxState::findEndpoint(const std::string& id) const {
    for (const auto& e : endpoints) {
        if (e.endpoint->id == id) {
            return &e;
        }
    }
    return nullptr;
}

void Controller::startContainers() {
    for (const auto& c : m_topo.containers) {
        if (c.host == m_host) {
            startContainer(c);
        }
    }
}

void Controller::startContainer(const model::Container& c) {
    if (!c.sandboxOf.empty() || c.networkMode.rfind("service:", 0) == 0 ||
        c.networkMode.rfind("container:", 0) == 0) {
        return;  // it lives in another container's sandbox (no endpoints of its own)
    }
    if (c.networkMode == "host" || c.networkMode == "none") {
        SandboxState& sb = newSandbox(c, c.networkMode == "host");
        auto ep = std::make_unique<model::Endpoint>();
        ep->network = c.networkMode;
        ep->id = model::objectId(c.name + "/" + c.networkMode);
        const model::Endpoint& ref = *ep;
        m_ownEndpoints.push_back(std::move(ep));
        join(sb, predefined(c.networkMode), ref);
        return;
    }
    SandboxState& sb = newSandbox(c, false);
    // allocateNetwork: the default `bridge` network first, then the others.
    std::vector<const model::Endpoint*> order;
    for (const auto& ep : c.endpoints) {
        if (ep.network == m_topo.scenario->predefinedKey("bridge")) {
            order.insert(order.begin(), &ep);
        } else {
            order.push_back(&ep);
        }
    }
    for (const model::Endpoint* ep : order) {
        const model::NetworkInstance* net = m_topo.findNetwork(ep->network);
        if (net == nullptr) {
            net = &predefined(ep->network);
        }
        join(sb, *net, *ep);
    }
}

// osl NewSandbox: a namespace with its loopback up (host mode: the host's own).
SandboxState& Controller::newSandbox(const model::Container& c, bool hostMode) {
    SandboxState sb;
    sb.netns = hostMode ? m_host : c.netns;
    sb.host = m_host;
    sb.container = &c;
    sb.hostMode = hostMode;
    if (!hostMode) {
        const Owner owner = sandboxOwner(sb.netns);
        m_plan.add(owner, Netns{sb.netns, NetnsKind::Sandbox, m_host, c.service});
        Link lo;
        lo.netns = sb.netns;
        lo.name = "lo";
        lo.kind = LinkKind::Loopback;
        lo.mac = kZeroMac;
        lo.mtu = 65536;
        m_plan.add(owner, lo);
        m_plan.add(owner, Address{sb.netns, "lo", Cidr{Ipv4(127, 0, 0, 1), 8}});
    }
    m_sandboxes.push_back(std::move(sb));
    return m_sandboxes.back();
}

EndpointRequest Controller::request(const SandboxState& sb, const JoinedEndpoint& je) const {
    return EndpointRequest{je.network, je.endpoint, sb.container, m_host};
}

// connectToNetwork + sbJoin for one network.
void Controller::join(SandboxState& sb, const model::NetworkInstance& net,
                      const model::Endpoint& ep) {
    if (net.driver == "overlay") {
        ensureOverlay(net);
    }
    if (net.implicit && !net.ingress && !m_topo.swarm && !m_gwbridgeMade) {
        // default_gateway.go: outside a swarm, docker_gwbridge is made on a
        // host when its first container needs it.
        m_gwbridgeMade = true;
        createNetwork(net);
    }
    Driver& driver = m_registry->driverFor(net);
    const EndpointRequest req{&net, &ep, sb.container, m_host};
    InterfaceInfo iface{Cidr{ep.ipv4, ep.prefix},
                        ep.macGiven ? std::optional<Mac>(ep.mac) : std::nullopt};
    driver.createEndpoint(req, iface, m_plan);
    JoinInfo info;
    driver.join(req, sb.netns, info, m_plan);

    JoinedEndpoint je{&net, &ep, "", iface.address, iface.mac, info.gateway};
    const Owner owner = endpointOwner(ep);
    if (!info.srcName.empty() && !sb.hostMode) {
        // osl AddInterface: into the namespace as PREFIX<n>, with address and MAC.
        je.ifName = info.dstPrefix + std::to_string(sb.nextIfIndex[info.dstPrefix]++);
        m_plan.moveLink(m_host, info.srcName, sb.netns, je.ifName);
        if (iface.mac) {
            m_plan.link(sb.netns, je.ifName).mac = *iface.mac;
        }
        m_plan.add(owner, Address{sb.netns, je.ifName, iface.address});
        for (const StaticRoute& r : info.staticRoutes) {
            m_plan.add(owner, Route{sb.netns, r.destination, r.nextHop, je.ifName, std::nullopt});
        }
    }
    sb.endpoints.push_back(je);
    updateGateway(sb);
}

// populateNetworkResources/updateGateway and sbJoin's external connectivity:
// when the elected gateway endpoint changes, the default route moves to it, the
// old one's published ports are revoked and the new one's programmed (unless
// its network is internal).
void Controller::updateGateway(SandboxState& sb) {
    const JoinedEndpoint* elected = sb.electGatewayEndpoint();
    const std::optional<std::string> electedId =
        elected != nullptr ? std::optional<std::string>(elected->endpoint->id) : std::nullopt;
    if (electedId == sb.gatewayEndpointId) {
        return;
    }
    if (sb.gatewayEndpointId) {
        const JoinedEndpoint* old = sb.findEndpoint(*sb.gatewayEndpointId);
        m_registry->driverFor(*old->network).revokeExternalConnectivity(request(sb, *old), m_plan);
    }
    sb.gatewayEndpointId = electedId;
    m_plan.removeOwnedBy(gatewayOwner(sb.netns));
    if (elected == nullptr) {
        return;
    }
    if (!sb.hostMode && !elected->ifName.empty()) {
        m_plan.add(gatewayOwner(sb.netns), Route{sb.netns, Cidr{Ipv4(), 0}, elected->gateway,
                                                 elected->ifName, std::nullopt});
    }
    if (!elected->network->internal) {
        m_registry->driverFor(*elected->network)
            .programExternalConnectivity(request(sb, *elected), publishedPorts(*sb.container),
                                         m_plan);
    }
}

// The container's `ports`, one binding per port (dockerd expands ranges).
std::vector<PortBinding> Controller::publishedPorts(const model::Container& c) const {
    std::vector<PortBinding> out;
    if (c.spec == nullptr || c.networkMode == "host" || c.networkMode == "none") {
        return out;  // dockerd discards published ports in these modes
    }
    for (const auto& pm : c.spec->ports) {
        if (!c.task.empty() && !pm.hostMode) {
            continue;  // a swarm service's ingress ports go through the routing mesh
        }
        for (int i = 0; i <= pm.targetLast - pm.targetFirst; ++i) {
            PortBinding b;
            b.proto = pm.proto;
            b.hostIp = pm.hostIp;
            b.hostPort = pm.publishedFirst != 0 ? pm.publishedFirst + i : 0;
            b.containerPort = pm.targetFirst + i;
            b.pos = pm.pos;
            out.push_back(b);
        }
    }
    return out;
}

}  // namespace cnmlab::drivers
