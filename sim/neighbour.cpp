// The neighbour table and ARP (net/ipv4/arp.c, net/core/neighbour.c). See neighbour.hpp.
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

std::string ipStr(Ipv4 ip) {
    return ip.str();
}

}  // namespace

void Arp::forgetIncomplete(World& w) {
    // Entries still asking when the run stopped lose their timers with it:
    // they are forgotten, so the next frame for them asks anew.
    auto& incomplete = w.incompleteNeighbours();
    for (const auto& [ns, key] : incomplete) {
        if (Neighbour* n = w.ns(ns).neighbours.find(key);
            n != nullptr && n->state == Neighbour::State::Incomplete) {
            n->state = Neighbour::State::None;
            n->pending.clear();
        }
    }
    incomplete.clear();
}

void Arp::receive(World& w, int dev, const Frame& f) {
    const Device& d = w.device(dev);
    if (d.noArp) {
        return;  // arp_rcv drops ARP on an IFF_NOARP device
    }
    Namespace& ns = w.ns(d.ns);
    const std::uint64_t key = NeighbourTable::key(dev, f.arpSenderIp);
    // arp_process: an existing entry is refreshed by any ARP from its owner; a
    // request for one of our addresses creates the sender's entry.
    Neighbour* known = ns.neighbours.find(key);
    const bool forUs = w.isLocalAddress(d.ns, f.arpTargetIp);
    if (known == nullptr && f.arpOp == 1 && forUs) {
        known = &ns.neighbours[key];
    }
    if (known != nullptr) {
        Neighbour& n = *known;
        n.mac = f.arpSenderMac;
        const bool wasPending = !n.resolved();
        n.state = Neighbour::State::Reachable;
        n.requests = 0;
        if (wasPending && w.tracing()) {
            w.hop(d.ns, dev, action::kArp, f,
                  {fmt::format("{} learns {} is at {}", ns.name, ipStr(f.arpSenderIp),
                               model::macStr(f.arpSenderMac)),
                   fmt::format("{} 学习到 {} 的 MAC 地址是 {}", ns.nameZh, ipStr(f.arpSenderIp),
                               model::macStr(f.arpSenderMac))});
        }
        std::vector<Frame> pending = std::move(n.pending);
        n.pending.clear();
        for (auto& p : pending) {
            p.dstMac = f.arpSenderMac;
            w.transmit(dev, p);
        }
    }
    // arp_process with proxy_arp: a request for an address this namespace
    // routes out of another device is answered with this device's MAC.
    bool proxied = false;
    if (f.arpOp == 1 && !forUs && d.proxyArp) {
        const RouteEntry* rt = ns.routing.lookup(f.arpTargetIp, w.devices());
        proxied = rt != nullptr && rt->dev != dev;
    }
    if (f.arpOp == 1 && (forUs || proxied)) {
        if (proxied && known == nullptr) {
            Neighbour& n = ns.neighbours[key];
            n.mac = f.arpSenderMac;
            n.state = Neighbour::State::Reachable;
        }
        Frame r;
        r.ethertype = kEtherTypeArp;
        r.srcMac = d.mac;
        r.dstMac = f.arpSenderMac;
        r.arpOp = 2;
        r.arpSenderMac = d.mac;
        r.arpSenderIp = f.arpTargetIp;
        r.arpTargetMac = f.arpSenderMac;
        r.arpTargetIp = f.arpSenderIp;
        if (w.tracing() && proxied) {
            w.hop(
                d.ns, dev, action::kReply, r,
                {fmt::format("{} does not own {}, but {} has proxy_arp on and the namespace "
                             "routes {} out of another device, so it answers for it: {} is at "
                             "{} (its own MAC)",
                             ns.name, ipStr(f.arpTargetIp), d.name, ipStr(f.arpTargetIp),
                             ipStr(f.arpTargetIp), model::macStr(d.mac)),
                 fmt::format("{} 并不拥有 {}，但 {} 开启了 proxy_arp，且该命名空间经由另一设备路由 "
                             "{}，所以它代为应答：{} 的 MAC 是 {}（它自己的 MAC）",
                             ns.nameZh, ipStr(f.arpTargetIp), d.name, ipStr(f.arpTargetIp),
                             ipStr(f.arpTargetIp), model::macStr(d.mac))});
        } else if (w.tracing()) {
            w.hop(d.ns, dev, action::kReply, r,
                  {fmt::format("{} owns {} and answers the ARP request: {} is at {}", ns.name,
                               ipStr(f.arpTargetIp), ipStr(f.arpTargetIp), model::macStr(d.mac)),
                   fmt::format("{} 拥有 {}，回复 ARP 请求：{} 的 MAC 是 {}", ns.nameZh,
                               ipStr(f.arpTargetIp), ipStr(f.arpTargetIp), model::macStr(d.mac))});
        }
        w.transmit(dev, r);
    }
}

