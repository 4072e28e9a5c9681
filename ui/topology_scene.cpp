#include "ui/topology_scene.hpp"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "ui/edge_item.hpp"
#include "ui/frame_item.hpp"
#include "ui/node_item.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

constexpr double kFramePad = 26;

// Where the segment from the centre of `r` towards `target` leaves `r`.
QPointF clipToRect(const QRectF& r, QPointF target) {
    const QPointF c = r.center();
    const double dx = target.x() - c.x();
    const double dy = target.y() - c.y();
    if (std::abs(dx) < 1e-9 && std::abs(dy) < 1e-9) {
        return c;
    }
    const double sx = std::abs(dx) < 1e-9 ? 1e18 : (r.width() / 2) / std::abs(dx);
    const double sy = std::abs(dy) < 1e-9 ? 1e18 : (r.height() / 2) / std::abs(dy);
    const double s = std::min(std::min(sx, sy), 1.0);
    return {c.x() + dx * s, c.y() + dy * s};
}

QRectF sceneShape(const NodeItem* n) {
    return n->shapeRect().translated(n->pos());
}

}  // namespace

TopologyScene::TopologyScene(ScenarioDocument* doc, QObject* parent)
    : QGraphicsScene(parent), m_doc(doc) {
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    connect(doc, &ScenarioDocument::reset, this, &TopologyScene::rebuild);
    connect(doc, &ScenarioDocument::changed, this, &TopologyScene::sync);
    connect(doc, &ScenarioDocument::layoutChanged, this, &TopologyScene::onLayoutChanged);
    connect(this, &QGraphicsScene::selectionChanged, this,
            [this] { emit selectedIdsChanged(selectedIds()); });
    rebuild();
}

TopologyScene::~TopologyScene() {
    // QGraphicsScene's destructor deselects every item: nobody must hear that.
    blockSignals(true);
}

NodeItem* TopologyScene::nodeItem(const QString& id) const {
    auto it = m_nodes.find(id);
    return it == m_nodes.end() ? nullptr : it->second;
}

EdgeItem* TopologyScene::edgeItem(const QString& id) const {
    auto it = m_edges.find(id);
    return it == m_edges.end() ? nullptr : it->second;
}

FrameItem* TopologyScene::frameItem(const std::string& host) const {
    auto it = m_frames.find(host);
    return it == m_frames.end() ? nullptr : it->second;
}

QPointF TopologyScene::positionOf(const QString& id) const {
    const NodeItem* n = nodeItem(id);
    return n ? n->pos() : QPointF();
}

std::vector<QString> TopologyScene::edgesOf(const QString& id) const {
    auto it = m_adjacent.find(id);
    return it == m_adjacent.end() ? std::vector<QString>{} : it->second;
}

QStringList TopologyScene::selectedIds() const {
    QStringList out;
    for (QGraphicsItem* item : selectedItems()) {
        if (auto* n = qgraphicsitem_cast<NodeItem*>(item)) {
            out << n->id();
        } else if (auto* e = qgraphicsitem_cast<EdgeItem*>(item)) {
            out << e->edge().id;
        }
    }
    return out;
}

void TopologyScene::selectIds(const QStringList& ids) {
    {
        const QSignalBlocker block(this);  // one notification, not one per item
        clearSelection();
        for (const QString& id : ids) {
            if (NodeItem* n = nodeItem(id)) {
                n->setSelected(true);
            } else if (EdgeItem* e = edgeItem(id)) {
                e->setSelected(true);
            }
        }
    }
    emit selectedIdsChanged(selectedIds());
}

void TopologyScene::setHighlighted(const QString& channel, const QStringList& ids) {
    if (ids.isEmpty()) {
        m_channels.remove(channel);
    } else {
        m_channels[channel] = ids;
    }
    applyHighlights();
}

QRectF TopologyScene::drawingRect() const {
    QRectF r;
    for (const QGraphicsItem* item : items()) {
        r |= item->type() == NodeItem::Type
                 ? item->mapRectToScene(static_cast<const NodeItem*>(item)->layoutRect())
                 : item->sceneBoundingRect();
    }
    return r;
}

void TopologyScene::setViewZoom(double zoom) {
    const double size = std::max(kHandlePx, kHandlePx / std::max(zoom, 1e-3));
    if (size == m_handleSize) {
        return;
    }
    m_handleSize = size;
    for (auto& [id, item] : m_nodes) {
        if (item->node().kind == NodeKind::Container) {
            item->setHandleSize(size);
        }
    }
}

