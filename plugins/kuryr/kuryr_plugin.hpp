#pragma once
// cnmlab's kuryr: a remote network driver modelled on kuryr-libnetwork, which
// makes each Docker network a Neutron network, and on what Neutron's ML2
// linuxbridge agent then plumbs on every host (README.md in this folder says
// where it is simplified).
//   CreateNetwork: the Neutron network (VXLAN, its VNI the lowest free in
//     1001-2000, allocated once for the cluster) and subnet; on this host a
//     bridge brq<network id> with the port vxlan-<VNI> (UDP 8472, the
//     kernel's default; no learning: l2population programs it).
//   CreateEndpoint: the Neutron port (its MAC fa:16:3e:..., answered to
//     Docker), a veth tap<port id> on brq / t_c<port id>, and the port's
//     security group in iptables (chains neutron-linuxbri-i<port> and
//     neutron-linuxbri-o<port>: the default group lets in replies and
//     traffic from its members, lets out only the port's own address).
//   Join: t_c<port id> into the container (DstPrefix eth), the subnet's
//     gateway, DisableGatewayService (no docker_gwbridge).
//   reconcile (l2population): for each other host's port on a network here,
//     its MAC behind that host's VTEP, and a flood entry per such host.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "plugins/sdk/datastore.hpp"
#include "plugins/sdk/network_plugin.hpp"

namespace cnmlab::plugins {

class KuryrPlugin final : public NetworkPlugin {
public:
    struct Options {
        std::string scope = "global";  // kuryr's capability_scope
        std::string localIp;           // the linuxbridge agent's [vxlan] local_ip
    };
    static Options parseOptions(const std::vector<std::string>& args);

    KuryrPlugin(std::string host, std::shared_ptr<Datastore> store);
    KuryrPlugin(std::string host, std::shared_ptr<Datastore> store, Options options);

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

    // Neutron's ids, derived from Docker's so that every host agrees.
    static std::string neutronNetwork(const std::string& dockerNetworkId);
    static std::string neutronPort(const std::string& endpointId);

private:
    struct Network {
        std::string uuid;
        std::uint32_t vni = 0;
        std::string bridge;  // brq...
        std::string subnet;  // CIDR
        std::string gateway;
    };
    void launch();
    void securityGroup(const std::string& portId, const Network& net, const std::string& ip);
    // The l2population entries this host has, by owner.
    std::set<std::string> m_l2pop;

    std::string m_host;
    std::shared_ptr<Datastore> m_store;
    Options m_options;
    HostPlan m_plan;
    std::map<std::string, Network> m_networks;  // by Docker network id
};

}  // namespace cnmlab::plugins
