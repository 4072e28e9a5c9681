#pragma once
// The resolved topology: what `docker network create` and `docker run` would
// have produced for a Scenario, with Docker 20.10's IPAM (ipam.hpp). This is
// what `cnmlab inspect` prints and what the drivers turn into a Plan.
//
// Order of allocation (Compose gives none; cnmlab fixes one and the README says so):
//   1. every host's docker0 takes 172.17.0.0/16 when its daemon starts;
//   2. networks with an explicit subnet, in file order, then networks without
//      one, in file order (external networks first in each group, as they
//      existed before `compose up`), the implicit `default` network last;
//   3. gateways and aux_addresses of each network as it is created;
//   4. on a swarm, `deploy:` services first (as `docker stack deploy` before
//      `compose up`): per service its VIPs, then its tasks; then each node's
//      load balancer on each overlay it runs a task of (topology_swarm.hpp);
//   5. static container addresses (ipv4_address), then dynamic ones, services
//      in file order.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace cnmlab::model {

struct NetworkInstance {
    std::string key;     // key in the file; "bridge"/"host"/"none" for predefined
    std::string name;    // Docker's name
    std::string id;      // 64 hex digits, deterministic
    std::string driver;  // "bridge", "host", "null", "overlay", ...
    std::string scope;   // "local" or "swarm"
    bool predefined = false;
    // Made by `docker swarm init`/`join` on every node of a swarm (SPEC §1a):
    // the `ingress` overlay and the local `docker_gwbridge` bridge.
    bool implicit = false;
    bool ingress = false;  // the routing mesh's overlay (Docker's `Ingress: true`)
    bool internal = false;
    bool attachable = false;
    std::optional<Cidr> subnet;  // canonical; none for host/null
    std::optional<Cidr> ipRange;
    std::optional<Ipv4> gateway;
    std::vector<std::string> hosts;  // hosts where this network exists
    // Overlay: the VXLAN network identifier the swarm manager gave it
    // (ovmanager.go: serially from 4096, ingress first; docs/overlay.md).
    std::uint32_t vni = 0;
    const NetworkSpec* spec = nullptr;  // nullptr for predefined and implicit networks
};

struct Endpoint {
    std::string network;  // NetworkInstance::key
    Ipv4 ipv4;
    int prefix = 0;
    Mac mac{};
    bool macGiven = false;  // mac is the service's mac_address (the driver keeps it)
    std::vector<std::string> aliases;
    std::string id;  // 64 hex digits, deterministic
};

// The load-balancer endpoint a swarm node gets on each overlay it
// instantiates (libnetwork network.go createLoadBalancerSandbox), or on
// `ingress` its ingress sandbox's endpoint. The manager gives it an address
// right after the node's first container on that network (docs/overlay.md).
struct LoadBalancer {
    std::string host;
    Endpoint endpoint;  // network, address, MAC (02:42 + address); no aliases
    // The ingress sandbox also has an endpoint on docker_gwbridge (172.18.0.2).
    std::optional<Endpoint> gwbridge;
};

struct Container {
    std::string service;
    std::string name;
    std::string host;
    // The Plan's name of its sandbox's network namespace: `name`, or
    // "NAME@HOST" when a host or external is also called NAME (a container and
    // a machine may share a name in Docker; their namespaces may not).
    std::string netns;
    std::string networkMode;  // "default", "bridge", "host", "none", "service:X", "container:X"
    std::string sandboxOf;    // for service:/container: the service whose namespace it shares
    std::vector<Endpoint> endpoints;
    const ServiceSpec* spec = nullptr;
    // A task of swarm service `task` (its key); then `service` is the task's
    // name in probes and output (KEY.SLOT, KEY.HOST for a global service)
    // and `name` Docker's container name without the task id (PROJECT_KEY.SLOT).
    std::string task;
};

// A swarm service's virtual IP on one of its networks (endpoint_mode vip):
// swarmkit allocates it with the service, before its tasks.
struct ServiceVip {
    std::string network;  // network key (ingress for the routing mesh)
    Ipv4 ipv4;
    int prefix = 0;
};

// A published port of a swarm service.
struct SwarmPort {
    int published = 0;
    int target = 0;
    Proto proto = Proto::Tcp;
    bool hostMode = false;  // `mode: host`: on the task's node only
};

// A `deploy:` service (SPEC §1a), as `docker stack deploy` creates it.
struct SwarmService {
    std::string key;   // the key in the file
    std::string name;  // PROJECT_KEY
    bool global = false;
    int replicas = 0;  // tasks it runs (for a global service, its nodes)
    bool dnsrr = false;
    std::vector<std::string> networks;  // its overlays, file order (ingress not included)
    std::vector<ServiceVip> vips;       // vip mode: one per network, then ingress
    std::vector<SwarmPort> published;
    std::vector<std::string> tasks;  // the tasks' Container::service, slot order
    const ServiceSpec* spec = nullptr;

    const ServiceVip* vipOn(std::string_view network) const;
    bool usesIngress() const;  // publishes a port through the routing mesh
};

struct Topology {
    const Scenario* scenario = nullptr;
    std::vector<NetworkInstance> networks;
    std::vector<Container> containers;  // one per service, file order
    // SPEC §1a: a file with an overlay network runs on a swarm of its hosts
    // (the first is the manager). Then `networks` also holds the implicit
    // `ingress` and `docker_gwbridge`, a container whose endpoints give it no
    // gateway has an endpoint on docker_gwbridge (after its others), and
    // every node has a load balancer per overlay it instantiates.
    bool swarm = false;
    std::vector<LoadBalancer> loadBalancers;  // ingress's per host first, then in allocation order
    std::vector<SwarmService> services;       // `deploy:` services, file order
    // Legal but probably unintended (a container given a host's own address).
    std::vector<Warning> warnings;

    const NetworkInstance* findNetwork(std::string_view key) const;
    const Container* findContainer(std::string_view service) const;
    const LoadBalancer* findLoadBalancer(std::string_view network, std::string_view host) const;
    const SwarmService* findService(std::string_view key) const;
};

// What happened before the final state, for scenarios that replay a history
// (the conformance suite's `x-conformance: steps`): services and networks
// removed (their addresses and pools released, as `docker rm` and
// `docker network rm` do), then added (allocated from what is free then).
// Services and networks named in any `add` are not created at first.
struct HistoryStep {
    std::vector<std::string> removeServices;
    std::vector<std::string> addServices;
    std::vector<std::string> removeNetworks;
    std::vector<std::string> addNetworks;
};

// Throws Error (Invalid/Conflict) positioned at the key that cannot be satisfied:
// overlapping subnets on one host (overlay: anywhere), a static address outside
// its subnet, equal to the gateway or given twice, an exhausted pool.
// The Topology points into `sc`, which must outlive it.
Topology resolve(const Scenario& sc, const std::vector<HistoryStep>& history = {});

// The 802.1Q VLAN ID with which the network's frames cross the hosts' LAN, 0
// when they cross it untagged (or not at all): macvlan and ipvlan on a VLAN
// parent of the host's NIC (`parent: eth0.50`, as Docker parses it: "eth0."
// and a number strconv.Atoi reads, so eth0.050 and eth0.+50 are VLAN 50), and
// contiv networks with `encap: vlan` (their `pkt-tag`).
std::uint16_t lanVlanOf(const NetworkSpec& n);
std::uint16_t lanVlanOf(const NetworkInstance& n);  // 0 for predefined and implicit networks

// A deterministic 64-hex-digit id for an object name (Docker's are random).
std::string objectId(std::string_view seed);

}  // namespace cnmlab::model
