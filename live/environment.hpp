#pragma once
// Can live mode work on this machine, in this process? Asked once before
// anything is built (`live up`, `live verify`) and by the root tests, which
// skip with the answer. What live mode needs: CAP_NET_ADMIN and CAP_SYS_ADMIN
// (root), named network namespaces (a bind mount under /run/netns, which an
// AppArmor profile such as Docker's docker-default denies), rtnetlink and
// nftables inside them, and the Plan's sysctls (/proc/sys, or their rtnetlink
// equivalent where a container mounts /proc/sys read-only; see sysctl.hpp).
// It is tried for real in a scratch namespace named PREFIX + "_canlive",
// removed at once; the machine's own network is never touched.

#include <string>

namespace cnmlab::live {

// "" when live mode can work here; otherwise what is missing and how to grant
// it (in a container: which `docker run` options). Asked anew each time (a
// scratch namespace costs a few milliseconds): capabilities can be dropped.
std::string liveModeMissing(const std::string& prefix = "cnmlab-");

// Throws model::Error (Unsupported: exit 3) with liveModeMissing()'s answer.
void requireLiveMode(const std::string& prefix);

// Whether this process runs in a container (Docker's /.dockerenv, Podman's
// /run/.containerenv, or a container's cgroup).
bool inContainer();

// This process's AppArmor profile when it is confined ("docker-default
// (enforce)"), "" when unconfined or without AppArmor.
std::string appArmorProfile();

}  // namespace cnmlab::live
