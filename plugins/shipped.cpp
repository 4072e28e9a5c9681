#include "plugins/shipped.hpp"

#include "drivers/plugin_directory.hpp"
#include "plugins/weave/weave_plugin.hpp"

namespace cnmlab::plugins {

namespace {

class ShippedDirectory final : public drivers::PluginDirectory {
public:
    std::unique_ptr<remote::Transport> connect(const std::string& name,
                                               const std::string& host) override {
        auto plugin = makeShippedPlugin(name, host);
        if (!plugin) {
            return nullptr;
        }
        return std::make_unique<InProcessTransport>(std::move(plugin), name + "@" + host);
    }
};

}  // namespace

std::unique_ptr<NetworkPlugin> makeShippedPlugin(const std::string& name, const std::string& host) {
    if (name == "weave") {
        return std::make_unique<WeavePlugin>(host);
    }
    return nullptr;
}

std::vector<std::string> shippedPluginNames() {
    return {"weave"};
}

void installShippedPlugins() {
    drivers::setPluginDirectory(std::make_shared<ShippedDirectory>());
}

}  // namespace cnmlab::plugins
