// The canvas's gestures: moving nodes (and a host's frame) reported as
// NodeMoves when the mouse is released, connecting a container to a network by
// dragging, and palette drops. The scene reports; the EditController edits.
#include <QGraphicsLineItem>
#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneMouseEvent>
#include <QMimeData>

#include "ui/frame_item.hpp"
#include "ui/node_item.hpp"
#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

namespace {
constexpr const char* kPaletteMime = "application/x-cnmlab-palette";

QRectF sceneShape(const NodeItem* n) {
    return n->shapeRect().translated(n->pos());
}
}  // namespace

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent* e) {
    QGraphicsScene::mousePressEvent(e);
    m_pressed.clear();
    for (QGraphicsItem* item : selectedItems()) {
        if (auto* n = qgraphicsitem_cast<NodeItem*>(item)) {
            m_pressed.push_back({n->id(), n->node().layoutName, n->pos(), n->pos()});
        }
    }
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* e) {
    QGraphicsScene::mouseReleaseEvent(e);
    std::vector<NodeMove> moves;
    for (NodeMove& m : m_pressed) {
        if (NodeItem* n = nodeItem(m.id); n != nullptr && n->pos() != m.before) {
            m.after = n->pos();
            if (m.layoutName.empty()) {
                m_auto[m.id] = m.after;  // not saved in the file: this session only
            } else {
                moves.push_back(m);
            }
        }
    }
    m_pressed.clear();
    if (!moves.empty()) {
        emit movesFinished(moves);
    }
}

void TopologyScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* e) {
    QGraphicsScene::mouseDoubleClickEvent(e);
    for (QGraphicsItem* item : items(e->scenePos())) {
        if (auto* n = qgraphicsitem_cast<NodeItem*>(item)) {
            emit nodeActivated(n->id());
            if (n->node().kind == NodeKind::Host) {
                emit hostActivated(QString::fromStdString(n->node().host));
            }
            return;
        }
        if (auto* f = qgraphicsitem_cast<FrameItem*>(item)) {
            emit hostActivated(QString::fromStdString(f->host()));
            return;
        }
    }
}

void TopologyScene::beginFrameDrag(const std::string& host) {
    m_pressed.clear();
    for (const auto& [id, item] : m_nodes) {
        if (item->node().host == host) {
            m_pressed.push_back({id, item->node().layoutName, item->pos(), item->pos()});
        }
    }
}

void TopologyScene::dragFrame(const std::string& host, QPointF delta) {
    m_syncing = true;
    for (const auto& [id, item] : m_nodes) {
        if (item->node().host == host) {
            item->moveBy(delta.x(), delta.y());
        }
    }
    m_syncing = false;
    updateAllGeometry();
}

void TopologyScene::endFrameDrag(const std::string&) {
    std::vector<NodeMove> moves;
    for (NodeMove& m : m_pressed) {
        if (NodeItem* n = nodeItem(m.id); n != nullptr && n->pos() != m.before) {
            m.after = n->pos();
            if (m.layoutName.empty()) {
                m_auto[m.id] = m.after;
            } else {
                moves.push_back(m);
            }
        }
    }
    m_pressed.clear();
    if (!moves.empty()) {
        emit movesFinished(moves);
    }
}

void TopologyScene::beginConnect(const QString& fromId, QPointF scenePos) {
    m_connectFrom = fromId;
    delete m_connectLine;
    m_connectLine = addLine(QLineF(positionOf(fromId), scenePos),
                            QPen(Theme::colors().selection, 2, Qt::DashLine, Qt::RoundCap));
    m_connectLine->setZValue(50);
}

void TopologyScene::updateConnect(QPointF scenePos) {
    if (m_connectLine != nullptr) {
        m_connectLine->setLine(QLineF(positionOf(m_connectFrom), scenePos));
    }
    for (auto& [id, item] : m_nodes) {
        if (item->node().kind == NodeKind::Network) {
            item->setHighlighted(sceneShape(item).contains(scenePos) || m_highlighted.contains(id));
        }
    }
}

void TopologyScene::endConnect(QPointF scenePos) {
    delete m_connectLine;
    m_connectLine = nullptr;
    NodeItem* net = networkAt(scenePos);
    const NodeItem* from = nodeItem(m_connectFrom);
    applyHighlights();
    if (net != nullptr && from != nullptr && from->node().kind == NodeKind::Container) {
        emit connectRequested(QString::fromStdString(from->node().key),
                              QString::fromStdString(net->node().key));
    }
    m_connectFrom.clear();
}

NodeItem* TopologyScene::networkAt(QPointF scenePos) const {
    for (QGraphicsItem* item : items(scenePos)) {
        if (auto* n = qgraphicsitem_cast<NodeItem*>(item);
            n && n->node().kind == NodeKind::Network) {
            return n;
        }
    }
    return nullptr;
}

void TopologyScene::dragEnterEvent(QGraphicsSceneDragDropEvent* e) {
    if (e->mimeData()->hasFormat(kPaletteMime)) {
        e->acceptProposedAction();
    } else {
        QGraphicsScene::dragEnterEvent(e);
    }
}

void TopologyScene::dragMoveEvent(QGraphicsSceneDragDropEvent* e) {
    if (e->mimeData()->hasFormat(kPaletteMime)) {
        e->acceptProposedAction();
    } else {
        QGraphicsScene::dragMoveEvent(e);
    }
}

void TopologyScene::dropEvent(QGraphicsSceneDragDropEvent* e) {
    if (!e->mimeData()->hasFormat(kPaletteMime)) {
        QGraphicsScene::dropEvent(e);
        return;
    }
    const QString what = QString::fromUtf8(e->mimeData()->data(kPaletteMime));
    e->acceptProposedAction();
    const NodeItem* net = networkAt(e->scenePos());
    emit dropRequested(what, e->scenePos(), QString::fromStdString(hostAt(e->scenePos())),
                       net != nullptr ? net->id() : QString());
}

}  // namespace cnmlab::ui
