#include "ui/host/netfilter_item.hpp"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

constexpr double kLineH = 17;
constexpr double kPad = 12;
constexpr double kMaxWidth = 500;

QFont lineFont(NetfilterLine::Kind kind) {
    if (kind == NetfilterLine::Kind::Title) {
        return Theme::pixelFont(13, true);
    }
    QFont f = Theme::monoFont(9);
    f.setPixelSize(11);
    f.setBold(kind != NetfilterLine::Kind::Rule);
    return f;
}

double indent(NetfilterLine::Kind kind) {
    return kind == NetfilterLine::Kind::Rule ? 18 : 0;
}

}  // namespace

NetfilterItem::NetfilterItem(QPointF topLeft, std::vector<NetfilterLine> lines)
    : m_at(topLeft), m_lines(std::move(lines)) {
    setZValue(2);
    double w = 240;
    for (const auto& l : m_lines) {
        w = std::max(w, QFontMetricsF(lineFont(l.kind)).horizontalAdvance(l.text) + indent(l.kind));
    }
    m_naturalWidth = std::min(w, kMaxWidth) + 2 * kPad;
    m_width = m_naturalWidth;
}

void NetfilterItem::setWidth(double width) {
    const double w = std::clamp(width, std::min(240.0, m_naturalWidth), m_naturalWidth);
    if (w != m_width) {
        prepareGeometryChange();
        m_width = w;
    }
}

void NetfilterItem::setMatched(std::vector<Match> matched, int current) {
    if (matched != m_matched || current != m_current) {
        m_matched = std::move(matched);
        m_current = current;
        update();
    }
}

QRectF NetfilterItem::lineRect(std::size_t i) const {
    return {m_at.x(), m_at.y() + kPad + static_cast<double>(i) * kLineH + (i > 0 ? 6 : 0), m_width,
            kLineH};
}

QRectF NetfilterItem::ruleRect(int rule) const {
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        if (m_lines[i].kind == NetfilterLine::Kind::Rule && m_lines[i].rule == rule) {
            return lineRect(i);
        }
    }
    return {};
}

int NetfilterItem::ruleAt(QPointF scenePos) const {
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        if (m_lines[i].kind == NetfilterLine::Kind::Rule && lineRect(i).contains(scenePos)) {
            return m_lines[i].rule;
        }
    }
    return -1;
}

QRectF NetfilterItem::boundingRect() const {
    const double h = m_lines.empty() ? 0 : lineRect(m_lines.size() - 1).bottom() - m_at.y() + kPad;
    return QRectF(m_at, QSizeF(m_width, h)).adjusted(-2, -2, 2, 2);
}

void NetfilterItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    const ThemeColors& c = Theme::colors();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(c.cardBorder, 1));
    p->setBrush(c.cardFill);
    p->drawRoundedRect(boundingRect().adjusted(2, 2, -2, -2), 9, 9);
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const NetfilterLine& l = m_lines[i];
        const QRectF r = lineRect(i);
        auto m = std::find_if(m_matched.begin(), m_matched.end(), [&](const Match& x) {
            return l.kind == NetfilterLine::Kind::Rule && x.rule == l.rule;
        });
        if (m != m_matched.end()) {
            QColor band = m->drop ? c.error : c.highlight;
            band.setAlpha(l.rule == m_current ? 110 : 55);
            p->setPen(Qt::NoPen);
            p->setBrush(band);
            p->drawRoundedRect(r.adjusted(kPad - 4, 0, -kPad + 4, 0), 4, 4);
        }
        const QFont f = lineFont(l.kind);
        p->setFont(f);
        p->setPen(l.kind == NetfilterLine::Kind::Table ? c.subtext : c.text);
        const QRectF tr = r.adjusted(kPad + indent(l.kind), 0, -kPad, 0);
        p->drawText(tr, Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetricsF(f).elidedText(l.text, Qt::ElideRight, tr.width()));
    }
}

}  // namespace cnmlab::ui
