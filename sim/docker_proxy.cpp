// docker-proxy as Docker 20.10 runs it (libnetwork cmd/proxy; dockerd's
// default --userland-proxy=true): one process per published port, in the host
// namespace, listening on the host's side of the port. The host's iptables
// rules send it what they do not DNAT: connections to 127.0.0.1 from the host
// itself, and hairpin traffic from a container on the container's own bridge.
//
// TCP (tcp_proxy.go): the kernel answers the client's SYN and Go's Accept
// returns at once; docker-proxy then dials the container from the host — a
// fresh ephemeral port, the source address the host's routing picks (the
// bridge's gateway) — so that SYN crosses the host's nat OUTPUT, filter OUTPUT,
// nat POSTROUTING and the bridge like any local packet, and copies bytes both
// ways. When the dial fails (a RST, an ICMP error — a neighbour that never
// answered sends one — or no route) it closes the client's connection without a byte (clientLoop:
// client.Close()); when the container drops the SYN, the client waits until
// the kernel gives the SYN up (about 2 minutes).
// As for a probe's own connection, the handshakes' last ACKs are not sent and
// a listener's SYN-ACK stands for the greeting it writes at once: with the
// matches netfilter has here, an ACK or a data segment passes wherever the
// SYN or SYN-ACK of the same flow passed. What the client reads (the relayed
// greeting, or end of file) is sent as a segment of its own.
// UDP (udp_proxy.go): each datagram is sent on from a socket docker-proxy
// keeps per client (connTrackTable, 90 s), answers are written back from the
// listening socket, and ECONNREFUSED on its own socket is ignored.
//
// What a client sees in each case is pinned against a recording of real
// Docker (tests/conformance/proxy). These paths run only for probes that reach
// docker-proxy; the matrix's other probes pay one flag test.
#include <fmt/format.h>

#include "drivers/plan_text.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

std::string endpoint(Ipv4 ip, std::uint16_t port) {
    return fmt::format("{}:{}", ip.str(), port);
}

// The Plan's command line of the proxy, without the shell's "&".
std::string commandLine(const drivers::Listener& l) {
    std::string c = drivers::equivalent(l);
    if (c.size() > 2 && c.compare(c.size() - 2, 2, " &") == 0) {
        c.resize(c.size() - 2);
    }
    return c;
}

}  // namespace

Text World::proxyName() const {
    const Namespace& ns = m_ns[static_cast<std::size_t>(m_proxy.ns)];
    const std::string& where = ns.host.empty() ? ns.name : ns.host;
    return {fmt::format("docker-proxy on {}", where), fmt::format("{} 上的 docker-proxy", where)};
}

void World::proxySend(Frame& f) {
    sendLocal(m_proxy.ns, f);
}

bool World::onProxyLeg(const Frame& f) const {
    const ProxySession& s = m_proxy;
    if (s.localPort == 0 || f.ethertype != kEtherTypeIpv4) {
        return false;
    }
    const Frame& g = f.ipProto == kIpProtoIcmp && f.quoted ? *f.quoted : f;
    if (g.ipProto != s.proto) {
        return false;
    }
    return (g.ipSrc == s.local && g.srcPort == s.localPort && g.ipDst == s.backend &&
            g.dstPort == s.backendPort) ||
           (g.ipSrc == s.backend && g.srcPort == s.backendPort && g.ipDst == s.local &&
            g.dstPort == s.localPort);
}

void World::proxyAccept(int nsIdx, const Frame& syn, const drivers::Listener& l) {
    m_proxy = ProxySession{};
    ProxySession& s = m_proxy;
    s.state = ProxySession::State::Dialing;
    s.ns = nsIdx;
    s.listener = &l;
    s.proto = kIpProtoTcp;
    s.client = syn.ipSrc;
    s.clientPort = syn.srcPort;
    s.front = syn.ipDst;
    s.frontPort = syn.dstPort;
    s.backend = *l.forwardTo;
    s.backendPort = static_cast<std::uint16_t>(*l.forwardPort);
    Frame r = replyTo(syn);
    r.tcpFlags = tcp::kSyn | tcp::kAck;
    r.tcpSeq = 1000;
    r.tcpAck = syn.tcpSeq + 1;
    if (tracing()) {
        const Text who = proxyName();
        hop(nsIdx, -1, action::kReply, syn,
            {fmt::format("{} listens on TCP port {} (`{}`), so the kernel answers SYN-ACK, "
                         "and docker-proxy accepts the connection at once (Go's listener)",
                         who.en, syn.dstPort, commandLine(l)),
             fmt::format("{} 监听 TCP 端口 {}（`{}`），因此内核回复 SYN-ACK，docker-proxy "
                         "随即接受该连接（Go 的监听器）",
                         who.zh, syn.dstPort, commandLine(l))});
    }
    proxySend(r);
    proxyDial();
}