void TopologyScene::applyHighlights() {
    m_highlighted.clear();
    for (const QStringList& list : std::as_const(m_channels)) {
        for (const QString& id : list) {
            m_highlighted.insert(id);
        }
    }
    const QSet<QString>& ids = m_highlighted;
    for (auto& [id, item] : m_nodes) {
        item->setHighlighted(ids.contains(id));
    }
    for (auto& [id, item] : m_edges) {
        item->setHighlighted(ids.contains(id));
    }
    for (auto& [host, item] : m_frames) {
        item->setHighlighted(ids.contains("frame:" + QString::fromStdString(host)));
    }
}

// ---- building and syncing ------------------------------------------------------

void TopologyScene::rebuild() {
    for (auto& [id, item] : m_nodes) {
        delete item;
    }
    for (auto& [id, item] : m_edges) {
        delete item;
    }
    for (auto& [host, item] : m_frames) {
        delete item;
    }
    m_nodes.clear();
    m_edges.clear();
    m_frames.clear();
    m_auto.clear();
    m_graph = buildCanvasGraph(*m_doc);
    std::size_t saved = 0;
    for (const auto& n : m_graph.nodes) {
        saved += !n.layoutName.empty() && m_doc->position(n.layoutName) ? 1 : 0;
    }
    if (saved < m_graph.nodes.size()) {
        m_auto = autoLayout(m_graph);
    }
    sync();
    // A file that places some nodes and not others: move the automatic ones
    // off the saved ones (small files only; the check is quadratic).
    if (saved > 0 && saved < m_graph.nodes.size() && m_graph.nodes.size() < 400) {
        for (const auto& n : m_graph.nodes) {
            if (auto it = m_auto.find(n.id); it != m_auto.end() && n.kind != NodeKind::Lan) {
                NodeItem* item = nodeItem(n.id);
                const QPointF spot = freeSpotNear(item->pos(), n.kind);
                if (spot != item->pos()) {
                    it->second = spot;
                    m_syncing = true;
                    item->setPos(spot);
                    m_syncing = false;
                }
            }
        }
        updateAllGeometry();
    }
}

QPointF TopologyScene::resolvePosition(const CanvasNode& n) {
    if (!n.layoutName.empty()) {
        if (auto p = m_doc->position(n.layoutName)) {
            return *p;
        }
    }
    if (auto it = m_auto.find(n.id); it != m_auto.end()) {
        return it->second;
    }
    // A node new since the file was opened: next to what it links to.
    QPointF spot;
    bool found = false;
    for (const auto& e : m_graph.edges) {
        const QString other = e.from == n.id ? e.to : e.to == n.id ? e.from : QString();
        if (other.isEmpty() || other == QLatin1String("lan")) {
            continue;
        }
        if (NodeItem* o = nodeItem(other)) {
            const double dy = n.kind == NodeKind::Container ? -150
                              : n.kind == NodeKind::Network && o->node().kind == NodeKind::Host
                                  ? -140
                              : n.kind == NodeKind::Network ? 150
                                                            : 120;
            spot = freeSpotNear(o->pos() + QPointF(0, dy), n.kind);
            found = true;
            break;
        }
    }
    if (!found) {
        const QRectF all = itemsBoundingRect();
        spot = freeSpotNear(n.kind == NodeKind::Host ? QPointF(all.right() + 300, all.center().y())
                                                     : all.center(),
                            n.kind);
    }
    m_auto[n.id] = spot;
    return spot;
}

