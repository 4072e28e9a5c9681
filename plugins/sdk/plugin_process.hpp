#pragma once
// A plugin started as a child process, for `cnmlab plugin check -- COMMAND...`
// and `x-plugins: {NAME: {command: [...]}}`: the command is told where to
// listen by the environment variable CNMLAB_PLUGIN_SOCKET, and by any argument
// that is exactly "{socket}", which is replaced by the path. It is stopped
// (SIGTERM, then SIGKILL after two seconds) when this object goes.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace cnmlab::plugins {

class PluginProcess {
public:
    // Throws std::runtime_error when the program cannot be started.
    PluginProcess(const std::vector<std::string>& argv, const std::string& socketPath,
                  const std::vector<std::string>& extraEnv = {});
    ~PluginProcess();
    PluginProcess(const PluginProcess&) = delete;
    PluginProcess& operator=(const PluginProcess&) = delete;

    // The exit status once the process has ended (a signal: 128 + its number).
    std::optional<int> exited();

private:
    pid_t m_pid = -1;
    std::optional<int> m_status;
};

// A fresh private directory for a plugin's socket (mkdtemp), removed with it.
class SocketDir {
public:
    SocketDir();
    ~SocketDir();
    SocketDir(const SocketDir&) = delete;
    SocketDir& operator=(const SocketDir&) = delete;
    std::string socket(const std::string& name) const;

private:
    std::string m_dir;
};

}  // namespace cnmlab::plugins
