#pragma once
// An 802.1Q VLAN sub-interface (net/8021q): eth0.50 on eth0.
//   tx: the frame leaves through the parent with a tag carrying the VLAN ID
//       (vlan_dev_hard_start_xmit).
//   rx on the parent: a frame tagged with the ID of one of the parent's VLAN
//       sub-interfaces loses its tag and is received by that sub-interface
//       (vlan_do_receive), before any rx handler of the parent; a tagged frame
//       for a VLAN the parent has no sub-interface for goes to the parent's
//       bridge if it is a bridge port (a bridge without VLAN filtering
//       forwards tags as they are), and is dropped otherwise.

#include <cstdint>

#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

struct Vlan {
    int lower = -1;
    std::uint16_t id = 0;

    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
    // On the parent `lower`: true when the frame was taken (by a sub-interface, or dropped).
    static bool receiveTagged(World& w, int lower, const Frame& f);
};

}  // namespace cnmlab::sim
