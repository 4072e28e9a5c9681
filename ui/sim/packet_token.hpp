#pragma once
// The packet on the canvas: a coloured token (colour by protocol, red when
// dropped) with a callout showing the frame as it is at this hop — its layers
// as chips (a VXLAN header appears, ARP replaces IPv4), its addresses (NAT
// rewriting them shows) and Wireshark's one-line summary. Drawn at a fixed
// screen size whatever the zoom (ItemIgnoresTransformations).

#include <QGraphicsItem>
#include <QStringList>

#include <functional>

namespace cnmlab::sim {
struct Hop;
}

namespace cnmlab::ui {

class PacketToken : public QGraphicsItem {
public:
    PacketToken();

    enum { Type = UserType + 10 };
    int type() const override { return Type; }

    // Shows `hop`'s frame and action; `changed` lists what differs from the
    // previous hop's frame ("src", "dst", "layers") to emphasise it.
    void setHop(const sim::Hop& hop, const QStringList& changed);

    QRectF boundingRect() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

    static QColor layerColor(const QString& layer);

    // Where the callout sits relative to the token.
    enum class Side { AboveRight, AboveLeft, BelowRight, BelowLeft };
    Side calloutSide() const { return m_side; }
    // Moves the callout to the side where it covers the least of the items
    // `isObstacle` accepts and stays inside the scene's first view; keeps the
    // current side unless another is clearly better (no flicker while the
    // token glides). Call after each move. Cost: four item queries.
    void placeCallout(const std::function<bool(const QGraphicsItem*)>& isObstacle);
    // The callout's rectangle in scene coordinates (tests, placement).
    QRectF calloutSceneRect() const { return calloutSceneRect(m_side); }

private:
    QRectF calloutRect() const { return calloutRect(m_side); }
    static QRectF calloutRect(Side side);
    QRectF calloutSceneRect(Side side) const;

    Side m_side = Side::AboveRight;

    QStringList m_layers;
    QString m_addresses;
    QString m_summary;
    QString m_action;
    QStringList m_changed;
    QColor m_color;
    bool m_dropped = false;
};

// What the frame at `b` changed compared with `a` (the previous hop, or
// nullptr): "src", "dst" (NAT rewrote them), "layers" (encapsulation).
QStringList frameChanges(const sim::Hop* a, const sim::Hop& b);

// The token's place `fraction` (0..1) of the way from `a` to `b`, eased in and
// out, as the animators glide it between two hops.
QPointF glide(QPointF a, QPointF b, double fraction);

}  // namespace cnmlab::ui
