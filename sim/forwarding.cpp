// The data path of the simulated kernel: veth, bridge, IPv4 receive, forward
// and output, ARP. See world.hpp for the order of hooks.
#include <algorithm>

#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

std::string ipStr(Ipv4 ip) { return ip.str(); }

}  // namespace

void World::hop(int ns, int dev, const char* act, const Frame& f, Text text,
                const drivers::NfRule* rule) {
    if (m_trace == nullptr) {
        return;
    }
    m_trace->push_back(Hop{m_sched.now(), m_ns[static_cast<std::size_t>(ns)].planName,
                           dev >= 0 ? m_dev[static_cast<std::size_t>(dev)].name : "",
                           act, std::make_shared<const Frame>(f), std::move(text), rule});
}

void World::drop(int ns, int dev, const Frame& f, const Reason& why) {
    if (m_proxy.active() && onProxyLeg(f)) {
        proxyLegDropped(ns, why);  // docker-proxy's own connection, not the client's
    } else if (m_probe.active && !m_probe.done && m_probe.reason.why == Why::None) {
        m_probe.reason = why;
    }
    if (tracing()) {
        hop(ns, dev, action::kDrop, f, explain(why), why.rule);
    }
}

const RouteEntry* World::lookupRoute(int nsIdx, Ipv4 dst) const {
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    auto scan = [&]() -> int {
        for (std::size_t i = 0; i < ns.routes.size(); ++i) {
            const RouteEntry& r = ns.routes[i];
            if (r.dst.contains(dst) && m_dev[static_cast<std::size_t>(r.dev)].up) {
                return static_cast<int>(i);
            }
        }
        return -1;
    };
    int found = -1;
    if (ns.routeCache.empty()) {
        found = scan();
    } else {
        // Routes and link states do not change while packets run, so a lookup's
        // answer for a destination can be kept (the kernel's FIB has its own caches).
        auto& slot = ns.routeCache[(dst.value() * 0x9e3779b1u) >> (32 - Namespace::kRouteCacheBits)];
        if (slot.route == Namespace::kEmptySlot || slot.dst != dst.value()) {
            slot.dst = dst.value();
            slot.route = scan();
        }
        found = slot.route;
    }
    return found < 0 ? nullptr : &ns.routes[static_cast<std::size_t>(found)];
}

bool World::isLocalAddress(int nsIdx, Ipv4 ip) const {
    if ((ip.value() >> 24) == 127) {
        return true;  // the whole of 127.0.0.0/8 is local on lo
    }
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    if (ns.localAddresses.size() > Namespace::kLocalScanLimit) {
        return ns.localSet.find(ip.value()) != nullptr;
    }
    for (const std::uint32_t a : ns.localAddresses) {  // a sandbox: one or two addresses
        if (a == ip.value()) {
            return true;
        }
    }
    return false;
}

std::optional<Ipv4> World::sourceFor(int nsIdx, Ipv4 dst) const {
    if ((dst.value() >> 24) == 127) {
        return Ipv4(127, 0, 0, 1);
    }
    if (isLocalAddress(nsIdx, dst)) {
        return dst;
    }
    const RouteEntry* r = lookupRoute(nsIdx, dst);
    if (r == nullptr) {
        return std::nullopt;
    }
    if (r->src) {
        return r->src;
    }
    return selectAddress(nsIdx, r->dev, dst);
}

std::optional<Ipv4> World::selectAddress(int nsIdx, int dev, Ipv4 near) const {
    const auto& addrs = m_dev[static_cast<std::size_t>(dev)].addresses;
    if (!addrs.empty()) {
        for (const auto& a : addrs) {
            if (a.contains(near)) {
                return a.address;
            }
        }
        return addrs.front().address;
    }
    for (int other : m_ns[static_cast<std::size_t>(nsIdx)].devices) {
        const Device& o = m_dev[static_cast<std::size_t>(other)];
        if (o.kind != drivers::LinkKind::Loopback && !o.addresses.empty()) {
            return o.addresses.front().address;
        }
    }
    return std::nullopt;
}

std::uint32_t World::park(const Frame& f) {
    std::uint32_t slot = 0;
    if (!m_freeSlots.empty()) {
        slot = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        if ((m_parkedSlots & kChunkMask) == 0) {
            m_inflight.push_back(std::make_unique<Parked[]>(kChunkMask + 1));
        }
        slot = m_parkedSlots++;
    }
    Parked& p = parked(slot);
    p.frame = f;
    p.users = 1;
    return slot;
}

