// Netfilter as iptables evaluates it: a chain's rules in order; ACCEPT and
// DROP end the table, RETURN goes back to the calling chain (or to the
// built-in chain's policy), a jump evaluates the target chain. Docker's rules
// only use the matches NfMatch models.
#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

bool ifaceMatch(const std::string& want, bool negate, const std::string& have) {
    if (want.empty()) {
        return true;
    }
    bool eq = false;
    if (!want.empty() && want.back() == '+') {  // iptables wildcard: veth+
        eq = have.compare(0, want.size() - 1, want, 0, want.size() - 1) == 0;
    } else {
        eq = want == have;
    }
    return eq != negate;
}

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

bool World::matches(const drivers::NfMatch& m, const NfPacket& p) {
    const Frame& f = *p.frame;
    if (!ifaceMatch(m.inIf, m.inIfNot, p.inIf) || !ifaceMatch(m.outIf, m.outIfNot, p.outIf)) {
        return false;
    }
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

World::NfDecision World::runChain(int nsIdx, bool natTable, const std::string& chain,
                                  const NfPacket& p) const {
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    const auto& table = natTable ? ns.nat : ns.filter;
    // An explicit stack instead of recursion: (chain, next rule index).
    struct Frame_ {
        const NfChainState* chain;
        const std::string* name;
        std::size_t next;
    };
    auto it = table.find(chain);
    if (it == table.end()) {
        return NfDecision{drivers::NfVerdict::Accept, nullptr, chain};
    }
    std::vector<Frame_> stack{{&it->second, &it->first, 0}};
    while (!stack.empty() && stack.size() < 64) {
        Frame_& top = stack.back();
        if (top.next >= top.chain->rules.size()) {
            if (stack.size() == 1) {
                const bool drop = top.chain->policy == "DROP";
                return NfDecision{drop ? drivers::NfVerdict::Drop : drivers::NfVerdict::Accept,
                                  nullptr, *top.name};
            }
            stack.pop_back();
            continue;
        }
        const drivers::NfRule* rule = top.chain->rules[top.next++];
        if (!matches(rule->match, p)) {
            continue;
        }
        switch (rule->verdict) {
        case drivers::NfVerdict::Return:
            if (stack.size() == 1) {
                const bool drop = top.chain->policy == "DROP";
                return NfDecision{drop ? drivers::NfVerdict::Drop : drivers::NfVerdict::Accept,
                                  nullptr, *top.name};
            }
            stack.pop_back();
            break;
        case drivers::NfVerdict::Jump: {
            auto target = table.find(rule->target);
            if (target != table.end()) {
                stack.push_back(Frame_{&target->second, &target->first, 0});
            }
            break;
        }
        default:
            return NfDecision{rule->verdict, rule, rule->chain};
        }
    }
    return NfDecision{drivers::NfVerdict::Accept, nullptr, chain};
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
