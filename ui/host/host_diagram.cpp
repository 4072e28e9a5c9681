#include "ui/host/host_diagram.hpp"

#include <QCoreApplication>

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "drivers/plan_text.hpp"
#include "ui/qt_text.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

using namespace diagram;

QString tr(const char* text) {
    return QCoreApplication::translate("cnmlab::ui::HostDiagram", text);
}

QString deviceId(const std::string& netns, const std::string& dev) {
    return qstr(netns) + '|' + qstr(dev);
}

constexpr double kMargin = 28;       // inside the host's frame
constexpr double kTitleH = 44;       // the frame's title band
constexpr double kBoxGap = 22;       // between namespace boxes
constexpr double kVethGap = 46;      // from a box's bottom to its veth ends
constexpr double kRowGap = 44;       // from the veth ends to the first bridge row, between rows
constexpr double kBridgeMinW = 250;  // room for "br-0123456789ab" and its address
constexpr double kBridgeGap = 26;

// One interface of an inner namespace and where its veth pair leads.
struct Port {
    const drivers::Link* link = nullptr;
    std::string hostEnd;  // the peer's name when the peer is in the host namespace
    int bridge = -1;      // the index of the peer's master among the bridges
};

// Namespaces on no bridge sort last.
constexpr int kNoBridge = std::numeric_limits<int>::max();

struct Inner {
    const drivers::Netns* ns = nullptr;
    std::vector<Port> ports;
    int minBridge = kNoBridge;
    int maxBridge = kNoBridge;
};

class Layout {
public:
    Layout(const drivers::Plan& plan, const std::string& host, HostDiagram& d)
        : m_plan(plan), m_host(host), m_d(d) {}

    void run() {
        collectBridges();
        collectInner();
        placeInner();
        placeBridges();
        placeKernelAndUplink();
        m_d.frame = QRectF(0, 0, m_right + kMargin, m_bottom + kMargin);
        placeOutside();
        collectChains();
    }

private:
    QString addressesOf(const std::string& netns, const std::string& dev) const {
        QStringList out;
        for (const auto& a : m_plan.addresses) {
            if (a.netns == netns && a.dev == dev) {
                out << qstr(a.cidr.str());
            }
        }
        return out.join(QStringLiteral(", "));
    }

    DiagramDevice& add(DeviceKind kind, const std::string& netns, const std::string& dev,
                       const QString& title, const QString& detail, const QRectF& rect) {
        DiagramDevice x;
        x.id = deviceId(netns, dev);
        x.kind = kind;
        x.netns = netns;
        x.dev = dev;
        x.title = title;
        x.detail = detail;
        x.accent = Theme::colors().lan;
        x.rect = rect;
        m_d.devices.push_back(std::move(x));
        return m_d.devices.back();
    }

    void collectBridges() {
        for (const auto& l : m_plan.links) {
            if (l.netns == m_host && l.kind == drivers::LinkKind::Bridge) {
                m_bridgeIndex[l.name] = static_cast<int>(m_bridges.size());
                m_bridges.push_back(&l);
            }
        }
        m_bridgePorts.resize(m_bridges.size());
    }

    void collectInner() {
        for (const auto& ns : m_plan.namespaces) {
            if (ns.host != m_host || ns.name == m_host ||
                (ns.kind != drivers::NetnsKind::Sandbox && ns.kind != drivers::NetnsKind::Overlay &&
                 ns.kind != drivers::NetnsKind::LoadBalancer)) {
                continue;
            }
            m_innerIndex[ns.name] = m_inner.size();
            m_inner.push_back({&ns, {}});
        }
        for (const auto& l : m_plan.links) {
            auto it = m_innerIndex.find(l.netns);
            if (it == m_innerIndex.end() || l.kind == drivers::LinkKind::Loopback) {
                continue;
            }
            Inner& in = m_inner[it->second];
            Port p{&l, {}, -1};
            if (l.kind == drivers::LinkKind::Veth && l.peerNetns == m_host) {
                p.hostEnd = l.peerName;
                m_hostEnds.insert(l.peerName);
                if (const drivers::Link* peer = m_plan.findLink(m_host, l.peerName)) {
                    auto b = m_bridgeIndex.find(peer->master);
                    p.bridge = b == m_bridgeIndex.end() ? -1 : b->second;
                }
            }
            if (p.bridge >= 0) {
                const bool first = in.minBridge == kNoBridge;
                in.minBridge = first ? p.bridge : std::min(in.minBridge, p.bridge);
                in.maxBridge = first ? p.bridge : std::max(in.maxBridge, p.bridge);
            }
            in.ports.push_back(p);
        }
        // Each bridge's ports side by side: by first bridge, then last.
        std::stable_sort(m_inner.begin(), m_inner.end(), [](const Inner& a, const Inner& b) {
            return std::pair(a.minBridge, a.maxBridge) < std::pair(b.minBridge, b.maxBridge);
        });
        placeOverlaysBesideTheirMembers();
        for (Inner& in : m_inner) {
            std::stable_sort(in.ports.begin(), in.ports.end(), [](const Port& a, const Port& b) {
                return static_cast<unsigned>(a.bridge) < static_cast<unsigned>(b.bridge);
            });
        }
    }

