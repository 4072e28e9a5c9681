#include "drivers/remote_driver.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "drivers/go_json.hpp"
#include "drivers/plan_json.hpp"
#include "drivers/plugin_directory.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

using model::Error;
using model::ErrorKind;
using remote::Json;

namespace {

std::mutex g_directoryMutex;
std::shared_ptr<PluginDirectory>
    g_directory;  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

// "networks.KEY.driver: ", the key an error is about.
std::string keyOf(const model::NetworkInstance* net) {
    return net != nullptr ? fmt::format("networks.{}.driver: ", net->key) : std::string();
}

model::SourcePos networkPos(const model::NetworkInstance* net) {
    return net != nullptr && net->spec != nullptr ? net->spec->driverPos : model::SourcePos{};
}

}  // namespace

void setPluginDirectory(std::shared_ptr<PluginDirectory> directory) {
    const std::lock_guard lock(g_directoryMutex);
    g_directory = std::move(directory);
}

std::shared_ptr<PluginDirectory> pluginDirectory() {
    const std::lock_guard lock(g_directoryMutex);
    return g_directory;
}

RemoteDriver::RemoteDriver(std::string type, std::unique_ptr<remote::Transport> transport,
                           const model::Scenario& scenario, std::string host, PlanBuilder& plan)
    : m_type(std::move(type)), m_transport(std::move(transport)), m_host(std::move(host)),
      m_plan(&plan) {
    const auto manifest = remote::fromJson<remote::ActivateResponse>(
        call(remote::path::kActivate, std::nullopt, nullptr));
    const auto implements = [&](const char* what) {
        return std::find(manifest.implements.begin(), manifest.implements.end(), what) !=
               manifest.implements.end();
    };
    if (!implements("NetworkDriver")) {
        throw Error(ErrorKind::Unsupported,
                    fmt::format("plugin \"{}\" does not implement the requested driver "
                                "(Plugin does not implement the requested driver)",
                                m_type));
    }
    if (!implements(remote::kPlanImplements)) {
        throw Error(ErrorKind::Unsupported,
                    fmt::format("plugin \"{}\" cannot tell cnmlab what it builds in the kernel (it "
                                "does not implement {}): it can run under Docker, but cnmlab can "
                                "neither simulate it nor, yet, build it live",
                                m_type, remote::kPlanImplements));
    }
    pullChanges(plan);  // what the plugin made when it started
    const auto caps = remote::fromJson<remote::CapabilitiesResponse>(
        call(remote::path::kGetCapabilities, std::nullopt, nullptr));
    if (caps.scope != "global" && caps.scope != "local") {
        throw Error(ErrorKind::Invalid,
                    fmt::format("error getting capability for {} due to invalid capability: "
                                "expecting 'local' or 'global', got {}",
                                m_type, caps.scope));
    }
    m_capability.dataScope = caps.scope == "global" ? Scope::Global : Scope::Local;
    m_capability.connectivityScope =
        caps.connectivityScope.empty()
            ? m_capability.dataScope
            : (caps.connectivityScope == "global" ? Scope::Global : Scope::Local);
    m_traits = model::pluginTraits(scenario, m_type);
    if (m_traits && m_traits->globalScope != (m_capability.dataScope == Scope::Global)) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("plugin \"{}\" answers scope {}, but cnmlab resolved its networks "
                                "as {} scope (for a plugin of x-plugins, say scope: {} there)",
                                m_type, caps.scope, m_traits->globalScope ? "global" : "local",
                                caps.scope));
    }
    // pushNodeDiscovery: this node, then the others (a global driver's peers).
    std::vector<const model::HostSpec*> nodes;
    for (const auto& h : scenario.hosts) {
        if (h.name == m_host) {
            nodes.insert(nodes.begin(), &h);
        } else {
            nodes.push_back(&h);
        }
    }
    for (const model::HostSpec* h : nodes) {
        if (h->name != m_host && m_capability.dataScope != Scope::Global) {
            break;
        }
        remote::DiscoveryNotification n;
        n.discoveryType = 1;  // discoverapi.NodeDiscovery
        n.discoveryData = Json::object();
        n.discoveryData["Address"] = h->underlay.address.str();
        n.discoveryData["BindAddress"] = h->underlay.address.str();
        n.discoveryData["Self"] = h->name == m_host;
        call(remote::path::kDiscoverNew, remote::toJson(n), nullptr, true);
        pullChanges(plan);
    }
}

