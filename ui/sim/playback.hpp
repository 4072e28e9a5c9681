#pragma once
// Plays a traced probe hop by hop. The position is continuous: hop index plus
// the fraction of the way the packet has travelled from the previous hop's
// place to this one's, so the token glides along the links. A QTimer advances
// it while playing (one hop takes kHopMs / speed); step and seek jump to a hop.
//
// Contract: position() is in [0, hopCount() - 1]; current() is the last hop
// the packet has reached (its integer part). hopChanged is emitted whenever current() changes,
// moved on every tick.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <optional>
#include <vector>

#include "ui/sim/simulation_session.hpp"

namespace cnmlab::ui {

class Playback : public QObject {
    Q_OBJECT
public:
    static constexpr double kHopMs = 650;  // at speed 1

    explicit Playback(QObject* parent = nullptr);

    // A new probe to play, stopped at its first hop.
    void load(TracedProbe probe);
    // How long the way to each hop takes, relative to kHopMs (1 for a move
    // along a link, less for a decision taken where the packet already is).
    void setHopWeights(std::vector<double> weights);
    void clear();
    const TracedProbe* probe() const { return m_probe ? &*m_probe : nullptr; }
    int hopCount() const;

    double position() const { return m_pos; }
    int current() const;
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
    // Places the packet `fraction` of the way from hop-1 to hop (screenshots).
    void seekBetween(int hop, double fraction);
    void setSpeed(double speed);

signals:
    void loaded();
    void hopChanged(int hop);
    void moved(double position);
    void playingChanged(bool playing);
    void finished();

private:
    void tick();
    void setPosition(double pos);

    std::optional<TracedProbe> m_probe;
    double m_pos = 0;
    double m_speed = 1.0;
    std::vector<double> m_weights;
    int m_lastHop = -1;
    QTimer m_timer;
    QElapsedTimer m_clock;
};

}  // namespace cnmlab::ui
