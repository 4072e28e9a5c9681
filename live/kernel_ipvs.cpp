#include "live/kernel_ipvs.hpp"

#include <unistd.h>

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace cnmlab::live {

bool kernelHasIpvs() {
    return ::access("/proc/net/ip_vs", F_OK) == 0;
}

std::vector<LackingService> servicesTheKernelLacks(const model::Topology& topo) {
    std::vector<LackingService> out;
    const bool ipvs = kernelHasIpvs();
    for (const auto& s : topo.services) {
        if (s.vips.empty() || s.tasks.empty()) {
            continue;  // dnsrr (or no task): no IPVS involved
        }
        out.push_back(
            {&s, ipvs ? std::string("cnmlab's live mode does not program IPVS yet: its virtual "
                                    "IP and routing mesh are simulated only")
                      : std::string("the kernel lacks IPVS (CONFIG_IP_VS, module ip_vs): its "
                                    "virtual IP and routing mesh cannot work, and Docker "
                                    "programs neither on such a kernel")});
    }
    return out;
}

std::string describe(const std::vector<LackingService>& lacking) {
    std::string s;
    for (const auto& l : lacking) {
        std::string vips;
        for (const auto& v : l.service->vips) {
            vips += fmt::format("{}{} on {}", vips.empty() ? "" : ", ", v.ipv4.str(), v.network);
        }
        s += fmt::format("{}service {} ({}, VIP {}): {}", s.empty() ? "" : "\n", l.service->key,
                         l.service->name, vips, l.why);
    }
    return s;
}

drivers::Plan withoutServiceBalancing(const drivers::Plan& plan, const model::Topology& topo) {
    drivers::Plan out = plan;
    out.ipvs.clear();
    std::set<std::uint32_t> vips;
    for (const auto& s : topo.services) {
        for (const auto& v : s.vips) {
            vips.insert(v.ipv4.value());
        }
    }
    std::set<std::string> balancers;
    for (const auto& ns : plan.namespaces) {
        if (ns.kind == drivers::NetnsKind::LoadBalancer) {
            balancers.insert(ns.name);
        }
    }
    const std::string ingress = "DOCKER-INGRESS";
    std::erase_if(out.addresses, [&](const drivers::Address& a) {
        return balancers.count(a.netns) != 0 && a.cidr.prefix == 32 &&
               vips.count(a.cidr.address.value()) != 0;
    });
    std::erase_if(out.rules, [&](const drivers::NfRule& r) {
        const bool inBalancer =
            balancers.count(r.netns) != 0 && (r.table == drivers::NfTable::Mangle || r.match.ipvs);
        const bool meshOnHost = r.chain == ingress || r.target == ingress ||
                                (r.match.srcTypeLocal && r.match.outIf == "docker_gwbridge");
        return inBalancer || meshOnHost;
    });
    std::erase_if(out.chains, [&](const drivers::NfChain& c) {
        return c.name == ingress ||
               (balancers.count(c.netns) != 0 && c.table == drivers::NfTable::Mangle);
    });
    std::erase_if(out.sysctls, [&](const drivers::Sysctl& s) {
        return s.key == "net.ipv4.vs.conntrack" ||
               s.key == "net.ipv4.conf.docker_gwbridge.route_localnet" ||
               (balancers.count(s.netns) != 0 && s.key == "net.ipv4.ip_forward");
    });
    return out;
}

}  // namespace cnmlab::live
