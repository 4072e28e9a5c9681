// cnmlab-plugin-calico: cnmlab's calico as a Docker remote network and IPAM
// driver (calico_plugin.hpp). `cnmlab-plugin-calico --live` beside dockerd
// makes `docker network create -d calico --ipam-driver calico` work.
#include "plugins/calico/calico_plugin.hpp"
#include "plugins/sdk/plugin_main.hpp"

int main(int argc, char** argv) {
    using cnmlab::plugins::CalicoPlugin;
    return cnmlab::plugins::runPluginMain(
        argc, argv, "calico",
        [](const std::string& host, const std::vector<std::string>& args,
           const std::shared_ptr<cnmlab::plugins::Datastore>& store) {
            return std::make_unique<CalicoPlugin>(host, store, CalicoPlugin::parseOptions(args));
        });
}
