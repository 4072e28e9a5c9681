// Published ports: libnetwork drivers/bridge/port_mapping.go (allocatePorts,
// validatePortBindingIPv4) and portallocator/portallocator.go. IPv4 only:
// cnmlab does not model the IPv6 ("::") bindings 20.10 adds beside them.
#include <fmt/format.h>

#include "drivers/bridge_driver.hpp"
#include "model/error.hpp"

namespace cnmlab::drivers {

namespace {

// The kernel's default net.ipv4.ip_local_port_range, which 20.10's port
// allocator reads for ephemeral host ports (portallocator_linux.go); it hands
// out the first free one from the start of the range.
constexpr int kEphemeralFirst = 32768;
constexpr int kEphemeralLast = 60999;

}  // namespace

std::vector<PortBinding> BridgeDriver::allocatePorts(const BridgeNetworkState& net,
                                                     const BridgeEndpointState& ep,
                                                     const std::vector<PortBinding>& requested) {
    std::vector<PortBinding> out;
    for (PortBinding b : requested) {
        // validatePortBindingIPv4: no host IP -> the network's default binding IP.
        if (!b.hostIp) {
            b.hostIp = net.options.hostBindingIpv4;
        }
        const std::uint32_t ip = b.hostIp->value();
        const int proto = static_cast<int>(b.proto);
        // A port is taken when the same IP has it, or when either side binds
        // 0.0.0.0 (docker-proxy's bind then fails with EADDRINUSE).
        auto taken = [&](int port) {
            for (const auto& [key, owner] : m_ports) {
                const auto& [kip, kproto, kport] = key;
                if (kproto == proto && kport == port && (kip == ip || kip == 0 || ip == 0)) {
                    return true;
                }
            }
            return false;
        };
        if (b.hostPort == 0) {
            for (int port = kEphemeralFirst; port <= kEphemeralLast; ++port) {
                if (!taken(port)) {
                    b.hostPort = port;
                    break;
                }
            }
        } else if (taken(b.hostPort)) {
            throw model::Error(model::ErrorKind::Conflict,
                               fmt::format("Bind for {}:{} failed: port is already allocated",
                                           b.hostIp->str(), b.hostPort),
                               b.pos);
        }
        if (b.hostPort == 0) {
            throw model::Error(model::ErrorKind::Conflict,
                               "all ports are allocated (no free ephemeral host port)", b.pos);
        }
        m_ports.emplace(std::make_tuple(ip, proto, b.hostPort), ep.id);
        out.push_back(b);
    }
    return out;
}

void BridgeDriver::releasePorts(const BridgeEndpointState& ep) {
    std::erase_if(m_ports, [&](const auto& entry) { return entry.second == ep.id; });
}

}  // namespace cnmlab::drivers