void World::proxyDial() {
    ProxySession& s = m_proxy;
    const std::optional<Ipv4> src = sourceFor(s.ns, s.backend);
    auto to = [&s] { return endpoint(s.backend, s.backendPort); };  // for the trace
    if (!src) {
        // connect() fails at once with ENETUNREACH.
        proxyCloseClient(Reason{.why = Why::NoRoute, .ns = s.ns, .b = s.backend});
        return;
    }
    Frame syn;
    syn.ipProto = kIpProtoTcp;
    syn.ipSrc = *src;
    syn.ipDst = s.backend;
    syn.srcPort = nextEphemeralPort();
    syn.dstPort = s.backendPort;
    syn.tcpFlags = tcp::kSyn;
    s.local = syn.ipSrc;
    s.localPort = syn.srcPort;
    if (tracing()) {
        const Text who = proxyName();
        const std::string from = endpoint(s.client, s.clientPort);
        const std::string mine = endpoint(syn.ipSrc, syn.srcPort);
        hop(s.ns, -1, action::kProxy, syn,
            {fmt::format("{}, with the connection from {} in hand, dials {} itself (the second "
                         "leg), from {}: a fresh port, and the source address the host's routing "
                         "picks for {}; its SYN crosses nat OUTPUT, filter OUTPUT and nat "
                         "POSTROUTING like any packet the host sends",
                         who.en, from, to(), mine, s.backend.str()),
             fmt::format("{} 接受了来自 {} 的连接，并自己向 {} 发起连接（第二段），源为 {}："
                         "新的端口，以及主机路由为 {} 选择的源地址；它的 SYN 像主机发出的任何"
                         "数据包一样经过 nat OUTPUT、filter OUTPUT 和 nat POSTROUTING",
                         who.zh, from, to(), mine, s.backend.str())});
    }
    proxySend(syn);
}

void World::proxyCloseClient(const Reason& failure) {
    ProxySession& s = m_proxy;
    Reason r = failure;
    r.inner = failure.why;
    r.why = Why::ProxyClosed;
    r.ns = s.ns;
    r.b = s.backend;
    r.port = s.backendPort;
    r.proto = kIpProtoTcp;
    s.failure = failure;
    s.closed = r;
    s.state = ProxySession::State::Closed;
    Frame fin;
    fin.ipProto = kIpProtoTcp;
    fin.ipSrc = s.front;
    fin.ipDst = s.client;
    fin.srcPort = s.frontPort;
    fin.dstPort = s.clientPort;
    fin.tcpFlags = tcp::kFin | tcp::kAck;
    fin.tcpSeq = 1001;
    if (tracing()) {
        const Text who = proxyName();
        auto to = [&s] { return endpoint(s.backend, s.backendPort); };  // for the trace
        hop(s.ns, -1, action::kProxy, fin,
            {fmt::format("{} could not connect to {}, so it closes the client's connection "
                         "without sending a byte (FIN)",
                         who.en, to()),
             fmt::format("{} 无法连接到 {}，因此关闭客户端的连接，不发送任何数据（FIN）", who.zh,
                         to())});
    }
    proxySend(fin);
}

