#include "live/nft.hpp"

#include <cctype>

#include <nftables/libnftables.h>

#include <map>
#include <memory>

#include <fmt/format.h>

#include "model/error.hpp"

namespace cnmlab::live {

namespace {

std::string ifname(const std::string& name) {
    if (!name.empty() && name.back() == '+') {
        return fmt::format("\"{}*\"", name.substr(0, name.size() - 1));
    }
    return fmt::format("\"{}\"", name);
}

struct Hook {
    const char* type;
    const char* hook;
    int priority;
};

std::optional<Hook> hookOf(drivers::NfTable table, const std::string& chain) {
    static const std::map<std::string, Hook> filter = {{"INPUT", {"filter", "input", 0}},
                                                       {"FORWARD", {"filter", "forward", 0}},
                                                       {"OUTPUT", {"filter", "output", 0}}};
    static const std::map<std::string, Hook> nat = {{"PREROUTING", {"nat", "prerouting", -100}},
                                                    {"INPUT", {"nat", "input", 100}},
                                                    {"OUTPUT", {"nat", "output", -100}},
                                                    {"POSTROUTING", {"nat", "postrouting", 100}}};
    // iptables' mangle: OUTPUT is a route chain (a new mark routes again).
    static const std::map<std::string, Hook> mangle = {
        {"PREROUTING", {"filter", "prerouting", -150}},
        {"INPUT", {"filter", "input", -150}},
        {"FORWARD", {"filter", "forward", -150}},
        {"OUTPUT", {"route", "output", -150}},
        {"POSTROUTING", {"filter", "postrouting", -150}}};
    const auto& m = table == drivers::NfTable::Filter ? filter
                    : table == drivers::NfTable::Nat  ? nat
                                                      : mangle;
    auto it = m.find(chain);
    if (it == m.end()) {
        return std::nullopt;
    }
    return it->second;
}

}  // namespace

std::string nftRule(const drivers::NfRule& r) {
    const drivers::NfMatch& m = r.match;
    std::string s;
    auto add = [&](const std::string& part) { s += (s.empty() ? "" : " ") + part; };
    if (!m.inIf.empty()) {
        add(fmt::format("iifname {}{}", m.inIfNot ? "!= " : "", ifname(m.inIf)));
    }
    if (!m.outIf.empty()) {
        add(fmt::format("oifname {}{}", m.outIfNot ? "!= " : "", ifname(m.outIf)));
    }
    if (m.src) {
        add(fmt::format("ip saddr {}{}", m.srcNot ? "!= " : "", m.src->networkStr()));
    }
    if (m.dst) {
        add(fmt::format("ip daddr {}{}", m.dstNot ? "!= " : "", m.dst->networkStr()));
    }
    if (m.protoNumber) {
        add(*m.protoNumber == 132 ? std::string("meta l4proto sctp")
                                  : fmt::format("meta l4proto {}", *m.protoNumber));
    }
    if (m.proto && (m.dport || m.sport)) {
        if (m.sport) {
            add(fmt::format("{} sport {}", model::protoName(*m.proto), *m.sport));
        }
        if (m.dport) {
            add(fmt::format("{} dport {}", model::protoName(*m.proto), *m.dport));
        }
    } else if (m.proto) {
        add(fmt::format("meta l4proto {}", model::protoName(*m.proto)));
    }
    if (!m.ipsecPolicy.empty()) {
        add(m.ipsecPolicy == "ipsec" ? "meta secpath exists" : "meta secpath missing");
    }
    if (m.vxlanVni) {
        // The VNI: 24 bits after the UDP header (64 bits) and VXLAN's flags (32).
        add(fmt::format("@th,96,24 {}", *m.vxlanVni));
    }
    if (m.ctEstablished) {
        add("ct state related,established");
    }
    if (!m.ctState.empty()) {
        std::string states = m.ctState;
        for (char& c : states) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        add("ct state " + states);
    }
    if (m.dstTypeLocal) {
        add("fib daddr type local");
    }
    if (m.srcTypeLocal) {
        add("fib saddr type local");
    }
    if (m.ipvs) {
        // iptables' -m ipvs has no nftables expression; live mode builds a
        // swarm service's load balancing only where the kernel has IP_VS, and
        // then reports this rule as what it cannot translate.
        throw model::Error(model::ErrorKind::Unsupported,
                           "nftables has no match for IPVS connections (iptables -m ipvs)");
    }
    switch (r.verdict) {
    case drivers::NfVerdict::Accept:
        add("accept");
        break;
    case drivers::NfVerdict::Drop:
        add("drop");
        break;
    case drivers::NfVerdict::Return:
        add("return");
        break;
    case drivers::NfVerdict::Jump:
        add(fmt::format("jump {}", r.target));
        break;
    case drivers::NfVerdict::Masquerade:
        add("masquerade");
        break;
    case drivers::NfVerdict::Dnat:
        add(r.toPort ? fmt::format("dnat to {}:{}", r.toAddress->str(), *r.toPort)
                     : fmt::format("dnat to {}", r.toAddress->str()));
        break;
    case drivers::NfVerdict::Mark:
        add(fmt::format("meta mark set 0x{:x}", r.setMark.value_or(0)));
        break;
    case drivers::NfVerdict::Snat:
        add(fmt::format("snat to {}", r.toAddress ? r.toAddress->str() : ""));
        break;
    case drivers::NfVerdict::Redirect:
        add(fmt::format("redirect to :{}", r.toPort.value_or(0)));
        break;
    }
    return s;
}

std::string nftScript(const drivers::Plan& plan, const std::string& netns) {
    std::string script;
    for (auto table : {drivers::NfTable::Filter, drivers::NfTable::Nat, drivers::NfTable::Mangle}) {
        std::string body;
        for (const auto& c : plan.chains) {
            if (c.netns != netns || c.table != table) {
                continue;
            }
            if (auto hook = hookOf(table, c.name); hook && c.builtin) {
                body += fmt::format("  chain {} {{ type {} hook {} priority {}; policy {}; }}\n",
                                    c.name, hook->type, hook->hook, hook->priority,
                                    c.policy == "DROP" ? "drop" : "accept");
            } else {
                body += fmt::format("  chain {} {{ }}\n", c.name);
            }
        }
        if (body.empty()) {
            continue;
        }
        script += fmt::format("table ip {} {{\n{}}}\n", drivers::tableName(table), body);
    }
    for (const auto& r : plan.rules) {
        if (r.netns == netns) {
            script += fmt::format("add rule ip {} {} {}\n", drivers::tableName(r.table), r.chain,
                                  nftRule(r));
        }
    }
    return script;
}

void loadNft(const Fd& ns, const std::string& script) {
    if (script.empty()) {
        return;
    }
    NetnsGuard in(ns);
    std::unique_ptr<nft_ctx, void (*)(nft_ctx*)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
    if (!ctx) {
        throw model::Error(model::ErrorKind::System, "nft_ctx_new failed");
    }
    nft_ctx_buffer_output(ctx.get());
    nft_ctx_buffer_error(ctx.get());
    if (nft_run_cmd_from_buffer(ctx.get(), script.c_str()) != 0) {
        throw model::Error(
            model::ErrorKind::System,
            fmt::format("nft -f (Docker's rules) failed: {}", nft_ctx_get_error_buffer(ctx.get())));
    }
}

}  // namespace cnmlab::live
