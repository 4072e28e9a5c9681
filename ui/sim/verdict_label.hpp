#pragma once
// The verdict at the end of the probe bar: "web → db icmp: unreachable — why",
// the probe in bold, the verdict word in its colour. However little room the
// bar leaves it, it never runs off the edge: the sentence is cut with an
// ellipsis (…) to the label's width, again on every resize, and the whole
// sentence is its tooltip (the Events tab shows it whole too).

#include <QColor>
#include <QLabel>

namespace cnmlab::ui {

class VerdictLabel : public QLabel {
    Q_OBJECT
public:
    explicit VerdictLabel(QWidget* parent = nullptr);

    // `head` in bold, then `word` in bold in `wordColor`, then `rest` (in
    // `restColor` when valid); either of the first two may be empty.
    void setVerdict(const QString& head, const QString& word, const QColor& wordColor,
                    const QString& rest, const QColor& restColor = {});
    void clearVerdict();
    // The whole sentence, as plain text.
    QString sentence() const;

    // Small, so that the tool bar keeps it (it grows into the room there is).
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    // Lays the parts out in the current width. Cost: a few font measurements.
    void render();

    QString m_head;
    QString m_word;
    QColor m_wordColor;
    QString m_rest;
    QColor m_restColor;
};

}  // namespace cnmlab::ui
