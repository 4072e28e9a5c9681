#include "ui/auto_layout.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

// Boost.Graph 1.74 trips GCC's -Wmaybe-uninitialized inside its own headers
// (optional<> in adj_list_edge_iterator); the warning is a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/circle_layout.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/kamada_kawai_spring_layout.hpp>
#include <boost/graph/topology.hpp>
#pragma GCC diagnostic pop

namespace cnmlab::ui {

namespace {

using SpringTopology = boost::square_topology<>;
using SpringPoint = SpringTopology::point_type;
using SpringGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

constexpr double kGapX = 36;         // between container columns and slots
constexpr double kGapY = 34;         // between container rows
constexpr double kNetDrop = 104;     // from the lowest container row to the networks
constexpr double kKernelDrop = 124;  // from the networks to the host kernel
constexpr double kBandGap = 150;     // between host bands
constexpr double kLanDrop = 150;     // from the kernels to the LAN
constexpr double kExtDrop = 120;     // from the LAN to the externals

// Boost's layout_tolerance, with a bound on the steps it allows: Kamada-Kawai
// can circle a minimum for ever without the energy's change ever falling
// under the tolerance (host1 of scenarios/compare-drivers.yaml on macvlan,
// with its LAN network, its bridges and an 802.1Q sub-interface network, did:
// the studio hung opening it). Past `limit` steps the layout stops where it is.
struct BoundedTolerance {
    boost::layout_tolerance<double> tolerance{0.001};
    std::size_t steps = 0;
    std::size_t limit = 0;
    template <class Graph>
    bool operator()(double delta, typename boost::graph_traits<Graph>::vertex_descriptor v,
                    const Graph& g, bool global) {
        return ++steps > limit || tolerance(delta, v, g, global);
    }
};

// Kamada-Kawai positions for `ids` joined by `edges` (pairs of indices).
// Returns false when the spring layout did not run. A graph in several pieces
// gets each piece tied to node 0's: Kamada-Kawai does not run on a
// disconnected graph (the distance between two pieces is infinite).
bool springLayout(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
                  double side, std::vector<QPointF>& out) {
    out.assign(n, QPointF());
    if (n == 0) {
        return true;
    }
    if (n == 1) {
        return true;
    }
    SpringGraph g(n);
    for (const auto& [a, b] : edges) {
        if (a != b) {
            boost::add_edge(a, b, 1.0, g);
        }
    }
    std::vector<std::size_t> piece(n);
    const std::size_t pieces = boost::connected_components(g, piece.data());
    std::vector<bool> tied(pieces, false);
    tied[piece[0]] = true;
    for (std::size_t i = 1; i < n; ++i) {
        if (!tied[piece[i]]) {
            tied[piece[i]] = true;
            boost::add_edge(0, i, 1.0, g);
        }
    }
    std::vector<SpringPoint> pos(n);
    auto posMap =
        boost::make_iterator_property_map(pos.begin(), boost::get(boost::vertex_index, g));
    boost::circle_graph_layout(g, posMap, side / 2);
    const bool done = boost::kamada_kawai_spring_layout(
        g, posMap, boost::get(boost::edge_weight, g), SpringTopology(), boost::side_length(side),
        BoundedTolerance{.limit = 2000 * n + 20000});
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = QPointF(pos[i][0], pos[i][1]);
    }
    return done;
}

struct Band {
    QString kernel;
    std::vector<QString> nets;        // in left-to-right order once arranged
    std::vector<QString> containers;  // file order
};

class BandLayout {
public:
    explicit BandLayout(const CanvasGraph& g) : m_g(g) {
        for (const auto& e : g.edges) {
            m_adj[e.from].push_back(&e);
            m_adj[e.to].push_back(&e);
        }
    }

