#pragma once
// The main() of a plugin program: serve Docker's plugin protocol on a unix
// socket until SIGINT or SIGTERM.
//   --socket PATH   where to listen (default: $CNMLAB_PLUGIN_SOCKET, else
//                   /run/docker/plugins/NAME.sock, where dockerd looks)
//   --live          build what the plugin describes in the network namespace
//                   it runs in, with the live executor (as under real Docker)
//   --log           print every request and reply on standard error
//   --store DIR     the cluster's datastore, shared with the other hosts'
//                   plugins (datastore.hpp; default: this process's memory)
// Without --live the plugin only describes what it would build (for
// `cnmlab plugin check` and the simulation over the protocol). Other
// arguments are the plugin's own: the factory reads them and throws
// std::invalid_argument for one it does not know.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plugins/sdk/datastore.hpp"
#include "plugins/sdk/network_plugin.hpp"

namespace cnmlab::plugins {

using PluginFactory = std::function<std::unique_ptr<NetworkPlugin>(
    const std::string& hostName, const std::vector<std::string>& args,
    std::shared_ptr<Datastore> store)>;

int runPluginMain(int argc, char** argv, const std::string& name, const PluginFactory& make);

}  // namespace cnmlab::plugins
