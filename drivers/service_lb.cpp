#include "drivers/service_lb.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "drivers/iptables.hpp"
#include "drivers/overlay_driver.hpp"

namespace cnmlab::drivers {

namespace {

constexpr std::uint32_t kFirstFwmark = 256;  // service.go fwMarkCtr
const std::string kIngressChain = "DOCKER-INGRESS";

bool hasNetwork(const model::NetworkInstance& net, const std::string& host) {
    return std::find(net.hosts.begin(), net.hosts.end(), host) != net.hosts.end();
}

std::vector<std::string> boundNetworks(const model::SwarmService& s) {
    std::vector<std::string> nets = s.networks;
    if (s.usesIngress()) {
        nets.emplace_back("ingress");
    }
    return nets;
}

// The tasks' addresses on `network`, with their names (IPVS real servers).
std::pair<std::vector<Ipv4>, std::vector<std::string>>
realsOf(const model::Topology& topo, const model::SwarmService& s, const std::string& network) {
    std::pair<std::vector<Ipv4>, std::vector<std::string>> out;
    for (const auto& t : s.tasks) {
        const model::Container* c = topo.findContainer(t);
        for (const auto& ep : c->endpoints) {
            if (ep.network == network) {
                out.first.push_back(ep.ipv4);
                out.second.push_back(t);
            }
        }
    }
    return out;
}

struct Balancer {
    const model::NetworkInstance* net = nullptr;
    const model::LoadBalancer* lb = nullptr;
    std::string netns;
    bool snatDone = false;
};

// fwMarker (service_linux.go) and NewService/NewDestination in one sandbox.
void programVip(PlanBuilder& plan, Balancer& b, const model::Topology& topo,
                const model::SwarmService& s, const model::ServiceVip& vip, std::uint32_t mark) {
    const Owner owner = fmt::format("lb:{}/{}", b.netns, s.key);
    Iptables ipt(plan, b.netns);
    plan.add(owner, Address{b.netns, "eth0", Cidr{vip.ipv4, 32}});
    ipt.builtinChains(owner, NfTable::Mangle);
    ipt.builtinChains(owner, NfTable::Nat);
    const bool ingress = b.net->ingress;
    if (ingress) {
        for (const auto& p : s.published) {
            if (p.hostMode) {
                continue;
            }
            NfMatch m;
            m.proto = p.proto;
            m.dport = p.published;
            ipt.append(
                owner,
                ipt.rule(
                    NfTable::Mangle, "PREROUTING", m, NfTarget::setMark(mark),
                    fmt::format("Routing mesh: connections to published port {} are marked {} for "
                                "IPVS, which balances them over {}'s tasks.",
                                p.published, mark, s.name),
                    fmt::format("路由网格：发往已发布端口 {} 的连接被打上标记 {}，"
                                "交给 IPVS 在 {} 的任务之间负载均衡。",
                                p.published, mark, s.name)));
        }
    }
    const Ipv4 own = b.lb->endpoint.ipv4;
    if (!b.snatDone) {
        b.snatDone = true;
        NfMatch m;
        m.ipvs = true;
        m.dst = Cidr{b.net->subnet->network(), b.net->subnet->prefix};
        ipt.append(
            owner,
            ipt.rule(NfTable::Nat, "POSTROUTING", m, NfTarget::snat(own),
                     fmt::format("Connections IPVS sends to a task leave with this load "
                                 "balancer's own address {} as source, so replies come back "
                                 "through it.",
                                 own.str()),
                     fmt::format("IPVS 发往任务的连接以本负载均衡器自己的地址 {} 为源地址离开，"
                                 "因此应答会经它返回。",
                                 own.str())));
        plan.set(owner, Sysctl{b.netns, "net.ipv4.vs.conntrack", "1"});
        // Inherited from the host, where dockerd turned forwarding on: replies
        // from the tasks leave again towards the client.
        plan.set(owner, Sysctl{b.netns, "net.ipv4.ip_forward", "1"});
    }
    NfMatch toVip;
    toVip.dst = Cidr{vip.ipv4, 32};
    ipt.append(owner, ipt.rule(NfTable::Mangle, "INPUT", toVip, NfTarget::setMark(mark),
                               fmt::format("Packets for {}'s virtual IP {} are marked {} for IPVS.",
                                           s.name, vip.ipv4.str(), mark),
                               fmt::format("发往 {} 虚拟 IP {} 的数据包被打上标记 {}，交给 IPVS。",
                                           s.name, vip.ipv4.str(), mark)));
    IpvsService v;
    v.netns = b.netns;
    v.fwmark = mark;
    v.service = s.key;
    v.network = vip.network;
    std::tie(v.reals, v.realNames) = realsOf(topo, s, vip.network);
    plan.add(owner, std::move(v));
}

// programIngress (service_linux.go): the node's DOCKER-INGRESS chains, once,
// and per published port a DNAT to the ingress sandbox and two ACCEPTs.
void programIngress(PlanBuilder& plan, const std::string& host, Ipv4 sandboxGw,
                    const model::SwarmService& s, bool& chainsMade) {
    const Owner owner = "ingress:" + host;
    Iptables ipt(plan, host);
    if (!chainsMade) {
        chainsMade = true;
        ipt.newChain(owner, NfTable::Nat, kIngressChain);
        ipt.newChain(owner, NfTable::Filter, kIngressChain);
        ipt.append(owner, ipt.rule(NfTable::Nat, kIngressChain, {}, NfTarget::ret(),
                                   "End of the routing mesh's DNAT rules.",
                                   "路由网格 DNAT 规则到此结束。"));
        ipt.append(owner, ipt.rule(NfTable::Filter, kIngressChain, {}, NfTarget::ret(),
                                   "End of the routing mesh's filter rules.",
                                   "路由网格过滤规则到此结束。"));
        for (const char* chain : {"OUTPUT", "PREROUTING"}) {
            NfMatch local;
            local.dstTypeLocal = true;
            ipt.insert(owner, ipt.rule(NfTable::Nat, chain, local, NfTarget::jump(kIngressChain),
                                       "Packets for one of the node's own addresses go through "
                                       "the routing mesh's DNAT chain first.",
                                       "发往本节点自身地址的数据包先经过路由网格的 DNAT 链。"));
        }
        ipt.ensureJumpRule(owner, "FORWARD", kIngressChain,
                           "Forwarded packets go through the routing mesh's filter chain.",
                           "被转发的数据包经过路由网格的过滤链。");
        ipt.ensureJumpRule(owner, "FORWARD", "DOCKER-USER",
                           "DOCKER-USER stays first (arrangeUserFilterRule).",
                           "DOCKER-USER 仍是第一条（arrangeUserFilterRule）。");
        plan.set(owner, Sysctl{host, "net.ipv4.conf.docker_gwbridge.route_localnet", "1"});
        NfMatch m;
        m.srcTypeLocal = true;
        m.outIf = "docker_gwbridge";
        ipt.insert(owner,
                   ipt.rule(NfTable::Nat, "POSTROUTING", m, NfTarget::masquerade(),
                            "The node's own connections to a published port (even from "
                            "127.0.0.1) leave towards the ingress sandbox with the address of "
                            "docker_gwbridge.",
                            "本节点自己发往已发布端口的连接（即使来自 127.0.0.1）以 "
                            "docker_gwbridge 的地址发往 ingress 沙箱。"));
    }
    for (const auto& p : s.published) {
        if (p.hostMode) {
            continue;
        }
        NfMatch m;
        m.proto = p.proto;
        m.dport = p.published;
        ipt.insert(owner,
                   ipt.rule(NfTable::Nat, kIngressChain, m, NfTarget::dnat(sandboxGw, p.published),
                            fmt::format("Routing mesh: port {} of every node goes to this node's "
                                        "ingress sandbox ({}), whatever node runs {}'s tasks.",
                                        p.published, sandboxGw.str(), s.name),
                            fmt::format("路由网格：每个节点的 {} 端口都转到本节点的 ingress 沙箱"
                                        "（{}），无论 {} 的任务运行在哪个节点。",
                                        p.published, sandboxGw.str(), s.name)));
        NfMatch back;
        back.ctState = "ESTABLISHED,RELATED";
        back.legacyState = true;
        back.proto = p.proto;
        back.sport = p.published;
        ipt.insert(owner, ipt.rule(NfTable::Filter, kIngressChain, back, NfTarget::accept(),
                                   fmt::format("Replies from published port {} are let through.",
                                               p.published),
                                   fmt::format("来自已发布端口 {} 的应答被放行。", p.published)));
        NfMatch in;
        in.proto = p.proto;
        in.dport = p.published;
        ipt.insert(owner, ipt.rule(NfTable::Filter, kIngressChain, in, NfTarget::accept(),
                                   fmt::format("Connections to published port {} are let "
                                               "through to the ingress sandbox.",
                                               p.published),
                                   fmt::format("发往已发布端口 {} 的连接被放行到 ingress 沙箱。",
                                               p.published)));
    }
}

// redirector (service_linux.go): in a task's sandbox, for its ingress address.
void programRedirect(PlanBuilder& plan, const model::Container& task,
                     const model::SwarmService& s) {
    const model::Endpoint* ep = nullptr;
    for (const auto& e : task.endpoints) {
        if (e.network == "ingress") {
            ep = &e;
        }
    }
    if (ep == nullptr) {
        return;
    }
    const Owner owner = "redirect:" + task.netns;
    const std::string& ns = task.netns;
    Iptables ipt(plan, ns);
    ipt.builtinChains(owner, NfTable::Filter);
    ipt.builtinChains(owner, NfTable::Nat);
    const Cidr me{ep->ipv4, 32};
    for (const auto& p : s.published) {
        if (p.hostMode) {
            continue;
        }
        NfMatch pre;
        pre.dst = me;
        pre.proto = p.proto;
        pre.dport = p.published;
        ipt.append(owner,
                   ipt.rule(NfTable::Nat, "PREROUTING", pre, NfTarget::redirect(p.target),
                            fmt::format("Routing mesh: published port {} arriving on the ingress "
                                        "network becomes the task's port {}.",
                                        p.published, p.target),
                            fmt::format("路由网格：从 ingress 网络到达的已发布端口 {} "
                                        "被改写为任务的端口 {}。",
                                        p.published, p.target)));
        NfMatch in;
        in.dst = me;
        in.proto = p.proto;
        in.dport = p.target;
        in.ctState = "NEW,ESTABLISHED";
        ipt.insert(owner, ipt.rule(NfTable::Filter, "INPUT", in, NfTarget::accept(),
                                   fmt::format("The ingress network may open connections to port "
                                               "{} only.",
                                               p.target),
                                   fmt::format("ingress 网络只能向端口 {} 建立连接。", p.target)));
        NfMatch out;
        out.src = me;
        out.proto = p.proto;
        out.sport = p.target;
        out.ctState = "ESTABLISHED";
        ipt.insert(owner,
                   ipt.rule(NfTable::Filter, "OUTPUT", out, NfTarget::accept(),
                            fmt::format("Replies from port {} may go back out on the "
                                        "ingress network.",
                                        p.target),
                            fmt::format("来自端口 {} 的应答可以经 ingress 网络返回。", p.target)));
    }
    for (const std::uint8_t proto : {std::uint8_t{132}, std::uint8_t{17}, std::uint8_t{6}}) {
        for (const bool input : {true, false}) {
            NfMatch m;
            (input ? m.dst : m.src) = me;
            if (proto == 132) {
                m.protoNumber = proto;
            } else {
                m.proto = proto == 17 ? Proto::Udp : Proto::Tcp;
            }
            ipt.append(owner,
                       ipt.rule(NfTable::Filter, input ? "INPUT" : "OUTPUT", m, NfTarget::drop(),
                                "Nothing else reaches a task through the ingress network.",
                                "其他流量都不能经 ingress 网络到达任务。"));
        }
    }
}

}  // namespace

FwmarkMap serviceFwmarks(const model::Topology& topo, const std::string& host) {
    FwmarkMap marks;
    std::uint32_t next = kFirstFwmark;
    for (const auto& s : topo.services) {
        for (const auto& n : boundNetworks(s)) {
            const model::NetworkInstance* net = topo.findNetwork(n);
            if (net != nullptr && hasNetwork(*net, host) && !s.tasks.empty()) {
                marks[{s.key, n}] = next++;
            }
        }
    }
    return marks;
}

void addServiceLoadBalancing(const model::Topology& topo, PlanBuilder& plan) {
    for (const auto& h : topo.scenario->hosts) {
        std::vector<Balancer> balancers;
        for (const auto& lb : topo.loadBalancers) {
            const model::NetworkInstance* net = topo.findNetwork(lb.endpoint.network);
            if (lb.host == h.name && net != nullptr) {
                balancers.push_back(Balancer{net, &lb, loadBalancerNamespace(*net, h.name)});
            }
        }
        const FwmarkMap marks = serviceFwmarks(topo, h.name);
        bool ingressChains = false;
        for (const auto& s : topo.services) {
            for (const auto& vip : s.vips) {
                auto b = std::find_if(balancers.begin(), balancers.end(),
                                      [&](const Balancer& x) { return x.net->key == vip.network; });
                const auto mark = marks.find({s.key, vip.network});
                if (b == balancers.end() || mark == marks.end() || !plan.hasNetns(b->netns)) {
                    continue;
                }
                if (b->net->ingress && b->lb->gwbridge) {
                    programIngress(plan, h.name, b->lb->gwbridge->ipv4, s, ingressChains);
                }
                programVip(plan, *b, topo, s, vip, mark->second);
            }
        }
    }
    for (const auto& s : topo.services) {
        if (!s.usesIngress()) {
            continue;
        }
        for (const auto& t : s.tasks) {
            programRedirect(plan, *topo.findContainer(t), s);
        }
    }
}

}  // namespace cnmlab::drivers
