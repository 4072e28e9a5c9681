#include "ui/node_item.hpp"

#include <QFontMetricsF>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

namespace {

QFont pixelFont(int px, bool bold = false) {
    return Theme::pixelFont(px, bold);
}

QColor mix(const QColor& a, const QColor& b, double t) {
    return Theme::mix(a, b, t);
}

}  // namespace

NodeItem::NodeItem(const CanvasNode& node) : m_node(node) {
    setFlag(ItemIsSelectable);
    setFlag(ItemIsMovable, node.kind != NodeKind::Router);
    setFlag(ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(node.kind == NodeKind::Lan ? -5 : 10);
    setToolTip(node.error.isEmpty() ? node.tip : node.error);
}

void NodeItem::setNode(const CanvasNode& node) {
    if (node.size != m_node.size) {
        prepareGeometryChange();
    }
    m_node = node;
    setToolTip(node.error.isEmpty() ? node.tip : node.error);
    update();
}

void NodeItem::setHighlighted(bool on) {
    if (on != m_highlighted) {
        m_highlighted = on;
        update();
    }
}

void NodeItem::setExtent(double left, double right) {
    if (left != m_left || right != m_right) {
        prepareGeometryChange();
        m_left = left;
        m_right = right;
    }
}

QRectF NodeItem::shapeRect() const {
    if (m_node.kind == NodeKind::Lan) {
        const double half = std::max((m_right - m_left) / 2, m_node.size.width() / 2);
        return {-half, -m_node.size.height() / 2, 2 * half, m_node.size.height()};
    }
    const QSizeF s = m_node.size;
    return {-s.width() / 2, -s.height() / 2, s.width(), s.height()};
}

QRectF NodeItem::handleRect() const {
    const QRectF r = shapeRect();
    const double d = m_handleSize;
    return {r.center().x() - d / 2, r.bottom() - d / 2, d, d};
}

void NodeItem::setHandleSize(double size) {
    if (size != m_handleSize) {
        prepareGeometryChange();
        m_handleSize = size;
    }
}

QRectF NodeItem::layoutRect() const {
    return shapeRect().adjusted(-10, -14, 10, 14);
}

QRectF NodeItem::boundingRect() const {
    const QRectF r = layoutRect();
    return m_node.kind == NodeKind::Container ? r.united(handleRect().adjusted(-2, -2, 2, 2)) : r;
}

QPainterPath NodeItem::shape() const {
    QPainterPath path;
    path.addRoundedRect(shapeRect(), 9, 9);
    if (m_node.kind == NodeKind::Container) {
        path.addEllipse(handleRect());
    }
    return path;
}

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget*) {
    const double lod = opt->levelOfDetailFromTransform(p->worldTransform());
    p->setRenderHint(QPainter::Antialiasing, lod > 0.25);
    if (m_node.kind == NodeKind::Lan) {
        paintLan(p, lod);
    } else {
        paintCard(p, lod);
    }
}

void NodeItem::paintCard(QPainter* p, double lod) const {
    const ThemeColors& c = Theme::colors();
    const QRectF r = shapeRect();
    const bool network = m_node.kind == NodeKind::Network;
    const bool kernel = m_node.kind == NodeKind::Host;
    QColor fill = c.cardFill;
    QColor border = c.cardBorder;
    if (network) {
        fill = mix(c.cardFill, m_node.accent, Theme::dark() ? 0.22 : 0.10);
        border = m_node.accent;
    } else if (kernel) {
        fill = mix(c.cardFill, c.lan, Theme::dark() ? 0.25 : 0.09);
        border = mix(c.cardBorder, c.lan, 0.5);
    }
    if (m_highlighted) {
        QColor glow = c.highlight;
        glow.setAlpha(110);
        p->setPen(Qt::NoPen);
        p->setBrush(glow);
        p->drawRoundedRect(r.adjusted(-6, -6, 6, 6), 13, 13);
    }
    if (lod > 0.35) {  // a soft drop shadow
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(0, 0, 0, Theme::dark() ? 60 : 18));
        p->drawRoundedRect(r.translated(0, 2), 9, 9);
    }
    QPen pen(border, network ? 1.6 : 1.0);
    if (!m_node.error.isEmpty()) {
        pen = QPen(c.error, 2.2);
    } else if (isSelected()) {
        pen = QPen(c.selection, 2.4);
    }
    p->setPen(pen);
    p->setBrush(fill);
    p->drawRoundedRect(r, 9, 9);
    if (lod < 0.3) {
        return;  // zoomed far out: shapes only
    }
    // Icon tile.
    const QRectF tile(r.left() + 11, r.center().y() - 17, 34, 34);
    QColor tileFill = m_node.accent;
    tileFill.setAlpha(Theme::dark() ? 70 : 34);
    p->setPen(Qt::NoPen);
    p->setBrush(tileFill);
    p->drawRoundedRect(tile, 8, 8);
    const QPixmap icon = Theme::tinted(m_node.icon, m_node.accent, 20);
    p->drawPixmap(QRectF(tile.center().x() - 10, tile.center().y() - 10, 20, 20), icon,
                  QRectF(QPointF(0, 0), icon.size()));
    // Text: title, subtitle, detail.
    const double tx = tile.right() + 10;
    const double tw = r.right() - tx - 8;
    const QFont titleFont = pixelFont(13, true);
    const QFont subFont = pixelFont(11);
    const bool third = !m_node.detail.isEmpty() && r.height() >= 60;
    double y = r.center().y() - (third ? 22 : 15);
    p->setPen(c.text);
    p->setFont(titleFont);
    p->drawText(QRectF(tx, y, tw, 17), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(titleFont).elidedText(m_node.title, Qt::ElideRight, tw));
    y += 17;
    p->setPen(c.subtext);
    p->setFont(subFont);
    p->drawText(QRectF(tx, y, tw, 14), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(subFont).elidedText(m_node.subtitle, Qt::ElideRight, tw));
    if (third) {
        y += 14;
        p->drawText(QRectF(tx, y, tw, 14), Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetricsF(subFont).elidedText(m_node.detail, Qt::ElideRight, tw));
    }
    paintBadges(p, r);
    if (!m_node.error.isEmpty()) {
        const QRectF dot(r.right() - 9, r.top() - 9, 18, 18);
        p->setPen(Qt::NoPen);
        p->setBrush(c.error);
        p->drawEllipse(dot);
        p->setPen(Qt::white);
        p->setFont(pixelFont(12, true));
        p->drawText(dot, Qt::AlignCenter, QStringLiteral("!"));
    }
    if (m_node.kind == NodeKind::Container && (m_hovered || isSelected() || m_connecting)) {
        p->setPen(QPen(c.cardFill, 2));
        p->setBrush(c.selection);
        p->drawEllipse(handleRect());
    }
}