void TopologyScene::sync() {
    m_graph = buildCanvasGraph(*m_doc);
    m_syncing = true;
    std::unordered_set<QString> live;
    for (const auto& n : m_graph.nodes) {
        live.insert(n.id);
        NodeItem* item = nodeItem(n.id);
        if (item == nullptr) {
            item = new NodeItem(n);
            item->setHandleSize(m_handleSize);
            m_nodes[n.id] = item;
            item->setPos(resolvePosition(n));
            addItem(item);
        } else {
            item->setNode(n);
            const QPointF p = resolvePosition(n);
            if (n.kind != NodeKind::Lan && item->pos() != p) {
                item->setPos(p);
            }
        }
        item->setHighlighted(m_highlighted.contains(n.id));
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (live.count(it->first) == 0) {
            delete it->second;
            m_auto.erase(it->first);
            it = m_nodes.erase(it);
        } else {
            ++it;
        }
    }
    live.clear();
    m_adjacent.clear();
    const bool labels = m_graph.edges.size() <= 600;
    for (const auto& e : m_graph.edges) {
        live.insert(e.id);
        m_adjacent[e.from].push_back(e.id);
        m_adjacent[e.to].push_back(e.id);
        EdgeItem* item = edgeItem(e.id);
        if (item == nullptr) {
            item = new EdgeItem(e);
            m_edges[e.id] = item;
            addItem(item);
        } else if (item->edge().label != e.label || item->edge().color != e.color ||
                   item->edge().from != e.from || item->edge().to != e.to) {
            item->setEdge(e);
        }
        item->setLabelVisible(labels);
        item->setHighlighted(m_highlighted.contains(e.id));
    }
    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if (live.count(it->first) == 0) {
            delete it->second;
            it = m_edges.erase(it);
        } else {
            ++it;
        }
    }
    std::unordered_set<std::string> hosts(m_graph.hosts.begin(), m_graph.hosts.end());
    for (auto it = m_frames.begin(); it != m_frames.end();) {
        if (hosts.count(it->first) == 0) {
            delete it->second;
            it = m_frames.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& h : m_graph.hosts) {
        const model::HostSpec* spec = m_doc->scenario().findHost(h);
        const QString sub =
            spec ? QStringLiteral("eth0 %1").arg(QString::fromStdString(spec->underlay.str()))
                 : QString();
        if (FrameItem* f = frameItem(h)) {
            f->setSubtitle(sub);
        } else {
            auto* frame = new FrameItem(h, sub);
            m_frames[h] = frame;
            addItem(frame);
        }
        m_frames[h]->setHighlighted(m_highlighted.contains("frame:" + QString::fromStdString(h)));
    }
    m_syncing = false;
    updateAllGeometry();
    emit graphChanged();
}

void TopologyScene::onLayoutChanged(const QStringList& names) {
    m_syncing = true;
    for (const auto& n : m_graph.nodes) {
        if (!n.layoutName.empty() && names.contains(QString::fromStdString(n.layoutName))) {
            if (NodeItem* item = nodeItem(n.id)) {
                item->setPos(resolvePosition(n));
            }
        }
    }
    m_syncing = false;
    updateAllGeometry();
}

// ---- geometry -------------------------------------------------------------------

void TopologyScene::updateEdge(EdgeItem* e) {
    const NodeItem* a = nodeItem(e->edge().from);
    const NodeItem* b = nodeItem(e->edge().to);
    if (a == nullptr || b == nullptr) {
        e->setVisible(false);
        return;
    }
    e->setVisible(true);
    if (b->node().kind == NodeKind::Lan) {
        const QRectF lan = sceneShape(b);
        const QRectF ra = sceneShape(a);
        const double x = std::clamp(a->pos().x(), lan.left() + 20, lan.right() - 20);
        if (ra.center().y() < lan.center().y()) {
            e->setEnds(QPointF(x, ra.bottom()), QPointF(x, lan.top()));
        } else {
            e->setEnds(QPointF(x, ra.top()), QPointF(x, lan.bottom()));
        }
        return;
    }
    const QRectF ra = sceneShape(a);
    const QRectF rb = sceneShape(b);
    e->setEnds(clipToRect(ra, rb.center()), clipToRect(rb, ra.center()));
}

void TopologyScene::updateFrames() {
    std::unordered_map<std::string, QRectF> rects;
    for (const auto& [id, item] : m_nodes) {
        const std::string& h = item->node().host;
        if (h.empty()) {
            continue;
        }
        QRectF& r = rects[h];
        const QRectF s = sceneShape(item);
        r = r.isNull() ? s : r.united(s);
    }
    for (auto& [host, frame] : m_frames) {
        auto it = rects.find(host);
        if (it == rects.end()) {
            frame->setVisible(false);
            continue;
        }
        frame->setVisible(true);
        frame->setRect(it->second.adjusted(-kFramePad, -kFramePad - FrameItem::kTitleHeight - 6,
                                           kFramePad, kFramePad));
    }
}