RemoteDriver::~RemoteDriver() = default;

Json RemoteDriver::call(const char* path, const std::optional<Json>& request,
                        const model::NetworkInstance* net, bool optional) {
    const model::SourcePos pos = networkPos(net);
    // An error names the key it is about, as every cnmlab error does.
    const std::string key = keyOf(net);
    const std::string body = request ? request->dump() + "\n" : std::string();
    remote::HttpReply reply;
    try {
        reply = m_transport->post(path, body);
    } catch (const remote::TransportError& e) {
        throw Error(ErrorKind::System,
                    fmt::format("{}plugin \"{}\" on {}: {}", key, m_type, m_host, e.what()), pos);
    }
    if (path != std::string_view(remote::path::kPlanChanges)) {
        m_lastCall = m_plan->addPluginCall(
            PluginCall{m_host, m_type, path, body, reply.status, reply.body, {}});
    }
    if (reply.status == 404 && optional) {
        return Json::object();
    }
    if (reply.status != 200) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("{}Error response from daemon on {}: {}", key, m_host,
                                remote::statusErrorText(path, reply)),
                    pos);
    }
    if (const auto bad = remote::goJsonSyntaxError(reply.body)) {
        throw Error(
            ErrorKind::Invalid,
            fmt::format("{}plugin \"{}\" on {}: {}: {}", key, m_type, m_host, path + 1, *bad), pos);
    }
    Json j = Json::parse(reply.body, nullptr, false);
    // libnetwork's call(): a reply whose Err is set is an error.
    try {
        if (const auto e = remote::fromJson<remote::ErrorResponse>(j); !e.err.empty()) {
            throw Error(
                ErrorKind::Invalid,
                fmt::format("{}Error response from daemon on {}: remote: {}", key, m_host, e.err),
                pos);
        }
    } catch (const remote::DecodeError&) {
        // Err of the wrong type: the reply's own type reports it below.
    }
    return j;
}

std::string RemoteDriver::mapNetns(const std::string& netns) const {
    return netns.empty() ? m_host : netns;
}

void RemoteDriver::pullChanges(PlanBuilder& plan) {
    m_plan = &plan;
    const auto made = [&](const std::string& netns, const std::string& dev) {
        if (m_lastCall) {
            auto& devices = plan.pluginCall(*m_lastCall).devices;
            const std::pair<std::string, std::string> d{netns, dev};
            if (std::find(devices.begin(), devices.end(), d) == devices.end()) {
                devices.push_back(d);
            }
        }
    };
    Json req = Json::object();
    req["Since"] = m_journalNext;
    const Json reply = call(remote::path::kPlanChanges, req, nullptr);
    const std::string prefix = fmt::format("plugin:{}@{}/", m_type, m_host);
    try {
        for (const Json& c : reply.at("Changes")) {
            const std::string op = c.at("Op").get<std::string>();
            const Owner owner = prefix + c.at("Owner").get<std::string>();
            if (op == "remove") {
                plan.removeOwnedBy(owner);
                continue;
            }
            const std::string kind = c.at("Kind").get<std::string>();
            const Json& o = c.at("Object");
            if (const auto note = c.find("Note"); note != c.end() && note->is_string()) {
                // A control-plane step of the plugin's own (BGP), not a call.
                m_lastCall = plan.addPluginCall(
                    PluginCall{m_host, m_type, "", note->get<std::string>(), 0, "", {}});
            }
            if (kind == "link") {
                Link l = planFromJson<Link>(o);
                l.netns = mapNetns(l.netns);
                if (!l.peerName.empty()) {
                    l.peerNetns = mapNetns(l.peerNetns);
                }
                if (!l.parent.empty()) {
                    l.parentNetns = mapNetns(l.parentNetns);
                }
                plan.add(owner, l);
                made(l.netns, l.name);
            } else if (kind == "address") {
                Address a = planFromJson<Address>(o);
                a.netns = mapNetns(a.netns);
                plan.add(owner, a);
                made(a.netns, a.dev);
            } else if (kind == "route") {
                Route r = planFromJson<Route>(o);
                r.netns = mapNetns(r.netns);
                plan.add(owner, r);
                made(r.netns, r.dev);
            } else if (kind == "neighbor") {
                Neighbor n = planFromJson<Neighbor>(o);
                n.netns = mapNetns(n.netns);
                plan.add(owner, n);
                made(n.netns, n.dev);
            } else if (kind == "fdb") {
                FdbEntry f = planFromJson<FdbEntry>(o);
                f.netns = mapNetns(f.netns);
                plan.add(owner, f);
                made(f.netns, f.dev);
            } else if (kind == "sysctl") {
                Sysctl s = planFromJson<Sysctl>(o);
                s.netns = mapNetns(s.netns);
                plan.set(owner, s);
            } else if (kind == "chain") {
                NfChain ch = planFromJson<NfChain>(o);
                ch.netns = mapNetns(ch.netns);
                plan.add(owner, ch);
            } else if (kind == "rule") {
                NfRule r = planFromJson<NfRule>(o);
                r.netns = mapNetns(r.netns);
                if (op == "insert") {
                    plan.insertRule(owner, r);
                } else {
                    plan.appendRule(owner, r);
                }
            } else {
                throw remote::DecodeError(fmt::format("a change of unknown kind \"{}\"", kind));
            }
        }
        m_journalNext = reply.at("Next").get<std::size_t>();
    } catch (const Json::exception& e) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("plugin \"{}\" on {}: its {} reply: {}", m_type, m_host,
                                remote::path::kPlanChanges + 1, e.what()));
    } catch (const remote::DecodeError& e) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("plugin \"{}\" on {}: its {} reply: {}", m_type, m_host,
                                remote::path::kPlanChanges + 1, e.what()));
    }
}

