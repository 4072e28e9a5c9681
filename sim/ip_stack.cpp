// IPv4 receive, forward and output with netfilter hooks and conntrack.
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

bool byHost(const Namespace& ns) { return !ns.host.empty() && ns.kind == drivers::NetnsKind::Host; }
std::string where(const Namespace& ns) { return byHost(ns) ? ns.host : ns.name; }
std::string whereZh(const Namespace& ns) { return byHost(ns) ? ns.host : ns.nameZh; }

// "172.18.0.2:80", or the address alone for ICMP.
std::string endpointText(Ipv4 ip, int port, bool withPort) {
    return withPort ? fmt::format("{}:{}", ip.str(), port) : ip.str();
}

std::string routeText(const std::string& ns, Ipv4 dst, const std::string& dev, Ipv4 nextHop,
                      bool local, bool en) {
    if (local) {
        return en ? fmt::format("{} is an address of {} itself, so the packet stays local", dst.str(), ns)
                  : fmt::format("{} 是 {} 自己的地址，因此数据包留在本地", dst.str(), ns);
    }
    if (nextHop == dst) {
        return en ? fmt::format("{} routes {} directly out of {} (it is on that link)", ns, dst.str(), dev)
                  : fmt::format("{} 直接从 {} 发送到 {}（目标在该链路上）", ns, dev, dst.str());
    }
    return en ? fmt::format("{} routes {} via gateway {} out of {}", ns, dst.str(), nextHop.str(), dev)
              : fmt::format("{} 经网关 {} 从 {} 路由到 {}", ns, nextHop.str(), dev, dst.str());
}

}  // namespace

// Reply direction: the source becomes the address the client spoke to (what
// the kernel does in POSTROUTING, or before local delivery).
void World::undoDnat(int nsIdx, const Ct& ct, Frame& f, int dev) {
    if (ct.conn < 0 || !ct.reply) {
        return;
    }
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    const Connection& c = ns.connections[static_cast<std::size_t>(ct.conn)];
    if (c.natDst) {
        const Ipv4 before = f.ipSrc;
        const int beforePort = f.srcPort;
        f.ipSrc = Ipv4(c.original.dst);
        if (f.ipProto != kIpProtoIcmp) {
            f.srcPort = c.original.dport;
        }
        if (tracing()) {
            const bool ports = f.ipProto != kIpProtoIcmp;
            const std::string from = endpointText(before, beforePort, ports);
            const std::string to = endpointText(f.ipSrc, f.srcPort, ports);
            hop(nsIdx, dev, action::kNat, f,
                {fmt::format("conntrack on {} undoes the DNAT of this connection for its reply: "
                             "source {} becomes {} again, the address the client asked for",
                             where(ns), from, to),
                 fmt::format("{} 上的 conntrack 为这个连接的应答撤销 DNAT：源 {} 改回 {}，即客户端"
                             "最初访问的地址",
                             whereZh(ns), from, to)});
        }
    }
}

