#pragma once
// The simulated kernel: every namespace, device, route, neighbour table,
// bridge FDB, netfilter table and conntrack table of a Plan, built once, plus
// the processes the Plan lists (listeners, docker-proxy, the embedded DNS
// server). Probes (probe.hpp) inject packets and read the outcome.
//
// Data path, as Linux has it:
//   veth tx -> (1 us) -> peer rx -> bridge port? bridge_input : ip_rcv
//   bridge_input: learn src MAC; to the bridge's own MAC or broadcast -> ip_rcv on
//     the bridge device (and flood broadcasts); otherwise, bridged IPv4 passes
//     filter FORWARD (bridge-nf-call-iptables=1, -i/-o = the bridge), then the FDB
//     port, or a flood to every other port.
//   ip_rcv: ARP; nat PREROUTING (DNAT) -> route -> local: filter INPUT -> socket;
//     forward: ip_forward? filter FORWARD -> nat POSTROUTING (MASQUERADE) -> ARP -> tx
//   local output: route -> nat OUTPUT -> filter OUTPUT -> nat POSTROUTING -> ARP -> tx
// Conntrack sees every IPv4 packet of a namespace that has it on (one with
// iptables rules that need it: Namespace::conntrackOn); replies of an accepted
// flow are ESTABLISHED and undo its NAT.
//
// Not thread-safe; one World per thread. Built in O(objects of the Plan).

#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers/plan.hpp"
#include "sim/flow_table.hpp"
#include "packet/frame.hpp"
#include "sim/reason.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

using model::Cidr;

constexpr TimeUs kWireDelayUs = 1;        // one hop across a veth or the LAN
// Neighbour resolution as Linux's defaults have it (net.ipv4.neigh.*):
// retrans_time_ms 1000 between requests, mcast_solicit 3 requests, then the
// entry FAILS and every frame queued on it is freed with an ICMP host
// unreachable to its sender.
constexpr TimeUs kArpRetransUs = 1'000'000;
constexpr int kArpRequests = 3;

enum class SlaveMode : std::uint8_t {
    None,
    MacvlanBridge,
    MacvlanPrivate,
    MacvlanVepa,
    MacvlanPassthru,
    IpvlanL2,
    IpvlanL3,
};

struct Device {
    std::string name;
    int ns = -1;
    drivers::LinkKind kind = drivers::LinkKind::Veth;
    Mac mac{};
    bool up = true;
    int peer = -1;    // veth: the other end
    int master = -1;  // the bridge this port belongs to
    std::vector<int> ports;  // bridge: its ports
    struct FdbEntry {
        int port = -1;
        TimeUs seen = 0;
        bool permanent = false;
    };
    Table64<FdbEntry> fdb;  // bridge: MAC -> port
    int ageingSeconds = 300;
    std::vector<Cidr> addresses;
    // macvlan/ipvlan: the lower (parent) device and the mode; a lower device
    // lists its slaves, whose driver takes its frames first (rx_handler).
    int lower = -1;
    SlaveMode slaveMode = SlaveMode::None;
    std::vector<int> uppers;
    bool noArp = false;  // ipvlan l3 slaves (IFF_NOARP)
};

struct RouteEntry {
    Cidr dst;
    std::optional<Ipv4> via;
    int dev = -1;
    std::optional<Ipv4> src;
};

// A netfilter rule compiled for speed: interfaces as device indices of its
// namespace, the jump target as a chain index. `src` is the Plan's rule.
struct NfCompiledRule {
    int inDev = -1;  // -1: any interface; -2: a name no device has
    bool inNot = false;
    int outDev = -1;
    bool outNot = false;
    std::string inPrefix;   // iptables "veth+" wildcards (rare), else empty
    std::string outPrefix;
    int jump = -1;  // chain index for Jump
    const drivers::NfRule* src = nullptr;
};

// Packet fields a chain (with the chains it jumps to) reads.
namespace nffield {
inline constexpr std::uint8_t kInterfaces = 1;
inline constexpr std::uint8_t kConntrack = 2;
inline constexpr std::uint8_t kLocal = 4;
inline constexpr std::uint8_t kAddresses = 8;
inline constexpr std::uint8_t kProtoPort = 16;
}  // namespace nffield

