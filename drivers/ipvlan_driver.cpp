// The ipvlan driver (libnetwork drivers/ipvlan): slaves of the parent that
// share its MAC (a user mac_address is refused, as Docker refuses it). Modes
// l2 (the default) and l3: in l3 the endpoint has no gateway, only a default
// route out of the interface, and Docker skips docker_gwbridge
// (DisableGatewayService).
#include <fmt/format.h>

#include "drivers/builtin_drivers.hpp"
#include "drivers/parent_link_driver.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

class IpvlanDriver final : public ParentLinkDriver {
public:
    using ParentLinkDriver::ParentLinkDriver;
    std::string type() const override { return "ipvlan"; }

protected:
    std::pair<std::string, std::string> parentAndMode(const DriverOptions* options) const override {
        const auto* iv = options != nullptr ? std::get_if<IpvlanOptions>(options) : nullptr;
        return iv != nullptr ? std::pair{iv->parent, iv->mode}
                             : std::pair<std::string, std::string>{};
    }
    LinkKind slaveKind() const override { return LinkKind::Ipvlan; }
    std::string dummyPrefix() const override { return "di-"; }
    Mac slaveMac(const Link& parent, const std::string& /*name*/) const override {
        return parent.mac;
    }
    void endpointMac(const EndpointRequest& req, InterfaceInfo& iface) const override {
        if (iface.mac) {
            throw model::Error(model::ErrorKind::Invalid,
                               fmt::format("services.{}.mac_address: ipvlan interfaces do not "
                                           "support custom mac address assignment",
                                           req.container != nullptr ? req.container->service : ""));
        }
    }
    bool routesWithoutGateway(const std::string& mode) const override { return mode == "l3"; }
};

}  // namespace

std::unique_ptr<Driver> makeIpvlanDriver(const std::string& host, PlanBuilder& /*plan*/) {
    return std::make_unique<IpvlanDriver>(host);
}

}  // namespace cnmlab::drivers
