#include "plugins/kuryr/kuryr_plugin.hpp"

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

constexpr std::uint32_t kVniFirst = 1001;  // devstack's vni_ranges = 1001:2000
constexpr std::uint32_t kVniLast = 2000;
constexpr std::uint16_t kVxlanPort = 8472;  // the kernel's default: the agent sets none
constexpr const char* kForward = "neutron-linuxbri-FORWARD";
constexpr const char* kSgChain = "neutron-linuxbri-sg-chain";

// A UUID's text from 32 hex digits.
std::string uuid(const std::string& hex) {
    return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                       hex.substr(16, 4), hex.substr(20, 12));
}

}  // namespace

std::string KuryrPlugin::neutronNetwork(const std::string& dockerNetworkId) {
    return uuid(model::objectId("neutron/network/" + dockerNetworkId));
}

std::string KuryrPlugin::neutronPort(const std::string& endpointId) {
    return uuid(model::objectId("neutron/port/" + endpointId));
}

KuryrPlugin::Options KuryrPlugin::parseOptions(const std::vector<std::string>& args) {
    Options o;
    PluginOptions("kuryr")
        .on("--scope", "local|global", PluginOptions::isScope,
            [&o](const std::string& v) { o.scope = v; })
        .on("--local-ip", "ADDRESS", PluginOptions::isIpv4,
            [&o](const std::string& v) { o.localIp = v; })
        .parse(args);
    return o;
}

KuryrPlugin::KuryrPlugin(std::string host, std::shared_ptr<Datastore> store)
    : KuryrPlugin(std::move(host), std::move(store), Options{}) {}

KuryrPlugin::KuryrPlugin(std::string host, std::shared_ptr<Datastore> store, Options options)
    : m_host(std::move(host)), m_store(std::move(store)), m_options(std::move(options)) {
    launch();
}

// The linuxbridge agent's iptables firewall: its chains, hooked into FORWARD.
void KuryrPlugin::launch() {
    const std::string owner = "agent";
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, kForward, false, ""});
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, kSgChain, false, ""});
    m_plan.appendRule(owner,
                      filterRule("FORWARD", NfVerdict::Jump, kForward,
                                 "Neutron's linuxbridge agent sends forwarded packets through "
                                 "its security-group chains.",
                                 "Neutron 的 linuxbridge 代理让转发的数据包经过它的安全组链。"));
    m_plan.appendRule(owner,
                      filterRule(kSgChain, NfVerdict::Accept, "",
                                 "A packet every port's security group let through is accepted.",
                                 "通过了各端口安全组的数据包被接受。"));
}

remote::CapabilitiesResponse KuryrPlugin::capabilities() {
    return {"", m_options.scope, ""};
}

void KuryrPlugin::discoverNew(const remote::DiscoveryNotification& n) {
    learnOwnAddress(n, m_options.localIp);
}

void KuryrPlugin::createNetwork(const remote::CreateNetworkRequest& req) {
    if (!req.ipv4Data || req.ipv4Data->empty() || !req.ipv4Data->front().pool) {
        throw PluginError("kuryr needs an IPv4 subnet for the Neutron network");
    }
    const std::string key = "neutron/networks/" + req.networkId;
    Datastore::Json stored = m_store->get(key);
    if (stored.is_null()) {
        // Neutron's server: the lowest VNI of the range no network has.
        std::set<std::uint32_t> used;
        for (const auto& [k, v] : m_store->list("neutron/networks/")) {
            used.insert(v.value("vni", 0U));
        }
        std::uint32_t vni = kVniFirst;
        while (used.count(vni) != 0 && vni <= kVniLast) {
            ++vni;
        }
        if (vni > kVniLast) {
            throw PluginError("Unable to create the network. No tenant network is available "
                              "for allocation.");
        }
        const auto& d = req.ipv4Data->front();
        stored = Datastore::Json::object();
        stored["uuid"] = neutronNetwork(req.networkId);
        stored["vni"] = vni;
        stored["subnet"] = *d.pool;
        stored["gateway"] = d.gateway ? addressOf(*d.gateway) : std::string();
        m_store->put(key, stored);
    }
    Network net;
    net.uuid = stored.value("uuid", std::string());
    net.vni = stored.value("vni", 0U);
    net.subnet = stored.value("subnet", std::string());
    net.gateway = stored.value("gateway", std::string());
    net.bridge = "brq" + net.uuid.substr(0, 11);
    // The agent's bridge and VXLAN port for the network on this host.
    const std::string owner = "network:" + req.networkId;
    drivers::Link br;
    br.name = net.bridge;
    br.kind = drivers::LinkKind::Bridge;
    br.mac = drivers::kernelMac(m_host + "/" + net.bridge);
    m_plan.add(owner, br);
    drivers::Link vx;
    vx.name = fmt::format("vxlan-{}", net.vni);
    vx.kind = drivers::LinkKind::Vxlan;
    vx.mac = drivers::kernelMac(m_host + "/" + vx.name);
    vx.mtu = 1450;
    vx.master = net.bridge;
    vx.vni = net.vni;
    vx.dstPort = kVxlanPort;
    vx.learning = false;  // l2population
    m_plan.add(owner, vx);
    NfRule out =
        filterRule(kForward, NfVerdict::Jump, kSgChain,
                   "Packets leaving a port of this Neutron network's bridge go through the "
                   "security groups.",
                   "离开该 Neutron 网络网桥端口的数据包要经过安全组。");
    out.match.outIf = net.bridge;
    m_plan.appendRule(owner, out);
    NfRule in = out;
    in.match.outIf.clear();
    in.match.inIf = net.bridge;
    in.why = "Packets entering this Neutron network's bridge from a port go through the "
             "security groups.";
    in.whyZh = "从端口进入该 Neutron 网络网桥的数据包要经过安全组。";
    m_plan.appendRule(owner, in);
    m_networks[req.networkId] = net;
}

