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

#include <string>

#include "drivers/plan.hpp"

namespace cnmlab::drivers {

// Host by host (the host's own namespace, then its sandboxes), then the LAN and
// the externals: namespaces, sysctls, links, link up, addresses (with the
// kernel's connected route as a comment), routes, neighbours, FDB entries,
// iptables-save, docker-proxy, and the listeners and DNS records as comments.
// With `host` non-empty, only that host's section (empty if it is unknown).
std::string planText(const Plan& plan, const std::string& host = "");

std::string equivalent(const Netns& ns);        // ip netns add NAME
std::string equivalent(const Link& link);       // ip link add ... (lo: ip link set dev lo up)
std::string equivalent(const Address& address); // ip addr add CIDR dev DEV
std::string equivalent(const Route& route);     // ip route add ...
std::string equivalent(const Neighbor& n);      // ip neigh add ... nud permanent
std::string equivalent(const FdbEntry& f);      // bridge fdb add/append ...
std::string equivalent(const Sysctl& s);        // sysctl -w KEY=VALUE
std::string equivalent(const NfChain& c);       // iptables -t T -N CHAIN | -P CHAIN POLICY
std::string equivalent(const NfRule& r);        // iptables [-t nat] -A CHAIN ...
std::string equivalent(const DnsRecord& d);     // a comment: dockerd answers it
std::string equivalent(const Listener& l);      // docker-proxy ..., or a comment

// The rule as iptables-save prints it: "-A FORWARD -o docker0 -j DOCKER".
std::string ruleSpec(const NfRule& r);

// iptables-save of one namespace: *filter then *nat, built-in chains first,
// then user chains sorted by name (libiptc's order), rules chain by chain.
// "" when the namespace has no chains.
std::string iptablesSave(const Plan& plan, const std::string& netns);

// `ip -n NETNS ...` for an ip command, `ip netns exec NETNS CMD` otherwise;
// comments are returned unchanged.
std::string inNetns(const std::string& command, const std::string& netns);

} // namespace cnmlab::drivers
