#pragma once
// Conntrack's lookup table: FlowKey -> (connection index, reply direction), as
// an open-addressing hash table with linear probing. A reach matrix inserts and
// erases a few flows per probe, millions of times; node-based maps would
// allocate for each. Erased slots become tombstones, reclaimed by a rebuild
// when they fill a quarter of the table. All operations are O(1) expected.

#include <algorithm>
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
            if (s.state == State::Empty) {
                return nullptr;
            }
            if (s.state == State::Full && s.key == k) {
                return &s.value;
            }
        }
    }

    void insert(const Key& k, const Value& v) {
        if ((m_full + m_dead + 1) * 2 > m_slots.size()) {
            if (m_full == 0) {
                // Only tombstones (every flow of the last probe expired): wipe in place.
                std::fill(m_slots.begin(), m_slots.end(), Slot{});
                m_dead = 0;
            } else {
                rebuild(m_full * 4 > m_slots.size() ? m_slots.size() * 2 : m_slots.size());
            }
        }
        const std::size_t mask = m_slots.size() - 1;
        std::size_t i = Hash{}(k) & mask;
        for (;; i = (i + 1) & mask) {
            Slot& s = m_slots[i];
            if (s.state == State::Full && s.key == k) {
                s.value = v;
                return;
            }
            if (s.state != State::Full) {
                break;
            }
        }
        Slot& s = m_slots[i];
        m_dead -= s.state == State::Dead ? 1 : 0;
        s = Slot{k, v, State::Full};
        ++m_full;
    }

    void erase(const Key& k) {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = Hash{}(k) & mask;; i = (i + 1) & mask) {
            Slot& s = m_slots[i];
            if (s.state == State::Empty) {
                return;
            }
            if (s.state == State::Full && s.key == k) {
                s.state = State::Dead;
                --m_full;
                ++m_dead;
                return;
            }
        }
    }

    std::size_t size() const { return m_full; }

private:
    enum class State : std::uint8_t { Empty, Full, Dead };
    struct Slot {
        Key key{};
        Value value{};
        State state = State::Empty;
    };

    // Rehashes into `capacity` slots; the old array is kept as scratch for the
    // next rebuild of the same size, so steady state allocates nothing.
    void rebuild(std::size_t capacity) {
        m_scratch.assign(capacity, Slot{});
        m_scratch.swap(m_slots);
        m_full = 0;
        m_dead = 0;
        for (const Slot& s : m_scratch) {
            if (s.state == State::Full) {
                insert(s.key, s.value);
            }
        }
    }

    std::vector<Slot> m_slots;  // size is a power of two
    std::vector<Slot> m_scratch;
    std::size_t m_full = 0;
    std::size_t m_dead = 0;
};

}  // namespace cnmlab::sim
