#include "plugins/sdk/check_command.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "drivers/remote_check.hpp"
#include "plugins/sdk/plugin_process.hpp"

namespace cnmlab::plugins {

namespace remote = drivers::remote;

namespace {

int report(remote::Transport& plugin, std::ostream& out) {
    const remote::CheckReport r = remote::checkPlugin(plugin);
    out << remote::formatCheckReport(r);
    if (!r.unreachable.empty()) {
        return 3;
    }
    return r.problemCount() == 0 ? 0 : 1;
}

}  // namespace

int runPluginCheck(const std::string& socket, const std::vector<std::string>& command,
                   std::ostream& out, std::ostream& err) {
    try {
        if (command.empty()) {
            remote::UnixSocketClient client(socket, {std::chrono::seconds(2)});
            return report(client, out);
        }
        SocketDir dir;
        const std::string path = dir.socket("plugin");
        PluginProcess process(command, path);
        // The plugin has 15 seconds to listen; it may not end before.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!std::filesystem::exists(path)) {
            if (const auto status = process.exited()) {
                err << fmt::format("cnmlab: the plugin '{}' exited with status {} before "
                                   "listening on {}\n",
                                   command[0], *status, path);
                return 3;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                err << fmt::format("cnmlab: the plugin '{}' did not listen on {} (given in "
                                   "CNMLAB_PLUGIN_SOCKET) within 15 seconds\n",
                                   command[0], path);
                return 3;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        remote::UnixSocketClient client(path, {std::chrono::seconds(2)});
        return report(client, out);
    } catch (const std::runtime_error& e) {
        err << "cnmlab: " << e.what() << "\n";
        return 3;
    }
}

}  // namespace cnmlab::plugins
