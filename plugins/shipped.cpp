#include "plugins/shipped.hpp"

#include <map>

#include "drivers/plugin_directory.hpp"
#include "plugins/calico/calico_plugin.hpp"
#include "plugins/kuryr/kuryr_plugin.hpp"
#include "plugins/weave/weave_plugin.hpp"

namespace cnmlab::plugins {

namespace {

// One Plan's plugins: a datastore per plugin kind, shared by its hosts.
class ShippedSession final : public drivers::PluginSession {
public:
    std::unique_ptr<remote::Transport> connect(const std::string& name,
                                               const std::string& host) override {
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
    std::map<std::string, std::shared_ptr<Datastore>> m_stores;
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
    return nullptr;
}

std::vector<std::string> shippedPluginNames() {
    return {"calico", "kuryr", "weave"};
}

void installShippedPlugins() {
    drivers::setPluginDirectory(std::make_shared<ShippedDirectory>());
}

}  // namespace cnmlab::plugins
