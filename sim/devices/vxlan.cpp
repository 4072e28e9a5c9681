// VXLAN transmit, ARP proxy and receive (drivers/net/vxlan/vxlan_core.c:
// vxlan_xmit, arp_reduce, vxlan_xmit_one, vxlan_rcv). See vxlan.hpp.
#include <algorithm>

#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

constexpr std::uint32_t kPortMin = 32768;  // net.ipv4.ip_local_port_range
constexpr std::uint32_t kPortMax = 60999;
constexpr std::size_t kInnerPoolMax = 64;

std::uint32_t mix32(std::uint32_t h) {  // murmur3's finaliser
    h ^= h >> 16;
    h *= 0x85ebca6bU;
    h ^= h >> 13;
    h *= 0xc2b2ae35U;
    h ^= h >> 16;
    return h;
}

std::uint32_t macHalf(const Mac& m) {
    return (std::uint32_t{m[2]} << 24) | (std::uint32_t{m[3]} << 16) | (std::uint32_t{m[4]} << 8) |
           m[5];
}

}  // namespace

std::uint16_t Vxlan::sourcePort(const Frame& f) {
    std::uint32_t hash = 0;
    if (f.ethertype == kEtherTypeIpv4) {
        // The flow dissector's keys, ordered so both directions hash alike.
        std::uint32_t a = f.ipSrc.value();
        std::uint32_t b = f.ipDst.value();
        std::uint32_t pa = f.srcPort;
        std::uint32_t pb = f.dstPort;
        if (f.ipProto == kIpProtoIcmp) {
            pa = pb = f.icmpId;
        }
        if (a > b || (a == b && pa > pb)) {
            std::swap(a, b);
            std::swap(pa, pb);
        }
        hash = mix32(mix32(mix32(a) ^ b) ^ ((pa << 16) | pb) ^ f.ipProto);
    } else {
        // No flow keys: the Ethernet addresses (udp_flow_src_port's use_eth).
        hash = mix32(mix32(macHalf(f.dstMac)) ^ macHalf(f.srcMac) ^ f.ethertype);
    }
    hash ^= hash << 16;
    return static_cast<std::uint16_t>(((std::uint64_t{hash} * (kPortMax - kPortMin)) >> 32) +
                                      kPortMin);
}

std::shared_ptr<const Frame> Vxlan::keep(const Frame& inner) {
    for (auto& p : innerPool) {
        if (p.use_count() == 1) {  // no outer frame holds it any more
            *p = inner;
            return p;
        }
    }
    if (innerPool.size() >= kInnerPoolMax) {
        return std::make_shared<const Frame>(inner);
    }
    innerPool.push_back(std::make_shared<Frame>(inner));
    return innerPool.back();
}

namespace {

// The Docker host whose address is `vtep` ("" when none is).
std::string hostOfVtep(const World& w, Ipv4 vtep) {
    for (std::size_t i = 0; i < w.namespaceCount(); ++i) {
        const Namespace& ns = w.ns(static_cast<int>(i));
        if (ns.kind == drivers::NetnsKind::Host && !ns.host.empty() &&
            w.isLocalAddress(static_cast<int>(i), vtep)) {
            return ns.host;
        }
    }
    return {};
}

}  // namespace

