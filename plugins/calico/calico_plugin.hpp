#pragma once
// cnmlab's calico: a remote network and IPAM driver modelled on Calico's
// libnetwork plugin and on what calico/node's Felix and BIRD then program on
// each host (README.md in this folder says where it is simplified). Routed,
// with no bridge:
//   IPAM: per-host /26 blocks of the pool, /32 addresses (model/ipam_calico.hpp
//     has the same rules); RequestPool answers a dummy gateway 0.0.0.0/0.
//   CreateNetwork: refuses a network whose IPAM is not calico's, and options.
//   CreateEndpoint: the workload endpoint in the datastore; the container's
//     MAC is EE:EE:EE:EE:EE:EE.
//   Join: a veth cali<id> (host) / temp<id>; Felix: proxy_arp on cali<id>, a
//     /32 route to the container out of it, the endpoint's policy chains;
//     answers Gateway 169.254.1.1 with a connected route to it.
//   reconcile: BIRD's BGP routes to the other hosts' blocks, and each
//     network's profile (the members its ingress rule lets in).

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/ipam_calico.hpp"
#include "plugins/sdk/datastore.hpp"
#include "plugins/sdk/network_plugin.hpp"

namespace cnmlab::plugins {

class CalicoPlugin final : public NetworkPlugin {
public:
    struct Options {
        std::string address;  // this node's address (BGP next hop); from DiscoverNew when unset
        std::string pool = "192.168.0.0/16";  // CALICO_IPV4POOL_CIDR
        // "global" as Calico's plugin answers (it needs a cluster store);
        // "local" for one daemon without a store.
        std::string scope = "global";
    };
    static Options parseOptions(const std::vector<std::string>& args);

    CalicoPlugin(std::string host, std::shared_ptr<Datastore> store);
    CalicoPlugin(std::string host, std::shared_ptr<Datastore> store, Options options);

    bool servesIpam() const override { return true; }
    remote::CapabilitiesResponse capabilities() override;
    void createNetwork(const remote::CreateNetworkRequest& req) override;
    void deleteNetwork(const remote::NetworkRequest& req) override;
    remote::CreateEndpointResponse
    createEndpoint(const remote::CreateEndpointRequest& req) override;
    void deleteEndpoint(const remote::EndpointRequest& req) override;
    remote::JoinResponse join(const remote::JoinRequest& req) override;
    void leave(const remote::EndpointRequest& req) override;
    void discoverNew(const remote::DiscoveryNotification& n) override;
    remote::AddressSpacesResponse addressSpaces() override;
    remote::RequestPoolResponse requestPool(const remote::RequestPoolRequest& req) override;
    remote::RequestAddressResponse
    requestAddress(const remote::RequestAddressRequest& req) override;
    void releaseAddress(const remote::ReleaseAddressRequest& req) override;
    HostPlan* hostPlan() override { return &m_plan; }
    void reconcile() override;

    static constexpr const char* kGateway = "169.254.1.1";
    static std::string interfaceOf(const std::string& endpointId);

private:
    void launch();
    // The pool's IPAM as the datastore has it (every host's claims).
    model::CalicoIpam loadIpam(const std::string& pool) const;
    void saveIpam(const model::CalicoIpam& ipam) const;

    std::string m_host;
    std::shared_ptr<Datastore> m_store;
    Options m_options;
    HostPlan m_plan;
    std::map<std::string, std::string> m_networks;  // id -> profile
    std::set<std::string> m_routes;                 // owners of BGP routes here
    std::set<std::string> m_members;                // owners of profile members here
};

}  // namespace cnmlab::plugins
