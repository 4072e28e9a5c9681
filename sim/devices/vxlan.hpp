#pragma once
// A VXLAN device (drivers/net/vxlan/vxlan_core.c) as Docker's overlay driver
// makes it (docs/overlay.md): a port of the overlay namespace's bridge, whose
// UDP socket lives in the host namespace it was created in (the link
// namespace, drivers::Link::parentNetns).
//   tx (vxlan_xmit): with `proxy` on, ARP never leaves: a request is answered
//       by the device itself from its neighbour entries (arp_reduce), and
//       without an entry it is dropped (l3miss). Every other frame goes to the
//       VTEP the FDB gives for its destination MAC (the Plan's static entries,
//       and what `learning` noted), else to the all-zeros default entry; with
//       neither it is dropped (l2miss). The frame is wrapped (outer IPv4 TTL 64
//       with DF clear, UDP to `dstPort` from a port hashed from the inner flow,
//       checksum on; VXLAN flags 0x08 and the VNI) and sent by the link
//       namespace as a packet of its own: routing, OUTPUT, POSTROUTING, ARP.
//   rx (vxlan_rcv): a UDP datagram to `dstPort` delivered in the link
//       namespace goes to the device with its VNI (World::localDeliver asks
//       receive()); with `learning` the inner source MAC is noted behind the
//       outer source address, then the inner frame is received on the device,
//       so its bridge's rx handler takes it. An unknown VNI is dropped.
// Not modelled: a learned entry's conflict with a static one (vxlan_snoop
// drops such frames), remote lists on entries other than the default one,
// multicast groups, IPv6.

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/flow_table.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

struct Vxlan {
    struct Remote {
        Ipv4 vtep;
        TimeUs seen = 0;
        bool permanent = false;
    };
    int linkNs = -1;  // the namespace whose UDP socket sends and receives
    std::uint32_t vni = 0;
    std::uint16_t dstPort = kVxlanPort;
    bool learning = false;
    bool proxy = false;
    bool l2miss = false;
    bool l3miss = false;
    int ageingSeconds = 300;
    Table64<Remote> fdb;  // MAC (macKey) -> VTEP; key 0 is the all-zeros default entry
    // `bridge fdb append 00:00:00:00:00:00 dev DEV dst VTEP`, once per VTEP: the
    // default entry's remote list. A frame no entry names goes to each of them
    // (head-end replication), as weave's mesh floods to every peer.
    std::vector<Ipv4> flood;
    // Inner frames of packets in flight, reused once no copy of their outer
    // frame holds them (a wrapped frame needs one; this keeps it off the heap).
    std::vector<std::shared_ptr<Frame>> innerPool;

    // vxlan_xmit: what the bridge hands the device.
    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
    // Wraps `f` for one VTEP and hands the UDP packet to the link namespace.
    void wrap(World& w, int dev, const Frame& f, Ipv4 vtep);
    // vxlan_rcv, for a UDP datagram `f` delivered locally in namespace `ns`:
    // true when a vxlan socket there took it (decapsulated or dropped).
    static bool receive(World& w, int ns, const Frame& f);
    // udp_flow_src_port: the outer source port for `inner`, in 32768..60999.
    // Symmetric, so both directions of a flow use one port, as the flow
    // dissector's hash is; deterministic where Linux keys it per boot.
    static std::uint16_t sourcePort(const Frame& inner);

private:
    static void arpReduce(World& w, int dev, const Frame& f);
    // A `networkdb` hop: where the permanent entries for `ip`/`mac` came from.
    static void explainPeer(World& w, int dev, const Frame& f, Ipv4 ip, const Mac& mac);
    std::shared_ptr<const Frame> keep(const Frame& inner);
};

}  // namespace cnmlab::sim
