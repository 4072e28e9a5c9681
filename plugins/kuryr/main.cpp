// cnmlab-plugin-kuryr: cnmlab's kuryr as a Docker remote network driver
// (kuryr_plugin.hpp). `cnmlab-plugin-kuryr --live` beside dockerd makes
// `docker network create -d kuryr` work.
#include "plugins/kuryr/kuryr_plugin.hpp"
#include "plugins/sdk/plugin_main.hpp"

int main(int argc, char** argv) {
    using cnmlab::plugins::KuryrPlugin;
    return cnmlab::plugins::runPluginMain(
        argc, argv, "kuryr",
        [](const std::string& host, const std::vector<std::string>& args,
           const std::shared_ptr<cnmlab::plugins::Datastore>& store) {
            return std::make_unique<KuryrPlugin>(host, store, KuryrPlugin::parseOptions(args));
        });
}
