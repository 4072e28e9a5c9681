// Routing: a namespace's routing table, its local addresses, and the source
// address a socket gets (fib_lookup, inet_select_addr).
#include "sim/world.hpp"

namespace cnmlab::sim {

void RoutingTable::finish() {
    if (m_routes.size() > kScanLimit) {
        m_cache.assign(std::size_t{1} << kCacheBits, {});
    }
}

int RoutingTable::scan(Ipv4 dst, const std::vector<Device>& devices) const {
    for (std::size_t i = 0; i < m_routes.size(); ++i) {
        const RouteEntry& r = m_routes[i];
        if (r.dst.contains(dst) && devices[static_cast<std::size_t>(r.dev)].up) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const RouteEntry* RoutingTable::lookup(Ipv4 dst, const std::vector<Device>& devices) const {
    int found = -1;
    if (m_cache.empty()) {
        found = scan(dst, devices);
    } else {
        // Routes and link states do not change while packets run, so a lookup's
        // answer for a destination can be kept (the kernel's FIB has its own caches).
        Slot& slot = m_cache[(dst.value() * 0x9e3779b1u) >> (32 - kCacheBits)];
        if (slot.route == kEmptySlot || slot.dst != dst.value()) {
            slot.dst = dst.value();
            slot.route = scan(dst, devices);
        }
        found = slot.route;
    }
    return found < 0 ? nullptr : &m_routes[static_cast<std::size_t>(found)];
}

bool World::isLocalAddress(int nsIdx, Ipv4 ip) const {
    if ((ip.value() >> 24) == 127) {
        return true;  // the whole of 127.0.0.0/8 is local on lo
    }
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    if (ns.localAddresses.size() > Namespace::kLocalScanLimit) {
        return ns.localSet.find(ip.value()) != nullptr;
    }
    for (const std::uint32_t a : ns.localAddresses) {  // a sandbox: one or two addresses
        if (a == ip.value()) {
            return true;
        }
    }
    return false;
}

std::optional<Ipv4> World::sourceFor(int nsIdx, Ipv4 dst) const {
    if ((dst.value() >> 24) == 127) {
        return Ipv4(127, 0, 0, 1);
    }
    if (isLocalAddress(nsIdx, dst)) {
        return dst;
    }
    const RouteEntry* r = m_ns[static_cast<std::size_t>(nsIdx)].routing.lookup(dst, m_dev);
    if (r == nullptr) {
        return std::nullopt;
    }
    if (r->src) {
        return r->src;
    }
    return selectAddress(nsIdx, r->dev, dst);
}

std::optional<Ipv4> World::selectAddress(int nsIdx, int dev, Ipv4 near) const {
    const auto& addrs = m_dev[static_cast<std::size_t>(dev)].addresses;
    if (!addrs.empty()) {
        for (const auto& a : addrs) {
            if (a.contains(near)) {
                return a.address;
            }
        }
        return addrs.front().address;
    }
    for (int other : m_ns[static_cast<std::size_t>(nsIdx)].devices) {
        const Device& o = m_dev[static_cast<std::size_t>(other)];
        if (o.kind != drivers::LinkKind::Loopback && !o.addresses.empty()) {
            return o.addresses.front().address;
        }
    }
    return std::nullopt;
}

}  // namespace cnmlab::sim
