#include "live/kernel_support.hpp"

#include "drivers/overlay_driver.hpp"
#include "live/xfrm.hpp"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <optional>
#include <set>

#include <fmt/format.h>

#include "live/executor.hpp"
#include "live/netns.hpp"
#include "live/rtnl.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

// Whether this kernel makes a link `make` asks of it, tried once per process
// (`known` keeps the answer: the kernel does not change) on a veth p0 in a
// scratch namespace; only an Unsupported answer says no.
template <typename Make>
bool kernelMakes(const std::string& prefix, std::optional<bool>& known, Make make) {
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
            make(rt);
        } catch (const model::Error& e) {
            ok = e.kind() != model::ErrorKind::Unsupported;
        }
    }
    deleteNamedNetns(scratch);
    known = ok;
    return ok;
}

// `ip link add p2 link p0 type ipvlan`.
bool kernelMakesIpvlan(const std::string& prefix) {
    static std::optional<bool> known;
    return kernelMakes(prefix, known, [](Rtnl& rt) {
        rt.addSlave(Rtnl::Slave::Ipvlan, "p2", "p0", "l2", model::Mac{}, 1500);
    });
}

// `ip link add link p0 name p0.5 type vlan id 5`.
bool kernelMakesVlan(const std::string& prefix) {
    static std::optional<bool> known;
    return kernelMakes(prefix, known,
                       [](Rtnl& rt) { rt.addVlan("p0.5", "p0", 5, model::Mac{}, 1500); });
}

// In a child: a new network namespace of its own (and a user namespace owning
// it when not root); exit 0 when a dummy link can be made there, 1 when the
// kernel lacks the driver, 2 when that cannot be told.
[[noreturn]] void tryDummyInChild() {
    const int flags = ::geteuid() == 0 ? CLONE_NEWNET : CLONE_NEWUSER | CLONE_NEWNET;
    if (::unshare(flags) != 0) {
        ::_exit(2);
    }
    int rc = 2;
    try {
        const Fd self(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
        Rtnl rt(self);
        rt.addDummy("dm-probe");
        rc = 0;
    } catch (const model::Error& e) {
        rc = e.kind() == model::ErrorKind::Unsupported ? 1 : 2;
    }
    ::_exit(rc);
}

}  // namespace

std::optional<bool> kernelMakesDummy() {
    static std::optional<std::optional<bool>> known;  // per process: the kernel does not change
    if (known) {
        return *known;
    }
    std::optional<bool> answer;
    const pid_t child = ::fork();
    if (child == 0) {
        tryDummyInChild();
    }
    int status = 0;
    if (child > 0 && ::waitpid(child, &status, 0) == child && WIFEXITED(status) &&
        WEXITSTATUS(status) < 2) {
        answer = WEXITSTATUS(status) == 0;
    }
    known = answer;
    return answer;
}

Substitute dummySubstitute(const std::string& netns, const std::string& link) {
    // Docker's dm-<12 hex> (ipvlan's di-) keeps its id: the other end is dp-<the same 12 hex>.
    const bool docker = link.rfind("dm-", 0) == 0 || link.rfind("di-", 0) == 0;
    return {netns, link, docker ? "dp-" + link.substr(3) : shortIfname(link + "-peer"),
            "the kernel lacks the dummy driver (CONFIG_DUMMY)"};
}

std::string describe(const Substitute& s) {
    return fmt::format("{} in {}: {}, so live mode builds a veth pair in its place ({} and {}, "
                       "both up in {}); unlike a dummy, what is sent on it reaches {}",
                       s.link, s.netns, s.why, s.link, s.peer, s.netns, s.peer);
}

std::vector<Substitute> substitutesFor(const drivers::Plan& plan) {
    std::vector<Substitute> out;
    for (const auto& l : plan.links) {
        if (l.kind == drivers::LinkKind::Dummy && kernelMakesDummy() == false) {
            out.push_back(dummySubstitute(l.netns, l.name));
        }
    }
    return out;
}

