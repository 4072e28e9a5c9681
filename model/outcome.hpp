#pragma once
// How a probe ended, in the words both executors use: the simulation derives it
// from the reason a probe ended, the live prober from what the kernel said, and
// `live verify` compares the two (a difference in how is a disagreement).

#include <cstdint>
#include <string_view>

namespace cnmlab::model {

enum class Outcome : std::uint8_t {
    Answered,  // an echo reply, a greeting on a TCP connection, a UDP answer
    Refused,   // a TCP reset, or ICMP port unreachable (ECONNREFUSED)
    Dropped,   // nothing came back before the probe gave up
    NoRoute,   // an ICMP error other than port unreachable (host or network
               // unreachable, TTL exceeded), or the sender had no route
    Closed,    // TCP: connected, then closed without a byte (docker-proxy whose
               // second leg failed)
    Error,     // live only: the probe could not be run (no socket, no descriptor,
               // a failed setns); never an answer about the network
};

constexpr std::string_view outcomeName(Outcome o) {
    switch (o) {
    case Outcome::Answered:
        return "answered";
    case Outcome::Refused:
        return "refused";
    case Outcome::Dropped:
        return "dropped";
    case Outcome::NoRoute:
        return "no route";
    case Outcome::Closed:
        return "closed";
    case Outcome::Error:
        return "error";
    }
    return "error";
}

}  // namespace cnmlab::model
