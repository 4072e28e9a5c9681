#pragma once
// The requests dockerd sends a network plugin, as the plugins' tests build them.

#include <string>
#include <vector>

#include "drivers/remote_api.hpp"

namespace cnmlab::plugin_requests {

namespace remote = drivers::remote;

// CreateNetwork with one IPv4 pool (a /24) and its .1 as the gateway.
inline remote::CreateNetworkRequest networkRequest(const std::string& id, const std::string& pool) {
    remote::CreateNetworkRequest r;
    r.networkId = id;
    remote::IpamData d;
    d.addressSpace = "GlobalDefault";
    d.pool = pool;
    d.gateway = pool.substr(0, pool.rfind('.')) + ".1/24";
    r.ipv4Data = std::vector<remote::IpamData>{d};
    return r;
}

inline remote::CreateEndpointRequest endpointRequest(const std::string& net, const std::string& id,
                                                     const std::string& address) {
    remote::CreateEndpointRequest r;
    r.networkId = net;
    r.endpointId = id;
    r.interface = remote::EndpointInterface{address, "", ""};
    return r;
}

// DiscoverNew for this node (DiscoveryType 1, "Self": true) at `address`.
inline remote::DiscoveryNotification selfDiscovery(const std::string& address) {
    remote::DiscoveryNotification n;
    n.discoveryType = 1;
    n.discoveryData = {{"Address", address}, {"Self", true}};
    return n;
}

}  // namespace cnmlab::plugin_requests