    // An overlay's namespace goes right after the last sandbox with a port in
    // it, its load balancer (on no bridge of the host) just before it, so the
    // veth pairs between them stay short.
    void placeOverlaysBesideTheirMembers() {
        std::vector<Inner> rest;
        std::vector<Inner> overlays;
        for (Inner& in : m_inner) {
            (in.ns->kind == drivers::NetnsKind::Overlay ? overlays : rest).push_back(std::move(in));
        }
        auto memberOf = [](const Inner& in, const std::string& overlay) {
            return std::any_of(in.ports.begin(), in.ports.end(), [&](const Port& p) {
                return p.link->kind == drivers::LinkKind::Veth && p.link->peerNetns == overlay;
            });
        };
        for (Inner& o : overlays) {
            std::vector<Inner> lbs;
            for (auto it = rest.begin(); it != rest.end();) {
                if (it->ns->kind == drivers::NetnsKind::LoadBalancer &&
                    it->minBridge == kNoBridge && memberOf(*it, o.ns->name)) {
                    lbs.push_back(std::move(*it));
                    it = rest.erase(it);
                } else {
                    ++it;
                }
            }
            std::size_t at = rest.size();
            for (std::size_t i = rest.size(); i-- > 0;) {
                if (memberOf(rest[i], o.ns->name)) {
                    at = i + 1;
                    break;
                }
            }
            lbs.push_back(std::move(o));
            rest.insert(rest.begin() + static_cast<std::ptrdiff_t>(at),
                        std::make_move_iterator(lbs.begin()), std::make_move_iterator(lbs.end()));
        }
        m_inner = std::move(rest);
        m_innerIndex.clear();
        for (std::size_t i = 0; i < m_inner.size(); ++i) {
            m_innerIndex[m_inner[i].ns->name] = i;
        }
    }

