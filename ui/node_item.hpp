#pragma once
// A node of the canvas (container, network, host kernel, external, LAN,
// router), drawn from a CanvasNode value. It holds a copy of that value for
// painting only; the scene replaces it after every model change. Its position
// is the node's centre. Moving it tells the scene (which re-routes the links
// and the host frame); it never talks to other items.

#include <QGraphicsItem>

#include "ui/canvas_graph.hpp"

namespace cnmlab::ui {

class NodeItem : public QGraphicsItem {
public:
    explicit NodeItem(const CanvasNode& node);

    enum { Type = UserType + 1 };
    int type() const override { return Type; }

    const CanvasNode& node() const { return m_node; }
    const QString& id() const { return m_node.id; }
    void setNode(const CanvasNode& node);

    // Lesson / simulation emphasis: a glowing ring.
    void setHighlighted(bool on);
    bool highlighted() const { return m_highlighted; }
    // The LAN is a bar across the canvas: its left and right ends (scene x).
    void setExtent(double left, double right);

    // The shape's rectangle around the centre, in item coordinates.
    QRectF shapeRect() const;
    // The connection handle (containers): drag from it to a network to connect.
    // A circle on the bottom edge, `handleSize` scene units across.
    QRectF handleRect() const;
    // Set by the scene as the view zooms, so the handle stays big enough to
    // hit on the screen (TopologyScene::setViewZoom).
    void setHandleSize(double size);

    // boundingRect() without the connect handle: the shape and the room of
    // its labels, the same at any zoom.
    QRectF layoutRect() const;
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* e) override;
    void hoverEnterEvent(QGraphicsSceneHoverEvent* e) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* e) override;

private:
    void paintCard(QPainter* p, double lod) const;
    void paintLan(QPainter* p, double lod) const;
    void paintBadges(QPainter* p, const QRectF& r) const;

    CanvasNode m_node;
    bool m_highlighted = false;
    bool m_hovered = false;
    bool m_connecting = false;  // a drag from the handle is in progress
    double m_handleSize = 14;
    double m_left = 0;
    double m_right = 0;
};

}  // namespace cnmlab::ui
