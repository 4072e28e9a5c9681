#pragma once
// The drivers of one Docker host, as dockerd registers them at start
// (libnetwork drivers_linux.go getInitializers). The list of drivers cnmlab
// implements is explicit and lives in driver_registry.cpp.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/driver.hpp"
#include "drivers/plugin_directory.hpp"

namespace cnmlab::drivers {

class DriverRegistry {
public:
    // Initialises every implemented driver for `host`, in the list's order; the
    // bridge driver's init writes Docker's chains and sysctls into `plan`.
    // `scenario` and `plugins`: for remote drivers (plugin_directory.hpp),
    // which are connected when a network first names them.
    DriverRegistry(const std::string& host, PlanBuilder& plan,
                   const model::Scenario* scenario = nullptr, PluginSession* plugins = nullptr);

    // The driver of `net`. Throws model::Error(Unsupported) at the network's
    // `driver:` key, naming the network and the driver, for a driver cnmlab does
    // not implement yet.
    Driver& driverFor(const model::NetworkInstance& net) const;

    // nullptr when `type` is not implemented.
    Driver* find(std::string_view type) const;

    // The remote drivers' last word, after every host is built (RemoteDriver::sync).
    void syncRemotes(PlanBuilder& plan);

private:
    std::string m_host;
    PlanBuilder& m_plan;
    const model::Scenario* m_scenario = nullptr;
    PluginSession* m_plugins = nullptr;
    // Remote drivers join the list when first used (driverFor is logically const).
    mutable std::vector<std::pair<std::string, std::unique_ptr<Driver>>> m_drivers;
};

}  // namespace cnmlab::drivers
