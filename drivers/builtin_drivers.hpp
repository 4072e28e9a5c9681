#pragma once
// Factories of the drivers cnmlab implements; only driver_registry.cpp calls
// them. Each is libnetwork's driver Init: it may program what the driver needs
// on the host once (the bridge driver creates Docker's iptables chains).

#include <memory>
#include <string>

#include "drivers/driver.hpp"

namespace cnmlab::drivers {

std::unique_ptr<Driver> makeNullDriver(const std::string& host, PlanBuilder& plan);
std::unique_ptr<Driver> makeHostDriver(const std::string& host, PlanBuilder& plan);
std::unique_ptr<Driver> makeBridgeDriver(const std::string& host, PlanBuilder& plan);

} // namespace cnmlab::drivers
