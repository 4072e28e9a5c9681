#pragma once
// The simulated kernel: every namespace, device, route, neighbour table,
// bridge FDB, netfilter table and conntrack table of a Plan, built once, plus
// the processes the Plan lists (listeners, docker-proxy, the embedded DNS
// server). Probes (probe.hpp) inject packets and read the outcome.
//
// Where each part lives, by the name a reader looks for:
//   world_build.cpp          the World from a Plan, one kind of object at a time
//   device.hpp, devices/     a device and its kind: veth, bridge (FDB, learning,
//                            forwarding, flooding), macvlan, ipvlan, vxlan, lo, dummy
//   link_layer.cpp           transmit and receive, frames in flight, tracing
//   neighbour.hpp/.cpp       the neighbour table and ARP
//   routing.hpp/.cpp         routing tables, local addresses, source selection
//   netfilter.hpp/.cpp       iptables tables and chains
//   conntrack.hpp/.cpp       connection tracking and NAT
//   ip_stack.cpp             IPv4 receive, forward and output with the hooks
//   local_services.cpp       the namespace's processes: echo, listeners, ICMP errors, the probe's
//   socket embedded_dns.cpp         Docker's embedded DNS server at 127.0.0.11 docker_proxy.cpp
//   docker-proxy for published ports explain.cpp              the sentence for each Reason
//
// Data path, as Linux has it:
//   veth tx -> (1 us) -> peer rx -> rx handler (bridge port: br_handle_frame;
//     lower device: macvlan/ipvlan) or ip_rcv
//   br_handle_frame: learn src MAC; to the bridge's own MAC or broadcast -> ip_rcv on
//     the bridge device (and flood broadcasts); otherwise, bridged IPv4 passes
//     filter FORWARD (bridge-nf-call-iptables=1, -i/-o = the bridge), then the FDB
//     port, or a flood to every other port.
//   ip_rcv: ARP; nat PREROUTING (DNAT) -> route -> local: filter INPUT -> socket;
//     forward: ip_forward? filter FORWARD -> nat POSTROUTING (MASQUERADE) -> ARP -> tx
//   local output: route -> nat OUTPUT -> filter OUTPUT -> nat POSTROUTING -> ARP -> tx
// Conntrack sees every IPv4 packet of a namespace that has it on (one with
// iptables rules that need it: ConntrackTable::on); replies of an accepted
// flow are ESTABLISHED and undo its NAT.
//
// Not thread-safe; one World per thread. Built in O(objects of the Plan).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers/plan.hpp"
#include "packet/frame.hpp"
#include "sim/device.hpp"
#include "sim/namespace.hpp"
#include "sim/reason.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

using model::Cidr;

constexpr TimeUs kWireDelayUs = 1;  // one hop across a veth or the LAN

// What one probe saw; filled by the data path, read by probe.cpp.
struct ProbeState {
    bool active = false;
    int ns = -1;  // the sender's namespace
    std::uint8_t proto = 0;
    std::uint16_t localPort = 0;  // TCP/UDP source port, or the ICMP identifier
    // TCP and UDP probes use connected sockets: only segments and datagrams
    // from this address and port are theirs (the kernel's socket lookup).
    Ipv4 peer;
    std::uint16_t peerPort = 0;
    bool done = false;
    bool reachable = false;
    Reason reason;
    // The first drop of a broadcast's copy (a flooded ARP request that one
    // port could not take): the probe's reason only if its ARP then fails,
    // or nothing else went wrong; another port may have answered it.
    Reason floodReason;
    std::optional<DnsMessage> dnsAnswer;
    std::vector<std::pair<int, int>> connections;  // (ns, conn) this probe created
};

