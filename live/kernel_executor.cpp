#include "live/kernel_executor.hpp"
#include "live/xfrm.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "live/executor.hpp"
#include "live/kernel_probes.hpp"
#include "live/nft.hpp"
#include "live/sysctl.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

KernelExecutor::KernelExecutor(const drivers::Plan& plan) : m_plan(plan) {
    const std::size_t limit = raiseFileLimit();
    const std::size_t used = openDescriptors();
    m_cacheMax = std::max<std::size_t>(8, limit > used ? (limit - used) / 4 : 0);
}

void KernelExecutor::trim() {
    if (m_fds.size() + m_rtnl.size() >= m_cacheMax) {
        m_rtnl.clear();
        m_fds.clear();
    }
}

const Fd& KernelExecutor::ns(const std::string& name) const {
    auto it = m_fds.find(name);
    if (it == m_fds.end()) {
        if (std::find(m_created.begin(), m_created.end(), name) == m_created.end()) {
            throw model::Error(model::ErrorKind::NotFound, "no namespace " + name + " was made");
        }
        it = m_fds.emplace(name, openNamedNetns(name)).first;
    }
    return it->second;
}

Rtnl& KernelExecutor::rtnl(const std::string& name) {
    auto it = m_rtnl.find(name);
    if (it == m_rtnl.end()) {
        it = m_rtnl.emplace(name, std::make_unique<Rtnl>(ns(name))).first;
    }
    return *it->second;
}

model::Mac KernelExecutor::peerMacOf(const drivers::Link& l) const {
    const drivers::Link* peer = m_plan.findLink(l.peerNetns, l.peerName);
    return peer != nullptr ? peer->mac : model::Mac{};
}

void KernelExecutor::createNamespace(const drivers::Netns& n) {
    trim();
    m_fds.emplace(n.name, createNamedNetns(n.name));
    m_created.push_back(n.name);
    rtnl(n.name).setUp("lo");
}

void KernelExecutor::createNamespaces(const std::vector<drivers::Netns>& all) {
    std::vector<Fd> made(all.size());
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto work = [&](std::size_t first) {
        for (std::size_t i = first; i < all.size() && !failed; i += 2) {
            try {
                made[i] = createNamedNetns(all[i].name);
            } catch (...) {
                const std::lock_guard lock(errorMutex);
                if (!failed.exchange(true)) {
                    error = std::current_exception();
                }
            }
        }
    };
    std::thread second(work, 1);
    work(0);
    second.join();
    // The manifest lists every namespace made, also when one failed, so that
    // rollback() removes exactly those.
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (made[i].valid()) {
            m_created.push_back(all[i].name);  // opened again when needed
        }
    }
    if (error) {
        std::rethrow_exception(error);
    }
    for (const auto& n : all) {
        trim();
        rtnl(n.name).setUp("lo");
    }
}

