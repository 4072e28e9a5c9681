#include "drivers/driver.hpp"

namespace cnmlab::drivers {

Owner daemonOwner(const std::string& host) {
    return "daemon:" + host;
}

Owner networkOwner(const std::string& host, const model::NetworkInstance& net) {
    return "network:" + host + "/" + net.key;
}

Owner endpointOwner(const model::Endpoint& ep) {
    return "endpoint:" + ep.id;
}

Owner portsOwner(const model::Endpoint& ep) {
    return "ports:" + ep.id;
}

}  // namespace cnmlab::drivers