void KuryrPlugin::deleteNetwork(const remote::NetworkRequest& req) {
    m_plan.removeOwnedBy("network:" + req.networkId);
    m_networks.erase(req.networkId);
    if (m_store->list("neutron/ports/").empty()) {
        m_store->remove("neutron/networks/" + req.networkId);
    }
}

void KuryrPlugin::securityGroup(const std::string& portId, const Network& net,
                                const std::string& ip) {
    const std::string owner = "port:" + portId;
    const std::string in = "neutron-linuxbri-i" + portId.substr(0, 10);
    const std::string out = "neutron-linuxbri-o" + portId.substr(0, 10);
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, in, false, ""});
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, out, false, ""});
    const Cidr host{*Ipv4::parse(ip), 32};
    NfRule toPort =
        filterRule(kSgChain, NfVerdict::Jump, in,
                   "Traffic to this Neutron port meets its security group's ingress rules.",
                   "发往该 Neutron 端口的流量要经过其安全组的入站规则。");
    toPort.match.outIf = net.bridge;
    toPort.match.dst = host;
    m_plan.insertRule(owner, toPort);
    NfRule fromPort =
        filterRule(kSgChain, NfVerdict::Jump, out,
                   "Traffic from this Neutron port meets its anti-spoofing and egress "
                   "rules.",
                   "来自该 Neutron 端口的流量要经过其防伪造与出站规则。");
    fromPort.match.inIf = net.bridge;
    fromPort.match.src = host;
    m_plan.insertRule(owner, fromPort);
    NfRule replies = filterRule(in, NfVerdict::Return, "",
                                "The security group lets in replies to what the port sent.",
                                "安全组放行该端口所发连接的回复。");
    replies.match.ctState = "RELATED,ESTABLISHED";
    replies.match.legacyState = true;
    m_plan.appendRule(owner, replies);
    NfRule members = filterRule(in, NfVerdict::Return, "",
                                "The default security group lets in traffic from its members: the "
                                "ports of this network.",
                                "默认安全组放行其成员（本网络的端口）发来的流量。");
    members.match.src = Cidr::parse(net.subnet);
    m_plan.appendRule(owner, members);
    m_plan.appendRule(owner,
                      filterRule(in, NfVerdict::Drop, "",
                                 "Anything else to the port is dropped by its security group.",
                                 "发往该端口的其他流量被其安全组丢弃。"));
    NfRule own = filterRule(out, NfVerdict::Return, "",
                            "The port may send from its own address (the default group lets all "
                            "egress out).",
                            "端口可以用自己的地址发送（默认安全组放行所有出站流量）。");
    own.match.src = host;
    m_plan.appendRule(owner, own);
    m_plan.appendRule(owner, filterRule(out, NfVerdict::Drop, "",
                                        "A packet from the port with another source address is "
                                        "spoofed and dropped.",
                                        "端口发出的源地址不是自己的数据包属于伪造，被丢弃。"));
}

