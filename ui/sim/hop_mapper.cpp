#include "ui/sim/hop_mapper.hpp"

#include "drivers/overlay_driver.hpp"

#include "ui/qt_text.hpp"

namespace cnmlab::ui {

namespace {
constexpr double kNearFrom = 0.14;  // on a link, just outside its `from` node
constexpr double kNearTo = 0.86;
}  // namespace

QString HopMapper::networkNode(const std::string& net, const std::string& host) const {
    const QString copy = "net:" + qstr(net) + "@" + qstr(host);
    return m_graph.node(copy) != nullptr ? copy : "net:" + qstr(net);
}

HopMapper::HopMapper(const Resolved& snap, const CanvasGraph& g) : m_graph(g) {
    const drivers::Plan& plan = *snap.plan;
    const model::Topology& topo = *snap.topology;
    for (const auto& ns : plan.namespaces) {
        switch (ns.kind) {
        case drivers::NetnsKind::Sandbox:
            m_nsNode[ns.name] = "svc:" + qstr(ns.service);
            break;
        case drivers::NetnsKind::Host:
            m_nsNode[ns.name] = "host:" + qstr(ns.name);
            break;
        case drivers::NetnsKind::Lan:
            m_nsNode[ns.name] = QStringLiteral("lan");
            break;
        case drivers::NetnsKind::External:
            m_nsNode[ns.name] = "ext:" + qstr(ns.name);
            break;
        case drivers::NetnsKind::Router:
            m_nsNode[ns.name] = QStringLiteral("router");
            break;
        case drivers::NetnsKind::Overlay:
        case drivers::NetnsKind::LoadBalancer:
            // The overlay's namespace and load balancer on a host: the network's node.
            for (const auto& n : topo.networks) {
                if (n.driver == "overlay" &&
                    (drivers::overlayNamespace(n, ns.host) == ns.name ||
                     drivers::loadBalancerNamespace(n, ns.host) == ns.name)) {
                    m_nsNode[ns.name] = "net:" + qstr(n.key);
                }
            }
            break;
        }
    }
    for (const auto& s : topo.services) {
        for (const auto& t : s.tasks) {
            for (const auto& ep : topo.findContainer(t)->endpoints) {
                m_taskService[ep.ipv4.value()] = "svc:" + qstr(s.key);
            }
        }
    }
    // Sandbox interfaces: the container's end of its endpoint links.
    std::unordered_map<std::string, std::string> endpointEdge;  // sandbox|dev -> edge id
    for (const auto& a : plan.addresses) {
        const drivers::Netns* ns = plan.findNetns(a.netns);
        if (ns == nullptr || ns->kind != drivers::NetnsKind::Sandbox || a.dev == "lo") {
            continue;
        }
        const model::Container* c = topo.findContainer(ns->service);
        if (c == nullptr) {
            continue;
        }
        for (const auto& ep : c->endpoints) {
            if (ep.ipv4 == a.cidr.address) {
                const std::string edge = "ep:" + ns->service + "|" + ep.network;
                endpointEdge[key(a.netns, a.dev)] = edge;
                m_devEdge[key(a.netns, a.dev)] = {qstr(edge), true};
            }
        }
    }
    // Host-side devices: bridges (the gateway address says which network),
    // veth ends (their peer says which endpoint), eth0 (the uplink).
    for (const auto& a : plan.addresses) {
        const drivers::Netns* ns = plan.findNetns(a.netns);
        if (ns == nullptr || ns->kind != drivers::NetnsKind::Host) {
            continue;
        }
        for (const auto& n : topo.networks) {
            if (n.gateway && *n.gateway == a.cidr.address) {
                m_devNode[key(a.netns, a.dev)] = networkNode(n.key, a.netns);
            }
        }
    }
    for (const auto& l : plan.links) {
        const drivers::Netns* ns = plan.findNetns(l.netns);
        if (ns == nullptr) {
            continue;
        }
        if (l.kind == drivers::LinkKind::Veth && !l.peerNetns.empty()) {
            auto ep = endpointEdge.find(key(l.peerNetns, l.peerName));
            if (ep != endpointEdge.end() && ns->kind != drivers::NetnsKind::Sandbox) {
                m_devEdge[key(l.netns, l.name)] = {qstr(ep->second), false};
            }
            const drivers::Netns* peer = plan.findNetns(l.peerNetns);
            // The canvas's uplink of a machine ("up:host1", "up:router") and
            // the line of an external beyond the router ("rt:internet").
            auto uplink = [](const drivers::Netns& m) {
                return m.kind == drivers::NetnsKind::Router ? QStringLiteral("up:router")
                                                            : "up:" + qstr(m.name);
            };
            if (ns->kind == drivers::NetnsKind::Lan && peer != nullptr) {
                m_devEdge[key(l.netns, l.name)] = {uplink(*peer), false};
            }
            if (ns->kind != drivers::NetnsKind::Lan && peer != nullptr &&
                peer->kind == drivers::NetnsKind::Lan) {
                m_devEdge[key(l.netns, l.name)] = {uplink(*ns), true};
            }
            if (ns->kind == drivers::NetnsKind::Router && peer != nullptr &&
                peer->kind == drivers::NetnsKind::External) {
                m_devEdge[key(l.netns, l.name)] = {"rt:" + qstr(peer->name), false};
            }
            if (ns->kind == drivers::NetnsKind::External && peer != nullptr &&
                peer->kind == drivers::NetnsKind::Router) {
                m_devEdge[key(l.netns, l.name)] = {"rt:" + qstr(ns->name), true};
            }
        }
        if (l.kind == drivers::LinkKind::Bridge && ns->kind == drivers::NetnsKind::Lan) {
            m_devNode[key(l.netns, l.name)] = QStringLiteral("lan");
        }
    }
}

HopPlace HopMapper::place(const sim::Hop& hop) const {
    HopPlace p;
    if (hop.action == sim::action::kBalance && hop.frame) {
        // IPVS's decision is drawn at the service it balances, not in the sandbox.
        if (auto s = m_taskService.find(hop.frame->ipDst.value()); s != m_taskService.end()) {
            p.node = s->second;
            return p;
        }
    }
    if (auto n = m_nsNode.find(hop.node); n != m_nsNode.end()) {
        p.node = n->second;  // also the fallback when the link is not drawn
    }
    const std::string k = key(hop.node, hop.device);
    if (auto e = m_devEdge.find(k); e != m_devEdge.end()) {
        p.edge = e->second.first;
        p.t = e->second.second ? kNearFrom : kNearTo;
    } else if (auto d = m_devNode.find(k); d != m_devNode.end()) {
        p.node = d->second;
    }
    return p;
}

}  // namespace cnmlab::ui
