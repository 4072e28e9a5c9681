#pragma once
// ipvlan (drivers/net/ipvlan/ipvlan_core.c): links stacked on a lower device,
// sharing its MAC, demultiplexed by IPv4 address.
//   l2 tx: a frame to the shared MAC is demultiplexed by IPv4 destination (or
//       ARP target) to a sibling, or else handed to the lower device's own
//       stack; broadcasts go to every sibling and out; the rest leaves.
//   l2 rx: a frame to the shared MAC goes to the slave owning its IPv4
//       destination (or ARP target), else to the lower device; broadcasts to all.
//   l3: slaves do no ARP (IFF_NOARP); tx delivers to a sibling owning the
//       destination or is routed by the lower device's namespace (ip_local_out:
//       OUTPUT and POSTROUTING apply); rx gives IPv4 to the slave owning the
//       destination.
// The addresses of a lower device's slaves are one hash table (the ipvl_port's
// address hash), built with the World.

#include <cstdint>
#include <string>

#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

struct Ipvlan {
    enum class Mode : std::uint8_t { L2, L3 };
    int lower = -1;
    Mode mode = Mode::L2;

    static Mode modeNamed(const std::string& mode);
    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
    // ipvlan_handle_frame, on the lower device: true when a slave took the frame.
    static bool handleFrame(World& w, int lower, const Frame& f);
};

}  // namespace cnmlab::sim
