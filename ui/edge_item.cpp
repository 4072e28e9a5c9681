#include "ui/edge_item.hpp"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

QFont labelFont() {
    QFont f = Theme::uiFont(9);
    f.setPixelSize(10);
    return f;
}

// Where the label sits along the line: endpoint labels near the container and
// gateway labels near the network (many links meet at one network or kernel).
double labelT(EdgeKind kind) {
    switch (kind) {
    case EdgeKind::Endpoint:
        return 0.4;
    case EdgeKind::Gateway:
        return 0.3;
    default:
        return 0.5;
    }
}

}  // namespace

EdgeItem::EdgeItem(const CanvasEdge& edge) : m_edge(edge) {
    setZValue(edge.kind == EdgeKind::Uplink ? -4 : 0);
    // Endpoint links can be selected (Delete disconnects); the others are scenery.
    const bool selectable = edge.kind == EdgeKind::Endpoint;
    setFlag(ItemIsSelectable, selectable);
    setAcceptedMouseButtons(selectable ? Qt::LeftButton : Qt::NoButton);
    setToolTip(selectable
                   ? QCoreApplication::translate("cnmlab::ui::EdgeItem",
                                                 "Endpoint: select and press Delete to disconnect")
                   : QString());
    m_labelWidth = QFontMetricsF(labelFont()).horizontalAdvance(edge.label) + 12;
}

void EdgeItem::setEdge(const CanvasEdge& edge) {
    prepareGeometryChange();
    m_edge = edge;
    m_labelWidth = QFontMetricsF(labelFont()).horizontalAdvance(edge.label) + 12;
    update();
}

void EdgeItem::setEnds(QPointF from, QPointF to) {
    if (from == m_from && to == m_to) {
        return;
    }
    prepareGeometryChange();
    m_from = from;
    m_to = to;
}

QPointF EdgeItem::pointAt(double t) const {
    return m_from + (m_to - m_from) * t;
}

void EdgeItem::setHighlighted(bool on) {
    if (on != m_highlighted) {
        m_highlighted = on;
        update();
    }
}

void EdgeItem::setLabelVisible(bool on) {
    if (on != m_labelVisible) {
        prepareGeometryChange();
        m_labelVisible = on;
    }
}

QRectF EdgeItem::labelRect() const {
    if (m_edge.label.isEmpty() || !m_labelVisible) {
        return {};
    }
    const QPointF c = pointAt(labelT(m_edge.kind));
    return {c.x() - m_labelWidth / 2, c.y() - 9, m_labelWidth, 18};
}

QRectF EdgeItem::boundingRect() const {
    const QRectF line = QRectF(m_from, m_to).normalized().adjusted(-6, -6, 6, 6);
    const QRectF label = labelRect();
    return label.isNull() ? line : line.united(label.adjusted(-2, -2, 2, 2));
}

QPainterPath EdgeItem::shape() const {
    QPainterPath path(m_from);
    path.lineTo(m_to);
    QPainterPathStroker s;
    s.setWidth(8);
    return s.createStroke(path);
}

void EdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget*) {
    const double lod = opt->levelOfDetailFromTransform(p->worldTransform());
    const ThemeColors& c = Theme::colors();
    p->setRenderHint(QPainter::Antialiasing, lod > 0.25);
    QColor color = m_edge.color;
    double width = 2.0;
    Qt::PenStyle style = Qt::SolidLine;
    switch (m_edge.kind) {
    case EdgeKind::Endpoint:
        break;
    case EdgeKind::Gateway:
        width = 3.0;
        break;
    case EdgeKind::Uplink:
    case EdgeKind::Routed:
        width = 2.4;
        break;
    case EdgeKind::HostMode:
        style = Qt::DashLine;
        break;
    case EdgeKind::Shared:
        style = Qt::DotLine;
        break;
    case EdgeKind::Task:
        style = Qt::DashDotLine;
        width = 1.6;
        break;
    }
    if (isSelected()) {
        QColor sel = c.selection;
        sel.setAlpha(110);
        p->setPen(QPen(sel, width + 6, Qt::SolidLine, Qt::RoundCap));
        p->drawLine(m_from, m_to);
    }
    if (m_highlighted) {
        QColor glow = c.highlight;
        glow.setAlpha(120);
        p->setPen(QPen(glow, width + 7, Qt::SolidLine, Qt::RoundCap));
        p->drawLine(m_from, m_to);
    }
    p->setPen(QPen(color, width, style, Qt::RoundCap));
    p->drawLine(m_from, m_to);
    if (lod < 0.45 || !m_labelVisible || m_edge.label.isEmpty()) {
        return;
    }
    const QRectF r = labelRect();
    p->setPen(QPen(color, 1));
    p->setBrush(c.labelFill);
    p->drawRoundedRect(r, 9, 9);
    p->setPen(c.text);
    p->setFont(labelFont());
    p->drawText(r, Qt::AlignCenter, m_edge.label);
}

}  // namespace cnmlab::ui
