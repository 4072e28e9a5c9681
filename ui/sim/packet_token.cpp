#include "ui/sim/packet_token.hpp"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <vector>

#include "packet/packet_codec.hpp"
#include "sim/trace.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

constexpr double kRadius = 10;
constexpr double kCalloutW = 300;
constexpr double kCalloutH = 62;

QFont pixelFont(int px, bool bold = false) {
    return Theme::pixelFont(px, bold);
}

}  // namespace

QColor PacketToken::layerColor(const QString& layer) {
    if (layer == QLatin1String("eth")) {
        return {0x64, 0x74, 0x8b};
    }
    if (layer == QLatin1String("vlan")) {
        return {0xca, 0x8a, 0x04};  // the 802.1Q tag
    }
    if (layer == QLatin1String("arp")) {
        return {0x93, 0x33, 0xea};
    }
    if (layer == QLatin1String("ipv4")) {
        return {0x25, 0x63, 0xeb};
    }
    if (layer == QLatin1String("icmp")) {
        return {0xd9, 0x77, 0x06};
    }
    if (layer == QLatin1String("tcp")) {
        return {0x08, 0x91, 0xb2};
    }
    if (layer == QLatin1String("udp")) {
        return {0x16, 0xa3, 0x4a};
    }
    if (layer == QLatin1String("dns")) {
        return {0x0d, 0x94, 0x88};
    }
    if (layer == QLatin1String("vxlan")) {
        return {0x7c, 0x3a, 0xed};
    }
    if (layer == QLatin1String("esp")) {
        return {0xb9, 0x1c, 0x1c};  // sealed: nothing inside shows
    }
    return {0x64, 0x74, 0x8b};
}

// What the frame at `b` changed compared with `a`: addresses (NAT) or layers.
QStringList frameChanges(const sim::Hop* a, const sim::Hop& b) {
    QStringList out;
    if (a == nullptr || !a->frame || !b.frame) {
        return out;
    }
    const packet::Frame& x = *a->frame;
    const packet::Frame& y = *b.frame;
    if (x.ethertype == y.ethertype && x.ethertype == packet::kEtherTypeIpv4) {
        if (x.ipSrc != y.ipSrc || x.srcPort != y.srcPort) {
            out << QStringLiteral("src");
        }
        if (x.ipDst != y.ipDst || x.dstPort != y.dstPort) {
            out << QStringLiteral("dst");
        }
    }
    if (static_cast<bool>(x.inner) != static_cast<bool>(y.inner)) {
        out << QStringLiteral("layers");
    }
    return out;
}

QPointF glide(QPointF a, QPointF b, double fraction) {
    const double e = fraction * fraction * (3 - 2 * fraction);
    return a + (b - a) * e;
}

PacketToken::PacketToken() : m_callout(kRadius + 10, -kCalloutH - 6) {
    setFlag(ItemIgnoresTransformations);
    setZValue(100);
    setAcceptedMouseButtons(Qt::NoButton);
}

void PacketToken::setHop(const sim::Hop& hop, const QStringList& changed) {
    m_layers.clear();
    m_addresses.clear();
    m_summary.clear();
    if (hop.frame) {
        for (const auto& l : packet::layerNames(*hop.frame)) {
            m_layers << QString::fromStdString(l);
        }
        auto endpoints = [](const packet::Frame& f) {
            if (f.ethertype != packet::kEtherTypeIpv4) {
                return QString();
            }
            if (f.ipProto == packet::kIpProtoTcp || f.ipProto == packet::kIpProtoUdp) {
                return QStringLiteral("%1:%2 → %3:%4")
                    .arg(QString::fromStdString(f.ipSrc.str()))
                    .arg(f.srcPort)
                    .arg(QString::fromStdString(f.ipDst.str()))
                    .arg(f.dstPort);
            }
            return QStringLiteral("%1 → %2").arg(QString::fromStdString(f.ipSrc.str()),
                                                 QString::fromStdString(f.ipDst.str()));
        };
        const packet::Frame& outer = *hop.frame;
        m_summary = QString::fromStdString(packet::summary(outer));
        if (outer.inner) {
            // A frame in a tunnel: the VTEPs' addresses outside (line 2), the
            // containers' inside, then what the inner packet is (line 3).
            m_addresses = QStringLiteral("%1 → %2").arg(QString::fromStdString(outer.ipSrc.str()),
                                                        QString::fromStdString(outer.ipDst.str()));
            m_summary = QStringLiteral("VNI %1 · %2 · %3")
                            .arg(outer.vni)
                            .arg(endpoints(*outer.inner),
                                 QString::fromStdString(packet::summary(*outer.inner)));
        } else {
            m_addresses = endpoints(outer);  // ESP: the hosts; the summary says it is sealed
        }
    }
    m_action = QString::fromStdString(hop.action);
    m_changed = changed;
    m_dropped = hop.action == sim::action::kDrop;
    QString top = m_layers.isEmpty() ? QString() : m_layers.last();
    if (m_layers.contains(QLatin1String("arp"))) {
        top = QStringLiteral("arp");
    }
    m_color = m_dropped ? Theme::colors().error : layerColor(top);
    if (hop.action == sim::action::kNetworkDb) {
        // Not the packet's doing: what the control plane programmed before it.
        m_color = Theme::driverColor(QStringLiteral("overlay"));
    }
    if (hop.action == sim::action::kPlugin) {
        // dockerd's exchange with a plugin (or the plugin's own control plane):
        // the call, not the packet waiting for it.
        const std::string& text = hop.explain.en;
        const auto post = text.find("POST /");
        m_layers = {QStringLiteral("json")};
        m_addresses = QCoreApplication::translate("cnmlab::ui::PacketToken", "control plane");
        m_summary =
            post == std::string::npos
                ? QString::fromStdString(text.substr(text.find(':') + 2, 60))
                : QString::fromStdString(text.substr(post, text.find(' ', post + 5) - post));
        m_color = Theme::driverColor(QStringLiteral("overlay"));
    }
    if (hop.action == sim::action::kBalance) {
        m_color = Theme::colors().highlight;  // IPVS chooses: the decision stands out
    }
    if (m_layers.isEmpty() && !m_dropped) {
        m_color = Theme::colors().token;
    }
    update();
}

