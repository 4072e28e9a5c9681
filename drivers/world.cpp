#include "drivers/world.hpp"

#include <algorithm>

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

// The machine's eth0 and its port on br-lan; `address` goes on eth0.
void plugIntoLan(PlanBuilder& plan, const std::string& netns, const Cidr& address) {
    const std::string port = lanPortName(netns);
    Link eth0;
    eth0.netns = netns;
    eth0.name = "eth0";
    eth0.kind = LinkKind::Veth;
    eth0.mac = nicMac(netns);
    eth0.peerNetns = std::string(kLanNetns);
    eth0.peerName = port;
    Link lanEnd;
    lanEnd.netns = std::string(kLanNetns);
    lanEnd.name = port;
    lanEnd.kind = LinkKind::Veth;
    lanEnd.mac = nicMac(std::string(kLanNetns) + "/" + port);
    lanEnd.master = std::string(kLanBridge);
    lanEnd.peerNetns = netns;
    lanEnd.peerName = "eth0";
    plan.add(kOwner, lanEnd);
    plan.add(kOwner, eth0);
    plan.add(kOwner, Address{netns, "eth0", address});
}

void addBuiltinChains(PlanBuilder& plan, const std::string& netns) {
    for (const char* name : {"INPUT", "FORWARD", "OUTPUT"}) {
        plan.add(kOwner, NfChain{netns, NfTable::Filter, name, true, "ACCEPT"});
    }
    for (const char* name : {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"}) {
        plan.add(kOwner, NfChain{netns, NfTable::Nat, name, true, "ACCEPT"});
    }
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

void addRouter(const model::Scenario& sc, PlanBuilder& plan) {
    const std::string router(kRouterNetns);
    plan.add(kOwner, Netns{router, NetnsKind::External, "", ""});
    addLoopback(plan, router);
    plugIntoLan(plan, router, routerLanAddress(sc));
    Link dummy;
    dummy.netns = router;
    dummy.name = "dummy0";
    dummy.kind = LinkKind::Dummy;
    dummy.mac = nicMac(router + "/dummy0");
    plan.add(kOwner, dummy);
    for (const auto& e : sc.externals) {
        if (e.address) {
            plan.add(kOwner, Address{router, "dummy0", Cidr{*e.address, 32}});
        }
    }
    plan.set(kOwner, Sysctl{router, "net.ipv4.ip_forward", "1"});
}

void addDefaultRoute(PlanBuilder& plan, const std::string& netns, Ipv4 router) {
    Route r;
    r.netns = netns;
    r.dst = Cidr{Ipv4(), 0};
    r.via = router;
    r.dev = "eth0";
    plan.add(kOwner, r);
}

} // namespace

model::Cidr routerLanAddress(const model::Scenario& sc) {
    const Cidr lan = sc.hosts.front().underlay;
    return Cidr{Ipv4(lan.network().value() + 1), lan.prefix};
}

void buildWorld(const model::Scenario& sc, PlanBuilder& plan) {
    const bool router =
        std::any_of(sc.externals.begin(), sc.externals.end(),
                    [](const model::ExternalSpec& e) { return e.address.has_value(); });
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
    if (router) {
        addRouter(sc, plan);
        for (const auto& name : onLan) {
            addDefaultRoute(plan, name, routerLanAddress(sc).address);
        }
    }
}

} // namespace cnmlab::drivers
