#pragma once
// What Docker creates on one host, as a diagram to draw: read from the Plan
// (drivers/plan.hpp), laid out as values. Top row: the namespaces that live on
// the host (container sandboxes, overlay namespaces), each with its
// interfaces along its bottom edge. Under each interface, the host end of its
// veth pair; under those, the bridges (docker0, br-…) as bars spanning their
// ports; under the bridges the host's kernel (routing, netfilter, conntrack),
// then its uplink eth0 and, outside the host's frame, the LAN. Beside it all,
// the host's netfilter chains as iptables-save lists them.
//
// Every device has an id that a sim::Hop names: "NETNS|DEV" (a hop's node and
// device); "NETNS|" is a namespace's box (the host's own: its kernel);
// "outside|" stands for everything beyond the host (the LAN, other hosts,
// externals). Sandboxes are ordered so that each bridge's ports sit side by
// side; bridges whose ports overlap go on separate rows.
//
// Cost: O(size of the Plan) to lay out; no Qt items are made here.

#include <QColor>
#include <QRectF>
#include <QString>

#include <string>
#include <vector>

#include "drivers/plan.hpp"

namespace cnmlab::ui {

enum class DeviceKind {
    Namespace,  // a sandbox or overlay namespace on the host (a box)
    Interface,  // an interface inside such a namespace (eth0 …)
    VethEnd,    // the host end of a veth pair
    Bridge,     // docker0, br-…
    Kernel,     // the host's own IP stack: routing, netfilter, conntrack
    Uplink,     // the host's eth0 on the LAN
    Device,     // any other link in the host namespace (vxlan, macvlan parent …)
    Outside,    // beyond the host: the LAN, other hosts, externals
};

struct DiagramDevice {
    QString id;  // "NETNS|DEV", "NETNS|" (a namespace box), "outside|"
    DeviceKind kind = DeviceKind::Device;
    std::string netns;  // for the commands that make it ("" for outside)
    std::string dev;    // "" for a namespace box
    QString title;      // "eth0", "docker0", "tour-web-1"
    QString detail;     // its address, the service, the network …
    QColor accent;      // the driver colour of its network, else the LAN colour
    QRectF rect;        // scene coordinates
};

// A line between two devices: a veth pair, a bridge port, a bridge's gateway
// address on the kernel, the uplink.
struct DiagramWire {
    QString from;
    QString to;
    bool veth = false;  // drawn as a pair (double line)
    QColor color{};     // a driver's colour (macvlan/ipvlan to their parent); else the default
};

// One chain of the host's netfilter tables and the Plan indices of its rules.
struct DiagramChain {
    drivers::NfTable table = drivers::NfTable::Filter;
    std::string name;
    std::string policy;  // built-in chains
    std::vector<int> rules;
};

struct HostDiagram {
    std::string host;
    std::vector<DiagramDevice> devices;
    std::vector<DiagramWire> wires;
    std::vector<DiagramChain> chains;  // *filter, then *nat, in iptables-save order
    QRectF frame;                      // the host's box
    const DiagramDevice* find(const QString& id) const;
};

// Lays out `host`'s objects of `plan`. An unknown host gives an empty diagram.
HostDiagram layoutHost(const drivers::Plan& plan, const std::string& host);

// Geometry shared with the items that draw it.
namespace diagram {
inline constexpr double kChipW = 92;  // an interface or veth end
inline constexpr double kChipH = 24;
inline constexpr double kSlotW = 118;  // horizontal room per interface
inline constexpr double kBoxH = 78;    // a namespace box
inline constexpr double kBridgeH = 30;
inline constexpr double kKernelH = 50;
}  // namespace diagram

}  // namespace cnmlab::ui
