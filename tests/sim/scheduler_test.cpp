// The scheduler's ordering contract: events run by {time, order of scheduling},
// whichever of its queues (this instant, the next, the heap) holds them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scheduler.hpp"

using namespace cnmlab::sim;

namespace {

struct Log {
    Scheduler* s = nullptr;
    std::vector<std::string> lines;
};

// An event that logs "name@time"; b != 0 schedules a follower `b - 1` us later.
void note(void* ctx, std::uint32_t name, std::uint32_t b) {
    auto* log = static_cast<Log*>(ctx);
    log->lines.push_back(std::string(1, static_cast<char>(name)) + "@" +
                         std::to_string(log->s->now()));
    if (b != 0) {
        log->s->schedule(b - 1, &note, ctx, name + 32, 0);  // lower-case follower
    }
}

TEST(Scheduler, SameInstantRunsInSchedulingOrder) {
    Scheduler s;
    Log log{&s, {}};
    s.schedule(1, &note, &log, 'A', 0);
    s.schedule(0, &note, &log, 'B', 0);
    s.schedule(1, &note, &log, 'C', 0);
    s.schedule(0, &note, &log, 'D', 0);
    EXPECT_EQ(s.run(), 4u);
    EXPECT_EQ(log.lines, (std::vector<std::string>{"B@0", "D@0", "A@1", "C@1"}));
    EXPECT_TRUE(s.empty());
}

TEST(Scheduler, ZeroDelayFromAnEventRunsAfterWhatWasAlreadyDueThen) {
    Scheduler s;
    Log log{&s, {}};
    s.schedule(1, &note, &log, 'A', 1);  // A at 1 schedules a at 1 (delay 0)
    s.schedule(1, &note, &log, 'B', 0);
    s.schedule(2, &note, &log, 'C', 0);
    s.run();
    EXPECT_EQ(log.lines, (std::vector<std::string>{"A@1", "B@1", "a@1", "C@2"}));
}

TEST(Scheduler, FarEventsComeBeforeLaterScheduledEventsOfTheirInstant) {
    Scheduler s;
    Log log{&s, {}};
    s.schedule(3, &note, &log, 'F', 0);  // heap, due at 3
    s.schedule(2, &note, &log, 'A', 2);  // A at 2 schedules a at 3 (delay 1)
    s.schedule(1, &note, &log, 'B', 3);  // B at 1 schedules b at 3 (delay 2, heap)
    s.run();
    EXPECT_EQ(log.lines, (std::vector<std::string>{"B@1", "A@2", "F@3", "b@3", "a@3"}));
    EXPECT_EQ(s.now(), 3u);
}

TEST(Scheduler, TimeJumpsOverEmptyInstants) {
    Scheduler s;
    Log log{&s, {}};
    s.schedule(1'000'000, &note, &log, 'T', 2);  // a timer, then a follower 1 us later
    s.run();
    EXPECT_EQ(log.lines, (std::vector<std::string>{"T@1000000", "t@1000001"}));
}

TEST(Scheduler, BudgetStopsARunAndClearDropsTheRest) {
    Scheduler s;
    Log log{&s, {}};
    for (std::uint32_t i = 0; i < 5; ++i) {
        s.schedule(i % 3, &note, &log, 'a' + i, 0);
    }
    s.schedule(10, &note, &log, 'Z', 0);
    EXPECT_EQ(s.run(3), 3u);
    EXPECT_FALSE(s.empty());
    EXPECT_EQ(s.executed(), 3u);
    s.clear();
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.run(), 0u);
    EXPECT_EQ(log.lines, (std::vector<std::string>{"a@0", "d@0", "b@1"}));
}

TEST(Scheduler, FunctionEventsKeepTheirPlace) {
    Scheduler s;
    std::vector<int> order;
    s.schedule(1, [&] { order.push_back(1); });
    s.schedule(0, [&] { order.push_back(0); });
    s.schedule(5, [&] {
        order.push_back(5);
        s.schedule(0, [&] { order.push_back(6); });
    });
    s.run();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 5, 6}));
    EXPECT_EQ(s.executed(), 4u);
}

}  // namespace
