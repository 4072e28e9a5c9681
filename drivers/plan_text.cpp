#include "drivers/plan_text.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>

namespace cnmlab::drivers {

// The Plan's objects grouped by namespace, and its links by (namespace, name),
// so that printing stays linear in the size of the Plan.
struct PlanIndex {
    struct PerNetns {
        std::vector<const Sysctl*> sysctls;
        std::vector<const Link*> links;
        std::vector<const Address*> addresses;
        std::vector<const Route*> routes;
        std::vector<const Neighbor*> neighbors;
        std::vector<const FdbEntry*> fdb;
        std::vector<const NfChain*> chains;
        std::vector<const NfRule*> rules;
        std::vector<const Listener*> listeners;
        std::vector<const DnsRecord*> dns;
        std::vector<const XfrmState*> xfrmStates;
        std::vector<const XfrmPolicy*> xfrmPolicies;
        std::vector<const IpvsService*> ipvs;
    };

    explicit PlanIndex(const Plan& plan) {
        for (const auto& x : plan.sysctls) {
            of[x.netns].sysctls.push_back(&x);
        }
        for (const auto& x : plan.links) {
            of[x.netns].links.push_back(&x);
            links[{x.netns, x.name}] = &x;
        }
        for (const auto& x : plan.addresses) {
            of[x.netns].addresses.push_back(&x);
        }
        for (const auto& x : plan.routes) {
            of[x.netns].routes.push_back(&x);
        }
        for (const auto& x : plan.neighbors) {
            of[x.netns].neighbors.push_back(&x);
        }
        for (const auto& x : plan.fdb) {
            of[x.netns].fdb.push_back(&x);
        }
        for (const auto& x : plan.chains) {
            of[x.netns].chains.push_back(&x);
        }
        for (const auto& x : plan.rules) {
            of[x.netns].rules.push_back(&x);
        }
        for (const auto& x : plan.listeners) {
            of[x.netns].listeners.push_back(&x);
        }
        for (const auto& x : plan.xfrmStates) {
            of[x.netns].xfrmStates.push_back(&x);
        }
        for (const auto& x : plan.xfrmPolicies) {
            of[x.netns].xfrmPolicies.push_back(&x);
        }
        for (const auto& v : plan.ipvs) {
            of[v.netns].ipvs.push_back(&v);
        }
        for (const auto& x : plan.dns) {
            of[x.netns].dns.push_back(&x);
        }
    }

    const PerNetns& in(const std::string& netns) const {
        static const PerNetns kEmpty;
        auto it = of.find(netns);
        return it == of.end() ? kEmpty : it->second;
    }
    const Link* link(const std::string& netns, const std::string& name) const {
        auto it = links.find({netns, name});
        return it == links.end() ? nullptr : it->second;
    }

