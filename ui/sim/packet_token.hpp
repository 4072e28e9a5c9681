#pragma once
// The packet on the canvas: a coloured token (colour by protocol, red when
// dropped) with a callout showing the frame as it is at this hop — its layers
// as chips (a VXLAN header appears, ARP replaces IPv4), its addresses (NAT
// rewriting them shows) and Wireshark's one-line summary. Drawn at a fixed
// screen size whatever the zoom (ItemIgnoresTransformations).

#include <QGraphicsItem>
#include <QStringList>

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

private:
    QRectF calloutRect() const;

    QStringList m_layers;
    QString m_addresses;
    QString m_summary;
    QString m_action;
    QStringList m_changed;
    QColor m_color;
    bool m_dropped = false;
};

}  // namespace cnmlab::ui
