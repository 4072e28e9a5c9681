#pragma once
// `cnmlab live helper`: serves the protocol of live/helper_protocol.hpp on two
// file descriptors, for a studio that runs as a normal user and started this
// process as root (through pkexec or sudo).
//
// What it does with privileges is what the command line does: `up` and `down`
// run this very program (/proc/self/exe) as `cnmlab live up FILE` and `live
// down FILE` on a private copy of the scenario text (so forking the services
// daemon happens in a single-threaded child, and the exit codes are the
// CLI's), `status` reads, and `matrix` and `probe` run live::Prober on a
// thread each (live/helper_probes.hpp).

namespace cnmlab::live {

// Writes the hello, then serves requests read from `in` and writes replies to
// `out` until `in` reaches its end or SIGTERM, SIGINT or SIGHUP arrives; then
// takes down the scenario it brought up, if any. Returns the process's exit
// code: 0, or 3 when the final `live down` failed. Call it from a process's
// main thread before starting any other thread (it blocks those signals for
// the threads it starts).
int runLiveHelper(int in, int out);

}  // namespace cnmlab::live
