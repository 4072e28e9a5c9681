// The sentences behind a Reason: one per way a probe can end, naming the
// device and the rule that decided it, in English and Simplified Chinese.
#include <algorithm>

#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

const char* icmpWhat(std::uint8_t type, std::uint8_t code, bool zh) {
    if (type == icmp::kTimeExceeded) {
        return zh ? "超时" : "time exceeded";
    }
    switch (code) {
    case 0:
        return zh ? "网络不可达" : "network unreachable";
    case 1:
        return zh ? "主机不可达" : "host unreachable";
    case 3:
        return zh ? "端口不可达" : "port unreachable";
    case 4:
        return zh ? "需要分片" : "fragmentation needed";
    case 13:
        return zh ? "被管理策略禁止" : "administratively prohibited";
    default:
        return zh ? "目标不可达" : "destination unreachable";
    }
}

}  // namespace

// docker-proxy's second leg (see docker_proxy.cpp); `r.inner` with r's other
// fields is how that leg failed.
Text World::explainProxy(const Reason& r) const {
    const std::string to = fmt::format("{}:{}", r.b.str(), r.port);
    Text inner;
    if (r.inner != Why::None && r.inner != Why::ProxyClosed && r.inner != Why::ProxyNoAnswer &&
        r.inner != Why::ProxyWrongSource) {
        Reason in = r;
        in.why = r.inner;
        in.inner = Why::None;
        inner = explain(in);
    }
    const bool udp = r.proto == kIpProtoUdp;
    if (r.why == Why::ProxyClosed) {
        const Namespace& ns = m_ns[static_cast<std::size_t>(r.ns)];
        const std::string& host = ns.host.empty() ? ns.name : ns.host;
        return {fmt::format("docker-proxy on {} accepted the connection, but its own connection to "
                            "{} failed ({}), so it closed the client's connection without sending "
                            "a byte",
                            host, to, inner.en),
                fmt::format("{} 上的 docker-proxy 接受了连接，但它自己到 {} 的连接失败（{}），"
                            "因此它关闭了客户端的连接，没有发送任何数据",
                            host, to, inner.zh)};
    }
    const std::string why = inner.en.empty() ? "" : " (" + inner.en + ")";
    const std::string whyZh = inner.zh.empty() ? "" : "（" + inner.zh + "）";
    if (udp) {
        return {fmt::format("docker-proxy sent the datagram on to {}, but no answer came back{}; "
                            "docker-proxy ignores errors on its own socket, so the client gets "
                            "nothing",
                            to, why),
                fmt::format("docker-proxy 把数据报转发给了 {}，但没有收到应答{}；docker-proxy "
                            "忽略其自身套接字上的错误，因此客户端什么也收不到",
                            to, whyZh)};
    }
    return {
        fmt::format("docker-proxy accepted the connection, but its own connection to {} got no "
                    "answer{}; the client is connected and reads nothing until docker-proxy "
                    "gives up (when the kernel's SYN retries run out, about 2 minutes later)",
                    to, why),
        fmt::format("docker-proxy 接受了连接，但它自己到 {} 的连接没有得到应答{}；客户端保持连接"
                    "却读不到任何数据，直到 docker-proxy 放弃（内核的 SYN 重传用尽，约 2 分钟后）",
                    to, whyZh)};
}

