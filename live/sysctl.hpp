#pragma once
// The Plan's sysctls in one namespace. /proc/sys/net is per namespace as seen by
// the thread that opens it, so writing there from inside the namespace is
// `ip netns exec NS sysctl -w KEY=VALUE`. A container (Docker mounts /proc/sys
// read-only, even with --cap-add SYS_ADMIN) cannot write there; then the keys
// that have an rtnetlink equivalent are set that way, which CAP_NET_ADMIN
// allows:
//   net.ipv4.ip_forward                 IPV4_DEVCONF_FORWARDING on every link of
//                                       the namespace (the kernel forwards by the
//                                       input device's flag; the Plan's sysctls
//                                       are set after all its links exist)
//   net.bridge.bridge-nf-call-iptables  nothing to do when it already has the
//                                       value (a new namespace starts with 1,
//                                       which is what Docker sets)
// Anything else on a read-only /proc/sys is an Unsupported error (exit 3).

#include <string>

#include "live/netns.hpp"

namespace cnmlab::live {

class Rtnl;

enum class SysctlWay { ProcSys, AlreadySet, Netlink };

// Sets KEY=VALUE in namespace `ns` (`rt`: a socket bound to it), says how.
// Throws model::Error: Unsupported when neither way works, System otherwise.
SysctlWay setSysctl(const Fd& ns, Rtnl& rt, const std::string& key, const std::string& value);

// The value as /proc/sys shows it inside `ns` ("" when there is no such key).
std::string readSysctl(const Fd& ns, const std::string& key);

}  // namespace cnmlab::live
