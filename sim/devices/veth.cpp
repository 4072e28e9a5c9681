// veth: the pair's other end receives what this end sends (drivers/net/veth.c).
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

void Veth::transmit(World& w, int dev, const Frame& f, std::uint32_t* shared) {
    const Device& d = w.device(dev);
    const int peer = d.as<Veth>()->peer;
    if (peer < 0) {
        return;
    }
    if (w.tracing()) {
        const Device& p = w.device(peer);
        const Namespace& here = w.ns(d.ns);
        const Namespace& there = w.ns(p.ns);
        Text text;
        if (here.kind == drivers::NetnsKind::Lan) {
            const Text port = w.portText(dev);
            text = {fmt::format("the LAN switch sends the frame out of {}; it arrives on {} of {}",
                                port.en, p.name, there.name),
                    fmt::format("局域网交换机从{}发出该帧，帧到达 {} 的 {}", port.zh, there.nameZh,
                                p.name)};
        } else if (there.kind == drivers::NetnsKind::Lan) {
            const Text port = w.portText(peer);
            text = {fmt::format("{} sends the frame onto the hosts' LAN; the LAN switch receives "
                                "it on {}",
                                d.name, port.en),
                    fmt::format("{} 将帧发到主机所在的局域网；局域网交换机在{}上收到它", d.name,
                                port.zh)};
        } else {
            text = {fmt::format("{} sends the frame into its veth pair; it comes out of {} in {}",
                                d.name, p.name, there.name),
                    fmt::format("{} 将帧送入 veth 对，帧从 {} 的 {} 出来", d.name, there.nameZh,
                                p.name)};
        }
        w.hop(d.ns, dev, action::kTx, f, std::move(text));
    }
    w.deliverAfter(kWireDelayUs, peer, f, shared);
}

}  // namespace cnmlab::sim
