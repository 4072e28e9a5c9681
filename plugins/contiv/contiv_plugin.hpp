#pragma once
// cnmlab's contiv: a remote network driver modelled on Contiv's netplugin in
// its bridge forwarding mode, where each network is a VLAN tagged on the
// hosts' LAN (802.1Q, the `-vlan-if` uplink) or a VXLAN segment between the
// hosts' VTEPs (README.md in this folder says where it is simplified: Linux
// bridges stand in for Contiv's Open vSwitch bridges and flows).
//   CreateNetwork (driver_opts `encap: vlan|vxlan`, default vxlan as for a
//     network Docker creates in Contiv; `pkt-tag`: the VLAN ID, required for
//     vlan, or the VNI, else the lowest free in 1-10000; one network per tag
//     in the cluster):
//       vlan:  a bridge contivVlan<tag> with the uplink's sub-interface
//              <vlan-if>.<tag> as its port: frames cross the LAN tagged, and
//              the network's gateway is the LAN's router on that VLAN;
//       vxlan: a bridge contivVx<vni> holding the network's gateway address
//              with Contiv's anycast gateway MAC 00:00:11:11:11:11 on every
//              host (a distributed gateway), and vxif<vni> (UDP 4789, no
//              learning, ARP answered from its neighbour table: Contiv
//              proxies ARP for the endpoints its netmaster knows).
//   CreateEndpoint: a veth vvport<id> on the bridge / vvpeer<id>, with
//     netmaster's MAC 02:02:<the address's four bytes>.
//   Join: vvpeer<id> into the container (DstPrefix eth), the network's
//     gateway (no docker_gwbridge).
//   reconcile (netmaster): on a vxlan network, each other host's endpoint as
//     an FDB entry behind that host's VTEP and a neighbour entry.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "plugins/sdk/datastore.hpp"
#include "plugins/sdk/network_plugin.hpp"

namespace cnmlab::plugins {

class ContivPlugin final : public NetworkPlugin {
public:
    struct Options {
        std::string scope = "global";
        std::string vlanIf = "eth0";  // netplugin's -vlan-if: the trunk to the LAN
        std::string vtepIp;           // netplugin's -vtep-ip (else DiscoverNew's address)
    };
    static Options parseOptions(const std::vector<std::string>& args);

    ContivPlugin(std::string host, std::shared_ptr<Datastore> store);
    ContivPlugin(std::string host, std::shared_ptr<Datastore> store, Options options);

    remote::CapabilitiesResponse capabilities() override;
    void createNetwork(const remote::CreateNetworkRequest& req) override;
    void deleteNetwork(const remote::NetworkRequest& req) override;
    remote::CreateEndpointResponse
    createEndpoint(const remote::CreateEndpointRequest& req) override;
    void deleteEndpoint(const remote::EndpointRequest& req) override;
    remote::JoinResponse join(const remote::JoinRequest& req) override;
    void leave(const remote::EndpointRequest& req) override;
    void discoverNew(const remote::DiscoveryNotification& n) override;
    HostPlan* hostPlan() override { return &m_plan; }
    void reconcile() override;

    static constexpr const char* kAnycastGatewayMac = "00:00:11:11:11:11";

private:
    struct Network {
        bool vlan = false;
        std::uint32_t tag = 0;  // VLAN ID or VNI
        std::string bridge;
        std::string uplink;  // eth0.50 or vxif10
        std::string subnet;
        std::string gateway;
    };
    void launch();
    Network stored(const remote::CreateNetworkRequest& req);
    void build(const std::string& networkId, const Network& net);
    std::set<std::string> m_learned;  // the owners of the netmaster's entries

    std::string m_host;
    std::shared_ptr<Datastore> m_store;
    Options m_options;
    HostPlan m_plan;
    std::map<std::string, Network> m_networks;  // by Docker network id
};

}  // namespace cnmlab::plugins
