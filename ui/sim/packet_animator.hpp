#pragma once
// Moves the packet token along the canvas as a Playback advances: each hop is
// placed by the HopMapper, the token glides between consecutive places, and
// the links and nodes the packet has crossed so far are highlighted (channel
// "probe"). Hops where the packet does not move (a routing decision, an ARP
// lookup at the same device) take less time than moves along links.

#include <QObject>
#include <QPointF>

#include <vector>

#include "ui/sim/hop_mapper.hpp"
#include "ui/sim/packet_token.hpp"

namespace cnmlab::ui {

class Playback;
class TopologyScene;

class PacketAnimator : public QObject {
    Q_OBJECT
public:
    PacketAnimator(TopologyScene* scene, Playback* playback, QObject* parent = nullptr);

    const std::vector<HopPlace>& places() const { return m_places; }
    // The token's scene position (tests), or nullopt-like (0,0) when hidden.
    QPointF tokenPos() const { return m_token.pos(); }
    bool tokenVisible() const { return m_token.visible(); }

private:
    void onLoaded();
    void onMoved(double pos);
    void onHopChanged(int hop);
    QPointF pointOf(const HopPlace& place) const;

    TopologyScene* m_scene;
    Playback* m_playback;
    SceneToken m_token;
    std::vector<HopPlace> m_places;
};

}  // namespace cnmlab::ui
