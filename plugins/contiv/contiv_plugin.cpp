#include "plugins/contiv/contiv_plugin.hpp"

#include <charconv>

#include <fmt/format.h>

#include "drivers/names.hpp"
#include "model/topology.hpp"
#include "plugins/sdk/plugin_kit.hpp"

namespace cnmlab::plugins {

using drivers::Cidr;
using drivers::Ipv4;
using drivers::NfRule;
using drivers::NfTable;
using drivers::NfVerdict;

namespace {

constexpr std::uint32_t kVxlanFirst = 1;  // netmaster's default vxlan range: 1-10000
constexpr std::uint32_t kVxlanLast = 10000;
constexpr std::uint16_t kVxlanPort = 4789;
constexpr const char* kChain = "CONTIV-FORWARD";
constexpr const char* kNetworks = "contiv/networks/";
constexpr const char* kEndpoints = "contiv/endpoints/";

std::string option(const remote::CreateNetworkRequest& req, const std::string& key) {
    const auto generic = req.options.find("com.docker.network.generic");
    if (generic == req.options.end() || !generic->is_object()) {
        return {};
    }
    const auto it = generic->find(key);
    return it != generic->end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint32_t number(const std::string& s, std::uint32_t last) {
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && end == s.data() + s.size() && v >= 1 && v <= last ? v : 0;
}

std::string endpointPort(const std::string& endpointId) {
    return endpointId.substr(0, 8);
}

}  // namespace

ContivPlugin::Options ContivPlugin::parseOptions(const std::vector<std::string>& args) {
    Options o;
    PluginOptions("contiv")
        .on("--scope", "local|global", PluginOptions::isScope,
            [&o](const std::string& v) { o.scope = v; })
        .on(
            "--vlan-if", "INTERFACE",
            [](const std::string& v) { return !v.empty() && v.size() <= 10; },
            [&o](const std::string& v) { o.vlanIf = v; })
        .on("--vtep-ip", "ADDRESS", PluginOptions::isIpv4,
            [&o](const std::string& v) { o.vtepIp = v; })
        .parse(args);
    return o;
}

ContivPlugin::ContivPlugin(std::string host, std::shared_ptr<Datastore> store)
    : ContivPlugin(std::move(host), std::move(store), Options{}) {}

ContivPlugin::ContivPlugin(std::string host, std::shared_ptr<Datastore> store, Options options)
    : m_host(std::move(host)), m_store(std::move(store)), m_options(std::move(options)) {
    launch();
}

// Contiv's datapath is Open vSwitch, which netfilter never sees; with Linux
// bridges in its place, one chain lets the contiv bridges' traffic through.
void ContivPlugin::launch() {
    const std::string owner = "netplugin";
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, kChain, false, ""});
    m_plan.appendRule(
        owner, filterRule("FORWARD", NfVerdict::Jump, kChain,
                          "cnmlab's contiv sends forwarded packets through its chain: "
                          "Contiv's Open vSwitch datapath is not filtered by iptables.",
                          "cnmlab 的 contiv 让转发的数据包经过它的链：Contiv 的 Open vSwitch "
                          "数据通路不经过 iptables。"));
}

remote::CapabilitiesResponse ContivPlugin::capabilities() {
    return {"", m_options.scope, ""};
}

void ContivPlugin::discoverNew(const remote::DiscoveryNotification& n) {
    learnOwnAddress(n, m_options.vtepIp);
}

// The network as netmaster keeps it for the cluster: made by the first host's
// CreateNetwork, read by the others'.
ContivPlugin::Network ContivPlugin::stored(const remote::CreateNetworkRequest& req) {
    const std::string key = kNetworks + req.networkId;
    Datastore::Json s = m_store->get(key);
    if (s.is_null()) {
        if (!req.ipv4Data || req.ipv4Data->empty() || !req.ipv4Data->front().pool) {
            throw PluginError("contiv needs an IPv4 subnet for the network");
        }
        const std::string encap = option(req, "encap").empty() ? "vxlan" : option(req, "encap");
        if (encap != "vlan" && encap != "vxlan") {
            throw PluginError(
                fmt::format("invalid encap '{}': contiv networks are vlan or vxlan", encap));
        }
        const bool vlan = encap == "vlan";
        const std::string tagText = option(req, "pkt-tag");
        std::uint32_t tag = number(tagText, vlan ? 4094 : kVxlanLast);
        if (!tagText.empty() && tag == 0) {
            throw PluginError(fmt::format("invalid pkt-tag '{}': a {} is {}", tagText,
                                          vlan ? "VLAN ID" : "VXLAN ID",
                                          vlan ? "1-4094" : "1-10000"));
        }
        if (vlan && tag == 0) {
            throw PluginError("encap vlan needs pkt-tag: the VLAN ID the network has on the "
                              "hosts' LAN");
        }
        std::set<std::uint32_t> used;
        for (const auto& [k, v] : m_store->list(kNetworks)) {
            if ((v.value("encap", std::string()) == "vlan") == vlan) {
                if (v.value("tag", 0U) == tag) {
                    throw PluginError(fmt::format("{} {} is already in use by another network",
                                                  vlan ? "vlan" : "vxlan", tag));
                }
                used.insert(v.value("tag", 0U));
            }
        }
        if (tag == 0) {
            tag = kVxlanFirst;
            while (used.count(tag) != 0 && tag <= kVxlanLast) {
                ++tag;
            }
            if (tag > kVxlanLast) {
                throw PluginError("no vxlan ID is free in 1-10000");
            }
        }
        const auto& d = req.ipv4Data->front();
        if (!d.gateway) {
            throw PluginError("contiv needs the network's gateway");
        }
        s = Datastore::Json::object();
        s["encap"] = encap;
        s["tag"] = tag;
        s["subnet"] = *d.pool;
        s["gateway"] = addressOf(*d.gateway);
        m_store->put(key, s);
    }
    Network net;
    net.vlan = s.value("encap", std::string()) == "vlan";
    net.tag = s.value("tag", 0U);
    net.subnet = s.value("subnet", std::string());
    net.gateway = s.value("gateway", std::string());
    net.bridge = fmt::format("{}{}", net.vlan ? "contivVlan" : "contivVx", net.tag);
    net.uplink =
        net.vlan ? fmt::format("{}.{}", m_options.vlanIf, net.tag) : fmt::format("vxif{}", net.tag);
    return net;
}

