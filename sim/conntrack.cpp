// Connection tracking and NAT. See conntrack.hpp.
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

bool byHost(const Namespace& ns) {
    return !ns.host.empty() && ns.kind == drivers::NetnsKind::Host;
}
std::string where(const Namespace& ns) {
    return byHost(ns) ? ns.host : ns.name;
}
std::string whereZh(const Namespace& ns) {
    return byHost(ns) ? ns.host : ns.nameZh;
}

// "172.18.0.2:80", or the address alone for ICMP.
std::string endpointText(Ipv4 ip, int port, bool withPort) {
    return withPort ? fmt::format("{}:{}", ip.str(), port) : ip.str();
}

}  // namespace

FlowKey FlowKey::of(const Frame& f) {
    FlowKey k;
    k.src = f.ipSrc.value();
    k.dst = f.ipDst.value();
    k.proto = f.ipProto;
    if (f.ipProto == kIpProtoIcmp) {
        k.sport = f.icmpId;
        k.dport = f.icmpId;
    } else {
        k.sport = f.srcPort;
        k.dport = f.dstPort;
    }
    return k;
}

int ConntrackTable::add(const Connection& c) {
    connections.push_back(c);
    const int idx = static_cast<int>(connections.size()) - 1;
    flows.insert(c.original, {idx, false});
    flows.insert(c.reply, {idx, true});
    return idx;
}

// Reply direction: the source becomes the address the client spoke to (what
// the kernel does in POSTROUTING, or before local delivery).
void Conntrack::undoDnat(World& w, int nsIdx, const Ct& ct, Frame& f, int dev) {
    if (ct.conn < 0 || !ct.reply) {
        return;
    }
    const Namespace& ns = w.ns(nsIdx);
    const Connection& c = ns.conntrack.connections[static_cast<std::size_t>(ct.conn)];
    if (c.natDst) {
        const Ipv4 before = f.ipSrc;
        const int beforePort = f.srcPort;
        f.ipSrc = Ipv4(c.original.dst);
        if (f.ipProto != kIpProtoIcmp) {
            f.srcPort = c.original.dport;
        }
        if (w.tracing()) {
            const bool ports = f.ipProto != kIpProtoIcmp;
            const std::string from = endpointText(before, beforePort, ports);
            const std::string to = endpointText(f.ipSrc, f.srcPort, ports);
            w.hop(
                nsIdx, dev, action::kNat, f,
                {fmt::format("conntrack on {} undoes the DNAT of this connection for its reply: "
                             "source {} becomes {} again, the address the client asked for",
                             where(ns), from, to),
                 fmt::format("{} 上的 conntrack 为这个连接的应答撤销 DNAT：源 {} 改回 {}，即客户端"
                             "最初访问的地址",
                             whereZh(ns), from, to)});
        }
    }
}

Ct Conntrack::in(World& w, int nsIdx, Frame& f, int natChain, int dev) {
    Namespace& ns = w.ns(nsIdx);
    Ct ct;
    if (!ns.conntrack.on) {
        return ct;
    }
    FlowKey key = FlowKey::of(f);
    if (f.ipProto == kIpProtoIcmp && f.quoted) {
        key = FlowKey::of(*f.quoted).reversed();  // an ICMP error is RELATED to the flow it quotes
    }
    if (const auto* hit = ns.conntrack.flows.find(key)) {
        ct.conn = hit->first;
        ct.reply = hit->second;
        const Connection& c = ns.conntrack.connections[static_cast<std::size_t>(ct.conn)];
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
        if (changed && w.tracing() && (f.ipDst != before || f.dstPort != beforePort)) {
            const bool ports = f.ipProto != kIpProtoIcmp;
            const std::string from = endpointText(before, beforePort, ports);
            const std::string to = endpointText(f.ipDst, f.dstPort, ports);
            if (ct.reply) {
                w.hop(nsIdx, dev, action::kNat, f,
                      {fmt::format("conntrack on {} undoes the {} of this connection for its "
                                   "reply: destination {} becomes {} again, the sender behind it",
                                   where(ns), c.snat ? "SNAT" : "MASQUERADE", from, to),
                       fmt::format("{} 上的 conntrack 为这个连接的应答撤销 {}：目的 {} 改回 {}，"
                                   "即其后的发送方",
                                   whereZh(ns), c.snat ? "SNAT" : "MASQUERADE", from, to)});
            } else {
                w.hop(nsIdx, dev, action::kNat, f,
                      {fmt::format(
                           "conntrack on {} applies this connection's DNAT again: destination "
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
        const NfPacket p{dev, -1, &f, false, w.isLocalAddress(nsIdx, f.ipDst)};
        const NfDecision d = ns.nat.run(natChain, p, w.devices());
        const bool redirect = d.verdict == drivers::NfVerdict::Redirect && d.rule != nullptr;
        if ((d.verdict == drivers::NfVerdict::Dnat && d.rule != nullptr && d.rule->toAddress) ||
            redirect) {
            const Ipv4 before = f.ipDst;
            const int beforePort = f.dstPort;
            if (redirect) {
                // REDIRECT: to the incoming interface's first address (127.0.0.1
                // for the namespace's own packets), at toPort.
                const Device* in = dev >= 0 ? &w.devices()[static_cast<std::size_t>(dev)] : nullptr;
                f.ipDst = in != nullptr && !in->addresses.empty() ? in->addresses.front().address
                                                                  : Ipv4(127, 0, 0, 1);
            } else {
                f.ipDst = *d.rule->toAddress;
            }
            if (d.rule->toPort) {
                f.dstPort = static_cast<std::uint16_t>(*d.rule->toPort);
            }
            ct.pending.natDst = true;
            if (w.tracing()) {
                w.hop(nsIdx, dev, action::kNat, f,
                      {fmt::format("{} in nat {} on {}: {}:{} becomes {}:{} ({})",
                                   redirect ? "REDIRECT" : "DNAT", *d.chain, where(ns),
                                   before.str(), beforePort, f.ipDst.str(), f.dstPort, d.rule->why),
                       fmt::format("{} 上 nat {} 链执行 {}：{}:{} 改写为 {}:{}（{}）", whereZh(ns),
                                   *d.chain, redirect ? "REDIRECT" : "DNAT", before.str(),
                                   beforePort, f.ipDst.str(), f.dstPort, d.rule->whyZh)},
                      d.rule);
            }
        }
    }
    return ct;
}

void Conntrack::commit(World& w, int nsIdx, Ct& ct, const Frame& f) {
    if (ct.conn >= 0) {
        return;
    }
    Namespace& ns = w.ns(nsIdx);
    if (!ns.conntrack.on || (f.ipProto == kIpProtoIcmp && f.quoted)) {
        return;  // untracked, or an ICMP error (errors create no connection)
    }
    ct.pending.reply = FlowKey::of(f).reversed();
    ct.conn = ns.conntrack.add(ct.pending);
    if (w.probe().active) {
        w.probe().connections.emplace_back(nsIdx, ct.conn);
    }
}

void Conntrack::expireProbeFlows(World& w) {
    // Connections are appended, so the probe's are the last ones of each namespace.
    auto& mine = w.probe().connections;
    for (auto it = mine.rbegin(); it != mine.rend(); ++it) {
        ConntrackTable& t = w.ns(it->first).conntrack;
        const Connection& c = t.connections[static_cast<std::size_t>(it->second)];
        t.flows.erase(c.original);
        t.flows.erase(c.reply);
        if (static_cast<std::size_t>(it->second) + 1 == t.connections.size()) {
            t.connections.pop_back();
        }
    }
    mine.clear();
}

}  // namespace cnmlab::sim