struct NfChainState {
    std::string name;
    // The same name in the Plan's own strings: Reasons point there, so a Reason
    // made by one World reads the same in any World built from that Plan.
    const std::string* planName = nullptr;
    bool builtin = false;
    bool policyDrop = false;
    std::vector<NfCompiledRule> rules;
    std::uint8_t reads = 0;  // nffield bits, transitively
};

// One table of one namespace: chains by index, and the built-in hooks.
struct NfTableState {
    std::vector<NfChainState> chains;
    std::unordered_map<std::string, int> index;
    // A chain evaluated as far as a key allows. The key is what every packet of
    // a flow shares at a hook: in and out interface, conntrack state, address
    // type. Rules the key rules out are gone; a rule the key alone decides
    // (ACCEPT, DROP, RETURN, or a jump to a chain the key alone decides, such
    // as DOCKER-USER or DOCKER-ISOLATION-STAGE-1/2) ends the list as `tail`.
    // What is left to compare per packet are the rules that read addresses,
    // protocol or port (DOCKER's published ports, MASQUERADE's -s).
    struct Outcome {
        const drivers::NfRule* rule = nullptr;  // nullptr: the chain returned
        const std::string* chain = nullptr;
    };
    struct KeyedChain {
        std::vector<std::uint32_t> rules;  // indices of the rules left, in order
        Outcome tail;                      // when none of them decides
    };
    // (chain, key) -> its entry in `keyed` (a deque: entries stay put while a
    // jump evaluates and adds more).
    mutable Table64<const KeyedChain*> keyedIndex;
    mutable std::deque<KeyedChain> keyed;
    int chainIndex(const std::string& name) const {
        auto it = index.find(name);
        return it == index.end() ? -1 : it->second;
    }
};

// A flow as conntrack keys it. ICMP echo uses the identifier as both ports.
struct FlowKey {
    std::uint32_t src = 0;
    std::uint32_t dst = 0;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::uint8_t proto = 0;
    bool operator==(const FlowKey&) const = default;
};

struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const {
        std::uint64_t h = (std::uint64_t{k.src} << 32) ^ k.dst;
        h ^= (std::uint64_t{k.sport} << 24) ^ (std::uint64_t{k.dport} << 8) ^ k.proto;
        h *= 0x9e3779b97f4a7c15ULL;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }
};

struct Connection {
    FlowKey original;  // as the first packet arrived
    FlowKey reply;     // what a reply looks like after NAT
    bool natDst = false;
    bool natSrc = false;
};

struct Namespace {
    std::string planName;  // the Plan's name: unique, what traces and live use
    std::string name;      // what explanations call it (English)
    std::string nameZh;    // the same in Chinese (cnmlab's LAN switch and router have words)
    drivers::NetnsKind kind = drivers::NetnsKind::Host;
    std::string host;
    std::vector<int> devices;
    std::vector<RouteEntry> routes;  // longest prefix first
    // Namespaces with many routes (a Docker host has one per bridge) remember
    // recent lookups in a direct-mapped cache: destination -> route index.
    static constexpr std::size_t kRouteScanLimit = 4;
    static constexpr int kRouteCacheBits = 12;  // 32 KiB: a thousand destinations fit
    static constexpr int kEmptySlot = -2;
    struct RouteSlot {
        std::uint32_t dst = 0;
        int route = kEmptySlot;  // index into routes, -1 for no route
    };
    mutable std::vector<RouteSlot> routeCache;
    // A neighbour entry, as the kernel's NUD states: NONE (never asked, or
    // forgotten), INCOMPLETE (asking: `requests` sent, frames queued),
    // REACHABLE (or PERMANENT, a static entry), FAILED (no answer to the last
    // round; the next frame starts a new one, as __neigh_event_send does).
    struct Neigh {
        enum class State : std::uint8_t { None, Incomplete, Reachable, Failed };
        Mac mac{};
        State state = State::None;
        std::uint8_t requests = 0;
        std::vector<Frame> pending;
        bool resolved() const { return state == State::Reachable; }
    };
    Table64<Neigh> neigh;  // (dev << 32) | ip
    bool ipForward = false;
    bool bridgeNfCall = false;
    std::vector<std::uint32_t> localAddresses;  // every address of every device
    // A Docker host has one address per bridge: looked up by hash beyond a few.
    static constexpr std::size_t kLocalScanLimit = 8;
    Table64<bool> localSet;
    NfTableState filter;
    NfTableState nat;
    // Built-in hooks (-1 when the table has no such chain).
    int filterInput = -1, filterForward = -1, filterOutput = -1;
    int natPrerouting = -1, natOutput = -1, natPostrouting = -1;
    // Linux registers conntrack's hooks in a namespace only once something there
    // needs them (nf_ct_netns_get: the nat table, a conntrack match). A sandbox
    // without iptables rules tracks nothing; its packets pass untracked.
    bool conntrackOn = false;
    FlowTable<FlowKey, std::pair<int, bool>, FlowKeyHash> conntrack;  // -> (conn, isReply)
    std::vector<Connection> connections;
    std::vector<const drivers::Listener*> listeners;
    std::unordered_map<std::string, std::vector<Ipv4>> dns;  // lower-case name -> addresses
    bool hasDns = false;
};

