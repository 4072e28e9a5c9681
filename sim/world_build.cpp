// Building the simulated kernel from a Plan: the same objects live/ creates
// with netlink, in the same order (namespaces, links, addresses, routes,
// sysctls, netfilter, processes).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "model/error.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

World::World(const drivers::Plan& plan) : m_plan(plan) {
    build();
}

int World::findNamespace(std::string_view name) const {
    auto it = m_nsIndex.find(std::string(name));
    return it == m_nsIndex.end() ? -1 : it->second;
}

int World::addDevice(int ns, const drivers::Link& link) {
    Device d;
    d.name = link.name;
    d.ns = ns;
    d.kind = link.kind;
    d.mac = link.mac;
    d.mtu = link.mtu;
    d.up = link.up;
    d.state = makeDeviceState(link);
    m_dev.push_back(std::move(d));
    const int id = static_cast<int>(m_dev.size()) - 1;
    m_ns[static_cast<std::size_t>(ns)].devices.push_back(id);
    return id;
}

namespace {

int deviceIn(const std::vector<Device>& devs, const Namespace& ns, std::string_view name) {
    for (int d : ns.devices) {
        if (devs[static_cast<std::size_t>(d)].name == name) {
            return d;
        }
    }
    return -1;
}

NfTableState& tableOf(Namespace& ns, drivers::NfTable t) {
    switch (t) {
    case drivers::NfTable::Filter:
        return ns.filter;
    case drivers::NfTable::Nat:
        return ns.nat;
    case drivers::NfTable::Mangle:
        return ns.mangle;
    }
    return ns.filter;
}

[[noreturn]] void planError(const std::string& what) {
    throw model::Error(model::ErrorKind::Invalid, "inconsistent plan: " + what);
}

}  // namespace

// The World is built from the Plan one kind of object at a time, in the order
// the kernel needs them: namespaces, devices and how they are wired, addresses
// and routes, static neighbours and FDB entries, sysctls, netfilter, the lookup
// tables the data path reads, and the local services.
void World::build() {
    buildNamespaces();
    buildDevices();
    buildAddressesAndRoutes();
    buildStaticEntries();
    buildSysctls();
    buildNetfilter();
    buildLookupTables();
    buildServices();
    buildPluginCalls();
}

int World::planNamespace(const std::string& name) const {
    const int i = findNamespace(name);
    if (i < 0) {
        planError("no namespace " + name);
    }
    return i;
}

int World::planDevice(const std::string& netns, const std::string& name) const {
    const int d = deviceIn(m_dev, m_ns[static_cast<std::size_t>(planNamespace(netns))], name);
    if (d < 0) {
        planError(fmt::format("no device {} in {}", name, netns));
    }
    return d;
}

void World::buildNamespaces() {
    for (const auto& n : m_plan.namespaces) {
        Namespace ns;
        ns.planName = n.name;
        // cnmlab's own namespaces read as what they stand for: the switch of the
        // hosts' physical LAN and the router beyond it.
        if (n.kind == drivers::NetnsKind::Lan) {
            ns.name = "the LAN switch";
            ns.nameZh = "局域网交换机";
        } else if (n.kind == drivers::NetnsKind::Router) {
            ns.name = "the router";
            ns.nameZh = "路由器";
        } else {
            ns.name = n.name;
            ns.nameZh = n.name;
        }
        ns.kind = n.kind;
        ns.host = n.host;
        m_nsIndex[n.name] = static_cast<int>(m_ns.size());
        m_ns.push_back(std::move(ns));
    }
}

// Every link, then what joins them: veth peers, a slave's parent, a bridge's ports.
void World::buildDevices() {
    for (const auto& l : m_plan.links) {
        addDevice(planNamespace(l.netns), l);
    }
    for (const auto& l : m_plan.links) {
        const int d = planDevice(l.netns, l.name);
        Device& dev = m_dev[static_cast<std::size_t>(d)];
        if (Veth* veth = dev.as<Veth>(); veth != nullptr && !l.peerName.empty()) {
            veth->peer = planDevice(l.peerNetns, l.peerName);
        }
        if (!l.parent.empty() && (dev.as<Macvlan>() != nullptr || dev.as<Ipvlan>() != nullptr)) {
            const int lower = planDevice(l.parentNetns.empty() ? l.netns : l.parentNetns, l.parent);
            Device& parent = m_dev[static_cast<std::size_t>(lower)];
            parent.uppers.push_back(d);
            if (Macvlan* m = dev.as<Macvlan>()) {
                m->lower = lower;
                parent.rxHandler = &Macvlan::handleFrame;
            } else if (Ipvlan* i = dev.as<Ipvlan>()) {
                i->lower = lower;
                dev.noArp = i->mode == Ipvlan::Mode::L3;
                parent.rxHandler = &Ipvlan::handleFrame;
            }
        }
        if (Vlan* vlan = dev.as<Vlan>(); vlan != nullptr && !l.parent.empty()) {
            vlan->lower = planDevice(l.netns, l.parent);
            Device& parent = m_dev[static_cast<std::size_t>(vlan->lower)];
            parent.vlans.push_back(d);
            if (dev.mac == Mac{}) {
                dev.mac = parent.mac;  // a VLAN sub-interface takes its parent's MAC
            }
        }
        if (Vxlan* vxlan = dev.as<Vxlan>()) {
            // Created in the host's namespace: its socket stays there.
            vxlan->linkNs = planNamespace(l.parentNetns.empty() ? l.netns : l.parentNetns);
            m_ns[static_cast<std::size_t>(vxlan->linkNs)].vxlans.push_back(d);
        }
        if (!l.master.empty()) {
            const int br = planDevice(l.netns, l.master);
            if (Bridge* bridge = m_dev[static_cast<std::size_t>(br)].as<Bridge>()) {
                dev.master = br;
                dev.rxHandler = &Bridge::handleFrame;
                bridge->ports.push_back(d);
            }
        }
    }
}

