#pragma once
// The packet on the canvas: a coloured token (colour by protocol, red when
// dropped) with a callout showing the frame as it is at this hop — its layers
// as chips (a VXLAN header appears, ARP replaces IPv4), its addresses (NAT
// rewriting them shows) and Wireshark's one-line summary. Drawn at a fixed
// screen size whatever the zoom (ItemIgnoresTransformations), half again as
// large in presentation mode (its own scale is Theme::uiScale()).

#include <QGraphicsItem>
#include <QStringList>

#include <functional>
#include <vector>

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

    // Moves the callout to the place near the token where it covers the
    // least of the items `isObstacle` accepts and stays inside the scene's
    // first view: beside, above or below the token, near or farther off.
    // It covers none of `keepClear` (scene rectangles: the device the packet
    // is crossing) unless every place would. Keeps the current place unless
    // another is clearly better (no flicker while the token glides). Call
    // after each move. Cost: some seventy item queries.
    void placeCallout(const std::function<bool(const QGraphicsItem*)>& isObstacle,
                      const std::vector<QRectF>& keepClear = {});
    // The callout's rectangle in scene coordinates (tests, placement).
    QRectF calloutSceneRect() const { return calloutSceneRect(m_callout); }

private:
    // The callout's rectangle in item (screen-pixel) coordinates.
    QRectF calloutRect() const { return {m_callout, calloutSize()}; }
    static QSizeF calloutSize();
    QRectF calloutSceneRect(QPointF topLeft) const;

    QPointF m_callout;  // its top-left, relative to the token, in screen pixels

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

// The token an animator moves through its scene: made (hidden) when first
// needed and owned by the scene. The canvas and the host view each keep one.
class SceneToken {
public:
    explicit SceneToken(QGraphicsScene* scene) : m_scene(scene) {}
    PacketToken* get();
    // Without making it: nullptr until get() was called.
    PacketToken* ifMade() const { return m_token; }
    QPointF pos() const;  // (0,0) until made
    bool visible() const;
    // The scene deleted its items (the token with them): make a new one next time.
    void forget() { m_token = nullptr; }

private:
    QGraphicsScene* m_scene;
    PacketToken* m_token = nullptr;
};

}  // namespace cnmlab::ui
