// ipvlan transmit and receive (drivers/net/ipvlan/ipvlan_core.c). See ipvlan.hpp.
#include <fmt/format.h>

#include "sim/devices/stacked.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

Ipvlan::Mode Ipvlan::modeNamed(const std::string& mode) {
    return mode == "l3" ? Mode::L3 : Mode::L2;
}

namespace {

// The IPv4 address ipvlan demultiplexes on: the destination, or an ARP target.
Ipv4 demuxAddress(const Frame& f) {
    return f.ethertype == kEtherTypeArp ? f.arpTargetIp : f.ipDst;
}

}  // namespace

void Ipvlan::transmit(World& w, int dev, const Frame& f, std::uint32_t* /*shared*/) {
    const Device& d = w.device(dev);
    const Ipvlan& self = *d.as<Ipvlan>();
    if (self.lower < 0) {
        w.drop(d.ns, dev, f, Reason{.why = Why::NoPeer, .ns = d.ns, .dev = dev});
        return;
    }
    const Device& lower = w.device(self.lower);
    if (self.mode == Mode::L3) {
        if (f.ethertype != kEtherTypeIpv4) {
            return;
        }
        const int s = w.ipvlanOwning(self.lower, f.ipDst);
        if (s >= 0 && s != dev) {
            stacked::toSibling(w, dev, s, self.lower, f, "ipvlan",
                               "ipvlan l3 finds the slave by its IPv4 address");
            return;
        }
        if (w.tracing()) {
            const std::string& lowerNs = w.ns(lower.ns).name;
            w.hop(
                d.ns, dev, action::kRoute, f,
                {fmt::format("ipvlan l3: {} hands the packet to {}'s namespace, which routes it "
                             "as its own output",
                             d.name, lowerNs),
                 fmt::format("ipvlan l3：{} 把数据包交给 {} 的命名空间，由其按本机发出的数据包路由",
                             d.name, lowerNs)});
        }
        Frame routed = f;
        w.localOut(lower.ns, routed);
        return;
    }
    if ((f.dstMac[0] & 1) != 0) {
        for (int s : lower.uppers) {
            if (s != dev && w.device(s).up) {
                stacked::toSibling(w, dev, s, self.lower, f, "ipvlan",
                                   "ipvlan copies broadcasts to every slave");
            }
        }
        stacked::out(w, dev, self.lower, f);
        return;
    }
    if (!sameMac(f.dstMac, f.srcMac)) {
        stacked::out(w, dev, self.lower, f);
        return;
    }
    // Addressed to the shared MAC: a sibling's address, or the lower device's stack.
    const int s = w.ipvlanOwning(self.lower, demuxAddress(f));
    if (s >= 0 && s != dev) {
        stacked::toSibling(w, dev, s, self.lower, f, "ipvlan",
                           "ipvlan l2 finds the slave by its IPv4 address");
        return;
    }
    if (w.tracing()) {
        w.hop(
            d.ns, dev, action::kForward, f,
            {fmt::format("{} hands the frame to its parent {}'s own stack (the shared MAC, and no "
                         "slave owns {})",
                         d.name, lower.name, demuxAddress(f).str()),
             fmt::format("{} 把帧交给父接口 {} 自己的协议栈（共享 MAC，且没有从接口拥有 {}）",
                         d.name, lower.name, demuxAddress(f).str())});
    }
    w.deliverLater(self.lower, f);
}

bool Ipvlan::handleFrame(World& w, int lowerIdx, const Frame& f) {
    const Device& lower = w.device(lowerIdx);
    const Mode mode = w.device(lower.uppers.front()).as<Ipvlan>()->mode;
    if ((f.dstMac[0] & 1) != 0) {
        for (int s : lower.uppers) {
            if (w.device(s).up) {
                stacked::up(w, lowerIdx, s, f, "ipvlan", false);
            }
        }
        return false;  // the lower device gets it too
    }
    if (mode == Mode::L2 && !sameMac(f.dstMac, lower.mac)) {
        return false;
    }
    if (mode == Mode::L3 && f.ethertype != kEtherTypeIpv4 && f.ethertype != kEtherTypeArp) {
        return false;
    }
    const int s = w.ipvlanOwning(lowerIdx, demuxAddress(f));
    if (s < 0) {
        return false;
    }
    stacked::up(w, lowerIdx, s, f, "ipvlan", true);
    return true;
}

}  // namespace cnmlab::sim