// Looks the packet up in conntrack; a reply undoes MASQUERADE now (its DNAT is
// undone on output); a new flow runs the nat chain (PREROUTING or OUTPUT).
World::Ct World::conntrackIn(int nsIdx, Frame& f, int natChain, int dev) {
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    Ct ct;
    if (!ns.conntrackOn) {
        return ct;
    }
    FlowKey key = flowOf(f);
    if (f.ipProto == kIpProtoIcmp && f.quoted) {
        key = reversed(flowOf(*f.quoted));  // an ICMP error is RELATED to the flow it quotes
    }
    if (const auto* hit = ns.conntrack.find(key)) {
        ct.conn = hit->first;
        ct.reply = hit->second;
        const Connection& c = ns.connections[static_cast<std::size_t>(ct.conn)];
        const Ipv4 before = f.ipDst;
        const int beforePort = f.dstPort;
        bool changed = false;
        if (ct.reply && c.natSrc) {
            f.ipDst = Ipv4(c.original.src);
            if (f.ipProto != kIpProtoIcmp || f.quoted) {
                f.dstPort = c.original.sport;
            }
            changed = true;
        } else if (!ct.reply && c.natDst) {
            f.ipDst = Ipv4(c.reply.src);
            f.dstPort = c.reply.sport;
            changed = true;
        }
        if (changed && tracing() && (f.ipDst != before || f.dstPort != beforePort)) {
            const bool ports = f.ipProto != kIpProtoIcmp;
            const std::string from = endpointText(before, beforePort, ports);
            const std::string to = endpointText(f.ipDst, f.dstPort, ports);
            if (ct.reply) {
                hop(nsIdx, dev, action::kNat, f,
                    {fmt::format("conntrack on {} undoes the MASQUERADE of this connection for its "
                                 "reply: destination {} becomes {} again, the sender behind it",
                                 where(ns), from, to),
                     fmt::format("{} 上的 conntrack 为这个连接的应答撤销 MASQUERADE：目的 {} 改回 {}，"
                                 "即其后的发送方",
                                 whereZh(ns), from, to)});
            } else {
                hop(nsIdx, dev, action::kNat, f,
                    {fmt::format("conntrack on {} applies this connection's DNAT again: destination "
                                 "{} becomes {}",
                                 where(ns), from, to),
                     fmt::format("{} 上的 conntrack 对这个连接再次执行 DNAT：目的 {} 改写为 {}",
                                 whereZh(ns), from, to)});
            }
        }
        return ct;
    }
    ct.pending.original = key;
    if (natChain >= 0) {
        NfPacket p{dev, -1, &f, false, isLocalAddress(nsIdx, f.ipDst)};
        const NfDecision d = runChain(nsIdx, true, natChain, p);
        if (d.verdict == drivers::NfVerdict::Dnat && d.rule != nullptr && d.rule->toAddress) {
            const Ipv4 before = f.ipDst;
            const int beforePort = f.dstPort;
            f.ipDst = *d.rule->toAddress;
            if (d.rule->toPort) {
                f.dstPort = static_cast<std::uint16_t>(*d.rule->toPort);
            }
            ct.pending.natDst = true;
            if (tracing()) {
                hop(nsIdx, dev, action::kNat, f,
                    {fmt::format("DNAT in nat {} on {}: {}:{} becomes {}:{} ({})", *d.chain,
                                 where(ns), before.str(), beforePort, f.ipDst.str(), f.dstPort,
                                 d.rule->why),
                     fmt::format("{} 上 nat {} 链执行 DNAT：{}:{} 改写为 {}:{}（{}）", whereZh(ns),
                                 *d.chain, before.str(), beforePort, f.ipDst.str(), f.dstPort,
                                 d.rule->whyZh)},
                    d.rule);
            }
        }
    }
    return ct;
}

void World::conntrackCommit(int nsIdx, Ct& ct, const Frame& f) {
    if (ct.conn >= 0) {
        return;
    }
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    if (!ns.conntrackOn || (f.ipProto == kIpProtoIcmp && f.quoted)) {
        return;  // untracked, or an ICMP error (errors create no connection)
    }
    const FlowKey now = flowOf(f);
    ct.pending.reply = reversed(now);
    ns.connections.push_back(ct.pending);
    ct.conn = static_cast<int>(ns.connections.size()) - 1;
    ns.conntrack.insert(ct.pending.original, {ct.conn, false});
    ns.conntrack.insert(ct.pending.reply, {ct.conn, true});
    if (m_probe.active) {
        m_probe.connections.emplace_back(nsIdx, ct.conn);
    }
}

void World::expireProbeFlows() {
    // Connections are appended, so the probe's are the last ones of each namespace.
    for (auto it = m_probe.connections.rbegin(); it != m_probe.connections.rend(); ++it) {
        Namespace& ns = m_ns[static_cast<std::size_t>(it->first)];
        const Connection& c = ns.connections[static_cast<std::size_t>(it->second)];
        ns.conntrack.erase(c.original);
        ns.conntrack.erase(c.reply);
        if (static_cast<std::size_t>(it->second) + 1 == ns.connections.size()) {
            ns.connections.pop_back();
        }
    }
    m_probe.connections.clear();
    if (m_proxy.active()) {
        m_proxy = ProxySession{};  // docker-proxy's connections end with the probe's
    }
}