// The VXLAN device's drops (see devices/vxlan.hpp).
Text World::explainVxlan(const Reason& r) const {
    const Namespace& ns = m_ns[static_cast<std::size_t>(r.ns)];
    const std::string where =
        ns.host.empty() || ns.kind != drivers::NetnsKind::Host ? ns.name : ns.host;
    if (r.why == Why::VxlanUnknownVni) {
        if (r.value == 0) {
            return {fmt::format("{} got a UDP datagram from {} on its VXLAN port {} that is not a "
                                "VXLAN packet, and the vxlan socket drops it",
                                where, r.a.str(), r.port),
                    fmt::format("{} 在其 VXLAN 端口 {} 上收到来自 {} 的 UDP 数据报，但它不是 VXLAN "
                                "数据包，vxlan 套接字将其丢弃",
                                where, r.port, r.a.str())};
        }
        return {fmt::format("{} got a VXLAN packet from VTEP {} for VNI {}, but no vxlan device "
                            "of {} has that VNI, so it drops the packet",
                            where, r.a.str(), r.value, where),
                fmt::format("{} 收到来自 VTEP {} 的 VXLAN 数据包（VNI {}），但 {} 上没有该 VNI 的 "
                            "vxlan 设备，因此丢弃该数据包",
                            where, r.a.str(), r.value, where)};
    }
    const Device& d = m_dev[static_cast<std::size_t>(r.dev)];
    const Vxlan* v = d.as<Vxlan>();
    const bool miss = v != nullptr && (r.why == Why::VxlanNoFdb ? v->l2miss : v->l3miss);
    const char* missName = r.why == Why::VxlanNoFdb ? "l2miss" : "l3miss";
    const std::string note =
        miss ? fmt::format(" ({} tells a netlink listener of the miss; in swarm mode Docker "
                           "listens to none, so no entry comes)",
                           missName)
             : "";
    const std::string noteZh =
        miss ? fmt::format("（{} 会把未命中通知给 netlink 监听者；swarm 模式下 Docker "
                           "不监听，因此不会有表项补上）",
                           missName)
             : "";
    if (r.why == Why::VxlanArpMiss) {
        return {fmt::format("{} in {} answers ARP for remote containers itself (proxy), but has "
                            "no neighbour entry for {}, so the request goes nowhere{}",
                            d.name, ns.name, r.b.str(), note),
                fmt::format("{} 中的 {} 自己代答远程容器的 ARP（proxy），但它没有 {} 的邻居表项，"
                            "因此该请求没有去处{}",
                            ns.nameZh, d.name, r.b.str(), noteZh)};
    }
    return {fmt::format("{} in {} has no FDB entry that says which host (VTEP) has the "
                        "destination MAC of the frame for {}, and no default entry, so it drops "
                        "the frame{}",
                        d.name, ns.name, r.b.str(), note),
            fmt::format("{} 中的 {} 没有 FDB 表项说明发往 {} 的帧的目标 MAC 在哪台主机（VTEP）上，"
                        "也没有默认表项，因此丢弃该帧{}",
                        ns.nameZh, d.name, r.b.str(), noteZh)};
}

// An IPv4 packet too big for its way out, with DF set.
Text World::explainFragmentation(const Reason& r) const {
    const Namespace& ns = m_ns[static_cast<std::size_t>(r.ns)];
    const std::string& dev = m_dev[static_cast<std::size_t>(r.dev)].name;
    if (r.code == 0) {
        return {fmt::format("the packet ({} bytes) is bigger than the MTU {} of {} in {} and has "
                            "DF set, so the sending socket gets \"message too long\" (EMSGSIZE)",
                            r.port, r.value, dev, ns.name),
                fmt::format("数据包（{} 字节）大于 {} 中 {} 的 MTU {}，且设置了 DF，因此发送方的"
                            "套接字得到“消息过长”（EMSGSIZE）",
                            r.port, ns.nameZh, dev, r.value)};
    }
    return {fmt::format("the packet ({} bytes) is bigger than the MTU {} of {} in {} and has DF "
                        "set, so {} drops it and sends ICMP fragmentation needed (MTU {}) back to "
                        "its sender",
                        r.port, r.value, dev, ns.name, ns.name, r.value),
            fmt::format("数据包（{} 字节）大于 {} 中 {} 的 MTU {}，且设置了 DF，因此 {} 丢弃它，"
                        "并向发送方回送 ICMP 需要分片（MTU {}）",
                        r.port, ns.nameZh, dev, r.value, ns.nameZh, r.value)};
}

