#include "ui/canvas_graph.hpp"

#include <QCoreApplication>

#include <algorithm>
#include <map>
#include <set>

#include "drivers/underlay.hpp"
#include "model/topology.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

// Interface names from the Plan: (namespace, address) -> device.
class PlanNames {
public:
    explicit PlanNames(const drivers::Plan* plan) {
        if (plan == nullptr) {
            return;
        }
        for (const auto& a : plan->addresses) {
            m_dev.emplace(a.netns + "|" + a.cidr.address.str(), a.dev);
        }
    }
    std::string device(const std::string& netns, const model::Ipv4& ip) const {
        auto it = m_dev.find(netns + "|" + ip.str());
        return it == m_dev.end() ? std::string() : it->second;
    }

private:
    std::unordered_map<std::string, std::string> m_dev;
};

bool drawnAsNetwork(const model::NetworkSpec& n) {
    return n.driver != "host" && n.driver != "null" && n.driver != "none";
}

bool isGlobal(const std::string& driver) {
    return driver == "overlay";
}

QString portBadge(const model::PortMapping& p) {
    auto range = [](int a, int b) {
        return a == b ? QString::number(a) : QStringLiteral("%1-%2").arg(a).arg(b);
    };
    QString pub =
        p.publishedFirst == 0 ? QStringLiteral("*") : range(p.publishedFirst, p.publishedLast);
    if (p.hostIp) {
        pub = qstr(p.hostIp->str()) + ":" + pub;
    }
    return QStringLiteral("%1→%2/%3")
        .arg(pub, range(p.targetFirst, p.targetLast), qstr(model::protoName(p.proto)));
}

class Builder {
public:
    Builder(const ScenarioDocument& doc, CanvasGraph& g)
        : m_sc(doc.scenario()), m_res(doc.resolved()), m_g(g),
          m_names(m_res.plan ? &*m_res.plan : nullptr) {
        const std::string bad = m_res.errorObject();
        if (!bad.empty() && m_res.error) {
            m_errorObject = bad;
            m_errorText = qstr(m_res.error->formatted());
        }
    }

    void build() {
        for (const auto& h : m_sc.hosts) {
            m_g.hosts.push_back(h.name);
            addHost(h);
        }
        addNetworks();
        for (const auto& s : m_sc.services) {
            addService(s);
        }
        addLan();
        for (const auto& e : m_sc.externals) {
            addExternal(e);
        }
    }

private:
    const model::Topology* topo() const { return m_res.topology ? &*m_res.topology : nullptr; }

    QString errorFor(const std::string& path) const {
        return path == m_errorObject ? m_errorText : QString();
    }

    CanvasNode& add(CanvasNode n) {
        n.size = nodeSize(n.kind);
        m_g.nodeIndex[n.id] = m_g.nodes.size();
        m_g.nodes.push_back(std::move(n));
        return m_g.nodes.back();
    }

    void edge(EdgeKind kind, const QString& id, const QString& from, const QString& to,
              const QString& label, const QColor& color) {
        m_g.edges.push_back({id, from, to, kind, label, color});
    }

    void addHost(const model::HostSpec& h) {
        CanvasNode n;
        n.id = "host:" + qstr(h.name);
        n.kind = NodeKind::Host;
        n.layoutName = h.name;
        n.host = h.name;
        n.key = h.name;
        n.title = qstr(h.name);
        n.subtitle = QCoreApplication::translate("cnmlab::ui::CanvasGraph", "Docker host · kernel");
        n.detail = QCoreApplication::translate("cnmlab::ui::CanvasGraph", "routing, iptables, NAT");
        n.icon = QStringLiteral(":/icons/host.svg");
        n.accent = Theme::colors().lan;
        n.error = errorFor("x-hosts." + h.name);
        add(std::move(n));
    }