QSizeF PacketToken::calloutSize() {
    return {kCalloutW, kCalloutH};
}

QRectF PacketToken::calloutSceneRect(QPointF topLeft) const {
    // The callout is drawn at a fixed screen size: divide by the view's zoom.
    const QList<QGraphicsView*> views =
        scene() != nullptr ? scene()->views() : QList<QGraphicsView*>();
    const double zoom = views.isEmpty() ? 1.0 : std::max(1e-3, views.front()->transform().m11());
    return {pos() + topLeft * scale() / zoom, calloutSize() * scale() / zoom};
}

void PacketToken::placeCallout(const std::function<bool(const QGraphicsItem*)>& isObstacle,
                               const std::vector<QRectF>& keepClear) {
    if (scene() == nullptr) {
        return;
    }
    if (scale() != Theme::uiScale()) {
        setScale(Theme::uiScale());  // presentation mode: half again as large on the screen
    }
    const QList<QGraphicsView*> views = scene()->views();
    const QRectF visible =
        views.isEmpty()
            ? scene()->sceneRect()
            : views.front()->mapToScene(views.front()->viewport()->rect()).boundingRect();
    const double zoom = views.isEmpty() ? 1.0 : std::max(1e-3, views.front()->transform().m11());
    auto area = [](const QRectF& r) { return r.isValid() ? r.width() * r.height() : 0.0; };
    auto cost = [&](QPointF topLeft) {
        const QRectF r = calloutSceneRect(topLeft);
        double covered = 0;
        for (const QGraphicsItem* item : scene()->items(r, Qt::IntersectsItemBoundingRect)) {
            if (item != this && isObstacle(item)) {
                covered += area(item->sceneBoundingRect().intersected(r));
            }
        }
        // Covering what must stay clear is worse than anything else: its
        // area counts a thousandfold, plus a fixed amount for touching it.
        double blocked = 0;
        for (const QRectF& k : keepClear) {
            if (r.intersects(k)) {
                blocked += 1e6 / (zoom * zoom) + 1000 * area(k.intersected(r));
            }
        }
        const double outside = area(r) - area(r.intersected(visible));
        // Leaving the view is worse than covering an item; farther is a little worse.
        const double distance =
            std::hypot(topLeft.x() + kCalloutW / 2, topLeft.y() + kCalloutH / 2);
        return blocked + covered + 4 * outside + distance * scale() * 0.5 / zoom;
    };
    // Beside (right, left, farther right or left) or centred, above or below,
    // near or farther off: in screen pixels from the token.
    const double gap = kRadius + 10;
    std::vector<QPointF> places;
    for (const double lift : {0.0, 44.0, 88.0, 140.0, 200.0}) {
        const double above = -kCalloutH - 6 - lift;
        const double below = 6 + lift;
        for (const double y : {above, below}) {
            for (const double x : {gap, gap + 90, gap + 180, -gap - kCalloutW,
                                   -gap - kCalloutW - 90, -gap - kCalloutW - 180}) {
                places.emplace_back(x, y);
            }
            places.emplace_back(-kCalloutW / 2, y < 0 ? y - kRadius : y + kRadius);
        }
    }
    QPointF best = m_callout;
    double bestCost = cost(m_callout);
    for (const QPointF& at : places) {
        const double c = cost(at);
        if (c < bestCost * 0.8 - 1) {  // clearly better
            best = at;
            bestCost = c;
        }
    }
    if (best != m_callout) {
        prepareGeometryChange();
        m_callout = best;
        update();
    }
}

