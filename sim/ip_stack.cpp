// IPv4 receive, forward and output with netfilter hooks and conntrack.
#include <fmt/format.h>

#include "packet/packet_codec.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

constexpr std::size_t kIpv4HeaderBytes = 20;

bool byHost(const Namespace& ns) {
    return !ns.host.empty() && ns.kind == drivers::NetnsKind::Host;
}
std::string where(const Namespace& ns) {
    return byHost(ns) ? ns.host : ns.name;
}
std::string whereZh(const Namespace& ns) {
    return byHost(ns) ? ns.host : ns.nameZh;
}

std::string routeText(const std::string& ns, Ipv4 dst, const std::string& dev, Ipv4 nextHop,
                      bool local, bool en) {
    if (local) {
        return en ? fmt::format("{} is an address of {} itself, so the packet stays local",
                                dst.str(), ns)
                  : fmt::format("{} 是 {} 自己的地址，因此数据包留在本地", dst.str(), ns);
    }
    if (nextHop == dst) {
        return en ? fmt::format("{} routes {} directly out of {} (it is on that link)", ns,
                                dst.str(), dev)
                  : fmt::format("{} 直接从 {} 发送到 {}（目标在该链路上）", ns, dev, dst.str());
    }
    return en ? fmt::format("{} routes {} via gateway {} out of {}", ns, dst.str(), nextHop.str(),
                            dev)
              : fmt::format("{} 经网关 {} 从 {} 路由到 {}", ns, nextHop.str(), dev, dst.str());
}

}  // namespace

void World::ipReceive(int dev, const Frame& fIn) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    const int nsIdx = d.ns;
    if (fIn.ethertype == kEtherTypeArp) {
        Arp::receive(*this, dev, fIn);
        return;
    }
    if (d.kind != drivers::LinkKind::Loopback && !sameMac(fIn.dstMac, d.mac) &&
        !isBroadcast(fIn.dstMac)) {
        return;  // PACKET_OTHERHOST: a flooded frame for someone else
    }
    if (tracing()) {
        hop(nsIdx, dev, action::kRx, fIn,
            {fmt::format("{} receives the packet on {}", m_ns[static_cast<std::size_t>(nsIdx)].name,
                         d.name),
             fmt::format("{} 在 {} 上收到数据包", m_ns[static_cast<std::size_t>(nsIdx)].nameZh,
                         d.name)});
    }
    Frame f = fIn;
    Ct ct =
        Conntrack::in(*this, nsIdx, f, m_ns[static_cast<std::size_t>(nsIdx)].natPrerouting, dev);
    routeOut(nsIdx, f, dev, ct);
}

void World::sendLocal(int nsIdx, Frame& f) {
    f.ipId = m_ipId++;
    if (f.ipSrc == Ipv4()) {
        if (auto src = sourceFor(nsIdx, f.ipDst)) {
            f.ipSrc = *src;
        }
    }
    localOut(nsIdx, f);
}

void World::expireProbeFlows() {
    Conntrack::expireProbeFlows(*this);
    if (m_proxy.active()) {
        m_proxy = ProxySession{};  // docker-proxy's connections end with the probe's
    }
}

void World::localOut(int nsIdx, Frame& f) {
    Ct ct = Conntrack::in(*this, nsIdx, f, m_ns[static_cast<std::size_t>(nsIdx)].natOutput, -1);
    routeOut(nsIdx, f, -1, ct);
}

