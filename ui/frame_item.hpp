#pragma once
// A Docker host's frame: a rounded panel behind the host's kernel, networks
// and containers, sized by the scene to enclose them. Dragging its title bar
// moves everything inside (the scene does that, by ids).

#include <QGraphicsItem>
#include <QString>

namespace cnmlab::ui {

class FrameItem : public QGraphicsItem {
public:
    FrameItem(std::string host, QString subtitle);

    enum { Type = UserType + 3 };
    int type() const override { return Type; }

    const std::string& host() const { return m_host; }
    void setSubtitle(const QString& subtitle);
    void setHighlighted(bool on);
    // The frame's rectangle in scene coordinates (the item sits at 0,0).
    void setRect(const QRectF& r);
    QRectF rect() const { return m_rect; }
    static constexpr double kTitleHeight = 38;

    QRectF boundingRect() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* e) override;

private:
    std::string m_host;
    QString m_subtitle;
    QRectF m_rect;
    bool m_highlighted = false;
    bool m_dragging = false;
    QPointF m_last;
};

}  // namespace cnmlab::ui
