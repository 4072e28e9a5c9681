#include "ui/sim/transport.hpp"

#include <algorithm>
#include <cmath>

namespace cnmlab::ui {

Transport::Transport(QObject* parent) : QObject(parent) {
    m_timer.setInterval(16);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Transport::tick);
}

int Transport::current() const {
    return hopCount() == 0 ? -1 : static_cast<int>(std::floor(m_pos + 1e-9));
}

void Transport::play() {
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

void Transport::pause() {
    if (!m_timer.isActive()) {
        return;
    }
    m_timer.stop();
    emit playingChanged(false);
}

void Transport::togglePlay() {
    playing() ? pause() : play();
}

void Transport::stepForward() {
    pause();
    seek(current() + 1);
}

void Transport::stepBack() {
    pause();
    seek(current() - 1);
}

void Transport::toStart() {
    pause();
    seek(0);
}

void Transport::toEnd() {
    pause();
    seek(hopCount() - 1);
}

void Transport::seek(int hop) {
    if (hopCount() > 0) {
        setPosition(std::clamp(hop, 0, hopCount() - 1));
    }
}

void Transport::seekBetween(int hop, double fraction) {
    pause();
    if (hopCount() > 0) {
        hop = std::clamp(hop, 1, std::max(1, hopCount() - 1));
        setPosition(hop - 1 + std::clamp(fraction, 0.0, 1.0));
    }
}

void Transport::setSpeed(double speed) {
    m_speed = std::clamp(speed, 0.1, 16.0);
}

void Transport::tick() {
    const double dt = static_cast<double>(m_clock.restart());
    const double last = hopCount() - 1;
    const double next = advance(m_pos, dt);
    if (next >= last) {
        setPosition(last);
        pause();
        ended();
        return;
    }
    setPosition(next);
}

void Transport::setPosition(double pos) {
    m_pos = std::clamp(pos, 0.0, std::max(0.0, static_cast<double>(hopCount() - 1)));
    show(m_pos);
    const int hop = current();
    if (hop != m_lastHop) {
        m_lastHop = hop;
        emit hopChanged(hop);
    }
    emit moved(m_pos);
}

}  // namespace cnmlab::ui
