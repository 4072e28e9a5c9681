#pragma once
// A Plan as the commands that would build it: `ip`, `bridge`, `sysctl`,
// `iptables` and the docker-proxy command line, with the iptables state as
// `iptables-save` prints it. This is what the studio's Plan view and
// `cnmlab plan`-like output show ("what Docker actually creates").
//
// equivalent(x) is the one command that creates x, as run inside x's own
// namespace (on its machine: a Docker host, the LAN, an external): no `-n`.
// inNetns() wraps such a command to run in another namespace, the way
// planText() prints a sandbox's objects inside its host's section. Links
// created from another namespace (the host end of a veth pair into a sandbox,
// a macvlan made on its parent) are printed where they are created.

#include <memory>
#include <string>
#include <vector>

#include "drivers/plan.hpp"

namespace cnmlab::drivers {

struct PlanIndex;

// Host by host (the host's own namespace, then its sandboxes), then the LAN and
// the externals: namespaces, sysctls, links, link up, addresses (with the
// kernel's connected route as a comment), routes, neighbours, FDB entries,
// iptables-save, docker-proxy, and the listeners and DNS records as comments.
// With `host` non-empty, only that host's section (empty if it is unknown).
std::string planText(const Plan& plan, const std::string& host = "");

std::string equivalent(const Netns& ns);         // ip netns add NAME
std::string equivalent(const Link& link);        // ip link add ... (lo: ip link set dev lo up)
std::string equivalent(const Address& address);  // ip addr add CIDR dev DEV
std::string equivalent(const Route& route);      // ip route add ...
std::string equivalent(const Neighbor& n);       // ip neigh add ... nud permanent
std::string equivalent(const FdbEntry& f);       // bridge fdb add/append ...
std::string equivalent(const Sysctl& s);         // sysctl -w KEY=VALUE
std::string equivalent(const NfChain& c);        // iptables -t T -N CHAIN | -P CHAIN POLICY
std::string equivalent(const NfRule& r);         // iptables [-t nat] -A CHAIN ...
std::string equivalent(const DnsRecord& d);      // a comment: dockerd answers it
std::string equivalent(const XfrmState& x);      // ip xfrm state add ... (the key included)
std::string equivalent(const XfrmPolicy& p);     // ip xfrm policy add ... dir out
std::string equivalent(const IpvsService& v);    // ipvsadm -A -f MARK -s rr; ipvsadm -a ...
std::string equivalent(const Listener& l);       // docker-proxy ..., or a comment

// The rule as iptables-save prints it: "-A FORWARD -o docker0 -j DOCKER".
std::string ruleSpec(const NfRule& r);

// iptables-save of one namespace: *filter, *nat, then *mangle, built-in chains first,
// then user chains sorted by name (libiptc's order), rules chain by chain.
// "" when the namespace has no chains.
std::string iptablesSave(const Plan& plan, const std::string& netns);

// The chains of one namespace's `table` in iptables-save's order (built-in
// chains first, then user chains by name).
std::vector<const NfChain*> chainsInSaveOrder(const Plan& plan, const std::string& netns,
                                              NfTable table);

// The lines of planText() that make one object, for showing beside it (the
// studio's host diagram). Built once per Plan in O(size of the Plan); each
// question costs O(objects of the namespace). Holds pointers into `plan`.
class PlanObjectText {
public:
    explicit PlanObjectText(const Plan& plan);
    ~PlanObjectText();
    PlanObjectText(const PlanObjectText&) = delete;
    PlanObjectText& operator=(const PlanObjectText&) = delete;

    // A device of `netns` as printed in `machine`'s section (with `ip -n` when
    // they differ): the command that creates it (for a veth end, the one that
    // creates the pair), link up, its addresses with the kernel's connected
    // route, and the routes through it. Lines joined by '\n'.
    std::string device(const std::string& netns, const std::string& dev,
                       const std::string& machine) const;
    // A namespace inside `machine`: `ip netns add`, and its routes.
    std::string netns(const std::string& name, const std::string& machine) const;

private:
    std::unique_ptr<PlanIndex> m_index;
};

// `ip -n NETNS ...` for an ip command, `ip netns exec NETNS CMD` otherwise;
// comments are returned unchanged.
std::string inNetns(const std::string& command, const std::string& netns);

}  // namespace cnmlab::drivers
