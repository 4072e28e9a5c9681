// The null driver: Docker's predefined `none` network (libnetwork
// drivers/null/null.go). A container on it gets a sandbox with only a loopback
// interface: the driver creates nothing, sets no address, no gateway, no
// routes. Every call below succeeds and adds nothing to the Plan — which is the
// whole point of network_mode: none.
#include "drivers/builtin_drivers.hpp"

namespace cnmlab::drivers {

namespace {

class NullDriver final : public Driver {
public:
    std::string type() const override { return "null"; }

    // Nothing is shared between hosts: local data, local connectivity.
    Capability capability() const override { return {Scope::Local, Scope::Local}; }

    // libnetwork allows one `none` network per daemon (null.go CreateNetwork);
    // resolve() already guarantees that.
    void createNetwork(const NetworkRequest&, PlanBuilder&) override {}
    void deleteNetwork(const NetworkRequest&, PlanBuilder&) override {}

    // No interface: the controller's InterfaceInfo is left as it is and unused.
    void createEndpoint(const EndpointRequest&, InterfaceInfo&, PlanBuilder&) override {}
    void deleteEndpoint(const EndpointRequest&, PlanBuilder&) override {}

    // No srcName, no gateway: the sandbox keeps only its lo.
    void join(const EndpointRequest&, const std::string&, JoinInfo&, PlanBuilder&) override {}
    void leave(const EndpointRequest&, PlanBuilder&) override {}

    // Nothing to reach, nothing to publish.
    void programExternalConnectivity(const EndpointRequest&, const std::vector<PortBinding>&,
                                     PlanBuilder&) override {}
    void revokeExternalConnectivity(const EndpointRequest&, PlanBuilder&) override {}
};

} // namespace

std::unique_ptr<Driver> makeNullDriver(const std::string& /*host*/, PlanBuilder& /*plan*/) {
    return std::make_unique<NullDriver>();
}

} // namespace cnmlab::drivers