// The control plane's part, shown as a step of its own: the entries the
// answer rests on were written by Docker's network DB (peerdb.go peerAdd)
// when the endpoint joined on its host, before any packet.
void Vxlan::explainPeer(World& w, int dev, const Frame& f, Ipv4 ip, const Mac& mac) {
    const Device& d = w.device(dev);
    if (w.ns(d.ns).kind != drivers::NetnsKind::Overlay) {
        return;  // a plugin's device: its own control plane says what programmed it
    }
    const Vxlan& self = *d.as<Vxlan>();
    const Remote* r = self.fdb.find(macKey(mac));
    if (r == nullptr || !r->permanent) {
        return;  // learned from the wire, not programmed
    }
    const std::string host = hostOfVtep(w, r->vtep);
    const std::string where = host.empty() ? r->vtep.str() : host;
    const Namespace& ns = w.ns(d.ns);
    const std::string m = model::macStr(mac);
    w.hop(
        d.ns, dev, action::kNetworkDb, f,
        {fmt::format("Docker's network DB: when the endpoint {} ({}) joined this overlay on {}, "
                     "the gossip told every host with the network, and peerAdd wrote two "
                     "permanent entries in {}: the neighbour {} lladdr {} on {}, and the FDB "
                     "entry {} dst {} (VNI {}); no flooding or learning finds it",
                     ip.str(), m, where, ns.name, ip.str(), m, d.name, m, r->vtep.str(), self.vni),
         fmt::format("Docker 网络数据库：端点 {}（{}）在 {} 上加入该 overlay 时，gossip "
                     "通知了所有拥有该网络的主机，peerAdd 在 {} 中写入了两条永久表项：{} 上的"
                     "邻居 {} lladdr {}，以及 FDB 表项 {} dst {}（VNI {}）；无需泛洪或学习",
                     ip.str(), m, where, ns.nameZh, d.name, ip.str(), m, m, r->vtep.str(),
                     self.vni)});
}

void Vxlan::arpReduce(World& w, int dev, const Frame& f) {
    const Device& d = w.device(dev);
    if (f.arpOp != 1) {
        return;  // consumed: only requests are answered, and ARP never leaves
    }
    Namespace& ns = w.ns(d.ns);
    const Neighbour* n = ns.neighbours.find(NeighbourTable::key(dev, f.arpTargetIp));
    if (n == nullptr || !n->resolved()) {
        w.drop(d.ns, dev, f,
               Reason{.why = Why::VxlanArpMiss, .ns = d.ns, .dev = dev, .b = f.arpTargetIp});
        return;
    }
    Frame r;
    r.ethertype = kEtherTypeArp;
    r.srcMac = n->mac;
    r.dstMac = f.arpSenderMac;
    r.arpOp = 2;
    r.arpSenderMac = n->mac;
    r.arpSenderIp = f.arpTargetIp;
    r.arpTargetMac = f.arpSenderMac;
    r.arpTargetIp = f.arpSenderIp;
    if (w.tracing()) {
        explainPeer(w, dev, f, f.arpTargetIp, n->mac);
        const std::string ip = f.arpTargetIp.str();
        const std::string mac = model::macStr(n->mac);
        w.hop(d.ns, dev, action::kReply, r,
              {fmt::format("{} in {} answers the ARP request itself (proxy): its neighbour entry "
                           "says {} is at {}, so nothing crosses to another host",
                           d.name, ns.name, ip, mac),
               fmt::format("{} 中的 {} 自己回复 ARP 请求（代理）：它的邻居表项表明 {} 的 MAC 是 "
                           "{}，因此不会有任何帧发往其他主机",
                           ns.nameZh, d.name, ip, mac)});
    }
    w.deliverLater(dev, r);  // netif_rx: the bridge gets the answer as from the port
}

void Vxlan::transmit(World& w, int dev, const Frame& f, std::uint32_t* /*shared*/) {
    Device& d = w.device(dev);
    Vxlan& self = *d.as<Vxlan>();
    if (self.proxy && f.ethertype == kEtherTypeArp) {
        arpReduce(w, dev, f);
        return;
    }
    const Remote* r = nullptr;
    if (!isBroadcast(f.dstMac) && (f.dstMac[0] & 1) == 0) {
        r = self.fdb.find(macKey(f.dstMac));
        if (r != nullptr && !r->permanent &&
            w.scheduler().now() - r->seen > TimeUs(self.ageingSeconds) * 1'000'000) {
            r = nullptr;  // aged out
        }
    }
    if (r == nullptr && self.flood.empty()) {
        r = self.fdb.find(0);  // the all-zeros default entry
    }
    if ((r == nullptr && self.flood.empty()) || self.linkNs < 0) {
        const Ipv4 to = f.ethertype == kEtherTypeArp ? f.arpTargetIp : f.ipDst;
        w.drop(d.ns, dev, f, Reason{.why = Why::VxlanNoFdb, .ns = d.ns, .dev = dev, .b = to});
        return;
    }
    if (r != nullptr) {
        self.wrap(w, dev, f, r->vtep);
        return;
    }
    for (const Ipv4 vtep : std::vector<Ipv4>(self.flood)) {  // the list may not change mid-loop
        self.wrap(w, dev, f, vtep);
    }
}

