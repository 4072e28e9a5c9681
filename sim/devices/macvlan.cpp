// macvlan transmit and receive (drivers/net/macvlan.c). See macvlan.hpp.
#include <fmt/format.h>

#include "sim/devices/stacked.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

Macvlan::Mode Macvlan::modeNamed(const std::string& mode) {
    return mode == "private"    ? Mode::Private
           : mode == "vepa"     ? Mode::Vepa
           : mode == "passthru" ? Mode::Passthru
                                : Mode::Bridge;
}

namespace {

bool bridgeMode(const Device& d) {
    const Macvlan* m = d.as<Macvlan>();
    return m != nullptr && m->mode == Macvlan::Mode::Bridge;
}

}  // namespace

void Macvlan::transmit(World& w, int dev, const Frame& f, std::uint32_t* /*shared*/) {
    const Device& d = w.device(dev);
    const Macvlan& self = *d.as<Macvlan>();
    if (self.lower < 0) {
        w.drop(d.ns, dev, f, Reason{.why = Why::NoPeer, .ns = d.ns, .dev = dev});
        return;
    }
    const Device& lower = w.device(self.lower);
    if (self.mode == Mode::Bridge) {
        if ((f.dstMac[0] & 1) != 0) {
            for (int s : lower.uppers) {
                const Device& sib = w.device(s);
                if (s != dev && sib.up && bridgeMode(sib)) {
                    stacked::toSibling(w, dev, s, self.lower, f, "macvlan",
                                       "a broadcast reaches every bridge-mode macvlan");
                }
            }
        } else {
            for (int s : lower.uppers) {
                const Device& sib = w.device(s);
                if (s != dev && sib.up && sameMac(sib.mac, f.dstMac) && bridgeMode(sib)) {
                    stacked::toSibling(w, dev, s, self.lower, f, "macvlan", "macvlan bridge mode");
                    return;
                }
            }
        }
    }
    // Private, vepa and passthru send everything out; bridge mode the rest.
    stacked::out(w, dev, self.lower, f);
}

bool Macvlan::handleFrame(World& w, int lowerIdx, const Frame& f) {
    const Device& lower = w.device(lowerIdx);
    const Mode mode = w.device(lower.uppers.front()).as<Macvlan>()->mode;
    auto give = [&](int s, bool now) { stacked::up(w, lowerIdx, s, f, "macvlan", now); };
    if (mode == Mode::Passthru) {
        give(lower.uppers.front(), true);
        return true;
    }
    if ((f.dstMac[0] & 1) != 0) {
        for (int s : lower.uppers) {
            if (w.device(s).up) {
                give(s, false);
            }
        }
        return false;  // the lower device gets it too
    }
    for (int s : lower.uppers) {
        if (sameMac(w.device(s).mac, f.dstMac)) {
            give(s, true);
            return true;
        }
    }
    return false;
}

}  // namespace cnmlab::sim