void World::release(std::uint32_t slot) {
    if (--parked(slot).users == 0) {
        m_freeSlots.push_back(slot);
    }
}

void World::dropPending() {
    // Entries still asking when the run stopped lose their timers with it:
    // they are forgotten, so the next frame for them asks anew.
    for (const auto& [ns, key] : m_incomplete) {
        if (auto* n = m_ns[static_cast<std::size_t>(ns)].neigh.find(key);
            n != nullptr && n->state == Namespace::Neigh::State::Incomplete) {
            n->state = Namespace::Neigh::State::None;
            n->pending.clear();
        }
    }
    m_incomplete.clear();
    if (m_sched.empty()) {
        return;  // every delivery ran and released its frame
    }
    m_sched.clear();
    m_freeSlots.clear();
    for (std::uint32_t i = m_parkedSlots; i-- > 0;) {
        parked(i).users = 0;
        m_freeSlots.push_back(i);
    }
}

void World::onReceive(void* world, std::uint32_t dev, std::uint32_t slot) {
    auto* w = static_cast<World*>(world);
    w->receive(static_cast<int>(dev), w->parked(slot).frame);
    w->release(slot);
}

void World::onLoopback(void* world, std::uint32_t dev, std::uint32_t slot) {
    auto* w = static_cast<World*>(world);
    w->ipReceive(static_cast<int>(dev), w->parked(slot).frame);
    w->release(slot);
}

void World::onLocalDeliver(void* world, std::uint32_t dev, std::uint32_t slot) {
    auto* w = static_cast<World*>(world);
    w->localDeliver(w->m_dev[dev].ns, static_cast<int>(dev), w->parked(slot).frame);
    w->release(slot);
}

// ---- link layer ---------------------------------------------------------------

Text World::bridgeText(int bridge) const {
    const Device& b = m_dev[static_cast<std::size_t>(bridge)];
    if (m_ns[static_cast<std::size_t>(b.ns)].kind == drivers::NetnsKind::Lan) {
        return {"the LAN switch", "局域网交换机"};
    }
    return {fmt::format("bridge {}", b.name), fmt::format("网桥 {} ", b.name)};
}

Text World::portText(int port) const {
    const Device& d = m_dev[static_cast<std::size_t>(port)];
    if (m_ns[static_cast<std::size_t>(d.ns)].kind == drivers::NetnsKind::Lan && d.peer >= 0) {
        // A port of the LAN switch is the cable to one machine's eth0.
        const Namespace& machine = m_ns[static_cast<std::size_t>(m_dev[static_cast<std::size_t>(d.peer)].ns)];
        return {fmt::format("its port to {}", machine.name),
                fmt::format("通往 {} 的端口", machine.nameZh)};
    }
    return {fmt::format("port {}", d.name), fmt::format(" {} 端口", d.name)};
}

void World::transmit(int dev, const Frame& f, std::uint32_t* shared) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    if (!d.up) {
        drop(d.ns, dev, f, Reason{.why = Why::DeviceDownTx, .ns = d.ns, .dev = dev});
        return;
    }
    switch (d.kind) {
    case drivers::LinkKind::Bridge:
        // The bridge's own IP stack sends through the bridge to a port.
        bridgeForward(dev, -1, f);
        return;
    case drivers::LinkKind::Veth: {
        if (d.peer < 0) {
            return;
        }
        if (tracing()) {
            const Device& p = m_dev[static_cast<std::size_t>(d.peer)];
            const Namespace& here = m_ns[static_cast<std::size_t>(d.ns)];
            const Namespace& there = m_ns[static_cast<std::size_t>(p.ns)];
            Text text;
            if (here.kind == drivers::NetnsKind::Lan) {
                const Text port = portText(dev);
                text = {fmt::format("the LAN switch sends the frame out of {}; it arrives on {} of {}",
                                    port.en, p.name, there.name),
                        fmt::format("局域网交换机从{}发出该帧，帧到达 {} 的 {}", port.zh,
                                    there.nameZh, p.name)};
            } else if (there.kind == drivers::NetnsKind::Lan) {
                const Text port = portText(d.peer);
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
            hop(d.ns, dev, action::kTx, f, std::move(text));
        }
        std::uint32_t slot = kNoSlot;
        if (shared == nullptr) {
            slot = park(f);
        } else if (*shared == kNoSlot) {
            slot = *shared = park(f);
        } else {
            slot = *shared;
            ++parked(slot).users;
        }
        m_sched.schedule(kWireDelayUs, &World::onReceive, this, static_cast<std::uint32_t>(d.peer),
                         slot);
        return;
    }
    case drivers::LinkKind::Loopback:
        m_sched.schedule(0, &World::onLoopback, this, static_cast<std::uint32_t>(dev), park(f));
        return;
    case drivers::LinkKind::Macvlan:
    case drivers::LinkKind::Ipvlan:
        slaveTransmit(dev, f);
        return;
    case drivers::LinkKind::Dummy:
        drop(d.ns, dev, f, Reason{.why = Why::DummyDevice, .ns = d.ns, .dev = dev});
        return;
    default:
        drop(d.ns, dev, f, Reason{.why = Why::NoPeer, .ns = d.ns, .dev = dev});
        return;
    }
}