// The routing decision and everything after it, for received (inDev >= 0) and
// locally generated (inDev < 0) packets.
void World::routeOut(int nsIdx, Frame& f, int inDev, Ct& ct) {
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    const bool local = isLocalAddress(nsIdx, f.ipDst);
    if (local && inDev >= 0 && f.ipProto == kIpProtoEsp) {
        xfrmInput(nsIdx, inDev, f);
        return;
    }
    if (local && inDev >= 0) {
        Conntrack::undoDnat(*this, nsIdx, ct, f, inDev);
        const NfPacket p{inDev, -1, &f, ct.conn >= 0, true};
        const NfDecision d = ns.filter.run(ns.filterInput, p, m_dev);
        if (d.verdict == drivers::NfVerdict::Drop) {
            drop(nsIdx, inDev, f,
                 Reason{.why = Why::Filter,
                        .ns = nsIdx,
                        .dev = inDev,
                        .dev2 = -1,
                        .rule = d.rule,
                        .chain = d.chain});
            return;
        }
        if (!ns.ipvs.empty() && ct.conn < 0 && ipvsInput(nsIdx, inDev, f, ct)) {
            return;
        }
        Conntrack::commit(*this, nsIdx, ct, f);
        localDeliver(nsIdx, inDev, f);
        return;
    }
    if (inDev >= 0 && !ns.ipForward) {
        drop(nsIdx, inDev, f, Reason{.why = Why::NotRouter, .ns = nsIdx, .b = f.ipDst});
        return;
    }
    int outDev = -1;
    Ipv4 nextHop = f.ipDst;
    if (local) {
        outDev = ns.devices.empty() ? -1 : ns.devices.front();
        for (int dv : ns.devices) {
            if (m_dev[static_cast<std::size_t>(dv)].kind == drivers::LinkKind::Loopback) {
                outDev = dv;
            }
        }
    } else {
        const RouteEntry* r = ns.routing.lookup(f.ipDst, m_dev);
        if (r == nullptr) {
            // The kernel's own answer (an echo reply, a SYN-ACK) with no way
            // back is lost without a word: the prober only waits.
            const bool answer = inDev < 0 && m_probe.active && nsIdx != m_probe.ns &&
                                !(m_proxy.active() && onProxyLeg(f));
            drop(
                nsIdx, inDev, f,
                Reason{.why = answer ? Why::NoRouteBack : Why::NoRoute, .ns = nsIdx, .b = f.ipDst});
            if (inDev >= 0) {
                icmpError(nsIdx, f, icmp::kDestUnreachable, 0);
            }
            return;
        }
        outDev = r->dev;
        if (r->via) {
            nextHop = *r->via;
        }
    }
    const Device& od = m_dev[static_cast<std::size_t>(outDev)];
    if (tracing()) {
        hop(nsIdx, outDev, action::kRoute, f,
            {routeText(ns.name, f.ipDst, od.name, nextHop, local, true),
             routeText(ns.nameZh, f.ipDst, od.name, nextHop, local, false)});
    }
    if (inDev >= 0) {
        if (f.ttl <= 1) {
            drop(nsIdx, inDev, f, Reason{.why = Why::TtlExpired, .ns = nsIdx});
            icmpError(nsIdx, f, icmp::kTimeExceeded, 0);
            return;
        }
        f.ttl = static_cast<std::uint8_t>(f.ttl - 1);
        const NfPacket p{inDev, outDev, &f, ct.conn >= 0, false};
        const NfDecision d = ns.filter.run(ns.filterForward, p, m_dev);
        if (d.verdict == drivers::NfVerdict::Drop) {
            drop(nsIdx, inDev, f,
                 Reason{.why = Why::Filter,
                        .ns = nsIdx,
                        .dev = inDev,
                        .dev2 = outDev,
                        .rule = d.rule,
                        .chain = d.chain});
            return;
        }
    } else {
        const NfPacket p{-1, outDev, &f, ct.conn >= 0, local};
        const NfDecision d = ns.filter.run(ns.filterOutput, p, m_dev);
        if (d.verdict == drivers::NfVerdict::Drop) {
            drop(nsIdx, outDev, f,
                 Reason{.why = Why::Filter,
                        .ns = nsIdx,
                        .dev = -1,
                        .dev2 = outDev,
                        .rule = d.rule,
                        .chain = d.chain});
            return;
        }
    }
    Conntrack::undoDnat(*this, nsIdx, ct, f, outDev);
    if (ct.conn < 0 && !local && ns.natPostrouting >= 0) {
        const NfPacket p{inDev, outDev, &f, false, false};
        const NfDecision d = ns.nat.run(ns.natPostrouting, p, m_dev);
        if (d.verdict == drivers::NfVerdict::Masquerade && !od.addresses.empty()) {
            const Ipv4 before = f.ipSrc;
            f.ipSrc = od.addresses.front().address;
            ct.pending.natSrc = true;
            if (tracing()) {
                hop(nsIdx, outDev, action::kNat, f,
                    {fmt::format("MASQUERADE in nat POSTROUTING on {}: source {} becomes {}, the "
                                 "address of {} ({})",
                                 where(ns), before.str(), f.ipSrc.str(), od.name,
                                 d.rule ? d.rule->why : ""),
                     fmt::format(
                         "{} 上 nat POSTROUTING 链执行 MASQUERADE：源地址 {} 改写为 {} 的地址 "
                         "{}（{}）",
                         whereZh(ns), before.str(), od.name, f.ipSrc.str(),
                         d.rule ? d.rule->whyZh : "")},
                    d.rule);
            }
        } else if (d.verdict == drivers::NfVerdict::Snat && d.rule != nullptr &&
                   d.rule->toAddress) {
            const Ipv4 before = f.ipSrc;
            f.ipSrc = *d.rule->toAddress;
            ct.pending.natSrc = true;
            ct.pending.snat = true;
            if (tracing()) {
                hop(nsIdx, outDev, action::kNat, f,
                    {fmt::format("SNAT in nat POSTROUTING on {}: source {} becomes {} ({})",
                                 where(ns), before.str(), f.ipSrc.str(), d.rule->why),
                     fmt::format("{} 上 nat POSTROUTING 链执行 SNAT：源地址 {} 改写为 {}（{}）",
                                 whereZh(ns), before.str(), f.ipSrc.str(), d.rule->whyZh)},
                    d.rule);
            }
        }
    }
    Conntrack::commit(*this, nsIdx, ct, f);
    if (local) {
        // Locally generated and locally addressed: through lo.
        m_sched.schedule(0, &World::onLocalDeliver, this, static_cast<std::uint32_t>(outDev),
                         park(f));
        return;
    }
    if (inDev < 0 && !ns.xfrmPolicies.empty() && !xfrmOutput(nsIdx, outDev, f)) {
        return;
    }
    if (!fitsMtu(nsIdx, inDev, outDev, f)) {
        return;
    }
    Arp::output(*this, nsIdx, outDev, nextHop, f);
}

