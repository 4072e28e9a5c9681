#pragma once
// Frames shared by the sim codec and pcap tests: one of each kind the
// simulator sends, with Docker-like addresses (bridge 172.18.0.0/16, web .2,
// db .3, gateway .1; the embedded DNS server at 127.0.0.11; an overlay).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "packet/frame.hpp"

namespace cnmlab::packet::testing {

inline const Ipv4 kWebIp{172, 18, 0, 2};
inline const Ipv4 kDbIp{172, 18, 0, 3};
inline const Ipv4 kGatewayIp{172, 18, 0, 1};
inline const Ipv4 kDnsIp{127, 0, 0, 11};
inline const Mac kWebMac{0x02, 0x42, 0xac, 0x12, 0x00, 0x02};
inline const Mac kDbMac{0x02, 0x42, 0xac, 0x12, 0x00, 0x03};
inline const Mac kGatewayMac{0x02, 0x42, 0xac, 0x12, 0x00, 0x01};
inline const Mac kBroadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

// web -> db, Ethernet + IPv4 filled in; the caller adds the L4 fields.
inline Frame ipFrame(std::uint8_t proto, std::uint16_t id) {
    Frame f;
    f.dstMac = kDbMac;
    f.srcMac = kWebMac;
    f.ipSrc = kWebIp;
    f.ipDst = kDbIp;
    f.ipProto = proto;
    f.ipId = id;
    return f;
}

inline Frame arpRequest() {
    Frame f;
    f.dstMac = kBroadcast;
    f.srcMac = kWebMac;
    f.ethertype = kEtherTypeArp;
    f.arpOp = 1;
    f.arpSenderMac = kWebMac;
    f.arpSenderIp = kWebIp;
    f.arpTargetIp = kDbIp;
    return f;
}

inline Frame arpReply() {
    Frame f;
    f.dstMac = kWebMac;
    f.srcMac = kDbMac;
    f.ethertype = kEtherTypeArp;
    f.arpOp = 2;
    f.arpSenderMac = kDbMac;
    f.arpSenderIp = kDbIp;
    f.arpTargetMac = kWebMac;
    f.arpTargetIp = kWebIp;
    return f;
}

inline Frame echoRequest() {
    Frame f = ipFrame(kIpProtoIcmp, 0x1c46);
    f.icmpType = icmp::kEchoRequest;
    f.icmpId = 1;
    f.icmpSeq = 1;
    f.payloadSize = 56;
    return f;
}

inline Frame echoReply() {
    Frame f = echoRequest();
    std::swap(f.srcMac, f.dstMac);
    std::swap(f.ipSrc, f.ipDst);
    f.icmpType = icmp::kEchoReply;
    f.ipId = 0x9a1f;
    f.dontFragment = false;
    return f;
}

inline Frame tcpSyn() {
    Frame f = ipFrame(kIpProtoTcp, 1);
    f.srcPort = 45678;
    f.dstPort = 80;
    f.tcpFlags = tcp::kSyn;
    f.tcpSeq = 1000;
    return f;
}

inline Frame tcpSynAck() {
    Frame f = tcpSyn();
    std::swap(f.srcMac, f.dstMac);
    std::swap(f.ipSrc, f.ipDst);
    std::swap(f.srcPort, f.dstPort);
    f.ipId = 0;
    f.tcpFlags = tcp::kSyn | tcp::kAck;
    f.tcpSeq = 5000;
    f.tcpAck = 1001;
    f.tcpWindow = 65160;
    return f;
}

inline Frame tcpRst() {
    Frame f = tcpSynAck();
    f.tcpFlags = tcp::kRst | tcp::kAck;
    f.tcpSeq = 5001;
    f.tcpWindow = 0;
    return f;
}

inline Frame tcpData() {
    Frame f = tcpSyn();
    f.ipId = 2;
    f.tcpFlags = tcp::kPsh | tcp::kAck;
    f.tcpSeq = 1001;
    f.tcpAck = 5001;
    f.tcpWindow = 502;
    f.payloadSize = 100;
    return f;
}

inline Frame udpProbe() {
    Frame f = ipFrame(kIpProtoUdp, 0x1234);
    f.srcPort = 40000;
    f.dstPort = 9999;
    f.payloadSize = 32;
    return f;
}

inline DnsMessage dnsQueryMessage() {
    DnsMessage m;
    m.id = 0x1234;
    m.qname = "db";
    return m;
}

inline Frame dnsFrame(DnsMessage m) {
    Frame f = ipFrame(kIpProtoUdp, 6);
    f.dstMac = kGatewayMac;  // a sandbox's loopback is not a wire; pretend
    f.ipDst = kDnsIp;
    f.srcPort = 53001;
    f.dstPort = kDnsPort;
    if (m.response) {
        std::swap(f.srcMac, f.dstMac);
        std::swap(f.ipSrc, f.ipDst);
        std::swap(f.srcPort, f.dstPort);
        f.ipId = 7;
    }
    f.dns = std::make_shared<const DnsMessage>(std::move(m));
    return f;
}

inline Frame dnsQuery() {
    return dnsFrame(dnsQueryMessage());
}

inline Frame dnsResponse() {
    DnsMessage m = dnsQueryMessage();
    m.response = true;
    m.recursionAvailable = true;
    m.answers.push_back(DnsAnswer{"db", kDbIp, 600});
    return dnsFrame(std::move(m));
}

inline Frame dnsNxdomain() {
    DnsMessage m = dnsQueryMessage();
    m.id = 0x4321;
    m.qname = "nosuch.example";
    m.response = true;
    m.rcode = 3;
    return dnsFrame(std::move(m));
}

// db answers web's UDP probe: port unreachable, quoting the probe.
inline Frame portUnreachable() {
    Frame f = ipFrame(kIpProtoIcmp, 0x5555);
    std::swap(f.srcMac, f.dstMac);
    std::swap(f.ipSrc, f.ipDst);
    f.dontFragment = false;
    f.icmpType = icmp::kDestUnreachable;
    f.icmpCode = 3;
    f.quoted = std::make_shared<const Frame>(udpProbe());
    return f;
}

inline Frame timeExceeded() {
    Frame f = ipFrame(kIpProtoIcmp, 0x0101);
    f.dstMac = kWebMac;
    f.srcMac = kGatewayMac;
    f.ipSrc = kGatewayIp;
    f.ipDst = kWebIp;
    f.ttl = 255;
    f.dontFragment = false;
    f.icmpType = icmp::kTimeExceeded;
    f.quoted = std::make_shared<const Frame>(tcpSyn());
    return f;
}

inline Frame adminProhibitedPing() {
    Frame f = timeExceeded();
    f.icmpType = icmp::kDestUnreachable;
    f.icmpCode = 13;
    f.quoted = std::make_shared<const Frame>(echoRequest());
    return f;
}

// host1 (10.0.0.1) -> host2 (10.0.0.2) carrying an overlay frame.
inline Frame vxlanOf(Frame inner) {
    Frame f;
    f.dstMac = Mac{0x52, 0x54, 0x00, 0x00, 0x00, 0x02};
    f.srcMac = Mac{0x52, 0x54, 0x00, 0x00, 0x00, 0x01};
    f.ipSrc = Ipv4(10, 0, 0, 1);
    f.ipDst = Ipv4(10, 0, 0, 2);
    f.ipProto = kIpProtoUdp;
    f.ipId = 0x2222;
    f.dontFragment = false;
    f.srcPort = 54321;
    f.dstPort = kVxlanPort;
    f.vni = 4097;
    f.inner = std::make_shared<const Frame>(std::move(inner));
    return f;
}

inline Frame vxlanTcp() {
    Frame inner = tcpSyn();
    inner.ipSrc = Ipv4(10, 0, 1, 2);
    inner.ipDst = Ipv4(10, 0, 1, 3);
    inner.srcMac = Mac{0x02, 0x42, 0x0a, 0x00, 0x01, 0x02};
    inner.dstMac = Mac{0x02, 0x42, 0x0a, 0x00, 0x01, 0x03};
    return vxlanOf(std::move(inner));
}

inline Frame vxlanArp() {
    return vxlanOf(arpRequest());
}

struct NamedFrame {
    std::string name;
    Frame frame;
};

inline std::vector<NamedFrame> allSamples() {
    return {{"arpRequest", arpRequest()},
            {"arpReply", arpReply()},
            {"echoRequest", echoRequest()},
            {"echoReply", echoReply()},
            {"tcpSyn", tcpSyn()},
            {"tcpSynAck", tcpSynAck()},
            {"tcpRst", tcpRst()},
            {"tcpData", tcpData()},
            {"udpProbe", udpProbe()},
            {"dnsQuery", dnsQuery()},
            {"dnsResponse", dnsResponse()},
            {"dnsNxdomain", dnsNxdomain()},
            {"portUnreachable", portUnreachable()},
            {"timeExceeded", timeExceeded()},
            {"adminProhibitedPing", adminProhibitedPing()},
            {"vxlanTcp", vxlanTcp()},
            {"vxlanArp", vxlanArp()}};
}

}  // namespace cnmlab::packet::testing