// What one probe saw; filled by the data path, read by probe.cpp.
struct ProbeState {
    bool active = false;
    int ns = -1;              // the sender's namespace
    std::uint8_t proto = 0;
    std::uint16_t localPort = 0;  // TCP/UDP source port, or the ICMP identifier
    // TCP and UDP probes use connected sockets: only segments and datagrams
    // from this address and port are theirs (the kernel's socket lookup).
    Ipv4 peer;
    std::uint16_t peerPort = 0;
    bool done = false;
    bool reachable = false;
    Reason reason;
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
    Reason failure;  // how the second leg failed (a drop, a RST, an ICMP error)
    Reason closed;   // ProxyClosed, once docker-proxy closed the client's connection
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
    void setTracing(std::vector<Hop>* sink) { m_trace = sink; }

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
    // The index of a Plan namespace or device; a Plan that names one that does
    // not exist is an error (model::Error Invalid, "inconsistent plan").
    int planNamespace(const std::string& name) const;
    int planDevice(const std::string& netns, const std::string& name) const;
    int addDevice(int ns, const drivers::Link& link);
    // forwarding.cpp
    // `shared`: a flood's slot (kNoSlot until the first veth port parks the frame).
    void transmit(int dev, const Frame& f, std::uint32_t* shared = nullptr);
    void receive(int dev, const Frame& f);
    void bridgeInput(int bridge, int port, const Frame& f);
    void bridgeForward(int bridge, int inPort, const Frame& f);
    void ipReceive(int dev, const Frame& f);
    void arpReceive(int dev, const Frame& f);
    // slave_links.cpp: macvlan (drivers/net/macvlan.c) and ipvlan
    // (drivers/net/ipvlan/ipvlan_core.c) transmit and receive.
    void slaveTransmit(int dev, const Frame& f);
    bool slaveReceive(int lower, const Frame& f);  // true: a slave took the frame
    int slaveOwning(int lower, Ipv4 ip) const;     // the ipvlan slave with that address
    static std::uint64_t slaveKey(int lower, Ipv4 ip) {
        return (std::uint64_t(static_cast<std::uint32_t>(lower)) << 32) | ip.value();
    }
    // (lower device, address) -> the slave holding it; built once with the World.
    std::unordered_map<std::uint64_t, int> m_slaveByAddress;
    void deliverLater(int dev, const Frame& f);    // netif_rx on `dev` (the backlog)
    void localOut(int ns, Frame& f);               // ip_local_out of a packet with its source set
    // Conntrack state of the packet being processed.
    struct Ct {
        int conn = -1;       // existing connection, or -1 for a new flow
        bool reply = false;  // the packet is in the reply direction
        Connection pending;  // a new flow, committed when the packet is accepted
    };
    Ct conntrackIn(int ns, Frame& f, int natChain, int dev);
    void conntrackCommit(int ns, Ct& ct, const Frame& f);
    // A reply of a DNAT'd connection gets its source back (POSTROUTING, or
    // INPUT when local); a hop says so when tracing.
    void undoDnat(int nsIdx, const Ct& ct, Frame& f, int dev);
    void localDeliver(int ns, int inDev, const Frame& f);
    // The output path rewrites the frame in place (NAT, TTL, MACs) as the kernel
    // does the skb.
    void routeOut(int ns, Frame& f, int inDev, Ct& ct);
    void neighOutput(int ns, int dev, Ipv4 nextHop, Frame& f);
    // Broadcasts the ARP request for `nextHop` on `dev`; `f` is the frame that
    // waits (its source address is the request's sender when it is ours).
    void arpSolicit(int ns, int dev, Ipv4 nextHop, const Frame& f, bool again);
    // The retransmit timer of an INCOMPLETE entry: asks again, or fails it.
    void arpTimer(int ns, int dev, Ipv4 nextHop);
    // Entries left INCOMPLETE by a run cut short (their timers dropped): (ns, key).
    std::vector<std::pair<int, std::uint64_t>> m_incomplete;
    const RouteEntry* lookupRoute(int ns, Ipv4 dst) const;
    // netfilter.cpp
    struct NfPacket {
        int inDev = -1;   // -1: locally generated
        int outDev = -1;  // -1: locally delivered
        const Frame* frame = nullptr;
        bool established = false;
        bool dstLocal = false;
    };
    struct NfDecision {
        drivers::NfVerdict verdict = drivers::NfVerdict::Accept;
        const drivers::NfRule* rule = nullptr;  // nullptr: the chain's policy decided
        const std::string* chain = nullptr;
    };
    NfDecision runChain(int ns, bool natTable, int chain, const NfPacket& p) const;
    bool matchesKeyed(const NfCompiledRule& r, const NfPacket& p) const;
    static bool matchesPacket(const NfCompiledRule& r, const NfPacket& p);
    NfTableState::Outcome evalChain(const NfTableState& t, int chain, const NfPacket& p,
                                    int depth) const;
    const NfTableState::KeyedChain& keyedChain(const NfTableState& t, int chain,
                                               const NfPacket& p, int depth) const;
    void compileNetfilter();
    static FlowKey flowOf(const Frame& f);
    static FlowKey reversed(const FlowKey& k);
    // local.cpp
    static const drivers::Listener* findListener(const Namespace& ns, Ipv4 dst,
                                                 std::uint16_t port, model::Proto proto);
    void answerIcmpEcho(int ns, const Frame& f);
    void answerTcp(int ns, const Frame& f);
    void answerUdp(int ns, const Frame& f);
    void answerDns(int ns, const Frame& f);
    void icmpError(int ns, const Frame& offending, std::uint8_t type, std::uint8_t code);
    void deliverToProbe(int ns, const Frame& f);
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
    Text explainProxy(const Reason& r) const;  // explain.cpp: ProxyClosed, ProxyNoAnswer
    // tracing helpers
    void hop(int ns, int dev, const char* action, const Frame& f, Text text,
             const drivers::NfRule* rule = nullptr);
    void drop(int ns, int dev, const Frame& f, const Reason& why);
    bool tracing() const { return m_trace != nullptr; }

