#pragma once
// Docker 20.10's default IPAM driver (libnetwork's ipam package), as plain C++.
//
// Two address spaces, as libnetwork has them:
//   - "LocalDefault": the predefined pools 172.17.0.0/16 ... 172.31.0.0/16, then
//     192.168.0.0/16 cut into /20s. One LocalDefault space per Docker host.
//   - "GlobalDefault": 10.0.0.0/8 cut into /24s, for overlay (swarm-scope)
//     networks. One GlobalDefault space shared by all hosts.
// A pool request without a subnet takes the next predefined pool that overlaps
// neither a pool already allocated in that space nor (local space only) one of
// the host's routes, scanning from the space's round-robin position: 20.10
// remembers where the last predefined pool was found, so a freed pool is not
// reused until the position wraps (and after a search that wrapped, the next one
// starts at the top of the list again). Explicit subnets are only checked
// against allocated pools, never against host routes, and never move the
// position.
// Within a pool, a local network hands out the lowest free address; a global
// (swarm) network allocates serially (swarmkit asks for it): the next free one
// after the last handed out, wrapping round. The network and broadcast
// addresses are never handed out. The gateway is an ordinary request: with an
// ip_range it is the range's first address (172.30.5.0 for 172.30.5.0/24).
// docs/ipam.md lists the libnetwork source and the measurements behind this.
//
// Errors are thrown as model::Error without a file position; callers add it.
// Not thread-safe. Cost: requestPool is O(predefined pools x log pools);
// requestAddress and releaseAddress are O(log n) plus, for a dynamic address,
// a scan that skips full 4096-address chunks whole, so allocating 10,000
// containers on a /16 one after another stays linear. Memory grows with the
// addresses allocated, not with the subnet's size.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/ip.hpp"

namespace cnmlab::model {

enum class AddressSpaceKind { Local, Global };

class AddressSpace;  // ipam.cpp

using PoolId = std::uint32_t;

struct PoolInfo {
    Cidr subnet;                // canonical network, e.g. 172.18.0.0/16
    std::optional<Cidr> range;  // ip_range: where dynamic addresses come from
};

class Ipam {
public:
    // `hostRoutes` are the subnets of the host's link-scope routes (its underlay
    // LAN); predefined local pools that overlap one are skipped. `global` is the
    // shared swarm-scope space; pass the same object to every host's Ipam (a null
    // pointer gives this Ipam a private one). A PoolId of a global pool is valid
    // on every Ipam that shares that space.
    Ipam(std::vector<Cidr> hostRoutes, std::shared_ptr<AddressSpace> global);
    ~Ipam();
    Ipam(const Ipam&) = delete;
    Ipam& operator=(const Ipam&) = delete;
    Ipam(Ipam&&) noexcept;
    Ipam& operator=(Ipam&&) noexcept;

    static std::shared_ptr<AddressSpace> makeGlobalSpace();

    // RequestPool. With `subnet`, that subnet (host bits are dropped); Conflict if
    // it overlaps an allocated pool of the same space, except that requests naming
    // the same subnet with different ip_ranges share one pool and its addresses
    // (libnetwork's parent pool; macvlan networks rely on it). Without `subnet`,
    // the next predefined pool (Conflict naming `networkName` if none is left).
    // `range` needs a subnet and must lie in it (Invalid otherwise).
    PoolId requestPool(AddressSpaceKind space, const std::optional<Cidr>& subnet,
                       const std::optional<Cidr>& range, const std::string& networkName);
    // NotFound for an unknown or released id. The reference lives until releasePool.
    const PoolInfo& pool(PoolId id) const;

    // RequestAddress. With `preferred`: that address, which must lie in the
    // subnet (Invalid; it may lie outside the ip_range) and be free (Conflict,
    // "Address already in use", also for the network and broadcast addresses,
    // as Docker says). Without: the lowest free address of the range (or of the
    // subnet when there is no range), serially in the global space. Conflict
    // naming the network when the pool is exhausted. `gateway` = true only
    // changes the wording of errors ("failed to allocate gateway ..."): Docker's
    // default driver picks the gateway like any other address, so call this for
    // the gateway first, then for aux addresses, then for containers.
    Ipv4 requestAddress(PoolId id, const std::optional<Ipv4>& preferred, bool gateway = false);
    // Invalid outside the subnet or for the network/broadcast address; NotFound
    // when the address is not allocated.
    void releaseAddress(PoolId id, Ipv4 address);
    // Frees the pool (its subnet when no other request shares it) and the id.
    // The round-robin position is not moved back.
    void releasePool(PoolId id);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cnmlab::model