    // Hosts where a network exists: the topology's answer, else the hosts of
    // the services that use it (an unresolved scenario still draws).
    std::vector<std::string> hostsOf(const std::string& key) const {
        if (const auto* t = topo()) {
            if (const auto* ni = t->findNetwork(key)) {
                return ni->hosts;
            }
        }
        std::vector<std::string> out;
        for (const auto& s : m_sc.services) {
            const bool uses = std::any_of(s.networks.begin(), s.networks.end(),
                                          [&](const auto& sn) { return sn.key == key; }) ||
                              (key == m_sc.predefinedKey("bridge") &&
                               s.networkMode == model::NetworkMode::Bridge);
            const std::string& h = m_sc.hostOf(s);
            if (uses && std::find(out.begin(), out.end(), h) == out.end()) {
                out.push_back(h);
            }
        }
        if (out.empty() || key == m_sc.predefinedKey("bridge")) {
            out.clear();
            for (const auto& h : m_sc.hosts) {
                out.push_back(h.name);
            }
        }
        return out;
    }

    QString networkId(const std::string& key, const std::string& host) const {
        auto it = m_netHosts.find(key);
        if (it == m_netHosts.end() || it->second.empty()) {
            return {};
        }
        if (it->second.front().empty() || it->second.front() == host) {
            return "net:" + qstr(key);
        }
        if (std::find(it->second.begin(), it->second.end(), host) == it->second.end()) {
            return "net:" + qstr(key);  // unresolved: attach to the first copy
        }
        return "net:" + qstr(key) + "@" + qstr(host);
    }

    void addNetworks() {
        // docker0 first, as dockerd creates it at start; on a swarm then
        // docker_gwbridge (swarm init/join); then the file's networks.
        addNetwork(m_sc.predefinedKey("bridge"), nullptr);
        if (topo() != nullptr && topo()->swarm) {
            // ingress only when a service publishes through the routing mesh.
            const bool mesh =
                std::any_of(topo()->services.begin(), topo()->services.end(),
                            [](const model::SwarmService& s) { return s.usesIngress(); });
            for (const auto& n : topo()->networks) {
                if (n.implicit && (!n.ingress || mesh)) {
                    addNetwork(n.key, nullptr);
                }
            }
        }
        for (const auto& n : m_sc.networks) {
            if (drawnAsNetwork(n)) {
                addNetwork(n.key, &n);
            }
        }
    }

    void addNetwork(const std::string& key, const model::NetworkSpec* spec) {
        const model::NetworkInstance* ni = topo() ? topo()->findNetwork(key) : nullptr;
        const std::string driver = ni ? ni->driver : spec ? spec->driver : "bridge";
        const QColor color = Theme::driverColor(qstr(driver));
        const bool global = isGlobal(driver);
        std::vector<std::string> hosts = hostsOf(key);
        m_netHosts[key] = global ? std::vector<std::string>{""} : hosts;
        const std::string name = ni ? ni->name : spec ? m_sc.networkName(*spec) : key;
        QString subnet = ni && ni->subnet ? qstr(ni->subnet->networkStr()) : QString();
        if (subnet.isEmpty() && spec && !spec->ipamConfigs.empty() && spec->ipamConfigs[0].subnet) {
            subnet = qstr(spec->ipamConfigs[0].subnet->networkStr());
        }
        QStringList badges;
        if (spec && spec->internal) {
            badges << QCoreApplication::translate("cnmlab::ui::CanvasGraph", "internal");
        }
        if (spec && spec->attachable) {
            badges << QCoreApplication::translate("cnmlab::ui::CanvasGraph", "attachable");
        }
        if (spec && spec->external) {
            badges << QCoreApplication::translate("cnmlab::ui::CanvasGraph", "external");
        }
        if (!spec && ni != nullptr && ni->implicit) {
            badges << QCoreApplication::translate("cnmlab::ui::CanvasGraph", "swarm");
        } else if (!spec) {
            badges << QCoreApplication::translate("cnmlab::ui::CanvasGraph", "predefined");
        }
        const std::vector<std::string> copies = global ? std::vector<std::string>{""} : hosts;
        for (std::size_t i = 0; i < copies.size(); ++i) {
            CanvasNode n;
            n.id = i == 0 ? "net:" + qstr(key) : "net:" + qstr(key) + "@" + qstr(copies[i]);
            n.kind = NodeKind::Network;
            n.layoutName = i == 0 ? key : std::string();
            n.host = copies[i];
            n.key = key;
            n.title = qstr(name);
            n.driver = qstr(driver);
            n.subtitle = Theme::driverLabel(qstr(driver)) +
                         (subnet.isEmpty() ? QString() : QStringLiteral("  ·  ") + subnet);
            n.badges = badges;
            n.icon = Theme::driverIcon(qstr(driver));
            n.accent = color;
            n.error = spec ? errorFor("networks." + key) : QString();
            n.tip = QStringLiteral("<b>%1</b> — %2").arg(n.title, n.subtitle);
            if (ni != nullptr && ni->gateway) {
                n.tip += QStringLiteral("<br>") +
                         QCoreApplication::translate("cnmlab::ui::CanvasGraph", "gateway %1")
                             .arg(qstr(ni->gateway->str()));
            }
            const QString nid = n.id;
            add(std::move(n));
            if (global) {
                for (const auto& h : hosts) {
                    edge(EdgeKind::Gateway, "gw:" + qstr(key) + "@" + qstr(h), nid,
                         "host:" + qstr(h), QStringLiteral("vxlan"), color);
                }
            } else {
                edge(EdgeKind::Gateway, "gw:" + qstr(key) + "@" + qstr(copies[i]), nid,
                     "host:" + qstr(copies[i]), gatewayLabel(ni, driver, spec, copies[i]), color);
            }
        }
    }

