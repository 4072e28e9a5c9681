#include "live/rtnl.hpp"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>

#include <fmt/format.h>

#include "live/nl_objects.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

using nl::Deleter;
using NlAddrPtr = nl::AddrPtr;
using nl::ipAddr;
using LinkPtr = std::unique_ptr<rtnl_link, Deleter<rtnl_link, rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, Deleter<rtnl_addr, rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, Deleter<rtnl_route, rtnl_route_put>>;
using NeighPtr = std::unique_ptr<rtnl_neigh, Deleter<rtnl_neigh, rtnl_neigh_put>>;

void check(int rc, const std::string& equivalent) {
    if (rc < 0) {
        throw model::Error(model::ErrorKind::System,
                           fmt::format("`{}` failed: {}", equivalent, nl_geterror(rc)));
    }
}

NlAddrPtr macAddr(const model::Mac& mac) {
    return NlAddrPtr(nl_addr_build(AF_LLC, mac.data(), mac.size()));
}

bool isZero(const model::Mac& m) {
    for (auto b : m) {
        if (b != 0) {
            return false;
        }
    }
    return true;
}

}  // namespace

Rtnl::Rtnl(const Fd& ns) {
    NetnsGuard in(ns);
    m_sock = nl_socket_alloc();
    if (m_sock == nullptr) {
        throw model::Error(model::ErrorKind::System, "nl_socket_alloc failed");
    }
    check(nl_connect(m_sock, NETLINK_ROUTE), "netlink connect");
}

Rtnl::~Rtnl() {
    if (m_sock != nullptr) {
        nl_socket_free(m_sock);
    }
}

int Rtnl::ifindex(const std::string& name) {
    rtnl_link* raw = nullptr;
    check(rtnl_link_get_kernel(m_sock, 0, name.c_str(), &raw),
          fmt::format("ip link show {}", name));
    LinkPtr link(raw);
    return rtnl_link_get_ifindex(link.get());
}

std::vector<std::string> Rtnl::linkNames() {
    nl_cache* raw = nullptr;
    check(rtnl_link_alloc_cache(m_sock, AF_UNSPEC, &raw), "ip link show");
    std::unique_ptr<nl_cache, Deleter<nl_cache, nl_cache_free>> cache(raw);
    std::vector<std::string> out;
    for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
        out.emplace_back(rtnl_link_get_name(reinterpret_cast<rtnl_link*>(o)));
    }
    return out;
}

std::string Rtnl::linkKind(const std::string& name) {
    rtnl_link* raw = nullptr;
    check(rtnl_link_get_kernel(m_sock, 0, name.c_str(), &raw),
          fmt::format("ip link show {}", name));
    LinkPtr link(raw);
    const char* kind = rtnl_link_get_type(link.get());
    return kind != nullptr ? kind : "";
}

void Rtnl::setIpv4Forwarding(const std::string& dev, bool on) {
    rtnl_link* raw = nullptr;
    check(rtnl_link_get_kernel(m_sock, 0, dev.c_str(), &raw), fmt::format("ip link show {}", dev));
    LinkPtr link(raw);
    LinkPtr change(rtnl_link_alloc());
    check(rtnl_link_inet_set_conf(change.get(), IPV4_DEVCONF_FORWARDING, on ? 1 : 0),
          "IPV4_DEVCONF_FORWARDING");
    check(rtnl_link_change(m_sock, link.get(), change.get(), 0),
          fmt::format("sysctl -w net.ipv4.conf.{}.forwarding={}", dev, on ? 1 : 0));
}

void Rtnl::addBridge(const std::string& name, const model::Mac& mac, int mtu, int ageingSeconds) {
    LinkPtr link(rtnl_link_alloc());
    check(rtnl_link_set_type(link.get(), "bridge"), "bridge type");
    rtnl_link_set_name(link.get(), name.c_str());
    if (!isZero(mac)) {
        auto a = macAddr(mac);
        rtnl_link_set_addr(link.get(), a.get());
    }
    rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
    (void)ageingSeconds;  // the kernel's default (300 s) is Docker's
    check(rtnl_link_add(m_sock, link.get(), NLM_F_CREATE | NLM_F_EXCL),
          fmt::format("ip link add {} type bridge", name));
}

