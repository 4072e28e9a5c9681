#include "model/ipam.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "model/error.hpp"

// Docker 20.10's default IPAM driver. The Go it follows (libnetwork, 20.10
// branch; see docs/ipam.md for the measurements that confirm it):
//   ipam/allocator.go   RequestPool, getPredefineds, updateStartIndex,
//                       getPredefinedPool, RequestAddress, getAddress
//   ipam/structures.go  updatePoolDBOnAdd (overlap rules, shared parent pools)
//   ipamutils/utils.go  the predefined pools
//   bitseq/sequence.go  SetAny / SetAnyInRange: lowest free, or serial from `curr`
//   network.go          requestPoolHelper: local pools overlapping a host route
//                       are held and skipped
//   endpoint.go         the "no available IPv4 addresses" message

namespace cnmlab::model {

namespace {

constexpr PoolId kGlobalTag = 0x8000'0000u;

// The allocated addresses of one pool, one bit per address ordinal (address
// minus network address). libnetwork's bitseq is run-length encoded, so a /8 or
// even a /1 costs it almost nothing; a dense bitset (boost::dynamic_bitset) would
// cost 256 MiB for a /1. Hence this small sparse bitmap: fixed 4096-bit chunks
// created on first use, each with a count so full chunks are skipped whole.
// findFirstClear is O(full chunks before the answer + 64); set/reset O(log chunks).
class AddressBitmap {
public:
    explicit AddressBitmap(std::uint64_t size) : m_size(size) {}

    std::uint64_t size() const { return m_size; }
    std::uint64_t used() const { return m_used; }

    bool test(std::uint64_t i) const {
        const auto it = m_chunks.find(i / kChunkBits);
        if (it == m_chunks.end()) {
            return false;
        }
        const std::uint64_t bit = i % kChunkBits;
        return ((it->second.words[bit / 64] >> (bit % 64)) & 1u) != 0;
    }

    // Precondition: !test(i).
    void set(std::uint64_t i) {
        Chunk& c = m_chunks[i / kChunkBits];
        const std::uint64_t bit = i % kChunkBits;
        c.words[bit / 64] |= std::uint64_t{1} << (bit % 64);
        ++c.used;
        ++m_used;
    }

    // Precondition: test(i).
    void reset(std::uint64_t i) {
        const auto it = m_chunks.find(i / kChunkBits);
        const std::uint64_t bit = i % kChunkBits;
        it->second.words[bit / 64] &= ~(std::uint64_t{1} << (bit % 64));
        --m_used;
        if (--it->second.used == 0) {
            m_chunks.erase(it);
        }
    }

    // The lowest clear ordinal in [from, to], if any.
    std::optional<std::uint64_t> findFirstClear(std::uint64_t from, std::uint64_t to) const {
        std::uint64_t pos = from;
        while (pos <= to) {
            const std::uint64_t ci = pos / kChunkBits;
            const auto it = m_chunks.find(ci);
            if (it == m_chunks.end()) {
                return pos;  // an absent chunk is all clear
            }
            if (it->second.used < kChunkBits) {
                if (auto bit = firstClearInChunk(it->second, pos % kChunkBits)) {
                    const std::uint64_t found = ci * kChunkBits + *bit;
                    return found <= to ? std::optional(found) : std::nullopt;
                }
            }
            pos = (ci + 1) * kChunkBits;
        }
        return std::nullopt;
    }

private:
    static constexpr std::uint64_t kChunkBits = 4096;
    struct Chunk {
        std::array<std::uint64_t, kChunkBits / 64> words{};
        std::uint64_t used = 0;
    };

    static std::optional<std::uint64_t> firstClearInChunk(const Chunk& c, std::uint64_t from) {
        for (std::uint64_t w = from / 64; w < c.words.size(); ++w) {
            std::uint64_t word = c.words[w];
            if (w == from / 64) {
                word |= (std::uint64_t{1} << (from % 64)) - 1;  // ignore bits below `from`
            }
            if (word != ~std::uint64_t{0}) {
                return w * 64 + static_cast<std::uint64_t>(std::countr_one(word));
            }
        }
        return std::nullopt;
    }