    std::map<std::string, PerNetns> of;
    std::map<std::pair<std::string, std::string>, const Link*> links;
};

namespace {

std::string kindName(NetnsKind k) {
    switch (k) {
    case NetnsKind::Host:
        return "Docker host";
    case NetnsKind::Sandbox:
        return "container sandbox";
    case NetnsKind::Lan:
        return "the hosts' physical LAN (a switch)";
    case NetnsKind::External:
        return "machine outside Docker";
    case NetnsKind::Router:
        return "the router between the LAN and the machines beyond it";
    case NetnsKind::Overlay:
        return "overlay network namespace";
    case NetnsKind::LoadBalancer:
        return "swarm load-balancer sandbox";
    }
    return "";
}

// The end of a veth pair whose command creates both: the bridge port, else the
// end listed first.
bool createsPair(const Link& l, const Link* peer) {
    if (peer == nullptr) {
        return true;
    }
    if (l.master.empty() != peer->master.empty()) {
        return !l.master.empty();
    }
    return &l < peer;
}

std::string vethPairCommand(const Link& l, const Link* peer) {
    std::string cmd = equivalent(l);
    if (peer == nullptr) {
        return cmd;
    }
    const std::string anchor = "peer name " + l.peerName;
    std::string attrs = fmt::format(" address {} mtu {}", model::macStr(peer->mac), peer->mtu);
    if (!peer->master.empty()) {
        attrs += " master " + peer->master;
    }
    const auto at = cmd.find(anchor);
    return at == std::string::npos ? cmd : cmd.insert(at + anchor.size(), attrs);
}

// The line planText() prints for a link: its command, for a veth pair the
// command of the end that creates both (a comment at the other end).
std::string linkCommand(const PlanIndex& index, const Link& l) {
    if (l.kind != LinkKind::Veth) {
        return equivalent(l);
    }
    const Link* peer = index.link(l.peerNetns, l.peerName);
    if (createsPair(l, peer)) {
        return vethPairCommand(l, peer);
    }
    return fmt::format("# {} is the other end of {} (namespace {})", l.name, l.peerName,
                       l.peerNetns);
}

// The connected route the kernel adds for an address, as a comment ("" for a
// /32 or an address on lo).
std::string kernelRouteComment(const PlanIndex& index, const Address& a) {
    const Link* dev = index.link(a.netns, a.dev);
    if (a.cidr.prefix >= 32 || (dev != nullptr && dev->kind == LinkKind::Loopback)) {
        return "";
    }
    return fmt::format("#   the kernel adds: {} dev {} proto kernel scope link src {}",
                       a.cidr.networkStr(), a.dev, a.cidr.address.str());
}

void writeTable(std::ostringstream& out, const PlanIndex::PerNetns& objs, NfTable table);

class SectionWriter {
public:
    SectionWriter(const PlanIndex& index, std::ostringstream& out) : m_index(index), m_out(out) {}

    // `machine` is the namespace whose commands run without -n; `inner` are the
    // namespaces inside it (sandboxes), printed with -n.
    void write(const Netns& machine, const std::vector<const Netns*>& inner) {
        m_machine = machine.name;
        m_out << fmt::format("\n# ==== {}: {} ====\n", machine.name, kindName(machine.kind));
        std::vector<const Netns*> all{&machine};
        all.insert(all.end(), inner.begin(), inner.end());
        for (const Netns* ns : inner) {
            line(m_machine,
                 equivalent(*ns) + (ns->service.empty() ? "" : "    # service " + ns->service));
        }
        for (const Netns* ns : all) {
            for (const Sysctl* s : m_index.in(ns->name).sysctls) {
                line(s->netns, equivalent(*s));
            }
        }
        for (const Netns* ns : all) {
            links(ns->name);
        }
        for (const Netns* ns : all) {
            for (const Link* l : m_index.in(ns->name).links) {
                if (l->up && l->kind != LinkKind::Loopback) {
                    line(l->netns, "ip link set dev " + l->name + " up");
                }
            }
        }
        for (const Netns* ns : all) {
            addressesAndRoutes(ns->name);
        }
        for (const Netns* ns : all) {
            netfilterAndServices(ns->name);
        }
    }

private:
    void line(const std::string& netns, const std::string& cmd) {
        m_out << (netns == m_machine ? cmd : inNetns(cmd, netns)) << "\n";
    }

    void links(const std::string& netns) {
        for (const Link* l : m_index.in(netns).links) {
            if ((l->kind == LinkKind::Macvlan || l->kind == LinkKind::Ipvlan) &&
                !l->parentNetns.empty()) {
                // Made on the parent, in the parent's namespace, and moved.
                line(l->parentNetns, equivalent(*l));
            } else {
                line(netns, linkCommand(m_index, *l));
            }
        }
    }