void Rtnl::addDummy(const std::string& name) {
    LinkPtr link(rtnl_link_alloc());
    check(rtnl_link_set_type(link.get(), "dummy"), "dummy type");
    rtnl_link_set_name(link.get(), name.c_str());
    const std::string equivalent = fmt::format("ip link add {} type dummy", name);
    const int rc = rtnl_link_add(m_sock, link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_OPNOTSUPP) {
        throw model::Error(model::ErrorKind::Unsupported,
                           fmt::format("`{}` failed: the kernel lacks the dummy driver "
                                       "(CONFIG_DUMMY)",
                                       equivalent));
    }
    check(rc, equivalent);
}

void Rtnl::addVethPair(const std::string& name, const model::Mac& mac, int mtu,
                       const std::string& peerName, const model::Mac& peerMac, const Fd& peerNs) {
    LinkPtr link(rtnl_link_veth_alloc());
    rtnl_link_set_name(link.get(), name.c_str());
    rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
    if (!isZero(mac)) {
        auto a = macAddr(mac);
        rtnl_link_set_addr(link.get(), a.get());
    }
    rtnl_link* peer = rtnl_link_veth_get_peer(link.get());
    rtnl_link_set_name(peer, peerName.c_str());
    rtnl_link_set_mtu(peer, static_cast<unsigned>(mtu));
    if (!isZero(peerMac)) {
        auto a = macAddr(peerMac);
        rtnl_link_set_addr(peer, a.get());
    }
    rtnl_link_set_ns_fd(peer, peerNs.get());
    const int rc = rtnl_link_add(m_sock, link.get(), NLM_F_CREATE | NLM_F_EXCL);
    rtnl_link_put(peer);
    check(rc, fmt::format("ip link add {} type veth peer name {} netns ...", name, peerName));
}

void Rtnl::addSlave(Slave kind, const std::string& name, const std::string& parent,
                    const std::string& mode, const model::Mac& mac, int mtu, const Fd* target) {
    const bool ipvlan = kind == Slave::Ipvlan;
    LinkPtr link(ipvlan ? rtnl_link_ipvlan_alloc() : rtnl_link_macvlan_alloc());
    rtnl_link_set_name(link.get(), name.c_str());
    rtnl_link_set_link(link.get(), ifindex(parent));
    rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
    if (ipvlan) {
        rtnl_link_ipvlan_set_mode(link.get(), static_cast<uint16_t>(rtnl_link_ipvlan_str2mode(
                                                  mode.empty() ? "l2" : mode.c_str())));
    } else {
        if (!isZero(mac)) {
            auto a = macAddr(mac);
            rtnl_link_set_addr(link.get(), a.get());
        }
        rtnl_link_macvlan_set_mode(
            link.get(), rtnl_link_macvlan_str2mode(mode.empty() ? "bridge" : mode.c_str()));
    }
    if (target != nullptr) {
        rtnl_link_set_ns_fd(link.get(), target->get());  // the name is checked there
    }
    const std::string equivalent =
        fmt::format("ip link add link {} {}{} type {} mode {}", parent, name,
                    target != nullptr ? " netns ..." : "", ipvlan ? "ipvlan" : "macvlan", mode);
    const int rc = rtnl_link_add(m_sock, link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_OPNOTSUPP) {
        throw model::Error(model::ErrorKind::Unsupported,
                           fmt::format("`{}` failed: the kernel lacks the {} driver ({})",
                                       equivalent, ipvlan ? "ipvlan" : "macvlan",
                                       ipvlan ? "CONFIG_IPVLAN" : "CONFIG_MACVLAN"));
    }
    check(rc, equivalent);
}

