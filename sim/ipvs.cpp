// IPVS as swarm services use it (net/netfilter/ipvs; libnetwork
// service_linux.go): virtual services keyed by firewall mark in a
// load-balancer or ingress sandbox, the round-robin scheduler, masquerading
// (NAT) forwarding. A connection's first packet is scheduled at LOCAL_IN,
// where the mark from mangle PREROUTING or INPUT names the service; its
// destination becomes the real server's address (the port stays), and the
// packet leaves again through routing and nat POSTROUTING, where Docker's
// `-m ipvs --ipvs ... -j SNAT` gives it the sandbox's own address. With
// net.ipv4.vs.conntrack=1 the connection is a conntrack entry: its later
// packets go to the same real server and replies are translated back (the
// client sees the VIP or published port it asked for).
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

int World::ipvsMark(int nsIdx, int inDev, const Frame& f) const {
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    int mark = -1;
    const NfPacket p{inDev, -1, &f, false, true};
    // In iptables a later MARK overrides an earlier one: INPUT after PREROUTING.
    for (const int chain : {ns.manglePrerouting, ns.mangleInput}) {
        if (chain < 0) {
            continue;
        }
        const NfDecision d = ns.mangle.run(chain, p, m_dev);
        if (d.verdict == drivers::NfVerdict::Mark && d.rule != nullptr && d.rule->setMark) {
            mark = static_cast<int>(*d.rule->setMark);
        }
    }
    return mark;
}

bool World::ipvsInput(int nsIdx, int inDev, Frame& f, Ct& ct) {
    if ((f.ipProto != kIpProtoTcp && f.ipProto != kIpProtoUdp) || f.quoted) {
        return false;  // IPVS balances TCP and UDP; ping is answered by the VIP's owner
    }
    const int mark = ipvsMark(nsIdx, inDev, f);
    if (mark < 0) {
        return false;
    }
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    Namespace::VirtualService* vs = nullptr;
    for (auto& v : ns.ipvs) {
        if (v.plan->fwmark == static_cast<std::uint32_t>(mark)) {
            vs = &v;
        }
    }
    if (vs == nullptr || vs->plan->reals.empty()) {
        return false;
    }
    const std::size_t n = vs->plan->reals.size();
    const std::size_t pick = vs->next % n;
    vs->next = pick + 1;
    m_ipvsMoved = true;
    const Ipv4 before = f.ipDst;
    f.ipDst = vs->plan->reals[pick];
    f.viaIpvs = true;
    ct.pending.natDst = true;
    if (tracing()) {
        const std::string& task = vs->plan->realNames.at(pick);
        const std::string order =
            n == 1 ? std::string("its only real server")
                   : fmt::format("real server {} of {}, the next in round robin", pick + 1, n);
        const std::string orderZh =
            n == 1 ? std::string("唯一的真实服务器")
                   : fmt::format("{} 个真实服务器中的第 {} 个，轮询的下一个", n, pick + 1);
        hop(nsIdx, inDev, action::kBalance, f,
            {fmt::format("IPVS in {} (fwmark {}, round robin) sends this connection for {}:{} "
                         "to {} ({}), {}: the destination becomes {}:{}",
                         ns.name, mark, before.str(), f.dstPort, task, f.ipDst.str(), order,
                         f.ipDst.str(), f.dstPort),
             fmt::format("{} 中的 IPVS（fwmark {}，轮询）把这个发往 {}:{} 的连接交给 {}（{}），"
                         "{}：目的地址改写为 {}:{}",
                         ns.nameZh, mark, before.str(), f.dstPort, task, f.ipDst.str(), orderZh,
                         f.ipDst.str(), f.dstPort)});
    }
    routeOut(nsIdx, f, -1, ct);
    return true;
}

void World::resetIpvs() {
    if (!m_ipvsMoved) {
        return;
    }
    m_ipvsMoved = false;
    for (const int i : m_ipvsNs) {
        for (auto& v : m_ns[static_cast<std::size_t>(i)].ipvs) {
            v.next = 0;
        }
    }
}

}  // namespace cnmlab::sim
