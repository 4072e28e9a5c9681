#pragma once
// Probes for real, from inside a namespace: ICMP echo (a raw socket), TCP
// connect, a UDP datagram answered by an echoing listener, and a DNS query to
// 127.0.0.11. Every probe of a batch is sent at once and the batch waits at
// most `timeoutMs` in all, so a matrix of silent drops costs one timeout.

#include <optional>
#include <string>
#include <vector>

#include "live/netns.hpp"
#include "model/ip.hpp"
#include "model/scenario.hpp"

namespace cnmlab::live {

struct LiveProbe {
    const Fd* ns = nullptr;  // the sender's namespace
    model::Ipv4 dst;
    model::Proto proto = model::Proto::Icmp;
    int port = 0;
    std::optional<std::string> resolve;  // a DNS query for this name instead

    // Results
    bool reachable = false;
    std::string detail;                 // what the kernel said (refused, timeout ...)
    std::vector<model::Ipv4> resolved;  // for DNS
    bool nxdomain = false;
};

// How long a batch waits for its last answer; fresh topologies answer well within it.
inline constexpr int kProbeTimeoutMs = 1500;

void runLiveProbes(std::vector<LiveProbe>& probes, int timeoutMs);

}  // namespace cnmlab::live
