#pragma once
// A deterministic discrete-event scheduler in simulated time (ns-3's design
// minus its singleton: one instance per World).
//
// Events run in order of {time, uid}; uid is the order of scheduling, so two
// runs of the same input are identical. The data path schedules almost every
// event 0 or 1 us ahead (loopback, a veth crossing), so those go to two FIFOs,
// the current instant's and the next one's: O(1) to schedule and to run. Events
// further ahead (ARP and probe timers) wait in a heap, O(log n), and join the
// current FIFO when their instant comes. Within one instant the order is still
// that of the uids: a heap event due at t was scheduled before t-1, so before
// every event of the next-instant FIFO.
// The data path schedules plain events (a function pointer and two integers,
// no allocation); anything else may schedule a std::function. Nothing cancels
// an event: a timer whose reason has gone (an ARP answered in time) runs and
// finds nothing to do, as the kernel's timers do.

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
    void schedule(TimeUs delay, Handler fn, void* ctx, std::uint32_t a, std::uint32_t b);
    void schedule(TimeUs delay, Callback fn);
    // Runs events until none is left or `maxEvents` have run; returns how many ran.
    std::uint64_t run(std::uint64_t maxEvents = 1'000'000);
    TimeUs now() const { return m_now; }
    bool empty() const { return m_head == m_current.size() && m_next.empty() && m_far.empty(); }
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
    // Moves to the next instant that has events; false when there is none.
    bool advance();
    void recycle();

    std::vector<Event> m_current;  // due now, in uid order; m_head is the next to run
    std::size_t m_head = 0;
    std::vector<Event> m_next;  // due at now + 1, in uid order
    std::priority_queue<Event, std::vector<Event>, std::greater<>> m_far;
    std::vector<Callback> m_callbacks;  // std::function events, by index
    std::uint64_t m_nextUid = 0;
    std::uint64_t m_executed = 0;
    TimeUs m_now = 0;
};

}  // namespace cnmlab::sim
