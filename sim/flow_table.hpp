#pragma once
// The data path's hash table: open addressing with linear probing, for
// conntrack (FlowKey -> connection) and for every per-packet lookup keyed by a
// 64-bit integer (neighbour tables, bridge FDBs, netfilter's keyed chains,
// a host's local addresses). A reach matrix inserts and erases a few flows per
// probe, millions of times; node-based maps would allocate for each and chase
// a pointer per lookup. Erasing shifts the entries after the hole back towards
// their home slot (no tombstones), so the table never needs rebuilding while
// its size stays put. All operations are O(1) expected. Growing moves the
// values: a pointer from find() or tryEmplace() is good until the next insertion.

#include <cstdint>
#include <utility>
#include <vector>

namespace cnmlab::sim {

template <typename Key, typename Value, typename Hash> class FlowTable {
public:
    FlowTable() { m_slots.resize(16); }

    Value* find(const Key& k) { return const_cast<Value*>(std::as_const(*this).find(k)); }
    const Value* find(const Key& k) const {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = Hash{}(k)&mask;; i = (i + 1) & mask) {
            const Slot& s = m_slots[i];
            if (!s.full) {
                return nullptr;
            }
            if (s.key == k) {
                return &s.value;
            }
        }
    }

    // The value for `k`, value-initialised when it is new; .second tells which.
    std::pair<Value*, bool> tryEmplace(const Key& k) {
        if ((m_full + 1) * 2 > m_slots.size()) {
            grow();
        }
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = Hash{}(k)&mask;; i = (i + 1) & mask) {
            Slot& s = m_slots[i];
            if (!s.full) {
                s.key = k;
                s.value = Value{};
                s.full = true;
                ++m_full;
                return {&s.value, true};
            }
            if (s.key == k) {
                return {&s.value, false};
            }
        }
    }
    Value& operator[](const Key& k) { return *tryEmplace(k).first; }
    void insert(const Key& k, const Value& v) { *tryEmplace(k).first = v; }

    void erase(const Key& k) {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t hole = Hash{}(k)&mask;
        for (;; hole = (hole + 1) & mask) {
            const Slot& s = m_slots[hole];
            if (!s.full) {
                return;
            }
            if (s.key == k) {
                break;
            }
        }
        --m_full;
        // Backward shift: an entry after the hole moves into it when the hole
        // lies on its probe path (between its home slot and where it sits).
        for (std::size_t j = (hole + 1) & mask;; j = (j + 1) & mask) {
            Slot& s = m_slots[j];
            if (!s.full) {
                break;
            }
            const std::size_t home = Hash{}(s.key) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                m_slots[hole] = std::move(s);
                hole = j;
            }
        }
        m_slots[hole].full = false;
    }

    std::size_t size() const { return m_full; }

private:
    struct Slot {
        Key key{};
        Value value{};
        bool full = false;
    };

    void grow() {
        std::vector<Slot> old(m_slots.size() * 2);
        old.swap(m_slots);
        m_full = 0;
        for (Slot& s : old) {
            if (s.full) {
                *tryEmplace(s.key).first = std::move(s.value);
            }
        }
    }

    std::vector<Slot> m_slots;  // size is a power of two
    std::size_t m_full = 0;
};

// 64-bit keys (a MAC, a (device, address) pair, a chain and its key): a
// multiply spreads them, and the high half is folded into the low bits the
// table masks.
struct Mix64Hash {
    std::size_t operator()(std::uint64_t k) const {
        const std::uint64_t h = k * 0x9e3779b97f4a7c15ULL;
        return static_cast<std::size_t>(h ^ (h >> 32));
    }
};
template <typename Value> using Table64 = FlowTable<std::uint64_t, Value, Mix64Hash>;

}  // namespace cnmlab::sim
