#include "ui/sim/playback.hpp"

#include <algorithm>
#include <cmath>

namespace cnmlab::ui {

Playback::Playback(QObject* parent) : QObject(parent) {
    m_timer.setInterval(16);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Playback::tick);
}

void Playback::load(TracedProbe probe) {
    pause();
    m_probe = std::move(probe);
    m_weights.clear();
    m_lastHop = -1;
    m_pos = 0;
    emit loaded();
    setPosition(0);
}

void Playback::clear() {
    pause();
    m_probe.reset();
    m_lastHop = -1;
    m_pos = 0;
    emit loaded();
}

int Playback::hopCount() const {
    return m_probe ? static_cast<int>(m_probe->record.hops.size()) : 0;
}

int Playback::current() const {
    return hopCount() == 0 ? -1 : static_cast<int>(std::floor(m_pos + 1e-9));
}

void Playback::setHopWeights(std::vector<double> weights) {
    m_weights = std::move(weights);
}

void Playback::play() {
    if (hopCount() == 0 || playing()) {
        return;
    }
    if (m_pos >= hopCount() - 1) {
        setPosition(0);  // play again from the start
    }
    m_clock.start();
    m_timer.start();
    emit playingChanged(true);
}

void Playback::pause() {
    if (!m_timer.isActive()) {
        return;
    }
    m_timer.stop();
    emit playingChanged(false);
}

void Playback::togglePlay() {
    playing() ? pause() : play();
}

void Playback::stepForward() {
    pause();
    seek(std::min(current() + 1, hopCount() - 1));
}

void Playback::stepBack() {
    pause();
    seek(std::max(current() - 1, 0));
}

void Playback::toStart() {
    pause();
    seek(0);
}

void Playback::toEnd() {
    pause();
    seek(hopCount() - 1);
}

void Playback::seek(int hop) {
    if (hopCount() == 0) {
        return;
    }
    setPosition(std::clamp(hop, 0, hopCount() - 1));
}

void Playback::seekBetween(int hop, double fraction) {
    pause();
    if (hopCount() == 0) {
        return;
    }
    hop = std::clamp(hop, 1, std::max(1, hopCount() - 1));
    setPosition(hop - 1 + std::clamp(fraction, 0.0, 1.0));
}

void Playback::setSpeed(double speed) {
    m_speed = std::clamp(speed, 0.1, 16.0);
}

void Playback::tick() {
    const double dt = static_cast<double>(m_clock.restart());
    const auto segment = static_cast<std::size_t>(std::floor(m_pos + 1e-9)) + 1;  // the hop ahead
    const double weight = segment < m_weights.size() ? std::max(m_weights[segment], 0.05) : 1.0;
    double next = std::min(m_pos + dt * m_speed / (kHopMs * weight), static_cast<double>(segment));
    if (next >= hopCount() - 1) {
        next = hopCount() - 1;
        setPosition(next);
        pause();
        emit finished();
        return;
    }
    setPosition(next);
}

void Playback::setPosition(double pos) {
    m_pos = std::clamp(pos, 0.0, std::max(0.0, static_cast<double>(hopCount() - 1)));
    const int hop = current();
    if (hop != m_lastHop) {
        m_lastHop = hop;
        emit hopChanged(hop);
    }
    emit moved(m_pos);
}

}  // namespace cnmlab::ui
