#pragma once
// A trace as a capture: where each frame was seen on a wire. A capture point is
// one wire segment of the simulated machines, as a tap on it would see it: a
// veth pair, or a bridge with every veth pair plugged into it (the hosts' LAN
// switch is one, each Docker bridge network on each host another). A frame a
// bridge forwards from port to port, or floods to several, is the same frame on
// the same segment and is seen there once. Each point becomes one interface of
// the pcapng file, named for its bridge or pair and described by its devices
// and their namespaces, so Wireshark shows where a frame was seen instead of
// taking the copies at several points for retransmissions.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario_sim.hpp"
#include "sim/trace.hpp"
#include "sim/world.hpp"

namespace cnmlab::sim {

struct CapturePoint {
    std::string name;         // the pcapng interface's name ("br-1a2b3c4d5e6f@host1", "LAN")
    std::string description;  // its devices, each with its namespace, in the chosen language
};

class CapturePoints {
public:
    // The segments of `world`'s devices; descriptions in `lang` ("en", "zh").
    CapturePoints(const World& world, std::string lang);

    // The point a hop's frame is put on: a `tx` hop of a veth (the frame
    // crosses that wire); -1 for every other hop.
    int pointOf(const Hop& hop) const;
    // Name and description of a point pointOf returned.
    CapturePoint point(int id) const;

private:
    int deviceOf(const Hop& hop) const;
    int find(int dev) const;
    std::string where(int dev) const;  // "eth0 of web-1", "web-1 的 eth0"

    const World& m_world;
    std::string m_lang;
    mutable std::vector<int> m_parent;  // union-find over device indices
};

// Writes the frames of a traced probe that crossed a wire to a pcapng file at
// `path`: one interface per capture point the trace used, each frame once per
// point, each with the explanation of its hop as the packet comment. A packet
// routed unchanged to a second point (the same IPv4 packet but for TTL and
// checksum) says so in its comment, naming the frame it repeats. Returns the
// number of frames written. Throws model::Error{System} if the file cannot be
// written.
std::size_t writeCapture(const World& world, const ProbeRecord& record,
                         const std::filesystem::path& path, const std::string& lang);

}  // namespace cnmlab::sim