void ContivPlugin::build(const std::string& networkId, const Network& net) {
    const std::string owner = "network:" + networkId;
    drivers::Link br;
    br.name = net.bridge;
    br.kind = drivers::LinkKind::Bridge;
    drivers::Link up;
    up.name = net.uplink;
    up.master = net.bridge;
    if (net.vlan) {
        // The bridge is L2 only: the VLAN's gateway is the LAN's router.
        br.mac = drivers::kernelMac(m_host + "/" + net.bridge);
        up.kind = drivers::LinkKind::Vlan;
        up.parent = m_options.vlanIf;
        up.vlanId = static_cast<std::uint16_t>(net.tag);
        // No MAC: a VLAN sub-interface takes its parent's.
    } else {
        br.mac = *model::parseMac(kAnycastGatewayMac);
        br.mtu = 1450;
        up.kind = drivers::LinkKind::Vxlan;
        up.mac = drivers::kernelMac(m_host + "/" + net.uplink);
        up.mtu = 1450;
        up.vni = net.tag;
        up.dstPort = kVxlanPort;
        up.learning = false;  // netmaster knows every endpoint
        up.proxy = true;      // and ofnet answers ARP for them
    }
    m_plan.add(owner, br);
    m_plan.add(owner, up);
    if (!net.vlan) {
        const Cidr subnet = *Cidr::parse(net.subnet);
        m_plan.add(owner, drivers::Address{"", net.bridge,
                                           Cidr{*Ipv4::parse(net.gateway), subnet.prefix}});
    }
    NfRule in = filterRule(kChain, NfVerdict::Accept, "",
                           fmt::format("Contiv's datapath forwards what leaves {} (a {} network).",
                                       net.bridge, net.vlan ? "VLAN" : "VXLAN"),
                           fmt::format("Contiv 的数据通路转发从 {} 出来的流量（{} 网络）。",
                                       net.bridge, net.vlan ? "VLAN" : "VXLAN"));
    in.match.inIf = net.bridge;
    m_plan.appendRule(owner, in);
    NfRule out =
        filterRule(kChain, NfVerdict::Accept, "",
                   fmt::format("Contiv's datapath forwards what goes to {} (a {} network).",
                               net.bridge, net.vlan ? "VLAN" : "VXLAN"),
                   fmt::format("Contiv 的数据通路转发发往 {} 的流量（{} 网络）。", net.bridge,
                               net.vlan ? "VLAN" : "VXLAN"));
    out.match.outIf = net.bridge;
    m_plan.appendRule(owner, out);
}

void ContivPlugin::createNetwork(const remote::CreateNetworkRequest& req) {
    const Network net = stored(req);
    for (const auto& [id, other] : m_networks) {
        if (other.bridge == net.bridge && id != req.networkId) {
            throw PluginError(fmt::format("{} {} is already in use by another network",
                                          net.vlan ? "vlan" : "vxlan", net.tag));
        }
    }
    try {
        build(req.networkId, net);
    } catch (const std::exception& e) {
        // The kernel refused part of it (no 8021q, say): take back the rest,
        // as if the call had not come.
        deleteNetwork({req.networkId});
        throw PluginError(e.what());
    }
    m_networks[req.networkId] = net;
}

void ContivPlugin::deleteNetwork(const remote::NetworkRequest& req) {
    m_plan.removeOwnedBy("network:" + req.networkId);
    m_networks.erase(req.networkId);
    bool inUse = false;
    for (const auto& [k, v] : m_store->list(kEndpoints)) {
        inUse = inUse || v.value("network", std::string()) == req.networkId;
    }
    if (!inUse) {
        m_store->remove(kNetworks + req.networkId);
    }
}

