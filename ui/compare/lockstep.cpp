#include "ui/compare/lockstep.hpp"

#include <algorithm>
#include <cmath>

#include "ui/sim/playback.hpp"

namespace cnmlab::ui {

void Lockstep::setFollowers(const std::vector<Playback*>& followers) {
    m_followers.assign(followers.begin(), followers.end());
    reload();
}

void Lockstep::reload() {
    pause();
    forget();
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

void Lockstep::show(double pos) {
    for (const auto& pb : m_followers) {
        if (!pb || pb->hopCount() == 0) {
            continue;
        }
        const int last = pb->hopCount() - 1;
        const double whole = std::floor(pos + 1e-9);
        if (pos >= last) {
            pb->seek(last);  // the shorter trace waits at its end
        } else if (pos - whole < 1e-9) {
            pb->seek(static_cast<int>(whole));
        } else {
            pb->seekBetween(static_cast<int>(whole) + 1, pos - whole);
        }
    }
}

}  // namespace cnmlab::ui
