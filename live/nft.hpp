#pragma once
// Docker's iptables rules as an nftables script, loaded with libnftables inside
// one namespace. Chains keep Docker's names (DOCKER, DOCKER-USER,
// DOCKER-ISOLATION-STAGE-1 ...) in tables "ip filter" and "ip nat", the way
// iptables-nft lays them out.

#include <string>

#include "drivers/plan.hpp"
#include "live/netns.hpp"

namespace cnmlab::live {

// The script for namespace `netns` of the plan ("" when it has no rules).
std::string nftScript(const drivers::Plan& plan, const std::string& netns);
// One rule in nft syntax, e.g. `iifname "br-1" oifname != "br-1" jump "DOCKER-ISOLATION-STAGE-2"`.
std::string nftRule(const drivers::NfRule& rule);
// Runs `script` with libnftables inside `ns`; throws model::Error (System) with
// nft's own error text.
void loadNft(const Fd& ns, const std::string& script);

}  // namespace cnmlab::live
