#pragma once
// What the canvas shows, as plain values computed from the document: one node
// per host kernel, network (per host for local networks), container, external,
// the LAN and its router; one edge per endpoint, gateway, uplink and shared
// namespace. The scene turns this into items keyed by `id`; nothing here points
// at an item or at the scenario.
//
// Ids: "svc:web", "net:front" (a network's first or only host), "net:front@host2"
// (a local network's separate copy on another host), "host:host1",
// "ext:laptop", "lan", "router". Edges: "ep:web|front", "gw:front@host1",
// "up:host1", "up:laptop", "shr:web", "hm:monitor", "rt:internet".
// A swarm service (deploy:) is a group: "svc:web" outside the host frames,
// holding its VIPs ("ep:web|front" labelled with the VIP), and one node per
// task in its node's frame ("svc:web.1", key "web.1"), joined to it by
// "task:web.1".

#include <QColor>
#include <QPointF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <string>
#include <unordered_map>
#include <vector>

namespace cnmlab::ui {

class ScenarioDocument;

enum class NodeKind { Host, Network, Container, External, Lan, Router };
enum class EdgeKind {
    Endpoint,  // container - network: an interface with an address
    Gateway,   // network - host kernel: the bridge's gateway address, macvlan parent, vxlan
    Uplink,    // host kernel / external - LAN: eth0 on the physical LAN
    HostMode,  // container in network_mode: host - host kernel
    Shared,    // container sharing another's namespace (service:/container:)
    Routed,    // external beyond the LAN - router
    Task,      // swarm service (its VIPs) - one of its tasks
};

struct CanvasNode {
    QString id;
    NodeKind kind = NodeKind::Container;
    std::string layoutName;  // the x-layout key; "" when the position is not saved
    std::string host;        // the Docker host whose frame holds it; "" outside frames
    std::string key;         // service key, network key, host or external name
    QString title;
    QString subtitle;
    QString detail;
    QString driver;      // networks: the driver; containers: the network mode
    QStringList badges;  // containers: published ports; networks: internal, attachable
    QString icon;        // ":/icons/NAME.svg"
    QColor accent;
    QString error;  // the validation error naming this object, else ""
    QString tip;    // a tooltip: what Docker made of it
    QSizeF size;
};

struct CanvasEdge {
    QString id;
    QString from;  // node ids
    QString to;
    EdgeKind kind = EdgeKind::Endpoint;
    QString label;
    QColor color;
};

struct CanvasGraph {
    std::vector<CanvasNode> nodes;
    std::vector<CanvasEdge> edges;
    std::vector<std::string> hosts;  // frames, in scenario order
    std::unordered_map<QString, std::size_t> nodeIndex;

    const CanvasNode* node(const QString& id) const;
};

// O(objects of the scenario + addresses of its plan).
CanvasGraph buildCanvasGraph(const ScenarioDocument& doc);

// Canvas id of a service, network (first host), host, external or "lan", as
// x-lesson's `highlight` and x-layout name them; "" when unknown.
QString canvasIdFor(const CanvasGraph& g, const std::string& name);

// Sizes of the node shapes, in scene units.
QSizeF nodeSize(NodeKind kind);

}  // namespace cnmlab::ui
