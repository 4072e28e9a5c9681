// The bridge driver's networks, endpoints and joins: libnetwork
// drivers/bridge/bridge.go (configure, createNetwork, CreateEndpoint, Join,
// Leave, ProgramExternalConnectivity) and setup_device.go / setup_ipv4.go /
// setup_ip_forwarding.go / setup_bridgenetfiltering.go.
#include "drivers/bridge_driver.hpp"

#include <fmt/format.h>

#include "drivers/builtin_drivers.hpp"
#include "drivers/names.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

using model::Error;
using model::ErrorKind;

constexpr int kDefaultMtu = 1500;

int mtuOf(const BridgeOptions& o) {
    return o.mtu != 0 ? o.mtu : kDefaultMtu;
}

model::SourcePos posOf(const model::NetworkInstance& net) {
    return net.spec != nullptr ? net.spec->pos : model::SourcePos{};
}

}  // namespace

BridgeDriver::BridgeDriver(std::string host, PlanBuilder& plan) : m_host(std::move(host)) {
    const Owner owner = daemonOwner(m_host);
    Iptables ipt(plan, m_host);
    setupIpChains(ipt, owner);
    // setupIPForwarding: ip_forward is 0 on a fresh host, so dockerd turns it on
    // and, iptables being enabled, sets FORWARD's policy to DROP so that the host
    // does not start routing for everyone (setup_ip_forwarding.go).
    plan.set(owner, Sysctl{m_host, "net.ipv4.ip_forward", "1"});
    ipt.setDefaultPolicy(NfTable::Filter, "FORWARD", "DROP");
    // configure() modprobes br_netfilter, whose bridge-nf-call-iptables starts at
    // 1: frames bridged between two ports of a Docker bridge pass FORWARD too.
    plan.set(owner, Sysctl{m_host, "net.bridge.bridge-nf-call-iptables", "1"});
}

BridgeNetworkState& BridgeDriver::network(const model::NetworkInstance& net) {
    auto it = m_networks.find(net.key);
    if (it == m_networks.end()) {
        throw Error(ErrorKind::NotFound,
                    fmt::format("network {} does not exist on {}", net.name, m_host));
    }
    return it->second;
}

BridgeEndpointState& BridgeDriver::endpoint(const EndpointRequest& req) {
    BridgeNetworkState& net = network(*req.network);
    auto it = net.endpoints.find(req.endpoint->id);
    if (it == net.endpoints.end()) {
        throw Error(ErrorKind::NotFound,
                    fmt::format("endpoint {} not found on {}", req.endpoint->id.substr(0, 12),
                                net.network->name));
    }
    return it->second;
}

void BridgeDriver::createNetwork(const NetworkRequest& req, PlanBuilder& plan) {
    const model::NetworkInstance& net = *req.network;
    if (!req.ipv4) {
        throw Error(ErrorKind::Invalid, fmt::format("network {}: ipv4 pool is empty", net.name),
                    posOf(net));
    }
    BridgeNetworkState st;
    st.network = &net;
    st.options = std::get<BridgeOptions>(*req.options);
    // parseNetworkOptions: a user network's bridge is "br-" + the id's first 12
    // digits. Each host's daemon creates the network with an id of its own, so
    // the bridges of one key on two hosts have different names; the first host
    // keeps the network's id.
    const bool firstHost = net.hosts.empty() || net.hosts.front() == m_host;
    const std::string id = firstHost ? net.id : model::objectId(net.id + "@" + m_host);
    st.bridgeName =
        st.options.bridgeName.empty() ? "br-" + id.substr(0, 12) : st.options.bridgeName;
    st.subnet = req.ipv4->pool;
    st.bridgeAddress = Cidr{req.ipv4->gateway, req.ipv4->pool.prefix};
    st.internal = net.internal;
    st.owner = networkOwner(m_host, net);
    for (const auto& [key, other] : m_networks) {  // checkConflict
        if (other.bridgeName == st.bridgeName) {
            throw Error(ErrorKind::Conflict,
                        fmt::format("networks.{}: cannot create network {} ({}): conflicts with "
                                    "network {} ({}): networks have same bridge name",
                                    net.key, net.name, st.bridgeName, other.network->name,
                                    other.bridgeName),
                        posOf(net));
        }
    }
    // setupDevice: a bridge with a random 02:42 MAC; setupBridgeIPv4: the gateway on it.
    Link br;
    br.netns = m_host;
    br.name = st.bridgeName;
    br.kind = LinkKind::Bridge;
    br.mac = dockerMac(m_host + "/" + st.bridgeName);
    br.mtu = mtuOf(st.options);  // a bridge takes its ports' MTU
    plan.add(st.owner, br);
    plan.add(st.owner, Address{m_host, st.bridgeName, st.bridgeAddress});
    Iptables ipt(plan, m_host);
    setupIpTables(ipt, st, daemonOwner(m_host));
    setInterNetworkCommunication(ipt, st);
    if (!st.options.enableIcc) {
        // setupBridgeNetFiltering: ICC off needs bridged frames to see iptables.
        plan.set(st.owner, Sysctl{m_host, "net.bridge.bridge-nf-call-iptables", "1"});
    }
    m_networks.emplace(net.key, std::move(st));
}

