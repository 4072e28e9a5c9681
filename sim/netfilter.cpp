// Netfilter as iptables evaluates it: a chain's rules in order; ACCEPT and
// DROP end the table, RETURN goes back to the calling chain (or to the
// built-in chain's policy), a jump evaluates the target chain. Docker's rules
// only use the matches NfMatch models. Rules are compiled once (interface names
// to device indices, jump targets to chain indices) so a packet costs a few
// integer compares per rule.
#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

std::uint8_t protoNumber(model::Proto p) {
    switch (p) {
    case model::Proto::Tcp:
        return kIpProtoTcp;
    case model::Proto::Udp:
        return kIpProtoUdp;
    case model::Proto::Icmp:
        return kIpProtoIcmp;
    }
    return 0;
}

}  // namespace

void World::compileNetfilter() {
    for (auto& ns : m_ns) {
        auto deviceIndex = [&](const std::string& name, std::string& prefix) {
            if (name.empty()) {
                return -1;
            }
            if (name.back() == '+') {
                prefix = name.substr(0, name.size() - 1);
                return -1;
            }
            for (int d : ns.devices) {
                if (m_dev[static_cast<std::size_t>(d)].name == name) {
                    return d;
                }
            }
            return -2;
        };
        for (NfTableState* table : {&ns.filter, &ns.nat}) {
            for (auto& chain : table->chains) {
                for (auto& r : chain.rules) {
                    const drivers::NfMatch& m = r.src->match;
                    r.inDev = deviceIndex(m.inIf, r.inPrefix);
                    r.inNot = m.inIfNot;
                    r.outDev = deviceIndex(m.outIf, r.outPrefix);
                    r.outNot = m.outIfNot;
                    r.jump = r.src->verdict == drivers::NfVerdict::Jump
                                 ? table->chainIndex(r.src->target)
                                 : -1;
                }
            }
        }
        ns.filterInput = ns.filter.chainIndex("INPUT");
        ns.filterForward = ns.filter.chainIndex("FORWARD");
        ns.filterOutput = ns.filter.chainIndex("OUTPUT");
        ns.natPrerouting = ns.nat.chainIndex("PREROUTING");
        ns.natOutput = ns.nat.chainIndex("OUTPUT");
        ns.natPostrouting = ns.nat.chainIndex("POSTROUTING");
    }
}

bool World::matches(const NfCompiledRule& r, const NfPacket& p) const {
    auto iface = [&](int want, bool negate, const std::string& prefix, int have) {
        bool eq = true;
        if (!prefix.empty()) {
            eq = have >= 0 && m_dev[static_cast<std::size_t>(have)].name.compare(
                                  0, prefix.size(), prefix) == 0;
        } else if (want == -1) {
            return true;
        } else {
            eq = want == have;
        }
        return eq != negate;
    };
    if (!iface(r.inDev, r.inNot, r.inPrefix, p.inDev) ||
        !iface(r.outDev, r.outNot, r.outPrefix, p.outDev)) {
        return false;
    }
    const drivers::NfMatch& m = r.src->match;
    const Frame& f = *p.frame;
    if (m.src && m.src->contains(f.ipSrc) == m.srcNot) {
        return false;
    }
    if (m.dst && m.dst->contains(f.ipDst) == m.dstNot) {
        return false;
    }
    if (m.proto && protoNumber(*m.proto) != f.ipProto) {
        return false;
    }
    if (m.dport && (f.ipProto == kIpProtoIcmp || *m.dport != f.dstPort)) {
        return false;
    }
    if (m.ctEstablished && !p.established) {
        return false;
    }
    if (m.dstTypeLocal && !p.dstLocal) {
        return false;
    }
    return true;
}

World::NfDecision World::runChain(int nsIdx, bool natTable, int chain, const NfPacket& p) const {
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    const NfTableState& table = natTable ? ns.nat : ns.filter;
    if (chain < 0) {
        return NfDecision{};
    }
    const NfChainState& base = table.chains[static_cast<std::size_t>(chain)];
    auto policy = [&]() {
        return NfDecision{base.policyDrop ? drivers::NfVerdict::Drop : drivers::NfVerdict::Accept,
                          nullptr, &base.name};
    };
    // An explicit stack instead of recursion: (chain, next rule index).
    std::pair<int, std::size_t> stack[32];
    int depth = 0;
    stack[0] = {chain, 0};
    while (depth >= 0) {
        auto& [ci, next] = stack[depth];
        const NfChainState& c = table.chains[static_cast<std::size_t>(ci)];
        if (next >= c.rules.size()) {
            if (depth == 0) {
                return policy();
            }
            --depth;
            continue;
        }
        const NfCompiledRule& rule = c.rules[next++];
        if (!matches(rule, p)) {
            continue;
        }
        switch (rule.src->verdict) {
        case drivers::NfVerdict::Return:
            if (depth == 0) {
                return policy();
            }
            --depth;
            break;
        case drivers::NfVerdict::Jump:
            if (rule.jump >= 0 && depth + 1 < 32) {
                stack[++depth] = {rule.jump, 0};
            }
            break;
        default:
            return NfDecision{rule.src->verdict, rule.src, &c.name};
        }
    }
    return policy();
}

FlowKey World::flowOf(const Frame& f) {
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

FlowKey World::reversed(const FlowKey& k) {
    return FlowKey{k.dst, k.src, k.dport, k.sport, k.proto};
}

}  // namespace cnmlab::sim