void Rtnl::addVlan(const std::string& name, const std::string& parent, std::uint16_t id,
                   const model::Mac& mac, int mtu) {
    LinkPtr link(rtnl_link_vlan_alloc());
    rtnl_link_set_name(link.get(), name.c_str());
    rtnl_link_set_link(link.get(), ifindex(parent));
    rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
    check(rtnl_link_vlan_set_id(link.get(), id), "vlan id");
    if (!isZero(mac)) {
        auto a = macAddr(mac);
        rtnl_link_set_addr(link.get(), a.get());
    }
    const std::string equivalent =
        fmt::format("ip link add link {} name {} type vlan id {}", parent, name, id);
    const int rc = rtnl_link_add(m_sock, link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_OPNOTSUPP) {
        throw model::Error(model::ErrorKind::Unsupported,
                           fmt::format("`{}` failed: the kernel lacks 802.1Q VLAN support "
                                       "(CONFIG_VLAN_8021Q)",
                                       equivalent));
    }
    check(rc, equivalent);
}

void Rtnl::addVxlan(const std::string& name, std::uint32_t vni, std::uint16_t port,
                    VxlanFlags flags, const model::Mac& mac, int mtu, const Fd* target) {
    LinkPtr link(rtnl_link_vxlan_alloc());
    rtnl_link_set_name(link.get(), name.c_str());
    rtnl_link_vxlan_set_id(link.get(), vni);
    rtnl_link_vxlan_set_port(link.get(), port);
    rtnl_link_vxlan_set_learning(link.get(), flags.learning ? 1 : 0);
    rtnl_link_vxlan_set_proxy(link.get(), flags.proxy ? 1 : 0);
    rtnl_link_vxlan_set_l2miss(link.get(), flags.l2miss ? 1 : 0);
    rtnl_link_vxlan_set_l3miss(link.get(), flags.l3miss ? 1 : 0);
    rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
    if (!isZero(mac)) {
        auto a = macAddr(mac);
        rtnl_link_set_addr(link.get(), a.get());
    }
    if (target != nullptr) {
        rtnl_link_set_ns_fd(link.get(), target->get());
    }
    const std::string equivalent = fmt::format(
        "ip link add {}{} type vxlan id {} dstport {}{}{}{}{}", name,
        target != nullptr ? " netns ..." : "", vni, port, flags.learning ? "" : " nolearning",
        flags.proxy ? " proxy" : "", flags.l2miss ? " l2miss" : "", flags.l3miss ? " l3miss" : "");
    const int rc = rtnl_link_add(m_sock, link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_OPNOTSUPP) {
        throw model::Error(model::ErrorKind::Unsupported,
                           fmt::format("`{}` failed: the kernel lacks the vxlan driver "
                                       "(CONFIG_VXLAN)",
                                       equivalent));
    }
    check(rc, equivalent);
}

void Rtnl::setMaster(const std::string& name, const std::string& master) {
    rtnl_link* raw = nullptr;
    check(rtnl_link_get_kernel(m_sock, 0, name.c_str(), &raw),
          fmt::format("ip link show {}", name));
    LinkPtr link(raw);
    LinkPtr change(rtnl_link_alloc());
    rtnl_link_set_master(change.get(), ifindex(master));
    check(rtnl_link_change(m_sock, link.get(), change.get(), 0),
          fmt::format("ip link set {} master {}", name, master));
}

void Rtnl::setUp(const std::string& name) {
    rtnl_link* raw = nullptr;
    check(rtnl_link_get_kernel(m_sock, 0, name.c_str(), &raw),
          fmt::format("ip link show {}", name));
    LinkPtr link(raw);
    LinkPtr change(rtnl_link_alloc());
    rtnl_link_set_flags(change.get(), IFF_UP);
    check(rtnl_link_change(m_sock, link.get(), change.get(), 0),
          fmt::format("ip link set {} up", name));
}

bool Rtnl::deleteLink(const std::string& name) {
    rtnl_link* raw = nullptr;
    if (rtnl_link_get_kernel(m_sock, 0, name.c_str(), &raw) < 0) {
        return false;
    }
    LinkPtr link(raw);
    check(rtnl_link_delete(m_sock, link.get()), fmt::format("ip link del {}", name));
    return true;
}