    Positions run() {
        double left = 0;
        double minTop = 0;
        double kernelY = 0;
        double right = 0;
        for (const auto& host : m_g.hosts) {
            Band band = collect(host);
            orderNetworks(band);
            const double width = place(band, left);
            right = left + width;
            left = right + kBandGap;
            minTop = std::min(minTop, m_top);
            kernelY = std::max(kernelY, m_kernelY);
        }
        placeGlobalNetworks(minTop);
        placeLanAndExternals(0, right, kernelY);
        return std::move(m_pos);
    }

private:
    Band collect(const std::string& host) {
        Band b;
        for (const auto& n : m_g.nodes) {
            if (n.host != host) {
                continue;
            }
            if (n.kind == NodeKind::Host) {
                b.kernel = n.id;
            } else if (n.kind == NodeKind::Network) {
                b.nets.push_back(n.id);
            } else if (n.kind == NodeKind::Container) {
                b.containers.push_back(n.id);
            }
        }
        return b;
    }

    // Networks that share containers end up next to each other.
    void orderNetworks(Band& b) const {
        const std::size_t n = 1 + b.nets.size() + b.containers.size();
        if (b.nets.size() < 3 || n > kSpringLimit) {
            return;
        }
        std::unordered_map<QString, std::size_t> index;
        index[b.kernel] = 0;
        for (std::size_t i = 0; i < b.nets.size(); ++i) {
            index[b.nets[i]] = 1 + i;
        }
        for (std::size_t i = 0; i < b.containers.size(); ++i) {
            index[b.containers[i]] = 1 + b.nets.size() + i;
        }
        std::vector<std::pair<std::size_t, std::size_t>> edges;
        std::vector<bool> linked(n, false);
        linked[0] = true;
        for (const auto& e : m_g.edges) {
            auto a = index.find(e.from);
            auto z = index.find(e.to);
            if (a != index.end() && z != index.end()) {
                edges.emplace_back(a->second, z->second);
                linked[a->second] = linked[z->second] = true;
            }
        }
        for (std::size_t i = 1; i < n; ++i) {
            if (!linked[i]) {
                edges.emplace_back(0, i);  // keeps the graph connected (none mode)
            }
        }
        std::vector<QPointF> pos;
        if (!springLayout(n, edges, 100.0 * std::sqrt(static_cast<double>(n)), pos)) {
            return;
        }
        // Read the spring picture along its widest axis.
        double minX = 1e18, maxX = -1e18, minY = 1e18, maxY = -1e18;
        for (const auto& p : pos) {
            minX = std::min(minX, p.x());
            maxX = std::max(maxX, p.x());
            minY = std::min(minY, p.y());
            maxY = std::max(maxY, p.y());
        }
        const bool byX = maxX - minX >= maxY - minY;
        auto coord = [&](const QString& id) {
            const QPointF& p = pos[index.at(id)];
            return byX ? p.x() : p.y();
        };
        std::stable_sort(b.nets.begin(), b.nets.end(),
                         [&](const QString& x, const QString& y) { return coord(x) < coord(y); });
    }

    // Where a container goes along the network row: the mean place of the
    // networks it joins; host-mode, none and shared ones at the right end.
    double anchorOf(const QString& id, const std::unordered_map<QString, double>& netPlace,
                    double rightEnd, int depth = 0) const {
        double sum = 0;
        int count = 0;
        auto it = m_adj.find(id);
        if (it != m_adj.end()) {
            for (const CanvasEdge* e : it->second) {
                if (e->kind == EdgeKind::Endpoint && e->from == id) {
                    auto p = netPlace.find(e->to);
                    if (p != netPlace.end()) {
                        sum += p->second;
                        ++count;
                    }
                } else if (e->kind == EdgeKind::Shared && e->from == id && depth < 8) {
                    return anchorOf(e->to, netPlace, rightEnd, depth + 1);
                }
            }
        }
        return count == 0 ? rightEnd : sum / count;
    }

