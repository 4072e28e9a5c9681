#include "live/environment.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "live/netns.hpp"
#include "live/nft.hpp"
#include "live/rtnl.hpp"
#include "live/sysctl.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

constexpr unsigned kCapNetAdmin = 12;
constexpr unsigned kCapSysAdmin = 21;

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// CapEff of /proc/self/status.
unsigned long long effectiveCapabilities() {
    std::istringstream status(slurp("/proc/self/status"));
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("CapEff:", 0) == 0) {
            return std::stoull(line.substr(7), nullptr, 16);
        }
    }
    return 0;
}

std::string missingCapabilities() {
    const unsigned long long eff = effectiveCapabilities();
    std::string out;
    for (const auto& [bit, name] :
         {std::pair{kCapNetAdmin, "CAP_NET_ADMIN"}, std::pair{kCapSysAdmin, "CAP_SYS_ADMIN"}}) {
        if ((eff & (1ULL << bit)) == 0) {
            out += (out.empty() ? "" : " and ") + std::string(name);
        }
    }
    return out;
}

// How to grant what is missing: for a container, the `docker run` options.
std::string howToGrant() {
    if (!inContainer()) {
        return "run it as root (sudo cnmlab live ...)";
    }
    std::string how =
        "this is a container: start it with `docker run --cap-add NET_ADMIN --cap-add SYS_ADMIN "
        "--security-opt apparmor=unconfined ...` (or `--privileged`) and run cnmlab as root in it";
    if (const std::string profile = appArmorProfile(); !profile.empty()) {
        how += fmt::format("; AppArmor confines this process ({}), and Docker's docker-default "
                           "profile denies the mount that makes a named namespace",
                           profile);
    }
    return how;
}

// Builds a scratch namespace as `live up` builds the Plan's; "" or what failed.
std::string tryScratchNamespace(const std::string& prefix) {
    const std::string scratch = prefix + "_canlive";
    deleteNamedNetns(scratch);
    std::string failed;
    try {
        const Fd ns = createNamedNetns(scratch);
        Rtnl rt(ns);
        rt.setUp("lo");
        setSysctl(ns, rt, "net.ipv4.ip_forward", "1");
        setSysctl(ns, rt, "net.bridge.bridge-nf-call-iptables", "1");
        loadNft(ns, "add table ip cnmlab_canlive\n");
    } catch (const model::Error& e) {
        failed = e.message();
    }
    deleteNamedNetns(scratch);
    return failed;
}

}  // namespace

bool inContainer() {
    if (::access("/.dockerenv", F_OK) == 0 || ::access("/run/.containerenv", F_OK) == 0) {
        return true;
    }
    const std::string cgroup = slurp("/proc/1/cgroup");
    for (const char* word : {"docker", "containerd", "libpod", "kubepods", "lxc"}) {
        if (cgroup.find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string appArmorProfile() {
    std::string label = slurp("/proc/self/attr/apparmor/current");
    if (label.empty()) {
        label = slurp("/proc/self/attr/current");  // older kernels: the LSM's own file
    }
    while (!label.empty() && (label.back() == '\n' || label.back() == '\0')) {
        label.pop_back();
    }
    return label.empty() || label == "unconfined" ? "" : label;
}

std::string liveModeMissing(const std::string& prefix) {
    std::string why;
    if (const std::string caps = missingCapabilities(); !caps.empty()) {
        why = fmt::format("live mode needs {} to make network namespaces, and this process "
                          "lacks {}: {}",
                          "CAP_NET_ADMIN and CAP_SYS_ADMIN", caps, howToGrant());
    } else if (const std::string failed = tryScratchNamespace(prefix); !failed.empty()) {
        why = fmt::format("live mode cannot build network namespaces here: {}; {}", failed,
                          howToGrant());
    }
    return why;
}

void requireLiveMode(const std::string& prefix) {
    if (const std::string why = liveModeMissing(prefix); !why.empty()) {
        throw model::Error(model::ErrorKind::Unsupported, why + " (nothing was built)");
    }
}

}  // namespace cnmlab::live
