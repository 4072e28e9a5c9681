#pragma once
// The Plan: plain data listing every kernel object Docker would create for a
// scenario — namespaces, links, addresses, routes, neighbours, FDB entries,
// sysctls, netfilter chains and rules, embedded-DNS records and listening
// sockets. Drivers write it (they act on nothing); sim/ executes it in a
// simulated kernel and live/ builds it with netlink and nftables. Each object
// can print its `ip` / `iptables` equivalent (plan_text.hpp), which the studio
// shows as "what Docker actually creates".
//
// Names: every namespace has a plan-unique name. Docker hosts are namespaces
// named after the host ("host1"), sandboxes after the container
// ("shop-web-1"), externals after the external; cnmlab's own (the physical
// LAN "_lan", the router "_router") start with '_', which no user name does;
// overlay networks get
// "1-<id[:10]>@<host>" (Docker's namespace name and the host), load balancers
// "lb_<id[:9]>@<host>" and "ingress_sbox@<host>". Interface names are unique
// within their namespace and at most 15 characters (IFNAMSIZ).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/ip.hpp"
#include "model/scenario.hpp"

namespace cnmlab::drivers {

using model::Cidr;
using model::Ipv4;
using model::Mac;
using model::Proto;

enum class NetnsKind {
    Host,          // a Docker host's own namespace (the "init" namespace of that machine)
    Sandbox,       // a container's network namespace
    Lan,           // the hosts' physical LAN: a plain bridge joining every eth0
    External,      // a machine that is not a Docker host (a laptop on the LAN, a server beyond it)
    Router,        // the router between the hosts' LAN and the externals beyond it
    Overlay,       // an overlay network's namespace on one host (Docker's 1-<id>)
    LoadBalancer,  // a swarm node's load-balancer or ingress sandbox (lb_<id>, ingress_sbox)
};

struct Netns {
    std::string name;
    NetnsKind kind = NetnsKind::Host;
    std::string host;     // the Docker host it lives on ("" for lan and externals)
    std::string service;  // for sandboxes: the service whose container it is
};

enum class LinkKind { Loopback, Veth, Bridge, Macvlan, Ipvlan, Vxlan, Dummy, Vlan };

struct Link {
    std::string netns;
    std::string name;
    LinkKind kind = LinkKind::Veth;
    Mac mac{};
    int mtu = 1500;
    std::string master;  // the bridge it is enslaved to, in the same namespace
    // Veth: the other end. Both ends are listed as Links; each names the other.
    std::string peerNetns;
    std::string peerName;
    // Macvlan/ipvlan: the parent link (in `parentNetns`), and the mode
    // ("bridge" for macvlan; "l2" or "l3" for ipvlan).
    std::string parentNetns;
    std::string parent;
    std::string mode;
    // Vlan (802.1Q, net/8021q): a sub-interface of `parent` in the same
    // namespace (`ip link add link eth0 name eth0.50 type vlan id 50`): what
    // it sends leaves the parent tagged with `vlanId`, and the parent gives
    // it the frames tagged so, untagged. Its MAC is the parent's.
    std::uint16_t vlanId = 0;
    // Vxlan, as Docker's overlay driver makes it (drivers/overlay/ov_utils.go
    // createVxlan; docs/overlay.md): created in the host's namespace, whose
    // UDP socket on `dstPort` sends and receives the encapsulated frames (the
    // "link netns": `parentNetns`), then moved into the overlay's namespace
    // (`netns`) as a port of its bridge. No local or remote address: the
    // outer source is what the host's routing picks for the remote VTEP, the
    // remote VTEP comes from the FDB entries (FdbEntry::remote), ARP for
    // remote endpoints is answered from the neighbour entries on the device
    // (`proxy`). l2miss/l3miss raise netlink notifications nobody listens to
    // in swarm mode.
    std::uint32_t vni = 0;
    std::uint16_t dstPort = 4789;
    bool learning = false;
    bool proxy = false;
    bool l2miss = false;
    bool l3miss = false;
    // Bridge: Docker's bridges do not run STP; ageing in seconds.
    int ageingSeconds = 300;
    bool up = true;
};

struct Address {
    std::string netns;
    std::string dev;
    Cidr cidr;  // address with prefix, e.g. 172.18.0.2/16
};

struct Route {
    std::string netns;
    Cidr dst;                 // 0.0.0.0/0 for the default route
    std::optional<Ipv4> via;  // gateway; none for a link-scope route
    std::string dev;
    std::optional<Ipv4> src;  // preferred source
    // `onlink`: the gateway is on the link even though no address of `dev`
    // covers it (an external's line to the router).
    bool onlink = false;
};

struct Neighbor {  // a static ARP entry
    std::string netns;
    std::string dev;
    Ipv4 ip;
    Mac mac{};
};

struct FdbEntry {  // a static bridge/vxlan forwarding entry
    std::string netns;
    std::string dev;  // the port (or vxlan device)
    Mac mac{};
    std::optional<Ipv4> remote;  // vxlan: the VTEP to send to
};

struct Sysctl {
    std::string netns;
    std::string key;  // e.g. "net.ipv4.ip_forward"
    std::string value;
};

// ---- netfilter, in Docker's (iptables) words -------------------------------

enum class NfTable { Filter, Nat, Mangle };

// "filter", "nat", "mangle": iptables' -t and iptables-save's *TABLE.
const char* tableName(NfTable t);

struct NfChain {
    std::string netns;
    NfTable table = NfTable::Filter;
    std::string name;      // FORWARD, DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1 ...
    bool builtin = false;  // INPUT/FORWARD/OUTPUT/PREROUTING/POSTROUTING
    std::string policy;    // for built-in chains: "ACCEPT" or "DROP"
};

struct NfMatch {
    std::string inIf;  // -i; "" = any
    bool inIfNot = false;
    std::string outIf;  // -o
    bool outIfNot = false;
    std::optional<Cidr> src;  // -s
    bool srcNot = false;
    std::optional<Cidr> dst;  // -d
    bool dstNot = false;
    std::optional<Proto> proto;  // -p tcp|udp|icmp
    // -p by number for a protocol cnmlab does not send (sctp: 132); proto unset.
    std::optional<std::uint8_t> protoNumber;
    std::optional<int> dport;    // --dport
    std::optional<int> sport;    // --sport
    bool ctEstablished = false;  // -m conntrack --ctstate RELATED,ESTABLISHED
    // Any other state list, as libnetwork writes it ("NEW,ESTABLISHED",
    // "ESTABLISHED", "ESTABLISHED,RELATED"); `legacyState`: with -m state --state.
    std::string ctState;
    bool legacyState = false;
    bool dstTypeLocal = false;  // -m addrtype --dst-type LOCAL
    bool srcTypeLocal = false;  // -m addrtype --src-type LOCAL
    bool ipvs = false;          // -m ipvs --ipvs: the packet belongs to an IPVS connection
    // -m policy --dir in --pol none|ipsec: whether the packet came out of an
    // IPsec security association ("" = no such match).
    std::string ipsecPolicy;
    // -m u32 on the VXLAN header after a UDP header: the VNI (the overlay
    // driver's matchVXLAN, encryption.go), written as Docker writes it.
    std::optional<std::uint32_t> vxlanVni;
};

// Mark (-j MARK --set-xmark VALUE/0xffffffff) does not end the chain in
// iptables; Docker's MARK rules are disjoint (one per VNI), so the first one
// that matches gives the packet's mark.
// Snat rewrites the source to toAddress; Redirect the destination to the
// incoming interface's address and toPort.
enum class NfVerdict { Accept, Drop, Return, Jump, Masquerade, Dnat, Mark, Snat, Redirect };

struct NfRule {
    std::string netns;
    NfTable table = NfTable::Filter;
    std::string chain;
    NfMatch match;
    NfVerdict verdict = NfVerdict::Accept;
    std::string target;                    // for Jump: the chain
    std::optional<Ipv4> toAddress;         // for Dnat and Snat
    std::optional<int> toPort;             // for Dnat and Redirect
    std::optional<std::uint32_t> setMark;  // for Mark
    std::string why;                       // one sentence: which Docker feature made this rule
    std::string whyZh;                     // the same sentence in Simplified Chinese
};

// ---- IPsec (encrypted overlays: libnetwork drivers/overlay/encryption.go) ----

// A security association: ESP in transport mode between two hosts' VTEPs,
// rfc4106(gcm(aes)) with a 128-bit key, a 4-byte salt (the SPI, as Docker
// builds it) and a 64-bit ICV, reqid 0xd0c4e3.
struct XfrmState {
    std::string netns;  // the host whose kernel holds it
    Ipv4 src;
    Ipv4 dst;
    std::uint32_t spi = 0;
    std::uint32_t reqid = 0;
    std::vector<std::uint8_t> key;  // 16 bytes of AES key, then the 4-byte salt
    int icvBits = 64;
};

// An output policy: UDP to `dport` from `src` to `dst` carrying `mark` must
// leave through the SA of the template (dst, spi); without such a state the
// kernel drops the packet (XfrmOutNoStates).
struct XfrmPolicy {
    std::string netns;
    Cidr src;
    Cidr dst;
    Proto proto = Proto::Udp;
    int dport = 4789;
    std::uint32_t mark = 0;
    std::uint32_t markMask = 0xffffffff;
    Ipv4 tmplSrc;
    Ipv4 tmplDst;
    std::uint32_t spi = 0;
    std::uint32_t reqid = 0;
};

// ---- IPVS (swarm services: virtual IPs and the routing mesh) -----------------

// A virtual service keyed by firewall mark, as libnetwork's addLBBackend
// makes it in a load-balancer or ingress sandbox (service_linux.go):
// `ipvsadm -A -f FWMARK -s rr`, then `ipvsadm -a -f FWMARK -r REAL -m -w 1`
// per task (masquerading, weight 1). Packets get the mark from the mangle
// rules libnetwork's fwmarker adds beside it.
struct IpvsService {
    std::string netns;
    std::uint32_t fwmark = 0;
    std::string scheduler = "rr";
    std::vector<Ipv4> reals;
    std::string service;                 // the swarm service's key
    std::string network;                 // the network key (ingress for the routing mesh)
    std::vector<std::string> realNames;  // each real server's task (KEY.SLOT)
};

// ---- services the Docker daemon runs -----------------------------------------

// A name the embedded DNS server (127.0.0.11 in `netns`) answers: container
// names, service names and aliases of the sandbox's user-defined networks.
struct DnsRecord {
    std::string netns;
    std::string name;
    Ipv4 address;
    std::string network;  // the network key that makes it visible
};

// A process listening: x-listen/expose/ports in a sandbox, docker-proxy for a
// published port on the host (userland-proxy=true, Docker's default).
struct Listener {
    std::string netns;
    Ipv4 address;  // 0.0.0.0 for any
    int port = 0;
    Proto proto = Proto::Tcp;
    std::string owner;  // the service, or "docker-proxy"
    // docker-proxy forwards to the container.
    std::optional<Ipv4> forwardTo;
    std::optional<int> forwardPort;
};

// ---- the control plane of remote drivers --------------------------------------

// One exchange of dockerd with a plugin (Docker's plugin protocol), and the
// devices what the plugin built then lives on (namespace, name): the studio
// and `cnmlab trace` show it as a control-plane step where a packet first
// meets one of them.
struct PluginCall {
    std::string host;
    std::string plugin;
    std::string path;     // "/NetworkDriver.Join"
    std::string request;  // the JSON body ("" for calls without arguments)
    int status = 200;
    std::string reply;
    std::vector<std::pair<std::string, std::string>> devices;
};

struct Plan {
    std::vector<Netns> namespaces;
    std::vector<Link> links;
    std::vector<Address> addresses;
    std::vector<Route> routes;
    std::vector<Neighbor> neighbors;
    std::vector<FdbEntry> fdb;
    std::vector<Sysctl> sysctls;
    std::vector<NfChain> chains;
    std::vector<NfRule> rules;
    std::vector<DnsRecord> dns;
    std::vector<Listener> listeners;
    std::vector<XfrmState> xfrmStates;
    std::vector<XfrmPolicy> xfrmPolicies;
    std::vector<IpvsService> ipvs;
    std::vector<PluginCall> pluginCalls;

    const Netns* findNetns(std::string_view name) const;
    const Link* findLink(std::string_view netns, std::string_view name) const;
};

}  // namespace cnmlab::drivers
