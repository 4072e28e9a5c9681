#pragma once
// The overlay driver (libnetwork drivers/overlay, 20.10; docs/overlay.md has
// what a real swarm built and where each step comes from). Per host, when the
// first endpoint of a network joins there (ov_network.go joinSandbox):
//   - the overlay's own namespace `1-<network id[:10]>` (here with `@HOST`,
//     as Plan namespaces are unique across hosts) holding a bridge `br0` with
//     the network's gateway address, and `vxlan0`, a VXLAN device made in the
//     host's namespace (its UDP socket on 4789 stays there) with the network's
//     VNI, learning, proxy, l2miss and l3miss on, moved in as a port of br0;
//   - per endpoint (joinleave.go Join) a veth pair: one end into the overlay
//     namespace as `vethN` on br0, the other handed to the sandbox; both at
//     the overlay MTU (encryption.go maxMTU). No gateway: the controller then
//     gives the container a docker_gwbridge endpoint (needDefaultGW).
// The entries for endpoints on other hosts (peerdb.go peerAdd, fed by
// networkdb) are written once every host is built: addOverlayPeers().
// Encrypted networks (overlay_encryption.cpp): the mark and the INPUT rules
// per VNI, then per pair of hosts ESP security associations and an output
// policy (encryption.go), as on a kernel with ESP (Debian 12's).

#include <map>
#include <string>

#include "drivers/driver.hpp"

namespace cnmlab::drivers {

// Docker's overlay namespace of `net` on `host` (ov_network.go initSandbox:
// osl.GenerateKey("1-" + id), the file name is its first 12 characters).
std::string overlayNamespace(const model::NetworkInstance& net, const std::string& host);
// The load-balancer sandbox of `net` on `host`: `lb_<id[:9]>`, or
// `ingress_sbox` for ingress (network.go createLoadBalancerSandbox).
std::string loadBalancerNamespace(const model::NetworkInstance& net, const std::string& host);

struct OverlayNetworkState {
    const model::NetworkInstance* network = nullptr;
    OverlayOptions options;
    std::string netns;  // overlayNamespace()
    Cidr bridgeAddress;
    bool sandboxMade = false;
    int nextVeth = 0;
    Owner owner;
};

class OverlayDriver final : public Driver {
public:
    explicit OverlayDriver(std::string host) : m_host(std::move(host)) {}

    std::string type() const override { return "overlay"; }
    Capability capability() const override { return {Scope::Global, Scope::Global}; }

    void createNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                        PlanBuilder& plan) override;
    void deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) override;
    void join(const EndpointRequest& req, const std::string& sandbox, JoinInfo& info,
              PlanBuilder& plan) override;
    void leave(const EndpointRequest& req, PlanBuilder& plan) override;
    // The overlay gives no gateway, so it is never a sandbox's gateway
    // endpoint; published ports go through docker_gwbridge.
    void programExternalConnectivity(const EndpointRequest&, const std::vector<PortBinding>&,
                                     PlanBuilder&) override {}
    void revokeExternalConnectivity(const EndpointRequest&, PlanBuilder&) override {}

    bool hasNetwork(const model::NetworkInstance& net) const {
        return m_networks.count(net.key) != 0;
    }

private:
    OverlayNetworkState& network(const model::NetworkInstance& net);
    void initSandbox(OverlayNetworkState& st, PlanBuilder& plan);

    std::string m_host;
    std::map<std::string, OverlayNetworkState> m_networks;  // by network key
    std::map<std::string, std::string> m_sandboxEnds;       // endpoint id -> veth for the sandbox
};

// networkdb's work once every node has joined its endpoints: on each host
// that instantiated an overlay, for every endpoint of that overlay on another
// host (containers and load balancers), a permanent neighbour entry on vxlan0
// and a permanent FDB entry sending its MAC to that host's address
// (peerdb.go peerAddOp). Owner "networkdb:<host>/<network key>".
void addOverlayPeers(const model::Topology& topo, PlanBuilder& plan);

// Whether `net` is an overlay with driver_opts `encrypted`.
bool overlayEncrypted(const model::NetworkInstance& net);

// overlay_encryption.cpp. programMangle and programInput for one VNI on a
// host: mangle OUTPUT marks its VXLAN packets 0xd0c4e3; filter INPUT drops
// them unless they came through IPsec (inserted) and accepts them when they
// did (appended).
void programEncryptionRules(PlanBuilder& plan, const std::string& host, std::uint32_t vni,
                            const Owner& owner);
// setupEncryption, once networkdb has told every host its peers: for each
// pair of hosts that both have an encrypted overlay, on each side an SA from
// the peer for each of the swarm's three keys, one to the peer with the
// primary key, and an output policy sending marked VXLAN to the peer through
// it. Owner "networkdb:<host>/ipsec:<peer>".
void addOverlayEncryption(const model::Topology& topo, PlanBuilder& plan);

}  // namespace cnmlab::drivers
