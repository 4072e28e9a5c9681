// The macvlan and ipvlan drivers: libnetwork drivers/macvlan and
// drivers/ipvlan (macvlan_network.go / ipvlan_network.go, *_endpoint.go,
// *_joinleave.go, *_setup.go). Both attach containers straight to a parent
// interface of the host — no bridge, no iptables, no published ports:
//   - CreateNetwork: the parent is `-o parent` (eth0 here), or, without one, a
//     dummy link "dm-" + 12 hex digits of the network id that the driver creates
//     (the network then reaches nothing outside the host). One network per parent.
//   - Join: a slave link of the parent, named like a veth ("veth" + 7 hex), that
//     the sandbox takes as eth0; the default route via the network's gateway
//     (ipvlan l3: "default dev eth0" instead, and no gateway endpoint).
//   - macvlan slaves get 02:42 + the IPv4 address as MAC; ipvlan slaves share
//     the parent's MAC, and reject a user MAC.
// The two drivers differ only in these points, so one class takes a Kind.
#include <map>

#include <fmt/format.h>

#include "drivers/builtin_drivers.hpp"
#include "drivers/names.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

using model::Error;
using model::ErrorKind;

enum class Kind { Macvlan, Ipvlan };

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

struct SlaveNetworkState {
    const model::NetworkInstance* network = nullptr;
    std::string parent;
    std::string mode;
    bool createdParent = false;  // the dm- dummy this driver made
    Ipv4 gateway;
    bool internal = false;
    Owner owner;
    std::map<std::string, std::string> slaves;  // endpoint id -> slave link name (after Join)
};

class ParentLinkDriver final : public Driver {
public:
    ParentLinkDriver(Kind kind, std::string host) : m_kind(kind), m_host(std::move(host)) {}

    std::string type() const override { return m_kind == Kind::Macvlan ? "macvlan" : "ipvlan"; }
    Capability capability() const override { return {Scope::Local, Scope::Global}; }

    void createNetwork(const NetworkRequest& req, PlanBuilder& plan) override {
        const model::NetworkInstance& net = *req.network;
        if (!req.ipv4) {
            throw Error(ErrorKind::Invalid, "ipv4 pool is empty", optionsPos(net));
        }
        SlaveNetworkState st;
        st.network = &net;
        st.owner = networkOwner(m_host, net);
        st.gateway = req.ipv4->gateway;
        st.internal = net.internal;
        if (const auto* mv = std::get_if<MacvlanOptions>(req.options)) {
            st.parent = mv->parent;
            st.mode = mv->mode;
        } else if (const auto* iv = std::get_if<IpvlanOptions>(req.options)) {
            st.parent = iv->parent;
            st.mode = iv->mode;
        }
        if (st.parent == "lo") {
            throw Error(ErrorKind::Invalid,
                        fmt::format("networks.{}.driver_opts.parent: loopback interface is not a "
                                    "valid {} parent link",
                                    net.key, type()),
                        optionsPos(net));
        }
        const std::string dummy = "dm-" + net.id.substr(0, 12);
        if (st.parent.empty()) {
            st.parent = dummy;
        }
        for (const auto& [key, other] : m_networks) {
            if (other.parent == st.parent) {
                throw Error(ErrorKind::Conflict,
                            fmt::format("networks.{}.driver_opts.parent: network dm-{} is already "
                                        "using parent interface {}",
                                        net.key, other.network->id.substr(0, 12), st.parent),
                            optionsPos(net));
            }
        }
        if (!plan.hasLink(m_host, st.parent)) {
            if (st.parent != dummy) {
                missingParent(net, st.parent, plan);
            }
            Link d;
            d.netns = m_host;
            d.name = dummy;
            d.kind = LinkKind::Dummy;
            d.mac = kernelMac(m_host + "/" + dummy);
            plan.add(st.owner, d);
            st.createdParent = true;
        }
        m_networks.emplace(net.key, std::move(st));
    }