    std::uint64_t m_size;
    std::uint64_t m_used = 0;
    std::map<std::uint64_t, Chunk> m_chunks;
};

// A master pool: one subnet with its address bitmap. Several pool requests share
// it when they name the same subnet with different ip_ranges (libnetwork's
// parent pool with a reference count; macvlan networks do this).
struct MasterPool {
    Cidr subnet;
    std::string owner;  // the network that first requested it, for messages
    AddressBitmap bits;
    std::uint64_t curr = 0;   // bitseq's `curr`: one past the last dynamic allocation
    bool plain = false;       // requested without an ip_range
    std::set<Cidr> ranges{};  // ip_ranges requested on it
    int refs = 0;
};

struct PoolEntry {
    PoolInfo info;
    std::string network;
    std::uint32_t master = 0;  // key of the MasterPool: its network address
};

std::uint64_t ordinalOf(const Cidr& subnet, Ipv4 ip) {
    return ip.value() - subnet.network().value();
}

Ipv4 addressOf(const Cidr& subnet, std::uint64_t ordinal) {
    return Ipv4(subnet.network().value() + static_cast<std::uint32_t>(ordinal));
}

}  // namespace

// One address space (libnetwork's addrSpace plus its predefined list and
// round-robin start index). Owned by one Ipam (local) or shared (global).
class AddressSpace {
public:
    explicit AddressSpace(AddressSpaceKind kind) : m_kind(kind) {}

    AddressSpaceKind kind() const { return m_kind; }
    PoolId tag() const { return m_kind == AddressSpaceKind::Global ? kGlobalTag : 0; }

