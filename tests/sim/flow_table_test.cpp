// The data path's hash table against std::unordered_map, under random
// inserts, erases and lookups, with a hash that clusters keys so that erasing
// must shift long probe runs correctly.
#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

#include "sim/flow_table.hpp"

using namespace cnmlab::sim;

namespace {

struct ClusteringHash {  // many keys share a home slot; runs wrap around the end
    std::size_t operator()(std::uint32_t k) const { return (k % 7) * 3 + 13; }
};

struct MixingHash {
    std::size_t operator()(std::uint32_t k) const { return k * 0x9e3779b1u; }
};

template <typename Hash> void agreesWithUnorderedMap(unsigned seed) {
    FlowTable<std::uint32_t, int, Hash> table;
    std::unordered_map<std::uint32_t, int> ref;
    std::mt19937 rng(seed);
    for (int step = 0; step < 20000; ++step) {
        const std::uint32_t k = rng() % 64;
        switch (rng() % 3) {
        case 0:
            table.insert(k, step);
            ref[k] = step;
            break;
        case 1:
            table.erase(k);
            ref.erase(k);
            break;
        default:
            break;
        }
        ASSERT_EQ(table.size(), ref.size()) << "step " << step;
        for (std::uint32_t q = 0; q < 64; ++q) {
            const int* got = table.find(q);
            auto it = ref.find(q);
            ASSERT_EQ(got != nullptr, it != ref.end()) << "key " << q << " at step " << step;
            if (got != nullptr) {
                ASSERT_EQ(*got, it->second);
            }
        }
    }
}

TEST(FlowTable, AgreesWithUnorderedMapWhenKeysCluster) {
    agreesWithUnorderedMap<ClusteringHash>(1);
}
TEST(FlowTable, AgreesWithUnorderedMapWithAGoodHash) {
    agreesWithUnorderedMap<MixingHash>(2);
}

TEST(FlowTable, ErasingEverythingLeavesItEmptyAndUsable) {
    FlowTable<std::uint32_t, int, ClusteringHash> table;
    for (int round = 0; round < 1000; ++round) {  // a probe's flows come and go
        for (std::uint32_t k = 0; k < 6; ++k) {
            table.insert(k + 100 * static_cast<std::uint32_t>(round), round);
        }
        for (std::uint32_t k = 0; k < 6; ++k) {
            table.erase(k + 100 * static_cast<std::uint32_t>(round));
        }
        ASSERT_EQ(table.size(), 0u);
    }
    table.insert(7, 1);
    ASSERT_NE(table.find(7), nullptr);
    EXPECT_EQ(*table.find(7), 1);
}

TEST(Table64, FindsWhatWasInsertedAcrossGrowth) {
    Table64<std::uint64_t> map;
    std::unordered_map<std::uint64_t, std::uint64_t> ref;
    std::mt19937_64 rng(3);
    for (int i = 0; i < 5000; ++i) {
        const std::uint64_t k = rng() % 3000 << 20;  // low bits all zero
        auto [v, fresh] = map.tryEmplace(k);
        EXPECT_EQ(fresh, ref.find(k) == ref.end());
        *v += 1;
        ref[k] += 1;
    }
    EXPECT_EQ(map.size(), ref.size());
    for (const auto& [k, n] : ref) {
        ASSERT_NE(map.find(k), nullptr);
        EXPECT_EQ(*map.find(k), n);
    }
    EXPECT_EQ(map.find(1), nullptr);
}

}  // namespace
