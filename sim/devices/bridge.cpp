// The Linux bridge: learning, forwarding, flooding (net/bridge/br_input.c,
// br_forward.c, br_fdb.c). See bridge.hpp.
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

void Bridge::transmit(World& w, int dev, const Frame& f, std::uint32_t* /*shared*/) {
    forward(w, dev, -1, f);
}

bool Bridge::handleFrame(World& w, int port, const Frame& f) {
    input(w, w.device(port).master, port, f);
    return true;
}

void Bridge::input(World& w, int br, int port, const Frame& f) {
    const Device& b = w.device(br);
    Bridge& self = *w.device(br).as<Bridge>();
    const std::uint64_t src = macKey(f.srcMac);
    // A frame carrying the bridge's own address as its source (another host's
    // bridge with the same anycast gateway MAC) teaches it nothing:
    // br_fdb_update keeps a local entry.
    if ((f.srcMac[0] & 1) == 0 && !sameMac(f.srcMac, b.mac)) {
        auto& e = self.fdb[src];
        const bool fresh = e.port != port;
        if (!e.permanent) {
            e.port = port;
            e.seen = w.scheduler().now();
        }
        if (fresh && w.tracing()) {
            const Text bridge = w.bridgeText(br);
            const Text behind = w.portText(port);
            w.hop(b.ns, br, action::kLearn, f,
                  {fmt::format("{} learns that {} is behind {}", bridge.en, model::macStr(f.srcMac),
                               behind.en),
                   fmt::format("{}学习到 {} 位于{}之后", bridge.zh, model::macStr(f.srcMac),
                               behind.zh)});
        }
    }
    if (sameMac(f.dstMac, b.mac)) {
        w.ipReceive(br, f);
        return;
    }
    if (isBroadcast(f.dstMac)) {
        forward(w, br, port, f);
        w.ipReceive(br, f);
        return;
    }
    // br_netfilter passes VLAN-tagged frames to iptables only with
    // bridge-nf-filter-vlan-tagged, which is off by default.
    if (f.ethertype == kEtherTypeIpv4 && f.vlanId == 0 && w.ns(b.ns).bridgeNfCall) {
        // br_netfilter: bridged IPv4 traverses iptables FORWARD with -i/-o = the
        // bridge, and conntrack: a reply of a connection the host NATed (a
        // container reaching a published port of its own host, answered
        // across the bridge) gets its addresses back here.
        Namespace& ns = w.ns(b.ns);
        Frame g = f;
        Ct ct = Conntrack::in(w, b.ns, g, -1, br);
        const NfPacket p{br, br, &g, ct.conn >= 0, false};
        const NfDecision d = ns.filter.run(ns.filterForward, p, w.devices());
        if (d.verdict == drivers::NfVerdict::Drop) {
            w.drop(b.ns, br, g,
                   Reason{.why = Why::BridgeFilter,
                          .ns = b.ns,
                          .dev = br,
                          .rule = d.rule,
                          .chain = d.chain,
                          .a = g.ipSrc,
                          .b = g.ipDst});
            return;
        }
        Conntrack::undoDnat(w, b.ns, ct, g, br);
        Conntrack::commit(w, b.ns, ct, g);
        forward(w, br, port, g);
        return;
    }
    forward(w, br, port, f);
}

void Bridge::forward(World& w, int br, int inPort, const Frame& f) {
    const Device& b = w.device(br);
    const Bridge& self = *b.as<Bridge>();
    if (!isBroadcast(f.dstMac)) {
        const FdbEntry* e = self.fdb.find(macKey(f.dstMac));
        if (e != nullptr && (e->permanent || w.scheduler().now() - e->seen <=
                                                 TimeUs(self.ageingSeconds) * 1'000'000)) {
            const int port = e->port;
            if (port == inPort) {
                return;  // the destination is behind the port it came from
            }
            if (w.tracing()) {
                const Text bridge = w.bridgeText(br);
                const Text behind = w.portText(port);
                w.hop(b.ns, br, action::kForward, f,
                      {fmt::format("{} knows {} is behind {} and forwards the frame there",
                                   bridge.en, model::macStr(f.dstMac), behind.en),
                       fmt::format("{}已知 {} 位于{}之后，将帧转发过去", bridge.zh,
                                   model::macStr(f.dstMac), behind.zh)});
            }
            w.transmit(port, f);
            return;
        }
    }
    int others = 0;
    for (int p : self.ports) {
        others += p != inPort ? 1 : 0;
    }
    if (w.tracing()) {
        const bool bcast = isBroadcast(f.dstMac);
        const Text bridge = w.bridgeText(br);
        w.hop(b.ns, br, action::kFlood, f,
              bcast ? Text{fmt::format("{} floods the broadcast frame to its other {} port(s)",
                                       bridge.en, others),
                           fmt::format("{}将广播帧泛洪到其他 {} 个端口", bridge.zh, others)}
                    : Text{fmt::format("{} has not learned {} yet, so it floods the frame to "
                                       "its other {} port(s)",
                                       bridge.en, model::macStr(f.dstMac), others),
                           fmt::format("{}尚未学习到 {}，因此将帧泛洪到其他 {} 个端口", bridge.zh,
                                       model::macStr(f.dstMac), others)});
    }
    std::uint32_t shared = World::kNoSlot;  // one parked copy for every veth port
    for (int p : self.ports) {
        if (p != inPort) {
            w.transmit(p, f, &shared);
        }
    }
}

}  // namespace cnmlab::sim
