#pragma once
// A hash map from a 64-bit key to a value for the data path's per-packet
// lookups (neighbour tables, bridge FDBs, netfilter memos): open addressing
// with linear probing and Fibonacci hashing, so a lookup is one multiply and
// usually one cache line, where std::unordered_map divides and chases a node.
// Entries are never erased (those tables only grow while packets run).
// Growing moves the values: a reference from find() or at() is good until the
// next insertion.

#include <cstdint>
#include <utility>
#include <vector>

namespace cnmlab::sim {

template <typename Value>
class FlatMap64 {
public:
    FlatMap64() { m_slots.resize(std::size_t{1} << m_bits); }

    Value* find(std::uint64_t key) { return const_cast<Value*>(std::as_const(*this).find(key)); }
    const Value* find(std::uint64_t key) const {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = home(key);; i = (i + 1) & mask) {
            const Slot& s = m_slots[i];
            if (!s.used) {
                return nullptr;
            }
            if (s.key == key) {
                return &s.value;
            }
        }
    }

    // The value for `key`, value-initialised when it is new; .second tells which.
    std::pair<Value*, bool> tryEmplace(std::uint64_t key) {
        if ((m_size + 1) * 4 > m_slots.size() * 3) {
            grow();
        }
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = home(key);; i = (i + 1) & mask) {
            Slot& s = m_slots[i];
            if (!s.used) {
                s.used = true;
                s.key = key;
                ++m_size;
                return {&s.value, true};
            }
            if (s.key == key) {
                return {&s.value, false};
            }
        }
    }
    Value& operator[](std::uint64_t key) { return *tryEmplace(key).first; }

    std::size_t size() const { return m_size; }

private:
    struct Slot {
        std::uint64_t key = 0;
        Value value{};
        bool used = false;
    };

    std::size_t home(std::uint64_t key) const {
        return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ULL) >> (64 - m_bits));
    }

    void grow() {
        std::vector<Slot> old(std::size_t{1} << (m_bits + 1));
        old.swap(m_slots);
        ++m_bits;
        m_size = 0;
        for (Slot& s : old) {
            if (s.used) {
                *tryEmplace(s.key).first = std::move(s.value);
            }
        }
    }

    std::vector<Slot> m_slots;
    int m_bits = 3;
    std::size_t m_size = 0;
};

}  // namespace cnmlab::sim
