#pragma once
// `cnmlab plugin check SOCKET` and `cnmlab plugin check -- COMMAND...`: the
// report of drivers/remote_check.hpp, for a plugin listening on SOCKET or for
// COMMAND started on a private socket (plugin_process.hpp). Exit status: 0
// when Docker would accept every reply, 1 when it would reject one, 3 when the
// plugin cannot be reached (or exits first).

#include <ostream>
#include <string>
#include <vector>

namespace cnmlab::plugins {

int runPluginCheck(const std::string& socket, const std::vector<std::string>& command,
                   std::ostream& out, std::ostream& err);

}  // namespace cnmlab::plugins