bool RemoteDriver::ownIpam(const model::NetworkInstance* net) const {
    return net != nullptr && net->spec != nullptr && net->spec->ipamDriver == m_type;
}

void RemoteDriver::createNetwork(const NetworkRequest& req, PlanBuilder& plan) {
    std::optional<remote::IpamData> pluginData;
    if (ownIpam(req.network)) {
        // The plugin is the network's IPAM driver too: ipamAllocate.
        const auto pos = networkPos(req.network);
        if (m_addressSpace.empty()) {
            call(remote::path::kIpamGetCapabilities, std::nullopt, req.network);
            const auto spaces = remote::fromJson<remote::AddressSpacesResponse>(
                call(remote::path::kIpamGetDefaultAddressSpaces, std::nullopt, req.network));
            m_addressSpace = m_capability.dataScope == Scope::Global
                                 ? spaces.globalDefaultAddressSpace
                                 : spaces.localDefaultAddressSpace;
        }
        remote::RequestPoolRequest rp;
        rp.addressSpace = m_addressSpace;
        const auto& cfgs = req.network->spec->ipamConfigs;
        if (!cfgs.empty() && cfgs.front().subnet) {
            rp.pool = cfgs.front().subnet->str();
        }
        const auto pool = remote::fromJson<remote::RequestPoolResponse>(
            call(remote::path::kIpamRequestPool, remote::toJson(rp), req.network));
        if (!req.ipv4 || pool.pool != req.ipv4->pool.str()) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("{}plugin \"{}\" on {}: its IPAM answered pool {}, where "
                                    "cnmlab's model of it has {}",
                                    keyOf(req.network), m_type, m_host, pool.pool,
                                    req.ipv4 ? req.ipv4->pool.str() : std::string("none")),
                        pos);
        }
        m_poolIds[req.network->key] = pool.poolId;
        remote::IpamData d;
        d.addressSpace = m_addressSpace;
        d.pool = pool.pool;
        const auto gw = pool.data.find("com.docker.network.gateway");
        if (gw != pool.data.end()) {
            d.gateway = gw->second;
        }
        pluginData = d;
    }
    remote::CreateNetworkRequest r;
    r.networkId = req.network->id;
    r.options = Json::object();
    r.options["com.docker.network.enable_ipv6"] = false;
    Json generic = Json::object();
    if (req.network->spec != nullptr) {
        std::map<std::string, std::string> sorted(req.network->spec->driverOpts.begin(),
                                                  req.network->spec->driverOpts.end());
        for (const auto& [k, v] : sorted) {
            generic[k] = v;
        }
    }
    r.options["com.docker.network.generic"] = generic;
    if (pluginData) {
        r.ipv4Data = std::vector<remote::IpamData>{*pluginData};
    } else if (req.ipv4) {
        remote::IpamData d;
        d.addressSpace = m_capability.dataScope == Scope::Global ? "GlobalDefault" : "LocalDefault";
        d.pool = req.ipv4->pool.str();
        d.gateway = Cidr{req.ipv4->gateway, req.ipv4->pool.prefix}.str();
        r.ipv4Data = std::vector<remote::IpamData>{d};
    } else {
        r.ipv4Data = std::vector<remote::IpamData>{};
    }
    r.ipv6Data = std::vector<remote::IpamData>{};
    call(remote::path::kCreateNetwork, remote::toJson(r), req.network);
    pullChanges(plan);
}

