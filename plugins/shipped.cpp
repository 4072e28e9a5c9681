#include "plugins/shipped.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "drivers/plugin_directory.hpp"
#include "model/error.hpp"
#include "plugins/calico/calico_plugin.hpp"
#include "plugins/contiv/contiv_plugin.hpp"
#include "plugins/kuryr/kuryr_plugin.hpp"
#include "plugins/sdk/plugin_process.hpp"
#include "plugins/weave/weave_plugin.hpp"

namespace cnmlab::plugins {

namespace {

// One Plan's plugins: a datastore per plugin kind, shared by its hosts.
class ShippedSession final : public drivers::PluginSession {
public:
    std::unique_ptr<remote::Transport> connect(const std::string& name, const std::string& host,
                                               const model::Scenario& scenario) override {
        if (const model::PluginSpec* spec = scenario.findPlugin(name)) {
            return connectDeclared(*spec, host, scenario);
        }
        auto& store = m_stores[name];
        if (!store) {
            store = std::make_shared<MemoryStore>();
        }
        auto plugin = makeShippedPlugin(name, host, store);
        if (!plugin) {
            return nullptr;
        }
        return std::make_unique<InProcessTransport>(std::move(plugin), name + "@" + host);
    }

private:
    // x-plugins: a socket, or the command started for this host on a socket
    // of its own (stopped with the session: one Plan's worth).
    std::unique_ptr<remote::Transport> connectDeclared(const model::PluginSpec& spec,
                                                       const std::string& host,
                                                       const model::Scenario& scenario) {
        if (!spec.socket.empty()) {
            return std::make_unique<remote::UnixSocketClient>(
                spec.socket, remote::UnixClientOptions{std::chrono::seconds(5)});
        }
        std::vector<std::string> argv = spec.command;
        // A relative program path is the scenario file's neighbour.
        if (argv[0].find('/') != std::string::npos && argv[0][0] != '/' && scenario.file != "-") {
            argv[0] = (std::filesystem::path(scenario.file).parent_path() / argv[0]).string();
        }
        m_dirs.push_back(std::make_unique<SocketDir>());
        const std::string path = m_dirs.back()->socket(spec.name);
        try {
            m_processes.push_back(std::make_unique<PluginProcess>(
                argv, path, std::vector<std::string>{"CNMLAB_PLUGIN_HOST=" + host}));
        } catch (const std::runtime_error& e) {
            throw model::Error(model::ErrorKind::System,
                               fmt::format("x-plugins.{}.command: {}", spec.name, e.what()),
                               spec.pos);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!std::filesystem::exists(path)) {
            if (const auto status = m_processes.back()->exited()) {
                throw model::Error(model::ErrorKind::System,
                                   fmt::format("x-plugins.{}.command: the plugin exited with "
                                               "status {} before listening (on {})",
                                               spec.name, *status, host),
                                   spec.pos);
            }
            if (std::chrono::steady_clock::now() > deadline) {
                throw model::Error(model::ErrorKind::System,
                                   fmt::format("x-plugins.{}.command: the plugin did not listen "
                                               "on the socket in CNMLAB_PLUGIN_SOCKET within 15 "
                                               "seconds (on {})",
                                               spec.name, host),
                                   spec.pos);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::make_unique<remote::UnixSocketClient>(
            path, remote::UnixClientOptions{std::chrono::seconds(5)});
    }

    std::map<std::string, std::shared_ptr<Datastore>> m_stores;
    // Declared order: the processes stop before their directories go.
    std::vector<std::unique_ptr<SocketDir>> m_dirs;
    std::vector<std::unique_ptr<PluginProcess>> m_processes;
};

class ShippedDirectory final : public drivers::PluginDirectory {
public:
    std::unique_ptr<drivers::PluginSession> session() override {
        return std::make_unique<ShippedSession>();
    }
};

}  // namespace

std::unique_ptr<NetworkPlugin> makeShippedPlugin(const std::string& name, const std::string& host,
                                                 const std::shared_ptr<Datastore>& store) {
    if (name == "weave") {
        return std::make_unique<WeavePlugin>(host);
    }
    if (name == "calico") {
        return std::make_unique<CalicoPlugin>(host, store);
    }
    if (name == "kuryr") {
        return std::make_unique<KuryrPlugin>(host, store);
    }
    if (name == "contiv") {
        return std::make_unique<ContivPlugin>(host, store);
    }
    return nullptr;
}

std::vector<std::string> shippedPluginNames() {
    return {"calico", "contiv", "kuryr", "weave"};
}

void installShippedPlugins() {
    drivers::setPluginDirectory(std::make_shared<ShippedDirectory>());
}

}  // namespace cnmlab::plugins
