#pragma once
// Moves a packet token through a host diagram as a Playback advances, in step
// with the canvas's PacketAnimator (both follow the same Playback, so seeking,
// stepping back and forward keep them together). Each hop is placed on the
// device it names (HostScene::placeOf); on a bridge, under the port the packet
// came from. Devices crossed so far are marked, and the netfilter rules the
// packet met (a hop's rule: DNAT, MASQUERADE, a DROP) are marked in the
// host's tables.

#include <QObject>
#include <QPointF>
#include <QStringList>

#include <vector>

#include "ui/sim/packet_token.hpp"

namespace cnmlab::ui {

class HostScene;
class Playback;

class HostAnimator : public QObject {
    Q_OBJECT
public:
    HostAnimator(HostScene* scene, Playback* playback, QObject* parent = nullptr);

    // Re-reads the probe (a new one loaded; the scene shown anew, which it
    // follows by itself).
    void reload();

    // The device id of each hop (tests).
    const QStringList& places() const { return m_places; }
    QPointF tokenPos() const { return m_token.pos(); }
    bool tokenVisible() const { return m_token.visible(); }
    // The packet's callout in scene coordinates (empty while no token is shown).
    QRectF calloutSceneRect() const;

private:
    void onMoved(double pos);
    void onHopChanged(int hop);

    HostScene* m_scene;
    Playback* m_playback;
    SceneToken m_token;
    QStringList m_places;
    std::vector<QPointF> m_points;
    std::vector<int> m_rules;  // per hop: the Plan index of its rule on this host, or -1
};

}  // namespace cnmlab::ui
