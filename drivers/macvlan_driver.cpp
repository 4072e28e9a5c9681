// The macvlan driver (libnetwork drivers/macvlan): slaves of the parent with a
// MAC of their own, 02:42 + the IPv4 address as Docker gives it (the user's
// mac_address if set). Modes bridge (the default), private, vepa, passthru;
// what the slaves do with frames is the simulated kernel's (sim/slave_links).
#include <fmt/format.h>

#include "drivers/builtin_drivers.hpp"
#include "drivers/names.hpp"
#include "drivers/parent_link_driver.hpp"

namespace cnmlab::drivers {

namespace {

class MacvlanDriver final : public ParentLinkDriver {
public:
    using ParentLinkDriver::ParentLinkDriver;
    std::string type() const override { return "macvlan"; }

protected:
    std::pair<std::string, std::string> parentAndMode(const DriverOptions* options) const override {
        const auto* mv = options != nullptr ? std::get_if<MacvlanOptions>(options) : nullptr;
        return mv != nullptr ? std::pair{mv->parent, mv->mode}
                             : std::pair<std::string, std::string>{};
    }
    LinkKind slaveKind() const override { return LinkKind::Macvlan; }
    std::string dummyPrefix() const override { return "dm-"; }
    Mac slaveMac(const Link& /*parent*/, const std::string& name) const override {
        return kernelMac(host() + "/" + name);
    }
    void endpointMac(const EndpointRequest& /*req*/, InterfaceInfo& iface) const override {
        iface.mac = iface.mac.value_or(model::macFromIp(iface.address.address));
    }
};

}  // namespace

std::unique_ptr<Driver> makeMacvlanDriver(const std::string& host, PlanBuilder& /*plan*/) {
    return std::make_unique<MacvlanDriver>(host);
}

}  // namespace cnmlab::drivers
