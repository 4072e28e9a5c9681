#pragma once
// Ending a live command cleanly on SIGINT, SIGTERM or SIGHUP: `live verify`
// builds namespaces it must remove, and a signal's default action would leave
// them. catchInterrupts() makes those signals set a flag instead;
// throwIfInterrupted(), called by the long loops (the probes' epoll loop),
// turns the flag into an exception, so the testbed's destructor removes what
// it built on the way out.

namespace cnmlab::live {

// Installs the handlers (process-wide; idempotent).
void catchInterrupts();

// Whether one of those signals arrived since catchInterrupts().
bool interrupted();

// Throws model::Error (System) naming the signal, when one arrived.
void throwIfInterrupted();

}  // namespace cnmlab::live
