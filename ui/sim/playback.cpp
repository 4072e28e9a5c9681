#include "ui/sim/playback.hpp"

#include <algorithm>
#include <cmath>

namespace cnmlab::ui {

void Playback::load(TracedProbe probe) {
    pause();
    m_probe = std::move(probe);
    m_weights.clear();
    forget();
    emit loaded();
    setPosition(0);
}

void Playback::clear() {
    pause();
    m_probe.reset();
    forget();
    emit loaded();
}

int Playback::hopCount() const {
    return m_probe ? static_cast<int>(m_probe->record.hops.size()) : 0;
}

void Playback::setHopWeights(std::vector<double> weights) {
    m_weights = std::move(weights);
}

double Playback::advance(double pos, double ms) const {
    const auto segment = static_cast<std::size_t>(std::floor(pos + 1e-9)) + 1;  // the hop ahead
    const double weight = segment < m_weights.size() ? std::max(m_weights[segment], 0.05) : 1.0;
    return std::min(pos + ms * speed() / (kHopMs * weight), static_cast<double>(segment));
}

}  // namespace cnmlab::ui