// ip_finish_output's check against the egress device's MTU (ip_fragment).
// Fragments are not modelled as packets of their own: a packet without DF
// goes on whole (its receiver would reassemble it), and the trace says how it
// is cut; with DF it is dropped, and a forwarded one's sender gets ICMP
// fragmentation needed.
bool World::fitsMtu(int nsIdx, int inDev, int outDev, const Frame& f) {
    const Device& od = m_dev[static_cast<std::size_t>(outDev)];
    if (f.ethertype != kEtherTypeIpv4 || od.mtu <= 0) {
        return true;
    }
    const std::size_t size = ipv4Size(f);
    const auto mtu = static_cast<std::size_t>(od.mtu);
    if (size <= mtu) {
        return true;
    }
    const std::string& nsName = m_ns[static_cast<std::size_t>(nsIdx)].name;
    if (!f.dontFragment) {
        if (tracing() && mtu > kIpv4HeaderBytes) {
            const std::size_t per = (mtu - kIpv4HeaderBytes) & ~std::size_t{7};
            const std::size_t n = (size - kIpv4HeaderBytes + per - 1) / per;
            hop(nsIdx, outDev, action::kFragment, f,
                {fmt::format("the packet ({} bytes) is bigger than the MTU {} of {} and DF is "
                             "clear, so {} cuts it into {} fragments (the receiver reassembles "
                             "them; the simulation carries the packet whole)",
                             size, mtu, od.name, nsName, n),
                 fmt::format("数据包（{} 字节）大于 {} 的 MTU {}，且未设置 DF，因此 {} 把它分成 {} "
                             "个分片（由接收方重组；模拟中数据包整体传送）",
                             size, od.name, mtu, m_ns[static_cast<std::size_t>(nsIdx)].nameZh, n)});
        }
        return true;
    }
    drop(nsIdx, outDev, f,
         Reason{.why = Why::FragmentationNeeded,
                .ns = nsIdx,
                .dev = outDev,
                .port = static_cast<std::uint16_t>(size),
                .code = static_cast<std::uint8_t>(inDev >= 0 ? 1 : 0),
                .value = static_cast<std::uint32_t>(mtu)});
    if (inDev >= 0) {
        icmpError(nsIdx, f, icmp::kDestUnreachable, icmp::kFragmentationNeeded,
                  static_cast<std::uint16_t>(mtu));
    }
    return false;
}

}  // namespace cnmlab::sim