void World::receive(int dev, const Frame& f) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    if (!d.up) {
        drop(d.ns, dev, f, Reason{.why = Why::DeviceDownRx, .ns = d.ns, .dev = dev});
        return;
    }
    if (!d.uppers.empty() && slaveReceive(dev, f)) {
        return;
    }
    if (d.master >= 0) {
        bridgeInput(d.master, dev, f);
    } else {
        ipReceive(dev, f);
    }
}

void World::bridgeInput(int br, int port, const Frame& f) {
    Device& b = m_dev[static_cast<std::size_t>(br)];
    const std::uint64_t src = macKey(f.srcMac);
    if ((f.srcMac[0] & 1) == 0) {
        auto& e = b.fdb[src];
        const bool fresh = e.port != port;
        if (!e.permanent) {
            e.port = port;
            e.seen = m_sched.now();
        }
        if (fresh && tracing()) {
            const Text bridge = bridgeText(br);
            const Text behind = portText(port);
            hop(b.ns, br, action::kLearn, f,
                {fmt::format("{} learns that {} is behind {}", bridge.en, model::macStr(f.srcMac),
                             behind.en),
                 fmt::format("{}学习到 {} 位于{}之后", bridge.zh, model::macStr(f.srcMac),
                             behind.zh)});
        }
    }
    if (sameMac(f.dstMac, b.mac)) {
        ipReceive(br, f);
        return;
    }
    if (isBroadcast(f.dstMac)) {
        bridgeForward(br, port, f);
        ipReceive(br, f);
        return;
    }
    if (f.ethertype == kEtherTypeIpv4 && m_ns[static_cast<std::size_t>(b.ns)].bridgeNfCall) {
        // br_netfilter: bridged IPv4 traverses iptables FORWARD with -i/-o = the bridge.
        Namespace& ns = m_ns[static_cast<std::size_t>(b.ns)];
        const FlowKey key = flowOf(f);
        const auto* ct = ns.conntrack.find(key);
        NfPacket p{br, br, &f, ct != nullptr, false};
        const NfDecision d = runChain(b.ns, false, ns.filterForward, p);
        if (d.verdict == drivers::NfVerdict::Drop) {
            drop(b.ns, br, f,
                 Reason{.why = Why::BridgeFilter, .ns = b.ns, .dev = br, .rule = d.rule,
                        .chain = d.chain, .a = f.ipSrc, .b = f.ipDst});
            return;
        }
        if (ct == nullptr) {
            Connection c;
            c.original = key;
            c.reply = reversed(key);
            ns.connections.push_back(c);
            const int idx = static_cast<int>(ns.connections.size()) - 1;
            ns.conntrack.insert(c.original, {idx, false});
            ns.conntrack.insert(c.reply, {idx, true});
            if (m_probe.active) {
                m_probe.connections.emplace_back(b.ns, idx);
            }
        }
    }
    bridgeForward(br, port, f);
}

