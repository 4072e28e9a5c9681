#include "ui/compare/lockstep.hpp"

#include <algorithm>
#include <cmath>

#include "ui/sim/playback.hpp"

namespace cnmlab::ui {

Lockstep::Lockstep(QObject* parent) : QObject(parent) {
    m_timer.setInterval(16);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Lockstep::tick);
}

void Lockstep::setFollowers(const std::vector<Playback*>& followers) {
    m_followers.assign(followers.begin(), followers.end());
    reload();
}

void Lockstep::reload() {
    pause();
    m_lastHop = -1;
    setPosition(0);
}

int Lockstep::hopCount() const {
    int n = 0;
    for (const auto& pb : m_followers) {
        if (pb) {
            n = std::max(n, pb->hopCount());
        }
    }
    return n;
}

int Lockstep::current() const {
    return hopCount() == 0 ? -1 : static_cast<int>(std::floor(m_pos + 1e-9));
}

void Lockstep::play() {
    if (hopCount() == 0 || playing()) {
        return;
    }
    if (m_pos >= hopCount() - 1) {
        setPosition(0);  // again from the start
    }
    m_clock.start();
    m_timer.start();
    emit playingChanged(true);
}

void Lockstep::pause() {
    if (!m_timer.isActive()) {
        return;
    }
    m_timer.stop();
    emit playingChanged(false);
}

void Lockstep::togglePlay() {
    playing() ? pause() : play();
}

void Lockstep::stepForward() {
    pause();
    seek(current() + 1);
}

void Lockstep::stepBack() {
    pause();
    seek(current() - 1);
}

void Lockstep::toStart() {
    pause();
    seek(0);
}

void Lockstep::toEnd() {
    pause();
    seek(hopCount() - 1);
}

void Lockstep::seek(int hop) {
    if (hopCount() > 0) {
        setPosition(std::clamp(hop, 0, hopCount() - 1));
    }
}

void Lockstep::seekBetween(int hop, double fraction) {
    pause();
    if (hopCount() > 0) {
        hop = std::clamp(hop, 1, std::max(1, hopCount() - 1));
        setPosition(hop - 1 + std::clamp(fraction, 0.0, 1.0));
    }
}

void Lockstep::setSpeed(double speed) {
    m_speed = std::clamp(speed, 0.1, 16.0);
}

void Lockstep::tick() {
    const double dt = static_cast<double>(m_clock.restart());
    const double last = hopCount() - 1;
    const double next = m_pos + dt * m_speed / Playback::kHopMs;
    if (next >= last) {
        setPosition(last);
        pause();
        return;
    }
    setPosition(next);
}

void Lockstep::setPosition(double pos) {
    m_pos = std::clamp(pos, 0.0, std::max(0.0, static_cast<double>(hopCount() - 1)));
    for (const auto& pb : m_followers) {
        if (!pb || pb->hopCount() == 0) {
            continue;
        }
        const int last = pb->hopCount() - 1;
        const double whole = std::floor(m_pos + 1e-9);
        if (m_pos >= last) {
            pb->seek(last);  // the shorter trace waits at its end
        } else if (m_pos - whole < 1e-9) {
            pb->seek(static_cast<int>(whole));
        } else {
            pb->seekBetween(static_cast<int>(whole) + 1, m_pos - whole);
        }
    }
    const int hop = current();
    if (hop != m_lastHop) {
        m_lastHop = hop;
        emit hopChanged(hop);
    }
    emit moved(m_pos);
}

}  // namespace cnmlab::ui
