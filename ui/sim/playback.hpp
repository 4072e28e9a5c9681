#pragma once
// Plays a traced probe hop by hop (the controls and the position's contract:
// transport.hpp). The position is continuous, so the token glides along the
// links: a move along a link takes kHopMs / speed, a decision taken where the
// packet already is less (setHopWeights).

#include <optional>
#include <vector>

#include "ui/sim/simulation_session.hpp"
#include "ui/sim/transport.hpp"

namespace cnmlab::ui {

class Playback : public Transport {
    Q_OBJECT
public:
    explicit Playback(QObject* parent = nullptr) : Transport(parent) {}

    // A new probe to play, stopped at its first hop.
    void load(TracedProbe probe);
    // How long the way to each hop takes, relative to kHopMs (1 for a move
    // along a link, less for a decision taken where the packet already is).
    void setHopWeights(std::vector<double> weights);
    void clear();
    const TracedProbe* probe() const { return m_probe ? &*m_probe : nullptr; }
    int hopCount() const override;

signals:
    void loaded();
    void finished();

protected:
    // The hop ahead's weight stretches its way; a tick never passes a hop.
    double advance(double pos, double ms) const override;
    void ended() override { emit finished(); }

private:
    std::optional<TracedProbe> m_probe;
    std::vector<double> m_weights;
};

}  // namespace cnmlab::ui