bool World::proxySegment(int nsIdx, const Frame& f) {
    ProxySession& s = m_proxy;
    if (s.proto != kIpProtoTcp || s.state != ProxySession::State::Dialing || nsIdx != s.ns ||
        s.localPort == 0 || f.ipSrc != s.backend || f.srcPort != s.backendPort ||
        f.dstPort != s.localPort) {
        return false;
    }
    auto to = [&s] { return endpoint(s.backend, s.backendPort); };  // for the trace
    if ((f.tcpFlags & tcp::kRst) != 0) {
        if (tracing()) {
            hop(nsIdx, -1, action::kProxy, f,
                {fmt::format("{} refuses docker-proxy's connection (RST): its dial fails with "
                             "ECONNREFUSED",
                             to()),
                 fmt::format("{} 拒绝了 docker-proxy 的连接（RST）：拨号以 ECONNREFUSED 失败",
                             to())});
        }
        proxyCloseClient(Reason{.why = Why::TcpReset, .a = f.ipSrc, .port = f.srcPort});
        return true;
    }
    if ((f.tcpFlags & tcp::kSyn) == 0 || (f.tcpFlags & tcp::kAck) == 0) {
        return true;
    }
    // Established. The listener that answered writes its greeting at once and
    // closes; docker-proxy copies it to the client and closes that side too.
    s.state = ProxySession::State::Connected;
    Frame d;
    d.ipProto = kIpProtoTcp;
    d.ipSrc = s.front;
    d.ipDst = s.client;
    d.srcPort = s.frontPort;
    d.dstPort = s.clientPort;
    d.tcpFlags = tcp::kPsh | tcp::kAck | tcp::kFin;
    d.tcpSeq = 1001;
    d.tcpAck = 1;
    const std::string& greeter = s.greeter >= 0 ? m_ns[static_cast<std::size_t>(s.greeter)].planName
                                                : m_ns[static_cast<std::size_t>(s.ns)].planName;
    // "cnmlab NETNS PORT\n", counted without being written out.
    const std::size_t digits = s.backendPort >= 10000  ? 5
                               : s.backendPort >= 1000 ? 4
                               : s.backendPort >= 100  ? 3
                               : s.backendPort >= 10   ? 2
                                                       : 1;
    d.payloadSize = static_cast<std::uint16_t>(7 + greeter.size() + 1 + digits + 1);
    if (tracing()) {
        const std::string client = endpoint(s.client, s.clientPort);
        const std::string greeting = fmt::format("cnmlab {} {}", greeter, s.backendPort);
        hop(nsIdx, -1, action::kProxy, d,
            {fmt::format("docker-proxy's connection to {} is established; the listener there "
                         "writes its greeting at once, \"{}\" ({} bytes), and closes; "
                         "docker-proxy copies the bytes to the client's connection ({}) and "
                         "closes that side too",
                         to(), greeting, d.payloadSize, client),
             fmt::format("docker-proxy 到 {} 的连接已建立；那里的监听进程随即写出问候语 \"{}\""
                         "（{} 字节）并关闭；docker-proxy 把这些字节复制到客户端的连接（{}），"
                         "并关闭这一侧",
                         to(), greeting, d.payloadSize, client)});
    }
    proxySend(d);
    return true;
}

void World::proxyDatagram(int nsIdx, const Frame& f, const drivers::Listener& l) {
    m_proxy = ProxySession{};
    ProxySession& s = m_proxy;
    s.state = ProxySession::State::Dialing;
    s.ns = nsIdx;
    s.listener = &l;
    s.proto = kIpProtoUdp;
    s.client = f.ipSrc;
    s.clientPort = f.srcPort;
    s.front = f.ipDst;
    s.frontPort = f.dstPort;
    s.backend = *l.forwardTo;
    s.backendPort = static_cast<std::uint16_t>(*l.forwardPort);
    auto to = [&s] { return endpoint(s.backend, s.backendPort); };  // for the trace
    const std::optional<Ipv4> src = sourceFor(nsIdx, s.backend);
    if (!src) {
        s.failure = Reason{.why = Why::NoRoute, .ns = nsIdx, .b = s.backend};
        if (tracing()) {
            hop(nsIdx, -1, action::kProxy, f, explain(s.failure));
        }
        return;  // WriteToUDP fails; docker-proxy logs it and drops the datagram
    }
    Frame d;
    d.ipProto = kIpProtoUdp;
    d.ipSrc = *src;
    d.ipDst = s.backend;
    d.srcPort = nextEphemeralPort();
    d.dstPort = s.backendPort;
    d.payloadSize = f.payloadSize;
    d.dns = f.dns;
    s.local = d.ipSrc;
    s.localPort = d.srcPort;
    if (tracing()) {
        const Text who = proxyName();
        const std::string client = endpoint(s.client, s.clientPort);
        const std::string mine = endpoint(d.ipSrc, d.srcPort);
        hop(nsIdx, -1, action::kProxy, d,
            {fmt::format("{} (`{}`) reads the datagram from {}; it opens a socket of its own for "
                         "this client (kept 90 s), from {} — a fresh port, and the source address "
                         "the host's routing picks — and sends the datagram on to {}",
                         who.en, commandLine(l), client, mine, to()),
             fmt::format(
                 "{}（`{}`）从 {} 读到数据报；它为该客户端单独打开一个套接字（保留 90 秒），"
                 "源为 {}（新的端口，以及主机路由选择的源地址），并把数据报转发给 {}",
                 who.zh, commandLine(l), client, mine, to())});
    }
    proxySend(d);
}