void KernelExecutor::createLink(const drivers::Link& l) {
    trim();
    switch (l.kind) {
    case drivers::LinkKind::Loopback:
        return;  // every namespace has lo
    case drivers::LinkKind::Bridge:
        rtnl(l.netns).addBridge(l.name, l.mac, l.mtu, l.ageingSeconds);
        return;
    case drivers::LinkKind::Dummy:
        try {
            rtnl(l.netns).addDummy(l.name);
        } catch (const model::Error& e) {
            if (e.kind() != model::ErrorKind::Unsupported) {
                throw;
            }
            // A kernel without the dummy driver: the documented substitute (see
            // kernel_support.hpp), which `plan` and `live status` show.
            const Substitute sub = dummySubstitute(l.netns, l.name);
            rtnl(l.netns).addVethPair(l.name, l.mac, l.mtu, sub.peer, model::Mac{}, ns(l.netns));
            rtnl(l.netns).setUp(sub.peer);
        }
        return;
    case drivers::LinkKind::Veth:
        rtnl(l.netns).addVethPair(l.name, l.mac, l.mtu, l.peerName, peerMacOf(l), ns(l.peerNetns));
        return;
    case drivers::LinkKind::Macvlan:
    case drivers::LinkKind::Ipvlan: {
        const auto kind =
            l.kind == drivers::LinkKind::Ipvlan ? Rtnl::Slave::Ipvlan : Rtnl::Slave::Macvlan;
        if (!l.parentNetns.empty() && l.parentNetns != l.netns) {
            // Made on the parent and moved into the sandbox in one request.
            rtnl(l.parentNetns)
                .addSlave(kind, l.name, l.parent, l.mode, l.mac, l.mtu, &ns(l.netns));
        } else {
            rtnl(l.netns).addSlave(kind, l.name, l.parent, l.mode, l.mac, l.mtu);
        }
        return;
    }
    case drivers::LinkKind::Vlan:
        rtnl(l.netns).addVlan(l.name, l.parent, l.vlanId, l.mac, l.mtu);
        return;
    case drivers::LinkKind::Vxlan: {
        // Made in the namespace whose UDP socket carries it (the host's),
        // then moved to its own (the overlay's), as ov_utils.go createVxlan does.
        const Rtnl::VxlanFlags flags{l.learning, l.proxy, l.l2miss, l.l3miss};
        if (!l.parentNetns.empty() && l.parentNetns != l.netns) {
            rtnl(l.parentNetns)
                .addVxlan(l.name, l.vni, l.dstPort, flags, l.mac, l.mtu, &ns(l.netns));
        } else {
            rtnl(l.netns).addVxlan(l.name, l.vni, l.dstPort, flags, l.mac, l.mtu);
        }
        return;
    }
    }
}

void KernelExecutor::setMaster(const drivers::Link& l) {
    trim();
    rtnl(l.netns).setMaster(l.name, l.master);
}
void KernelExecutor::setUp(const drivers::Link& l) {
    trim();
    if (l.kind != drivers::LinkKind::Loopback) {
        rtnl(l.netns).setUp(l.name);
    }
}
void KernelExecutor::addAddress(const drivers::Address& a) {
    if (a.dev == "lo" && a.cidr.address == model::Ipv4(127, 0, 0, 1)) {
        return;  // the kernel gives lo 127.0.0.1/8 when it comes up
    }
    trim();
    rtnl(a.netns).addAddress(a.dev, a.cidr);
}
void KernelExecutor::addRoute(const drivers::Route& r) {
    trim();
    rtnl(r.netns).addRoute(r.dst, r.via, r.dev, r.onlink);
}
void KernelExecutor::addNeighbor(const drivers::Neighbor& n) {
    trim();
    rtnl(n.netns).addNeighbor(n.dev, n.ip, n.mac);
}
void KernelExecutor::addFdb(const drivers::FdbEntry& f) {
    trim();
    rtnl(f.netns).addFdb(f.dev, f.mac, f.remote);
}
void KernelExecutor::addXfrmState(const drivers::XfrmState& x) {
    trim();
    Xfrm(ns(x.netns)).addState(x);
}
void KernelExecutor::addXfrmPolicy(const drivers::XfrmPolicy& x) {
    trim();
    Xfrm(ns(x.netns)).addPolicy(x);
}
void KernelExecutor::setSysctl(const drivers::Sysctl& s) {
    trim();
    live::setSysctl(ns(s.netns), rtnl(s.netns), s.key, s.value);
}
void KernelExecutor::loadRules(const std::string& netns, const std::string& script) {
    trim();
    loadNft(ns(netns), script);
}

void KernelExecutor::rollback() {
    m_rtnl.clear();
    m_fds.clear();
    for (auto it = m_created.rbegin(); it != m_created.rend(); ++it) {
        deleteNamedNetns(*it);
    }
    m_created.clear();
}

std::unique_ptr<KernelExecutor> buildInKernel(const drivers::Plan& plan) {
    auto exec = std::make_unique<KernelExecutor>(plan);
    try {
        executePlan(plan, *exec);
    } catch (...) {
        exec->rollback();
        throw;
    }
    return exec;
}

}  // namespace cnmlab::live
