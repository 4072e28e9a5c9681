#include "sim/scheduler.hpp"

namespace cnmlab::sim {

void Scheduler::schedule(TimeUs delay, Handler fn, void* ctx, std::uint32_t a, std::uint32_t b) {
    const std::uint64_t uid = m_nextUid++;
    const Event ev{m_now + delay, uid, fn, ctx, a, b};
    if (delay == 0) {
        m_current.push_back(ev);
    } else if (delay == 1) {
        m_next.push_back(ev);
    } else {
        m_far.push(ev);
    }
}

void Scheduler::schedule(TimeUs delay, Callback fn) {
    m_callbacks.push_back(std::move(fn));
    schedule(delay, &Scheduler::runCallback, this,
             static_cast<std::uint32_t>(m_callbacks.size() - 1), 0);
}

void Scheduler::runCallback(void* self, std::uint32_t index, std::uint32_t) {
    auto* s = static_cast<Scheduler*>(self);
    Callback fn = std::move(s->m_callbacks[index]);
    fn();
}

bool Scheduler::advance() {
    m_current.clear();
    m_head = 0;
    if (m_next.empty() && m_far.empty()) {
        return false;
    }
    // Heap events are at least 1 us ahead too (those of this instant were moved here).
    const TimeUs t = m_next.empty() ? m_far.top().time : m_now + 1;
    m_now = t;
    // Heap events of this instant were scheduled before any next-instant event.
    while (!m_far.empty() && m_far.top().time == t) {
        m_current.push_back(m_far.top());
        m_far.pop();
    }
    if (!m_next.empty()) {
        if (m_current.empty()) {
            m_current.swap(m_next);
        } else {
            m_current.insert(m_current.end(), m_next.begin(), m_next.end());
            m_next.clear();
        }
    }
    return true;
}

std::uint64_t Scheduler::run(std::uint64_t maxEvents) {
    std::uint64_t ran = 0;
    while (ran < maxEvents) {
        if (m_head == m_current.size() && !advance()) {
            break;
        }
        const Event ev = m_current[m_head++];
        ev.fn(ev.ctx, ev.a, ev.b);
        ++ran;
        ++m_executed;
    }
    if (empty()) {
        recycle();
    }
    return ran;
}

// Nothing pending: the bookkeeping starts afresh.
void Scheduler::recycle() {
    m_current.clear();
    m_head = 0;
    m_callbacks.clear();
}

void Scheduler::clear() {
    m_next.clear();
    while (!m_far.empty()) {
        m_far.pop();
    }
    recycle();
}

}  // namespace cnmlab::sim
