#pragma once
// Where each hop of a trace happens on the canvas. A Hop names a namespace and
// a device of the Plan ("tour-web-1"/"eth0", "host1"/"br-23ce70615161",
// "lan"/"host1"); the canvas shows containers, networks, host kernels and the
// links between them. The mapper reads the Plan once (namespaces, links,
// addresses) and answers, per hop, the canvas node or link and how far along
// that link (0 at its `from` end): a sandbox's interface is the container's end
// of its endpoint link, the host end of the veth pair the network's end, a
// bridge is its network's node, eth0 a machine's end of its LAN uplink.
//
// Cost: O(size of the Plan) to build, O(1) per hop.

#include <QString>

#include <string>
#include <unordered_map>

#include "sim/trace.hpp"
#include "ui/canvas_graph.hpp"
#include "ui/scenario_document.hpp"

namespace cnmlab::ui {

struct HopPlace {
    QString node;    // the canvas node of the hop (of its namespace when on a link)
    QString edge;    // the canvas link of its device, or "": preferred when drawn
    double t = 0.5;  // along the link, 0 = its `from` end
    bool valid() const { return !node.isEmpty() || !edge.isEmpty(); }
    bool operator==(const HopPlace&) const = default;
};

class HopMapper {
public:
    // `snap` must have a plan; `g` is the canvas graph of the same scenario.
    HopMapper(const Resolved& snap, const CanvasGraph& g);

    HopPlace place(const sim::Hop& hop) const;

private:
    static std::string key(const std::string& ns, const std::string& dev) { return ns + '|' + dev; }
    QString networkNode(const std::string& net, const std::string& host) const;

    const CanvasGraph& m_graph;
    std::unordered_map<std::string, QString> m_nsNode;  // netns -> node
    std::unordered_map<std::string, std::pair<QString, bool>>
        m_devEdge;                                       // ns|dev -> edge, from side?
    std::unordered_map<std::string, QString> m_devNode;  // ns|dev -> node
    // A task's address -> its swarm service's node: where IPVS's choice shows.
    std::unordered_map<std::uint32_t, QString> m_taskService;
};

}  // namespace cnmlab::ui
