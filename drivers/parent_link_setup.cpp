// A VLAN parent the macvlan and ipvlan drivers create: libnetwork's
// createVlanLink and parseVlan (macvlan_setup.go / ipvlan_setup.go), whose
// checks and messages these are, in their order: the name splits into exactly
// "name.vid", vid is an integer (strconv.Atoi), the base link exists, vid is
// 1..4094, then the kernel's LinkAdd. The link is named exactly as typed
// (eth0.050 is VLAN 50), takes its base's MAC and MTU, and is brought up.
#include <string_view>

#include <fmt/format.h>

#include "drivers/parent_link_driver.hpp"
#include "model/error.hpp"
#include "model/go_strconv.hpp"

namespace cnmlab::drivers {

void ParentLinkDriver::createVlanLink(const model::NetworkInstance& net, const NetworkState& st,
                                      PlanBuilder& plan) const {
    const std::string& name = st.parent;
    const model::SourcePos pos = net.spec != nullptr ? net.spec->driverPos : model::SourcePos{};
    auto fail = [&](model::ErrorKind kind, const std::string& message) {
        throw model::Error(
            kind, fmt::format("networks.{}.driver_opts.parent: {}", net.key, message), pos);
    };
    const auto dot = name.find('.');
    if (dot == std::string::npos) {
        fail(model::ErrorKind::Invalid,
             fmt::format("invalid subinterface vlan name {}, example formatting is eth0.10", name));
    }
    if (name.find('.', dot + 1) != std::string::npos) {  // strings.Split(name, ".") != 2 parts
        fail(model::ErrorKind::Invalid,
             fmt::format("required interface name format is: name.vlan_id, ex. eth0.10 for vlan "
                         "10, instead received {}",
                         name));
    }
    const std::string base = name.substr(0, dot);
    const std::string vid = name.substr(dot + 1);
    const auto id = model::goAtoi(vid);
    if (!id) {
        fail(
            model::ErrorKind::Invalid,
            fmt::format("unable to parse a valid vlan id from: {} (ex. eth0.10 for vlan 10)", vid));
    }
    if (!plan.hasLink(m_host, base)) {
        // "does was" is macvlan_setup.go's own wording; ipvlan_setup.go has "was".
        fail(model::ErrorKind::Invalid,
             fmt::format("-o parent interface {}was not found on the host: {}",
                         type() == "macvlan" ? "does " : "", base));
    }
    if (*id < 1 || *id > 4094) {
        fail(model::ErrorKind::Invalid,
             fmt::format("vlan id must be between 1-4094, received: {}", *id));
    }
    // LinkAdd: what the kernel refuses (net/8021q vlan_newlink).
    const Link& lower = plan.link(m_host, base);
    if (lower.kind == LinkKind::Loopback) {
        // NETIF_F_VLAN_CHALLENGED: EOPNOTSUPP. (Only "lo" itself is refused by name.)
        fail(model::ErrorKind::Invalid,
             fmt::format("failed to create {} vlan link: operation not supported", name));
    }
    for (const Link& l : plan.plan().links) {
        if (l.kind == LinkKind::Vlan && l.netns == m_host && l.parent == base && l.vlanId == *id) {
            // One device per VLAN id on a parent: EEXIST.
            fail(model::ErrorKind::Conflict,
                 fmt::format("failed to create {} vlan link: file exists ({} is VLAN {} on {})",
                             name, l.name, *id, base));
        }
    }
    // Only Name, ParentIndex and VlanId are set: the kernel gives the link its
    // parent's MAC (left zero here: inherited) and MTU. Then LinkSetUp.
    Link vlan;
    vlan.netns = m_host;
    vlan.name = name;
    vlan.kind = LinkKind::Vlan;
    vlan.parent = base;
    vlan.vlanId = static_cast<std::uint16_t>(*id);
    vlan.mtu = lower.mtu;
    vlan.up = true;
    plan.add(st.owner, vlan);
}

}  // namespace cnmlab::drivers
