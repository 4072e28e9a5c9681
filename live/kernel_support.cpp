#include "live/kernel_support.hpp"

#include <optional>
#include <set>

#include <fmt/format.h>

#include "live/netns.hpp"
#include "live/rtnl.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

// Tries `ip link add p2 link p0 type ipvlan` on a veth in a scratch namespace.
bool kernelMakesIpvlan(const std::string& prefix) {
    static std::optional<bool> known;  // per process: the kernel does not change
    if (known) {
        return *known;
    }
    const std::string scratch = prefix + "_probe";  // no user name starts with _
    deleteNamedNetns(scratch);
    bool ok = true;
    {
        Fd ns = createNamedNetns(scratch);
        try {
            Rtnl rt(ns);
            rt.addVethPair("p0", model::Mac{}, 1500, "p1", model::Mac{}, ns);
            rt.addSlave(Rtnl::Slave::Ipvlan, "p2", "p0", "l2", model::Mac{}, 1500);
        } catch (const model::Error& e) {
            ok = e.kind() != model::ErrorKind::Unsupported;
        }
    }
    deleteNamedNetns(scratch);
    known = ok;
    return ok;
}

}  // namespace

std::vector<LackingNetwork> networksTheKernelLacks(const model::Topology& topo,
                                                   const std::string& prefix) {
    std::vector<LackingNetwork> out;
    for (const auto& n : topo.networks) {
        if (n.driver == "ipvlan" && !kernelMakesIpvlan(prefix)) {
            out.push_back({&n, "the kernel lacks the ipvlan driver (CONFIG_IPVLAN)"});
        }
    }
    return out;
}

std::string describe(const std::vector<LackingNetwork>& lacking) {
    std::string s;
    for (const auto& l : lacking) {
        s += fmt::format("{}network {} ({}, driver {}): {}", s.empty() ? "" : "\n",
                         l.network->key, l.network->name, l.network->driver, l.why);
    }
    return s;
}

drivers::Plan withoutLacking(const drivers::Plan& plan, const std::vector<LackingNetwork>& lacking) {
    std::set<drivers::LinkKind> kinds;
    for (const auto& l : lacking) {
        if (l.network->driver == "ipvlan") {
            kinds.insert(drivers::LinkKind::Ipvlan);
        }
    }
    drivers::Plan out = plan;
    std::set<std::pair<std::string, std::string>> gone;  // (netns, dev)
    std::erase_if(out.links, [&](const drivers::Link& l) {
        const bool drop = kinds.count(l.kind) != 0;
        if (drop) {
            gone.emplace(l.netns, l.name);
        }
        return drop;
    });
    auto on = [&](const std::string& netns, const std::string& dev) {
        return gone.count({netns, dev}) != 0;
    };
    std::erase_if(out.addresses, [&](const drivers::Address& a) { return on(a.netns, a.dev); });
    std::erase_if(out.routes, [&](const drivers::Route& r) { return on(r.netns, r.dev); });
    std::erase_if(out.neighbors, [&](const drivers::Neighbor& n) { return on(n.netns, n.dev); });
    return out;
}

}  // namespace cnmlab::live