    void placeInner() {
        double x = kMargin;
        const double top = kTitleH;
        m_vethY = top + kBoxH + kVethGap;
        for (const Inner& in : m_inner) {
            const auto n = static_cast<double>(std::max<std::size_t>(1, in.ports.size()));
            const double w = std::max(kSlotW * n, 190.0);
            const drivers::Netns& ns = *in.ns;
            QString detail = ns.kind == drivers::NetnsKind::Overlay
                                 ? tr("overlay network namespace")
                             : ns.kind == drivers::NetnsKind::LoadBalancer
                                 ? tr("swarm load-balancer sandbox")
                                 : tr("container sandbox · %1").arg(qstr(ns.service));
            if (in.ports.empty() && ns.kind == drivers::NetnsKind::Sandbox) {
                detail = tr("sandbox · %1 · lo only").arg(qstr(ns.service));
            }
            add(DeviceKind::Namespace, ns.name, "", qstr(ns.name), detail,
                QRectF(x, top, w, kBoxH));
            for (std::size_t i = 0; i < in.ports.size(); ++i) {
                const Port& p = in.ports[i];
                const double cx = x + (static_cast<double>(i) + 0.5) * w / n;
                add(DeviceKind::Interface, ns.name, p.link->name, qstr(p.link->name),
                    addressesOf(ns.name, p.link->name),
                    QRectF(cx - kChipW / 2, top + kBoxH - kChipH / 2 - 6, kChipW, kChipH + 12));
                const bool slave = p.link->kind == drivers::LinkKind::Macvlan ||
                                   p.link->kind == drivers::LinkKind::Ipvlan;
                if (slave && p.link->parentNetns == m_host) {
                    // A macvlan/ipvlan hangs straight off its parent (eth0 or a
                    // dm- dummy), placed under the kernel: no veth, no bridge.
                    m_d.wires.push_back(
                        {deviceId(ns.name, p.link->name), deviceId(m_host, p.link->parent), false,
                         Theme::driverColor(p.link->kind == drivers::LinkKind::Macvlan
                                                ? QStringLiteral("macvlan")
                                                : QStringLiteral("ipvlan"))});
                }
                if (p.link->kind == drivers::LinkKind::Vxlan && p.link->parentNetns == m_host) {
                    // vxlan0 lives in the overlay's namespace; its UDP socket
                    // (port 4789) is the host's: the kernel wraps and unwraps.
                    m_d.wires.push_back({deviceId(ns.name, p.link->name), deviceId(m_host, ""),
                                         false, Theme::driverColor(QStringLiteral("overlay"))});
                }
                if (p.link->kind == drivers::LinkKind::Veth && p.hostEnd.empty() &&
                    m_innerIndex.count(p.link->peerNetns) != 0 && ns.name < p.link->peerNetns) {
                    // A pair between two namespaces of the host (a container's
                    // eth0 and its port in an overlay's namespace), drawn once.
                    m_d.wires.push_back({deviceId(ns.name, p.link->name),
                                         deviceId(p.link->peerNetns, p.link->peerName), true});
                }
                if (p.hostEnd.empty()) {
                    continue;
                }
                add(DeviceKind::VethEnd, m_host, p.hostEnd, qstr(p.hostEnd), QString(),
                    QRectF(cx - kChipW / 2, m_vethY, kChipW, kChipH));
                m_d.wires.push_back(
                    {deviceId(ns.name, p.link->name), deviceId(m_host, p.hostEnd), true});
                if (p.bridge >= 0) {
                    m_bridgePorts[static_cast<std::size_t>(p.bridge)].push_back(cx);
                    m_d.wires.push_back(
                        {deviceId(m_host, p.hostEnd),
                         deviceId(m_host, m_bridges[static_cast<std::size_t>(p.bridge)]->name),
                         false});
                } else {
                    m_unbridged.push_back(deviceId(m_host, p.hostEnd));
                }
            }
            x += w + kBoxGap;
        }
        m_right = std::max(x - kBoxGap, 2 * kMargin + kBridgeMinW);
    }