std::vector<Substitute> substitutesBuilt(const drivers::Plan& plan, const std::string& prefix) {
    const drivers::Plan live = livePlan(plan, prefix);
    std::vector<Substitute> out;
    for (std::size_t i = 0; i < plan.links.size() && i < live.links.size(); ++i) {
        const drivers::Link& l = live.links[i];
        if (l.kind != drivers::LinkKind::Dummy) {
            continue;
        }
        try {
            const Fd ns = openNamedNetns(l.netns);
            Rtnl rt(ns);
            if (rt.linkKind(l.name) == "veth") {
                Substitute s = dummySubstitute(plan.links[i].netns, plan.links[i].name);
                s.peer = dummySubstitute(l.netns, l.name).peer;
                out.push_back(s);
            }
        } catch (const model::Error&) {
            // Not up, or not this user's to look into: nothing built to report.
        }
    }
    return out;
}

std::vector<LackingNetwork> networksTheKernelLacks(const model::Topology& topo,
                                                   const std::string& prefix) {
    std::vector<LackingNetwork> out;
    for (const auto& n : topo.networks) {
        // One entry per network, naming everything it needs that the kernel lacks
        // (an ipvlan network on eth0.20 may need both).
        std::string why;
        if (n.driver == "ipvlan" && !kernelMakesIpvlan(prefix)) {
            why = "the kernel lacks the ipvlan driver (CONFIG_IPVLAN)";
        }
        if (const auto vlan = model::lanVlanOf(n); vlan != 0 && !kernelMakesVlan(prefix)) {
            why += fmt::format("{}the kernel lacks 802.1Q VLAN support (CONFIG_VLAN_8021Q), so "
                               "VLAN {} cannot be tagged on the hosts' LAN",
                               why.empty() ? "" : "; ", vlan);
        }
        if (!why.empty()) {
            out.push_back({&n, why});
        }
        if (n.driver == "overlay" && drivers::overlayEncrypted(n) && !kernelHasEsp(prefix)) {
            out.push_back({&n, "the kernel lacks ESP or AES-GCM (CONFIG_INET_ESP, "
                               "CONFIG_CRYPTO_GCM): Docker's security associations cannot be "
                               "installed, so its traffic between hosts is dropped, as Docker's "
                               "is on such a kernel"});
        }
    }
    return out;
}

std::string describe(const std::vector<LackingNetwork>& lacking) {
    std::string s;
    for (const auto& l : lacking) {
        s += fmt::format("{}network {} ({}, driver {}): {}", s.empty() ? "" : "\n", l.network->key,
                         l.network->name, l.network->driver, l.why);
    }
    return s;
}

drivers::Plan withoutLacking(const drivers::Plan& plan,
                             const std::vector<LackingNetwork>& lacking) {
    std::set<drivers::LinkKind> kinds;
    for (const auto& l : lacking) {
        if (l.network->driver == "ipvlan") {
            kinds.insert(drivers::LinkKind::Ipvlan);
        }
        if (model::lanVlanOf(*l.network) != 0) {
            kinds.insert(drivers::LinkKind::Vlan);  // the kernel makes none
        }
    }
    drivers::Plan out = plan;
    for (const auto& l : lacking) {
        if (l.network->driver == "overlay") {
            // No ESP: Docker's SAs fail to install, its policies stay (and
            // drop what they match), as on the kernel the recordings show.
            out.xfrmStates.clear();
        }
    }
    std::set<std::pair<std::string, std::string>> gone;  // (netns, dev)
    // The links of the lacking kinds, then what is stacked on them (a macvlan
    // on eth0.50); a bridge one of them was a port of stays, with its other ports.
    for (bool more = true; more;) {
        more = false;
        std::erase_if(out.links, [&](const drivers::Link& l) {
            const std::string& parentNs = l.parentNetns.empty() ? l.netns : l.parentNetns;
            const bool drop = kinds.count(l.kind) != 0 ||
                              (!l.parent.empty() && gone.count({parentNs, l.parent}) != 0);
            if (drop) {
                more = gone.emplace(l.netns, l.name).second || more;
            }
            return drop;
        });
    }
    auto on = [&](const std::string& netns, const std::string& dev) {
        return gone.count({netns, dev}) != 0;
    };
    std::erase_if(out.addresses, [&](const drivers::Address& a) { return on(a.netns, a.dev); });
    std::erase_if(out.routes, [&](const drivers::Route& r) { return on(r.netns, r.dev); });
    std::erase_if(out.neighbors, [&](const drivers::Neighbor& n) { return on(n.netns, n.dev); });
    return out;
}

}  // namespace cnmlab::live
