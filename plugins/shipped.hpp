#pragma once
// The plugins cnmlab ships, by driver name, and the plugin directory that
// serves them to the simulation in process (drivers/plugin_directory.hpp):
// one fresh plugin per host, reached through the protocol's JSON.

#include <memory>
#include <string>
#include <vector>

#include "plugins/sdk/datastore.hpp"
#include "plugins/sdk/network_plugin.hpp"

namespace cnmlab::plugins {

// nullptr when cnmlab ships no plugin of that name. `host`: the Docker host it
// runs on (its name seeds what the kernel would pick at random); `store`: its
// cluster's datastore.
std::unique_ptr<NetworkPlugin> makeShippedPlugin(const std::string& name, const std::string& host,
                                                 const std::shared_ptr<Datastore>& store);

std::vector<std::string> shippedPluginNames();

// Installs the directory of shipped plugins for buildPlan(); main()s call it.
void installShippedPlugins();

}  // namespace cnmlab::plugins
