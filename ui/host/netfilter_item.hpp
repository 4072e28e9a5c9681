#pragma once
// A host's netfilter tables as iptables-save lists them — `*filter`, each
// chain with its policy, its rules (without the "-A CHAIN" the header already
// says), then `*nat` — drawn as one panel beside the host diagram. Rules are
// addressed by their index in the Plan; the rules a played packet met (a
// DNAT, a MASQUERADE, the DROP that stopped it) are marked, the current
// hop's strongest. It lives in a scene of its own (HostScene::rulesScene), shown
// beside the diagram in its own view at a fixed zoom, so that its type stays
// readable however far the diagram is zoomed out; the host view gives it the
// width there is room for (longer rules are cut with an ellipsis; hovering or
// clicking one shows it whole).

#include <QGraphicsItem>
#include <QString>

#include <vector>

namespace cnmlab::ui {

struct NetfilterLine {
    enum class Kind { Title, Table, Chain, Rule };
    Kind kind = Kind::Rule;
    QString text;
    int rule = -1;  // Kind::Rule: the rule's index in the Plan
};

class NetfilterItem : public QGraphicsItem {
public:
    NetfilterItem(QPointF topLeft, std::vector<NetfilterLine> lines);

    enum { Type = UserType + 21 };
    int type() const override { return Type; }

    // A rule the packet met, and whether it dropped the packet.
    struct Match {
        int rule = -1;
        bool drop = false;
        bool operator==(const Match&) const = default;
    };
    // Marks `matched`; `current` (a rule index or -1) is the current hop's.
    void setMatched(std::vector<Match> matched, int current);
    const std::vector<Match>& matched() const { return m_matched; }
    int currentRule() const { return m_current; }

    // The width its longest line asks for, and the width it is laid out in;
    // setWidth() keeps it between 240 units and the natural width.
    double naturalWidth() const { return m_naturalWidth; }
    double width() const { return m_width; }
    void setWidth(double width);
    QPointF topLeft() const { return m_at; }

    // A rule's row in scene coordinates (empty when it is not listed), and
    // the rule under a scene position (-1 for none).
    QRectF ruleRect(int rule) const;
    int ruleAt(QPointF scenePos) const;

    QRectF boundingRect() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

private:
    QRectF lineRect(std::size_t i) const;

    QPointF m_at;
    std::vector<NetfilterLine> m_lines;
    double m_naturalWidth = 0;
    double m_width = 0;
    std::vector<Match> m_matched;
    int m_current = -1;
};

}  // namespace cnmlab::ui