Text World::explain(const Reason& r) const {
    auto nsName = [&](int i, bool zh = false) -> std::string {
        if (i < 0) {
            return "?";
        }
        const Namespace& n = m_ns[static_cast<std::size_t>(i)];
        if (n.kind == drivers::NetnsKind::Host && !n.host.empty()) {
            return n.host;
        }
        return zh ? n.nameZh : n.name;
    };
    auto devName = [&](int i) -> std::string {
        return i < 0 ? std::string("the local process") : m_dev[static_cast<std::size_t>(i)].name;
    };
    const std::string chain = r.chain != nullptr ? *r.chain : "";
    switch (r.why) {
    case Why::None:
    case Why::NoAnswer:
        return {"no answer came back", "没有收到任何应答"};
    case Why::Answered:
        return {fmt::format("{} answered", r.a.str()), fmt::format("{} 作出了应答", r.a.str())};
    case Why::DeviceDownTx:
        return {
            fmt::format("{} in {} is down, so the frame cannot leave", devName(r.dev),
                        nsName(r.ns)),
            fmt::format("{} 中的 {} 处于关闭状态，帧无法发出", nsName(r.ns, true), devName(r.dev))};
    case Why::DeviceDownRx:
        return {
            fmt::format("{} in {} is down and discards the frame", devName(r.dev), nsName(r.ns)),
            fmt::format("{} 中的 {} 处于关闭状态，丢弃该帧", nsName(r.ns, true), devName(r.dev))};
    case Why::NoPeer:
        return {
            fmt::format("{} in {} has no peer to carry the frame", devName(r.dev), nsName(r.ns)),
            fmt::format("{} 中的 {} 没有对端，帧无法传递", nsName(r.ns, true), devName(r.dev))};
    case Why::DummyDevice: {
        // Docker's macvlan/ipvlan drivers name the dummy they make "dm-<id>"/"di-<id>".
        const bool docker =
            devName(r.dev).rfind("dm-", 0) == 0 || devName(r.dev).rfind("di-", 0) == 0;
        return {fmt::format("{} in {} is a dummy interface: what is sent on it goes nowhere{}",
                            devName(r.dev), nsName(r.ns),
                            docker ? " (Docker made it because the network names no parent)" : ""),
                fmt::format("{} 中的 {} 是 dummy 接口：发往它的帧不会到达任何地方{}",
                            nsName(r.ns, true), devName(r.dev),
                            docker ? "（网络未指定父接口，因此由 Docker 创建）" : "")};
    }
    case Why::NoRouteBack:
        return {fmt::format("{} answered, but has no route back to {}: its answer is lost",
                            nsName(r.ns), r.b.str()),
                fmt::format("{} 作出了应答，但没有回到 {} 的路由：应答丢失", nsName(r.ns, true),
                            r.b.str())};
    case Why::VlanNoDevice:
        return {fmt::format("{} in {} received a frame tagged for VLAN {} and has no sub-interface "
                            "for that VLAN ({}.{}): the kernel drops it",
                            devName(r.dev), nsName(r.ns), r.port, devName(r.dev), r.port),
                fmt::format("{} 中的 {} 收到带 VLAN {} 标签的帧，但没有该 VLAN 的子接口（{}.{}）："
                            "内核丢弃该帧",
                            nsName(r.ns, true), devName(r.dev), r.port, devName(r.dev), r.port)};
    case Why::BridgeFilter: {
        const std::string why = r.rule != nullptr ? r.rule->why : "the chain's policy is DROP";
        const std::string whyZh = r.rule != nullptr ? r.rule->whyZh : "该链的默认策略为 DROP";
        return {fmt::format("dropped by {} on {}: {} and {} are on the same bridge {}, and {}",
                            chain, nsName(r.ns), r.a.str(), r.b.str(), devName(r.dev), why),
                fmt::format("被 {} 上的 {} 丢弃：{} 与 {} 位于同一网桥 {}，{}", nsName(r.ns, true),
                            chain, r.a.str(), r.b.str(), devName(r.dev), whyZh)};
    }
    case Why::Filter: {
        if (r.rule != nullptr) {
            return {
                fmt::format("dropped by {} on {}: {}", chain, nsName(r.ns), r.rule->why),
                fmt::format("被 {} 上的 {} 丢弃：{}", nsName(r.ns, true), chain, r.rule->whyZh)};
        }
        return {
            fmt::format("dropped by the DROP policy of {} on {}: no rule accepts traffic from {} "
                        "to {}",
                        chain, nsName(r.ns), devName(r.dev), devName(r.dev2)),
            fmt::format("被 {} 上 {} 链的 DROP 默认策略丢弃：没有规则允许从 {} 到 {} 的流量",
                        nsName(r.ns, true), chain, devName(r.dev), devName(r.dev2))};
    }
    case Why::NotRouter:
        return {
            fmt::format("{} is not a router (net.ipv4.ip_forward=0), so it drops a packet for {}",
                        nsName(r.ns), r.b.str()),
            fmt::format("{} 不是路由器（net.ipv4.ip_forward=0），因此丢弃发往 {} 的数据包",
                        nsName(r.ns, true), r.b.str())};
    case Why::NoRoute:
        return {fmt::format("{} has no route to {}", nsName(r.ns), r.b.str()),
                fmt::format("{} 没有到 {} 的路由", nsName(r.ns, true), r.b.str())};
    case Why::TtlExpired:
        return {fmt::format("the TTL of the packet ran out in {}", nsName(r.ns)),
                fmt::format("数据包的 TTL 在 {} 中耗尽", nsName(r.ns, true))};
    case Why::NoArpReply:
        // The address is on a macvlan/ipvlan sub-interface of this very device:
        // a parent never hands its slaves what it sends itself.
        if (r.dev >= 0) {
            for (int u : m_dev[static_cast<std::size_t>(r.dev)].uppers) {
                const Device& slave = m_dev[static_cast<std::size_t>(u)];
                const bool has = std::any_of(slave.addresses.begin(), slave.addresses.end(),
                                             [&](const Cidr& c) { return c.address == r.b; });
                if (!has) {
                    continue;
                }
                const char* kind = slave.kind == drivers::LinkKind::Ipvlan ? "ipvlan" : "macvlan";
                return {
                    fmt::format("{} is {}'s {} sub-interface of {}'s own {}, and a {} parent "
                                "cannot reach its own sub-interfaces: what {} sends leaves by the "
                                "wire and never comes back to its slaves, so its three ARP "
                                "requests go unanswered and the kernel reports host unreachable "
                                "(Docker's {} isolation of the host from its containers)",
                                r.b.str(), nsName(slave.ns), kind, nsName(r.ns), devName(r.dev),
                                kind, devName(r.dev), kind),
                    fmt::format(
                        "{} 是 {} 的 {} 子接口，建在 {} 自己的 {} 上；{} 父接口无法访问"
                        "自己的子接口：{} 发出的帧只会走向线路，不会回到它的子接口，所以它的"
                        "三次 ARP 请求都没有回复，内核报告主机不可达（这就是 Docker 中 {} "
                        "网络的主机与其容器互相隔离）",
                        r.b.str(), nsName(slave.ns, true), kind, nsName(r.ns, true), devName(r.dev),
                        kind, devName(r.dev), kind)};
            }
        }
        return {fmt::format("{} got no ARP reply for {} on {} after three requests: no host "
                            "has that address there, so the kernel reports host unreachable",
                            nsName(r.ns), r.b.str(), devName(r.dev)),
                fmt::format("{} 在 {} 上发出三次 ARP 请求都没有收到 {} 的回复：那里没有主机拥有该"
                            "地址，因此内核报告主机不可达",
                            nsName(r.ns, true), devName(r.dev), r.b.str())};
    case Why::TcpReset:
        return {fmt::format("{} refused the connection to port {} (TCP RST: nothing listens there)",
                            r.a.str(), r.port),
                fmt::format("{} 拒绝了到端口 {} 的连接（TCP RST：该端口无进程监听）", r.a.str(),
                            r.port)};
    case Why::IcmpError:
        return {fmt::format("{} answered ICMP {}", r.a.str(), icmpWhat(r.type, r.code, false)),
                fmt::format("{} 回复了 ICMP {}", r.a.str(), icmpWhat(r.type, r.code, true))};
    case Why::NoDnsServer:
        return {
            fmt::format("{} has no embedded DNS server: containers on the default bridge network "
                        "use the host's resolvers, which know no container names",
                        nsName(r.ns)),
            fmt::format("{} 没有内嵌 DNS 服务器：默认 bridge 网络上的容器使用主机的解析器，"
                        "它们不认识容器名",
                        nsName(r.ns, true))};
    case Why::NoAddress:
        return {"the target has no IPv4 address to probe", "目标没有可探测的 IPv4 地址"};
    case Why::ProxyClosed:
    case Why::ProxyNoAnswer:
        return explainProxy(r);
    case Why::VxlanNoFdb:
    case Why::VxlanArpMiss:
    case Why::VxlanUnknownVni:
        return explainVxlan(r);
    case Why::FragmentationNeeded:
        return explainFragmentation(r);
    case Why::XfrmOutNoState:
    case Why::XfrmInNoState:
        return explainXfrm(r);
    case Why::ProxyWrongSource:
        return {fmt::format("docker-proxy on {} wrote the answer from {} (its socket is bound to "
                            "0.0.0.0, so the route back to the client picks the source), but the "
                            "client's socket is connected to {}:{} and takes nothing from another "
                            "address",
                            nsName(r.ns), r.a.str(), r.b.str(), r.port),
                fmt::format("{} 上的 docker-proxy 以 {} 为源地址写出应答（其套接字绑定在 0.0.0.0，"
                            "源地址由回到客户端的路由决定），但客户端的套接字已连接到 {}:{}，"
                            "不接收来自其他地址的数据",
                            nsName(r.ns, true), r.a.str(), r.b.str(), r.port)};
    }
    return {};
}

}  // namespace cnmlab::sim
