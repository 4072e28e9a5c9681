#include "drivers/underlay.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "drivers/iptables.hpp"
#include "drivers/names.hpp"

namespace cnmlab::drivers {

namespace {

const Owner kOwner(kWorldOwner);

void addLoopback(PlanBuilder& plan, const std::string& netns) {
    Link lo;
    lo.netns = netns;
    lo.name = "lo";
    lo.kind = LinkKind::Loopback;
    lo.mac = kZeroMac;
    lo.mtu = 65536;
    plan.add(kOwner, lo);
    plan.add(kOwner, Address{netns, "lo", Cidr{Ipv4(127, 0, 0, 1), 8}});
}

// A veth pair: `netns`'s eth0 and its port `port` in `hub` (enslaved to
// `master` when given); `address` goes on eth0.
void plugInto(PlanBuilder& plan, const std::string& netns, const Cidr& address,
              const std::string& hub, const std::string& master) {
    const std::string port = lanPortName(netns);
    Link eth0;
    eth0.netns = netns;
    eth0.name = "eth0";
    eth0.kind = LinkKind::Veth;
    eth0.mac = nicMac(netns);
    eth0.peerNetns = hub;
    eth0.peerName = port;
    Link hubEnd;
    hubEnd.netns = hub;
    hubEnd.name = port;
    hubEnd.kind = LinkKind::Veth;
    hubEnd.mac = nicMac(hub + "/" + port);
    hubEnd.master = master;
    hubEnd.peerNetns = netns;
    hubEnd.peerName = "eth0";
    plan.add(kOwner, hubEnd);
    plan.add(kOwner, eth0);
    plan.add(kOwner, Address{netns, "eth0", address});
}

void plugIntoLan(PlanBuilder& plan, const std::string& netns, const Cidr& address) {
    plugInto(plan, netns, address, std::string(kLanNetns), std::string(kLanBridge));
}

void addBuiltinChains(PlanBuilder& plan, const std::string& netns) {
    Iptables ipt(plan, netns);
    ipt.builtinChains(kOwner, NfTable::Filter);
    ipt.builtinChains(kOwner, NfTable::Nat);
}

void addLan(PlanBuilder& plan) {
    plan.add(kOwner, Netns{std::string(kLanNetns), NetnsKind::Lan, "", ""});
    Link br;
    br.netns = std::string(kLanNetns);
    br.name = std::string(kLanBridge);
    br.kind = LinkKind::Bridge;
    br.mac = nicMac(kLanBridge);
    plan.add(kOwner, br);
}

void addDefaultRoute(PlanBuilder& plan, const std::string& netns, Ipv4 router, bool onlink) {
    Route r;
    r.netns = netns;
    r.dst = Cidr{Ipv4(), 0};
    r.via = router;
    r.dev = "eth0";
    r.onlink = onlink;
    plan.add(kOwner, r);
}

// The router, and behind it each external with `address:` on a line of its own.
void addRouter(const model::Scenario& sc, PlanBuilder& plan) {
    const std::string router(kRouterNetns);
    const Ipv4 gateway = routerLanAddress(sc).address;
    plan.add(kOwner, Netns{router, NetnsKind::Router, "", ""});
    addLoopback(plan, router);
    plugIntoLan(plan, router, routerLanAddress(sc));
    plan.set(kOwner, Sysctl{router, "net.ipv4.ip_forward", "1"});
    for (const auto& e : sc.externals) {
        if (!e.address) {
            continue;
        }
        plan.add(kOwner, Netns{e.name, NetnsKind::External, "", ""});
        addLoopback(plan, e.name);
        plugInto(plan, e.name, Cidr{*e.address, 32}, router, "");
        addDefaultRoute(plan, e.name, gateway, true);
        Route toIt;
        toIt.netns = router;
        toIt.dst = Cidr{*e.address, 32};
        toIt.dev = lanPortName(e.name);
        plan.add(kOwner, toIt);
    }
}

}  // namespace

model::Cidr routerLanAddress(const model::Scenario& sc) {
    const Cidr lan = sc.hosts.front().underlay;
    return Cidr{Ipv4(lan.network().value() + 1), lan.prefix};
}

bool routesBeyondLan(const model::Scenario& sc) {
    return std::any_of(sc.externals.begin(), sc.externals.end(),
                       [](const model::ExternalSpec& e) { return e.address.has_value(); });
}

bool hasRouter(const model::Scenario& sc) {
    return routesBeyondLan(sc) ||
           std::any_of(sc.networks.begin(), sc.networks.end(),
                       [](const model::NetworkSpec& n) { return model::lanVlanOf(n) != 0; });
}

void addVlanGateways(const model::Topology& topo, PlanBuilder& plan) {
    const std::string router(kRouterNetns);
    for (const auto& n : topo.networks) {
        const std::uint16_t vlan = model::lanVlanOf(n);
        if (vlan == 0 || !n.subnet || !n.gateway) {
            continue;
        }
        const std::string dev = fmt::format("eth0.{}", vlan);
        if (plan.plan().findLink(router, dev) == nullptr) {
            Link sub;
            sub.netns = router;
            sub.name = dev;
            sub.kind = LinkKind::Vlan;
            sub.parent = "eth0";
            sub.vlanId = vlan;
            sub.mac = nicMac(router);  // a VLAN sub-interface takes its parent's MAC
            plan.add(kOwner, sub);
        }
        plan.add(kOwner, Address{router, dev, Cidr{*n.gateway, n.subnet->prefix}});
    }
}

void buildUnderlay(const model::Scenario& sc, PlanBuilder& plan) {
    addLan(plan);
    std::vector<std::string> onLan;
    for (const auto& h : sc.hosts) {
        plan.add(kOwner, Netns{h.name, NetnsKind::Host, h.name, ""});
        addLoopback(plan, h.name);
        plugIntoLan(plan, h.name, h.underlay);
        addBuiltinChains(plan, h.name);
        onLan.push_back(h.name);
    }
    for (const auto& e : sc.externals) {
        if (e.underlay) {
            plan.add(kOwner, Netns{e.name, NetnsKind::External, "", ""});
            addLoopback(plan, e.name);
            plugIntoLan(plan, e.name, *e.underlay);
            onLan.push_back(e.name);
        }
    }
    if (hasRouter(sc)) {
        addRouter(sc, plan);
    }
    if (routesBeyondLan(sc)) {
        for (const auto& name : onLan) {
            addDefaultRoute(plan, name, routerLanAddress(sc).address, false);
        }
    }
}

}  // namespace cnmlab::drivers