    void addressesAndRoutes(const std::string& netns) {
        const auto& objs = m_index.in(netns);
        for (const Address* a : objs.addresses) {
            line(netns, equivalent(*a));
            if (const std::string kernel = kernelRouteComment(m_index, *a); !kernel.empty()) {
                line(netns, kernel);
            }
        }
        for (const Route* r : objs.routes) {
            line(netns, equivalent(*r));
        }
        for (const Neighbor* n : objs.neighbors) {
            line(netns, equivalent(*n));
        }
        for (const FdbEntry* f : objs.fdb) {
            line(netns, equivalent(*f));
        }
    }

    void netfilterAndServices(const std::string& netns) {
        const auto& objs = m_index.in(netns);
        if (!objs.chains.empty()) {
            m_out << fmt::format("# iptables-save{}\n", netns == m_machine ? "" : " in " + netns);
            writeTable(m_out, objs, NfTable::Filter);
            writeTable(m_out, objs, NfTable::Nat);
            writeTable(m_out, objs, NfTable::Mangle);
        }
        for (const XfrmState* x : objs.xfrmStates) {
            line(netns, equivalent(*x));
        }
        for (const XfrmPolicy* x : objs.xfrmPolicies) {
            line(netns, equivalent(*x));
        }
        for (const IpvsService* v : objs.ipvs) {
            m_out << fmt::format("# IPVS: swarm service {} on {}, round robin over {}\n",
                                 v->service, v->network, v->realNames.size());
            line(netns, fmt::format("ipvsadm -A -f {} -s {}", v->fwmark, v->scheduler));
            for (const auto& r : v->reals) {
                line(netns, fmt::format("ipvsadm -a -f {} -r {} -m -w 1", v->fwmark, r.str()));
            }
        }
        const std::string where = netns == m_machine ? "" : " in " + netns;
        for (const Listener* l : objs.listeners) {
            if (l->owner == "docker-proxy") {
                line(netns, equivalent(*l));
            }
        }
        for (const Listener* l : objs.listeners) {
            if (l->owner != "docker-proxy") {
                m_out << equivalent(*l) << where << "\n";
            }
        }
        for (const DnsRecord* d : objs.dns) {
            m_out << equivalent(*d) << " in " << netns << "\n";
        }
    }