    QString gatewayLabel(const model::NetworkInstance* ni, const std::string& driver,
                         const model::NetworkSpec* spec, const std::string& host) const {
        if (driver == "macvlan" || driver == "ipvlan") {
            std::string parent = "eth0";
            if (spec) {
                for (const auto& [k, v] : spec->driverOpts) {
                    if (k == "parent") {
                        parent = v;
                    }
                }
            }
            return QCoreApplication::translate("cnmlab::ui::CanvasGraph", "parent %1")
                .arg(qstr(parent));
        }
        if (ni == nullptr || !ni->gateway) {
            return {};
        }
        const std::string dev = m_names.device(host, *ni->gateway);
        return dev.empty() ? qstr(ni->gateway->str())
                           : QStringLiteral("%1 · %2").arg(qstr(dev), qstr(ni->gateway->str()));
    }

    // A swarm service: its node (the VIPs) and one node per task on its host.
    void addSwarmService(const model::ServiceSpec& s) {
        const model::SwarmService* svc = topo() ? topo()->findService(s.key) : nullptr;
        CanvasNode n;
        n.id = "svc:" + qstr(s.key);
        n.kind = NodeKind::Container;
        n.layoutName = s.key;
        n.key = s.key;
        n.title = qstr(s.key);
        n.icon = QStringLiteral(":/icons/container.svg");
        n.accent = Theme::colors().selection;
        n.driver = QStringLiteral("swarm");
        n.error = errorFor("services." + s.key);
        if (svc == nullptr) {
            n.subtitle = QCoreApplication::translate("cnmlab::ui::CanvasGraph", "swarm service");
            add(std::move(n));
            return;
        }
        n.subtitle =
            svc->global
                ? QCoreApplication::translate("cnmlab::ui::CanvasGraph", "%1 · global, %2 tasks")
                      .arg(qstr(svc->name))
                      .arg(svc->replicas)
                : QCoreApplication::translate("cnmlab::ui::CanvasGraph", "%1 · %2 replicas")
                      .arg(qstr(svc->name))
                      .arg(svc->replicas);
        n.detail = svc->dnsrr
                       ? QCoreApplication::translate("cnmlab::ui::CanvasGraph", "DNS round robin")
                       : QCoreApplication::translate("cnmlab::ui::CanvasGraph", "virtual IP, IPVS");
        for (const auto& v : svc->vips) {
            n.badges << QStringLiteral("VIP %1").arg(qstr(v.ipv4.str()));
        }
        for (const auto& p : s.ports) {
            n.badges << portBadge(p) + (p.hostMode ? QStringLiteral(" host") : QString());
        }
        n.tip = QStringLiteral("<b>%1</b> — %2").arg(qstr(svc->name), n.subtitle);
        const QString sid = n.id;
        add(std::move(n));
        for (const auto& v : svc->vips) {
            const QString nid = networkId(v.network, "");
            if (!nid.isEmpty()) {
                edge(EdgeKind::Endpoint, "ep:" + qstr(s.key) + "|" + qstr(v.network), sid, nid,
                     QStringLiteral("VIP %1").arg(qstr(v.ipv4.str())),
                     Theme::driverColor(QStringLiteral("overlay")));
            }
        }
        for (const auto& t : svc->tasks) {
            const model::Container* c = topo()->findContainer(t);
            CanvasNode tn;
            tn.id = "svc:" + qstr(t);
            tn.kind = NodeKind::Container;
            tn.host = c->host;
            tn.key = t;
            tn.title = qstr(t);
            tn.subtitle = qstr(c->name);
            tn.detail = QCoreApplication::translate("cnmlab::ui::CanvasGraph", "task of %1")
                            .arg(qstr(svc->name));
            tn.icon = QStringLiteral(":/icons/container.svg");
            tn.accent = Theme::colors().selection;
            tn.driver = QStringLiteral("default");
            tn.tip = QStringLiteral("<b>%1</b> — %2").arg(tn.title, tn.subtitle) + endpointTips(*c);
            const QString tid = tn.id;
            add(std::move(tn));
            edge(EdgeKind::Task, "task:" + qstr(t), sid, tid,
                 QCoreApplication::translate("cnmlab::ui::CanvasGraph", "task"),
                 Theme::colors().subtext);
            for (const auto& ep : c->endpoints) {
                endpoint(t, c, ep.network, tid, c->host);
            }
        }
    }

