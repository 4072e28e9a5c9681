#pragma once
// Conntrack's lookup table: FlowKey -> (connection index, reply direction), as
// an open-addressing hash table with linear probing. A reach matrix inserts and
// erases a few flows per probe, millions of times; node-based maps would
// allocate for each. Erasing shifts the entries after the hole back towards
// their home slot (no tombstones), so the table never needs rebuilding while
// its size stays put. All operations are O(1) expected.

#include <cstdint>
#include <vector>

namespace cnmlab::sim {

template <typename Key, typename Value, typename Hash>
class FlowTable {
public:
    FlowTable() { m_slots.resize(16); }

    const Value* find(const Key& k) const {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = Hash{}(k) & mask;; i = (i + 1) & mask) {
            const Slot& s = m_slots[i];
            if (!s.full) {
                return nullptr;
            }
            if (s.key == k) {
                return &s.value;
            }
        }
    }

    void insert(const Key& k, const Value& v) {
        if ((m_full + 1) * 2 > m_slots.size()) {
            grow();
        }
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = Hash{}(k) & mask;; i = (i + 1) & mask) {
            Slot& s = m_slots[i];
            if (!s.full) {
                s = Slot{k, v, true};
                ++m_full;
                return;
            }
            if (s.key == k) {
                s.value = v;
                return;
            }
        }
    }

    void erase(const Key& k) {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t hole = Hash{}(k) & mask;
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
                m_slots[hole] = s;
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
        for (const Slot& s : old) {
            if (s.full) {
                insert(s.key, s.value);
            }
        }
    }

    std::vector<Slot> m_slots;  // size is a power of two
    std::size_t m_full = 0;
};

}  // namespace cnmlab::sim
