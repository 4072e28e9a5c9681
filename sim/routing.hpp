#pragma once
// A namespace's routing table (the main table of `ip route`): longest prefix
// first, as the Plan and the kernel's prefix routes fill it. A Docker host has
// one route per bridge, so a namespace with many routes remembers recent
// lookups in a direct-mapped cache (destination -> route); routes and link
// states do not change while packets run, so a cached answer stays right.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/ip.hpp"
#include "packet/frame.hpp"

namespace cnmlab::sim {

struct Device;

struct RouteEntry {
    model::Cidr dst;
    std::optional<packet::Ipv4> via;
    int dev = -1;
    std::optional<packet::Ipv4> src;
};

class RoutingTable {
public:
    // Called once the World is built: tables longer than a few routes get a cache.
    void finish();
    std::vector<RouteEntry>& routes() { return m_routes; }
    const std::vector<RouteEntry>& routes() const { return m_routes; }
    // fib_lookup: the first route (longest prefix) that contains `dst` and
    // whose device is up; nullptr for none. O(routes), O(1) when cached.
    const RouteEntry* lookup(packet::Ipv4 dst, const std::vector<Device>& devices) const;

private:
    static constexpr std::size_t kScanLimit = 4;
    static constexpr int kCacheBits = 12;  // 32 KiB: a thousand destinations fit
    static constexpr int kEmptySlot = -2;
    struct Slot {
        std::uint32_t dst = 0;
        int route = kEmptySlot;  // index into m_routes, -1 for no route
    };
    int scan(packet::Ipv4 dst, const std::vector<Device>& devices) const;
    std::vector<RouteEntry> m_routes;
    mutable std::vector<Slot> m_cache;
};

}  // namespace cnmlab::sim
