// The bridge driver's netfilter rules, call for call as libnetwork 20.10 issues
// them (moby/libnetwork 3797618f, the 20.10 backport line):
//   drivers/bridge/setup_ip_tables.go  setupIPChains, setupIPTables,
//       setupIPTablesInternal, setIcc, setINC, setupInternalNetworkRules
//   iptables/iptables.go               ProgramChain, Forward, AddReturnRule,
//       EnsureJumpRule
// dockerd runs with --userland-proxy=true (the default), so hairpin mode is off:
// no "-m addrtype --src-type LOCAL" MASQUERADE, and the DNAT rules carry
// "! -i BRIDGE".
#include <fmt/format.h>

#include "drivers/bridge_driver.hpp"

namespace cnmlab::drivers {

namespace {

const std::string kDocker(kDockerChain);
const std::string kStage1(kIsolation1);
const std::string kStage2(kIsolation2);

Cidr hostCidr(Ipv4 ip) {
    return Cidr{ip, 32};
}

// setIcc (setup_ip_tables.go): ICC on inserts the ACCEPT at the top of FORWARD;
// ICC off appends the DROP at the end of FORWARD.
void setIcc(Iptables& ipt, const BridgeNetworkState& net) {
    const std::string& br = net.bridgeName;
    NfMatch m;
    m.inIf = br;
    m.outIf = br;
    const std::string name = net.network->name;
    const NfRule accept = ipt.rule(
        NfTable::Filter, "FORWARD", m, NfTarget::accept(),
        fmt::format("Inter-container communication on {} is on: containers on the same bridge "
                    "may talk to each other (setIcc).",
                    name),
        fmt::format("{} 的容器间通信已开启：同一网桥上的容器可以互相通信（setIcc）。", name));
    const NfRule drop = ipt.rule(
        NfTable::Filter, "FORWARD", m, NfTarget::drop(),
        fmt::format("Inter-container communication on {} is off "
                    "(com.docker.network.bridge.enable_icc=false): frames between two containers "
                    "of this bridge are dropped (setIcc).",
                    name),
        fmt::format("{} 的容器间通信已关闭（com.docker.network.bridge.enable_icc=false）："
                    "该网桥上两个容器之间的帧被丢弃（setIcc）。",
                    name));
    if (net.options.enableIcc) {
        ipt.remove(drop);
        ipt.insert(net.owner, accept);
    } else {
        ipt.remove(accept);
        ipt.append(net.owner, drop);
    }
}

// setupInternalNetworkRules: two DROPs in DOCKER-ISOLATION-STAGE-1 (each -I, so
// the second one inserted ends up first), then ICC.
void setupInternalRules(Iptables& ipt, const BridgeNetworkState& net) {
    const std::string& br = net.bridgeName;
    NfMatch in;
    in.inIf = br;
    in.dst = net.subnet;
    in.dstNot = true;
    ipt.insert(net.owner,
               ipt.rule(NfTable::Filter, kStage1, in, NfTarget::drop(),
                        fmt::format("{} is internal: nothing from its bridge may leave for an "
                                    "address outside {} (setupInternalNetworkRules).",
                                    net.network->name, net.subnet.networkStr()),
                        fmt::format("{} 是内部网络：其网桥上的流量不得发往 {} 之外的地址"
                                    "（setupInternalNetworkRules）。",
                                    net.network->name, net.subnet.networkStr())));
    NfMatch out;
    out.outIf = br;
    out.src = net.subnet;
    out.srcNot = true;
    ipt.insert(net.owner,
               ipt.rule(NfTable::Filter, kStage1, out, NfTarget::drop(),
                        fmt::format("{} is internal: nothing from outside {} may be forwarded "
                                    "onto its bridge (setupInternalNetworkRules).",
                                    net.network->name, net.subnet.networkStr()),
                        fmt::format("{} 是内部网络：来自 {} 之外的流量不得被转发到其网桥上"
                                    "（setupInternalNetworkRules）。",
                                    net.network->name, net.subnet.networkStr())));
    setIcc(ipt, net);
}

// setupIPTablesInternal for a network that is not internal.
void setupNatAndForwarding(Iptables& ipt, const BridgeNetworkState& net) {
    const std::string& br = net.bridgeName;
    const std::string& name = net.network->name;
    if (net.options.enableIpMasquerade) {
        NfMatch m;
        m.src = net.subnet;
        m.outIf = br;
        m.outIfNot = true;
        ipt.insert(net.owner,
                   ipt.rule(NfTable::Nat, "POSTROUTING", m, NfTarget::masquerade(),
                            fmt::format("Containers of {} reach beyond the host with the host's "
                                        "address: source NAT for {} leaving by any other "
                                        "interface (NAT rule).",
                                        name, net.subnet.networkStr()),
                            fmt::format("{} 的容器以主机的地址访问主机之外：从其他接口离开的 {} "
                                        "流量做源地址转换（NAT 规则）。",
                                        name, net.subnet.networkStr())));
        // ipmasq && !hairpin: skipDNAT.
        NfMatch skip;
        skip.inIf = br;
        ipt.insert(net.owner, ipt.rule(NfTable::Nat, kDocker, skip, NfTarget::ret(),
                                       fmt::format("Packets coming from {}'s own bridge are not "
                                                   "port-forwarded back to it (SKIP DNAT rule).",
                                                   name),
                                       fmt::format("来自 {} 自身网桥的数据包不会被端口转发回去"
                                                   "（SKIP DNAT 规则）。",
                                                   name)));
    }
    setIcc(ipt, net);
    NfMatch out;
    out.inIf = br;
    out.outIf = br;
    out.outIfNot = true;
    ipt.insert(
        net.owner,
        ipt.rule(NfTable::Filter, "FORWARD", out, NfTarget::accept(),
                 fmt::format("Containers of {} may send anywhere outside their bridge "
                             "(ACCEPT NON_ICC OUTGOING).",
                             name),
                 fmt::format("{} 的容器可以向其网桥之外的任何地方发送（ACCEPT NON_ICC OUTGOING）。",
                             name)));
}

// ProgramChain for the nat table: the two jumps into nat DOCKER, appended once
// per host (the first bridge network adds them; they belong to the daemon, as
// libnetwork never removes them when a network goes).
void programNatChain(Iptables& ipt, const Owner& daemon) {
    NfMatch pre;
    pre.dstTypeLocal = true;
    ipt.append(daemon, ipt.rule(NfTable::Nat, "PREROUTING", pre, NfTarget::jump(kDocker),
                                "Packets arriving for one of the host's own addresses go through "
                                "Docker's port-forwarding (DNAT) chain.",
                                "发往主机自身地址的数据包要经过 Docker 的端口转发（DNAT）链。"));
    NfMatch output;
    output.dst = Cidr{Ipv4(127, 0, 0, 0), 8};
    output.dstNot = true;
    output.dstTypeLocal = true;
    ipt.append(
        daemon,
        ipt.rule(NfTable::Nat, "OUTPUT", output, NfTarget::jump(kDocker),
                 "Connections the host itself opens to its own non-loopback addresses "
                 "are port-forwarded too (loopback is left to docker-proxy).",
                 "主机自己向其非回环地址发起的连接也会被端口转发（回环地址交给 docker-proxy）。"));
}

// ProgramChain for the filter table: both rules -I, so the conntrack rule,
// inserted last, comes first.
void programFilterChain(Iptables& ipt, const BridgeNetworkState& net) {
    const std::string& br = net.bridgeName;
    NfMatch toDocker;
    toDocker.outIf = br;
    ipt.insert(
        net.owner,
        ipt.rule(NfTable::Filter, "FORWARD", toDocker, NfTarget::jump(kDocker),
                 fmt::format("New connections forwarded onto {}'s bridge must be allowed "
                             "by a published port in the DOCKER chain.",
                             net.network->name),
                 fmt::format("被转发到 {} 网桥上的新连接必须由 DOCKER 链中的已发布端口放行。",
                             net.network->name)));
    NfMatch established;
    established.outIf = br;
    established.ctEstablished = true;
    ipt.insert(
        net.owner,
        ipt.rule(NfTable::Filter, "FORWARD", established, NfTarget::accept(),
                 fmt::format("Replies to connections that containers of {} opened are "
                             "let back in.",
                             net.network->name),
                 fmt::format("{} 的容器发起的连接，其回复数据包被放行。", net.network->name)));
}

}  // namespace

void setupIpChains(Iptables& ipt, const Owner& owner) {
    ipt.newChain(owner, NfTable::Nat, kDocker);
    ipt.newChain(owner, NfTable::Filter, kDocker);
    ipt.newChain(owner, NfTable::Filter, kStage1);
    ipt.newChain(owner, NfTable::Filter, kStage2);
    ipt.addReturnRule(owner, kStage1,
                      "Traffic that no bridge isolation rule matched goes on through FORWARD.",
                      "未匹配任何网桥隔离规则的流量继续经过 FORWARD 链。");
    ipt.addReturnRule(owner, kStage2,
                      "Traffic not headed for another Docker bridge goes on through FORWARD.",
                      "不是发往其他 Docker 网桥的流量继续经过 FORWARD 链。");
}

void setupIpTables(Iptables& ipt, const BridgeNetworkState& net, const Owner& daemon) {
    if (net.internal) {
        setupInternalRules(ipt, net);
    } else {
        setupNatAndForwarding(ipt, net);
        programNatChain(ipt, daemon);
        programFilterChain(ipt, net);
    }
    ipt.ensureJumpRule(
        daemon, "FORWARD", kStage1,
        "Every forwarded packet first passes Docker's isolation between bridge "
        "networks (kept first in FORWARD after each network).",
        "每个被转发的数据包都先经过 Docker 的网桥网络间隔离（每创建一个网络后都保持在 "
        "FORWARD 链首位）。");
}

void setInterNetworkCommunication(Iptables& ipt, const BridgeNetworkState& net) {
    if (net.internal) {
        return;  // isolateNetwork: internal networks are isolated by their own rules
    }
    const std::string& br = net.bridgeName;
    NfMatch leaving;
    leaving.inIf = br;
    leaving.outIf = br;
    leaving.outIfNot = true;
    ipt.insert(
        net.owner,
        ipt.rule(NfTable::Filter, kStage1, leaving, NfTarget::jump(kStage2),
                 fmt::format("Traffic leaving {}'s bridge for another interface is "
                             "checked against the other Docker bridges.",
                             net.network->name),
                 fmt::format("离开 {} 网桥、发往其他接口的流量要与其他 Docker 网桥逐一核对。",
                             net.network->name)));
    NfMatch arriving;
    arriving.outIf = br;
    ipt.insert(
        net.owner,
        ipt.rule(NfTable::Filter, kStage2, arriving, NfTarget::drop(),
                 fmt::format("Traffic from another Docker bridge network may not enter "
                             "{}: different bridge networks are isolated.",
                             net.network->name),
                 fmt::format("来自其他 Docker 网桥网络的流量不得进入 {}：不同的网桥网络相互隔离。",
                             net.network->name)));
}

void forwardPort(Iptables& ipt, const Owner& owner, const BridgeNetworkState& net,
                 const PortBinding& b, Ipv4 containerIp) {
    const std::string& br = net.bridgeName;
    const Ipv4 hostIp = b.hostIp.value_or(Ipv4());
    const std::string proto = model::protoName(b.proto);
    NfMatch dnat;
    if (hostIp != Ipv4()) {
        dnat.dst = hostCidr(hostIp);  // 0.0.0.0 is written as 0/0: any address
    }
    dnat.inIf = br;
    dnat.inIfNot = true;
    dnat.proto = b.proto;
    dnat.dport = b.hostPort;
    ipt.append(owner,
               ipt.rule(NfTable::Nat, kDocker, dnat, NfTarget::dnat(containerIp, b.containerPort),
                        fmt::format("Published port {}:{}/{} is forwarded to {}:{} on {}.",
                                    hostIp.str(), b.hostPort, proto, containerIp.str(),
                                    b.containerPort, net.network->name),
                        fmt::format("已发布端口 {}:{}/{} 被转发到 {} 上的 {}:{}。", hostIp.str(),
                                    b.hostPort, proto, net.network->name, containerIp.str(),
                                    b.containerPort)));
    NfMatch accept;
    accept.dst = hostCidr(containerIp);
    accept.inIf = br;
    accept.inIfNot = true;
    accept.outIf = br;
    accept.proto = b.proto;
    accept.dport = b.containerPort;
    ipt.append(owner, ipt.rule(NfTable::Filter, kDocker, accept, NfTarget::accept(),
                               fmt::format("The published port lets outside traffic reach "
                                           "{}:{}/{} through the bridge.",
                                           containerIp.str(), b.containerPort, proto),
                               fmt::format("已发布端口让外部流量经网桥到达 {}:{}/{}。",
                                           containerIp.str(), b.containerPort, proto)));
    NfMatch hairpin;
    hairpin.src = hostCidr(containerIp);
    hairpin.dst = hostCidr(containerIp);
    hairpin.proto = b.proto;
    hairpin.dport = b.containerPort;
    ipt.append(
        owner,
        ipt.rule(NfTable::Nat, "POSTROUTING", hairpin, NfTarget::masquerade(),
                 fmt::format("A container reaching its own published port ({}:{}) "
                             "is masqueraded so the reply comes back the same way.",
                             containerIp.str(), b.containerPort),
                 fmt::format("容器访问自己的已发布端口（{}:{}）时做地址伪装，使回复沿原路返回。",
                             containerIp.str(), b.containerPort)));
}

}  // namespace cnmlab::drivers