    void deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) override {
        SlaveNetworkState& st = network(*req.network);
        if (!st.slaves.empty()) {
            throw Error(ErrorKind::Conflict,
                        fmt::format("network {} has active endpoints", st.network->name));
        }
        plan.removeOwnedBy(st.owner);
        m_networks.erase(req.network->key);
    }

    void createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                        PlanBuilder& /*plan*/) override {
        network(*req.network);
        if (m_kind == Kind::Ipvlan) {
            if (iface.mac) {
                throw Error(ErrorKind::Invalid,
                            fmt::format("services.{}.mac_address: ipvlan interfaces do not "
                                        "support custom mac address assignment",
                                        req.container != nullptr ? req.container->service : ""));
            }
            return;  // the slave shares its parent's MAC
        }
        iface.mac = iface.mac.value_or(model::macFromIp(iface.address.address));
    }

    void deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) override {
        SlaveNetworkState& st = network(*req.network);
        plan.removeOwnedBy(endpointOwner(*req.endpoint));
        st.slaves.erase(req.endpoint->id);
    }

    void join(const EndpointRequest& req, const std::string& /*sandbox*/, JoinInfo& info,
              PlanBuilder& plan) override {
        SlaveNetworkState& st = network(*req.network);
        // netutils.GenerateIfaceName("veth", 7), then createMacVlan / createIPVlan.
        std::string name;
        for (int attempt = 0; name.empty() || plan.hasLink(m_host, name); ++attempt) {
            name = vethName(req.endpoint->id, attempt);
        }
        // The kernel gives a device either macvlan or ipvlan ports, not both
        // (createMacVlan / createIPVlan fail with EBUSY).
        const LinkKind kind = m_kind == Kind::Macvlan ? LinkKind::Macvlan : LinkKind::Ipvlan;
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
        const Link& parent = plan.link(m_host, st.parent);
        slave.mac = m_kind == Kind::Ipvlan ? parent.mac : kernelMac(m_host + "/" + name);
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
        if (m_kind == Kind::Ipvlan && st.mode == "l3") {
            // DisableGatewayService and a default route out of the interface.
            info.disableGatewayService = true;
            info.staticRoutes.push_back(StaticRoute{Cidr{Ipv4(), 0}, std::nullopt});
            return;
        }
        info.gateway = st.gateway;
    }

    void leave(const EndpointRequest& req, PlanBuilder& /*plan*/) override {
        network(*req.network);
    }

    // "%s driver does not support port mappings": published ports are ignored.
    void programExternalConnectivity(const EndpointRequest&, const std::vector<PortBinding>&,
                                     PlanBuilder&) override {}
    void revokeExternalConnectivity(const EndpointRequest&, PlanBuilder&) override {}

private:
    SlaveNetworkState& network(const model::NetworkInstance& net) {
        auto it = m_networks.find(net.key);
        if (it == m_networks.end()) {
            throw Error(ErrorKind::Invalid, fmt::format("network id {} not found", net.id));
        }
        return it->second;
    }

    // createVlanLink: a parent the host lacks must name a VLAN sub-interface
    // (eth0.10), which the driver would create.
    [[noreturn]] void missingParent(const model::NetworkInstance& net, const std::string& parent,
                                    const PlanBuilder& plan) const {
        const std::string key = fmt::format("networks.{}.driver_opts.parent", net.key);
        const auto dot = parent.find('.');
        if (dot == std::string::npos) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("{}: invalid subinterface vlan name {}, example formatting is "
                                    "eth0.10 (the host has no interface {})",
                                    key, parent, parent),
                        optionsPos(net));
        }
        const std::string base = parent.substr(0, dot);
        if (!plan.hasLink(m_host, base)) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("{}: -o parent interface does was not found on the host: {}",
                                    key, base),
                        optionsPos(net));
        }
        throw Error(ErrorKind::Unsupported,
                    fmt::format("{}: {} is a VLAN sub-interface of {}; cnmlab does not model "
                                "802.1Q VLAN links yet",
                                key, parent, base),
                    optionsPos(net));
    }

    Kind m_kind;
    std::string m_host;
    std::map<std::string, SlaveNetworkState> m_networks;  // by network key
};

}  // namespace

std::unique_ptr<Driver> makeMacvlanDriver(const std::string& host, PlanBuilder& /*plan*/) {
    return std::make_unique<ParentLinkDriver>(Kind::Macvlan, host);
}

std::unique_ptr<Driver> makeIpvlanDriver(const std::string& host, PlanBuilder& /*plan*/) {
    return std::make_unique<ParentLinkDriver>(Kind::Ipvlan, host);
}

}  // namespace cnmlab::drivers
