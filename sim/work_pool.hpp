#pragma once
// Work shared over threads, each with a state of its own. ScenarioSim::reach
// runs the sources of the reach matrix this way, each thread on a World of its
// own: the simulated kernel is not shared between threads, so nothing in it
// needs a lock.

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace cnmlab::sim {

// Calls `job(state, i)` once for every i in [0, count), on up to `threads`
// threads (0 or 1: the calling thread alone). The calling thread works on
// `callerState`; every extra thread first makes its own with `makeState()`.
// Indices are handed out in turn, so a thread that finishes early takes the
// next one. If the system gives fewer threads than asked, those running share
// the work. The first exception thrown by `makeState` or `job` stops the
// handing out and is rethrown here once every thread has stopped.
template <class State, class MakeState, class Job>
void forEachOnThreads(std::size_t count, unsigned threads, State& callerState, MakeState makeState,
                      Job job) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureLock;
    auto fail = [&] {
        const std::lock_guard<std::mutex> lock(failureLock);
        if (!failure) {
            failure = std::current_exception();
        }
        next = count;
    };
    auto work = [&](State& state) {
        try {
            for (std::size_t i = next++; i < count; i = next++) {
                job(state, i);
            }
        } catch (...) {
            fail();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
        try {
            pool.emplace_back([&] {
                try {
                    auto own = makeState();
                    work(own);
                } catch (...) {
                    fail();
                }
            });
        } catch (const std::system_error&) {
            break;  // no more threads to be had: the ones running share the work
        }
    }
    work(callerState);
    for (auto& th : pool) {
        th.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

}  // namespace cnmlab::sim