// docker-proxy's side of the running probe (docker_proxy.cpp). Docker 20.10
// runs one docker-proxy per published port (libnetwork cmd/proxy): it accepts
// on the host, then opens its own connection to the container (the second
// leg) and copies bytes both ways; a UDP datagram is sent on from a socket of
// its own per client. A probe is one client connection, so there is at most
// one session; it ends with the probe's flows (World::expireProbeFlows).
struct ProxySession {
    enum class State : std::uint8_t {
        Idle,
        Dialing,    // accepted; the second leg is under way (UDP: the datagram was sent on)
        Connected,  // TCP: the second leg is established; the greeting was relayed
        Closed,     // TCP: docker-proxy closed the client's connection
    };
    State state = State::Idle;
    int ns = -1;  // the host namespace docker-proxy runs in
    const drivers::Listener* listener = nullptr;
    std::uint8_t proto = 0;
    Ipv4 client;  // the client, as docker-proxy's listening socket sees it
    std::uint16_t clientPort = 0;
    Ipv4 front;  // the address and port the client reached
    std::uint16_t frontPort = 0;
    Ipv4 local;  // docker-proxy's own socket (the second leg)
    std::uint16_t localPort = 0;
    Ipv4 backend;  // the container (the Listener's forwardTo:forwardPort)
    std::uint16_t backendPort = 0;
    Reason failure;     // how the second leg failed (a drop, a RST, an ICMP error)
    Reason closed;      // ProxyClosed, once docker-proxy closed the client's connection
    Ipv4 answeredFrom;  // UDP: the source docker-proxy wrote an answer from
    int greeter = -1;   // the namespace whose listener answered the second leg
    bool active() const { return state != State::Idle; }
};

class World {
public:
    explicit World(const drivers::Plan& plan);

    const drivers::Plan& plan() const { return m_plan; }
    int findNamespace(std::string_view name) const;
    const Namespace& ns(int i) const { return m_ns[static_cast<std::size_t>(i)]; }
    const Device& device(int i) const { return m_dev[static_cast<std::size_t>(i)]; }
    std::size_t namespaceCount() const { return m_ns.size(); }
    std::size_t deviceCount() const { return m_dev.size(); }
    Scheduler& scheduler() { return m_sched; }

    // Tracing is off by default (reach runs millions of packets); trace() turns
    // it on and every hop is recorded until it is turned off.
    void setTracing(std::vector<Hop>* sink) {
        m_trace = sink;
        m_pluginShown.assign(m_plan.pluginCalls.size(), 0);
    }

    // Sends a locally generated packet from namespace `ns` (the IPv4 fields of
    // `frame` set; Ethernet filled in by the stack), as a socket would.
    void sendLocal(int ns, Frame& frame);  // the stack fills in (and may rewrite) `frame`
    ProbeState& probe() { return m_probe; }
    // The next ephemeral port (or ICMP identifier) a probe's socket gets, in
    // the kernel's default range 32768-60999 (here 40001 up to 60999, then
    // 40000 and on again).
    std::uint16_t nextEphemeralPort() {
        m_nextPort = static_cast<std::uint16_t>(m_nextPort >= 60999 ? 40000 : m_nextPort + 1);
        return m_nextPort;
    }
    bool isLocalAddress(int ns, Ipv4 ip) const;
    // The sentence for a Reason, in English and Chinese.
    Text explain(const Reason& r) const;
    // How explanations name a bridge ("bridge br-1a2b", or the hosts' LAN
    // switch) and one of its ports ("port veth1c2d", "its port to host1").
    Text bridgeText(int bridge) const;
    Text portText(int port) const;
    // Drops every pending event and the frames they carried (a run cut short).
    void dropPending();
    // Forgets the conntrack entries the last probe created (its flows are over:
    // a reach matrix runs each probe long after the previous one's flows expired).
    void expireProbeFlows();
    // Every IPVS scheduler back to its first real server (reach runs each
    // probe from there, so its matrix does not depend on probe order).
    void resetIpvs();
    // The address a socket in `ns` would use towards `dst` (route's src or the
    // out device's first address); nullopt when there is no route.
    std::optional<Ipv4> sourceFor(int ns, Ipv4 dst) const;
    // Why the running probe got no answer: NoAnswer, or ProxyNoAnswer when
    // docker-proxy holds its connection while its own one got nowhere.
    Reason silence() const;
    const ProxySession& proxy() const { return m_proxy; }
    // inet_select_addr: an address of `dev` on `near`'s subnet, else its first,
    // else the first of another (non-loopback) device of the namespace.
    std::optional<Ipv4> selectAddress(int ns, int dev, Ipv4 near) const;

