#pragma once
// The protocol between the studio and `cnmlab live helper`, the one process
// that does what Live mode needs privileges for (building the topology,
// probing inside its namespaces, removing it). The studio never enters a
// namespace; it starts the helper with the user's consent (pkexec or sudo)
// and speaks this protocol on the helper's standard input and output, as
// Wireshark leaves capturing to dumpcap. Header only: the studio includes it
// without linking cnmlab::live.
//
// One JSON object per line each way (UTF-8, no newline inside an object).
//
// The helper speaks first, once:
//   {"hello": "cnmlab live helper", "version": 2, "uid": 0, "pid": 4242}
// A studio that does not know `version` stops there.
//
// Requests carry an `id` (any JSON value, echoed in the reply) and an `op`:
//   {"id": 1, "op": "up", "scenario": "<the Compose file's text>", "file": "shop.yaml"}
//       Builds the scenario as `cnmlab live up` does. The scenario travels as
//       text, so the helper never opens a file of the user's; `file` is only
//       the name used in messages (FILE:LINE:COL) and for the default
//       project name. A helper holds at most one scenario.
//   {"id": 2, "op": "matrix"}
//       The whole reach matrix (`cnmlab reach`) in the kernel and in the
//       simulation of the scenario that is up.
//   {"id": 3, "op": "probe", "from": "web", "to": "db", "proto": "tcp",
//    "port": 5432, "network": null, "resolve": null}
//       One question (`proto` icmp, tcp or udp; or `resolve`: a DNS name).
//   {"id": 4, "op": "status"}      what is up (`cnmlab live status`)
//   {"id": 5, "op": "down"}        removes it (`cnmlab live down`)
//
// Every reply has `id`, `ok`, and `code`, read as the exit codes of docs/command-line.md:
// 0 success; 1 a negative answer (for `up`: the scenario is already up); 2 a
// bad request or an invalid scenario; 3 this machine cannot do it (the
// `error` says what is missing). Failures carry `error`, successes their
// results:
//   up:     "message" (what `live up` printed), "prefix", "namespaces" (count)
//   matrix: "entries": [{"from", "to", "dst", "network", "proto", "port",
//            "sim" (bool), "kernel" (bool), "sim_outcome", "kernel_outcome"
//            (how each ended: "answered", "refused", "dropped", "no route",
//            "closed"), "detail" (what the kernel said)}],
//           in the order of the simulation's ReachMatrix, so a studio can
//           check each against its own simulation's entry
//   probe:  "sim" and "kernel" (answers as words: how the probe ended, as
//           above, "error" when the kernel's could not run, the resolved
//           addresses "a,b", or "nxdomain"),
//           "details" (what the kernel said for each address tried)
//   status: "up" (bool), "namespaces" (names), "daemon_pid"
//   down:   "message" (what `live down` printed)
//
// When its standard input closes (the studio quit, or crashed), or on
// SIGTERM, SIGINT or SIGHUP, the helper takes down what it brought up and
// exits.

namespace cnmlab::live {

inline constexpr int kHelperProtocolVersion = 2;
inline constexpr const char* kHelperHello = "cnmlab live helper";

}  // namespace cnmlab::live
