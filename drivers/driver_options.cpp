#include "drivers/driver_options.hpp"

#include <array>
#include <optional>

#include <fmt/format.h>

#include "model/error.hpp"
#include "model/go_strconv.hpp"

namespace cnmlab::drivers {

namespace {

using model::Error;
using model::ErrorKind;

constexpr std::string_view kBridgeName = "com.docker.network.bridge.name";
constexpr std::string_view kEnableIcc = "com.docker.network.bridge.enable_icc";
constexpr std::string_view kEnableMasq = "com.docker.network.bridge.enable_ip_masquerade";
constexpr std::string_view kHostBinding = "com.docker.network.bridge.host_binding_ipv4";
constexpr std::string_view kMtu = "com.docker.network.driver.mtu";
constexpr std::string_view kVxlanIds = "com.docker.network.driver.overlay.vxlanid_list";

// Reports a bad value of one option of one network.
class OptionReader {
public:
    explicit OptionReader(const model::NetworkInstance& net) : m_net(net) {}

    [[noreturn]] void fail(std::string_view option, const std::string& why) const {
        const model::SourcePos pos = m_net.spec != nullptr ? m_net.spec->pos : model::SourcePos{};
        throw Error(ErrorKind::Invalid,
                    fmt::format("networks.{}.driver_opts.{}: {}", m_net.key, option, why), pos);
    }

    // Go's strconv.ParseBool, which libnetwork uses for every boolean label.
    bool boolean(std::string_view option, const std::string& v) const {
        static constexpr std::array kTrue = {"1", "t", "T", "TRUE", "true", "True"};
        static constexpr std::array kFalse = {"0", "f", "F", "FALSE", "false", "False"};
        for (const char* t : kTrue) {
            if (v == t) {
                return true;
            }
        }
        for (const char* f : kFalse) {
            if (v == f) {
                return false;
            }
        }
        fail(option, fmt::format("'{}' is not a boolean (Docker accepts true/false, 1/0, t/f)", v));
    }

    std::optional<long long> integer(const std::string& v) const { return model::goAtoi(v); }

private:
    const model::NetworkInstance& m_net;
};

BridgeOptions parseBridge(const model::NetworkInstance& net, const OptionReader& r) {
    BridgeOptions o;
    if (net.predefined) {
        // dockerd's default bridge: --bridge docker0, --mtu 1500 (daemon/daemon_unix.go).
        o.bridgeName = "docker0";
        o.mtu = 1500;
        return o;
    }
    if (net.implicit) {
        // docker_gwbridge (libnetwork default_gateway_linux.go createGWNetwork).
        o.bridgeName = "docker_gwbridge";
        o.enableIcc = false;
        o.enableIpMasquerade = true;
        return o;
    }
    if (net.spec == nullptr) {
        return o;
    }
    for (const auto& [key, value] : net.spec->driverOpts) {
        if (key == kBridgeName) {
            if (value.empty() || value.size() > 15 || value.find('/') != std::string::npos ||
                value.find(' ') != std::string::npos) {
                r.fail(key, fmt::format("'{}' is not a valid interface name (1 to 15 characters, "
                                        "no '/' or space)",
                                        value));
            }
            o.bridgeName = value;
        } else if (key == kEnableIcc) {
            o.enableIcc = r.boolean(key, value);
        } else if (key == kEnableMasq) {
            o.enableIpMasquerade = r.boolean(key, value);
        } else if (key == kHostBinding) {
            auto ip = model::Ipv4::parse(value);
            if (!ip) {
                r.fail(key, fmt::format("'{}' is not an IPv4 address", value));
            }
            o.hostBindingIpv4 = *ip;
        } else if (key == kMtu) {
            auto mtu = r.integer(value);
            if (!mtu) {
                r.fail(key, fmt::format("'{}' is not a number", value));
            }
            // Negative: libnetwork's ErrInvalidMtu; 1..67 and >65535: the kernel refuses.
            if (*mtu < 0 || (*mtu > 0 && *mtu < 68) || *mtu > 65535) {
                r.fail(key, fmt::format("invalid MTU number: {} (0, or 68 to 65535)", *mtu));
            }
            o.mtu = static_cast<int>(*mtu);
        }
    }
    return o;
}

MacvlanOptions parseMacvlan(const model::NetworkInstance& net, const OptionReader& r) {
    MacvlanOptions o;
    for (const auto& [key, value] : net.spec->driverOpts) {
        if (key == "parent") {
            o.parent = value;
        } else if (key == "macvlan_mode") {
            if (value != "" && value != "bridge" && value != "private" && value != "vepa" &&
                value != "passthru") {
                r.fail(key, fmt::format("requested macvlan mode '{}' is not valid (bridge, "
                                        "private, vepa or passthru)",
                                        value));
            }
            o.mode = value.empty() ? "bridge" : value;
        }
    }
    return o;
}

IpvlanOptions parseIpvlan(const model::NetworkInstance& net, const OptionReader& r) {
    IpvlanOptions o;
    for (const auto& [key, value] : net.spec->driverOpts) {
        if (key == "parent") {
            o.parent = value;
        } else if (key == "ipvlan_mode") {
            if (value != "" && value != "l2" && value != "l3") {
                r.fail(key, fmt::format("requested ipvlan mode '{}' is not valid, 'l2' mode is "
                                        "the ipvlan driver default (l2 or l3)",
                                        value));
            }
            o.mode = value.empty() ? "l2" : value;
        }
    }
    return o;
}

OverlayOptions parseOverlay(const model::NetworkInstance& net, const OptionReader& r) {
    OverlayOptions o;
    if (net.spec == nullptr) {
        return o;  // ingress
    }
    for (const auto& [key, value] : net.spec->driverOpts) {
        if (key == "encrypted") {
            o.encrypted = true;
        } else if (key == kMtu) {
            auto mtu = r.integer(value);
            // encryption.go maxMTU: the option minus 50 (and 26 more when
            // encrypted) must still carry an IPv4 packet.
            if (!mtu || *mtu < 68 + 76 || *mtu > 65535) {
                r.fail(key, fmt::format("'{}' is not an MTU the overlay can use (144 to 65535: "
                                        "VXLAN takes 50 bytes, ESP 26 more)",
                                        value));
            }
            o.mtu = static_cast<int>(*mtu);
        } else if (key == kVxlanIds) {
            std::size_t start = 0;
            while (start <= value.size()) {
                const std::size_t comma = std::min(value.find(',', start), value.size());
                const std::string item = value.substr(start, comma - start);
                auto id = r.integer(item);
                if (!id || *id < 1 || *id > 16777215) {
                    r.fail(key, fmt::format("'{}' is not a VXLAN id (1 to 16777215)", item));
                }
                o.vxlanIds.push_back(static_cast<std::uint32_t>(*id));
                start = comma + 1;
            }
        }
    }
    return o;
}

}  // namespace

DriverOptions parseDriverOptions(const model::NetworkInstance& net) {
    const OptionReader reader(net);
    if (net.driver == "bridge") {
        return parseBridge(net, reader);
    }
    if (net.driver == "overlay") {
        return parseOverlay(net, reader);
    }
    if (net.spec == nullptr) {
        return std::monostate{};
    }
    if (net.driver == "macvlan") {
        return parseMacvlan(net, reader);
    }
    if (net.driver == "ipvlan") {
        return parseIpvlan(net, reader);
    }
    return std::monostate{};
}

}  // namespace cnmlab::drivers
