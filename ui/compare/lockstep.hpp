#pragma once
// One step control for several Playbacks (the Compare view's two canvases):
// hop k of each trace is shown at the same time, so the bridge path and the
// macvlan path of one ping are watched side by side. The position is
// continuous like a Playback's (hop index plus the fraction of the way to the
// next hop) and runs from 0 to the longest trace's last hop; a trace shorter
// than that stays at its last hop (it waits there for the others).
//
// Each hop takes the same time (Playback::kHopMs / speed) on every trace:
// being in step matters more here than the weights a single Playback gives
// moves along links. The followers' own timers never run; the Lockstep seeks
// them (Playback::seekBetween), so their animators, callouts and highlights
// follow as they do for the main canvas.

#include <QPointer>

#include <vector>

#include "ui/sim/transport.hpp"

namespace cnmlab::ui {

class Playback;

class Lockstep : public Transport {
    Q_OBJECT
public:
    explicit Lockstep(QObject* parent = nullptr) : Transport(parent) {}

    // The playbacks it drives (not owned; ones destroyed are skipped).
    void setFollowers(const std::vector<Playback*>& followers);
    // Call after a follower loaded a new probe: back to the first hop.
    void reload();

    // The longest follower's hop count (0 when none has a probe).
    int hopCount() const override;

protected:
    // Each follower at the same position; a shorter one waits at its end.
    void show(double pos) override;

private:
    std::vector<QPointer<Playback>> m_followers;
};

}  // namespace cnmlab::ui
