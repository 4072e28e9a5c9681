#pragma once
// What the macvlan and ipvlan drivers share: libnetwork drivers/macvlan and
// drivers/ipvlan (macvlan_network.go / ipvlan_network.go, *_endpoint.go,
// *_joinleave.go, *_setup.go). Both attach containers straight to a parent
// interface of the host — no bridge, no iptables, no published ports:
//   - CreateNetwork: the parent is `-o parent` (eth0 here), or, without one, a
//     dummy link "dm-" (ipvlan: "di-") + 12 hex digits of the network id that the
//     driver creates (the network then reaches nothing outside the host). A parent
//     the host lacks must be "name.vid" (eth0.50): the driver creates that 802.1Q
//     VLAN link (parent_link_setup.cpp). Either link it made is removed with the
//     network; a link that was there is used as it is. One network per parent,
//     per driver.
//   - Join: a slave link of the parent, named like a veth ("veth" + 7 hex), that
//     the sandbox takes as eth0; the default route via the network's gateway.
// What differs (the slave's kind and MAC, ipvlan's l3 mode) is each driver's:
// macvlan_driver.cpp and ipvlan_driver.cpp.
#include <map>
#include <string>
#include <utility>

#include "drivers/driver.hpp"

namespace cnmlab::drivers {

class ParentLinkDriver : public Driver {
public:
    explicit ParentLinkDriver(std::string host) : m_host(std::move(host)) {}

    Capability capability() const override { return {Scope::Local, Scope::Global}; }
    void createNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                        PlanBuilder& plan) override;
    void deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) override;
    void join(const EndpointRequest& req, const std::string& sandbox, JoinInfo& info,
              PlanBuilder& plan) override;
    void leave(const EndpointRequest& req, PlanBuilder& plan) override;
    // "%s driver does not support port mappings": published ports are ignored.
    void programExternalConnectivity(const EndpointRequest&, const std::vector<PortBinding>&,
                                     PlanBuilder&) override {}
    void revokeExternalConnectivity(const EndpointRequest&, PlanBuilder&) override {}

protected:
    // The driver's `-o parent` and mode, from its options.
    virtual std::pair<std::string, std::string>
    parentAndMode(const DriverOptions* options) const = 0;
    // The kind of slave link it makes, and that slave's MAC.
    virtual LinkKind slaveKind() const = 0;
    // The prefix of the dummy parent it makes: getDummyName's dummyPrefix.
    virtual std::string dummyPrefix() const = 0;
    virtual Mac slaveMac(const Link& parent, const std::string& name) const = 0;
    // The endpoint's MAC, chosen (or refused) before Join.
    virtual void endpointMac(const EndpointRequest& req, InterfaceInfo& iface) const = 0;
    // Join without a gateway: a default route out of the interface (ipvlan l3).
    virtual bool routesWithoutGateway(const std::string& /*mode*/) const { return false; }

    const std::string& host() const { return m_host; }

private:
    struct NetworkState {
        const model::NetworkInstance* network = nullptr;
        std::string parent;
        std::string mode;
        bool createdParent = false;  // the dummy or VLAN link this network made (CreatedSlaveLink)
        Ipv4 gateway;
        bool internal = false;
        Owner owner;
        std::map<std::string, std::string> slaves;  // endpoint id -> slave link name (after Join)
    };
    NetworkState& network(const model::NetworkInstance& net);
    // createVlanLink and parseVlan, for a parent the host lacks: adds the VLAN
    // link `st.parent`, owned by the network, or throws Docker's error.
    void createVlanLink(const model::NetworkInstance& net, const NetworkState& st,
                        PlanBuilder& plan) const;

    std::string m_host;
    std::map<std::string, NetworkState> m_networks;  // by network key
};

}  // namespace cnmlab::drivers
