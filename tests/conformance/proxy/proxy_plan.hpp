#pragma once
// The recording of docker-proxy (record_proxy.py, docker-proxy.json beside
// this file) as the tests read it: the changes the recorder made to `web` on
// the real daemon, made to the scenario's Plan, and what a client saw in each
// case put into one word that the simulation and live mode are held to.

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/plan.hpp"

namespace cnmlab::test::proxy {

inline constexpr const char* kScenario = "tests/conformance/proxy/docker-proxy.yaml";
inline constexpr const char* kRecording = "tests/conformance/proxy/docker-proxy.json";

// Ports of `web`: 80/tcp and 83/udp listen, nothing listens on 81/tcp and
// 84/udp, and 82/tcp is dropped by an iptables rule in web's own INPUT.
inline constexpr int kRefusingTcp = 81;
inline constexpr int kDroppingTcp = 82;
inline constexpr int kRefusingUdp = 84;

// The recorder's changes to `web` (its namespace is `webNetns` in `plan`).
inline void applyRecordedChanges(drivers::Plan& plan, const std::string& webNetns) {
    std::erase_if(plan.listeners, [&](const drivers::Listener& l) {
        return l.netns == webNetns && ((l.proto == model::Proto::Tcp && l.port == kRefusingTcp) ||
                                       (l.proto == model::Proto::Udp && l.port == kRefusingUdp));
    });
    drivers::NfChain input;
    input.netns = webNetns;
    input.table = drivers::NfTable::Filter;
    input.name = "INPUT";
    input.builtin = true;
    input.policy = "ACCEPT";
    plan.chains.push_back(input);
    drivers::NfRule drop;
    drop.netns = webNetns;
    drop.table = drivers::NfTable::Filter;
    drop.chain = "INPUT";
    drop.match.proto = model::Proto::Tcp;
    drop.match.dport = kDroppingTcp;
    drop.verdict = drivers::NfVerdict::Drop;
    drop.why = "The recording drops this port inside the container (iptables -A INPUT -p tcp "
               "--dport 82 -j DROP).";
    drop.whyZh = "录制时在容器内丢弃该端口（iptables -A INPUT -p tcp --dport 82 -j DROP）。";
    plan.rules.push_back(drop);
}

// What a client saw, in one word:
//   answered  TCP: connected, and bytes arrived; UDP: an answer came back
//   closed    TCP: connected, then end of file at once, without a byte
//   silent    TCP: connected, then nothing for a long while (docker-proxy
//             closes only when its own SYN is given up, about 2 minutes);
//             UDP: no answer
//   refused   TCP: connect() refused (RST); UDP: ICMP port unreachable
//   timeout   TCP: connect() got no answer
inline constexpr double kSilentSeconds = 60.0;

// The word for one recorded fact (its "client" object).
inline std::string recordedOutcome(const nlohmann::json& fact) {
    const nlohmann::json& c = fact.at("client");
    if (fact.at("proto") == "udp") {
        const std::string connected = c.at("connected");
        if (connected.rfind("answer:", 0) == 0) {
            return "answered";
        }
        return connected == "timeout"        ? "silent"
               : connected == "ECONNREFUSED" ? "refused"
                                             : connected;
    }
    const std::string connect = c.at("connect");
    if (connect == "ECONNREFUSED") {
        return "refused";
    }
    if (connect != "ok") {
        return connect;  // "timeout", or an errno name
    }
    if (!c.at("bytes").get<std::string>().empty()) {
        return "answered";
    }
    const bool quick = c.at("seconds").get<double>() < kSilentSeconds;
    return c.at("end") == "eof" && quick ? "closed" : "silent";
}

}  // namespace cnmlab::test::proxy