void World::bridgeForward(int br, int inPort, const Frame& f) {
    Device& b = m_dev[static_cast<std::size_t>(br)];
    if (!isBroadcast(f.dstMac)) {
        const Device::FdbEntry* e = b.fdb.find(macKey(f.dstMac));
        if (e != nullptr &&
            (e->permanent || m_sched.now() - e->seen <= TimeUs(b.ageingSeconds) * 1'000'000)) {
            const int port = e->port;
            if (port == inPort) {
                return;  // the destination is behind the port it came from
            }
            if (tracing()) {
                const Text bridge = bridgeText(br);
                const Text behind = portText(port);
                hop(b.ns, br, action::kForward, f,
                    {fmt::format("{} knows {} is behind {} and forwards the frame there", bridge.en,
                                 model::macStr(f.dstMac), behind.en),
                     fmt::format("{}已知 {} 位于{}之后，将帧转发过去", bridge.zh,
                                 model::macStr(f.dstMac), behind.zh)});
            }
            transmit(port, f);
            return;
        }
    }
    int others = 0;
    for (int p : b.ports) {
        others += p != inPort ? 1 : 0;
    }
    if (tracing()) {
        const bool bcast = isBroadcast(f.dstMac);
        const Text bridge = bridgeText(br);
        hop(b.ns, br, action::kFlood, f,
            bcast ? Text{fmt::format("{} floods the broadcast frame to its other {} port(s)",
                                     bridge.en, others),
                         fmt::format("{}将广播帧泛洪到其他 {} 个端口", bridge.zh, others)}
                  : Text{fmt::format("{} has not learned {} yet, so it floods the frame to "
                                     "its other {} port(s)",
                                     bridge.en, model::macStr(f.dstMac), others),
                         fmt::format("{}尚未学习到 {}，因此将帧泛洪到其他 {} 个端口", bridge.zh,
                                     model::macStr(f.dstMac), others)});
    }
    std::uint32_t shared = kNoSlot;  // one parked copy for every veth port
    for (int p : b.ports) {
        if (p != inPort) {
            transmit(p, f, &shared);
        }
    }
}

// ---- ARP ------------------------------------------------------------------------

void World::arpReceive(int dev, const Frame& f) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    if (d.noArp) {
        return;  // arp_rcv drops ARP on an IFF_NOARP device
    }
    Namespace& ns = m_ns[static_cast<std::size_t>(d.ns)];
    const std::uint64_t key = (std::uint64_t(dev) << 32) | f.arpSenderIp.value();
    // arp_process: an existing entry is refreshed by any ARP from its owner; a
    // request for one of our addresses creates the sender's entry.
    Namespace::Neigh* known = ns.neigh.find(key);
    const bool forUs = isLocalAddress(d.ns, f.arpTargetIp);
    if (known == nullptr && f.arpOp == 1 && forUs) {
        known = &ns.neigh[key];
    }
    if (known != nullptr) {
        Namespace::Neigh& n = *known;
        n.mac = f.arpSenderMac;
        const bool wasPending = !n.resolved();
        n.state = Namespace::Neigh::State::Reachable;
        n.requests = 0;
        if (wasPending && tracing()) {
            hop(d.ns, dev, action::kArp, f,
                {fmt::format("{} learns {} is at {}", ns.name, ipStr(f.arpSenderIp),
                             model::macStr(f.arpSenderMac)),
                 fmt::format("{} 学习到 {} 的 MAC 地址是 {}", ns.nameZh, ipStr(f.arpSenderIp),
                             model::macStr(f.arpSenderMac))});
        }
        std::vector<Frame> pending = std::move(n.pending);
        n.pending.clear();
        for (auto& p : pending) {
            p.dstMac = f.arpSenderMac;
            transmit(dev, p);
        }
    }
    if (f.arpOp == 1 && forUs) {
        Frame r;
        r.ethertype = kEtherTypeArp;
        r.srcMac = d.mac;
        r.dstMac = f.arpSenderMac;
        r.arpOp = 2;
        r.arpSenderMac = d.mac;
        r.arpSenderIp = f.arpTargetIp;
        r.arpTargetMac = f.arpSenderMac;
        r.arpTargetIp = f.arpSenderIp;
        if (tracing()) {
            hop(d.ns, dev, action::kReply, r,
                {fmt::format("{} owns {} and answers the ARP request: {} is at {}", ns.name,
                             ipStr(f.arpTargetIp), ipStr(f.arpTargetIp), model::macStr(d.mac)),
                 fmt::format("{} 拥有 {}，回复 ARP 请求：{} 的 MAC 是 {}", ns.nameZh,
                             ipStr(f.arpTargetIp), ipStr(f.arpTargetIp), model::macStr(d.mac))});
        }
        transmit(dev, r);
    }
}

