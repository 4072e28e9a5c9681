#include "ui/sim/verdict_label.hpp"

#include <QEvent>
#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace cnmlab::ui {

namespace {

QString span(const QString& text, const QColor& color, bool bold) {
    QString html = text.toHtmlEscaped();
    if (bold) {
        html = QStringLiteral("<b>%1</b>").arg(html);
    }
    return color.isValid()
               ? QStringLiteral("<span style='color:%1'>%2</span>").arg(color.name(), html)
               : html;
}

}  // namespace

VerdictLabel::VerdictLabel(QWidget* parent) : QLabel(parent) {
    setTextFormat(Qt::RichText);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setWordWrap(false);
}

void VerdictLabel::setVerdict(const QString& head, const QString& word, const QColor& wordColor,
                              const QString& rest, const QColor& restColor) {
    m_head = head;
    m_word = word;
    m_wordColor = wordColor;
    m_rest = rest;
    m_restColor = restColor;
    setToolTip(sentence());
    render();
}

void VerdictLabel::clearVerdict() {
    setVerdict({}, {}, {}, {});
}

QString VerdictLabel::sentence() const {
    QString s = m_head;
    if (!m_word.isEmpty()) {
        s += (s.isEmpty() ? QString() : QStringLiteral(": ")) + m_word;
    }
    if (!m_rest.isEmpty()) {
        s += (s.isEmpty() ? QString() : QStringLiteral(" — ")) + m_rest;
    }
    return s;
}

QSize VerdictLabel::sizeHint() const {
    QFont boldFont = font();
    boldFont.setBold(true);
    const int full =
        static_cast<int>(std::ceil(QFontMetricsF(boldFont).horizontalAdvance(sentence()))) + 8;
    return {std::min(full, 240), QLabel::sizeHint().height()};
}

QSize VerdictLabel::minimumSizeHint() const {
    return {40, QLabel::minimumSizeHint().height()};
}

void VerdictLabel::resizeEvent(QResizeEvent* e) {
    QLabel::resizeEvent(e);
    render();
}

void VerdictLabel::changeEvent(QEvent* e) {
    QLabel::changeEvent(e);
    if (e->type() == QEvent::FontChange) {
        render();
    }
}

void VerdictLabel::render() {
    QFont boldFont = font();
    boldFont.setBold(true);
    const QFontMetricsF normal(font());
    const QFontMetricsF bold(boldFont);
    // A few pixels to spare: rich text is laid out by QTextDocument, which
    // may round differently from the metrics.
    double room = contentsRect().width() - 6;
    QString html;
    // Each part, in order, takes what it needs of the room left and is cut
    // with an ellipsis when that is not enough; what follows a cut part goes.
    auto put = [&](const QString& text, const QFontMetricsF& fm, const QColor& color, bool isBold) {
        if (text.isEmpty() || room <= 0) {
            return;
        }
        const QString shown = fm.elidedText(text, Qt::ElideRight, room);
        room = shown == text ? room - fm.horizontalAdvance(text) : 0;
        html += span(shown, color, isBold);
    };
    put(m_head, bold, {}, true);
    if (!m_word.isEmpty()) {
        put(m_head.isEmpty() ? QString() : QStringLiteral(": "), normal, {}, false);
        put(m_word, bold, m_wordColor, true);
    }
    if (!m_rest.isEmpty()) {
        put(m_head.isEmpty() && m_word.isEmpty() ? QString() : QStringLiteral(" — "), normal, {},
            false);
        put(m_rest, normal, m_restColor, false);
    }
    setText(html);
}

}  // namespace cnmlab::ui
