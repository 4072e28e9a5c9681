#pragma once
// A Linux bridge (net/bridge/): its ports, the forwarding database it learns
// from source MACs (with ageing; static entries from the Plan never age), and
// the forwarding decision: to the bridge's own stack, to the one port the FDB
// knows, or a flood to every other port. Bridged IPv4 passes filter FORWARD
// with -i/-o = the bridge when net.bridge.bridge-nf-call-iptables is 1
// (br_netfilter), with a conntrack entry of its own.
//
// A port's received frames reach the bridge through its rx handler
// (br_handle_frame), registered when the port is enslaved.

#include <cstdint>
#include <vector>

#include "sim/flow_table.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

class World;

struct Bridge {
    struct FdbEntry {
        int port = -1;
        TimeUs seen = 0;
        bool permanent = false;
    };
    std::vector<int> ports;
    Table64<FdbEntry> fdb;  // MAC (macKey) -> port
    int ageingSeconds = 300;

    // The bridge's own IP stack sends through the bridge to a port.
    static void transmit(World& w, int dev, const Frame& f, std::uint32_t* shared);
    // br_handle_frame on port `port` (the rx handler): learn, then forward.
    static bool handleFrame(World& w, int port, const Frame& f);
    // br_forward / br_flood: to the port the FDB knows for the destination,
    // else to every port but `inPort` (-1: the bridge's own stack sent it).
    static void forward(World& w, int bridge, int inPort, const Frame& f);

private:
    static void input(World& w, int bridge, int port, const Frame& f);
};

}  // namespace cnmlab::sim
