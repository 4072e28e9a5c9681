// Netfilter tables: compiling the Plan's rules and evaluating chains. See netfilter.hpp.
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
    if (m.proto || m.dport || m.vxlanVni || !m.ipsecPolicy.empty() || m.protoNumber || m.sport ||
        m.srcTypeLocal || m.ipvs) {
        reads |= nffield::kProtoPort;  // compared per packet
    }
    if (m.ctEstablished || !m.ctState.empty()) {
        reads |= nffield::kConntrack;
    }
    if (m.dstTypeLocal) {
        reads |= nffield::kLocal;
    }
    return reads;
}

// What each chain reads, with the chains it jumps to (a fixpoint: chains may
// jump in any order).
void computeReadsOf(NfTableState& table) {
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

NfChainState& NfTableState::chainNamed(const std::string& name) {
    auto [it, fresh] = index.emplace(name, static_cast<int>(chains.size()));
    if (fresh) {
        NfChainState c;
        c.name = name;
        c.planName = &name;
        chains.push_back(std::move(c));
    }
    return chains[static_cast<std::size_t>(it->second)];
}

void NfTableState::compile(const std::vector<int>& nsDevices, const std::vector<Device>& devices) {
    auto deviceIndex = [&](const std::string& name, std::string& prefix) {
        if (name.empty()) {
            return -1;
        }
        if (name.back() == '+') {
            prefix = name.substr(0, name.size() - 1);
            return -1;
        }
        for (int d : nsDevices) {
            if (devices[static_cast<std::size_t>(d)].name == name) {
                return d;
            }
        }
        return -2;
    };
    for (auto& chain : chains) {
        for (auto& r : chain.rules) {
            const drivers::NfMatch& m = r.src->match;
            r.inDev = deviceIndex(m.inIf, r.inPrefix);
            r.inNot = m.inIfNot;
            r.outDev = deviceIndex(m.outIf, r.outPrefix);
            r.outNot = m.outIfNot;
            r.jump = r.src->verdict == drivers::NfVerdict::Jump ? chainIndex(r.src->target) : -1;
        }
    }
    computeReads();
}

void NfTableState::computeReads() {
    computeReadsOf(*this);
}

bool NfTableState::readsConntrack() const {
    for (const auto& c : chains) {
        for (const auto& r : c.rules) {
            if (r.src->match.ctEstablished || !r.src->match.ctState.empty()) {
                return true;
            }
        }
    }
    return false;
}

namespace {

// The part of a match that depends only on the memo key (interfaces,
// conntrack state, address type).
bool matchesKeyed(const NfCompiledRule& r, const NfPacket& p, const std::vector<Device>& devices) {
    auto iface = [&](int want, bool negate, const std::string& prefix, int have) {
        bool eq = true;
        if (!prefix.empty()) {
            eq = have >= 0 && devices[static_cast<std::size_t>(have)].name.compare(0, prefix.size(),
                                                                                   prefix) == 0;
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
    // NEW,ESTABLISHED takes every tracked packet; the lists without NEW only
    // a connection's later packets and replies.
    if (!m.ctState.empty() && m.ctState.find("NEW") == std::string::npos && !p.established) {
        return false;
    }
    if (m.dstTypeLocal && !p.dstLocal) {
        return false;
    }
    return true;
}

// The rest: addresses, protocol and port.
bool matchesPacket(const NfCompiledRule& r, const NfPacket& p) {
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
    if (m.sport && (f.ipProto == kIpProtoIcmp || *m.sport != f.srcPort)) {
        return false;
    }
    if (m.protoNumber && *m.protoNumber != f.ipProto) {
        return false;
    }
    if (m.srcTypeLocal && p.inDev >= 0) {
        return false;  // a forwarded packet's source is not the namespace's own
    }
    if (m.ipvs && !f.viaIpvs) {
        return false;
    }
    if (m.vxlanVni && (f.ipProto != kIpProtoUdp || !f.inner || f.vni != *m.vxlanVni)) {
        return false;
    }
    if (!m.ipsecPolicy.empty() && (m.ipsecPolicy == "ipsec") != f.viaIpsec) {
        return false;
    }
    return true;
}

constexpr std::uint8_t kKeyed = nffield::kInterfaces | nffield::kConntrack | nffield::kLocal;

}  // namespace

// The chain's rules as far as the packet's key decides them (see KeyedChain),
// built on the first packet with that key.
const NfTableState::KeyedChain& NfTableState::keyed(int ci, const NfPacket& p,
                                                    const std::vector<Device>& devices,
                                                    int depth) const {
    const std::uint64_t key =
        (std::uint64_t(static_cast<std::uint32_t>(ci)) << 44) |
        (std::uint64_t(static_cast<std::uint32_t>(p.inDev + 2) & 0xfffff) << 24) |
        (std::uint64_t(static_cast<std::uint32_t>(p.outDev + 2) & 0xfffff) << 4) |
        (p.established ? 2u : 0u) | (p.dstLocal ? 1u : 0u);
    if (const KeyedChain* const* known = m_keyedIndex.find(key)) {
        return **known;
    }
    const NfChainState& c = chains[static_cast<std::size_t>(ci)];
    KeyedChain out;
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
        const NfCompiledRule& rule = c.rules[i];
        if (!matchesKeyed(rule, p, devices)) {
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
            const NfChainState& target = chains[static_cast<std::size_t>(rule.jump)];
            if ((target.reads & ~kKeyed) != 0) {
                out.rules.push_back(static_cast<std::uint32_t>(i));  // decided per packet
                continue;
            }
            const Outcome sub = eval(rule.jump, p, devices, depth + 1);
            if (sub.rule != nullptr) {
                out.tail = sub;
                break;
            }
            continue;  // the target returned for every packet of this key
        }
        out.tail = Outcome{rule.src, c.planName};
        break;
    }
    const KeyedChain& stored = m_keyed.emplace_back(std::move(out));
    m_keyedIndex[key] = &stored;
    return stored;
}

NfTableState::Outcome NfTableState::eval(int ci, const NfPacket& p,
                                         const std::vector<Device>& devices, int depth) const {
    const KeyedChain& k = keyed(ci, p, devices, depth);
    const NfChainState& c = chains[static_cast<std::size_t>(ci)];
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
                const Outcome sub = eval(rule.jump, p, devices, depth + 1);
                if (sub.rule != nullptr) {
                    return sub;
                }
            }
            continue;
        }
        return Outcome{rule.src, c.planName};
    }
    return k.tail;
}

NfDecision NfTableState::run(int chain, const NfPacket& p,
                             const std::vector<Device>& devices) const {
    if (chain < 0) {
        return NfDecision{};
    }
    const Outcome o = eval(chain, p, devices, 0);
    if (o.rule != nullptr) {
        return NfDecision{o.rule->verdict, o.rule, o.chain};
    }
    const NfChainState& base = chains[static_cast<std::size_t>(chain)];
    return NfDecision{base.policyDrop ? drivers::NfVerdict::Drop : drivers::NfVerdict::Accept,
                      nullptr, base.planName};
}

}  // namespace cnmlab::sim
