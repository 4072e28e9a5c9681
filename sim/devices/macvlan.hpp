#pragma once
// macvlan (drivers/net/macvlan.c): links stacked on a lower device, each with
// its own MAC, with no bridge between them.
//   tx: bridge mode delivers to a bridge-mode sibling whose MAC is the
//       destination, and copies broadcasts to the bridge-mode siblings; every
//       other frame (and every frame in private, vepa, passthru mode) leaves
//       through the lower device. The lower device's own stack never sees
//       what its slaves send, so the host cannot talk to its macvlan containers.
//   rx on the lower device (the rx handler): a unicast frame for a slave's MAC
//       goes to that slave (not to the lower device); broadcasts go to every
//       slave and to the lower device; passthru gives everything to its one slave.

#include <cstdint>
#include <string>

#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

struct Macvlan {
    enum class Mode : std::uint8_t { Bridge, Private, Vepa, Passthru };
    int lower = -1;
    Mode mode = Mode::Bridge;

    static Mode modeNamed(const std::string& mode);  // as `ip link ... type macvlan mode`
    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
    // macvlan_handle_frame, on the lower device: true when a slave took the frame.
    static bool handleFrame(World& w, int lower, const Frame& f);
};

}  // namespace cnmlab::sim