void World::ipReceive(int dev, const Frame& fIn) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    const int nsIdx = d.ns;
    if (fIn.ethertype == kEtherTypeArp) {
        arpReceive(dev, fIn);
        return;
    }
    if (d.kind != drivers::LinkKind::Loopback && !sameMac(fIn.dstMac, d.mac) && !isBroadcast(fIn.dstMac)) {
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
    Ct ct = conntrackIn(nsIdx, f, m_ns[static_cast<std::size_t>(nsIdx)].natPrerouting, dev);
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

void World::localOut(int nsIdx, Frame& f) {
    Ct ct = conntrackIn(nsIdx, f, m_ns[static_cast<std::size_t>(nsIdx)].natOutput, -1);
    routeOut(nsIdx, f, -1, ct);
}

// The routing decision and everything after it, for received (inDev >= 0) and
// locally generated (inDev < 0) packets.
void World::routeOut(int nsIdx, Frame& f, int inDev, Ct& ct) {
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    const bool local = isLocalAddress(nsIdx, f.ipDst);
    if (local && inDev >= 0) {
        undoDnat(nsIdx, ct, f, inDev);
        NfPacket p{inDev, -1, &f, ct.conn >= 0, true};
        const NfDecision d = runChain(nsIdx, false, ns.filterInput, p);
        if (d.verdict == drivers::NfVerdict::Drop) {
            drop(nsIdx, inDev, f,
                 Reason{.why = Why::Filter, .ns = nsIdx, .dev = inDev, .dev2 = -1, .rule = d.rule,
                        .chain = d.chain});
            return;
        }
        conntrackCommit(nsIdx, ct, f);
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
        const RouteEntry* r = lookupRoute(nsIdx, f.ipDst);
        if (r == nullptr) {
            drop(nsIdx, inDev, f, Reason{.why = Why::NoRoute, .ns = nsIdx, .b = f.ipDst});
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
        NfPacket p{inDev, outDev, &f, ct.conn >= 0, false};
        const NfDecision d = runChain(nsIdx, false, ns.filterForward, p);
        if (d.verdict == drivers::NfVerdict::Drop) {
            drop(nsIdx, inDev, f,
                 Reason{.why = Why::Filter, .ns = nsIdx, .dev = inDev, .dev2 = outDev,
                        .rule = d.rule, .chain = d.chain});
            return;
        }
    } else {
        NfPacket p{-1, outDev, &f, ct.conn >= 0, local};
        const NfDecision d = runChain(nsIdx, false, ns.filterOutput, p);
        if (d.verdict == drivers::NfVerdict::Drop) {
            drop(nsIdx, outDev, f,
                 Reason{.why = Why::Filter, .ns = nsIdx, .dev = -1, .dev2 = outDev, .rule = d.rule,
                        .chain = d.chain});
            return;
        }
    }
    undoDnat(nsIdx, ct, f, outDev);
    if (ct.conn < 0 && !local && ns.natPostrouting >= 0) {
        NfPacket p{inDev, outDev, &f, false, false};
        const NfDecision d = runChain(nsIdx, true, ns.natPostrouting, p);
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
                     fmt::format("{} 上 nat POSTROUTING 链执行 MASQUERADE：源地址 {} 改写为 {} 的地址 "
                                 "{}（{}）",
                                 whereZh(ns), before.str(), od.name, f.ipSrc.str(),
                                 d.rule ? d.rule->whyZh : "")},
                    d.rule);
            }
        }
    }
    conntrackCommit(nsIdx, ct, f);
    if (local) {
        // Locally generated and locally addressed: through lo.
        m_sched.schedule(0, &World::onLocalDeliver, this, static_cast<std::uint32_t>(outDev),
                         park(f));
        return;
    }
    neighOutput(nsIdx, outDev, nextHop, f);
}

}  // namespace cnmlab::sim
