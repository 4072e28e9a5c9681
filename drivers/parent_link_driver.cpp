#include "drivers/parent_link_driver.hpp"

#include <tuple>

#include <fmt/format.h>

#include "drivers/names.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

using model::Error;
using model::ErrorKind;

model::SourcePos optionsPos(const model::NetworkInstance& net) {
    return net.spec != nullptr ? net.spec->driverPos : model::SourcePos{};
}

// Where the service joins the network (its `networks:` entry).
model::SourcePos joinPos(const EndpointRequest& req) {
    if (req.container == nullptr || req.container->spec == nullptr) {
        return {};
    }
    for (const auto& sn : req.container->spec->networks) {
        if (sn.key == req.network->key) {
            return sn.pos;
        }
    }
    return req.container->spec->pos;
}

}  // namespace

void ParentLinkDriver::createNetwork(const NetworkRequest& req, PlanBuilder& plan) {
    const model::NetworkInstance& net = *req.network;
    if (!req.ipv4) {
        throw Error(ErrorKind::Invalid, "ipv4 pool is empty", optionsPos(net));
    }
    NetworkState st;
    st.network = &net;
    st.owner = networkOwner(m_host, net);
    st.gateway = req.ipv4->gateway;
    st.internal = net.internal;
    std::tie(st.parent, st.mode) = parentAndMode(req.options);
    if (st.parent == "lo") {
        throw Error(ErrorKind::Invalid,
                    fmt::format("networks.{}.driver_opts.parent: loopback interface is not a "
                                "valid {} parent link",
                                net.key, type()),
                    optionsPos(net));
    }
    // getDummyName: the driver's prefix (macvlan dm-, ipvlan di-) and 12 hex of the id.
    const std::string dummy = dummyPrefix() + net.id.substr(0, 12);
    if (st.parent.empty()) {
        st.parent = dummy;
    }
    // Only this driver's networks, compared as strings (eth0.050 is not eth0.50).
    for (const auto& [key, other] : m_networks) {
        if (other.parent == st.parent) {
            throw Error(ErrorKind::Conflict,
                        fmt::format("networks.{}.driver_opts.parent: network {}{} is already "
                                    "using parent interface {}",
                                    net.key, dummyPrefix(), other.network->id.substr(0, 12),
                                    st.parent),
                        optionsPos(net));
        }
    }
    // A link named exactly like the parent, of any kind, is used as it is and
    // left alone; only a missing one is created (and then removed with this
    // network: CreatedSlaveLink).
    if (!plan.hasLink(m_host, st.parent)) {
        if (st.parent == dummy) {
            Link d;
            d.netns = m_host;
            d.name = dummy;
            d.kind = LinkKind::Dummy;
            d.mac = kernelMac(m_host + "/" + dummy);
            plan.add(st.owner, d);
        } else {
            createVlanLink(net, st, plan);
        }
        st.createdParent = true;
    }
    m_networks.emplace(net.key, std::move(st));
}

void ParentLinkDriver::deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) {
    NetworkState& st = network(*req.network);
    if (!st.slaves.empty()) {
        throw Error(ErrorKind::Conflict,
                    fmt::format("network {} has active endpoints", st.network->name));
    }
    plan.removeOwnedBy(st.owner);
    m_networks.erase(req.network->key);
}

void ParentLinkDriver::createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                                      PlanBuilder& /*plan*/) {
    network(*req.network);
    endpointMac(req, iface);
}

void ParentLinkDriver::deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) {
    NetworkState& st = network(*req.network);
    plan.removeOwnedBy(endpointOwner(*req.endpoint));
    st.slaves.erase(req.endpoint->id);
}

void ParentLinkDriver::join(const EndpointRequest& req, const std::string& /*sandbox*/,
                            JoinInfo& info, PlanBuilder& plan) {
    NetworkState& st = network(*req.network);
    // netutils.GenerateIfaceName("veth", 7), then createMacVlan / createIPVlan.
    std::string name;
    for (int attempt = 0; name.empty() || plan.hasLink(m_host, name); ++attempt) {
        name = vethName(req.endpoint->id, attempt);
    }
    // The kernel gives a device either macvlan or ipvlan ports, not both
    // (createMacVlan / createIPVlan fail with EBUSY).
    const LinkKind kind = slaveKind();
    for (const Link& other : plan.plan().links) {
        if ((other.kind == LinkKind::Macvlan || other.kind == LinkKind::Ipvlan) &&
            other.kind != kind && other.parentNetns == m_host && other.parent == st.parent) {
            throw Error(ErrorKind::Conflict,
                        fmt::format("services.{}.networks.{}: failed to create the {} port: "
                                    "device or resource busy ({} already has {} ports)",
                                    req.container != nullptr ? req.container->service : "?",
                                    req.network->key, type(), st.parent,
                                    kind == LinkKind::Macvlan ? "ipvlan" : "macvlan"),
                        joinPos(req));
        }
    }
    Link slave;
    slave.netns = m_host;
    slave.name = name;
    slave.kind = kind;
    Link parent = plan.link(m_host, st.parent);
    if (parent.kind == LinkKind::Vlan && parent.mac == Mac{}) {
        parent.mac = plan.link(m_host, parent.parent).mac;  // the VLAN's MAC is its parent's
    }
    slave.mac = slaveMac(parent, name);
    slave.mtu = parent.mtu;
    slave.parentNetns = m_host;
    slave.parent = st.parent;
    slave.mode = st.mode;
    plan.add(endpointOwner(*req.endpoint), slave);
    st.slaves[req.endpoint->id] = name;
    info.srcName = name;
    info.dstPrefix = "eth";
    if (st.internal) {
        return;
    }
    if (routesWithoutGateway(st.mode)) {
        // DisableGatewayService and a default route out of the interface.
        info.disableGatewayService = true;
        info.staticRoutes.push_back(StaticRoute{Cidr{Ipv4(), 0}, std::nullopt});
        return;
    }
    info.gateway = st.gateway;
}

void ParentLinkDriver::leave(const EndpointRequest& req, PlanBuilder& /*plan*/) {
    network(*req.network);
}

ParentLinkDriver::NetworkState& ParentLinkDriver::network(const model::NetworkInstance& net) {
    auto it = m_networks.find(net.key);
    if (it == m_networks.end()) {
        throw Error(ErrorKind::Invalid, fmt::format("network id {} not found", net.id));
    }
    return it->second;
}

}  // namespace cnmlab::drivers