void Rtnl::addAddress(const std::string& dev, const model::Cidr& cidr) {
    AddrPtr addr(rtnl_addr_alloc());
    rtnl_addr_set_ifindex(addr.get(), ifindex(dev));
    auto local = ipAddr(cidr.address, cidr.prefix);
    check(rtnl_addr_set_local(addr.get(), local.get()), "address");
    if (cidr.prefix < 31) {
        auto bcast = ipAddr(cidr.broadcast(), cidr.prefix);
        rtnl_addr_set_broadcast(addr.get(), bcast.get());
    }
    check(rtnl_addr_add(m_sock, addr.get(), 0),
          fmt::format("ip addr add {} dev {}", cidr.str(), dev));
}

void Rtnl::addRoute(const model::Cidr& dst, const std::optional<model::Ipv4>& via,
                    const std::string& dev, bool onlink) {
    RoutePtr route(rtnl_route_alloc());
    rtnl_route_set_family(route.get(), AF_INET);
    auto d = ipAddr(dst.network(), dst.prefix);
    check(rtnl_route_set_dst(route.get(), d.get()), "route dst");
    rtnl_route_set_scope(route.get(), via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(nh, ifindex(dev));
    if (via) {
        auto gw = ipAddr(*via, 32);
        rtnl_route_nh_set_gateway(nh, gw.get());
    }
    if (onlink) {
        rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
    }
    rtnl_route_add_nexthop(route.get(), nh);  // the route owns it now
    const std::string eq =
        (via ? fmt::format("ip route add {} via {} dev {}", dst.networkStr(), via->str(), dev)
             : fmt::format("ip route add {} dev {}", dst.networkStr(), dev)) +
        (onlink ? " onlink" : "");
    check(rtnl_route_add(m_sock, route.get(), NLM_F_CREATE | NLM_F_EXCL), eq);
}

void Rtnl::addNeighbor(const std::string& dev, model::Ipv4 ip, const model::Mac& mac) {
    NeighPtr n(rtnl_neigh_alloc());
    rtnl_neigh_set_ifindex(n.get(), ifindex(dev));
    auto dst = ipAddr(ip, 32);
    rtnl_neigh_set_dst(n.get(), dst.get());
    auto ll = macAddr(mac);
    rtnl_neigh_set_lladdr(n.get(), ll.get());
    rtnl_neigh_set_state(n.get(), NUD_PERMANENT);
    check(rtnl_neigh_add(m_sock, n.get(), NLM_F_CREATE),
          fmt::format("ip neigh add {} lladdr {} dev {}", ip.str(), model::macStr(mac), dev));
}

void Rtnl::addFdb(const std::string& dev, const model::Mac& mac,
                  const std::optional<model::Ipv4>& remote) {
    NeighPtr n(rtnl_neigh_alloc());
    auto dst = remote ? ipAddr(*remote, 32) : nullptr;
    if (remote) {
        // Before the family: libnl refuses an IPv4 NDA_DST on an AF_BRIDGE entry.
        check(rtnl_neigh_set_dst(n.get(), dst.get()), "fdb dst");
    }
    rtnl_neigh_set_family(n.get(), AF_BRIDGE);
    rtnl_neigh_set_ifindex(n.get(), ifindex(dev));
    auto ll = macAddr(mac);
    rtnl_neigh_set_lladdr(n.get(), ll.get());
    rtnl_neigh_set_state(n.get(), NUD_PERMANENT);
    rtnl_neigh_set_flags(n.get(), remote ? NTF_SELF : NTF_MASTER);
    check(rtnl_neigh_add(m_sock, n.get(), NLM_F_CREATE | NLM_F_APPEND),
          fmt::format("bridge fdb append {} dev {}{} {} permanent", model::macStr(mac), dev,
                      remote ? " dst " + remote->str() : "", remote ? "self" : "master"));
}

}  // namespace cnmlab::live