    // Each bridge spans its ports; a bridge without ports goes after the last
    // one. Rows: the first whose last bar ends before this one starts.
    void placeBridges() {
        std::vector<std::pair<double, double>> extent(m_bridges.size());
        double free = kMargin;
        for (const auto& xs : m_bridgePorts) {
            for (double x : xs) {
                free = std::max(free, x + kChipW / 2 + kBridgeGap);
            }
        }
        for (std::size_t i = 0; i < m_bridges.size(); ++i) {
            const auto& xs = m_bridgePorts[i];
            if (xs.empty()) {
                extent[i] = {free, free + kBridgeMinW};
                free += kBridgeMinW + kBridgeGap;
                continue;
            }
            const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
            double a = *lo - kChipW / 2 - 12;
            double b = std::max(*hi + kChipW / 2 + 12, a + kBridgeMinW);
            extent[i] = {a, b};
        }
        std::vector<std::size_t> order(m_bridges.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return extent[a].first < extent[b].first;
        });
        std::vector<double> rowEnd;
        const double firstRow = m_vethY + kChipH + kRowGap;
        m_bottom = m_vethY + kChipH;
        std::vector<QRectF> rects(m_bridges.size());
        for (std::size_t i : order) {
            std::size_t row = 0;
            while (row < rowEnd.size() && rowEnd[row] + kBridgeGap > extent[i].first) {
                ++row;
            }
            if (row == rowEnd.size()) {
                rowEnd.push_back(0);
            }
            rowEnd[row] = extent[i].second;
            const double y = firstRow + static_cast<double>(row) * (kBridgeH + kRowGap);
            rects[i] = QRectF(extent[i].first, y, extent[i].second - extent[i].first, kBridgeH);
            m_bottom = std::max(m_bottom, rects[i].bottom());
            m_right = std::max(m_right, rects[i].right());
        }
        for (std::size_t i = 0; i < m_bridges.size(); ++i) {
            const drivers::Link& b = *m_bridges[i];
            DiagramDevice& dev = add(DeviceKind::Bridge, m_host, b.name, qstr(b.name),
                                     addressesOf(m_host, b.name), rects[i]);
            dev.accent = Theme::driverColor(QStringLiteral("bridge"));
        }
    }

    void placeKernelAndUplink() {
        const double kernelY = m_bottom + kRowGap + 6;
        const QRectF kernel(kMargin, kernelY, m_right - kMargin, kKernelH);
        add(DeviceKind::Kernel, m_host, "", tr("%1 kernel").arg(qstr(m_host)),
            tr("routing · netfilter (iptables) · conntrack · NAT"), kernel);
        for (const auto* b : m_bridges) {
            m_d.wires.push_back({deviceId(m_host, b->name), deviceId(m_host, ""), false});
        }
        for (const QString& v : m_unbridged) {
            m_d.wires.push_back({v, deviceId(m_host, ""), false});
        }
        // The uplink (a veth to the LAN's namespace) and any other device of
        // the host namespace, in a row under the kernel.
        const double y = kernel.bottom() + kRowGap;
        double x = kernel.center().x() - kChipW / 2;
        for (const auto& l : m_plan.links) {
            if (l.netns != m_host || l.kind == drivers::LinkKind::Loopback ||
                l.kind == drivers::LinkKind::Bridge || m_hostEnds.count(l.name) != 0) {
                continue;
            }
            const drivers::Netns* peer =
                l.peerNetns.empty() ? nullptr : m_plan.findNetns(l.peerNetns);
            const bool uplink = peer != nullptr && peer->kind == drivers::NetnsKind::Lan;
            add(uplink ? DeviceKind::Uplink : DeviceKind::Device, m_host, l.name, qstr(l.name),
                addressesOf(m_host, l.name), QRectF(x, y, kChipW + 24, kChipH + 12));
            m_d.wires.push_back({deviceId(m_host, ""), deviceId(m_host, l.name), false});
            if (uplink) {
                m_uplink = deviceId(m_host, l.name);
            }
            x += kChipW + 24 + kBridgeGap;
            m_right = std::max(m_right, x);
        }
        m_bottom = y + kChipH + 12;
    }

    void placeOutside() {
        const QRectF f = m_d.frame;
        const double w = 240;
        const double cx = [&] {
            const DiagramDevice* up = m_d.find(m_uplink);
            return up != nullptr ? up->rect.center().x() : f.center().x();
        }();
        DiagramDevice& o =
            add(DeviceKind::Outside, "outside", "", tr("outside %1").arg(qstr(m_host)),
                tr("the LAN, other hosts, externals"), QRectF(cx - w / 2, f.bottom() + 46, w, 40));
        o.id = QStringLiteral("outside|");
        m_d.wires.push_back({m_uplink.isEmpty() ? deviceId(m_host, "") : m_uplink, o.id, false});
    }

    void collectChains() {
        for (const auto table : {drivers::NfTable::Filter, drivers::NfTable::Nat}) {
            const std::size_t first = m_d.chains.size();
            for (const drivers::NfChain* c : drivers::chainsInSaveOrder(m_plan, m_host, table)) {
                m_d.chains.push_back({table, c->name, c->builtin ? c->policy : std::string(), {}});
            }
            for (std::size_t i = 0; i < m_plan.rules.size(); ++i) {
                const auto& r = m_plan.rules[i];
                if (r.netns != m_host || r.table != table) {
                    continue;
                }
                for (std::size_t c = first; c < m_d.chains.size(); ++c) {
                    if (m_d.chains[c].name == r.chain) {
                        m_d.chains[c].rules.push_back(static_cast<int>(i));
                    }
                }
            }
        }
    }

    const drivers::Plan& m_plan;
    const std::string& m_host;
    HostDiagram& m_d;
    std::vector<const drivers::Link*> m_bridges;
    std::unordered_map<std::string, int> m_bridgeIndex;
    std::vector<std::vector<double>> m_bridgePorts;  // centre x of each bridge's ports
    std::vector<Inner> m_inner;
    std::unordered_map<std::string, std::size_t> m_innerIndex;
    std::unordered_set<std::string> m_hostEnds;  // host ends of veth pairs into inner namespaces
    std::vector<QString> m_unbridged;            // host ends with no bridge
    QString m_uplink;
    double m_vethY = 0;
    double m_right = 0;
    double m_bottom = 0;
};

}  // namespace

const DiagramDevice* HostDiagram::find(const QString& id) const {
    auto it = std::find_if(devices.begin(), devices.end(),
                           [&](const DiagramDevice& d) { return d.id == id; });
    return it == devices.end() ? nullptr : &*it;
}

HostDiagram layoutHost(const drivers::Plan& plan, const std::string& host) {
    HostDiagram d;
    d.host = host;
    const drivers::Netns* ns = plan.findNetns(host);
    if (ns == nullptr || ns->kind != drivers::NetnsKind::Host) {
        return d;
    }
    Layout(plan, host, d).run();
    return d;
}

}  // namespace cnmlab::ui
