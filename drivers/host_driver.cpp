// The host driver: Docker's predefined `host` network (libnetwork
// drivers/host/host.go). A container on it has no sandbox namespace of its own:
// libnetwork gives it the host's namespace (the "default sandbox"), so its
// processes bind the host's own addresses. The driver creates nothing; the
// controller does not create a namespace for such a container, and its
// listeners go into the host's namespace. Published ports are discarded by
// dockerd in this mode ("Published ports are discarded when using host network
// mode"), so external connectivity has nothing to program either.
#include "drivers/builtin_drivers.hpp"

namespace cnmlab::drivers {

namespace {

// No interface to make or move: the sandbox already is the host's namespace.
class HostDriver final : public NoInterfaceDriver {
public:
    std::string type() const override { return "host"; }
};

}  // namespace

std::unique_ptr<Driver> makeHostDriver(const std::string& /*host*/, PlanBuilder& /*plan*/) {
    return std::make_unique<HostDriver>();
}

}  // namespace cnmlab::drivers
