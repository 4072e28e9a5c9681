#include "live/interrupt.hpp"

#include <signal.h>

#include <atomic>
#include <cstring>

#include <fmt/format.h>

#include "model/error.hpp"

namespace cnmlab::live {

namespace {

std::atomic<int> g_signal{0};

extern "C" void onInterrupt(int signo) {
    g_signal.store(signo);
}

}  // namespace

void catchInterrupts() {
    struct sigaction sa {};
    sa.sa_handler = onInterrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocking call returns EINTR at once
    for (int s : {SIGINT, SIGTERM, SIGHUP}) {
        ::sigaction(s, &sa, nullptr);
    }
}

bool interrupted() {
    return g_signal.load() != 0;
}

void throwIfInterrupted() {
    if (const int s = g_signal.load(); s != 0) {
        throw model::Error(model::ErrorKind::System,
                           fmt::format("interrupted by {} ({}): what was built is removed",
                                       sigabbrev_np(s) != nullptr ? sigabbrev_np(s) : "a signal",
                                       ::strsignal(s)));
    }
}

}  // namespace cnmlab::live
