// 802.1Q sub-interfaces: tag on the way out, untag on the way in (net/8021q). See vlan.hpp.
#include <fmt/format.h>

#include "sim/devices/bridge.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

void Vlan::transmit(World& w, int dev, const Frame& f, std::uint32_t* /*shared*/) {
    const Device& d = w.device(dev);
    const Vlan& self = *d.as<Vlan>();
    if (self.lower < 0) {
        w.drop(d.ns, dev, f, Reason{.why = Why::NoPeer, .ns = d.ns, .dev = dev});
        return;
    }
    Frame tagged = f;
    tagged.vlanId = self.id;
    if (w.tracing()) {
        const Device& l = w.device(self.lower);
        w.hop(
            d.ns, dev, action::kTx, tagged,
            {fmt::format("{} adds an 802.1Q tag (VLAN {}) and sends the frame out of its parent {}",
                         d.name, self.id, l.name),
             fmt::format("{} 加上 802.1Q 标签（VLAN {}），从父接口 {} 发出该帧", d.name, self.id,
                         l.name)});
    }
    w.transmit(self.lower, tagged);
}

bool Vlan::receiveTagged(World& w, int lower, const Frame& f) {
    const Device& l = w.device(lower);
    for (int v : l.vlans) {
        const Device& sub = w.device(v);
        if (sub.as<Vlan>()->id != f.vlanId) {
            continue;
        }
        Frame untagged = f;
        untagged.vlanId = 0;
        if (w.tracing()) {
            w.hop(
                l.ns, lower, action::kForward, f,
                {fmt::format("{} takes the 802.1Q tag (VLAN {}) off the frame and passes it to {}",
                             l.name, f.vlanId, sub.name),
                 fmt::format("{} 去掉帧的 802.1Q 标签（VLAN {}），交给 {}", l.name, f.vlanId,
                             sub.name)});
        }
        w.receive(v, untagged);
        return true;
    }
    if (l.rxHandler == &Bridge::handleFrame) {
        return false;  // a bridge port: the bridge forwards the tagged frame
    }
    w.drop(l.ns, lower, f,
           Reason{.why = Why::VlanNoDevice, .ns = l.ns, .dev = lower, .port = f.vlanId});
    return true;
}

}  // namespace cnmlab::sim
