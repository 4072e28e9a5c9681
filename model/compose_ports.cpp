// Reading a service's `ports` (Compose's short and long syntax), `expose` and
// `x-listen`. What Docker builds for a published port: drivers/bridge_port_mapping.cpp.
#include <charconv>
#include <sstream>

#include <fmt/format.h>

#include "model/compose_reader_impl.hpp"

namespace cnmlab::model::detail {

PortProto ComposeReader::portProto(const YAML::Node& n, const std::string& path, int* last) const {
    std::string s = scalar(n, path);
    PortProto pp;
    if (auto slash = s.find('/'); slash != std::string::npos) {
        pp.proto = protocol(n, s.substr(slash + 1), path);
        s = s.substr(0, slash);
    }
    auto [first, lastPort] = portRange(n, s, path);
    pp.port = first;
    if (last != nullptr) {
        *last = lastPort;
    } else if (lastPort != first) {
        fail(n, fmt::format("{}: expected one port, found the range '{}'", path, s));
    }
    return pp;
}

Proto ComposeReader::protocol(const YAML::Node& n, const std::string& s,
                              const std::string& path) const {
    if (s == "tcp") {
        return Proto::Tcp;
    }
    if (s == "udp") {
        return Proto::Udp;
    }
    fail(n, fmt::format("{}: unknown protocol '{}' (expected tcp or udp)", path, s));
}

// "80" or "8000-8010".
std::pair<int, int> ComposeReader::portRange(const YAML::Node& n, const std::string& s,
                                             const std::string& path) const {
    auto one = [&](std::string_view t) {
        int v = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (t.empty() || ec != std::errc{} || p != t.data() + t.size() || v < 1 || v > 65535) {
            fail(n, fmt::format("{}: '{}' is not a port (1-65535)", path, s));
        }
        return v;
    };
    const auto dash = s.find('-');
    if (dash == std::string::npos) {
        int v = one(s);
        return {v, v};
    }
    int a = one(std::string_view(s).substr(0, dash));
    int b = one(std::string_view(s).substr(dash + 1));
    if (b < a) {
        fail(n, fmt::format("{}: the port range '{}' is reversed", path, s));
    }
    return {a, b};
}

std::vector<PortProto> ComposeReader::portList(const YAML::Node& n, const std::string& path) const {
    std::vector<PortProto> out;
    if (n.IsNull()) {
        return out;
    }
    if (!n.IsSequence()) {
        fail(n, fmt::format("{}: expected a list of ports", path));
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
        int last = 0;
        PortProto pp = portProto(n[i], fmt::format("{}[{}]", path, i), &last);
        for (int p = pp.port; p <= last; ++p) {
            out.push_back({p, pp.proto});
        }
    }
    return out;
}

std::vector<PortMapping> ComposeReader::ports(const YAML::Node& v, const std::string& path) const {
    std::vector<PortMapping> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string p = fmt::format("{}[{}]", path, i);
        out.push_back(v[i].IsMap() ? longPort(v[i], p) : shortPort(v[i], p));
    }
    return out;
}

// [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], each port maybe a range.
PortMapping ComposeReader::shortPort(const YAML::Node& n, const std::string& path) const {
    PortMapping pm;
    pm.original = n;
    pm.pos = pos(n);
    std::string s = scalar(n, path);
    if (auto slash = s.find('/'); slash != std::string::npos) {
        pm.proto = protocol(n, s.substr(slash + 1), path);
        s = s.substr(0, slash);
    }
    if (s.find('[') != std::string::npos) {
        fail(n, fmt::format("{}: IPv6 host addresses are not supported by cnmlab", path));
    }
    std::vector<std::string> parts;
    std::stringstream ss(s);
    for (std::string part; std::getline(ss, part, ':');) {
        parts.push_back(part);
    }
    if (!s.empty() && s.back() == ':') {
        parts.emplace_back();
    }
    if (parts.empty() || parts.size() > 3) {
        fail(n, fmt::format("{}: '{}' is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]", path,
                            n.Scalar()));
    }
    std::tie(pm.targetFirst, pm.targetLast) = portRange(n, parts.back(), path);
    if (parts.size() >= 2 && !parts[parts.size() - 2].empty()) {
        std::tie(pm.publishedFirst, pm.publishedLast) = portRange(n, parts[parts.size() - 2], path);
    }
    if (parts.size() == 3 && !parts[0].empty()) {
        auto ip = Ipv4::parse(parts[0]);
        if (!ip) {
            fail(n, fmt::format("{}: '{}' is not an IPv4 host address", path, parts[0]));
        }
        pm.hostIp = ip;
    }
    fitPortRanges(n, pm, path);
    return pm;
}

// {target, published, protocol, host_ip}.
PortMapping ComposeReader::longPort(const YAML::Node& n, const std::string& path) const {
    PortMapping pm;
    pm.original = n;
    pm.pos = pos(n);
    if (!n["target"]) {
        fail(n, fmt::format("{}: the key 'target' is required", path));
    }
    std::tie(pm.targetFirst, pm.targetLast) =
        portRange(n["target"], scalar(n["target"], path + ".target"), path + ".target");
    if (n["published"] && !n["published"].IsNull()) {
        std::tie(pm.publishedFirst, pm.publishedLast) = portRange(
            n["published"], scalar(n["published"], path + ".published"), path + ".published");
    }
    if (n["protocol"]) {
        pm.proto =
            protocol(n["protocol"], scalar(n["protocol"], path + ".protocol"), path + ".protocol");
    }
    if (n["host_ip"]) {
        pm.hostIp = ipv4(n["host_ip"], path + ".host_ip");
    }
    if (auto m = n["mode"]) {
        pm.hostMode = choice(m, path + ".mode", "a publishing mode", {"ingress", "host"}) == "host";
    }
    fitPortRanges(n, pm, path);
    return pm;
}

// Docker's rule for ranges (go-connections nat.ParsePortSpec): host and
// container ranges of one size are mapped port by port; a host range for one
// container port is where dockerd's port allocator takes the first free port.
// cnmlab publishes the range's first port: Docker's choice unless another
// mapping of the file holds it already (then dockerd goes on to the next, and
// cnmlab reports the port as taken). Any other pair of ranges is an error.
void ComposeReader::fitPortRanges(const YAML::Node& n, PortMapping& pm,
                                  const std::string& path) const {
    const int hostSpan = pm.publishedLast - pm.publishedFirst;
    const int targetSpan = pm.targetLast - pm.targetFirst;
    if (pm.publishedFirst == 0 || hostSpan == targetSpan) {
        return;  // ephemeral host ports, or port by port
    }
    if (targetSpan != 0) {
        fail(n, fmt::format("{}: the host and container port ranges differ in size (Docker "
                            "publishes a host range to a container range of the same size, or to "
                            "one container port)",
                            path));
    }
    pm.publishedLast = pm.publishedFirst;
}

}  // namespace cnmlab::model::detail
