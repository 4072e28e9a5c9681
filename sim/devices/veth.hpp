#pragma once
// A veth device (drivers/net/veth.c): one end of a pair; what it transmits is
// received by its peer, in the peer's namespace, one wire delay later.

#include <cstdint>

#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

struct Veth {
    int peer = -1;  // the other end

    // veth_xmit. `shared`: a flood's parked copy, shared by every port it leaves.
    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
};

}  // namespace cnmlab::sim