    // ---- The data path's own interface: the device kinds (devices/) and the
    // subsystems (neighbour, conntrack, embedded DNS) call these; probes do not.
    Namespace& ns(int i) { return m_ns[static_cast<std::size_t>(i)]; }
    Device& device(int i) { return m_dev[static_cast<std::size_t>(i)]; }
    const std::vector<Device>& devices() const { return m_dev; }
    // dev_queue_xmit: `dev` sends `f` (dropped when it is down). `shared`: a
    // flood's slot (kNoSlot until the first veth port parks the frame).
    void transmit(int dev, const Frame& f, std::uint32_t* shared = nullptr);
    // netif_receive_skb: `dev` receives `f` now (rx handler, else the IP stack).
    void receive(int dev, const Frame& f);
    // netif_rx: `dev` receives `f` from the backlog, after what runs now.
    void deliverLater(int dev, const Frame& f);
    // `f` arrives on `dev` after `delay` (a wire); `shared` as for transmit().
    void deliverAfter(TimeUs delay, int dev, const Frame& f, std::uint32_t* shared);
    // The IP stack: ip_rcv on `dev`, and ip_local_out of a packet with its
    // source set (ipvlan l3 routes its slaves' packets so).
    void ipReceive(int dev, const Frame& f);
    void localOut(int ns, Frame& f);
    // `nextHopMtu`: fragmentation needed's MTU field (RFC 1191).
    void icmpError(int ns, const Frame& offending, std::uint8_t type, std::uint8_t code,
                   std::uint16_t nextHopMtu = 0);
    // The ipvlan slave of `lower` that holds `ip`, or -1.
    int ipvlanOwning(int lower, Ipv4 ip) const;
    // Neighbour entries asking when a run stopped: (ns, key), see Arp.
    std::vector<std::pair<int, std::uint64_t>>& incompleteNeighbours() { return m_incomplete; }
    ProxySession& proxySession() { return m_proxy; }
    // Tracing: one Hop per decision; a drop also ends the probe it belongs to.
    bool tracing() const { return m_trace != nullptr; }
    void hop(int ns, int dev, const char* action, const Frame& f, Text text,
             const drivers::NfRule* rule = nullptr);
    void drop(int ns, int dev, const Frame& f, const Reason& why);
    static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};

