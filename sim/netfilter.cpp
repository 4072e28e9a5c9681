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

std::uint8_t ruleReads(const NfCompiledRule& r) {
    const drivers::NfMatch& m = r.src->match;
    std::uint8_t reads = 0;
    if (!m.inIf.empty() || !m.outIf.empty()) {
        reads |= nffield::kInterfaces;
    }
    if (m.src || m.dst) {
        reads |= nffield::kAddresses;
    }
    if (m.proto || m.dport) {
        reads |= nffield::kProtoPort;
    }
    if (m.ctEstablished) {
        reads |= nffield::kConntrack;
    }
    if (m.dstTypeLocal) {
        reads |= nffield::kLocal;
    }
    return reads;
}

// What each chain reads, with the chains it jumps to (a fixpoint: chains may
// jump in any order).
void computeReads(NfTableState& table) {
    for (auto& c : table.chains) {
        c.reads = 0;
        for (const auto& r : c.rules) {
            c.reads |= ruleReads(r);
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& c : table.chains) {
            for (const auto& r : c.rules) {
                if (r.jump >= 0) {
                    const std::uint8_t merged =
                        c.reads | table.chains[static_cast<std::size_t>(r.jump)].reads;
                    changed = changed || merged != c.reads;
                    c.reads = merged;
                }
            }
        }
    }
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
        for (NfTableState* table : {&ns.filter, &ns.nat}) {
            computeReads(*table);
        }
        auto needsConntrack = [](const NfTableState& t) {
            for (const auto& c : t.chains) {
                for (const auto& r : c.rules) {
                    if (r.src->match.ctEstablished) {
                        return true;
                    }
                }
            }
            return false;
        };
        ns.conntrackOn = !ns.nat.chains.empty() || needsConntrack(ns.filter);
        ns.filterInput = ns.filter.chainIndex("INPUT");
        ns.filterForward = ns.filter.chainIndex("FORWARD");
        ns.filterOutput = ns.filter.chainIndex("OUTPUT");
        ns.natPrerouting = ns.nat.chainIndex("PREROUTING");
        ns.natOutput = ns.nat.chainIndex("OUTPUT");
        ns.natPostrouting = ns.nat.chainIndex("POSTROUTING");
    }
}

// The part of a match that depends only on the memo key (interfaces,
// conntrack state, address type).
bool World::matchesKeyed(const NfCompiledRule& r, const NfPacket& p) const {
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
    if (m.ctEstablished && !p.established) {
        return false;
    }
    if (m.dstTypeLocal && !p.dstLocal) {
        return false;
    }
    return true;
}

// The rest: addresses, protocol and port.
bool World::matchesPacket(const NfCompiledRule& r, const NfPacket& p) {
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
    return true;
}

namespace {

constexpr std::uint8_t kKeyed = nffield::kInterfaces | nffield::kConntrack | nffield::kLocal;

}  // namespace

// The chain's rules as far as the packet's key decides them (see KeyedChain),
// built on the first packet with that key.
const NfTableState::KeyedChain& World::keyedChain(const NfTableState& t, int ci,
                                                  const NfPacket& p, int depth) const {
    const std::uint64_t key = (std::uint64_t(static_cast<std::uint32_t>(ci)) << 44) |
                              (std::uint64_t(static_cast<std::uint32_t>(p.inDev + 2) & 0xfffff) << 24) |
                              (std::uint64_t(static_cast<std::uint32_t>(p.outDev + 2) & 0xfffff) << 4) |
                              (p.established ? 2u : 0u) | (p.dstLocal ? 1u : 0u);
    if (const NfTableState::KeyedChain* const* known = t.keyedIndex.find(key)) {
        return **known;
    }
    const NfChainState& c = t.chains[static_cast<std::size_t>(ci)];
    NfTableState::KeyedChain out;
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
        const NfCompiledRule& rule = c.rules[i];
        if (!matchesKeyed(rule, p)) {
            continue;
        }
        const drivers::NfVerdict v = rule.src->verdict;
        if ((ruleReads(rule) & ~kKeyed) != 0) {
            out.rules.push_back(static_cast<std::uint32_t>(i));  // compared per packet
            continue;
        }
        if (v == drivers::NfVerdict::Return) {
            break;  // tail: the chain returns
        }
        if (v == drivers::NfVerdict::Jump) {
            if (rule.jump < 0 || depth >= 32) {
                continue;
            }
            const NfChainState& target = t.chains[static_cast<std::size_t>(rule.jump)];
            if ((target.reads & ~kKeyed) != 0) {
                out.rules.push_back(static_cast<std::uint32_t>(i));  // decided per packet
                continue;
            }
            const NfTableState::Outcome sub = evalChain(t, rule.jump, p, depth + 1);
            if (sub.rule != nullptr) {
                out.tail = sub;
                break;
            }
            continue;  // the target returned for every packet of this key
        }
        out.tail = NfTableState::Outcome{rule.src, c.planName};
        break;
    }
    const NfTableState::KeyedChain& stored = t.keyed.emplace_back(std::move(out));
    t.keyedIndex[key] = &stored;
    return stored;
}

NfTableState::Outcome World::evalChain(const NfTableState& t, int ci, const NfPacket& p,
                                       int depth) const {
    const NfTableState::KeyedChain& k = keyedChain(t, ci, p, depth);
    const NfChainState& c = t.chains[static_cast<std::size_t>(ci)];
    for (const std::uint32_t i : k.rules) {
        const NfCompiledRule& rule = c.rules[i];
        if (!matchesPacket(rule, p)) {
            continue;
        }
        const drivers::NfVerdict v = rule.src->verdict;
        if (v == drivers::NfVerdict::Return) {
            return {};
        }
        if (v == drivers::NfVerdict::Jump) {
            if (rule.jump >= 0 && depth < 32) {
                const NfTableState::Outcome sub = evalChain(t, rule.jump, p, depth + 1);
                if (sub.rule != nullptr) {
                    return sub;
                }
            }
            continue;
        }
        return NfTableState::Outcome{rule.src, c.planName};
    }
    return k.tail;
}

World::NfDecision World::runChain(int nsIdx, bool natTable, int chain, const NfPacket& p) const {
    if (chain < 0) {
        return NfDecision{};
    }
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    const NfTableState& table = natTable ? ns.nat : ns.filter;
    const NfTableState::Outcome o = evalChain(table, chain, p, 0);
    if (o.rule != nullptr) {
        return NfDecision{o.rule->verdict, o.rule, o.chain};
    }
    const NfChainState& base = table.chains[static_cast<std::size_t>(chain)];
    return NfDecision{base.policyDrop ? drivers::NfVerdict::Drop : drivers::NfVerdict::Accept,
                      nullptr, base.planName};
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
