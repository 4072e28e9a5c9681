#include "ui/frame_item.hpp"

#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

FrameItem::FrameItem(std::string host, QString subtitle)
    : m_host(std::move(host)), m_subtitle(std::move(subtitle)) {
    setZValue(-10);
    setAcceptedMouseButtons(Qt::LeftButton);
}

void FrameItem::setSubtitle(const QString& subtitle) {
    m_subtitle = subtitle;
    update();
}

void FrameItem::setHighlighted(bool on) {
    if (on != m_highlighted) {
        m_highlighted = on;
        update();
    }
}

void FrameItem::setRect(const QRectF& r) {
    if (r != m_rect) {
        prepareGeometryChange();
        m_rect = r;
    }
}

QRectF FrameItem::boundingRect() const {
    return m_rect.adjusted(-8, -8, 8, 8);
}

void FrameItem::paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget*) {
    const double lod = opt->levelOfDetailFromTransform(p->worldTransform());
    const ThemeColors& c = Theme::colors();
    p->setRenderHint(QPainter::Antialiasing, lod > 0.2);
    if (m_highlighted) {
        QColor glow = c.highlight;
        glow.setAlpha(90);
        p->setPen(QPen(glow, 8));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(m_rect, 16, 16);
    }
    p->setPen(QPen(c.frameBorder, 1.4));
    p->setBrush(c.frameFill);
    p->drawRoundedRect(m_rect, 16, 16);
    // Title bar.
    const QRectF bar(m_rect.left(), m_rect.top(), m_rect.width(), kTitleHeight);
    p->setPen(QPen(c.frameBorder, 1));
    p->drawLine(QPointF(bar.left() + 1, bar.bottom()), QPointF(bar.right() - 1, bar.bottom()));
    if (lod < 0.2) {
        return;
    }
    const QPixmap icon = Theme::tinted(QStringLiteral(":/icons/host.svg"), c.subtext, 18);
    p->drawPixmap(QRectF(bar.left() + 14, bar.center().y() - 9, 18, 18), icon,
                  QRectF(QPointF(0, 0), icon.size()));
    QFont f = Theme::uiFont(11, true);
    f.setPixelSize(15);
    p->setFont(f);
    p->setPen(c.text);
    const QString title = QString::fromStdString(m_host);
    const double titleW = QFontMetricsF(f).horizontalAdvance(title);
    p->drawText(QRectF(bar.left() + 40, bar.top(), titleW + 4, bar.height()),
                Qt::AlignLeft | Qt::AlignVCenter, title);
    QFont s = Theme::uiFont(9);
    s.setPixelSize(12);
    p->setFont(s);
    p->setPen(c.subtext);
    p->drawText(
        QRectF(bar.left() + 52 + titleW, bar.top(), bar.width() - titleW - 64, bar.height()),
        Qt::AlignLeft | Qt::AlignVCenter, m_subtitle);
}

void FrameItem::mousePressEvent(QGraphicsSceneMouseEvent* e) {
    if (e->pos().y() > m_rect.top() + kTitleHeight) {
        e->ignore();  // only the title bar drags the frame
        return;
    }
    m_dragging = true;
    m_last = e->scenePos();
    if (auto* s = dynamic_cast<TopologyScene*>(scene())) {
        s->beginFrameDrag(m_host);
    }
    e->accept();
}

void FrameItem::mouseMoveEvent(QGraphicsSceneMouseEvent* e) {
    if (!m_dragging) {
        return;
    }
    if (auto* s = dynamic_cast<TopologyScene*>(scene())) {
        s->dragFrame(m_host, e->scenePos() - m_last);
    }
    m_last = e->scenePos();
}

void FrameItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* e) {
    if (m_dragging) {
        m_dragging = false;
        if (auto* s = dynamic_cast<TopologyScene*>(scene())) {
            s->endFrameDrag(m_host);
        }
    }
    e->accept();
}

}  // namespace cnmlab::ui
