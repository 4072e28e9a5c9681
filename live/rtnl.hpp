#pragma once
// Links, addresses, routes and neighbours through rtnetlink (libnl-route-3), in
// one network namespace. The socket is opened while the thread is inside that
// namespace, so it stays bound to it. Every failure throws model::Error
// (System) naming the `ip` command it stands for and the kernel's error text.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "live/netns.hpp"
#include "model/ip.hpp"

struct nl_sock;

namespace cnmlab::live {

class Rtnl {
public:
    explicit Rtnl(const Fd& ns);
    ~Rtnl();
    Rtnl(const Rtnl&) = delete;
    Rtnl& operator=(const Rtnl&) = delete;

    void addBridge(const std::string& name, const model::Mac& mac, int mtu, int ageingSeconds);
    // A kernel without the dummy driver answers EOPNOTSUPP: kind Unsupported.
    void addDummy(const std::string& name);
    // The pair is made here; the peer end goes to `peerNs` under `peerName`.
    void addVethPair(const std::string& name, const model::Mac& mac, int mtu,
                     const std::string& peerName, const model::Mac& peerMac, const Fd& peerNs);
    // A macvlan or ipvlan on `parent` (a link of this namespace), placed in
    // `target` (this namespace when null) under `name`, as Docker's Join then
    // moves it. An ipvlan keeps its parent's MAC (`mac` is ignored). A kernel
    // without that link type answers EOPNOTSUPP: kind Unsupported.
    enum class Slave { Macvlan, Ipvlan };
    void addSlave(Slave kind, const std::string& name, const std::string& parent,
                  const std::string& mode, const model::Mac& mac, int mtu,
                  const Fd* target = nullptr);
    // An 802.1Q sub-interface of `parent` (a link of this namespace). A kernel
    // without the 8021q module answers EOPNOTSUPP: kind Unsupported.
    void addVlan(const std::string& name, const std::string& parent, std::uint16_t id,
                 const model::Mac& mac, int mtu);
    // A VXLAN device made here (its UDP socket stays in this namespace) and,
    // with `target`, moved into that namespace in the same request.
    struct VxlanFlags {
        bool learning = false;
        bool proxy = false;
        bool l2miss = false;
        bool l3miss = false;
    };
    void addVxlan(const std::string& name, std::uint32_t vni, std::uint16_t port, VxlanFlags flags,
                  const model::Mac& mac, int mtu, const Fd* target = nullptr);
    void setMaster(const std::string& name, const std::string& master);
    void setUp(const std::string& name);
    // `ip link del NAME` (a veth takes its peer with it); false when absent.
    bool deleteLink(const std::string& name);
    void addAddress(const std::string& dev, const model::Cidr& cidr);
    // `onlink`: the gateway counts as on the link without an address covering it.
    void addRoute(const model::Cidr& dst, const std::optional<model::Ipv4>& via,
                  const std::string& dev, bool onlink = false);
    void addNeighbor(const std::string& dev, model::Ipv4 ip, const model::Mac& mac);
    // `bridge fdb append MAC dev DEV [dst REMOTE] self permanent` (with a
    // remote: a VXLAN device's entry; without: the bridge's, `master`).
    void addFdb(const std::string& dev, const model::Mac& mac,
                const std::optional<model::Ipv4>& remote);
    int ifindex(const std::string& name);
    // Every link of this namespace, by name (`ip -br link`).
    std::vector<std::string> linkNames();
    // The link's kind as `ip -d link show` names it ("veth", "dummy", "bridge"; "" for lo).
    std::string linkKind(const std::string& name);
    // IPv4 forwarding of one device (net.ipv4.conf.DEV.forwarding), set over
    // rtnetlink (IFLA_AF_SPEC/AF_INET/IPV4_DEVCONF_FORWARDING): no /proc/sys needed.
    void setIpv4Forwarding(const std::string& dev, bool on);

private:
    nl_sock* m_sock = nullptr;
};

}  // namespace cnmlab::live
