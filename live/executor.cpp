#include "live/executor.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "drivers/plan_text.hpp"
#include "live/nft.hpp"

namespace cnmlab::live {

void executePlan(const drivers::Plan& plan, PlanExecutor& exec) {
    exec.createNamespaces(plan.namespaces);
    // Parents before the links that need them: bridges and dummies, then veth
    // pairs, then VLAN sub-interfaces, then macvlan/ipvlan/vxlan on their
    // parents (which may be VLAN sub-interfaces).
    std::set<std::pair<std::string, std::string>> made;
    auto isDone = [&](const std::string& ns, const std::string& n) {
        return made.count({ns, n}) != 0;
    };
    for (int pass = 0; pass < 4; ++pass) {
        for (const auto& l : plan.links) {
            const bool base =
                l.kind == drivers::LinkKind::Bridge || l.kind == drivers::LinkKind::Dummy;
            const bool veth = l.kind == drivers::LinkKind::Veth;
            const bool vlan = l.kind == drivers::LinkKind::Vlan;
            const bool other = !base && !veth && !vlan && l.kind != drivers::LinkKind::Loopback;
            if ((pass == 0 && !base) || (pass == 1 && !veth) || (pass == 2 && !vlan) ||
                (pass == 3 && !other)) {
                continue;
            }
            if (isDone(l.netns, l.name)) {
                continue;
            }
            exec.createLink(l);
            made.insert({l.netns, l.name});
            if (veth) {
                made.insert({l.peerNetns, l.peerName});
            }
        }
    }
    for (const auto& l : plan.links) {
        if (!l.master.empty()) {
            exec.setMaster(l);
        }
    }
    for (const auto& l : plan.links) {
        if (l.up) {
            exec.setUp(l);
        }
    }
    for (const auto& a : plan.addresses) {
        exec.addAddress(a);
    }
    for (const auto& r : plan.routes) {
        exec.addRoute(r);
    }
    for (const auto& n : plan.neighbors) {
        exec.addNeighbor(n);
    }
    for (const auto& f : plan.fdb) {
        exec.addFdb(f);
    }
    for (const auto& s : plan.sysctls) {
        exec.setSysctl(s);
    }
    for (const auto& x : plan.xfrmStates) {
        exec.addXfrmState(x);
    }
    for (const auto& x : plan.xfrmPolicies) {
        exec.addXfrmPolicy(x);
    }
    for (const auto& ns : plan.namespaces) {
        exec.loadRules(ns.name, nftScript(plan, ns.name));
    }
}

void RecordingExecutor::createNamespace(const drivers::Netns& ns) {
    ops.push_back(fmt::format("ip netns add {}", ns.name));
}
void RecordingExecutor::createLink(const drivers::Link& l) {
    switch (l.kind) {
    case drivers::LinkKind::Veth:
        ops.push_back(fmt::format("ip -n {} link add {} type veth peer name {} netns {}", l.netns,
                                  l.name, l.peerName, l.peerNetns));
        break;
    case drivers::LinkKind::Bridge:
        ops.push_back(fmt::format("ip -n {} link add {} type bridge", l.netns, l.name));
        break;
    case drivers::LinkKind::Dummy:
        ops.push_back(fmt::format("ip -n {} link add {} type dummy", l.netns, l.name));
        break;
    case drivers::LinkKind::Vlan:
        ops.push_back(fmt::format("ip -n {} link add link {} name {} type vlan id {}", l.netns,
                                  l.parent, l.name, l.vlanId));
        break;
    case drivers::LinkKind::Vxlan:
        ops.push_back(
            fmt::format("ip -n {} link add {} netns {} type vxlan id {} dstport {}{}{}{}{}",
                        l.parentNetns.empty() ? l.netns : l.parentNetns, l.name, l.netns, l.vni,
                        l.dstPort, l.learning ? "" : " nolearning", l.proxy ? " proxy" : "",
                        l.l2miss ? " l2miss" : "", l.l3miss ? " l3miss" : ""));
        break;
    default:
        ops.push_back(
            fmt::format("ip -n {} link add {} link {} type other", l.netns, l.name, l.parent));
        break;
    }
}
void RecordingExecutor::setMaster(const drivers::Link& l) {
    ops.push_back(fmt::format("ip -n {} link set {} master {}", l.netns, l.name, l.master));
}
void RecordingExecutor::setUp(const drivers::Link& l) {
    ops.push_back(fmt::format("ip -n {} link set {} up", l.netns, l.name));
}
void RecordingExecutor::addAddress(const drivers::Address& a) {
    ops.push_back(fmt::format("ip -n {} addr add {} dev {}", a.netns, a.cidr.str(), a.dev));
}
void RecordingExecutor::addRoute(const drivers::Route& r) {
    ops.push_back(fmt::format("ip -n {} route add {}{} dev {}{}", r.netns, r.dst.networkStr(),
                              r.via ? " via " + r.via->str() : "", r.dev,
                              r.onlink ? " onlink" : ""));
}
void RecordingExecutor::addNeighbor(const drivers::Neighbor& n) {
    ops.push_back(fmt::format("ip -n {} neigh add {} lladdr {} dev {}", n.netns, n.ip.str(),
                              model::macStr(n.mac), n.dev));
}
void RecordingExecutor::addFdb(const drivers::FdbEntry& f) {
    ops.push_back(fmt::format(
        "bridge -n {} fdb append {} dev {}{} {} permanent", f.netns, model::macStr(f.mac), f.dev,
        f.remote ? " dst " + f.remote->str() : "", f.remote ? "self" : "master"));
}
void RecordingExecutor::setSysctl(const drivers::Sysctl& s) {
    ops.push_back(fmt::format("ip netns exec {} sysctl -w {}={}", s.netns, s.key, s.value));
}
void RecordingExecutor::addXfrmState(const drivers::XfrmState& x) {
    ops.push_back(fmt::format("ip -n {} {}", x.netns, drivers::equivalent(x).substr(3)));
}
void RecordingExecutor::addXfrmPolicy(const drivers::XfrmPolicy& x) {
    ops.push_back(fmt::format("ip -n {} {}", x.netns, drivers::equivalent(x).substr(3)));
}
void RecordingExecutor::loadRules(const std::string& netns, const std::string& script) {
    if (!script.empty()) {
        ops.push_back(fmt::format("ip netns exec {} nft -f - <<{} lines>>", netns,
                                  std::count(script.begin(), script.end(), '\n')));
    }
}

std::string shortIfname(const std::string& name) {
    if (name.size() <= 15) {
        return name;
    }
    std::uint32_t h = 2166136261u;
    for (char c : name) {
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    }
    return fmt::format("{}{:06x}", name.substr(0, 9), h & 0xffffff);
}

drivers::Plan livePlan(const drivers::Plan& in, const std::string& prefix) {
    drivers::Plan p = in;
    auto ns = [&](std::string& n) {
        if (!n.empty()) {
            n = prefix + n;
        }
    };
    auto dev = [](std::string& n) {
        const bool wildcard = !n.empty() && n.back() == '+';
        if (!wildcard) {
            n = shortIfname(n);
        }
    };
    for (auto& x : p.namespaces) {
        ns(x.name);
    }
    for (auto& l : p.links) {
        ns(l.netns);
        ns(l.peerNetns);
        ns(l.parentNetns);
        dev(l.name);
        dev(l.master);
        dev(l.peerName);
        dev(l.parent);
    }
    for (auto& a : p.addresses) {
        ns(a.netns);
        dev(a.dev);
    }
    for (auto& r : p.routes) {
        ns(r.netns);
        dev(r.dev);
    }
    for (auto& n : p.neighbors) {
        ns(n.netns);
        dev(n.dev);
    }
    for (auto& f : p.fdb) {
        ns(f.netns);
        dev(f.dev);
    }
    for (auto& s : p.sysctls) {
        ns(s.netns);
    }
    for (auto& c : p.chains) {
        ns(c.netns);
    }
    for (auto& r : p.rules) {
        ns(r.netns);
        dev(r.match.inIf);
        dev(r.match.outIf);
    }
    for (auto& d : p.dns) {
        ns(d.netns);
    }
    for (auto& x : p.xfrmStates) {
        ns(x.netns);
    }
    for (auto& x : p.xfrmPolicies) {
        ns(x.netns);
    }
    for (auto& l : p.listeners) {
        ns(l.netns);
    }
    return p;
}

}  // namespace cnmlab::live