void BridgeDriver::deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) {
    BridgeNetworkState& st = network(*req.network);
    if (!st.endpoints.empty()) {
        throw Error(ErrorKind::Conflict,
                    fmt::format("network {} has active endpoints", st.network->name));
    }
    plan.removeOwnedBy(st.owner);
    m_networks.erase(req.network->key);
}

void BridgeDriver::createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                                  PlanBuilder& plan) {
    BridgeNetworkState& st = network(*req.network);
    const std::string& id = req.endpoint->id;
    if (st.endpoints.count(id) != 0) {
        throw Error(ErrorKind::Conflict,
                    fmt::format("endpoint {} already exists", id.substr(0, 12)));
    }
    BridgeEndpointState ep;
    ep.id = id;
    // Two names from GenerateIfaceName: the host end, then the sandbox end.
    ep.hostIfName = freeVethName(plan, m_host, id, "");
    ep.containerIfName = freeVethName(plan, m_host, model::objectId(id), ep.hostIfName);
    ep.address = iface.address;
    // electMacAddress: without a user MAC, 02:42 followed by the IPv4 address.
    ep.mac = iface.mac.value_or(model::macFromIp(iface.address.address));
    iface.mac = ep.mac;

    const int mtu = mtuOf(st.options);
    Link hostEnd;
    hostEnd.netns = m_host;
    hostEnd.name = ep.hostIfName;
    hostEnd.kind = LinkKind::Veth;
    hostEnd.mac = kernelMac(m_host + "/" + ep.hostIfName);
    hostEnd.mtu = mtu;
    hostEnd.master = st.bridgeName;  // addToBridge
    hostEnd.peerNetns = m_host;
    hostEnd.peerName = ep.containerIfName;
    Link sandboxEnd;
    sandboxEnd.netns = m_host;
    sandboxEnd.name = ep.containerIfName;
    sandboxEnd.kind = LinkKind::Veth;
    sandboxEnd.mac = ep.mac;
    sandboxEnd.mtu = mtu;
    sandboxEnd.peerNetns = m_host;
    sandboxEnd.peerName = ep.hostIfName;
    const Owner owner = endpointOwner(*req.endpoint);
    plan.add(owner, hostEnd);
    plan.add(owner, sandboxEnd);
    st.endpoints.emplace(id, std::move(ep));
}

void BridgeDriver::deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) {
    BridgeNetworkState& st = network(*req.network);
    endpoint(req);  // throws if unknown
    plan.removeOwnedBy(endpointOwner(*req.endpoint));
    st.endpoints.erase(req.endpoint->id);
}

void BridgeDriver::join(const EndpointRequest& req, const std::string& /*sandbox*/, JoinInfo& info,
                        PlanBuilder& /*plan*/) {
    const BridgeNetworkState& st = network(*req.network);
    const BridgeEndpointState& ep = endpoint(req);
    info.srcName = ep.containerIfName;
    info.dstPrefix = "eth";
    info.gateway = st.bridgeAddress.address;
}

void BridgeDriver::leave(const EndpointRequest& req, PlanBuilder& /*plan*/) {
    // Leave only undoes legacy --link rules (ICC off), which cnmlab does not model.
    endpoint(req);
}

void BridgeDriver::programExternalConnectivity(const EndpointRequest& req,
                                               const std::vector<PortBinding>& ports,
                                               PlanBuilder& plan) {
    const BridgeNetworkState& st = network(*req.network);
    BridgeEndpointState& ep = endpoint(req);
    Iptables ipt(plan, m_host);
    const Owner owner = portsOwner(*req.endpoint);
    ep.portMapping = allocatePorts(st, ep, ports);
    for (const PortBinding& b : ep.portMapping) {
        // portmapper.MapRange: the forwarding rules, then the docker-proxy.
        forwardPort(ipt, owner, st, b, ep.address.address);
        Listener proxy;
        proxy.netns = m_host;
        proxy.address = b.hostIp.value_or(Ipv4());
        proxy.port = b.hostPort;
        proxy.proto = b.proto;
        proxy.owner = "docker-proxy";
        proxy.forwardTo = ep.address.address;
        proxy.forwardPort = b.containerPort;
        plan.add(owner, proxy);
    }
}

void BridgeDriver::revokeExternalConnectivity(const EndpointRequest& req, PlanBuilder& plan) {
    BridgeEndpointState& ep = endpoint(req);
    releasePorts(ep);
    plan.removeOwnedBy(portsOwner(*req.endpoint));
    ep.portMapping.clear();
}

std::unique_ptr<Driver> makeBridgeDriver(const std::string& host, PlanBuilder& plan) {
    return std::make_unique<BridgeDriver>(host, plan);
}

}  // namespace cnmlab::drivers
