// cnmlab-plugin-contiv: cnmlab's contiv as a Docker remote network driver
// (contiv_plugin.hpp). `cnmlab-plugin-contiv --live` beside dockerd makes
// `docker network create -d contiv` work.
#include "plugins/contiv/contiv_plugin.hpp"
#include "plugins/sdk/plugin_main.hpp"

int main(int argc, char** argv) {
    using cnmlab::plugins::ContivPlugin;
    return cnmlab::plugins::runPluginMain(
        argc, argv, "contiv",
        [](const std::string& host, const std::vector<std::string>& args,
           const std::shared_ptr<cnmlab::plugins::Datastore>& store) {
            return std::make_unique<ContivPlugin>(host, store, ContivPlugin::parseOptions(args));
        });
}