    // Places one host band starting at x = `left`; returns its width.
    double place(const Band& b, double left) {
        const QSizeF cs = nodeSize(NodeKind::Container);
        const QSizeF ns = nodeSize(NodeKind::Network);
        std::unordered_map<QString, double> netPlace;
        for (std::size_t i = 0; i < b.nets.size(); ++i) {
            netPlace[b.nets[i]] = static_cast<double>(i);
        }
        const auto rightEnd = static_cast<double>(b.nets.size());
        std::map<double, std::vector<QString>> groups;
        for (const auto& c : b.containers) {
            groups[std::round(anchorOf(c, netPlace, rightEnd) * 2) / 2].push_back(c);
        }
        for (std::size_t i = 0; i < b.nets.size(); ++i) {
            groups[static_cast<double>(i)];  // every network gets a slot
        }
        const auto groupCount = static_cast<double>(std::max<std::size_t>(groups.size(), 1));
        double x = left;
        int maxRows = 1;
        for (auto& [anchor, members] : groups) {
            const auto k = static_cast<double>(members.size());
            int cols = 1;
            if (k <= 3) {
                cols = static_cast<int>(k);  // a few side by side
            } else {
                cols = std::clamp(static_cast<int>(std::ceil(std::sqrt(k * 2.0 / groupCount))), 1,
                                  static_cast<int>(std::ceil(std::sqrt(k))));
            }
            cols = std::max(cols, 1);
            const int rows =
                members.empty() ? 0 : (static_cast<int>(members.size()) + cols - 1) / cols;
            maxRows = std::max(maxRows, rows);
            const double gridW = members.empty() ? 0 : cols * cs.width() + (cols - 1) * kGapX;
            const bool hasNet = anchor == std::floor(anchor) && anchor < rightEnd;
            const double slotW = std::max(gridW, hasNet ? ns.width() : 0.0);
            for (std::size_t i = 0; i < members.size(); ++i) {
                const int index = static_cast<int>(i);
                const int rowIndex = index / cols;  // whole rows above this one
                const auto col = static_cast<double>(index % cols);
                const auto row = static_cast<double>(rowIndex);
                m_pos[members[i]] =
                    QPointF(x + (slotW - gridW) / 2 + col * (cs.width() + kGapX) + cs.width() / 2,
                            -row * (cs.height() + kGapY));
            }
            if (hasNet) {
                m_netX[b.nets[static_cast<std::size_t>(anchor)]] = x + slotW / 2;
            }
            x += slotW + kGapX;
        }
        const double width = std::max(x - kGapX - left, nodeSize(NodeKind::Host).width());
        const double netY = cs.height() / 2 + kNetDrop + ns.height() / 2;
        for (const auto& n : b.nets) {
            m_pos[n] = QPointF(m_netX[n], netY);
        }
        m_kernelY = netY + kKernelDrop;
        if (b.nets.empty() && b.containers.empty()) {
            m_kernelY = 0;
        }
        m_pos[b.kernel] = QPointF(left + width / 2, m_kernelY);
        m_top = -(maxRows - 1) * (cs.height() + kGapY) - cs.height() / 2;
        return width;
    }

    // Nodes outside the host frames, in a row above them, each over the
    // mean x of what it links to: global networks (overlays), and above them
    // swarm services (over their tasks).
    void placeGlobalNetworks(double minTop) {
        placeRow(NodeKind::Network, minTop - 170, nodeSize(NodeKind::Network).width() + 60);
        placeRow(NodeKind::Container, minTop - 300, nodeSize(NodeKind::Container).width() + 40);
    }

