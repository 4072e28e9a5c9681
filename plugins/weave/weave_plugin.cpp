#include "plugins/weave/weave_plugin.hpp"

#include <fmt/format.h>

#include "drivers/names.hpp"
#include "plugins/sdk/plugin_kit.hpp"

namespace cnmlab::plugins {

using drivers::Cidr;
using drivers::Ipv4;

namespace {

// vethPair: IFNAMSIZ - 7 characters of the endpoint id after the prefix.
std::string hostEnd(const std::string& endpointId) {
    return "vethwl" + endpointId.substr(0, 8);
}
std::string containerEnd(const std::string& endpointId) {
    return "vethwg" + endpointId.substr(0, 8);
}

bool parseBool(const std::string& v, bool& out) {
    if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") {
        out = true;
        return true;
    }
    if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") {
        out = false;
        return true;
    }
    return false;
}

}  // namespace

WeavePlugin::Options WeavePlugin::parseOptions(const std::vector<std::string>& args) {
    Options o;
    PluginOptions("weave")
        .on("--scope", "local|global", PluginOptions::isScope,
            [&o](const std::string& v) { o.scope = v; })
        .on("--peer", "ADDRESS", PluginOptions::isIpv4,
            [&o](const std::string& v) { o.peers.push_back(v); })
        .parse(args);
    return o;
}

WeavePlugin::WeavePlugin(std::string seed) : WeavePlugin(std::move(seed), Options{}) {}

WeavePlugin::WeavePlugin(std::string seed, Options options)
    : m_seed(std::move(seed)), m_options(std::move(options)) {
    launch();
    for (const auto& p : m_options.peers) {
        addPeer(p);
    }
}

// `weave launch`: the router's bridge and datapath, before any network.
void WeavePlugin::launch() {
    const std::string owner = "weave";
    drivers::Link bridge;
    bridge.name = kBridge;
    bridge.kind = drivers::LinkKind::Bridge;
    bridge.mac = drivers::kernelMac(m_seed + "/weave");
    bridge.mtu = kMtu;
    m_plan.add(owner, bridge);
    drivers::Link vx;
    vx.name = kVxlan;
    vx.kind = drivers::LinkKind::Vxlan;
    vx.mac = drivers::kernelMac(m_seed + "/vxlan-6784");
    vx.mtu = 65485;
    vx.master = kBridge;
    vx.vni = 0xfffffe;  // one VNI for the mesh (weave's fast datapath keys flows per peer pair)
    vx.dstPort = 6784;
    vx.learning = true;
    m_plan.add(owner, vx);
    drivers::NfRule accept =
        filterRule("FORWARD", drivers::NfVerdict::Accept, "",
                   "weave lets traffic across its own bridge through FORWARD, whatever the policy.",
                   "weave 让穿过其自身网桥的流量通过 FORWARD 链，无论默认策略如何。");
    accept.match.inIf = kBridge;
    accept.match.outIf = kBridge;
    m_plan.appendRule(owner, accept);
}

remote::CapabilitiesResponse WeavePlugin::capabilities() {
    // The `weave` driver runs in global scope (with a cluster store).
    return {"", m_options.scope, ""};
}

void WeavePlugin::createNetwork(const remote::CreateNetworkRequest& req) {
    bool multicast = false;
    const auto generic = req.options.find("com.docker.network.generic");
    if (generic != req.options.end() && generic->is_object()) {
        for (auto it = generic->begin(); it != generic->end(); ++it) {
            if (it.key() != "works.weave.multicast" || !it->is_string()) {
                continue;  // weave only warns about options it does not know
            }
            const std::string v = it->get<std::string>();
            if (v.empty()) {
                multicast = true;
            } else if (!parseBool(v, multicast)) {
                throw PluginError(
                    fmt::format("unrecognized value \"{}\" for option {}", v, it.key()));
            }
        }
    }
    m_networks[req.networkId] = multicast;
}

void WeavePlugin::deleteNetwork(const remote::NetworkRequest& req) {
    m_networks.erase(req.networkId);
}

remote::CreateEndpointResponse
WeavePlugin::createEndpoint(const remote::CreateEndpointRequest& req) {
    if (!req.interface) {
        throw PluginError("Not supported: creating an interface from within CreateEndpoint");
    }
    const std::string owner = "endpoint:" + req.endpointId;
    const std::string host = hostEnd(req.endpointId);
    const std::string peer = containerEnd(req.endpointId);
    drivers::Link a;
    a.name = host;
    a.kind = drivers::LinkKind::Veth;
    a.mac = drivers::kernelMac(host);
    a.mtu = kMtu;
    a.master = kBridge;
    a.peerName = peer;
    drivers::Link b;
    b.name = peer;
    b.kind = drivers::LinkKind::Veth;
    b.mac = drivers::kernelMac(peer);
    b.mtu = kMtu;
    b.peerName = host;
    m_plan.add(owner, a);
    m_plan.add(owner, b);
    remote::CreateEndpointResponse r;
    r.interface = remote::EndpointInterface{"", "", model::macStr(b.mac)};
    return r;
}

void WeavePlugin::deleteEndpoint(const remote::EndpointRequest& req) {
    m_plan.removeOwnedBy("endpoint:" + req.endpointId);
}

remote::JoinResponse WeavePlugin::join(const remote::JoinRequest& req) {
    const auto net = m_networks.find(req.networkId);
    if (net == m_networks.end()) {
        throw PluginError(
            fmt::format("unable to find network info: network {} not found", req.networkId));
    }
    remote::JoinResponse r;
    r.interfaceName = remote::InterfaceName{containerEnd(req.endpointId), "", "ethwe"};
    if (net->second) {
        r.staticRoutes.push_back({"224.0.0.0/4", 1, ""});
    }
    return r;
}

void WeavePlugin::leave(const remote::EndpointRequest& /*req*/) {}

// The mesh: every other host is a peer the datapath floods to.
void WeavePlugin::discoverNew(const remote::DiscoveryNotification& n) {
    if (n.discoveryType != 1 || !n.discoveryData.is_object() ||
        n.discoveryData.value("Self", false)) {
        return;
    }
    addPeer(n.discoveryData.value("Address", std::string()));
}

void WeavePlugin::addPeer(const std::string& address) {
    const auto ip = Ipv4::parse(address);
    if (!ip || !m_peers.insert(address).second) {
        return;
    }
    drivers::FdbEntry flood;
    flood.dev = kVxlan;
    flood.mac = drivers::Mac{};
    flood.remote = ip;
    m_plan.add("peer:" + address, flood);
}

void WeavePlugin::discoverDelete(const remote::DiscoveryNotification& n) {
    if (n.discoveryType != 1 || !n.discoveryData.is_object()) {
        return;
    }
    const std::string address = n.discoveryData.value("Address", std::string());
    if (m_peers.erase(address) != 0) {
        m_plan.removeOwnedBy("peer:" + address);
    }
}

}  // namespace cnmlab::plugins
