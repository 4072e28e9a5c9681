#include "sim/devices/stacked.hpp"

#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim::stacked {

void toSibling(World& w, int dev, int sibling, int lower, const Frame& f, const char* kind,
               const char* how) {
    if (w.tracing()) {
        const Device& d = w.device(dev);
        const Device& sib = w.device(sibling);
        const std::string& lowerName = w.device(lower).name;
        const std::string& sibNs = w.ns(sib.ns).name;
        w.hop(d.ns, dev, action::kForward, f,
              {fmt::format("{} ({} on {}) hands the frame straight to its sibling {} in {} ({})",
                           d.name, kind, lowerName, sib.name, sibNs, how),
               fmt::format("{}（{} 上的 {}）把帧直接交给同一父接口上的 {}（{} 中）（{}）", d.name,
                           lowerName, kind, sib.name, sibNs, how)});
    }
    w.deliverLater(sibling, f);
}

void out(World& w, int dev, int lower, const Frame& f) {
    if (w.tracing()) {
        const Device& d = w.device(dev);
        const Device& l = w.device(lower);
        const std::string& nsName = w.ns(d.ns).name;
        const std::string& lowerNs = w.ns(l.ns).name;
        w.hop(d.ns, dev, action::kTx, f,
              {fmt::format("{} in {} sends the frame out of its parent {} in {}", d.name, nsName,
                           l.name, lowerNs),
               fmt::format("{} 中的 {} 通过父接口 {}（{} 中）发出该帧", nsName, d.name, l.name,
                           lowerNs)});
    }
    w.transmit(lower, f);
}

void up(World& w, int lower, int slave, const Frame& f, const char* kind, bool now) {
    if (w.tracing()) {
        const Device& l = w.device(lower);
        const Device& s = w.device(slave);
        const std::string& slaveNs = w.ns(s.ns).name;
        w.hop(l.ns, lower, action::kForward, f,
              {fmt::format("{} passes the frame to its {} {} in {}", l.name, kind, s.name, slaveNs),
               fmt::format("{} 把帧交给其 {} 从接口 {}（{} 中）", l.name, kind, s.name, slaveNs)});
    }
    if (now) {
        w.receive(slave, f);
    } else {
        w.deliverLater(slave, f);
    }
}

}  // namespace cnmlab::sim::stacked