    void addService(const model::ServiceSpec& s) {
        if (s.deploy) {
            addSwarmService(s);
            return;
        }
        const model::Container* c = topo() ? topo()->findContainer(s.key) : nullptr;
        const std::string& host = c ? c->host : m_sc.hostOf(s);
        CanvasNode n;
        n.id = "svc:" + qstr(s.key);
        n.kind = NodeKind::Container;
        n.layoutName = s.key;
        n.host = host;
        n.key = s.key;
        n.title = qstr(s.key);
        n.subtitle = qstr(c ? c->name : m_sc.containerName(s));
        for (const auto& [k, v] : s.extra) {
            if (k == "image" && v.IsScalar()) {
                n.detail = qstr(v.Scalar());
            }
        }
        n.icon = QStringLiteral(":/icons/container.svg");
        n.accent = Theme::colors().selection;
        for (const auto& p : s.ports) {
            n.badges << portBadge(p);
        }
        n.error = errorFor("services." + s.key);
        n.tip = QStringLiteral("<b>%1</b> — %2").arg(n.title, n.subtitle);
        if (c != nullptr) {
            n.tip += endpointTips(*c);
        }
        const QString sid = n.id;
        switch (s.networkMode) {
        case model::NetworkMode::Host:
            n.driver = QStringLiteral("host");
            n.badges.prepend(
                QCoreApplication::translate("cnmlab::ui::CanvasGraph", "host network"));
            add(std::move(n));
            edge(EdgeKind::HostMode, "hm:" + qstr(s.key), sid, "host:" + qstr(host),
                 QCoreApplication::translate("cnmlab::ui::CanvasGraph", "host's network stack"),
                 Theme::driverColor(QStringLiteral("host")));
            return;
        case model::NetworkMode::None:
            n.driver = QStringLiteral("none");
            n.badges.prepend(
                QCoreApplication::translate("cnmlab::ui::CanvasGraph", "none · lo only"));
            add(std::move(n));
            return;
        case model::NetworkMode::Service:
        case model::NetworkMode::Container: {
            n.driver =
                qstr((s.networkMode == model::NetworkMode::Service ? "service:" : "container:") +
                     s.networkModeTarget);
            add(std::move(n));
            std::string target = s.networkModeTarget;
            for (const auto& o : m_sc.services) {
                if (m_sc.containerName(o) == target) {
                    target = o.key;
                }
            }
            edge(EdgeKind::Shared, "shr:" + qstr(s.key), sid, "svc:" + qstr(target),
                 QCoreApplication::translate("cnmlab::ui::CanvasGraph",
                                             "shares its network namespace"),
                 Theme::colors().subtext);
            return;
        }
        case model::NetworkMode::Bridge:
            n.driver = QStringLiteral("bridge");
            break;
        case model::NetworkMode::Default:
            n.driver = QStringLiteral("default");
            break;
        }
        add(std::move(n));
        if (s.networkMode == model::NetworkMode::Bridge) {
            endpoint(s.key, c, m_sc.predefinedKey("bridge"), sid, host);
            return;
        }
        for (const auto& sn : s.networks) {
            endpoint(s.key, c, sn.key, sid, host);
        }
        // Docker's own endpoint on docker_gwbridge (no key of the file names it).
        if (c != nullptr && topo()->swarm) {
            for (const auto& ep : c->endpoints) {
                const model::NetworkInstance* ni = topo()->findNetwork(ep.network);
                if (ni != nullptr && ni->implicit) {
                    endpoint(s.key, c, ep.network, sid, host);
                }
            }
        }
    }

