// What the processes of a namespace do with a packet addressed to it: the
// kernel's ICMP echo, TCP (SYN-ACK from a listener, RST otherwise), UDP (an
// echoing listener, or ICMP port unreachable), the ICMP errors the kernel
// sends, and the probe's own socket. Docker's embedded DNS server is in
// embedded_dns.cpp, docker-proxy in docker_proxy.cpp.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

const drivers::Listener* World::findListener(const Namespace& ns, Ipv4 dst, std::uint16_t port,
                                             model::Proto proto) {
    for (const auto* l : ns.listeners) {
        if (l->port == port && l->proto == proto && (l->address == Ipv4() || l->address == dst)) {
            return l;
        }
    }
    return nullptr;
}

void World::deliverToProbe(int nsIdx, const Frame& f) {
    ProbeState& p = m_probe;
    const std::string& name = m_ns[static_cast<std::size_t>(nsIdx)].name;
    if (f.ipProto == kIpProtoTcp && (f.tcpFlags & tcp::kSyn) != 0 &&
        (f.tcpFlags & tcp::kAck) != 0 && m_proxy.active() && m_proxy.proto == kIpProtoTcp) {
        // A cnmlab listener writes its greeting as soon as it accepts, so its
        // SYN-ACK stands for the greeting (the handshake's last ACK and the
        // greeting are not sent). docker-proxy's SYN-ACK promises nothing:
        // what arrives next depends on its own connection to the container,
        // so the probe waits for bytes.
        if (tracing()) {
            hop(nsIdx, -1, action::kDeliver, f,
                {fmt::format("the probe's socket in {} is connected (to docker-proxy, which has "
                             "nothing to say yet); the probe waits for the greeting",
                             name),
                 fmt::format(
                     "{} 中探测程序的套接字已连接（对端是 docker-proxy，它此时还没有数据）；"
                     "探测程序等待问候语",
                     name)});
        }
        return;
    }
    p.done = true;
    if (f.ipProto == kIpProtoIcmp && f.icmpType == icmp::kEchoReply) {
        p.reachable = true;
    } else if (f.ipProto == kIpProtoIcmp) {
        p.reachable = false;
        if (p.reason.why == Why::None) {
            p.reason =
                Reason{.why = Why::IcmpError, .a = f.ipSrc, .type = f.icmpType, .code = f.icmpCode};
        }
    } else if (f.ipProto == kIpProtoTcp) {
        // A listener's SYN-ACK, or bytes (the greeting docker-proxy relays).
        p.reachable = ((f.tcpFlags & tcp::kSyn) != 0 && (f.tcpFlags & tcp::kAck) != 0) ||
                      ((f.tcpFlags & tcp::kRst) == 0 && f.payloadSize > 0);
        if (!p.reachable && (f.tcpFlags & tcp::kRst) == 0 && m_proxy.closed.why != Why::None) {
            p.reason = m_proxy.closed;  // connected, then closed without a byte
        } else if (!p.reachable) {
            p.reason = Reason{.why = Why::TcpReset, .a = f.ipSrc, .port = f.srcPort};
        }
    } else {
        p.reachable = true;
        if (f.dns) {
            p.dnsAnswer = *f.dns;
        }
    }
    if (p.reachable) {
        p.reason = Reason{.why = Why::Answered, .a = f.ipSrc};
    }
    if (tracing()) {
        const bool bytes = f.ipProto == kIpProtoTcp && f.payloadSize > 0;
        const bool closed =
            f.ipProto == kIpProtoTcp && !p.reachable && (f.tcpFlags & tcp::kFin) != 0;
        hop(nsIdx, -1, action::kDeliver, f,
            bytes
                ? Text{fmt::format("the probe's socket in {} reads {} bytes: the greeting arrived",
                                   name, f.payloadSize),
                       fmt::format("{} 中探测程序的套接字读到 {} 字节：问候语已到达", name,
                                   f.payloadSize)}
            : closed
                ? Text{fmt::format("the probe's socket in {} reads end of file: the connection "
                                   "was closed without a byte",
                                   name),
                       fmt::format(
                           "{} 中探测程序的套接字读到文件结束：连接在没有任何数据的情况下被关闭",
                           name)}
                : Text{fmt::format("the probe's socket in {} receives the answer", name),
                       fmt::format("{} 中探测程序的套接字收到应答", name)});
    }
}

void World::localDeliver(int nsIdx, int inDev, const Frame& f) {
    ProbeState& p = m_probe;
    if (p.active && !p.done && nsIdx == p.ns) {
        const bool mine =
            (f.ipProto == kIpProtoIcmp && f.icmpType == icmp::kEchoReply &&
             f.icmpId == p.localPort) ||
            (f.ipProto == kIpProtoIcmp && f.quoted &&
             (f.quoted->ipProto == kIpProtoIcmp ? f.quoted->icmpId : f.quoted->srcPort) ==
                 p.localPort) ||
            (f.ipProto != kIpProtoIcmp && f.ipProto == p.proto && f.dstPort == p.localPort &&
             f.ipSrc == p.peer && f.srcPort == p.peerPort);
        if (mine) {
            deliverToProbe(nsIdx, f);
            return;
        }
    }
    (void)inDev;
    switch (f.ipProto) {
    case kIpProtoIcmp:
        if (f.icmpType == icmp::kEchoRequest) {
            answerIcmpEcho(nsIdx, f);
        } else if (f.quoted && m_proxy.active()) {
            proxyIcmpError(nsIdx, f);  // an error about docker-proxy's own connection
        }
        return;
    case kIpProtoTcp:
        answerTcp(nsIdx, f);
        return;
    case kIpProtoUdp:
        answerUdp(nsIdx, f);
        return;
    default:
        return;
    }
}