remote::CreateEndpointResponse
ContivPlugin::createEndpoint(const remote::CreateEndpointRequest& req) {
    const auto net = m_networks.find(req.networkId);
    if (net == m_networks.end()) {
        throw PluginError(fmt::format("network {} not found", req.networkId));
    }
    if (!req.interface || req.interface->address.empty()) {
        throw PluginError("contiv needs the endpoint's IPv4 address");
    }
    const std::string ip = addressOf(req.interface->address);
    // netmaster's MAC for an endpoint: 02:02 and the address's four bytes.
    const std::uint32_t a4 = Ipv4::parse(ip).value_or(Ipv4{}).value();
    drivers::Mac mac{0x02,
                     0x02,
                     static_cast<std::uint8_t>(a4 >> 24),
                     static_cast<std::uint8_t>(a4 >> 16),
                     static_cast<std::uint8_t>(a4 >> 8),
                     static_cast<std::uint8_t>(a4)};
    if (!req.interface->macAddress.empty()) {
        mac = *model::parseMac(req.interface->macAddress);
    }
    const std::string port = endpointPort(req.endpointId);
    const std::string owner = "endpoint:" + req.endpointId;
    const int mtu = net->second.vlan ? 1500 : 1450;
    drivers::Link a;
    a.name = "vvport" + port;
    a.kind = drivers::LinkKind::Veth;
    a.mac = drivers::kernelMac(m_host + "/" + a.name);
    a.mtu = mtu;
    a.master = net->second.bridge;
    a.peerName = "vvpeer" + port;
    drivers::Link b;
    b.name = "vvpeer" + port;
    b.kind = drivers::LinkKind::Veth;
    b.mac = mac;
    b.mtu = mtu;
    b.peerName = a.name;
    m_plan.add(owner, a);
    m_plan.add(owner, b);
    Datastore::Json record = Datastore::Json::object();
    record["network"] = req.networkId;
    record["host"] = m_host;
    record["vtep"] = m_options.vtepIp;
    record["mac"] = model::macStr(mac);
    record["ip"] = ip;
    m_store->put(kEndpoints + req.endpointId, record);
    remote::CreateEndpointResponse r;
    if (req.interface->macAddress.empty()) {
        r.interface = remote::EndpointInterface{"", "", model::macStr(mac)};
    }
    return r;
}

void ContivPlugin::deleteEndpoint(const remote::EndpointRequest& req) {
    m_plan.removeOwnedBy("endpoint:" + req.endpointId);
    m_store->remove(kEndpoints + req.endpointId);
}

remote::JoinResponse ContivPlugin::join(const remote::JoinRequest& req) {
    const auto net = m_networks.find(req.networkId);
    if (net == m_networks.end()) {
        throw PluginError(fmt::format("network {} not found", req.networkId));
    }
    remote::JoinResponse r;
    r.interfaceName = remote::InterfaceName{"vvpeer" + endpointPort(req.endpointId), "", "eth"};
    r.gateway = net->second.gateway;
    r.disableGatewayService = true;
    return r;
}

void ContivPlugin::leave(const remote::EndpointRequest& /*req*/) {}

// netmaster: every host's netplugin learns the other hosts' endpoints on the
// VXLAN networks it has, and programs them (Contiv: OVS flows and its ARP
// proxy; here the VXLAN device's FDB and neighbour entries).
void ContivPlugin::reconcile() {
    struct Learned {
        drivers::FdbEntry fdb;
        drivers::Neighbor neighbor;
        std::string note;
    };
    std::map<std::string, Learned> entries;
    for (const auto& [key, ep] : m_store->list(kEndpoints)) {
        const auto net = m_networks.find(ep.value("network", std::string()));
        const std::string vtep = ep.value("vtep", std::string());
        const std::string host = ep.value("host", std::string());
        if (net == m_networks.end() || net->second.vlan || host == m_host || !Ipv4::parse(vtep)) {
            continue;
        }
        const auto mac = model::parseMac(ep.value("mac", std::string()));
        const auto ip = Ipv4::parse(ep.value("ip", std::string()));
        if (!mac || !ip) {
            continue;
        }
        const std::string& dev = net->second.uplink;
        entries["netmaster:" + key.substr(key.rfind('/') + 1)] = Learned{
            drivers::FdbEntry{"", dev, *mac, Ipv4::parse(vtep)},
            drivers::Neighbor{"", dev, *ip, *mac},
            fmt::format("Contiv's netmaster told netplugin on {} that endpoint {} ({}) is on {} "
                        "behind VTEP {}; netplugin programmed it: bridge fdb add {} dev {} dst {}, "
                        "and ip neigh add {} lladdr {} dev {} (its ARP proxy answers for it)",
                        m_host, ip->str(), model::macStr(*mac), host, vtep, model::macStr(*mac),
                        dev, vtep, ip->str(), model::macStr(*mac), dev)};
    }
    converge<Learned>(m_plan, m_learned, entries,
                      [this](const std::string& owner, const Learned& e) {
                          m_plan.add(owner, e.fdb, e.note);
                          m_plan.add(owner, e.neighbor);
                      });
}

}  // namespace cnmlab::plugins
