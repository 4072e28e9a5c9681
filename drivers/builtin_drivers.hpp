#pragma once
// Factories of the drivers cnmlab implements; only driver_registry.cpp calls
// them. Each is libnetwork's driver Init: it may program what the driver needs
// on the host once (the bridge driver creates Docker's iptables chains).

#include <memory>
#include <string>

#include "drivers/driver.hpp"

namespace cnmlab::drivers {

// A driver that creates nothing for any driverapi call: the base of the host
// and null drivers, whose containers get no interface of their own (host: the
// host's namespace; null: loopback only). Subclasses name themselves.
class NoInterfaceDriver : public Driver {
public:
    Capability capability() const override { return {Scope::Local, Scope::Local}; }
    void createNetwork(const NetworkRequest&, PlanBuilder&) override {}
    void deleteNetwork(const NetworkRequest&, PlanBuilder&) override {}
    void createEndpoint(const EndpointRequest&, InterfaceInfo&, PlanBuilder&) override {}
    void deleteEndpoint(const EndpointRequest&, PlanBuilder&) override {}
    void join(const EndpointRequest&, const std::string&, JoinInfo&, PlanBuilder&) override {}
    void leave(const EndpointRequest&, PlanBuilder&) override {}
    void programExternalConnectivity(const EndpointRequest&, const std::vector<PortBinding>&,
                                     PlanBuilder&) override {}
    void revokeExternalConnectivity(const EndpointRequest&, PlanBuilder&) override {}
};

std::unique_ptr<Driver> makeNullDriver(const std::string& host, PlanBuilder& plan);
std::unique_ptr<Driver> makeHostDriver(const std::string& host, PlanBuilder& plan);
std::unique_ptr<Driver> makeBridgeDriver(const std::string& host, PlanBuilder& plan);
std::unique_ptr<Driver> makeOverlayDriver(const std::string& host, PlanBuilder& plan);
// parent_link_drivers.cpp
std::unique_ptr<Driver> makeMacvlanDriver(const std::string& host, PlanBuilder& plan);
std::unique_ptr<Driver> makeIpvlanDriver(const std::string& host, PlanBuilder& plan);

}  // namespace cnmlab::drivers
