#pragma once
// Where cnmlab finds a remote driver by name, as dockerd finds one in
// /run/docker/plugins: the directory answers a connection to the plugin as it
// runs on one Docker host. The plugins cnmlab ships (plugins/) live in the
// same program and are installed here by the programs' main()s; the drivers
// library itself knows none, so a plugin network without a directory is
// Unsupported.

#include <memory>
#include <string>

#include "drivers/remote_http.hpp"
#include "model/scenario.hpp"

namespace cnmlab::drivers {

// The plugins of one Plan: every host's plugin of a kind belongs to one
// cluster and shares what that cluster shares (a datastore, as etcd or
// Neutron's server would be), and a new Plan starts a new cluster.
class PluginSession {
public:
    virtual ~PluginSession() = default;
    PluginSession() = default;
    PluginSession(const PluginSession&) = delete;
    PluginSession& operator=(const PluginSession&) = delete;

    // A fresh connection to plugin `name` on `host` (a fresh plugin: one per
    // host, as each dockerd talks to its own), shipped or declared in the
    // scenario's x-plugins; nullptr when there is no such plugin. Throws
    // model::Error (System) when a declared plugin cannot be reached.
    virtual std::unique_ptr<remote::Transport>
    connect(const std::string& name, const std::string& host, const model::Scenario& scenario) = 0;
};

class PluginDirectory {
public:
    virtual ~PluginDirectory() = default;
    PluginDirectory() = default;
    PluginDirectory(const PluginDirectory&) = delete;
    PluginDirectory& operator=(const PluginDirectory&) = delete;

    virtual std::unique_ptr<PluginSession> session() = 0;
};

// The directory buildPlan() uses; set once by main() (not thread-safe to change
// while plans are built).
void setPluginDirectory(std::shared_ptr<PluginDirectory> directory);
std::shared_ptr<PluginDirectory> pluginDirectory();

}  // namespace cnmlab::drivers
