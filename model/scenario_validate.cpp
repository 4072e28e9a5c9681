#include "model/scenario_validate.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace cnmlab::model {

namespace {

[[noreturn]] void fail(const SourcePos& pos, const std::string& message) {
    throw Error(ErrorKind::Invalid, message, pos);
}

// One namespace of names for probe endpoints: services, hosts, externals.
void checkUniqueNames(const Scenario& sc) {
    std::map<std::string, std::string> kinds;
    auto add = [&](const std::string& name, const char* kind, const SourcePos& pos) {
        auto [it, fresh] = kinds.emplace(name, kind);
        if (!fresh) {
            auto article = [](const std::string& word) {
                return std::string(word.front() == 'e' ? "an " : "a ") + word;
            };
            fail(pos, fmt::format("'{}' names both {} and {}; probes could not tell them apart",
                                  name, article(it->second), article(kind)));
        }
    };
    for (const auto& h : sc.hosts) {
        add(h.name, "host", h.pos);
    }
    for (const auto& e : sc.externals) {
        add(e.name, "external", e.pos);
    }
    for (const auto& s : sc.services) {
        add(s.key, "service", s.pos);
    }
}

// A machine's address on the LAN, by who holds it.
struct LanUser {
    std::string machine;  // x-hosts.NAME or x-externals.NAME
    SourcePos pos;        // of the machine's key
};

// The router at the LAN's first address exists when some external lies beyond
// it; then no host or external on the LAN may have that address.
void checkRouterAddress(const Scenario& sc, const Cidr& lan, const std::map<Ipv4, LanUser>& used) {
    const auto beyond = std::find_if(sc.externals.begin(), sc.externals.end(),
                                     [](const ExternalSpec& e) { return e.address.has_value(); });
    const Ipv4 routerIp(lan.network().value() + 1);
    const auto user = used.find(routerIp);
    if (beyond == sc.externals.end() || user == used.end()) {
        return;
    }
    fail(user->second.pos,
         fmt::format("{}.underlay: {} is the LAN router's address (the LAN's first address; "
                     "the router is there because x-externals.{} lies beyond the LAN); give {} "
                     "another address",
                     user->second.machine, routerIp.str(), beyond->name,
                     user->second.machine.substr(user->second.machine.find('.') + 1)));
}

// Every underlay address sits on one physical LAN (docs/scenario-format.md).
void checkLan(const Scenario& sc) {
    const Cidr lan = sc.hosts.front().underlay;
    std::map<Ipv4, LanUser> used;
    auto check = [&](const std::string& name, const Cidr& u, const SourcePos& pos) {
        const std::string path = fmt::format("{}.underlay", name);
        if (u.network() != lan.network() || u.prefix != lan.prefix) {
            fail(pos, fmt::format("{}: {} is not on the hosts' LAN {} (every underlay address "
                                  "sits on one physical LAN)",
                                  path, u.str(), lan.networkStr()));
        }
        if (u.address == u.network() || u.address == u.broadcast()) {
            fail(pos, fmt::format("{}: {} is the network or broadcast address of the LAN", path,
                                  u.str()));
        }
        auto [it, fresh] = used.emplace(u.address, LanUser{name, pos});
        if (!fresh) {
            fail(pos, fmt::format("{}: {} is already the address of {}", path, u.address.str(),
                                  it->second.machine));
        }
    };
    for (const auto& h : sc.hosts) {
        check("x-hosts." + h.name, h.underlay, h.pos);
    }
    for (const auto& e : sc.externals) {
        if (e.underlay) {
            check("x-externals." + e.name, *e.underlay, e.pos);
        }
    }
    checkRouterAddress(sc, lan, used);
    for (const auto& e : sc.externals) {
        if (e.address && lan.contains(*e.address)) {
            fail(e.pos, fmt::format("x-externals.{}.address: {} is on the hosts' LAN; use "
                                    "'underlay' for a machine on the LAN",
                                    e.name, e.address->str()));
        }
    }
}

void checkNetworks(const Scenario& sc) {
    std::map<std::string, std::string> names;
    for (const auto& n : sc.networks) {
        const std::string path = "networks." + n.key;
        if (!isBuiltinDriver(n.driver) && !pluginTraits(sc, n.driver) &&
            n.driver.find('/') == std::string::npos) {
            fail(
                n.driverPos,
                fmt::format("{}.driver: unknown network driver '{}' (Docker's drivers are bridge, "
                            "host, none, macvlan, ipvlan and overlay; cnmlab's plugins are calico, "
                            "contiv, kuryr and weave; "
                            "another plugin driver is named like vendor/plugin:tag)",
                            path, n.driver));
        }
        const std::string name = sc.networkName(n);
        if ((n.driver == "host" || n.driver == "none" || n.driver == "null") && !n.external) {
            fail(n.driverPos, fmt::format("{}.driver: only one instance of the \"{}\" network is "
                                          "allowed; use network_mode: {} or an external network "
                                          "named {}",
                                          path, n.driver == "null" ? "none" : n.driver,
                                          n.driver == "null" ? "none" : n.driver,
                                          n.driver == "null" ? "none" : n.driver));
        }
        if (!n.external &&
            (name == kPredefinedBridge || name == kPredefinedHost || name == kPredefinedNone)) {
            fail(n.pos, fmt::format("{}: the name '{}' belongs to Docker's predefined network; "
                                    "declare it with external: true",
                                    path, name));
        }
        auto [it, fresh] = names.emplace(name, n.key);
        if (!fresh) {
            fail(n.pos, fmt::format("{}: networks {} and {} would both be named {}", path,
                                    it->second, n.key, name));
        }
        if (n.external && !n.ipamConfigs.empty()) {
            fail(n.pos, fmt::format("{}: an external network already exists; it cannot have ipam "
                                    "settings",
                                    path));
        }
    }
}

const ServiceSpec* sandboxTarget(const Scenario& sc, const ServiceSpec& s) {
    for (const auto& o : sc.services) {
        if (s.networkMode == NetworkMode::Service
                ? o.key == s.networkModeTarget
                : sc.containerName(o) == s.networkModeTarget || o.key == s.networkModeTarget) {
            return &o;
        }
    }
    return nullptr;
}

void checkServices(Scenario& sc) {
    bool usesDefault = false;
    std::set<std::string> containerNames;
    for (auto& s : sc.services) {
        const std::string path = "services." + s.key;
        if (s.host && sc.findHost(*s.host) == nullptr) {
            fail(s.hostPos,
                 fmt::format("{}.x-host: there is no host '{}' in x-hosts", path, *s.host));
        }
        if (!containerNames.insert(sc.containerName(s)).second) {
            fail(s.pos,
                 fmt::format("{}: the container name {} is used twice", path, sc.containerName(s)));
        }
        const bool explicitMode = s.networkMode != NetworkMode::Default;
        if (explicitMode && !s.networks.empty()) {
            fail(s.networkModePos,
                 fmt::format(
                     "{}: network_mode and networks cannot be used together "
                     "(Compose: service declares mutually exclusive network_mode and networks)",
                     path));
        }
        if (s.networkMode == NetworkMode::Host && !s.ports.empty()) {
            fail(s.ports.front().pos,
                 fmt::format("{}.ports: published ports are discarded in network_mode: host "
                             "(the container uses the host's ports directly); use x-listen",
                             path));
        }
        if ((s.networkMode == NetworkMode::Service || s.networkMode == NetworkMode::Container)) {
            const ServiceSpec* target = sandboxTarget(sc, s);
            if (target == nullptr) {
                fail(s.networkModePos,
                     fmt::format("{}.network_mode: there is no {} '{}'", path,
                                 s.networkMode == NetworkMode::Service ? "service" : "container",
                                 s.networkModeTarget));
            }
            if (!s.ports.empty()) {
                fail(s.ports.front().pos,
                     fmt::format("{}.ports: a container sharing {}'s network namespace cannot "
                                 "publish ports; publish them on {}",
                                 path, target->key, target->key));
            }
        }
        for (auto& sn : s.networks) {
            if (sc.findNetwork(sn.key) == nullptr && sn.key != "default") {
                fail(sn.pos, fmt::format("{}.networks: service '{}' refers to undefined network "
                                         "'{}'",
                                         path, s.key, sn.key));
            }
        }
        if (s.networks.empty() && s.networkMode == NetworkMode::Default) {
            ServiceNetwork sn;
            sn.key = "default";
            sn.pos = s.pos;
            sn.shortForm = true;
            s.networks.push_back(sn);
            s.networksListForm = true;
            s.implicitNetworks = true;
        }
        for (const auto& sn : s.networks) {
            usesDefault = usesDefault || sn.key == "default";
        }
    }
    // service: cycles, and placement of shared sandboxes.
    for (const auto& s : sc.services) {
        const ServiceSpec* cur = &s;
        std::vector<std::string> chain{s.key};
        while (cur->networkMode == NetworkMode::Service ||
               cur->networkMode == NetworkMode::Container) {
            cur = sandboxTarget(sc, *cur);
            if (cur == &s) {
                chain.push_back(s.key);
                std::string text;
                for (const auto& c : chain) {
                    text += (text.empty() ? "" : " -> ") + c;
                }
                fail(s.networkModePos,
                     fmt::format("services.{}.network_mode: the services share network "
                                 "namespaces in a cycle: {}",
                                 s.key, text));
            }
            if (std::find(chain.begin(), chain.end(), cur->key) != chain.end()) {
                break;  // a cycle not through s; reported from one of its members
            }
            chain.push_back(cur->key);
        }
        if (s.host && cur->networkMode != NetworkMode::Service &&
            cur->networkMode != NetworkMode::Container && cur != &s && sc.hostOf(*cur) != *s.host) {
            fail(s.hostPos, fmt::format("services.{}.x-host: it shares the network namespace of {} "
                                        "on {}, so it must be on that host too",
                                        s.key, cur->key, sc.hostOf(*cur)));
        }
    }
    if (usesDefault && sc.findNetwork("default") == nullptr) {
        NetworkSpec def;
        def.key = "default";
        def.implicit = true;
        // `docker stack deploy` makes the default network an overlay: so does
        // cnmlab when only swarm services (deploy:) use it. Shared with plain
        // containers it stays Compose's bridge, and the swarm services on it
        // are refused (topology_swarm.cpp).
        const bool swarmOnly =
            std::all_of(sc.services.begin(), sc.services.end(), [](const ServiceSpec& s) {
                return s.deploy.has_value() ||
                       std::none_of(s.networks.begin(), s.networks.end(),
                                    [](const ServiceNetwork& sn) { return sn.key == "default"; });
            });
        if (swarmOnly) {
            def.driver = "overlay";
        }
        sc.networks.push_back(def);
    }
}

void checkStaticAddresses(const Scenario& sc) {
    for (const auto& s : sc.services) {
        for (const auto& sn : s.networks) {
            if (!sn.ipv4Address) {
                continue;
            }
            const NetworkSpec* n = sc.findNetwork(sn.key);
            if (n != nullptr && n->external) {
                continue;  // checked against the existing network when resolved
            }
            if (n == nullptr || n->ipamConfigs.empty() || !n->ipamConfigs.front().subnet) {
                fail(sn.ipv4Pos, fmt::format("services.{}.networks.{}.ipv4_address: user specified "
                                             "IP address is supported only when connecting to "
                                             "networks with user configured subnets",
                                             s.key, sn.key));
            }
        }
    }
}

// The service of `name`: a service key, or a swarm service's task, KEY.SLOT
// (1 to replicas) or KEY.HOST for a global service (SPEC §1a).
const ServiceSpec* serviceOf(const Scenario& sc, const std::string& name) {
    if (const ServiceSpec* s = sc.findService(name)) {
        return s;
    }
    const std::size_t dot = name.rfind('.');
    const ServiceSpec* s = dot == std::string::npos ? nullptr : sc.findService(name.substr(0, dot));
    if (s == nullptr || !s->deploy) {
        return nullptr;
    }
    const std::string slot = name.substr(dot + 1);
    if (s->deploy->global) {
        return sc.findHost(slot) != nullptr ? s : nullptr;
    }
    const bool number =
        !slot.empty() && slot.size() < 5 &&
        std::all_of(slot.begin(), slot.end(), [](char c) { return c >= '0' && c <= '9'; });
    return number && std::stoi(slot) >= 1 && std::stoi(slot) <= s->deploy->replicas ? s : nullptr;
}

bool isProbeNode(const Scenario& sc, const std::string& name) {
    return serviceOf(sc, name) != nullptr || sc.findHost(name) != nullptr ||
           sc.findExternal(name) != nullptr || Ipv4::parse(name).has_value();
}

void checkProbes(const Scenario& sc) {
    for (std::size_t i = 0; i < sc.probes.size(); ++i) {
        checkProbe(sc, sc.probes[i], fmt::format("x-probes[{}].", i));
    }
}

bool isCanvasItem(const Scenario& sc, const std::string& name) {
    return isProbeNode(sc, name) || sc.findNetwork(name) != nullptr || name == "lan" ||
           name == sc.predefinedKey(kPredefinedBridge) ||
           name == sc.predefinedKey(kPredefinedHost) || name == sc.predefinedKey(kPredefinedNone);
}

void checkLessonAndLayout(const Scenario& sc) {
    if (sc.lesson) {
        for (std::size_t i = 0; i < sc.lesson->steps.size(); ++i) {
            const LessonStep& st = sc.lesson->steps[i];
            for (std::size_t j = 0; j < st.highlight.size(); ++j) {
                const std::string& h = st.highlight[j];
                if (!isCanvasItem(sc, h)) {
                    // At the misspelled name; at the step for a lesson built in code.
                    fail(j < st.highlightPos.size() ? st.highlightPos[j] : st.pos,
                         fmt::format("x-lesson.steps[{}].highlight: '{}' is not a "
                                     "service, network, host or external",
                                     i, h));
                }
            }
            if (st.probe && *st.probe >= static_cast<int>(sc.probes.size())) {
                fail(st.pos, fmt::format("x-lesson.steps[{}].probe: there is no probe {} "
                                         "(x-probes has {})",
                                         i, *st.probe, sc.probes.size()));
            }
        }
    }
    for (const auto& [name, xy] : sc.layout) {
        if (!isCanvasItem(sc, name)) {
            const auto at = sc.layoutPos.find(name);
            fail(at != sc.layoutPos.end() ? at->second : SourcePos{sc.file, 1, 1},
                 fmt::format("x-layout.{}: '{}' is not a service, network, host or external", name,
                             name));
        }
    }
}

}  // namespace

