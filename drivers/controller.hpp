#pragma once
// What dockerd and libnetwork's controller do on one Docker host, in their order:
//
//  startDaemon()      the drivers' Init (the bridge driver's chains, ip_forward,
//                     FORWARD policy DROP); the predefined networks none, host and
//                     bridge (docker0), as daemon_unix.go initNetworkController
//                     creates them; after every network, arrangeUserFilterRule
//                     (DOCKER-USER first in FORWARD, firewall_linux.go).
//                     On a swarm (SPEC §1a), then swarm init/join: `ingress`,
//                     the ingress sandbox, docker_gwbridge (controller_swarm.cpp).
//  createNetworks()   the scenario's networks present on this host, in the order
//                     resolve() allocated their subnets (topology.hpp): explicit
//                     subnets first, then pools, external networks first in each
//                     group, the implicit default last. Overlays wait for the
//                     node's first container on them (ensureOverlay).
//  startContainers()  the host's containers in file order. Each gets a sandbox
//                     (namespace + lo) and joins its networks: the predefined
//                     `bridge` first, then the others in the service's order
//                     (daemon/container_operations.go connects `bridge` first and
//                     the rest in Go map order, i.e. at random; cnmlab fixes the
//                     file order). Per network: CreateEndpoint, Join, then the
//                     sandbox moves the interface in as eth<N>, sets address and
//                     MAC, and re-elects the gateway endpoint (libnetwork
//                     sandbox.go getGatewayEndpoint over the endpoints sorted by
//                     endpoint.Less: non-internal before internal, with a gateway
//                     before without, then by network NAME). The gateway endpoint
//                     gives the default route and carries the published ports
//                     (endpoint.go sbJoin moves external connectivity to it;
//                     never programmed for an internal network).
//
// Note on internal networks: 20.10's bridge driver gives them a gateway like any
// other, so a container whose only networks are internal still gets a default
// route via that gateway (packets leaving the subnet are then dropped by
// DOCKER-ISOLATION-STAGE-1). moby 25.0 stopped doing so (moby/moby#46603, see
// moby/moby#47145 and #47481).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/driver.hpp"
#include "drivers/driver_registry.hpp"

namespace cnmlab::drivers {

using NetworkOptionsMap = std::map<std::string, DriverOptions>;  // by Docker network name

// Every network's options, parsed once (driver_options.hpp); throws Invalid.
NetworkOptionsMap parseAllOptions(const model::Topology& topo);

// An endpoint as its sandbox holds it after Join.
struct JoinedEndpoint {
    const model::NetworkInstance* network = nullptr;
    const model::Endpoint* endpoint = nullptr;
    std::string ifName;  // eth0, eth1, ...; "" when the driver gave no interface
    Cidr address;
    std::optional<Mac> mac;
    std::optional<Ipv4> gateway;  // from JoinInfo
};

// A container's network sandbox on a host.
struct SandboxState {
    std::string netns;  // the host's own namespace for host mode
    std::string host;
    const model::Container* container = nullptr;
    bool hostMode = false;
    std::vector<JoinedEndpoint> endpoints;         // in join order
    std::map<std::string, int> nextIfIndex;        // per interface prefix ("eth")
    std::optional<std::string> gatewayEndpointId;  // the endpoint giving the default route

    // libnetwork sandbox.getConnectedEndpoints: the endpoints sorted by
    // endpoint.Less (non-internal first, with a gateway first, then by network name).
    std::vector<const JoinedEndpoint*> sortedEndpoints() const;
    // libnetwork sandbox.getGatewayEndpoint; nullptr when no endpoint has a gateway.
    const JoinedEndpoint* electGatewayEndpoint() const;
    const JoinedEndpoint* findEndpoint(const std::string& id) const;
};

class Controller {
public:
    // `plugins`: the Plan's plugin session (remote drivers), if any.
    Controller(const model::Topology& topo, const NetworkOptionsMap& options, std::string host,
               PlanBuilder& plan, PluginSession* plugins = nullptr);

    void startDaemon();
    void createNetworks();
    void startContainers();
    // After every host: what the remote drivers built meanwhile (their peers).
    void syncPlugins();

    const std::vector<SandboxState>& sandboxes() const { return m_sandboxes; }

private:
    // controller.cpp
    void createNetwork(const model::NetworkInstance& net);
    void arrangeUserFilterRule();
    // controller_swarm.cpp
    void joinSwarm();
    void ensureOverlay(const model::NetworkInstance& net);
    void joinSystemSandbox(const std::string& netns, const model::NetworkInstance& net,
                           const model::Endpoint& ep, bool first);
    std::optional<IpamData> ipamData(const model::NetworkInstance& net) const;
    // Docker's predefined network by its name ("bridge") or its Topology key.
    const model::NetworkInstance& predefined(std::string_view nameOrKey) const;
    // controller_sandbox.cpp
    void startContainer(const model::Container& c);
    SandboxState& newSandbox(const model::Container& c, bool hostMode);
    void join(SandboxState& sb, const model::NetworkInstance& net, const model::Endpoint& ep);
    void updateGateway(SandboxState& sb);
    std::vector<PortBinding> publishedPorts(const model::Container& c) const;
    EndpointRequest request(const SandboxState& sb, const JoinedEndpoint& je) const;

    const model::Topology& m_topo;
    const NetworkOptionsMap& m_options;
    std::string m_host;
    PlanBuilder& m_plan;
    PluginSession* m_plugins = nullptr;
    std::unique_ptr<DriverRegistry> m_registry;
    std::vector<model::NetworkInstance> m_predefined;  // bridge, host, none (fixed size)
    std::vector<std::unique_ptr<model::Endpoint>> m_ownEndpoints;  // host/none endpoints
    std::vector<SandboxState> m_sandboxes;
    bool m_gwbridgeMade = false;  // outside a swarm: made with its first endpoint
};

}  // namespace cnmlab::drivers
