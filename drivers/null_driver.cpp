// The null driver: Docker's predefined `none` network (libnetwork
// drivers/null/null.go). A container on it gets a sandbox with only a loopback
// interface: the driver creates nothing, sets no address, no gateway, no
// routes. Every call below succeeds and adds nothing to the Plan — which is the
// whole point of network_mode: none.
#include "drivers/builtin_drivers.hpp"

namespace cnmlab::drivers {

namespace {

// Nothing is shared between hosts (local scope); one `none` network per daemon
// (null.go CreateNetwork), which resolve() already guarantees; no interface, no
// gateway, nothing to publish: every call is NoInterfaceDriver's no-op.
class NullDriver final : public NoInterfaceDriver {
public:
    std::string type() const override { return "null"; }
};

}  // namespace

std::unique_ptr<Driver> makeNullDriver(const std::string& /*host*/, PlanBuilder& /*plan*/) {
    return std::make_unique<NullDriver>();
}

}  // namespace cnmlab::drivers