QRectF PacketToken::boundingRect() const {
    return QRectF(-kRadius - 8, -kRadius - 8, 2 * kRadius + 16, 2 * kRadius + 16)
        .united(calloutRect().adjusted(-2, -2, 4, 4));
}

void PacketToken::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    const ThemeColors& c = Theme::colors();
    p->setRenderHint(QPainter::Antialiasing);
    // The token: a glow, a ring and the protocol colour.
    QColor glow = m_color;
    glow.setAlpha(70);
    p->setPen(Qt::NoPen);
    p->setBrush(glow);
    p->drawEllipse(QPointF(0, 0), kRadius + 7, kRadius + 7);
    p->setPen(QPen(Qt::white, 2.5));
    p->setBrush(m_color);
    p->drawEllipse(QPointF(0, 0), kRadius, kRadius);
    if (m_dropped) {
        p->setPen(QPen(Qt::white, 2.4, Qt::SolidLine, Qt::RoundCap));
        p->drawLine(QPointF(-4, -4), QPointF(4, 4));
        p->drawLine(QPointF(-4, 4), QPointF(4, -4));
    }
    // The callout.
    const QRectF r = calloutRect();
    p->setPen(QPen(QColor(0, 0, 0, 30), 1));
    // A leader from the token's rim to the nearest point of the callout.
    const QPointF near(std::clamp(0.0, r.left() + 6, r.right() - 6),
                       std::clamp(0.0, r.top() + 4, r.bottom() - 4));
    const double len = std::hypot(near.x(), near.y());
    if (len > kRadius) {
        p->drawLine(near * (kRadius / len), near);
    }
    p->setPen(QPen(m_dropped ? c.error : c.cardBorder, m_dropped ? 1.6 : 1));
    QColor fill = c.cardFill;
    fill.setAlpha(246);
    p->setBrush(fill);
    p->drawRoundedRect(r, 8, 8);
    // Layer chips.
    const QFont chipFont = pixelFont(10, true);
    const QFontMetricsF chipFm(chipFont);
    p->setFont(chipFont);
    double x = r.left() + 8;
    const double y = r.top() + 7;
    for (const QString& l : m_layers) {
        const double w = chipFm.horizontalAdvance(l) + 10;
        if (x + w > r.right() - 60) {
            break;
        }
        const QColor lc = layerColor(l);
        const bool fresh = m_changed.contains(QLatin1String("layers"));
        p->setPen(fresh ? QPen(c.highlight, 1.6) : Qt::NoPen);
        p->setBrush(lc);
        p->drawRoundedRect(QRectF(x, y, w, 16), 4, 4);
        p->setPen(Qt::white);
        p->drawText(QRectF(x, y, w, 16), Qt::AlignCenter, l);
        x += w + 3;
    }
    // The action, right-aligned.
    p->setFont(pixelFont(10, true));
    p->setPen(m_dropped ? c.error : c.subtext);
    p->drawText(QRectF(r.right() - 70, y, 62, 16), Qt::AlignRight | Qt::AlignVCenter,
                m_action.toUpper());
    // Addresses and summary.
    const QFont mono = [] {
        QFont f = Theme::monoFont(9);
        f.setPixelSize(11);
        return f;
    }();
    const QFontMetricsF monoFm(mono);
    p->setFont(mono);
    const bool natted =
        m_changed.contains(QLatin1String("src")) || m_changed.contains(QLatin1String("dst"));
    p->setPen(natted ? QColor(0xd9, 0x77, 0x06) : c.text);
    if (!m_addresses.isEmpty()) {
        p->drawText(QRectF(r.left() + 8, y + 19, r.width() - 16, 15),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    monoFm.elidedText(m_addresses, Qt::ElideRight, r.width() - 16));
    }
    p->setPen(c.subtext);
    p->setFont(pixelFont(11));
    p->drawText(QRectF(r.left() + 8, y + 35, r.width() - 16, 15), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(pixelFont(11)).elidedText(m_summary, Qt::ElideRight, r.width() - 16));
}

PacketToken* SceneToken::get() {
    if (m_token == nullptr) {
        m_token = new PacketToken;
        m_token->hide();
        m_scene->addItem(m_token);
    }
    return m_token;
}

QPointF SceneToken::pos() const {
    return m_token != nullptr ? m_token->pos() : QPointF();
}

bool SceneToken::visible() const {
    return m_token != nullptr && m_token->isVisible();
}

}  // namespace cnmlab::ui
