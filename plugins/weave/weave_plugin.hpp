#pragma once
// cnmlab's weave: a remote network driver modelled on Weave Net's Docker
// plugin (weaveworks/weave plugin/net/driver.go) and the data plane its router
// sets up (README.md in this folder says where it is simplified).
//   weave launch: a `weave` bridge on every host (MTU 1376), a VXLAN port
//     `vxlan-6784` on it (UDP 6784, the fast datapath's port) that floods to
//     every peer and learns where each MAC lives, and FORWARD's
//     `-i weave -o weave -j ACCEPT`.
//   CreateEndpoint: a veth pair vethwl<id> (on the bridge) / vethwg<id>,
//     answering the MAC of vethwg.
//   Join: vethwg<id> goes into the container as ethwe<N>; no gateway, so the
//     container also gets docker_gwbridge; with the network option
//     works.weave.multicast, a connected route to 224.0.0.0/4.
//   DiscoverNew: each peer host becomes a flood entry of vxlan-6784.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "plugins/sdk/network_plugin.hpp"

namespace cnmlab::plugins {

class WeavePlugin final : public NetworkPlugin {
public:
    struct Options {
        // "global" (the `weave` driver with a cluster store) or "local" (one
        // daemon without a store, as weave's `weavemesh` driver runs).
        std::string scope = "global";
        // `weave launch PEER...`: peers known without DiscoverNew.
        std::vector<std::string> peers;
    };
    // Reads --scope local|global and --peer ADDRESS (repeatable); throws
    // std::invalid_argument for anything else.
    static Options parseOptions(const std::vector<std::string>& args);

    // `seed`: what makes this host's random MACs its own (the host's name).
    explicit WeavePlugin(std::string seed);
    WeavePlugin(std::string seed, Options options);

    remote::CapabilitiesResponse capabilities() override;
    void createNetwork(const remote::CreateNetworkRequest& req) override;
    void deleteNetwork(const remote::NetworkRequest& req) override;
    remote::CreateEndpointResponse
    createEndpoint(const remote::CreateEndpointRequest& req) override;
    void deleteEndpoint(const remote::EndpointRequest& req) override;
    remote::JoinResponse join(const remote::JoinRequest& req) override;
    void leave(const remote::EndpointRequest& req) override;
    void discoverNew(const remote::DiscoveryNotification& n) override;
    void discoverDelete(const remote::DiscoveryNotification& n) override;
    HostPlan* hostPlan() override { return &m_plan; }

    static constexpr const char* kBridge = "weave";
    static constexpr const char* kVxlan = "vxlan-6784";
    static constexpr int kMtu = 1376;

private:
    void launch();

    void addPeer(const std::string& address);

    std::string m_seed;
    Options m_options;
    HostPlan m_plan;
    std::map<std::string, bool> m_networks;  // id -> multicast route
    std::set<std::string> m_peers;           // the other hosts' addresses
};

}  // namespace cnmlab::plugins
