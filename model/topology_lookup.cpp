// Topology's lookups and the ids resolve() gives objects.
#include <algorithm>
#include <charconv>
#include <system_error>

#include <fmt/format.h>

#include "model/go_strconv.hpp"
#include "model/topology.hpp"

namespace cnmlab::model {

std::string objectId(std::string_view seed) {
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a, then splitmix64 for 256 bits
    for (char c : seed) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    std::string out;
    for (int i = 0; i < 4; ++i) {
        h += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = h;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        out += fmt::format("{:016x}", z ^ (z >> 31));
    }
    return out;
}

const NetworkInstance* Topology::findNetwork(std::string_view key) const {
    auto it = std::find_if(networks.begin(), networks.end(),
                           [&](const NetworkInstance& n) { return n.key == key; });
    return it == networks.end() ? nullptr : &*it;
}

const Container* Topology::findContainer(std::string_view service) const {
    auto it = std::find_if(containers.begin(), containers.end(),
                           [&](const Container& c) { return c.service == service; });
    return it == containers.end() ? nullptr : &*it;
}

const LoadBalancer* Topology::findLoadBalancer(std::string_view network,
                                               std::string_view host) const {
    auto it = std::find_if(loadBalancers.begin(), loadBalancers.end(), [&](const LoadBalancer& b) {
        return b.endpoint.network == network && b.host == host;
    });
    return it == loadBalancers.end() ? nullptr : &*it;
}

const SwarmService* Topology::findService(std::string_view key) const {
    auto it = std::find_if(services.begin(), services.end(),
                           [&](const SwarmService& s) { return s.key == key; });
    return it == services.end() ? nullptr : &*it;
}

const ServiceVip* SwarmService::vipOn(std::string_view network) const {
    auto it = std::find_if(vips.begin(), vips.end(),
                           [&](const ServiceVip& v) { return v.network == network; });
    return it == vips.end() ? nullptr : &*it;
}

bool SwarmService::usesIngress() const {
    return std::any_of(published.begin(), published.end(),
                       [](const SwarmPort& p) { return !p.hostMode; });
}

namespace {

std::string optionOf(const NetworkSpec& n, std::string_view key) {
    for (const auto& [k, v] : n.driverOpts) {
        if (k == key) {
            return v;
        }
    }
    return {};
}

std::uint16_t vlanNumber(std::string_view s) {
    int id = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc{} || end != s.data() + s.size() || id < 1 || id > 4094) {
        return 0;
    }
    return static_cast<std::uint16_t>(id);
}

// libnetwork's parseVlan and createVlanLink: exactly "name.vid", the id as
// strconv.Atoi reads it, 1..4094; the LAN's only when name is the host's NIC.
std::uint16_t parentVlan(std::string_view parent) {
    const auto dot = parent.find('.');
    if (dot == std::string_view::npos || parent.find('.', dot + 1) != std::string_view::npos ||
        parent.substr(0, dot) != "eth0") {
        return 0;
    }
    const auto id = goAtoi(parent.substr(dot + 1));
    return id && *id >= 1 && *id <= 4094 ? static_cast<std::uint16_t>(*id) : 0;
}

}  // namespace

std::uint16_t lanVlanOf(const NetworkInstance& n) {
    return n.spec != nullptr ? lanVlanOf(*n.spec) : 0;
}

std::uint16_t lanVlanOf(const NetworkSpec& n) {
    if (n.driver == "macvlan" || n.driver == "ipvlan") {
        return parentVlan(optionOf(n, "parent"));
    }
    if (n.driver == "contiv" && optionOf(n, "encap") == "vlan") {
        return vlanNumber(optionOf(n, "pkt-tag"));
    }
    return 0;
}

}  // namespace cnmlab::model