void World::answerIcmpEcho(int nsIdx, const Frame& f) {
    Frame r = replyTo(f);
    r.icmpType = icmp::kEchoReply;
    r.icmpId = f.icmpId;
    r.icmpSeq = f.icmpSeq;
    r.payloadSize = f.payloadSize;
    if (tracing()) {
        const auto& name = m_ns[static_cast<std::size_t>(nsIdx)].name;
        hop(nsIdx, -1, action::kReply, f,
            {fmt::format("the kernel of {} answers the echo request with an echo reply", name),
             fmt::format("{} 的内核用 ICMP 回显应答回复回显请求", name)});
    }
    sendLocal(nsIdx, r);
}

void World::answerTcp(int nsIdx, const Frame& f) {
    if ((f.tcpFlags & tcp::kSyn) == 0 || (f.tcpFlags & tcp::kAck) != 0) {
        // Not a connection attempt: a segment of docker-proxy's connections
        // (the only ones a probe keeps open), or a stray one, ignored.
        if (m_proxy.active()) {
            proxySegment(nsIdx, f);
        }
        return;
    }
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    const drivers::Listener* l = findListener(ns, f.ipDst, f.dstPort, model::Proto::Tcp);
    if (l != nullptr && isProxy(*l)) {
        proxyAccept(nsIdx, f, *l);
        return;
    }
    if (l != nullptr && m_proxy.active() && onProxyLeg(f)) {
        m_proxy.greeter = nsIdx;  // docker-proxy's own connection: its greeting is relayed
    }
    Frame r = replyTo(f);
    r.tcpAck = f.tcpSeq + 1;
    if (l != nullptr) {
        r.tcpFlags = tcp::kSyn | tcp::kAck;
        r.tcpSeq = 1000;
        if (tracing()) {
            hop(nsIdx, -1, action::kReply, f,
                {fmt::format("{} listens on port {} in {}, so the kernel answers SYN-ACK", l->owner,
                             f.dstPort, ns.name),
                 fmt::format("{} 在 {} 中监听端口 {}，因此内核回复 SYN-ACK", l->owner, ns.nameZh,
                             f.dstPort)});
        }
    } else {
        r.tcpFlags = tcp::kRst | tcp::kAck;
        if (tracing()) {
            hop(nsIdx, -1, action::kReply, f,
                {fmt::format("nothing listens on TCP port {} in {}, so the kernel answers RST",
                             f.dstPort, ns.name),
                 fmt::format("{} 中没有进程监听 TCP 端口 {}，因此内核回复 RST", ns.nameZh,
                             f.dstPort)});
        }
    }
    sendLocal(nsIdx, r);
}

void World::answerUdp(int nsIdx, const Frame& f) {
    if (m_proxy.active() && proxyUdpAnswer(nsIdx, f)) {
        return;  // an answer on docker-proxy's own socket
    }
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    if (!ns.vxlans.empty() && Vxlan::receive(*this, nsIdx, f)) {
        return;  // a vxlan device's socket (vxlan_rcv)
    }
    if (f.dstPort == kDnsPort && f.ipDst == Ipv4(127, 0, 0, 11) && ns.hasDns && f.dns) {
        answerDns(nsIdx, f);
        return;
    }
    if (const drivers::Listener* l = findListener(ns, f.ipDst, f.dstPort, model::Proto::Udp)) {
        if (isProxy(*l)) {
            proxyDatagram(nsIdx, f, *l);
            return;
        }
        Frame r = replyTo(f);
        r.payloadSize = f.payloadSize;
        if (tracing()) {
            hop(nsIdx, -1, action::kReply, f,
                {fmt::format("a process listens on UDP port {} in {} and echoes the datagram",
                             f.dstPort, ns.name),
                 fmt::format("{} 中有进程监听 UDP 端口 {}，并回送该数据报", ns.nameZh, f.dstPort)});
        }
        sendLocal(nsIdx, r);
        return;
    }
    icmpError(nsIdx, f, icmp::kDestUnreachable, 3);
}

void World::icmpError(int nsIdx, const Frame& offending, std::uint8_t type, std::uint8_t code,
                      std::uint16_t nextHopMtu) {
    if (offending.ipProto == kIpProtoIcmp && offending.icmpType != icmp::kEchoRequest) {
        return;  // never an error about an error
    }
    Frame e;
    e.ipDst = offending.ipSrc;
    if (isLocalAddress(nsIdx, offending.ipDst)) {
        e.ipSrc = offending.ipDst;  // the address the sender tried to reach answers
    }
    e.ipProto = kIpProtoIcmp;
    e.icmpType = type;
    e.icmpCode = code;
    e.icmpSeq = nextHopMtu;
    e.quoted = std::make_shared<const Frame>(offending);
    if (tracing()) {
        const auto& name = m_ns[static_cast<std::size_t>(nsIdx)].name;
        hop(nsIdx, -1, action::kReply, offending,
            {fmt::format("{} sends an ICMP {} back to {}", name,
                         type == icmp::kTimeExceeded          ? "time exceeded"
                         : code == 3                          ? "port unreachable"
                         : code == icmp::kFragmentationNeeded ? "fragmentation needed"
                         : code == icmp::kHostUnreachable     ? "host unreachable"
                                                              : "destination unreachable",
                         offending.ipSrc.str()),
             fmt::format("{} 向 {} 发回 ICMP {}", name, offending.ipSrc.str(),
                         type == icmp::kTimeExceeded          ? "超时"
                         : code == 3                          ? "端口不可达"
                         : code == icmp::kFragmentationNeeded ? "需要分片"
                         : code == icmp::kHostUnreachable     ? "主机不可达"
                                                              : "目标不可达")});
    }
    sendLocal(nsIdx, e);
}

}  // namespace cnmlab::sim