    // "<br>ADDRESS/PREFIX · MAC · NETWORK" per endpoint, for a tooltip.
    QString endpointTips(const model::Container& c) const {
        QString tip;
        for (const auto& ep : c.endpoints) {
            const model::NetworkInstance* ni = topo()->findNetwork(ep.network);
            tip += QStringLiteral("<br>%1/%2 · %3 · %4")
                       .arg(qstr(ep.ipv4.str()))
                       .arg(ep.prefix)
                       .arg(qstr(model::macStr(ep.mac)), ni ? qstr(ni->name) : qstr(ep.network));
        }
        return tip;
    }

    // The edge "ep:NAME|KEY" from node `sid` (a container, or a swarm task
    // named NAME) to network KEY on `host`, labelled with its device and address.
    void endpoint(const std::string& name, const model::Container* c, const std::string& key,
                  const QString& sid, const std::string& host) {
        const QString nid = networkId(key, host);
        if (nid.isEmpty()) {
            return;
        }
        QString label;
        if (c != nullptr) {
            for (const auto& ep : c->endpoints) {
                if (ep.network == key) {
                    std::string dev = m_names.device(c->name, ep.ipv4);
                    label = dev.empty()
                                ? qstr(ep.ipv4.str())
                                : QStringLiteral("%1 · %2").arg(qstr(dev), qstr(ep.ipv4.str()));
                }
            }
        }
        const auto* spec = m_sc.findNetwork(key);
        const model::NetworkInstance* ni = topo() != nullptr ? topo()->findNetwork(key) : nullptr;
        const QString driver = qstr(spec ? spec->driver : ni ? ni->driver : std::string("bridge"));
        edge(EdgeKind::Endpoint, "ep:" + qstr(name) + "|" + qstr(key), sid, nid, label,
             Theme::driverColor(driver));
    }

    void addLan() {
        CanvasNode n;
        n.id = QStringLiteral("lan");
        n.kind = NodeKind::Lan;
        // "lan" in x-layout is the user's when a service, network, host or
        // external has that name; the LAN's position is then not saved (it is
        // laid out under the hosts).
        const bool taken = m_sc.findService("lan") != nullptr ||
                           m_sc.findNetwork("lan") != nullptr || m_sc.findHost("lan") != nullptr ||
                           m_sc.findExternal("lan") != nullptr;
        n.layoutName = taken ? "" : "lan";
        n.key = "lan";
        const model::Cidr& u = m_sc.hosts.front().underlay;
        n.title = QCoreApplication::translate("cnmlab::ui::CanvasGraph", "physical LAN");
        n.subtitle = qstr(u.networkStr());
        n.icon = QStringLiteral(":/icons/lan.svg");
        n.accent = Theme::colors().lan;
        add(std::move(n));
        for (const auto& h : m_sc.hosts) {
            edge(EdgeKind::Uplink, "up:" + qstr(h.name), "host:" + qstr(h.name),
                 QStringLiteral("lan"),
                 QStringLiteral("eth0 · %1").arg(qstr(h.underlay.str())) + trunkText(h.name),
                 Theme::colors().lan);
        }
        if (drivers::hasRouter(m_sc)) {
            CanvasNode r;
            r.id = QStringLiteral("router");
            r.kind = NodeKind::Router;
            r.key = "router";
            r.title = QCoreApplication::translate("cnmlab::ui::CanvasGraph", "router");
            r.subtitle = qstr(drivers::routerLanAddress(m_sc).str());
            r.icon = QStringLiteral(":/icons/router.svg");
            r.accent = Theme::colors().lan;
            const QString label = QStringLiteral("eth0 · %1").arg(r.subtitle) + trunkText("");
            add(std::move(r));
            edge(EdgeKind::Uplink, QStringLiteral("up:router"), QStringLiteral("router"),
                 QStringLiteral("lan"), label, Theme::colors().lan);
        }
    }

