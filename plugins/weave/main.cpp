// cnmlab-plugin-weave: cnmlab's weave as a Docker remote network driver
// (weave_plugin.hpp). `cnmlab-plugin-weave --live` beside dockerd makes
// `docker network create -d weave` work.
#include "plugins/sdk/plugin_main.hpp"
#include "plugins/weave/weave_plugin.hpp"

int main(int argc, char** argv) {
    using cnmlab::plugins::WeavePlugin;
    return cnmlab::plugins::runPluginMain(
        argc, argv, "weave",
        [](const std::string& host, const std::vector<std::string>& args,
           const std::shared_ptr<cnmlab::plugins::Datastore>& /*store*/) {
            return std::make_unique<WeavePlugin>(host, WeavePlugin::parseOptions(args));
        });
}
