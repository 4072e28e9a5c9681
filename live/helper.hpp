#pragma once
// `cnmlab live helper`: serves the protocol of live/helper_protocol.hpp on two
// file descriptors, for a studio that runs as a normal user and started this
// process as root (through pkexec or sudo).
//
// What it does with privileges is what the command line does: `up` and `down`
// run this very program (/proc/self/exe) as `cnmlab live up FILE` and `live
// down FILE` on a private copy of the scenario text (so forking the services
// daemon happens in a single-threaded child, and the exit codes are the
// CLI's), `status` reads, and `matrix` and `probe` are answered on a thread
// each by the questions the caller gives (verify/helper_questions.hpp: the
// kernel and the simulation side by side; live knows nothing of the latter).

#include <functional>

#include <nlohmann/json.hpp>

#include "drivers/plan.hpp"
#include "model/topology.hpp"

namespace cnmlab::live {

// The answers to `matrix` (its "entries") and `probe` (its reply) for the
// scenario that is up. Called on worker threads; throw model::Error.
struct HelperQuestions {
    std::function<nlohmann::json(const model::Topology&, const drivers::Plan&)> matrix;
    std::function<nlohmann::json(const model::Topology&, const drivers::Plan&,
                                 const nlohmann::json&)>
        probe;
};

// Writes the hello, then serves requests read from `in` and writes replies to
// `out` until `in` reaches its end or SIGTERM, SIGINT or SIGHUP arrives; then
// takes down the scenario it brought up, if any. Returns the process's exit
// code: 0, or 3 when the final `live down` failed. Call it from a process's
// main thread before starting any other thread (it blocks those signals for
// the threads it starts).
int runLiveHelper(int in, int out, HelperQuestions questions);

}  // namespace cnmlab::live
