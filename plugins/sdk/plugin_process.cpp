#include "plugins/sdk/plugin_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace cnmlab::plugins {

PluginProcess::PluginProcess(const std::vector<std::string>& argv, const std::string& socketPath,
                             const std::vector<std::string>& extraEnv) {
    if (argv.empty()) {
        throw std::runtime_error("no plugin command given");
    }
    std::vector<std::string> args = argv;
    for (auto& a : args) {
        if (a == "{socket}") {
            a = socketPath;
        }
    }
    std::vector<std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        if (std::strncmp(*e, "CNMLAB_PLUGIN_SOCKET=", 21) != 0) {
            env.emplace_back(*e);
        }
    }
    env.push_back("CNMLAB_PLUGIN_SOCKET=" + socketPath);
    env.insert(env.end(), extraEnv.begin(), extraEnv.end());
    std::vector<char*> cargs;
    std::vector<char*> cenv;
    for (auto& a : args) {
        cargs.push_back(a.data());
    }
    cargs.push_back(nullptr);
    for (auto& e : env) {
        cenv.push_back(e.data());
    }
    cenv.push_back(nullptr);
    const int rc = ::posix_spawnp(&m_pid, cargs[0], nullptr, nullptr, cargs.data(), cenv.data());
    if (rc != 0) {
        throw std::runtime_error(
            fmt::format("cannot start the plugin '{}': {}", args[0], std::strerror(rc)));
    }
}

std::optional<int> PluginProcess::exited() {
    if (m_status || m_pid <= 0) {
        return m_status;
    }
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return m_status;
}

PluginProcess::~PluginProcess() {
    if (exited()) {
        return;
    }
    ::kill(m_pid, SIGTERM);
    for (int i = 0; i < 200 && !exited(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!exited()) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
}

SocketDir::SocketDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cnmlab-plugin-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error(fmt::format("cannot make a directory for the plugin's socket: {}",
                                             std::strerror(errno)));
    }
    m_dir = tmpl;
}

SocketDir::~SocketDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

std::string SocketDir::socket(const std::string& name) const {
    return m_dir + "/" + name + ".sock";
}

}  // namespace cnmlab::plugins
