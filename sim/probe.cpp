#include "sim/probe.hpp"

#include <fmt/format.h>

namespace cnmlab::sim {

namespace {

ProbeResult finish(World& world, bool trace, std::vector<Hop>& hops) {
    world.scheduler().run(2'000'000);
    world.dropPending();
    ProbeState& st = world.probe();
    ProbeResult r;
    r.reachable = st.done && st.reachable;
    r.reason = st.reason;
    r.dns = std::move(st.dnsAnswer);
    if (!st.done && r.reason.why == Why::None) {
        r.reason = st.floodReason.why != Why::None ? st.floodReason : world.silence();
    }
    world.expireProbeFlows();
    st.active = false;
    st.done = false;
    st.reachable = false;
    st.reason = Reason{};
    st.floodReason = Reason{};
    st.dnsAnswer.reset();
    world.setTracing(nullptr);
    if (trace) {
        r.hops = std::move(hops);
    }
    return r;
}

void start(World& world, int fromNs, std::uint8_t proto, std::uint16_t port, bool trace,
           std::vector<Hop>& hops) {
    ProbeState& st = world.probe();
    st.active = true;
    st.done = false;
    st.reachable = false;
    st.reason = Reason{};
    st.floodReason = Reason{};
    st.dnsAnswer.reset();
    st.connections.clear();
    st.ns = fromNs;
    st.proto = proto;
    st.localPort = port;
    world.setTracing(trace ? &hops : nullptr);
}

}  // namespace

ProbeResult runProbe(World& world, int fromNs, Ipv4 dst, model::Proto proto, int port, bool trace,
                     const ProbeSize& size) {
    std::vector<Hop> hops;
    Frame f;
    f.ipDst = dst;
    const std::uint16_t local = world.nextEphemeralPort();
    switch (proto) {
    case model::Proto::Icmp:
        f.ipProto = kIpProtoIcmp;
        f.icmpType = icmp::kEchoRequest;
        f.icmpId = local;
        f.icmpSeq = 1;
        f.payloadSize = 56;
        break;
    case model::Proto::Tcp:
        f.ipProto = kIpProtoTcp;
        f.srcPort = local;
        f.dstPort = static_cast<std::uint16_t>(port);
        f.tcpFlags = tcp::kSyn;
        f.tcpSeq = 0;
        break;
    case model::Proto::Udp:
        f.ipProto = kIpProtoUdp;
        f.srcPort = local;
        f.dstPort = static_cast<std::uint16_t>(port);
        f.payloadSize = 8;
        break;
    }
    f.payloadSize = size.payload.value_or(f.payloadSize);
    f.dontFragment = size.dontFragment;
    start(world, fromNs, f.ipProto, local, trace, hops);
    world.probe().peer = dst;
    world.probe().peerPort = f.dstPort;
    const std::optional<Ipv4> src = world.sourceFor(fromNs, dst);
    if (!src) {
        ProbeResult r;
        r.reason = Reason{.why = Why::NoRoute, .ns = fromNs, .b = dst};
        world.probe().active = false;
        world.setTracing(nullptr);
        return r;
    }
    f.ipSrc = *src;  // the socket's source address, chosen once
    world.sendLocal(fromNs, f);
    return finish(world, trace, hops);
}

ProbeResult runLookup(World& world, int fromNs, const std::string& name, bool trace) {
    std::vector<Hop> hops;
    const std::uint16_t local = world.nextEphemeralPort();
    if (!world.ns(fromNs).hasDns) {
        ProbeResult r;
        r.reason = Reason{.why = Why::NoDnsServer, .ns = fromNs};
        DnsMessage nx;
        nx.response = true;
        nx.rcode = 3;
        nx.qname = name;
        r.dns = nx;
        return r;
    }
    Frame f;
    f.ipSrc = Ipv4(127, 0, 0, 1);
    f.ipDst = Ipv4(127, 0, 0, 11);
    f.ipProto = kIpProtoUdp;
    f.srcPort = local;
    f.dstPort = kDnsPort;
    auto q = std::make_shared<DnsMessage>();
    q->id = local;
    q->qname = name;
    f.dns = q;
    start(world, fromNs, kIpProtoUdp, local, trace, hops);
    world.probe().peer = f.ipDst;
    world.probe().peerPort = kDnsPort;
    world.sendLocal(fromNs, f);
    return finish(world, trace, hops);
}

}  // namespace cnmlab::sim
