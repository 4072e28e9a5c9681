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

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <vector>

namespace cnmlab::ui {

class Playback;

class Lockstep : public QObject {
    Q_OBJECT
public:
    explicit Lockstep(QObject* parent = nullptr);

    // The playbacks it drives (not owned; ones destroyed are skipped).
    void setFollowers(const std::vector<Playback*>& followers);
    // Call after a follower loaded a new probe: back to the first hop.
    void reload();

    // The longest follower's hop count (0 when none has a probe).
    int hopCount() const;
    double position() const { return m_pos; }
    int current() const;  // the hop shown, as an index (-1 when nothing is loaded)
    bool playing() const { return m_timer.isActive(); }
    double speed() const { return m_speed; }

public slots:
    void play();
    void pause();
    void togglePlay();
    void stepForward();
    void stepBack();
    void toStart();
    void toEnd();
    void seek(int hop);
    // Every follower `fraction` of the way from hop-1 to hop (screenshots).
    void seekBetween(int hop, double fraction);
    void setSpeed(double speed);

signals:
    void hopChanged(int hop);
    void moved(double position);
    void playingChanged(bool playing);

private:
    void tick();
    void setPosition(double pos);

    std::vector<QPointer<Playback>> m_followers;
    double m_pos = 0;
    double m_speed = 1.0;
    int m_lastHop = -1;
    QTimer m_timer;
    QElapsedTimer m_clock;
};

}  // namespace cnmlab::ui