bool World::proxyUdpAnswer(int nsIdx, const Frame& f) {
    ProxySession& s = m_proxy;
    if (s.proto != kIpProtoUdp || nsIdx != s.ns || s.localPort == 0 || f.ipSrc != s.backend ||
        f.srcPort != s.backendPort || f.dstPort != s.localPort) {
        return false;
    }
    Frame r;
    r.ipProto = kIpProtoUdp;
    r.ipDst = s.client;
    r.dstPort = s.clientPort;
    r.srcPort = s.frontPort;
    // The listening socket is bound to the Listener's address; bound to
    // 0.0.0.0, the kernel picks the source of each answer by the route to the
    // client (Go writes without IP_PKTINFO).
    const Ipv4 bound = s.listener->address;
    r.ipSrc = bound != Ipv4() ? bound : sourceFor(nsIdx, s.client).value_or(s.front);
    r.payloadSize = f.payloadSize;
    r.dns = f.dns;
    s.answeredFrom = r.ipSrc;
    if (tracing()) {
        const std::string client = endpoint(s.client, s.clientPort);
        hop(nsIdx, -1, action::kProxy, r,
            {fmt::format("docker-proxy reads the answer from {} and writes it to {} from its "
                         "listening socket, with source {}",
                         endpoint(s.backend, s.backendPort), client, endpoint(r.ipSrc, r.srcPort)),
             fmt::format("docker-proxy 从 {} 读到应答，并用其监听套接字写给 {}，源为 {}",
                         endpoint(s.backend, s.backendPort), client,
                         endpoint(r.ipSrc, r.srcPort))});
    }
    proxySend(r);
    return true;
}

bool World::proxyIcmpError(int nsIdx, const Frame& f) {
    ProxySession& s = m_proxy;
    if (nsIdx != s.ns || !onProxyLeg(f)) {
        return false;
    }
    const Reason err{.why = Why::IcmpError, .a = f.ipSrc, .type = f.icmpType, .code = f.icmpCode};
    auto to = [&s] { return endpoint(s.backend, s.backendPort); };  // for the trace
    if (s.proto == kIpProtoTcp) {
        if (s.state == ProxySession::State::Dialing) {
            if (tracing()) {
                hop(nsIdx, -1, action::kProxy, f,
                    {fmt::format("the ICMP error ends docker-proxy's dial to {}: {}", to(),
                                 explain(err).en),
                     fmt::format("该 ICMP 错误使 docker-proxy 到 {} 的拨号失败：{}", to(),
                                 explain(err).zh)});
            }
            proxyCloseClient(err);
        }
        return true;
    }
    if (s.failure.why == Why::None) {
        s.failure = err;
    }
    if (tracing()) {
        hop(nsIdx, -1, action::kProxy, f,
            {fmt::format("docker-proxy's socket to {} reads ECONNREFUSED ({}); docker-proxy "
                         "ignores it and keeps waiting for an answer, so the client gets nothing",
                         to(), explain(err).en),
             fmt::format("docker-proxy 到 {} 的套接字读到 ECONNREFUSED（{}）；docker-proxy "
                         "忽略它并继续等待应答，因此客户端什么也收不到",
                         to(), explain(err).zh)});
    }
    return true;
}

void World::proxyLegDropped(int nsIdx, const Reason& why) {
    (void)nsIdx;
    // The first loss is the one to name. A neighbour that never answers also
    // sends docker-proxy's socket an ICMP host unreachable (arp_error_report),
    // which ends its dial (proxyIcmpError).
    if (m_proxy.failure.why == Why::None) {
        m_proxy.failure = why;
    }
}

Reason World::silence() const {
    const ProxySession& s = m_proxy;
    if (s.state != ProxySession::State::Dialing && s.state != ProxySession::State::Connected) {
        return Reason{.why = Why::NoAnswer};
    }
    if (s.proto == kIpProtoUdp && s.answeredFrom != Ipv4() && s.answeredFrom != s.front) {
        return Reason{.why = Why::ProxyWrongSource,
                      .ns = s.ns,
                      .a = s.answeredFrom,
                      .b = s.front,
                      .port = s.frontPort,
                      .proto = kIpProtoUdp};
    }
    Reason r = s.failure;
    r.inner = s.failure.why;
    r.why = Why::ProxyNoAnswer;
    if (r.ns < 0) {
        r.ns = s.ns;
    }
    r.b = s.backend;
    r.port = s.backendPort;
    r.proto = s.proto;
    return r;
}

}  // namespace cnmlab::sim