void RemoteDriver::deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) {
    call(remote::path::kDeleteNetwork, remote::toJson(remote::NetworkRequest{req.network->id}),
         req.network);
    pullChanges(plan);
}

void RemoteDriver::createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                                  PlanBuilder& plan) {
    if (ownIpam(req.network)) {
        // ep.assignAddress: the plugin's IPAM, before the network driver.
        remote::RequestAddressRequest ra;
        ra.poolId = m_poolIds[req.network->key];
        if (req.container != nullptr && req.container->spec != nullptr) {
            for (const auto& sn : req.container->spec->networks) {
                if (sn.key == req.network->key && sn.ipv4Address) {
                    ra.address = sn.ipv4Address->str();
                }
            }
        }
        const auto got = remote::fromJson<remote::RequestAddressResponse>(
            call(remote::path::kIpamRequestAddress, remote::toJson(ra), req.network));
        if (got.address != iface.address.str()) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("{}plugin \"{}\" on {}: its IPAM gave {} an address {}, where "
                                    "cnmlab's model of it gave {}",
                                    keyOf(req.network), m_type, m_host,
                                    req.container != nullptr ? req.container->service : "",
                                    got.address, iface.address.str()),
                        networkPos(req.network));
        }
    }
    remote::CreateEndpointRequest r;
    r.networkId = req.network->id;
    r.endpointId = req.endpoint->id;
    r.interface = remote::EndpointInterface{iface.address.str(), "",
                                            iface.mac ? model::macStr(*iface.mac) : ""};
    r.options = remote::endpointCreateOptions();
    const auto pos = networkPos(req.network);
    const auto res = remote::fromJson<remote::CreateEndpointResponse>(
        call(remote::path::kCreateEndpoint, remote::toJson(r), req.network));
    if (res.interface) {
        const auto& i = *res.interface;
        if (!i.macAddress.empty()) {
            const auto mac = model::parseMac(i.macAddress);
            if (!mac) {
                throw Error(ErrorKind::Invalid,
                            fmt::format("{}Error response from daemon on {}: address {}: invalid "
                                        "MAC address",
                                        keyOf(req.network), m_host, i.macAddress),
                            pos);
            }
            if (iface.mac) {
                throw Error(ErrorKind::Invalid,
                            fmt::format("{}Error response from daemon on {}: driver modified "
                                        "interface MAC address: endpoint interface MAC address "
                                        "present ({}). Cannot be modified with {}.; rolled back",
                                        keyOf(req.network), m_host, model::macStr(*iface.mac),
                                        model::macStr(*mac)),
                            pos);
            }
            iface.mac = mac;
        }
        if (!i.address.empty()) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("{}Error response from daemon on {}: driver modified interface "
                                    "address: endpoint interface IP present ({}). Cannot be "
                                    "modified with ({}).; rolled back",
                                    keyOf(req.network), m_host, iface.address.str(), i.address),
                        pos);
        }
    }
    pullChanges(plan);
}

void RemoteDriver::deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) {
    call(remote::path::kDeleteEndpoint,
         remote::toJson(remote::EndpointRequest{req.network->id, req.endpoint->id}), req.network);
    if (ownIpam(req.network)) {
        call(remote::path::kIpamReleaseAddress,
             remote::toJson(remote::ReleaseAddressRequest{m_poolIds[req.network->key],
                                                          req.endpoint->ipv4.str()}),
             req.network);
    }
    pullChanges(plan);
}

