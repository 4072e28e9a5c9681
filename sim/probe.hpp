#pragma once
// Probes on a World: ping, TCP connect, UDP, DNS lookup, each run to the end
// (every event of the simulated kernel) and answered with a verdict and the
// sentence that decided it. The World keeps its ARP caches, FDBs and
// conntrack between probes, as a real kernel would.

#include <optional>
#include <string>
#include <vector>

#include "sim/world.hpp"

namespace cnmlab::sim {

struct ProbeResult {
    bool reachable = false;
    Reason reason;                  // World::explain() gives its sentence
    std::optional<DnsMessage> dns;  // for lookups: the answer (rcode, addresses)
    std::vector<Hop> hops;          // when traced
};

// How big a probe's packet is: `payload` bytes of data (default: ping's 56,
// UDP's 8, none for a TCP SYN), DF as the socket sets it (on by default, as
// Linux's path MTU discovery has it).
struct ProbeSize {
    std::optional<std::uint16_t> payload;
    bool dontFragment = true;
};

// Sends one probe from namespace `fromNs` to `dst` (proto icmp/tcp/udp; port for
// tcp/udp) and runs the World until it is quiet.
ProbeResult runProbe(World& world, int fromNs, Ipv4 dst, model::Proto proto, int port, bool trace,
                     const ProbeSize& size = {});

// Asks the embedded DNS server (127.0.0.11:53) of `fromNs` for `name` (A record).
ProbeResult runLookup(World& world, int fromNs, const std::string& name, bool trace);

}  // namespace cnmlab::sim