// Addresses, with the prefix route the kernel adds for each, and the Plan's routes.
void World::buildAddressesAndRoutes() {
    for (const auto& a : m_plan.addresses) {
        const int d = planDevice(a.netns, a.dev);
        m_dev[static_cast<std::size_t>(d)].addresses.push_back(a.cidr);
        // The kernel adds the prefix route of every address (proto kernel scope link).
        if (a.cidr.prefix < 32 &&
            m_dev[static_cast<std::size_t>(d)].kind != drivers::LinkKind::Loopback) {
            m_ns[static_cast<std::size_t>(planNamespace(a.netns))].routing.routes().push_back(
                RouteEntry{Cidr{a.cidr.network(), a.cidr.prefix}, std::nullopt, d, a.cidr.address});
        }
    }
    for (const auto& r : m_plan.routes) {
        m_ns[static_cast<std::size_t>(planNamespace(r.netns))].routing.routes().push_back(
            RouteEntry{Cidr{r.dst.network(), r.dst.prefix}, r.via, planDevice(r.netns, r.dev),
                       r.src});
    }
    for (auto& ns : m_ns) {
        auto& routes = ns.routing.routes();
        std::stable_sort(
            routes.begin(), routes.end(),
            [](const RouteEntry& a, const RouteEntry& b) { return a.dst.prefix > b.dst.prefix; });
    }
}

// Static neighbour and FDB entries (what a driver programs, rather than learns).
void World::buildStaticEntries() {
    for (const auto& n : m_plan.neighbors) {
        const int ns = planNamespace(n.netns);
        Neighbour& e = m_ns[static_cast<std::size_t>(ns)]
                           .neighbours[NeighbourTable::key(planDevice(n.netns, n.dev), n.ip)];
        e.mac = n.mac;
        e.state = Neighbour::State::Reachable;
    }
    for (const auto& f : m_plan.fdb) {
        const int port = planDevice(f.netns, f.dev);
        if (Vxlan* vxlan = m_dev[static_cast<std::size_t>(port)].as<Vxlan>();
            vxlan != nullptr && f.remote) {
            // `bridge fdb add MAC dev vxlan0 dst VTEP self permanent`: the
            // device's own FDB, not its bridge's. The all-zeros entry may be
            // appended once per VTEP (`bridge fdb append`): its remote list.
            if (f.mac == Mac{}) {
                vxlan->flood.push_back(*f.remote);
            }
            vxlan->fdb[macKey(f.mac)] = Vxlan::Remote{*f.remote, 0, true};
            continue;
        }
        const int br = m_dev[static_cast<std::size_t>(port)].master;
        if (br >= 0) {
            m_dev[static_cast<std::size_t>(br)].as<Bridge>()->fdb[macKey(f.mac)] =
                Bridge::FdbEntry{port, 0, true};
        }
    }
}

void World::buildSysctls() {
    for (const auto& s : m_plan.sysctls) {
        Namespace& ns = m_ns[static_cast<std::size_t>(planNamespace(s.netns))];
        if (s.key == "net.ipv4.ip_forward") {
            ns.ipForward = s.value == "1";
        } else if (s.key == "net.bridge.bridge-nf-call-iptables") {
            ns.bridgeNfCall = s.value == "1";
        } else if (s.key.rfind("net.ipv4.conf.", 0) == 0 && s.key.size() > 24 &&
                   s.key.compare(s.key.size() - 10, 10, ".proxy_arp") == 0) {
            const std::string dev = s.key.substr(14, s.key.size() - 24);
            m_dev[static_cast<std::size_t>(planDevice(s.netns, dev))].proxyArp = s.value == "1";
        }
    }
}