    void placeRow(NodeKind kind, double y, double step) {
        std::vector<std::pair<double, QString>> row;
        for (const auto& n : m_g.nodes) {
            if (n.kind != kind || !n.host.empty()) {
                continue;
            }
            double sum = 0;
            int count = 0;
            for (const auto& e : m_g.edges) {
                if (e.to == n.id || e.from == n.id) {
                    const QString other = e.to == n.id ? e.from : e.to;
                    auto p = m_pos.find(other);
                    if (p != m_pos.end()) {
                        sum += p->second.x();
                        ++count;
                    }
                }
            }
            row.emplace_back(count == 0 ? 0 : sum / count, n.id);
        }
        std::stable_sort(row.begin(), row.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        double lastX = -1e18;
        for (auto& [x, id] : row) {
            x = std::max(x, lastX + step);
            m_pos[id] = QPointF(x, y);
            lastX = x;
        }
    }

    void placeLanAndExternals(double left, double right, double kernelY) {
        const double lanY = kernelY + kLanDrop;
        m_pos[QStringLiteral("lan")] = QPointF((left + right) / 2, lanY);
        const double step = nodeSize(NodeKind::External).width() + 60;
        double x = left + nodeSize(NodeKind::External).width() / 2;
        std::vector<QString> routed;
        for (const auto& n : m_g.nodes) {
            if (n.kind != NodeKind::External) {
                continue;
            }
            const bool onLan = std::any_of(m_g.edges.begin(), m_g.edges.end(), [&](const auto& e) {
                return e.from == n.id && e.kind == EdgeKind::Uplink;
            });
            if (!onLan) {
                routed.push_back(n.id);
                continue;
            }
            m_pos[n.id] = QPointF(x, lanY + kExtDrop);
            x += step;
        }
        if (m_g.node(QStringLiteral("router")) != nullptr) {
            const double rx = std::max(x, right - nodeSize(NodeKind::Router).width() / 2);
            m_pos[QStringLiteral("router")] = QPointF(rx, lanY + kExtDrop);
            double ex = rx - (static_cast<double>(routed.size()) - 1) * step / 2;
            for (const auto& id : routed) {
                m_pos[id] = QPointF(ex, lanY + kExtDrop + 110);
                ex += step;
            }
        }
    }

    const CanvasGraph& m_g;
    std::unordered_map<QString, std::vector<const CanvasEdge*>> m_adj;
    std::unordered_map<QString, double> m_netX;
    Positions m_pos;
    double m_top = 0;
    double m_kernelY = 0;
};

}  // namespace

Positions autoLayout(const CanvasGraph& g) {
    return BandLayout(g).run();
}

Positions forceLayout(const CanvasGraph& g) {
    const std::size_t n = g.nodes.size();
    if (n > kSpringLimit * 2) {
        return autoLayout(g);
    }
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    for (const auto& e : g.edges) {
        auto a = g.nodeIndex.find(e.from);
        auto b = g.nodeIndex.find(e.to);
        if (a != g.nodeIndex.end() && b != g.nodeIndex.end()) {
            edges.emplace_back(a->second, b->second);
        }
    }
    // Nodes without links (none-mode containers) hang off their host.
    for (std::size_t i = 0; i < n; ++i) {
        const bool linked = std::any_of(edges.begin(), edges.end(), [&](const auto& e) {
            return e.first == i || e.second == i;
        });
        if (!linked) {
            const QString host = QStringLiteral("host:") + QString::fromStdString(g.nodes[i].host);
            auto h = g.nodeIndex.find(host);
            edges.emplace_back(i, h != g.nodeIndex.end() ? h->second : 0);
        }
    }
    std::vector<QPointF> pos;
    const double side = 230.0 * std::sqrt(static_cast<double>(n)) * 1.6;
    if (!springLayout(n, edges, side, pos)) {
        return autoLayout(g);
    }
    // Push apart boxes that still overlap (a few passes; n is small here).
    for (int pass = 0; pass < 40; ++pass) {
        bool moved = false;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = i + 1; j < n; ++j) {
                const QSizeF a = g.nodes[i].size;
                const QSizeF b = g.nodes[j].size;
                const double dx = pos[j].x() - pos[i].x();
                const double dy = pos[j].y() - pos[i].y();
                const double ox = (a.width() + b.width()) / 2 + 30 - std::abs(dx);
                const double oy = (a.height() + b.height()) / 2 + 40 - std::abs(dy);
                if (ox > 0 && oy > 0) {
                    const bool alongX =
                        ox / (a.width() + b.width()) < oy / (a.height() + b.height());
                    const QPointF push = alongX ? QPointF((dx >= 0 ? ox : -ox) / 2, 0)
                                                : QPointF(0, (dy >= 0 ? oy : -oy) / 2);
                    pos[i] -= push;
                    pos[j] += push;
                    moved = true;
                }
            }
        }
        if (!moved) {
            break;
        }
    }
    Positions out;
    for (std::size_t i = 0; i < n; ++i) {
        out[g.nodes[i].id] = pos[i];
    }
    return out;
}

}  // namespace cnmlab::ui