void TopologyScene::updateLan() {
    NodeItem* lan = nodeItem(QStringLiteral("lan"));
    if (lan == nullptr) {
        return;
    }
    double left = 1e18;
    double right = -1e18;
    for (const auto& [host, frame] : m_frames) {
        if (frame->isVisible()) {
            left = std::min(left, frame->rect().left());
            right = std::max(right, frame->rect().right());
        }
    }
    for (const auto& [id, item] : m_nodes) {
        const NodeKind k = item->node().kind;
        if (k == NodeKind::External || k == NodeKind::Router) {
            const QRectF r = sceneShape(item);
            left = std::min(left, r.left());
            right = std::max(right, r.right());
        }
    }
    if (left > right) {
        left = right = lan->pos().x();
    }
    // Unless the file places it, the LAN stays under every host frame.
    double y = lan->pos().y();
    const std::string& saved = lan->node().layoutName;  // "" when "lan" is the user's
    if ((saved.empty() || !m_doc->position(saved)) && m_nodes.size() < 2000) {
        double bottom = -1e18;
        for (const auto& [host, frame] : m_frames) {
            if (frame->isVisible()) {
                bottom = std::max(bottom, frame->rect().bottom());
            }
        }
        y = std::max(y, bottom + 60);
    }
    const bool was = m_syncing;
    m_syncing = true;
    lan->setExtent(left - 30, right + 30);
    lan->setPos((left + right) / 2, y);
    m_syncing = was;
}

void TopologyScene::updateAllGeometry() {
    updateFrames();
    updateLan();
    for (auto& [id, e] : m_edges) {
        updateEdge(e);
    }
}

void TopologyScene::nodeMoved(const QString& id) {
    if (m_syncing) {
        return;
    }
    const NodeItem* moved = nodeItem(id);
    if (moved == nullptr) {
        return;
    }
    updateFrames();
    const NodeKind k = moved->node().kind;
    if (k == NodeKind::Host || k == NodeKind::External || k == NodeKind::Router ||
        k == NodeKind::Lan) {
        updateLan();
        for (auto& [eid, e] : m_edges) {
            if (e->edge().kind == EdgeKind::Uplink) {
                updateEdge(e);
            }
        }
    }
    for (const QString& eid : edgesOf(id)) {
        if (EdgeItem* e = edgeItem(eid)) {
            updateEdge(e);
        }
    }
}

// ---- placement ------------------------------------------------------------------

QPointF TopologyScene::freeSpotNear(QPointF near, NodeKind kind) const {
    const QSizeF s = nodeSize(kind);
    auto freeAt = [&](QPointF c) {
        const QRectF r(c.x() - s.width() / 2 - 18, c.y() - s.height() / 2 - 18, s.width() + 36,
                       s.height() + 36);
        for (QGraphicsItem* item : items(r)) {
            if (item->type() == NodeItem::Type) {
                return false;
            }
        }
        return true;
    };
    const double dx = s.width() + 40;
    const double dy = s.height() + 40;
    for (int ring = 0; ring < 40; ++ring) {
        for (int i = -ring; i <= ring; ++i) {
            for (const QPointF& c :
                 {near + QPointF(i * dx, -ring * dy), near + QPointF(i * dx, ring * dy),
                  near + QPointF(-ring * dx, i * dy), near + QPointF(ring * dx, i * dy)}) {
                if (freeAt(c)) {
                    return c;
                }
            }
        }
    }
    return near;
}

std::string TopologyScene::hostAt(QPointF scenePos) const {
    for (const auto& [host, frame] : m_frames) {
        if (frame->isVisible() && frame->rect().contains(scenePos)) {
            return host;
        }
    }
    return {};
}

std::vector<NodeMove> TopologyScene::arrange(bool spring) const {
    const Positions pos = spring ? forceLayout(m_graph) : autoLayout(m_graph);
    std::vector<NodeMove> out;
    for (const auto& n : m_graph.nodes) {
        auto it = pos.find(n.id);
        if (it != pos.end()) {
            out.push_back({n.id, n.layoutName, positionOf(n.id), it->second});
        }
    }
    return out;
}

void TopologyScene::drawBackground(QPainter* p, const QRectF& rect) {
    const ThemeColors& c = Theme::colors();
    p->fillRect(rect, c.canvas);
    const double scale = p->worldTransform().m11();
    if (scale < 0.45) {
        return;
    }
    constexpr double kStep = 24;
    QVector<QPointF> dots;
    const double x0 = std::floor(rect.left() / kStep) * kStep;
    const double y0 = std::floor(rect.top() / kStep) * kStep;
    for (double y = y0; y < rect.bottom(); y += kStep) {
        for (double x = x0; x < rect.right(); x += kStep) {
            dots.append(QPointF(x, y));
        }
    }
    p->setPen(QPen(c.grid, 1.6 / scale));
    p->drawPoints(dots.data(), static_cast<int>(dots.size()));
}

}  // namespace cnmlab::ui
