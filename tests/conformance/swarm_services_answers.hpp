#pragma once
// cnmlab's answers to the facts the swarm recorder adds for `deploy:` services
// (recorded_services/, docs/services.md "New facts"): services, tasks, the
// tasks' sandbox rules, the load balancers' IPVS tables and rules, VIPs as
// reach targets and in DNS answers, and task container names in DNS questions.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/conformance/conformance_loaded.hpp"

namespace cnmlab::conformance {

// The answer to `fact` when it is one of the services' kinds (svc/, task/,
// sbox/, lb/.../{ipvs,iptables}, reach to vip:KEY@NET), else nullopt. `reason`
// gets the simulation's explanation of a reach answer.
std::optional<nlohmann::json> servicesAnswer(const Loaded& l, const nlohmann::json& fact,
                                             std::string& reason);

// Docker's side of those facts in the same terms: a sandbox's iptables
// without the embedded DNS server's rules (cnmlab's Plan has no DNS rules;
// its DNS is compared by the dns facts), else nullopt.
std::optional<nlohmann::json> servicesDocker(const nlohmann::json& fact);

// The name a dns fact asks, as cnmlab knows it: a task's container name,
// recorded with Docker's random ids (<KEY.SLOT.task.id>, <HOST.node.id>),
// becomes cnmlab's name of that task's container (PROJECT_KEY.SLOT); other
// names are asked as recorded.
std::string dnsQuestion(const Loaded& l, const nlohmann::json& fact);

// How a DNS answer's address is written: `vip:KEY@NET` for a service's
// virtual IP, "" when it is none.
std::string vipLabel(const Loaded& l, const model::Ipv4& address);

}  // namespace cnmlab::conformance