    const PlanIndex& m_index;
    std::ostringstream& m_out;
    std::string m_machine;
};

// The chains of `table` among `all` in libiptc's order: built-in chains first,
// then user chains by name.
std::vector<const NfChain*> chainsInSaveOrder(const std::vector<const NfChain*>& all,
                                              NfTable table) {
    static constexpr std::array kFilter = {"INPUT", "FORWARD", "OUTPUT"};
    static constexpr std::array kNat = {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"};
    static constexpr std::array kMangle = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT",
                                           "POSTROUTING"};
    std::vector<const NfChain*> chains;
    for (const NfChain* c : all) {
        if (c->table == table) {
            chains.push_back(c);
        }
    }
    auto rank = [&](const NfChain* c) {
        const char* const* first = table == NfTable::Filter ? kFilter.data()
                                   : table == NfTable::Nat  ? kNat.data()
                                                            : kMangle.data();
        const char* const* last = first + (table == NfTable::Filter ? kFilter.size()
                                           : table == NfTable::Nat  ? kNat.size()
                                                                    : kMangle.size());
        const auto* it = std::find_if(first, last, [&](const char* n) { return c->name == n; });
        return c->builtin && it != last ? static_cast<int>(it - first) : 100;
    };
    std::stable_sort(chains.begin(), chains.end(), [&](const NfChain* a, const NfChain* b) {
        const int ra = rank(a);
        const int rb = rank(b);
        return ra != rb ? ra < rb : (ra == 100 && a->name < b->name);
    });
    return chains;
}

void writeTable(std::ostringstream& out, const PlanIndex::PerNetns& objs, NfTable table) {
    const std::vector<const NfChain*> chains = chainsInSaveOrder(objs.chains, table);
    if (chains.empty()) {
        return;
    }
    out << "*" << tableName(table) << "\n";
    for (const NfChain* c : chains) {
        out << fmt::format(":{} {} [0:0]\n", c->name,
                           c->builtin ? (c->policy.empty() ? "ACCEPT" : c->policy) : "-");
    }
    std::map<std::string, std::vector<const NfRule*>> byChain;
    for (const NfRule* r : objs.rules) {
        if (r->table == table) {
            byChain[r->chain].push_back(r);
        }
    }
    for (const NfChain* c : chains) {
        for (const NfRule* r : byChain[c->name]) {
            out << ruleSpec(*r) << "\n";
        }
    }
    out << "COMMIT\n";
}

}  // namespace

std::vector<const NfChain*> chainsInSaveOrder(const Plan& plan, const std::string& netns,
                                              NfTable table) {
    std::vector<const NfChain*> all;
    for (const auto& c : plan.chains) {
        if (c.netns == netns) {
            all.push_back(&c);
        }
    }
    return chainsInSaveOrder(all, table);
}

PlanObjectText::PlanObjectText(const Plan& plan) : m_index(std::make_unique<PlanIndex>(plan)) {}

PlanObjectText::~PlanObjectText() = default;

std::string PlanObjectText::device(const std::string& netns, const std::string& dev,
                                   const std::string& machine) const {
    std::string out;
    auto line = [&](const std::string& cmd) {
        out += (netns == machine ? cmd : inNetns(cmd, netns)) + "\n";
    };
    if (const Link* l = m_index->link(netns, dev)) {
        line(linkCommand(*m_index, *l));
        if (l->up && l->kind != LinkKind::Loopback) {
            line("ip link set dev " + l->name + " up");
        }
    }
    const auto& objs = m_index->in(netns);
    for (const Address* a : objs.addresses) {
        if (a->dev == dev) {
            line(equivalent(*a));
            if (const std::string kernel = kernelRouteComment(*m_index, *a); !kernel.empty()) {
                line(kernel);
            }
        }
    }
    for (const Route* r : objs.routes) {
        if (r->dev == dev) {
            line(equivalent(*r));
        }
    }
    if (!out.empty()) {
        out.pop_back();
    }
    return out;
}

std::string PlanObjectText::netns(const std::string& name, const std::string& machine) const {
    std::string out = name == machine ? "" : equivalent(Netns{name, NetnsKind::Sandbox, "", ""});
    for (const Route* r : m_index->in(name).routes) {
        out += (out.empty() ? "" : "\n") +
               (name == machine ? equivalent(*r) : inNetns(equivalent(*r), name));
    }
    return out;
}

std::string iptablesSave(const Plan& plan, const std::string& netns) {
    const PlanIndex index(plan);
    std::ostringstream out;
    writeTable(out, index.in(netns), NfTable::Filter);
    writeTable(out, index.in(netns), NfTable::Nat);
    writeTable(out, index.in(netns), NfTable::Mangle);
    return out.str();
}

std::string planText(const Plan& plan, const std::string& host) {
    const PlanIndex index(plan);
    std::ostringstream out;
    SectionWriter writer(index, out);
    std::map<std::string, std::vector<const Netns*>> inner;  // by host
    for (const auto& s : plan.namespaces) {
        if (s.kind == NetnsKind::Sandbox || s.kind == NetnsKind::Overlay ||
            s.kind == NetnsKind::LoadBalancer) {
            inner[s.host].push_back(&s);
        }
    }
    for (const auto& ns : plan.namespaces) {
        if (ns.kind == NetnsKind::Host && (host.empty() || ns.name == host)) {
            writer.write(ns, inner[ns.name]);
        }
    }
    if (host.empty()) {
        for (const auto& ns : plan.namespaces) {
            if (ns.kind == NetnsKind::Lan || ns.kind == NetnsKind::External ||
                ns.kind == NetnsKind::Router) {
                writer.write(ns, {});
            }
        }
    }
    std::string text = out.str();
    if (!text.empty() && text.front() == '\n') {
        text.erase(0, 1);
    }
    return text;
}

}  // namespace cnmlab::drivers
