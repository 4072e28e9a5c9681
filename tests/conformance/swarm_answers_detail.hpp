#pragma once
// What swarm_answers.cpp and swarm_answers_host.cpp share: reading the Plan
// the way the swarm recorder read the kernel.

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/conformance/conformance_loaded.hpp"

namespace cnmlab::conformance::detail {

const model::NetworkInstance* networkOf(const Loaded& l, const std::string& key);
std::string withoutHost(const std::string& ns);
// A namespace's addresses but lo's.
std::vector<const drivers::Address*> addressesIn(const Loaded& l, const std::string& ns);
int mtuOf(const Loaded& l, const std::string& ns, const std::string& dev);
std::string sysctl(const Loaded& l, const std::string& ns, const std::string& key);
std::string kindName(drivers::LinkKind k);
const drivers::Address* bridgeAddress(const Loaded& l, const model::NetworkInstance& n,
                                      const std::string& host);
// A user bridge's name written as the recorder writes its random one.
nlohmann::json withBridgeIds(const Loaded& l, const std::string& host, nlohmann::json v);

// The routes `ip route` shows in a namespace: each address's connected route
// (none for a /32, such as a VIP alias: fib_add_ifaddr), then the Plan's
// routes, devices written by `dev(name)`.
template <typename DevName>
nlohmann::json routesIn(const Loaded& l, const std::string& ns, DevName dev) {
    std::vector<std::string> out;
    for (const auto* a : addressesIn(l, ns)) {
        if (a->cidr.prefix < 32) {
            out.push_back(fmt::format("{} {}", a->cidr.networkStr(), dev(a->dev)));
        }
    }
    for (const auto& r : l.plan.routes) {
        if (r.netns == ns) {
            const std::string dst = r.dst.prefix == 0 ? "default" : r.dst.networkStr();
            out.push_back(dst + (r.via ? " via " + r.via->str() : "") + " " + dev(r.dev));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// swarm_answers_host.cpp: host/, ipt/ and xfrm/ facts.
nlohmann::json hostFact(const Loaded& l, const std::string& host, const std::string& field);
nlohmann::json iptablesFact(const Loaded& l, const nlohmann::json& fact);
nlohmann::json xfrmFact(const Loaded& l, const nlohmann::json& fact);

}  // namespace cnmlab::conformance::detail
