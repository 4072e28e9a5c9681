#pragma once
// Probes for real, from inside a namespace: ICMP echo, TCP connect (answered
// when the listener's greeting arrives), a UDP datagram answered by an echoing
// listener, and a DNS query to 127.0.0.11.
//
// Every system call is checked. A probe ends in one of model::Outcome's ways:
// what the kernel said about the network (answered, refused, dropped, no route,
// closed) or Error when the probe could not be run at all (no socket, no file
// descriptor, a failed setns), which is never an answer about the network.
//
// Probes run at once up to what the process's file descriptors allow
// (RLIMIT_NOFILE, raised to its hard limit): a TCP, UDP or DNS probe holds a
// socket while it waits, ICMP probes share one raw socket per namespace whose
// replies are matched to their probe by (identifier, sequence).

#include <optional>
#include <string>
#include <vector>

#include "model/ip.hpp"
#include "model/outcome.hpp"
#include "model/scenario.hpp"

namespace cnmlab::live {

struct LiveProbe {
    std::string netns;  // the sender's namespace, by its name under /run/netns
    model::Ipv4 dst;
    model::Proto proto = model::Proto::Icmp;
    int port = 0;
    std::optional<std::string> resolve;  // a DNS query for this name instead
    int waitMs = 1500;                   // how long this probe waits for an answer
    // Set when the answer expected is an ICMP error from another namespace (a
    // router without a route, a neighbour that failed there). Linux rate-limits
    // those per (namespace that sends them, address they go to): ip_error and
    // icmp_ratelimit spend one token bucket, a second each. Probes with the
    // same key (that namespace, and the machine whose address the probe
    // leaves with: a container's traffic may be masqueraded to its host's) go
    // one at a time, each sent kPacedResendMs after the last.
    std::string paceKey;
    bool paced() const { return !paceKey.empty(); }

    // Results
    model::Outcome outcome = model::Outcome::Error;
    std::string detail;                 // what the kernel said ("echo reply", "connect: ...")
    std::vector<model::Ipv4> resolved;  // for DNS
    bool nxdomain = false;
    bool reachable() const { return outcome == model::Outcome::Answered; }
};

// How long a probe waits for its answer; fresh topologies answer well within
// it (datagrams are sent again every 300 ms meanwhile).
inline constexpr int kProbeTimeoutMs = 1500;
// Long enough for a neighbour to fail (three ARP requests a second apart), so
// the host unreachable that follows arrives.
inline constexpr int kNeighbourFailMs = 4000;

inline constexpr int kPacedResendMs = 2100;
inline constexpr int kPacedWaitMs = 6500;

struct ProbeRunStats {
    std::size_t probes = 0;
    std::size_t maxInFlight = 0;  // the most probes that waited at once
    std::size_t descriptors = 0;  // the descriptors the probes could use
    long elapsedMs = 0;
};

// Runs every probe. Throws model::Error (Unsupported) when too few file
// descriptors are left to run even one probe at a time.
ProbeRunStats runLiveProbes(std::vector<LiveProbe>& probes);

// Raises this process's soft RLIMIT_NOFILE to its hard limit; returns the soft
// limit now in force.
std::size_t raiseFileLimit();
// Descriptors this process has open now.
std::size_t openDescriptors();

}  // namespace cnmlab::live
