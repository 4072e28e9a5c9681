#pragma once
// The transport controls of a hop-by-hop player: play, pause, step, seek and
// speed over a continuous position (hop index plus the fraction of the way
// from the previous hop to this one), advanced by a QTimer while playing.
// Playback (one traced probe) and Lockstep (several Playbacks in step, the
// Compare view's) are the two players; each says how many hops it has, how
// far a tick moves, and what showing a position means.
//
// Contract: position() is in [0, hopCount() - 1]; current() is the last hop
// reached (its integer part). hopChanged is emitted whenever current()
// changes, moved on every change of position, playingChanged on play/pause.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace cnmlab::ui {

class Transport : public QObject {
    Q_OBJECT
public:
    static constexpr double kHopMs = 650;  // one hop at speed 1

    explicit Transport(QObject* parent = nullptr);

    virtual int hopCount() const = 0;
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
    // `fraction` of the way from hop-1 to hop (screenshots).
    void seekBetween(int hop, double fraction);
    void setSpeed(double speed);

signals:
    void hopChanged(int hop);
    void moved(double position);
    void playingChanged(bool playing);

protected:
    // Where the position is after `ms` more of playing at speed(): by default
    // one hop per kHopMs.
    virtual double advance(double pos, double ms) const { return pos + ms * m_speed / kHopMs; }
    // Called with the new position before hopChanged/moved are emitted.
    virtual void show(double /*pos*/) {}
    // The end was reached while playing (after the pause).
    virtual void ended() {}
    void setPosition(double pos);
    // Back to nothing shown: the next setPosition() emits hopChanged.
    void forget() {
        m_lastHop = -1;
        m_pos = 0;
    }

private:
    void tick();

    double m_pos = 0;
    double m_speed = 1.0;
    int m_lastHop = -1;
    QTimer m_timer;
    QElapsedTimer m_clock;
};

}  // namespace cnmlab::ui
