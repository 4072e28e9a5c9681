#pragma once
// The plugin's end of Docker's remote driver protocol: a NetworkPlugin answers
// libnetwork's calls as typed requests and replies (drivers/remote_api.hpp);
// dispatch() turns one HTTP POST into the call and its reply into the HTTP
// answer, as docker/go-plugins-helpers does for Go plugins: 200 with the
// reply's JSON, 500 with {"Err": MESSAGE} when the call throws PluginError,
// 400 for a body that does not decode, 404 for a path the plugin does not
// serve (Go's "404 page not found").
//
// The same plugin object serves a unix socket (plugin_server.hpp), for real
// Docker and for `cnmlab live`, or cnmlab in process (InProcessTransport), for
// the simulation. Either way every exchange is the protocol's JSON.

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "drivers/remote_api.hpp"
#include "drivers/remote_http.hpp"
#include "plugins/sdk/host_plan.hpp"

namespace cnmlab::plugins {

namespace remote = drivers::remote;

// A call the plugin refuses; the message goes to dockerd as {"Err": ...}.
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class NetworkPlugin {
public:
    virtual ~NetworkPlugin() = default;
    NetworkPlugin() = default;
    NetworkPlugin(const NetworkPlugin&) = delete;
    NetworkPlugin& operator=(const NetworkPlugin&) = delete;

    // Plugin.Activate: "NetworkDriver", and "IpamDriver" when ipam() is served.
    virtual bool servesIpam() const { return false; }

    virtual remote::CapabilitiesResponse capabilities() = 0;
    virtual void createNetwork(const remote::CreateNetworkRequest& req) = 0;
    virtual void deleteNetwork(const remote::NetworkRequest& req) = 0;
    virtual remote::CreateEndpointResponse
    createEndpoint(const remote::CreateEndpointRequest& req) = 0;
    virtual void deleteEndpoint(const remote::EndpointRequest& req) = 0;
    virtual remote::Json endpointOperInfo(const remote::EndpointRequest&) {
        return remote::Json::object();
    }
    virtual remote::JoinResponse join(const remote::JoinRequest& req) = 0;
    virtual void leave(const remote::EndpointRequest& req) = 0;
    virtual void discoverNew(const remote::DiscoveryNotification&) {}
    virtual void discoverDelete(const remote::DiscoveryNotification&) {}
    virtual void programExternalConnectivity(const remote::ProgramExternalConnectivityRequest&) {}
    virtual void revokeExternalConnectivity(const remote::EndpointRequest&) {}

    // IpamDriver, when servesIpam().
    virtual remote::AddressSpacesResponse addressSpaces() { return {}; }
    virtual remote::RequestPoolResponse requestPool(const remote::RequestPoolRequest&) {
        throw PluginError("this plugin has no IPAM driver");
    }
    virtual void releasePool(const remote::ReleasePoolRequest&) {}
    virtual remote::RequestAddressResponse requestAddress(const remote::RequestAddressRequest&) {
        throw PluginError("this plugin has no IPAM driver");
    }
    virtual void releaseAddress(const remote::ReleaseAddressRequest&) {}

    // cnmlab's extension (remote_api.hpp, path::kPlanChanges): what the plugin
    // builds, journalled. nullptr: the plugin cannot say.
    virtual HostPlan* hostPlan() { return nullptr; }
    // Brings what the plugin builds up to date with the rest of its cluster
    // (peers, their routes) before cnmlab reads it, as its control plane
    // would have by then.
    virtual void reconcile() {}
};

// One POST to `plugin`.
remote::HttpReply dispatch(NetworkPlugin& plugin, const std::string& path, const std::string& body);

// cnmlab's end and the plugin in one process: every call still goes through
// the protocol's JSON, and `observer` sees each exchange (the studio's events).
class InProcessTransport final : public remote::Transport {
public:
    using Observer = std::function<void(const std::string& path, const std::string& request,
                                        const remote::HttpReply& reply)>;

    InProcessTransport(NetworkPlugin& plugin, std::string name, Observer observer = {});
    // Owning the plugin: one instance per connection (a host's own plugin).
    InProcessTransport(std::unique_ptr<NetworkPlugin> plugin, std::string name);

    remote::HttpReply post(const std::string& path, const std::string& body) override;
    std::string address() const override;

private:
    std::unique_ptr<NetworkPlugin> m_owned;
    NetworkPlugin& m_plugin;
    std::string m_name;
    Observer m_observer;
};

}  // namespace cnmlab::plugins