private:
    // world_build.cpp
    void build();  // one step per kind of Plan object:
    void buildNamespaces();
    void buildDevices();
    void buildAddressesAndRoutes();
    void buildStaticEntries();
    void buildSysctls();
    void buildNetfilter();
    void buildLookupTables();
    void buildServices();
    void buildPluginCalls();  // plugin_calls.cpp
    // Before the first hop at a device a plugin built: the plugin's exchanges
    // with dockerd that built it, each once per trace, as control-plane steps.
    void pluginSteps(int ns, int dev, const Frame& f);
    // The index of a Plan namespace or device; a Plan that names one that does
    // not exist is an error (model::Error Invalid, "inconsistent plan").
    int planNamespace(const std::string& name) const;
    int planDevice(const std::string& netns, const std::string& name) const;
    int addDevice(int ns, const drivers::Link& link);
    // ip_stack.cpp: the routing decision and everything after it, for received
    // (inDev >= 0) and locally generated (inDev < 0) packets. It rewrites the
    // frame in place (NAT, TTL, MACs) as the kernel does the skb.
    void routeOut(int ns, Frame& f, int inDev, Ct& ct);
    // The egress device's MTU: true when `f` may go on (ip_stack.cpp).
    bool fitsMtu(int ns, int inDev, int outDev, const Frame& f);
    // xfrm.cpp: a local packet's output policy (with mangle OUTPUT's mark),
    // which may turn `f` into ESP; false when it is dropped. And an ESP
    // packet's SA on the way in, whose datagram goes on through the stack.
    bool xfrmOutput(int ns, int outDev, Frame& f);
    void xfrmInput(int ns, int inDev, const Frame& f);
    // ipvs.cpp: at LOCAL_IN, a TCP or UDP packet whose fwmark (mangle
    // PREROUTING, then INPUT) names a virtual service goes to the next real
    // server in round robin (DNAT, masquerading forwarding) and out again;
    // true when IPVS took it.
    bool ipvsInput(int ns, int inDev, Frame& f, Ct& ct);
    int ipvsMark(int ns, int inDev, const Frame& f) const;
    // local_services.cpp
    void localDeliver(int ns, int inDev, const Frame& f);
    static const drivers::Listener* findListener(const Namespace& ns, Ipv4 dst, std::uint16_t port,
                                                 model::Proto proto);
    void answerIcmpEcho(int ns, const Frame& f);
    void answerTcp(int ns, const Frame& f);
    void answerUdp(int ns, const Frame& f);
    void deliverToProbe(int ns, const Frame& f);
    // embedded_dns.cpp: Docker's embedded DNS server answers a query.
    void answerDns(int ns, const Frame& f);
    // docker_proxy.cpp: docker-proxy as a process of the host namespace.
    static bool isProxy(const drivers::Listener& l) { return l.forwardTo && l.forwardPort; }
    void proxyAccept(int ns, const Frame& syn, const drivers::Listener& l);
    void proxyDial();
    void proxyDatagram(int ns, const Frame& f, const drivers::Listener& l);
    // A TCP segment that is not a connection attempt: the second leg's answer
    // (SYN-ACK or RST). False when it belongs to no connection of the session.
    bool proxySegment(int ns, const Frame& f);
    bool proxyUdpAnswer(int ns, const Frame& f);
    bool proxyIcmpError(int ns, const Frame& f);
    bool onProxyLeg(const Frame& f) const;  // a frame of the second leg, either way
    void proxyLegDropped(int ns, const Reason& why);
    void proxyCloseClient(const Reason& failure);
    void proxySend(Frame& f);  // from docker-proxy's namespace, tracing the source it got
    Text proxyName() const;    // "docker-proxy on host1"
    Text explainProxy(const Reason& r) const;          // explain.cpp: ProxyClosed, ProxyNoAnswer
    Text explainVxlan(const Reason& r) const;          // VxlanNoFdb, VxlanArpMiss, VxlanUnknownVni
    Text explainXfrm(const Reason& r) const;           // XfrmOutNoState, XfrmInNoState
    Text explainFragmentation(const Reason& r) const;  // FragmentationNeeded

    const drivers::Plan& m_plan;
    std::vector<Namespace> m_ns;
    std::vector<Device> m_dev;
    std::unordered_map<std::string, int> m_nsIndex;
    // (lower device, address) -> the ipvlan slave holding it; built once with the World.
    std::unordered_map<std::uint64_t, int> m_ipvlanByAddress;
    std::vector<std::pair<int, std::uint64_t>> m_incomplete;
    Scheduler m_sched;
    std::vector<Hop>* m_trace = nullptr;
    // Remote drivers: device -> the plugin calls that built it (with its veth
    // peer); which calls this trace has shown.
    std::unordered_map<int, std::vector<int>> m_pluginCallsAt;
    std::vector<char> m_pluginShown;
    ProbeState m_probe;
    // IPVS: the namespaces with virtual services, and whether a scheduler moved
    // since the last resetIpvs() (ipvs.cpp).
    std::vector<int> m_ipvsNs;
    bool m_ipvsMoved = false;
    ProxySession m_proxy;
    // Frames in flight, so a scheduled delivery captures only an index (no
    // allocation). A flood parks one copy that every port's delivery shares; a
    // slot is free again when the last delivery using it has run. A deque, so a
    // frame being received stays where it is while more are parked: slots live
    // in fixed chunks that never move.
    struct Parked {
        Frame frame;
        std::uint32_t users = 0;
    };
    static constexpr std::uint32_t kChunkBits = 6;
    static constexpr std::uint32_t kChunkMask = (1u << kChunkBits) - 1;
    std::vector<std::unique_ptr<Parked[]>> m_inflight;
    std::uint32_t m_parkedSlots = 0;  // slots handed out so far
    std::vector<std::uint32_t> m_freeSlots;
    Parked& parked(std::uint32_t slot) { return m_inflight[slot >> kChunkBits][slot & kChunkMask]; }
    std::uint32_t park(const Frame& f);
    void release(std::uint32_t slot);
    // Scheduler events of the data path: (World*, device, parked frame).
    static void onReceive(void* world, std::uint32_t dev, std::uint32_t slot);
    static void onLocalDeliver(void* world, std::uint32_t dev, std::uint32_t slot);
    std::uint16_t m_ipId = 1;
    std::uint16_t m_nextPort = 40000;
};

}  // namespace cnmlab::sim