void RemoteDriver::join(const EndpointRequest& req, const std::string& /*sandbox*/, JoinInfo& info,
                        PlanBuilder& plan) {
    remote::JoinRequest r;
    r.networkId = req.network->id;
    r.endpointId = req.endpoint->id;
    r.sandboxKey = remote::sandboxKey(model::objectId(
        (req.container != nullptr ? req.container->name : std::string()) + "/sandbox"));
    r.options = remote::sandboxOptions();
    const auto pos = networkPos(req.network);
    const auto res = remote::fromJson<remote::JoinResponse>(
        call(remote::path::kJoin, remote::toJson(r), req.network));
    const auto fail = [&](const std::string& why) {
        throw Error(
            ErrorKind::Invalid,
            fmt::format("{}Error response from daemon on {}: {}", keyOf(req.network), m_host, why),
            pos);
    };
    if (res.interfaceName) {
        info.srcName = res.interfaceName->srcName;
        info.dstPrefix = res.interfaceName->dstPrefix;
    } else {
        info.srcName.clear();
    }
    info.gateway.reset();
    if (!res.gateway.empty()) {
        const auto gw = Ipv4::parse(res.gateway);
        if (!gw) {
            fail(fmt::format("unable to parse Gateway \"{}\"", res.gateway));
        }
        info.gateway = gw;
    }
    for (const auto& sr : res.staticRoutes) {
        const auto dst = Cidr::parse(sr.destination);
        if (!dst) {
            fail(fmt::format("invalid CIDR address: {}", sr.destination));
        }
        StaticRoute route{Cidr{dst->network(), dst->prefix}, std::nullopt};
        if (!sr.nextHop.empty()) {
            route.nextHop = Ipv4::parse(sr.nextHop);
            if (!route.nextHop) {
                fail(fmt::format("failed to parse nexthop IP {}", sr.nextHop));
            }
        }
        info.staticRoutes.push_back(route);
    }
    info.disableGatewayService = res.disableGatewayService;
    if (m_traits && m_traits->joinGivesGateway != info.gateway.has_value()) {
        fail(fmt::format("plugin \"{}\" {} a gateway in Join, which cnmlab's model of it does not "
                         "expect (for a plugin of x-plugins, say gateway: {} there)",
                         m_type, info.gateway ? "gave" : "gave no",
                         info.gateway ? "true" : "false"));
    }
    pullChanges(plan);
    if (!info.srcName.empty() && plan.hasLink(m_host, info.srcName) && m_lastCall) {
        // The studio shows this Join where the packet meets the interface it
        // named (moved into the container) or its veth peer.
        const Link& src = plan.link(m_host, info.srcName);
        plan.pluginCall(*m_lastCall)
            .devices.emplace_back(m_host, src.peerName.empty() ? src.name : src.peerName);
    }
    if (!info.srcName.empty() && !plan.hasLink(m_host, info.srcName)) {
        fail(fmt::format("failed to add interface {} to sandbox: Link not found (the plugin did "
                         "not create it)",
                         info.srcName));
    }
}

void RemoteDriver::leave(const EndpointRequest& req, PlanBuilder& plan) {
    call(remote::path::kLeave,
         remote::toJson(remote::EndpointRequest{req.network->id, req.endpoint->id}), req.network);
    pullChanges(plan);
}

void RemoteDriver::programExternalConnectivity(const EndpointRequest& req,
                                               const std::vector<PortBinding>& /*ports*/,
                                               PlanBuilder& plan) {
    remote::ProgramExternalConnectivityRequest r;
    r.networkId = req.network->id;
    r.endpointId = req.endpoint->id;
    r.options = remote::sandboxOptions();
    call(remote::path::kProgramExternalConnectivity, remote::toJson(r), req.network, true);
    pullChanges(plan);
}

void RemoteDriver::revokeExternalConnectivity(const EndpointRequest& req, PlanBuilder& plan) {
    call(remote::path::kRevokeExternalConnectivity,
         remote::toJson(remote::EndpointRequest{req.network->id, req.endpoint->id}), req.network,
         true);
    pullChanges(plan);
}

void RemoteDriver::sync(PlanBuilder& plan) {
    pullChanges(plan);
}

}  // namespace cnmlab::drivers
