// IPsec in the simulated kernel, as far as Docker's encrypted overlays use
// it: ESP in transport mode between two hosts (xfrm4_output / xfrm4_rcv).
// Output: after POSTROUTING a local packet meets the output policies; the
// mark comes from mangle OUTPUT (Docker's MARK rule per VNI). A matching
// policy sends it through the SA its template names (the same destination
// and SPI): ESP with the next sequence number, the datagram sealed (the codec
// encrypts for real with the SA's key). No such SA: dropped, as the kernel
// counts XfrmOutNoStates. Input: an ESP packet for this host is opened by the
// SA with its destination and SPI, and the datagram inside goes through the
// stack again marked as having come through IPsec (its secpath), which
// `-m policy --pol ipsec` sees.
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

Namespace::Sa* findSa(Namespace& ns, Ipv4 dst, std::uint32_t spi) {
    for (auto& sa : ns.xfrmStates) {
        if (sa.plan->dst == dst && sa.plan->spi == spi) {
            return &sa;
        }
    }
    return nullptr;
}

std::string where(const Namespace& ns) {
    return !ns.host.empty() && ns.kind == drivers::NetnsKind::Host ? ns.host : ns.name;
}

}  // namespace

bool World::xfrmOutput(int nsIdx, int outDev, Frame& f) {
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    std::uint32_t mark = 0;
    if (ns.mangleOutput >= 0) {
        const NfPacket p{-1, outDev, &f, false, false};
        const NfDecision d = ns.mangle.run(ns.mangleOutput, p, m_dev);
        if (d.verdict == drivers::NfVerdict::Mark && d.rule != nullptr && d.rule->setMark) {
            mark = *d.rule->setMark;
        }
    }
    for (const drivers::XfrmPolicy* pol : ns.xfrmPolicies) {
        const bool proto = pol->proto == model::Proto::Udp   ? f.ipProto == kIpProtoUdp
                           : pol->proto == model::Proto::Tcp ? f.ipProto == kIpProtoTcp
                                                             : f.ipProto == kIpProtoIcmp;
        if (!proto || f.dstPort != pol->dport || !pol->src.contains(f.ipSrc) ||
            !pol->dst.contains(f.ipDst) || (mark & pol->markMask) != pol->mark) {
            continue;
        }
        Namespace::Sa* sa = findSa(ns, pol->tmplDst, pol->spi);
        if (sa == nullptr) {
            drop(nsIdx, outDev, f,
                 Reason{.why = Why::XfrmOutNoState,
                        .ns = nsIdx,
                        .dev = outDev,
                        .a = f.ipSrc,
                        .b = pol->tmplDst,
                        .value = pol->spi});
            return false;
        }
        Frame esp;
        esp.dstMac = f.dstMac;
        esp.srcMac = f.srcMac;
        esp.ipSrc = f.ipSrc;
        esp.ipDst = f.ipDst;
        esp.ttl = f.ttl;
        esp.ipId = f.ipId;
        esp.dontFragment = f.dontFragment;
        esp.ipProto = kIpProtoEsp;
        esp.espSpi = sa->plan->spi;
        esp.espSeq = ++sa->seq;
        esp.esp = std::make_shared<const Frame>(f);
        esp.espKey = sa->key;
        if (tracing()) {
            hop(nsIdx, outDev, action::kEncrypt, esp,
                {fmt::format("the IPsec policy for VXLAN marked 0x{:x} from {} to {} sends it "
                             "through the security association with SPI 0x{:08x}: ESP in "
                             "transport mode, rfc4106(gcm(aes)); the UDP datagram (and the frame "
                             "inside it) is encrypted, only the IPv4 and ESP headers show",
                             mark, f.ipSrc.str(), f.ipDst.str(), esp.espSpi),
                 fmt::format("标记为 0x{:x}、从 {} 到 {} 的 VXLAN 数据包匹配 IPsec 策略，经 SPI "
                             "0x{:08x} 的安全关联发送：传输模式 ESP，rfc4106(gcm(aes))；UDP "
                             "数据报（及其中的帧）被加密，只露出 IPv4 和 ESP 头部",
                             mark, f.ipSrc.str(), f.ipDst.str(), esp.espSpi)});
        }
        f = std::move(esp);
        return true;
    }
    return true;
}

void World::xfrmInput(int nsIdx, int inDev, const Frame& f) {
    Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    Namespace::Sa* sa = findSa(ns, f.ipDst, f.espSpi);
    if (sa == nullptr || !f.esp) {
        drop(nsIdx, inDev, f,
             Reason{.why = Why::XfrmInNoState,
                    .ns = nsIdx,
                    .dev = inDev,
                    .a = f.ipSrc,
                    .b = f.ipDst,
                    .value = f.espSpi});
        return;
    }
    Frame plain = *f.esp;
    plain.dstMac = f.dstMac;
    plain.srcMac = f.srcMac;
    plain.ttl = f.ttl;
    plain.viaIpsec = true;
    if (tracing()) {
        hop(nsIdx, inDev, action::kDecrypt, plain,
            {fmt::format("{} opens the ESP packet from {} with the security association of SPI "
                         "0x{:08x}; the UDP datagram inside goes on through the stack, marked as "
                         "having come through IPsec",
                         where(ns), f.ipSrc.str(), f.espSpi),
             fmt::format("{} 用 SPI 0x{:08x} 的安全关联解开来自 {} 的 ESP 数据包；其中的 UDP "
                         "数据报继续经过协议栈，并带有“经 IPsec 解密”的标记",
                         where(ns), f.espSpi, f.ipSrc.str())});
    }
    Ct ct = Conntrack::in(*this, nsIdx, plain, ns.natPrerouting, inDev);
    routeOut(nsIdx, plain, inDev, ct);
}

Text World::explainXfrm(const Reason& r) const {
    const std::string at = where(m_ns[static_cast<std::size_t>(r.ns)]);
    if (r.why == Why::XfrmOutNoState) {
        return {fmt::format("{}'s IPsec policy says VXLAN from {} to {} must go through the "
                            "security association with SPI 0x{:08x}, and {} has no such SA, so "
                            "the kernel drops the packet (XfrmOutNoStates; Docker could not "
                            "install it: a kernel without ESP or AES-GCM)",
                            at, r.a.str(), r.b.str(), r.value, at),
                fmt::format("{} 的 IPsec 策略要求从 {} 到 {} 的 VXLAN 经 SPI 0x{:08x} 的安全关联"
                            "发送，但 {} 没有该安全关联，因此内核丢弃数据包（XfrmOutNoStates；"
                            "Docker 未能安装它：内核缺少 ESP 或 AES-GCM）",
                            at, r.a.str(), r.b.str(), r.value, at)};
    }
    return {fmt::format("{} got an ESP packet from {} for SPI 0x{:08x}, and has no security "
                        "association for it, so the kernel drops it (XfrmInNoStates)",
                        at, r.a.str(), r.value),
            fmt::format("{} 收到来自 {} 的 ESP 数据包（SPI 0x{:08x}），但没有对应的安全关联，"
                        "因此内核将其丢弃（XfrmInNoStates）",
                        at, r.a.str(), r.value)};
}

}  // namespace cnmlab::sim
