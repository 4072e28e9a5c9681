#pragma once
// A deterministic discrete-event scheduler in simulated time (ns-3's design
// minus its singleton: one instance per World).
//
// Events run in order of {time, uid}; uid is the order of scheduling, so two
// runs of the same input are identical. Cost: schedule O(log n), run O(log n)
// per event. The data path schedules plain events (a function pointer and two
// integers, no allocation); anything else may schedule a std::function.
// cancel() marks the event; it is skipped when its turn comes.

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace cnmlab::sim {

using TimeUs = std::uint64_t;  // simulated microseconds

class Scheduler {
public:
    using Callback = std::function<void()>;
    using Handler = void (*)(void* ctx, std::uint32_t a, std::uint32_t b);
    struct EventId {
        std::uint64_t uid = 0;
    };

    EventId schedule(TimeUs delay, Handler fn, void* ctx, std::uint32_t a, std::uint32_t b);
    EventId schedule(TimeUs delay, Callback fn);
    void cancel(EventId id);
    // Runs events until none is left or `maxEvents` have run; returns how many ran.
    std::uint64_t run(std::uint64_t maxEvents = 1'000'000);
    TimeUs now() const { return m_now; }
    bool empty() const { return m_queue.empty(); }
    std::uint64_t executed() const { return m_executed; }
    // Drops every pending event (used between probes when a run was cut short).
    void clear();

private:
    struct Event {
        TimeUs time;
        std::uint64_t uid;
        Handler fn;
        void* ctx;
        std::uint32_t a;
        std::uint32_t b;
        bool operator>(const Event& o) const {
            return time != o.time ? time > o.time : uid > o.uid;
        }
    };
    static void runCallback(void* self, std::uint32_t index, std::uint32_t);
    void recycle();

    std::priority_queue<Event, std::vector<Event>, std::greater<>> m_queue;
    std::vector<Callback> m_callbacks;  // std::function events, by index
    std::vector<bool> m_cancelled;      // indexed by uid - m_base
    std::uint64_t m_base = 0;
    std::uint64_t m_nextUid = 0;
    std::uint64_t m_executed = 0;
    TimeUs m_now = 0;
};

}  // namespace cnmlab::sim
