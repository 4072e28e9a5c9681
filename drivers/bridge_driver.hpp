#pragma once
// The bridge driver (libnetwork drivers/bridge): a Linux bridge per network
// (docker0 for the predefined `bridge` network, br-<12 hex of the network id>
// otherwise), a veth pair per endpoint with one end on the bridge and the other
// moved into the sandbox as eth0, eth1..., NAT and isolation in iptables, and
// published ports as DNAT rules plus a docker-proxy.
//
// Split as libnetwork splits it: bridge_driver.cpp (bridge.go: networks,
// endpoints, join), bridge_iptables.cpp (setup_ip_tables.go and the rules of
// iptables.go), bridge_port_mapping.cpp (port_mapping.go, portmapper).
// Internal to the drivers library; the registry makes it (builtin_drivers.hpp).

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "drivers/driver.hpp"
#include "drivers/iptables.hpp"

namespace cnmlab::drivers {

struct BridgeEndpointState {
    std::string id;
    std::string hostIfName;       // the veth end on the bridge
    std::string containerIfName;  // the end that Join hands to the sandbox
    Cidr address;
    Mac mac{};
    std::vector<PortBinding> portMapping;  // as allocated: host IP and port filled in
};

struct BridgeNetworkState {
    const model::NetworkInstance* network = nullptr;
    BridgeOptions options;
    std::string bridgeName;
    Cidr subnet;         // masked, e.g. 172.18.0.0/16
    Cidr bridgeAddress;  // the gateway on the bridge, e.g. 172.18.0.1/16
    bool internal = false;
    Owner owner;                                           // networkOwner()
    std::map<std::string, BridgeEndpointState> endpoints;  // by endpoint id
};

class BridgeDriver final : public Driver {
public:
    // libnetwork bridge.Init -> configure(): Docker's chains, ip_forward with the
    // FORWARD policy DROP, br_netfilter's bridge-nf-call-iptables.
    BridgeDriver(std::string host, PlanBuilder& plan);

    std::string type() const override { return "bridge"; }
    Capability capability() const override { return {Scope::Local, Scope::Local}; }

    void createNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                        PlanBuilder& plan) override;
    void deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) override;
    void join(const EndpointRequest& req, const std::string& sandbox, JoinInfo& info,
              PlanBuilder& plan) override;
    void leave(const EndpointRequest& req, PlanBuilder& plan) override;
    void programExternalConnectivity(const EndpointRequest& req,
                                     const std::vector<PortBinding>& ports,
                                     PlanBuilder& plan) override;
    void revokeExternalConnectivity(const EndpointRequest& req, PlanBuilder& plan) override;

private:
    BridgeNetworkState& network(const model::NetworkInstance& net);
    BridgeEndpointState& endpoint(const EndpointRequest& req);
    // bridge_port_mapping.cpp: allocatePorts (the port allocator is per daemon).
    std::vector<PortBinding> allocatePorts(const BridgeNetworkState& net,
                                           const BridgeEndpointState& ep,
                                           const std::vector<PortBinding>& requested);
    void releasePorts(const BridgeEndpointState& ep);

    std::string m_host;
    std::map<std::string, BridgeNetworkState> m_networks;  // by network key
    // portallocator: (host IP, proto, port) -> endpoint id.
    std::map<std::tuple<std::uint32_t, int, int>, std::string> m_ports;
};

// ---- bridge_iptables.cpp: libnetwork setup_ip_tables.go ------------------------

inline constexpr std::string_view kDockerChain = "DOCKER";
inline constexpr std::string_view kIsolation1 = "DOCKER-ISOLATION-STAGE-1";
inline constexpr std::string_view kIsolation2 = "DOCKER-ISOLATION-STAGE-2";

// setupIPChains: nat DOCKER, filter DOCKER and the two isolation chains, each
// isolation chain ending in RETURN.
void setupIpChains(Iptables& ipt, const Owner& owner);
// setupIPTables for one network: internal rules, or NAT, ICC, outgoing ACCEPT and
// the DOCKER jumps; then the FORWARD jump to DOCKER-ISOLATION-STAGE-1 on top.
void setupIpTables(Iptables& ipt, const BridgeNetworkState& net, const Owner& daemon);
// setINC: this bridge's two isolation rules (not for internal networks).
void setInterNetworkCommunication(Iptables& ipt, const BridgeNetworkState& net);
// ChainInfo.Forward for one published port: DNAT, the DOCKER ACCEPT and the
// hairpin MASQUERADE, all appended, owned by `owner`.
void forwardPort(Iptables& ipt, const Owner& owner, const BridgeNetworkState& net,
                 const PortBinding& binding, Ipv4 containerIp);

}  // namespace cnmlab::drivers