remote::CreateEndpointResponse
KuryrPlugin::createEndpoint(const remote::CreateEndpointRequest& req) {
    const auto net = m_networks.find(req.networkId);
    if (net == m_networks.end()) {
        throw PluginError(
            fmt::format("Neutron net associated with identifier {} doesn't exit.", req.networkId));
    }
    if (!req.interface || req.interface->address.empty()) {
        throw PluginError("kuryr needs the endpoint's IPv4 address for its Neutron port");
    }
    const std::string port = neutronPort(req.endpointId);
    const std::string ip = addressOf(req.interface->address);
    drivers::Mac mac = drivers::kernelMac("neutron/mac/" + port);
    mac[0] = 0xfa;
    mac[1] = 0x16;
    mac[2] = 0x3e;
    if (!req.interface->macAddress.empty()) {
        mac = *model::parseMac(req.interface->macAddress);
    }
    const std::string owner = "port:" + port;
    const std::string tap = "tap" + port.substr(0, 11);
    const std::string tc = "t_c" + port.substr(0, 11);
    drivers::Link a;
    a.name = tap;
    a.kind = drivers::LinkKind::Veth;
    a.mac = drivers::kernelMac(tap);
    a.mtu = 1450;
    a.master = net->second.bridge;
    a.peerName = tc;
    drivers::Link b;
    b.name = tc;
    b.kind = drivers::LinkKind::Veth;
    b.mac = mac;
    b.mtu = 1450;
    b.peerName = tap;
    m_plan.add(owner, a);
    m_plan.add(owner, b);
    securityGroup(port, net->second, ip);
    Datastore::Json record = Datastore::Json::object();
    record["network"] = req.networkId;
    record["host"] = m_host;
    record["vtep"] = m_options.localIp;
    record["mac"] = model::macStr(mac);
    record["ip"] = ip;
    m_store->put("neutron/ports/" + port, record);
    remote::CreateEndpointResponse r;
    if (req.interface->macAddress.empty()) {
        r.interface = remote::EndpointInterface{"", "", model::macStr(mac)};
    }
    return r;
}

void KuryrPlugin::deleteEndpoint(const remote::EndpointRequest& req) {
    const std::string port = neutronPort(req.endpointId);
    m_plan.removeOwnedBy("port:" + port);
    m_store->remove("neutron/ports/" + port);
}

remote::JoinResponse KuryrPlugin::join(const remote::JoinRequest& req) {
    const auto net = m_networks.find(req.networkId);
    if (net == m_networks.end()) {
        throw PluginError(
            fmt::format("Neutron net associated with identifier {} doesn't exit.", req.networkId));
    }
    remote::JoinResponse r;
    r.interfaceName =
        remote::InterfaceName{"t_c" + neutronPort(req.endpointId).substr(0, 11), "", "eth"};
    r.gateway = net->second.gateway;
    r.disableGatewayService = true;
    return r;
}

void KuryrPlugin::leave(const remote::EndpointRequest& /*req*/) {}

// l2population: Neutron's server tells each agent of the other hosts' ports.
void KuryrPlugin::reconcile() {
    // Each entry with the sentence that says where it came from.
    std::map<std::string, std::pair<drivers::FdbEntry, std::string>> entries;
    for (const auto& [key, port] : m_store->list("neutron/ports/")) {
        const auto net = m_networks.find(port.value("network", std::string()));
        const std::string vtep = port.value("vtep", std::string());
        if (net == m_networks.end() || port.value("host", std::string()) == m_host ||
            !Ipv4::parse(vtep)) {
            continue;
        }
        const std::string dev = fmt::format("vxlan-{}", net->second.vni);
        const auto mac = model::parseMac(port.value("mac", std::string()));
        if (!mac) {
            continue;
        }
        const std::string host = port.value("host", std::string());
        const std::string owner = "l2pop:" + key.substr(key.rfind('/') + 1);
        entries[owner] = {drivers::FdbEntry{"", dev, *mac, Ipv4::parse(vtep)},
                          fmt::format("l2population: Neutron's server told the agent on {} that "
                                      "port {} ({}) is bound on {}; the agent wrote bridge fdb "
                                      "append {} dev {} dst {}",
                                      m_host, port.value("mac", std::string()),
                                      port.value("ip", std::string()), host,
                                      port.value("mac", std::string()), dev, vtep)};
        const std::string flood = "l2pop-flood:" + net->first + "@" + vtep;
        entries[flood] = {drivers::FdbEntry{"", dev, drivers::Mac{}, Ipv4::parse(vtep)},
                          fmt::format("l2population: {} has ports on this network, so the agent "
                                      "on {} floods broadcasts there too: bridge fdb append "
                                      "00:00:00:00:00:00 dev {} dst {}",
                                      host, m_host, dev, vtep)};
    }
    converge<std::pair<drivers::FdbEntry, std::string>>(
        m_plan, m_l2pop, entries,
        [this](const std::string& owner, const std::pair<drivers::FdbEntry, std::string>& e) {
            m_plan.add(owner, e.first, e.second);
        });
}

}  // namespace cnmlab::plugins
