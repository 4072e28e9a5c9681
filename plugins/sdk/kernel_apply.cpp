#include "plugins/sdk/kernel_apply.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cctype>
#include <iostream>

#include <fmt/format.h>

#include "drivers/plan_json.hpp"
#include "live/netns.hpp"
#include "live/nft.hpp"
#include "live/rtnl.hpp"
#include "live/sysctl.hpp"
#include "model/error.hpp"

namespace cnmlab::plugins {

namespace {

live::Fd ownNamespace() {
    const int fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw model::Error(model::ErrorKind::System, "cannot open /proc/thread-self/ns/net");
    }
    return live::Fd(fd);
}

// `add chain` for `chain` of `table`: a built-in chain is a base chain on its
// hook, as iptables-nft makes it (without a policy, so that one already there,
// such as Docker's FORWARD with policy drop, keeps its own).
std::string addChain(drivers::NfTable table, const std::string& chain) {
    const char* t = drivers::tableName(table);
    std::string hook;
    for (const char* h : {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}) {
        if (chain == h) {
            hook = chain;
            for (char& c : hook) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
    }
    if (hook.empty()) {
        return fmt::format("add table ip {0}\nadd chain ip {0} {1}\n", t, chain);
    }
    std::string type = "filter";
    int priority = table == drivers::NfTable::Mangle ? -150 : 0;
    if (table == drivers::NfTable::Nat) {
        type = "nat";
        priority = hook == "prerouting" || hook == "output" ? -100 : 100;
    }
    if (table == drivers::NfTable::Mangle && hook == "output") {
        type = "route";
    }
    return fmt::format(
        "add table ip {0}\nadd chain ip {0} {1} {{ type {2} hook {3} priority {4}; }}\n", t, chain,
        type, hook, priority);
}

}  // namespace

KernelApplier::KernelApplier(HostPlan& plan)
    : m_plan(plan), m_ns(std::make_unique<live::Fd>(ownNamespace())),
      m_rtnl(std::make_unique<live::Rtnl>(*m_ns)) {
    for (const auto& c : plan.changesSince(0)) {
        apply(c);
    }
    plan.setListener([this](const HostPlan::Json& c) { apply(c); });
}

KernelApplier::~KernelApplier() {
    m_plan.setListener({});
    for (auto it = m_links.rbegin(); it != m_links.rend(); ++it) {
        try {
            m_rtnl->deleteLink(*it);
        } catch (const model::Error&) {
            // gone with its peer, or moved away: nothing left to remove
        }
    }
}

void KernelApplier::apply(const HostPlan::Json& c) {
    const std::string op = c.at("Op").get<std::string>();
    if (op == "remove") {
        for (const auto& o : c.at("Objects")) {
            if (o.at("Kind") == "link") {
                const auto l = drivers::planFromJson<drivers::Link>(o.at("Object"));
                if (m_rtnl->deleteLink(l.name)) {
                    m_links.erase(std::remove(m_links.begin(), m_links.end(), l.name),
                                  m_links.end());
                }
            }
        }
        return;
    }
    const std::string kind = c.at("Kind").get<std::string>();
    const auto& o = c.at("Object");
    if (kind == "link") {
        const auto l = drivers::planFromJson<drivers::Link>(o);
        const auto names = m_rtnl->linkNames();
        if (std::find(names.begin(), names.end(), l.name) != names.end()) {
            return;  // the second end of a veth pair made with the first
        }
        switch (l.kind) {
        case drivers::LinkKind::Bridge:
            m_rtnl->addBridge(l.name, l.mac, l.mtu, l.ageingSeconds);
            break;
        case drivers::LinkKind::Veth: {
            const auto* peer = m_plan.plan().findLink("", l.peerName);
            m_rtnl->addVethPair(l.name, l.mac, l.mtu, l.peerName,
                                peer != nullptr ? peer->mac : l.mac, *m_ns);
            break;
        }
        case drivers::LinkKind::Vxlan:
            m_rtnl->addVxlan(l.name, l.vni, l.dstPort,
                             live::Rtnl::VxlanFlags{l.learning, l.proxy, l.l2miss, l.l3miss}, l.mac,
                             l.mtu);
            break;
        case drivers::LinkKind::Dummy:
            m_rtnl->addDummy(l.name);
            break;
        case drivers::LinkKind::Vlan:
            m_rtnl->addVlan(l.name, l.parent, l.vlanId, l.mac, l.mtu);
            break;
        default:
            throw model::Error(model::ErrorKind::Unsupported,
                               fmt::format("a plugin cannot make link {} of this kind", l.name));
        }
        m_links.push_back(l.name);
        if (!l.master.empty()) {
            m_rtnl->setMaster(l.name, l.master);
        }
        if (l.up) {
            m_rtnl->setUp(l.name);
        }
    } else if (kind == "address") {
        const auto a = drivers::planFromJson<drivers::Address>(o);
        m_rtnl->addAddress(a.dev, a.cidr);
    } else if (kind == "route") {
        const auto r = drivers::planFromJson<drivers::Route>(o);
        m_rtnl->addRoute(r.dst, r.via, r.dev, r.onlink);
    } else if (kind == "neighbor") {
        const auto n = drivers::planFromJson<drivers::Neighbor>(o);
        m_rtnl->addNeighbor(n.dev, n.ip, n.mac);
    } else if (kind == "fdb") {
        const auto f = drivers::planFromJson<drivers::FdbEntry>(o);
        m_rtnl->addFdb(f.dev, f.mac, f.remote);
    } else if (kind == "sysctl") {
        const auto s = drivers::planFromJson<drivers::Sysctl>(o);
        live::setSysctl(*m_ns, *m_rtnl, s.key, s.value);
    } else if (kind == "chain") {
        const auto ch = drivers::planFromJson<drivers::NfChain>(o);
        live::loadNft(*m_ns, addChain(ch.table, ch.name));
    } else if (kind == "rule") {
        const auto r = drivers::planFromJson<drivers::NfRule>(o);
        live::loadNft(*m_ns,
                      addChain(r.table, r.chain) +
                          fmt::format("{} rule ip {} {} {}\n", op == "insert" ? "insert" : "add",
                                      drivers::tableName(r.table), r.chain, live::nftRule(r)));
    }
}

}  // namespace cnmlab::plugins