    // ipamutils: 172.17-31.0.0/16 then 192.168.0.0/16 in /20s (31 pools);
    // global: 10.0.0.0/8 in /24s (65536 pools). Computed, not stored.
    std::size_t predefinedCount() const {
        return m_kind == AddressSpaceKind::Global ? std::size_t{1} << 16 : 15 + 16;
    }
    Cidr predefined(std::size_t i) const {
        const auto n = static_cast<std::uint32_t>(i);
        if (m_kind == AddressSpaceKind::Global) {
            return Cidr{Ipv4(0x0A00'0000u | (n << 8)), 24};
        }
        if (n < 15) {
            return Cidr{Ipv4(0xAC11'0000u + (n << 16)), 16};
        }
        return Cidr{Ipv4(0xC0A8'0000u | ((n - 15) << 12)), 20};
    }

    // The allocated master pool overlapping `c`, if any. Masters are disjoint,
    // so only the one starting last at or before c's end can overlap. O(log n).
    const MasterPool* overlapping(const Cidr& c) const {
        auto it = m_masters.upper_bound(c.broadcast().value());
        if (it == m_masters.begin()) {
            return nullptr;
        }
        --it;
        return it->second.subnet.broadcast().value() >= c.network().value() ? &it->second : nullptr;
    }

    // getPredefinedPool: scan the list rotated to the start index, skip pools
    // that overlap an allocated one (or are `held`), and move the start index
    // the way updateStartIndex does: old index + position in the rotated list
    // + 1, reset to 0 when that reaches the end of the list. So after a find
    // that wrapped round, the next scan starts at the top of the list again.
    std::optional<Cidr> nextPredefined(const std::set<Cidr>& held) {
        const std::size_t n = predefinedCount();
        const std::size_t start = m_startIndex < n ? m_startIndex : 0;
        for (std::size_t i = 0; i < n; ++i) {
            const Cidr nw = predefined((start + i) % n);
            if (held.count(nw) != 0 || overlapping(nw) != nullptr) {
                continue;
            }
            m_startIndex = start + i + 1 >= n ? 0 : start + i + 1;
            return nw;
        }
        return std::nullopt;
    }

    PoolId addPool(const Cidr& subnet, const std::optional<Cidr>& range,
                   const std::string& network);
    PoolEntry& entry(PoolId id);
    MasterPool& master(const PoolEntry& e) { return m_masters.at(e.master); }
    void releasePool(PoolId id);

private:
    AddressSpaceKind m_kind;
    std::size_t m_startIndex = 0;
    std::map<std::uint32_t, MasterPool> m_masters;
    std::map<PoolId, PoolEntry> m_pools;  // node-based: PoolInfo references stay valid
    PoolId m_nextId = 1;
};

// updatePoolDBOnAdd. Throws Conflict when the request overlaps an allocated
// pool, except that a request with an ip_range may share an existing subnet
// whose ip_ranges differ.
PoolId AddressSpace::addPool(const Cidr& subnet, const std::optional<Cidr>& range,
                             const std::string& network) {
    const std::uint32_t key = subnet.network().value();
    auto it = m_masters.find(key);
    const bool same = it != m_masters.end() && it->second.subnet.prefix == subnet.prefix;
    const bool shareable = same && range && it->second.ranges.count(*range) == 0;
    if (!shareable) {
        if (const MasterPool* other = overlapping(subnet)) {
            throw Error(ErrorKind::Conflict,
                        fmt::format("Pool overlaps with other one on this address space: subnet "
                                    "{} of network {} overlaps {} of network {}",
                                    subnet.networkStr(), network, other->subnet.networkStr(),
                                    other->owner));
        }
        MasterPool m{.subnet = Cidr{subnet.network(), subnet.prefix},
                     .owner = network,
                     .bits = AddressBitmap(subnet.size())};
        // insertBitMask: the network and broadcast addresses are never handed out.
        m.bits.set(0);
        if (m.bits.size() > 1) {
            m.bits.set(m.bits.size() - 1);
        }
        it = m_masters.emplace(key, std::move(m)).first;
    }
    MasterPool& m = it->second;
    if (range) {
        m.ranges.insert(*range);
    } else {
        m.plain = true;
    }
    ++m.refs;
    const PoolId id = tag() | m_nextId++;
    m_pools.emplace(id, PoolEntry{.info = {m.subnet, range}, .network = network, .master = key});
    return id;
}

PoolEntry& AddressSpace::entry(PoolId id) {
    const auto it = m_pools.find(id);
    if (it == m_pools.end()) {
        throw Error(ErrorKind::NotFound, fmt::format("cannot find address pool for poolID:{}", id));
    }
    return it->second;
}

void AddressSpace::releasePool(PoolId id) {
    const PoolEntry& e = entry(id);
    MasterPool& m = master(e);
    if (e.info.range) {
        m.ranges.erase(*e.info.range);
    } else {
        m.plain = false;
    }
    if (--m.refs == 0) {
        m_masters.erase(e.master);
    }
    m_pools.erase(id);
}

struct Ipam::Impl {
    std::vector<Cidr> hostRoutes;
    AddressSpace local{AddressSpaceKind::Local};
    std::shared_ptr<AddressSpace> global;

    AddressSpace& space(AddressSpaceKind kind) {
        return kind == AddressSpaceKind::Global ? *global : local;
    }
    AddressSpace& spaceOf(PoolId id) { return (id & kGlobalTag) != 0 ? *global : local; }

    bool overlapsHostRoute(const Cidr& c) const {
        return std::any_of(hostRoutes.begin(), hostRoutes.end(),
                           [&](const Cidr& r) { return r.overlaps(c); });
    }

    // RequestPool without a subnet, wrapped in requestPoolHelper's loop: a local
    // pool that overlaps a host route is held (so the search moves past it, and
    // the start index with it) and let go once the search is over.
    Cidr predefinedPool(AddressSpace& s, const std::string& network) {
        std::set<Cidr> held;
        while (auto nw = s.nextPredefined(held)) {
            if (s.kind() == AddressSpaceKind::Global || !overlapsHostRoute(*nw)) {
                return *nw;
            }
            held.insert(*nw);
        }
        throw Error(ErrorKind::Conflict,
                    fmt::format("could not find an available, non-overlapping IPv4 address pool "
                                "among the defaults to assign to the network {}",
                                network));
    }
};

Ipam::Ipam(std::vector<Cidr> hostRoutes, std::shared_ptr<AddressSpace> global)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->hostRoutes = std::move(hostRoutes);
    m_impl->global = global ? std::move(global) : makeGlobalSpace();
}

Ipam::~Ipam() = default;
Ipam::Ipam(Ipam&&) noexcept = default;
Ipam& Ipam::operator=(Ipam&&) noexcept = default;

std::shared_ptr<AddressSpace> Ipam::makeGlobalSpace() {
    return std::make_shared<AddressSpace>(AddressSpaceKind::Global);
}

PoolId Ipam::requestPool(AddressSpaceKind space, const std::optional<Cidr>& subnet,
                         const std::optional<Cidr>& range, const std::string& networkName) {
    AddressSpace& s = m_impl->space(space);
    if (!subnet) {
        if (range) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("Invalid Address SubPool: network {} has ip_range {} but no "
                                    "subnet",
                                    networkName, range->str()));
        }
        return s.addPool(m_impl->predefinedPool(s, networkName), std::nullopt, networkName);
    }
    std::optional<Cidr> r;
    if (range) {
        if (!subnet->contains(*range)) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("no matching subnet for range {}: network {} has subnet {}",
                                    range->str(), networkName, subnet->networkStr()));
        }
        r = Cidr{range->network(), range->prefix};
    }
    return s.addPool(*subnet, r, networkName);
}

const PoolInfo& Ipam::pool(PoolId id) const {
    return m_impl->spaceOf(id).entry(id).info;
}

Ipv4 Ipam::requestAddress(PoolId id, const std::optional<Ipv4>& preferred, bool gateway) {
    AddressSpace& s = m_impl->spaceOf(id);
    const PoolEntry& e = s.entry(id);
    MasterPool& m = s.master(e);
    const Cidr& subnet = e.info.subnet;
    // libnetwork's callers word the errors differently for the gateway
    // (network.go: "failed to allocate gateway (IP): <ipam error>") and for a
    // container (endpoint.go), and both name the network.
    const auto fail = [&](ErrorKind kind, const std::string& what) {
        if (gateway) {
            return Error(kind, fmt::format("failed to allocate gateway {}for network {}: {}",
                                           preferred ? "(" + preferred->str() + ") " : "",
                                           e.network, what));
        }
        return Error(kind, fmt::format("{} on network {}", what, e.network));
    };
    const auto exhausted = [&] {
        const std::string pool = (e.info.range ? *e.info.range : subnet).networkStr();
        if (gateway) {
            return fail(ErrorKind::Conflict, "No available addresses on this pool " + pool);
        }
        return Error(ErrorKind::Conflict,
                     fmt::format("no available IPv4 addresses on this network's address pools: "
                                 "{} ({})",
                                 e.network, pool));
    };
    if (m.bits.used() >= m.bits.size()) {
        throw exhausted();  // getAddress checks Unselected() first, even for a preferred address
    }
    if (preferred) {
        if (!subnet.contains(*preferred)) {
            throw fail(ErrorKind::Invalid,
                       fmt::format("Invalid address {}: It does not belong to any of this "
                                   "network's subnets ({})",
                                   preferred->str(), subnet.networkStr()));
        }
        const std::uint64_t ord = ordinalOf(subnet, *preferred);
        if (m.bits.test(ord)) {
            const char* why = ord == 0                   ? " (the subnet's network address)"
                              : ord == m.bits.size() - 1 ? " (the subnet's broadcast address)"
                                                         : "";
            throw fail(ErrorKind::Conflict,
                       fmt::format("Address already in use: {}{}", preferred->str(), why));
        }
        m.bits.set(ord);
        return *preferred;
    }
    const std::uint64_t first = e.info.range ? ordinalOf(subnet, e.info.range->network()) : 0;
    const std::uint64_t last =
        e.info.range ? ordinalOf(subnet, e.info.range->broadcast()) : m.bits.size() - 1;
    // Swarm's allocator asks for serial allocation on every global-scope network
    // (swarmkit cnmallocator setIPAMSerialAlloc); the local daemon never does.
    std::optional<std::uint64_t> ord;
    if (s.kind() == AddressSpaceKind::Global && m.curr > first) {
        ord = m.bits.findFirstClear(m.curr, last);
    }
    if (!ord) {
        ord = m.bits.findFirstClear(first, last);
    }
    if (!ord) {
        throw exhausted();
    }
    m.bits.set(*ord);
    m.curr = *ord + 1;
    return addressOf(subnet, *ord);
}

void Ipam::releaseAddress(PoolId id, Ipv4 address) {
    AddressSpace& s = m_impl->spaceOf(id);
    const PoolEntry& e = s.entry(id);
    MasterPool& m = s.master(e);
    const Cidr& subnet = e.info.subnet;
    if (!subnet.contains(address)) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("cannot release {} on network {}: Requested address is out of "
                                "range of {}",
                                address.str(), e.network, subnet.networkStr()));
    }
    const std::uint64_t ord = ordinalOf(subnet, address);
    if (ord == 0 || ord == m.bits.size() - 1) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("cannot release {} on network {}: it is the {} address of {}",
                                address.str(), e.network, ord == 0 ? "network" : "broadcast",
                                subnet.networkStr()));
    }
    if (!m.bits.test(ord)) {
        throw Error(ErrorKind::NotFound,
                    fmt::format("cannot release {} on network {}: it is not allocated",
                                address.str(), e.network));
    }
    m.bits.reset(ord);
}

void Ipam::releasePool(PoolId id) {
    m_impl->spaceOf(id).releasePool(id);
}

}  // namespace cnmlab::model