void Vxlan::wrap(World& w, int dev, const Frame& f, Ipv4 vtepAddr) {
    const Device& d = w.device(dev);
    Frame outer;
    outer.ethertype = kEtherTypeIpv4;
    outer.ipDst = vtepAddr;
    outer.ipProto = kIpProtoUdp;
    outer.ttl = 64;              // ttl auto: ip_default_ttl
    outer.dontFragment = false;  // df unset
    outer.srcPort = sourcePort(f);
    outer.dstPort = dstPort;
    outer.vni = vni;
    outer.inner = keep(f);
    if (w.tracing()) {
        const Namespace& here = w.ns(d.ns);
        const Namespace& link = w.ns(linkNs);
        const std::string& host = link.host.empty() ? link.name : link.host;
        const std::string vtep = vtepAddr.str();
        w.hop(d.ns, dev, action::kEncap, f,
              {fmt::format("{} in {} wraps the frame for VTEP {}, VNI {}: {} sends it as a UDP "
                           "packet to port {}",
                           d.name, here.name, vtep, vni, host, dstPort),
               fmt::format("{} 中的 {} 将帧封装后发往 VTEP {}（VNI {}）：{} 把它作为 UDP 数据包"
                           "发往端口 {}",
                           here.nameZh, d.name, vtep, vni, host, dstPort)});
    }
    w.sendLocal(linkNs, outer);
}

bool Vxlan::receive(World& w, int nsIdx, const Frame& f) {
    const Namespace& ns = w.ns(nsIdx);
    int to = -1;
    bool bound = false;
    for (int d : ns.vxlans) {
        const Vxlan& v = *w.device(d).as<Vxlan>();
        if (v.dstPort != f.dstPort) {
            continue;
        }
        bound = true;
        if (f.inner && v.vni == f.vni) {
            to = d;
            break;
        }
    }
    if (!bound) {
        return false;
    }
    if (to < 0) {
        w.drop(nsIdx, -1, f,
               Reason{.why = Why::VxlanUnknownVni,
                      .ns = nsIdx,
                      .a = f.ipSrc,
                      .port = f.dstPort,
                      .value = f.inner ? f.vni : 0});
        return true;
    }
    Device& d = w.device(to);
    Vxlan& self = *d.as<Vxlan>();
    const Frame& inner = *f.inner;
    if (sameMac(inner.srcMac, d.mac)) {
        return true;  // vxlan_set_mac: our own frame looped back
    }
    if (w.tracing()) {
        const Namespace& there = w.ns(d.ns);
        const std::string& host = ns.host.empty() ? ns.name : ns.host;
        w.hop(d.ns, to, action::kDecap, inner,
              {fmt::format("{} unwraps the VXLAN packet from VTEP {} (VNI {}): {} in {} receives "
                           "the inner frame",
                           host, f.ipSrc.str(), f.vni, d.name, there.name),
               fmt::format("{} 解开来自 VTEP {} 的 VXLAN 数据包（VNI {}）：{} 中的 {} 收到内层帧",
                           host, f.ipSrc.str(), f.vni, there.nameZh, d.name)});
    }
    if (self.learning && (inner.srcMac[0] & 1) == 0) {
        auto [e, fresh] = self.fdb.tryEmplace(macKey(inner.srcMac));
        if (!e->permanent) {
            const bool moved = fresh || e->vtep != f.ipSrc;
            e->vtep = f.ipSrc;
            e->seen = w.scheduler().now();
            if (moved && w.tracing()) {
                const std::string mac = model::macStr(inner.srcMac);
                w.hop(
                    d.ns, to, action::kLearn, inner,
                    {fmt::format("{} learns that {} is behind VTEP {}", d.name, mac, f.ipSrc.str()),
                     fmt::format("{} 学习到 {} 位于 VTEP {} 之后", d.name, mac, f.ipSrc.str())});
            }
        }
    }
    w.deliverLater(to, inner);  // gro_cells_receive: the device's rx, then its bridge
    return true;
}

}  // namespace cnmlab::sim