// Chains and their rules per table, jump targets included, then compiled.
void World::buildNetfilter() {
    for (const auto& c : m_plan.chains) {
        Namespace& ns = m_ns[static_cast<std::size_t>(planNamespace(c.netns))];
        NfChainState& chain = tableOf(ns, c.table).chainNamed(c.name);
        chain.builtin = c.builtin;
        chain.policyDrop = c.builtin && c.policy == "DROP";
    }
    for (const auto& r : m_plan.rules) {
        Namespace& ns = m_ns[static_cast<std::size_t>(planNamespace(r.netns))];
        NfCompiledRule compiled;
        compiled.src = &r;
        tableOf(ns, r.table).chainNamed(r.chain).rules.push_back(compiled);
    }
    // Jump targets must exist before compiling (iptables -N precedes -j).
    for (const auto& r : m_plan.rules) {
        if (r.verdict == drivers::NfVerdict::Jump) {
            Namespace& ns = m_ns[static_cast<std::size_t>(planNamespace(r.netns))];
            tableOf(ns, r.table).chainNamed(r.target);
        }
    }
    for (auto& ns : m_ns) {
        ns.filter.compile(ns.devices, m_dev);
        ns.nat.compile(ns.devices, m_dev);
        ns.mangle.compile(ns.devices, m_dev);
        ns.mangleOutput = ns.mangle.chainIndex("OUTPUT");
        ns.manglePrerouting = ns.mangle.chainIndex("PREROUTING");
        ns.mangleInput = ns.mangle.chainIndex("INPUT");
        ns.conntrack.on = !ns.nat.chains.empty() || ns.filter.readsConntrack();
        ns.filterInput = ns.filter.chainIndex("INPUT");
        ns.filterForward = ns.filter.chainIndex("FORWARD");
        ns.filterOutput = ns.filter.chainIndex("OUTPUT");
        ns.natPrerouting = ns.nat.chainIndex("PREROUTING");
        ns.natOutput = ns.nat.chainIndex("OUTPUT");
        ns.natPostrouting = ns.nat.chainIndex("POSTROUTING");
    }
    for (const auto& v : m_plan.ipvs) {
        const int ns = planNamespace(v.netns);
        m_ns[static_cast<std::size_t>(ns)].ipvs.push_back({&v, 0});
        if (std::find(m_ipvsNs.begin(), m_ipvsNs.end(), ns) == m_ipvsNs.end()) {
            m_ipvsNs.push_back(ns);
        }
    }
    // IPsec: the SAs and policies live beside netfilter in the kernel's xfrm.
    for (const auto& x : m_plan.xfrmStates) {
        Namespace& ns = m_ns[static_cast<std::size_t>(planNamespace(x.netns))];
        ns.xfrmStates.push_back({&x, std::make_shared<const std::vector<std::uint8_t>>(x.key), 0});
    }
    for (const auto& x : m_plan.xfrmPolicies) {
        m_ns[static_cast<std::size_t>(planNamespace(x.netns))].xfrmPolicies.push_back(&x);
    }
}

// What the data path looks up per packet: local addresses, the ipvlan slaves
// by address, the route caches.
void World::buildLookupTables() {
    for (auto& ns : m_ns) {
        for (int d : ns.devices) {
            for (const auto& a : m_dev[static_cast<std::size_t>(d)].addresses) {
                ns.localAddresses.push_back(a.address.value());
            }
        }
        if (ns.localAddresses.size() > Namespace::kLocalScanLimit) {
            for (const std::uint32_t a : ns.localAddresses) {
                ns.localSet[a] = true;
            }
        }
        for (int d : ns.devices) {
            const Device& slave = m_dev[static_cast<std::size_t>(d)];
            const Ipvlan* ipvlan = slave.as<Ipvlan>();
            if (ipvlan == nullptr || ipvlan->lower < 0) {
                continue;
            }
            for (const auto& a : slave.addresses) {
                m_ipvlanByAddress.emplace(
                    (std::uint64_t(static_cast<std::uint32_t>(ipvlan->lower)) << 32) |
                        a.address.value(),
                    d);
            }
        }
        ns.routing.finish();
    }
}

// The listeners and the embedded DNS's names of each namespace.
void World::buildServices() {
    for (const auto& l : m_plan.listeners) {
        m_ns[static_cast<std::size_t>(planNamespace(l.netns))].listeners.push_back(&l);
    }
    for (const auto& d : m_plan.dns) {
        Namespace& ns = m_ns[static_cast<std::size_t>(planNamespace(d.netns))];
        std::string name = d.name;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto& list = ns.dns[name];
        if (std::find(list.begin(), list.end(), d.address) == list.end()) {
            list.push_back(d.address);
        }
        ns.hasDns = true;
    }
}

}  // namespace cnmlab::sim