void World::neighOutput(int nsIdx, int dev, Ipv4 nextHop, Frame& f) {
    Device& d = m_dev[static_cast<std::size_t>(dev)];
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    f.srcMac = d.mac;
    if (d.kind == drivers::LinkKind::Loopback) {
        transmit(dev, f);
        return;
    }
    const std::uint64_t key = (std::uint64_t(dev) << 32) | nextHop.value();
    if (d.noArp) {
        f.dstMac = d.mac;  // IFF_NOARP: no neighbour resolution
        transmit(dev, f);
        return;
    }
    Namespace::Neigh& n = ns.neigh[key];
    if (n.resolved()) {
        f.dstMac = n.mac;
        transmit(dev, f);
        return;
    }
    n.pending.push_back(f);
    if (n.state == Namespace::Neigh::State::Incomplete) {
        return;  // a request is out; the frame waits with the others
    }
    // NONE or FAILED: a new round of requests (a failed entry is asked again
    // for the next frame, as __neigh_event_send does).
    n.state = Namespace::Neigh::State::Incomplete;
    n.requests = 1;
    m_incomplete.emplace_back(nsIdx, key);
    arpSolicit(nsIdx, dev, nextHop, f, false);
    m_sched.schedule(kArpRetransUs, [this, nsIdx, dev, nextHop] { arpTimer(nsIdx, dev, nextHop); });
}

void World::arpSolicit(int nsIdx, int dev, Ipv4 nextHop, const Frame& f, bool again) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    Frame req;
    req.ethertype = kEtherTypeArp;
    req.srcMac = d.mac;
    req.dstMac = Mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    req.arpOp = 1;
    req.arpSenderMac = d.mac;
    // arp_solicit (arp_announce=0): the waiting packet's source when it is one
    // of ours; else inet_select_addr: an address of the device on the target's
    // subnet, its first address, or any other address of the namespace.
    if (isLocalAddress(nsIdx, f.ipSrc)) {
        req.arpSenderIp = f.ipSrc;
    } else {
        req.arpSenderIp = selectAddress(nsIdx, dev, nextHop).value_or(Ipv4());
    }
    req.arpTargetIp = nextHop;
    if (tracing()) {
        hop(nsIdx, dev, action::kArp, req,
            again ? Text{fmt::format("{} got no ARP reply for {} within a second and asks again "
                                     "on {}",
                                     ns.name, ipStr(nextHop), d.name),
                         fmt::format("{} 在一秒内没有收到 {} 的 ARP 回复，于是在 {} 上再次询问",
                                     ns.nameZh, ipStr(nextHop), d.name)}
                  : Text{fmt::format("{} does not know the MAC of {} yet, so it broadcasts an "
                                     "ARP request on {}",
                                     ns.name, ipStr(nextHop), d.name),
                         fmt::format("{} 还不知道 {} 的 MAC 地址，因此在 {} 上广播 ARP 请求",
                                     ns.nameZh, ipStr(nextHop), d.name)});
    }
    transmit(dev, req);
}

void World::arpTimer(int nsIdx, int dev, Ipv4 nextHop) {
    Namespace& s = m_ns[static_cast<std::size_t>(nsIdx)];
    const std::uint64_t key = (std::uint64_t(dev) << 32) | nextHop.value();
    Namespace::Neigh* e = s.neigh.find(key);
    if (e == nullptr || e->state != Namespace::Neigh::State::Incomplete) {
        return;  // answered in time
    }
    if (e->requests < kArpRequests) {
        ++e->requests;
        const Frame waiting = e->pending.front();  // the table may grow while it is sent
        arpSolicit(nsIdx, dev, nextHop, waiting, true);
        m_sched.schedule(kArpRetransUs, [this, nsIdx, dev, nextHop] { arpTimer(nsIdx, dev, nextHop); });
        return;
    }
    // neigh_invalidate: FAILED, and each queued frame is freed with the ICMP
    // host unreachable arp_error_report sends to its source.
    e->state = Namespace::Neigh::State::Failed;
    std::vector<Frame> pending = std::move(e->pending);
    e->pending.clear();
    for (const auto& p : pending) {
        drop(nsIdx, dev, p, Reason{.why = Why::NoArpReply, .ns = nsIdx, .dev = dev, .b = nextHop});
        icmpError(nsIdx, p, icmp::kDestUnreachable, icmp::kHostUnreachable);
    }
}

}  // namespace cnmlab::sim
