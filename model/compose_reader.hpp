#pragma once
// Reads a scenario file (docs/scenario-format.md) into a Scenario.
//
// Order of checks, each stopping at the first problem with FILE:LINE:COL:
//   1. YAML syntax, and the document must be a mapping;
//   2. the Compose specification's schema (keys and value types);
//   3. cnmlab's reading of each key (addresses, ports, modes, x- extensions);
//   4. references between objects (networks, services, hosts, externals,
//      probes, lesson steps, layout) and Compose's own rules
//      (network_mode with networks, service: cycles, ...).
// Address allocation (overlaps, static addresses) is checked afterwards by
// resolve() in topology.hpp, which callers run on the result (the command
// line's load() in app/cli_main.cpp, the live helper, the studio's document).
// Nothing is half-loaded: the result is returned only when every check passed.
// compose_reader_impl.hpp lists the files that read each section.

#include <string>
#include <string_view>

#include "model/scenario.hpp"

namespace cnmlab::model {

Scenario readScenario(std::string_view text, const std::string& file);

// Reads FILE, or standard input for "-". Throws Error (NotFound when the file
// cannot be read).
Scenario readScenarioFile(const std::string& path);

// The default Compose project name for a file: its stem, lower-cased, with
// characters Compose does not allow removed.
std::string defaultProjectName(const std::string& path);

}  // namespace cnmlab::model
