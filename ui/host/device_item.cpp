#include "ui/host/device_item.hpp"

#include <QFontMetricsF>
#include <QPainter>

#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

// Text in `r`, elided to fit.
void text(QPainter* p, const QRectF& r, const QString& s, const QFont& f, int align) {
    p->setFont(f);
    p->drawText(r, align, QFontMetricsF(f).elidedText(s, Qt::ElideMiddle, r.width()));
}

}  // namespace

DeviceItem::DeviceItem(DiagramDevice device) : m_device(std::move(device)) {
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    // Boxes behind their interfaces; wires (z 0) behind everything else.
    setZValue(m_device.kind == DeviceKind::Namespace || m_device.kind == DeviceKind::Kernel ? 1
                                                                                            : 3);
}

void DeviceItem::setMark(Mark mark) {
    if (mark != m_mark) {
        m_mark = mark;
        update();
    }
}

QRectF DeviceItem::boundingRect() const {
    return m_device.rect.adjusted(-7, -7, 7, 7);
}

void DeviceItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    p->setRenderHint(QPainter::Antialiasing);
    const ThemeColors& c = Theme::colors();
    if (m_mark != Mark::None) {
        QColor glow = c.highlight;
        glow.setAlpha(m_mark == Mark::Current ? 150 : 70);
        p->setPen(Qt::NoPen);
        p->setBrush(glow);
        p->drawRoundedRect(m_device.rect.adjusted(-5, -5, 5, 5), 10, 10);
    }
    switch (m_device.kind) {
    case DeviceKind::Namespace:
    case DeviceKind::Kernel:
    case DeviceKind::Outside:
        paintBox(p);
        break;
    case DeviceKind::Bridge:
        paintBar(p);
        break;
    default:
        paintChip(p);
        break;
    }
}

// A namespace, the kernel or the outside: a card with a title and a detail line.
void DeviceItem::paintBox(QPainter* p) const {
    const ThemeColors& c = Theme::colors();
    const QRectF r = m_device.rect;
    const bool kernel = m_device.kind == DeviceKind::Kernel;
    QColor fill = kernel ? Theme::mix(c.cardFill, c.lan, Theme::dark() ? 0.25 : 0.09) : c.cardFill;
    QPen pen(isSelected() ? c.selection : c.cardBorder, isSelected() ? 2.2 : 1.0);
    if (m_device.kind == DeviceKind::Outside) {
        fill = c.canvas;
        pen.setStyle(Qt::DashLine);
    }
    p->setPen(pen);
    p->setBrush(fill);
    p->drawRoundedRect(r, 9, 9);
    // Namespaces keep their lower part for the interfaces on their edge.
    const double top =
        kernel || m_device.kind == DeviceKind::Outside ? r.center().y() - 16 : r.top() + 8;
    p->setPen(c.text);
    text(p, QRectF(r.left() + 12, top, r.width() - 24, 17), m_device.title,
         Theme::pixelFont(13, true), Qt::AlignLeft | Qt::AlignVCenter);
    p->setPen(c.subtext);
    text(p, QRectF(r.left() + 12, top + 17, r.width() - 24, 15), m_device.detail,
         Theme::pixelFont(11), Qt::AlignLeft | Qt::AlignVCenter);
}

// An interface, a veth end, the uplink: a small chip, its name and address.
void DeviceItem::paintChip(QPainter* p) const {
    const ThemeColors& c = Theme::colors();
    const QRectF r = m_device.rect;
    const bool veth = m_device.kind == DeviceKind::VethEnd;
    p->setPen(QPen(isSelected() ? c.selection : Theme::mix(c.cardBorder, m_device.accent, 0.6),
                   isSelected() ? 2.2 : 1.2));
    p->setBrush(veth ? Theme::mix(c.cardFill, m_device.accent, Theme::dark() ? 0.3 : 0.12)
                     : c.cardFill);
    p->drawRoundedRect(r, 6, 6);
    p->setPen(c.text);
    const QFont mono = [] {
        QFont f = Theme::monoFont(9);
        f.setPixelSize(11);
        return f;
    }();
    if (m_device.detail.isEmpty()) {
        text(p, r.adjusted(6, 0, -6, 0), m_device.title, mono, Qt::AlignCenter);
        return;
    }
    text(p, QRectF(r.left() + 6, r.top() + 3, r.width() - 12, 15), m_device.title,
         Theme::pixelFont(11, true), Qt::AlignCenter);
    p->setPen(c.subtext);
    text(p, QRectF(r.left() + 4, r.top() + 17, r.width() - 8, 15), m_device.detail,
         Theme::pixelFont(10), Qt::AlignCenter);
}

// A bridge: a bar in its driver's colour, its name and gateway address.
void DeviceItem::paintBar(QPainter* p) const {
    const ThemeColors& c = Theme::colors();
    const QRectF r = m_device.rect;
    p->setPen(QPen(isSelected() ? c.selection : m_device.accent, isSelected() ? 2.4 : 1.6));
    p->setBrush(Theme::mix(c.cardFill, m_device.accent, Theme::dark() ? 0.32 : 0.16));
    p->drawRoundedRect(r, 7, 7);
    p->setPen(c.text);
    const QString label = m_device.detail.isEmpty()
                              ? m_device.title
                              : m_device.title + QStringLiteral("   ") + m_device.detail;
    text(p, r.adjusted(10, 0, -10, 0), label, Theme::pixelFont(12, true),
         Qt::AlignLeft | Qt::AlignVCenter);
}

}  // namespace cnmlab::ui