void checkProbe(const Scenario& sc, const ProbeSpec& p, const std::string& prefix) {
    if (!isProbeNode(sc, p.from) || Ipv4::parse(p.from)) {
        fail(p.fromPos,
             fmt::format("{}from: '{}' is not a service, host or external", prefix, p.from));
    }
    if (p.resolve && serviceOf(sc, p.from) == nullptr) {
        fail(p.fromPos, fmt::format("{}from: only a container can ask the embedded DNS; '{}' "
                                    "is not a service",
                                    prefix, p.from));
    }
    if (p.to && !isProbeNode(sc, *p.to)) {
        fail(p.toPos, fmt::format("{}to: '{}' is not a service, host, external or IPv4 address",
                                  prefix, *p.to));
    }
    if (p.network) {
        const ServiceSpec* target = p.to ? serviceOf(sc, *p.to) : nullptr;
        if (target == nullptr) {
            fail(p.networkPos, fmt::format("{}network: 'network' picks an endpoint of a "
                                           "service, and '{}' is not one",
                                           prefix, p.to.value_or("")));
        }
        const bool attached =
            std::any_of(target->networks.begin(), target->networks.end(),
                        [&](const ServiceNetwork& sn) { return sn.key == *p.network; });
        if (!attached) {
            fail(p.networkPos, fmt::format("{}network: service '{}' is not on network '{}'", prefix,
                                           target->key, *p.network));
        }
    }
}

void validateScenario(Scenario& sc) {
    checkUniqueNames(sc);
    checkLan(sc);
    checkNetworks(sc);
    checkServices(sc);
    checkStaticAddresses(sc);
    checkProbes(sc);
    checkLessonAndLayout(sc);
}

}  // namespace cnmlab::model
