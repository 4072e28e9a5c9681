#pragma once
// The network driver interface, shaped like libnetwork's driverapi.Driver
// (driverapi/driverapi.go): the controller (controller.hpp) calls a driver to
// create networks and endpoints and to plug endpoints into sandboxes; the driver
// answers by writing kernel objects into the Plan. Drivers act on nothing.
//
// One Driver instance per Docker host and driver type, as each dockerd holds its
// own (driver_registry.hpp). A driver keeps whatever state it needs between
// calls (the bridge driver: its networks and endpoints), keyed by network key
// and endpoint id. Every call may throw model::Error.
//
// Ownership in the Plan: objects a call adds carry an owner (plan_builder.hpp)
// so the undoing call removes them: createNetwork -> networkOwner(),
// createEndpoint -> endpointOwner(), programExternalConnectivity ->
// portsOwner().

#include <optional>
#include <string>
#include <vector>

#include "drivers/driver_options.hpp"
#include "drivers/plan_builder.hpp"
#include "model/topology.hpp"

namespace cnmlab::drivers {

// libnetwork datastore scopes.
enum class Scope { Local, Global };

// driverapi.Capability: where the driver keeps its state (local to a host, or
// global in the cluster store) and how far its connectivity reaches.
struct Capability {
    Scope dataScope = Scope::Local;
    Scope connectivityScope = Scope::Local;
};

// driverapi.IPAMData: the pool IPAM gave the network on this host, and its gateway.
struct IpamData {
    Cidr pool;  // canonical, e.g. 172.18.0.0/16
    Ipv4 gateway;
};

// CreateNetwork's arguments: the network as IPAM resolved it, on one host.
// `ipv4` can differ from network->subnet on hosts other than the first: a
// local-scope network takes the next free pool of each host's own IPAM.
struct NetworkRequest {
    const model::NetworkInstance* network = nullptr;
    std::string host;  // the Docker host (and its namespace's name)
    const DriverOptions* options = nullptr;
    std::optional<IpamData> ipv4;  // none for host/null networks
};

// An endpoint's identity in every endpoint call.
struct EndpointRequest {
    const model::NetworkInstance* network = nullptr;
    const model::Endpoint* endpoint = nullptr;  // id, IPAM's address, aliases
    const model::Container* container = nullptr;
    std::string host;
};

// driverapi.InterfaceInfo: what CreateEndpoint may set. The controller fills it
// with what IPAM gave; the driver may change the address and sets the MAC when
// none is given (bridge: 02:42 + the IPv4 address).
struct InterfaceInfo {
    Cidr address;            // e.g. 172.18.0.2/16
    std::optional<Mac> mac;  // the user's mac_address, if any
};

// types.StaticRoute: a route Join asks the sandbox to add.
struct StaticRoute {
    Cidr destination;
    std::optional<Ipv4> nextHop;  // none: a connected route out of the interface
};

// driverapi.JoinInfo: what Join may set. The sandbox then moves `srcName` into
// the container's namespace as dstPrefix + N (eth0, eth1, ...), puts the
// address and MAC on it, adds the static routes, and uses `gateway` for the
// default route if this endpoint becomes the sandbox's gateway endpoint.
struct JoinInfo {
    std::string srcName;  // the interface the driver created for the sandbox
    std::string dstPrefix = "eth";
    std::optional<Ipv4> gateway;
    std::vector<StaticRoute> staticRoutes;
    bool disableGatewayService = false;  // overlay: no docker_gwbridge for this endpoint
};

// types.PortBinding after the daemon parsed `ports`: one host port to one
// container port (ranges arrive expanded). hostPort 0: Docker picks one.
struct PortBinding {
    Proto proto = Proto::Tcp;
    std::optional<Ipv4> hostIp;  // none: the network's host_binding_ipv4 (0.0.0.0)
    int hostPort = 0;
    int containerPort = 0;
    model::SourcePos pos;  // the `ports` entry, for errors
};

class Driver {
public:
    virtual ~Driver() = default;
    Driver() = default;
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;

    virtual std::string type() const = 0;
    virtual Capability capability() const = 0;

    // A network is created on a host (`docker network create`, or dockerd's own
    // predefined networks at start).
    virtual void createNetwork(const NetworkRequest& req, PlanBuilder& plan) = 0;
    // Undoes createNetwork; the network has no endpoints left.
    virtual void deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) = 0;
    // An endpoint is created on a network before it joins a sandbox.
    virtual void createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                                PlanBuilder& plan) = 0;
    virtual void deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) = 0;
    // The endpoint joins the sandbox whose namespace is `sandbox`.
    virtual void join(const EndpointRequest& req, const std::string& sandbox, JoinInfo& info,
                      PlanBuilder& plan) = 0;
    virtual void leave(const EndpointRequest& req, PlanBuilder& plan) = 0;
    // Called for the sandbox's gateway endpoint only (the one giving its default
    // route), with the container's published ports.
    virtual void programExternalConnectivity(const EndpointRequest& req,
                                             const std::vector<PortBinding>& ports,
                                             PlanBuilder& plan) = 0;
    virtual void revokeExternalConnectivity(const EndpointRequest& req, PlanBuilder& plan) = 0;
};

// The owners of what each call adds (see plan_builder.hpp).
Owner daemonOwner(const std::string& host);
Owner networkOwner(const std::string& host, const model::NetworkInstance& net);
Owner endpointOwner(const model::Endpoint& ep);
Owner portsOwner(const model::Endpoint& ep);

}  // namespace cnmlab::drivers
