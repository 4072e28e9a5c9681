#include "drivers/driver_registry.hpp"

#include <array>

#include <fmt/format.h>

#include "drivers/builtin_drivers.hpp"
#include "drivers/plugin_directory.hpp"
#include "drivers/remote_driver.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

using Factory = std::unique_ptr<Driver> (*)(const std::string&, PlanBuilder&);

struct Registration {
    std::string_view type;
    Factory make;
};

// THE list of built-in drivers, in libnetwork's registration order (bridge,
// host, ipvlan, macvlan, null, overlay). Remote (plugin) drivers come from the
// plugin directory when a network first names one.
constexpr std::array kDrivers = {
    Registration{"bridge", &makeBridgeDriver}, Registration{"host", &makeHostDriver},
    Registration{"ipvlan", &makeIpvlanDriver}, Registration{"macvlan", &makeMacvlanDriver},
    Registration{"null", &makeNullDriver},     Registration{"overlay", &makeOverlayDriver},
};

}  // namespace

DriverRegistry::DriverRegistry(const std::string& host, PlanBuilder& plan,
                               const model::Scenario* scenario, PluginSession* plugins)
    : m_host(host), m_plan(plan), m_scenario(scenario), m_plugins(plugins) {
    for (const auto& r : kDrivers) {
        m_drivers.emplace_back(std::string(r.type), r.make(host, plan));
    }
}

Driver* DriverRegistry::find(std::string_view type) const {
    for (const auto& [name, driver] : m_drivers) {
        if (name == type) {
            return driver.get();
        }
    }
    return nullptr;
}

void DriverRegistry::syncRemotes(PlanBuilder& plan) {
    for (auto& [name, driver] : m_drivers) {
        if (auto* remote = dynamic_cast<RemoteDriver*>(driver.get())) {
            remote->sync(plan);
        }
    }
}

Driver& DriverRegistry::driverFor(const model::NetworkInstance& net) const {
    if (Driver* d = find(net.driver)) {
        return *d;
    }
    const model::SourcePos pos = net.spec != nullptr ? net.spec->driverPos : model::SourcePos{};
    // plugins.Get(name, "NetworkDriver"): the plugin directory.
    if (m_plugins != nullptr && m_scenario != nullptr) {
        if (auto transport = m_plugins->connect(net.driver, m_host, *m_scenario)) {
            try {
                m_drivers.emplace_back(
                    net.driver, std::make_unique<RemoteDriver>(net.driver, std::move(transport),
                                                               *m_scenario, m_host, m_plan));
            } catch (const model::Error& e) {
                throw model::Error(
                    e.kind(), fmt::format("networks.{}.driver: {}", net.key, e.message()), pos);
            }
            return *m_drivers.back().second;
        }
    }
    const bool plugin = net.driver.find('/') != std::string::npos;
    throw model::Error(
        model::ErrorKind::Unsupported,
        fmt::format(
            "networks.{}.driver: the {} driver '{}' of network {} is not "
            "implemented by cnmlab yet (implemented: bridge, host, none, macvlan, ipvlan, overlay, "
            "and the plugins cnmlab ships when its plugin directory is installed)",
            net.key, plugin ? "plugin" : "network", net.driver, net.name),
        pos);
}

}  // namespace cnmlab::drivers