void Arp::output(World& w, int nsIdx, int dev, Ipv4 nextHop, Frame& f) {
    Device& d = w.device(dev);
    Namespace& ns = w.ns(nsIdx);
    f.srcMac = d.mac;
    if (d.kind == drivers::LinkKind::Loopback) {
        w.transmit(dev, f);
        return;
    }
    const std::uint64_t key = NeighbourTable::key(dev, nextHop);
    if (d.noArp) {
        f.dstMac = d.mac;  // IFF_NOARP: no neighbour resolution
        w.transmit(dev, f);
        return;
    }
    Neighbour& n = ns.neighbours[key];
    if (n.resolved()) {
        f.dstMac = n.mac;
        w.transmit(dev, f);
        return;
    }
    n.pending.push_back(f);
    if (n.state == Neighbour::State::Incomplete) {
        return;  // a request is out; the frame waits with the others
    }
    // NONE or FAILED: a new round of requests (a failed entry is asked again
    // for the next frame, as __neigh_event_send does).
    n.state = Neighbour::State::Incomplete;
    n.requests = 1;
    w.incompleteNeighbours().emplace_back(nsIdx, key);
    solicit(w, nsIdx, dev, nextHop, f, false);
    w.scheduler().schedule(kArpRetransUs,
                           [&w, nsIdx, dev, nextHop] { timer(w, nsIdx, dev, nextHop); });
}

void Arp::solicit(World& w, int nsIdx, int dev, Ipv4 nextHop, const Frame& f, bool again) {
    const Device& d = w.device(dev);
    const Namespace& ns = w.ns(nsIdx);
    Frame req;
    req.ethertype = kEtherTypeArp;
    req.srcMac = d.mac;
    req.dstMac = Mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    req.arpOp = 1;
    req.arpSenderMac = d.mac;
    // arp_solicit (arp_announce=0): the waiting packet's source when it is one
    // of ours; else inet_select_addr: an address of the device on the target's
    // subnet, its first address, or any other address of the namespace.
    if (w.isLocalAddress(nsIdx, f.ipSrc)) {
        req.arpSenderIp = f.ipSrc;
    } else {
        req.arpSenderIp = w.selectAddress(nsIdx, dev, nextHop).value_or(Ipv4());
    }
    req.arpTargetIp = nextHop;
    if (w.tracing()) {
        w.hop(nsIdx, dev, action::kArp, req,
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
    w.transmit(dev, req);
}

void Arp::timer(World& w, int nsIdx, int dev, Ipv4 nextHop) {
    Namespace& s = w.ns(nsIdx);
    const std::uint64_t key = NeighbourTable::key(dev, nextHop);
    Neighbour* e = s.neighbours.find(key);
    if (e == nullptr || e->state != Neighbour::State::Incomplete) {
        return;  // answered in time
    }
    if (e->requests < kArpRequests) {
        ++e->requests;
        const Frame waiting = e->pending.front();  // the table may grow while it is sent
        solicit(w, nsIdx, dev, nextHop, waiting, true);
        w.scheduler().schedule(kArpRetransUs,
                               [&w, nsIdx, dev, nextHop] { timer(w, nsIdx, dev, nextHop); });
        return;
    }
    // neigh_invalidate: FAILED, and each queued frame is freed with the ICMP
    // host unreachable arp_error_report sends to its source.
    e->state = Neighbour::State::Failed;
    std::vector<Frame> pending = std::move(e->pending);
    e->pending.clear();
    for (const auto& p : pending) {
        w.drop(nsIdx, dev, p,
               Reason{.why = Why::NoArpReply, .ns = nsIdx, .dev = dev, .b = nextHop});
        w.icmpError(nsIdx, p, icmp::kDestUnreachable, icmp::kHostUnreachable);
    }
}

}  // namespace cnmlab::sim
