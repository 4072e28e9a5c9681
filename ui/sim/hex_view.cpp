#include "ui/sim/hex_view.hpp"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {
constexpr int kPerLine = 16;
constexpr int kMargin = 8;
}  // namespace

HexView::HexView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFont(Theme::monoFont(9.5));
    viewport()->setCursor(Qt::IBeamCursor);
    setMinimumWidth(240);  // 78 columns wide when room allows (sizeHint)
}

QSize HexView::sizeHint() const {
    return {static_cast<int>(charWidth() * 74) + 2 * kMargin + 16, 160};
}

int HexView::lineHeight() const {
    return QFontMetrics(font()).height() + 2;
}

double HexView::charWidth() const {
    return QFontMetricsF(font()).horizontalAdvance(QLatin1Char('0'));
}

void HexView::setBytes(std::vector<std::uint8_t> bytes) {
    m_bytes = std::move(bytes);
    m_hlOffset = m_hlLength = 0;
    updateScroll();
    viewport()->update();
}

void HexView::highlight(std::size_t offset, std::size_t length) {
    m_hlOffset = offset;
    m_hlLength = length;
    // Keep the first highlighted line in view.
    const int line = static_cast<int>(offset / kPerLine);
    const int first = verticalScrollBar()->value();
    const int visible = viewport()->height() / lineHeight();
    if (line < first || line >= first + visible) {
        verticalScrollBar()->setValue(std::max(0, line - 1));
    }
    viewport()->update();
}

void HexView::updateScroll() {
    const int lines = static_cast<int>((m_bytes.size() + kPerLine - 1) / kPerLine);
    const int visible = std::max(1, viewport()->height() / lineHeight());
    verticalScrollBar()->setRange(0, std::max(0, lines - visible));
    verticalScrollBar()->setPageStep(visible);
}

void HexView::resizeEvent(QResizeEvent* e) {
    QAbstractScrollArea::resizeEvent(e);
    updateScroll();
}

void HexView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    const ThemeColors& c = Theme::colors();
    p.fillRect(viewport()->rect(), palette().base());
    p.setFont(font());
    const double cw = charWidth();
    const int lh = lineHeight();
    const int first = verticalScrollBar()->value();
    const double hexX = kMargin + 6 * cw;
    const double asciiX = hexX + (kPerLine * 3 + 2) * cw;
    QColor hl = c.selection;
    hl.setAlpha(Theme::dark() ? 110 : 60);
    for (int line = first; line * kPerLine < static_cast<int>(m_bytes.size()); ++line) {
        const double y = (line - first) * lh + 4;
        if (y > viewport()->height()) {
            break;
        }
        p.setPen(c.subtext);
        p.drawText(QPointF(kMargin, y + lh - 5),
                   QStringLiteral("%1").arg(line * kPerLine, 4, 16, QLatin1Char('0')));
        for (int i = 0; i < kPerLine; ++i) {
            const auto at = static_cast<std::size_t>(line * kPerLine + i);
            if (at >= m_bytes.size()) {
                break;
            }
            const double x = hexX + (i * 3 + (i >= 8 ? 1 : 0)) * cw;
            const double ax = asciiX + i * cw;
            const bool marked = m_hlLength > 0 && at >= m_hlOffset && at < m_hlOffset + m_hlLength;
            if (marked) {
                const bool nextMarked =
                    i + 1 < kPerLine && at + 1 < m_hlOffset + m_hlLength && i != 7;
                p.fillRect(QRectF(x - 1, y, (nextMarked ? 3 : 2) * cw + 2, lh - 1), hl);
                p.fillRect(QRectF(ax, y, cw, lh - 1), hl);
            }
            const std::uint8_t b = m_bytes[at];
            p.setPen(marked ? c.text : (b == 0 ? c.subtext : c.text));
            p.drawText(QPointF(x, y + lh - 5),
                       QStringLiteral("%1").arg(b, 2, 16, QLatin1Char('0')));
            p.setPen(marked ? c.text : c.subtext);
            p.drawText(QPointF(ax, y + lh - 5),
                       b >= 32 && b < 127 ? QString(QChar(b)) : QStringLiteral("·"));
        }
    }
}

void HexView::mousePressEvent(QMouseEvent* e) {
    const double cw = charWidth();
    const int line =
        verticalScrollBar()->value() + static_cast<int>((e->position().y() - 4) / lineHeight());
    const double hexX = kMargin + 6 * cw;
    const double asciiX = hexX + (kPerLine * 3 + 2) * cw;
    int col = -1;
    const double x = e->position().x();
    if (x >= asciiX && x < asciiX + kPerLine * cw) {
        col = static_cast<int>((x - asciiX) / cw);
    } else if (x >= hexX && x < asciiX) {
        double rel = (x - hexX) / cw;
        if (rel > 24) {
            rel -= 1;
        }
        col = std::min(kPerLine - 1, static_cast<int>(rel / 3));
    }
    if (col >= 0) {
        const std::size_t at = static_cast<std::size_t>(line * kPerLine + col);
        if (at < m_bytes.size()) {
            emit byteClicked(at);
        }
    }
}

}  // namespace cnmlab::ui