void NodeItem::paintBadges(QPainter* p, const QRectF& r) const {
    if (m_node.badges.isEmpty()) {
        return;
    }
    const ThemeColors& c = Theme::colors();
    const QFont f = pixelFont(10, true);
    const QFontMetricsF fm(f);
    p->setFont(f);
    // Containers: badges along the top edge from the right; networks: the same.
    double x = r.right() - 12;
    for (int i = static_cast<int>(m_node.badges.size()) - 1; i >= 0; --i) {
        const QString& text = m_node.badges[i];
        const double w = fm.horizontalAdvance(text) + 12;
        const QRectF pill(x - w, r.top() - 9, w, 17);
        if (pill.left() < r.left() + 8) {
            break;
        }
        const bool port = text.contains(QChar(0x2192));  // a published port: host→container
        QColor fill = port ? QColor(0xf5, 0x9e, 0x0b) : mix(c.cardFill, m_node.accent, 0.85);
        if (m_node.driver == QLatin1String("none") || m_node.driver == QLatin1String("host")) {
            fill = Theme::driverColor(m_node.driver);
        }
        p->setPen(Qt::NoPen);
        p->setBrush(fill);
        p->drawRoundedRect(pill, 8.5, 8.5);
        p->setPen(port ? QColor(0x1f, 0x29, 0x37) : QColor(Qt::white));
        p->drawText(pill, Qt::AlignCenter, text);
        x = pill.left() - 5;
    }
}

void NodeItem::paintLan(QPainter* p, double lod) const {
    const ThemeColors& c = Theme::colors();
    const QRectF r = shapeRect();
    QColor fill = c.lan;
    fill.setAlpha(Theme::dark() ? 90 : 40);
    p->setPen(QPen(isSelected() ? c.selection : c.lan, isSelected() ? 2.2 : 1.4));
    p->setBrush(fill);
    p->drawRoundedRect(r, r.height() / 2, r.height() / 2);
    if (lod < 0.3) {
        return;
    }
    const QPixmap icon = Theme::tinted(m_node.icon, c.lan, 18);
    p->drawPixmap(QRectF(r.left() + 14, -9, 18, 18), icon, QRectF(QPointF(0, 0), icon.size()));
    p->setPen(c.text);
    p->setFont(pixelFont(12, true));
    const QString text = m_node.title + QStringLiteral("   ") + m_node.subtitle;
    p->drawText(QRectF(r.left() + 40, r.top(), r.width() - 50, r.height()),
                Qt::AlignLeft | Qt::AlignVCenter, text);
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionChange && m_node.kind == NodeKind::Lan && scene() != nullptr &&
        scene()->mouseGrabberItem() == this) {
        return QPointF(pos().x(), value.toPointF().y());  // dragged: the bar only moves up and down
    }
    if (change == ItemPositionHasChanged) {
        if (auto* s = dynamic_cast<TopologyScene*>(scene())) {
            s->nodeMoved(m_node.id);
        }
    }
    if (change == ItemSelectedHasChanged) {
        update();
    }
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::mousePressEvent(QGraphicsSceneMouseEvent* e) {
    auto* s = dynamic_cast<TopologyScene*>(scene());
    const bool fromHandle = handleRect().contains(e->pos()) ||
                            (e->modifiers() & Qt::ShiftModifier) || (s && s->connectMode());
    if (m_node.kind == NodeKind::Container && e->button() == Qt::LeftButton && fromHandle && s) {
        m_connecting = true;
        s->beginConnect(m_node.id, e->scenePos());
        e->accept();
        return;
    }
    QGraphicsItem::mousePressEvent(e);
}

void NodeItem::mouseMoveEvent(QGraphicsSceneMouseEvent* e) {
    if (m_connecting) {
        if (auto* s = dynamic_cast<TopologyScene*>(scene())) {
            s->updateConnect(e->scenePos());
        }
        return;
    }
    QGraphicsItem::mouseMoveEvent(e);
}

void NodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* e) {
    if (m_connecting) {
        m_connecting = false;
        update();
        if (auto* s = dynamic_cast<TopologyScene*>(scene())) {
            s->endConnect(e->scenePos());
        }
        return;
    }
    QGraphicsItem::mouseReleaseEvent(e);
}

void NodeItem::hoverEnterEvent(QGraphicsSceneHoverEvent* e) {
    m_hovered = true;
    update();
    QGraphicsItem::hoverEnterEvent(e);
}

void NodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent* e) {
    m_hovered = false;
    update();
    QGraphicsItem::hoverLeaveEvent(e);
}

}  // namespace cnmlab::ui
