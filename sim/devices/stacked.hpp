#pragma once
// What macvlan and ipvlan share as links stacked on a lower device: handing a
// frame to a sibling, sending it out through the lower device, and the lower
// device passing a received frame up to a slave. Each traces its hop.

#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

namespace stacked {

// Slave `dev` hands `f` straight to its sibling `sibling` (netif_rx). `kind`:
// "macvlan" or "ipvlan"; `how`: why this sibling.
void toSibling(World& w, int dev, int sibling, int lower, const Frame& f, const char* kind,
               const char* how);
// Slave `dev` sends `f` out of its lower device.
void out(World& w, int dev, int lower, const Frame& f);
// The lower device passes `f` up to its slave `slave`: at once (the rx
// handler's RX_HANDLER_ANOTHER) or from the backlog.
void up(World& w, int lower, int slave, const Frame& f, const char* kind, bool now);

}  // namespace stacked
}  // namespace cnmlab::sim
