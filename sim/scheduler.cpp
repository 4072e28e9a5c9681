#include "sim/scheduler.hpp"

namespace cnmlab::sim {

Scheduler::EventId Scheduler::schedule(TimeUs delay, Handler fn, void* ctx, std::uint32_t a,
                                       std::uint32_t b) {
    const std::uint64_t uid = m_nextUid++;
    m_queue.push(Event{m_now + delay, uid, fn, ctx, a, b});
    m_cancelled.push_back(false);
    return EventId{uid};
}

Scheduler::EventId Scheduler::schedule(TimeUs delay, Callback fn) {
    m_callbacks.push_back(std::move(fn));
    return schedule(delay, &Scheduler::runCallback, this,
                    static_cast<std::uint32_t>(m_callbacks.size() - 1), 0);
}

void Scheduler::runCallback(void* self, std::uint32_t index, std::uint32_t) {
    auto* s = static_cast<Scheduler*>(self);
    Callback fn = std::move(s->m_callbacks[index]);
    fn();
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
        if (m_cancelled[ev.uid - m_base]) {
            continue;
        }
        m_now = ev.time;
        ev.fn(ev.ctx, ev.a, ev.b);
        ++ran;
        ++m_executed;
    }
    if (m_queue.empty()) {
        recycle();
    }
    return ran;
}

// Nothing pending: the bookkeeping starts afresh.
void Scheduler::recycle() {
    m_base = m_nextUid;
    m_callbacks.clear();
    m_cancelled.clear();
}

void Scheduler::clear() {
    while (!m_queue.empty()) {
        m_queue.pop();
    }
    recycle();
}

}  // namespace cnmlab::sim
