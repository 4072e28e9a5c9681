#include "sim/scheduler.hpp"

namespace cnmlab::sim {

Scheduler::EventId Scheduler::schedule(TimeUs delay, Callback fn) {
    const std::uint64_t uid = m_nextUid++;
    m_queue.push(Event{m_now + delay, uid});
    m_callbacks.push_back(std::move(fn));
    m_cancelled.push_back(false);
    return EventId{uid};
}

void Scheduler::cancel(EventId id) {
    if (id.uid >= m_base && id.uid < m_nextUid) {
        m_cancelled[id.uid - m_base] = true;
    }
}

std::uint64_t Scheduler::run(std::uint64_t maxEvents) {
    std::uint64_t ran = 0;
    while (!m_queue.empty() && ran < maxEvents) {
        const Event ev = m_queue.top();
        m_queue.pop();
        const std::size_t slot = ev.uid - m_base;
        if (m_cancelled[slot]) {
            continue;
        }
        m_now = ev.time;
        Callback fn = std::move(m_callbacks[slot]);
        fn();
        ++ran;
        ++m_executed;
    }
    if (m_queue.empty()) {
        // Nothing pending: recycle the callback storage.
        m_base = m_nextUid;
        m_callbacks.clear();
        m_cancelled.clear();
    }
    return ran;
}

void Scheduler::clear() {
    while (!m_queue.empty()) {
        m_queue.pop();
    }
    m_base = m_nextUid;
    m_callbacks.clear();
    m_cancelled.clear();
}

}  // namespace cnmlab::sim
