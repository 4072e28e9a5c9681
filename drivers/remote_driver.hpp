#pragma once
// libnetwork's remote driver (drivers/remote/driver.go): a network driver that
// is a plugin, reached over Docker's plugin protocol (remote_api.hpp,
// remote_http.hpp). Each driverapi call becomes the request libnetwork
// writes; each reply is read and applied as libnetwork applies it (the MAC
// CreateEndpoint may set, Join's interface, gateway, static routes and
// DisableGatewayService), and a reply libnetwork rejects fails in its words.
//
// What the plugin builds in its host, libnetwork never sees: the kernel does.
// cnmlab asks the plugin (its "CnmlabPlan" extension) after every call and
// replays the plugin's changes into the Plan, so the simulation runs what the
// plugin built. Every exchange is kept, for the studio's event list.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/driver.hpp"
#include "drivers/remote_api.hpp"
#include "drivers/remote_http.hpp"
#include "model/scenario.hpp"

namespace cnmlab::drivers {

class RemoteDriver final : public Driver {
public:
    // Activates the plugin (Plugin.Activate, GetCapabilities) and tells it of
    // the Docker hosts, as libnetwork does for a global-scope driver (DiscoverNew
    // with NodeDiscovery: this host with Self, then the others). Throws
    // model::Error: System when it cannot be reached, Unsupported when it is
    // no network driver or cannot say what it builds.
    RemoteDriver(std::string type, std::unique_ptr<remote::Transport> transport,
                 const model::Scenario& scenario, std::string host, PlanBuilder& plan);
    ~RemoteDriver() override;

    std::string type() const override { return m_type; }
    Capability capability() const override { return m_capability; }

    void createNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void deleteNetwork(const NetworkRequest& req, PlanBuilder& plan) override;
    void createEndpoint(const EndpointRequest& req, InterfaceInfo& iface,
                        PlanBuilder& plan) override;
    void deleteEndpoint(const EndpointRequest& req, PlanBuilder& plan) override;
    void join(const EndpointRequest& req, const std::string& sandbox, JoinInfo& info,
              PlanBuilder& plan) override;
    void leave(const EndpointRequest& req, PlanBuilder& plan) override;
    void programExternalConnectivity(const EndpointRequest& req,
                                     const std::vector<PortBinding>& ports,
                                     PlanBuilder& plan) override;
    void revokeExternalConnectivity(const EndpointRequest& req, PlanBuilder& plan) override;

    // After every host has made its networks and containers: the plugin's
    // last word on what it builds (routes to other hosts, as its control plane
    // would have spread them by now).
    void sync(PlanBuilder& plan);

private:
    // One call: the reply's JSON when it is 200 and decodes; else throws
    // model::Error with libnetwork's message. `optional`: a 404 is
    // no error (ProgramExternalConnectivity, RevokeExternalConnectivity).
    // Errors name `net`'s key and position (none for the plugin's activation).
    remote::Json call(const char* path, const std::optional<remote::Json>& request,
                      const model::NetworkInstance* net, bool optional = false);
    void pullChanges(PlanBuilder& plan);
    // The network's IPAM is this plugin's (`ipam: {driver: NAME}`).
    bool ownIpam(const model::NetworkInstance* net) const;
    std::string mapNetns(const std::string& netns) const;

    std::string m_type;
    std::unique_ptr<remote::Transport> m_transport;
    std::string m_host;
    Capability m_capability;
    std::size_t m_journalNext = 0;
    PlanBuilder* m_plan = nullptr;                 // where calls are recorded
    std::optional<std::size_t> m_lastCall;         // the call the next changes follow
    std::string m_addressSpace;                    // the plugin IPAM's, once asked
    std::map<std::string, std::string> m_poolIds;  // network key -> PoolID
    std::optional<model::ShippedPlugin> m_traits;  // what the model assumed of the plugin
};

}  // namespace cnmlab::drivers