    const drivers::Plan& m_plan;
    std::vector<Namespace> m_ns;
    std::vector<Device> m_dev;
    std::unordered_map<std::string, int> m_nsIndex;
    Scheduler m_sched;
    std::vector<Hop>* m_trace = nullptr;
    ProbeState m_probe;
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
    static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};
    std::uint32_t park(const Frame& f);
    void release(std::uint32_t slot);
    // Scheduler events of the data path: (World*, device, parked frame).
    static void onReceive(void* world, std::uint32_t dev, std::uint32_t slot);
    static void onLoopback(void* world, std::uint32_t dev, std::uint32_t slot);
    static void onLocalDeliver(void* world, std::uint32_t dev, std::uint32_t slot);
    std::uint16_t m_ipId = 1;
    std::uint16_t m_nextPort = 40000;
};

// A MAC as a 48-bit integer (FDB key), in wire order.
inline std::uint64_t macKey(const Mac& m) {
    return (std::uint64_t{m[0]} << 40) | (std::uint64_t{m[1]} << 32) | (std::uint64_t{m[2]} << 24) |
           (std::uint64_t{m[3]} << 16) | (std::uint64_t{m[4]} << 8) | std::uint64_t{m[5]};
}
inline bool isBroadcast(const Mac& m) { return macKey(m) == 0xffffffffffffULL; }
// Two MACs compared as two integers (std::array's == calls memcmp).
inline bool sameMac(const Mac& a, const Mac& b) {
    std::uint32_t a4 = 0, b4 = 0;
    std::uint16_t a2 = 0, b2 = 0;
    std::memcpy(&a4, a.data(), 4);
    std::memcpy(&b4, b.data(), 4);
    std::memcpy(&a2, a.data() + 4, 2);
    std::memcpy(&b2, b.data() + 4, 2);
    return a4 == b4 && a2 == b2;
}

}  // namespace cnmlab::sim
