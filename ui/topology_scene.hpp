#pragma once
// The canvas: a QGraphicsScene that projects the document. It listens to the
// document's signals, rebuilds the CanvasGraph (canvas_graph.hpp) and syncs
// items keyed by id: new ids get items, gone ids lose theirs, the rest are
// updated in place (selection and highlights survive edits). Items hold no
// model state and no pointers to each other; the maps below are the scene's
// own index of the items it owns.
//
// Positions: the x-layout entry of a node's name, else an automatic position
// (auto_layout.hpp, computed when a file is opened; new nodes are placed near
// their neighbours). The scene never edits the document: user gestures come
// out as signals (movesFinished, connectRequested, dropRequested) that the
// EditController turns into undoable edits.

#include <QGraphicsScene>
#include <QHash>
#include <QSet>

#include <memory>
#include <unordered_map>
#include <vector>

#include "ui/auto_layout.hpp"
#include "ui/canvas_graph.hpp"

class QGraphicsLineItem;

namespace cnmlab::ui {

class EdgeItem;
class FrameItem;
class NodeItem;
class ScenarioDocument;

// One node moved by the user: its id, x-layout name ("" when not saved) and
// its centre before and after.
struct NodeMove {
    QString id;
    std::string layoutName;
    QPointF before;
    QPointF after;
};

class TopologyScene : public QGraphicsScene {
    Q_OBJECT
public:
    // `doc` outlives the scene.
    explicit TopologyScene(ScenarioDocument* doc, QObject* parent = nullptr);
    ~TopologyScene() override;

    const CanvasGraph& graph() const { return m_graph; }
    // Re-projects the document (after a theme or language change).
    void refresh() { sync(); }
    NodeItem* nodeItem(const QString& id) const;
    EdgeItem* edgeItem(const QString& id) const;
    FrameItem* frameItem(const std::string& host) const;
    // The current centre of a node (its item's position).
    QPointF positionOf(const QString& id) const;
    // Edge ids touching a node.
    std::vector<QString> edgesOf(const QString& id) const;

    QStringList selectedIds() const;
    void selectIds(const QStringList& ids);
    // Emphasis for lessons and probes: node ids, edge ids, "frame:HOST". Each
    // `channel` ("lesson", "probe", ...) has its own set; items show the union.
    void setHighlighted(const QString& channel, const QStringList& ids);

    // Fresh automatic positions for every node (View > Arrange), as moves.
    std::vector<NodeMove> arrange(bool spring) const;
    // A free spot near `near` for a new node of `kind`.
    QPointF freeSpotNear(QPointF near, NodeKind kind) const;
    // The Docker host whose frame contains `scenePos`, or "".
    std::string hostAt(QPointF scenePos) const;

    // The view's zoom (the main window passes CanvasView::zoomChanged on):
    // containers' connect handles are kept at least kHandlePx pixels across
    // on the screen, however far the view is zoomed out.
    void setViewZoom(double zoom);
    // itemsBoundingRect() without the connect handles, which are sized for the
    // screen: what a fit or an export frames, whatever the zoom before it.
    // Cost: one pass over the items.
    QRectF drawingRect() const;
    static constexpr double kHandlePx = 14;

    // Connect mode: a drag from any container (not only its handle) connects.
    bool connectMode() const { return m_connectMode; }
    void setConnectMode(bool on) { m_connectMode = on; }

    // Called by the items (never by other code).
    void nodeMoved(const QString& id);
    void beginConnect(const QString& fromId, QPointF scenePos);
    void updateConnect(QPointF scenePos);
    void endConnect(QPointF scenePos);
    void beginFrameDrag(const std::string& host);
    void dragFrame(const std::string& host, QPointF delta);
    void endFrameDrag(const std::string& host);

signals:
    void movesFinished(const std::vector<cnmlab::ui::NodeMove>& moves);
    // A drag from a container ended on a network (keys, not ids).
    void connectRequested(const QString& service, const QString& network);
    // A palette entry ("network:bridge", "container", "host", "external:lan",
    // "external:internet") dropped at `scenePos`, inside `host`'s frame or not,
    // on the box of network node `networkId` (or "" when not on a network).
    void dropRequested(const QString& what, QPointF scenePos, const QString& host,
                       const QString& networkId);
    void selectedIdsChanged(const QStringList& ids);
    // A node was double-clicked (the window shows it in the inspector).
    void nodeActivated(const QString& id);
    // A Docker host's frame or kernel node was double-clicked ("Open host").
    void hostActivated(const QString& host);
    // After every sync: the graph changed.
    void graphChanged();

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* e) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent* e) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent* e) override;
    void dropEvent(QGraphicsSceneDragDropEvent* e) override;
    void drawBackground(QPainter* p, const QRectF& rect) override;

private:
    void rebuild();
    void sync();
    void onLayoutChanged(const QStringList& names);
    QPointF resolvePosition(const CanvasNode& n);
    void updateEdge(EdgeItem* e);
    void updateFrames();
    void updateLan();
    void updateAllGeometry();
    NodeItem* networkAt(QPointF scenePos) const;

    ScenarioDocument* m_doc;
    CanvasGraph m_graph;
    Positions m_auto;  // automatic positions of nodes without an x-layout entry
    std::unordered_map<QString, NodeItem*> m_nodes;
    std::unordered_map<QString, EdgeItem*> m_edges;
    std::unordered_map<std::string, FrameItem*> m_frames;
    std::unordered_map<QString, std::vector<QString>> m_adjacent;  // node id -> edge ids
    std::vector<NodeMove> m_pressed;  // selected nodes' positions at mouse press
    void applyHighlights();
    QHash<QString, QStringList> m_channels;
    QSet<QString> m_highlighted;  // the union of the channels
    bool m_syncing = false;
    bool m_connectMode = false;
    double m_handleSize = kHandlePx;  // scene units
    QString m_connectFrom;
    QGraphicsLineItem* m_connectLine = nullptr;
};

}  // namespace cnmlab::ui