    // " · 802.1Q trunk: VLAN 50, 60": the VLANs the networks tag on `host`'s
    // eth0 (a network is there when one of the host's services joins it), or
    // on the router's ("" : every VLAN); "" when none.
    QString trunkText(const std::string& host) const {
        std::set<int> vlans;
        for (const auto& s : m_sc.services) {
            const std::string& on = s.host ? *s.host : m_sc.hosts.front().name;
            if (!host.empty() && on != host) {
                continue;
            }
            for (const auto& sn : s.networks) {
                if (const model::NetworkSpec* n = m_sc.findNetwork(sn.key)) {
                    if (const int v = model::lanVlanOf(*n); v != 0) {
                        vlans.insert(v);
                    }
                }
            }
        }
        if (vlans.empty()) {
            return {};
        }
        QStringList ids;
        for (int v : vlans) {
            ids << QString::number(v);
        }
        return QCoreApplication::translate("cnmlab::ui::CanvasGraph", " · 802.1Q trunk: VLAN %1")
            .arg(ids.join(QStringLiteral(", ")));
    }

    void addExternal(const model::ExternalSpec& e) {
        CanvasNode n;
        n.id = "ext:" + qstr(e.name);
        n.kind = NodeKind::External;
        n.layoutName = e.name;
        n.key = e.name;
        n.title = qstr(e.name);
        n.subtitle = e.underlay  ? qstr(e.underlay->str())
                     : e.address ? qstr(e.address->str())
                                 : QString();
        n.detail =
            e.underlay
                ? QCoreApplication::translate("cnmlab::ui::CanvasGraph", "on the hosts' LAN")
                : QCoreApplication::translate("cnmlab::ui::CanvasGraph", "beyond the router");
        n.icon = e.underlay ? QStringLiteral(":/icons/laptop.svg")
                            : QStringLiteral(":/icons/internet.svg");
        n.accent = Theme::colors().ok;
        n.error = errorFor("x-externals." + e.name);
        const QString id = n.id;
        add(std::move(n));
        if (e.underlay) {
            edge(EdgeKind::Uplink, "up:" + qstr(e.name), id, QStringLiteral("lan"),
                 QStringLiteral("eth0 · %1").arg(qstr(e.underlay->str())), Theme::colors().lan);
        } else {
            edge(EdgeKind::Routed, "rt:" + qstr(e.name), id, QStringLiteral("router"),
                 e.address ? qstr(e.address->str()) : QString(), Theme::colors().lan);
        }
    }

    const model::Scenario& m_sc;
    const Resolved& m_res;
    CanvasGraph& m_g;
    PlanNames m_names;
    std::string m_errorObject;
    QString m_errorText;
    std::map<std::string, std::vector<std::string>> m_netHosts;  // "" = global
};

}  // namespace

const CanvasNode* CanvasGraph::node(const QString& id) const {
    auto it = nodeIndex.find(id);
    return it == nodeIndex.end() ? nullptr : &nodes[it->second];
}

CanvasGraph buildCanvasGraph(const ScenarioDocument& doc) {
    CanvasGraph g;
    Builder(doc, g).build();
    return g;
}

QString canvasIdFor(const CanvasGraph& g, const std::string& name) {
    const QString n = QString::fromStdString(name);
    for (const QString& id : {"svc:" + n, "host:" + n, "ext:" + n, "net:" + n, n}) {
        if (g.node(id) != nullptr) {
            return id;
        }
    }
    return {};
}

QSizeF nodeSize(NodeKind kind) {
    switch (kind) {
    case NodeKind::Host:
        return {200, 58};
    case NodeKind::Network:
        return {236, 62};
    case NodeKind::Container:
        return {184, 66};
    case NodeKind::External:
        return {176, 62};
    case NodeKind::Lan:
        return {200, 30};
    case NodeKind::Router:
        return {150, 52};
    }
    return {180, 60};
}

}  // namespace cnmlab::ui
