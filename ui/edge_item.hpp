#pragma once
// A link of the canvas (endpoint, gateway, uplink, host mode, shared
// namespace), drawn from a CanvasEdge value between two points the scene
// computes from the nodes' positions. The label (interface and address) sits
// on a plate along the line. Holds no pointer to the nodes it joins.

#include <QGraphicsItem>

#include "ui/canvas_graph.hpp"

namespace cnmlab::ui {

class EdgeItem : public QGraphicsItem {
public:
    explicit EdgeItem(const CanvasEdge& edge);

    enum { Type = UserType + 2 };
    int type() const override { return Type; }

    const CanvasEdge& edge() const { return m_edge; }
    void setEdge(const CanvasEdge& edge);
    // Scene coordinates of the `from` and `to` ends.
    void setEnds(QPointF from, QPointF to);
    QPointF fromPoint() const { return m_from; }
    QPointF toPoint() const { return m_to; }
    // A point `t` of the way from the `from` end (0) to the `to` end (1).
    QPointF pointAt(double t) const;
    void setHighlighted(bool on);
    bool highlighted() const { return m_highlighted; }
    // Labels cost text layout: hidden when many links share the canvas.
    void setLabelVisible(bool on);

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

private:
    QRectF labelRect() const;

    CanvasEdge m_edge;
    QPointF m_from;
    QPointF m_to;
    bool m_highlighted = false;
    bool m_labelVisible = true;
    double m_labelWidth = 0;
};

}  // namespace cnmlab::ui
