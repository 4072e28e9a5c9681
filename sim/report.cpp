#include "sim/report.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>
#include <iterator>

#include "drivers/underlay.hpp"
#include "packet/packet_codec.hpp"

namespace cnmlab::sim {

using Json = nlohmann::ordered_json;

namespace {

std::string expectStr(const model::ProbeSpec& s) {
    switch (s.expect) {
    case model::Expect::Reachable:
        return "reachable";
    case model::Expect::Unreachable:
        return "unreachable";
    case model::Expect::NxDomain:
        return "nxdomain";
    case model::Expect::Address: {
        if (s.expectAddresses.size() < 2) {
            return s.expectAddress->str();
        }
        std::string list;
        for (const auto& ip : s.expectAddresses) {
            list += (list.empty() ? "" : ", ") + ip.str();
        }
        return "[" + list + "]";
    }
    }
    return "";
}

}  // namespace

Json probeJson(const ProbeRecord& p, const std::string& lang) {
    Json j{{"from", p.from},
           {"to", p.resolve ? Json(nullptr) : Json(p.to)},
           {"dst", p.dst},
           {"network", p.network ? Json(*p.network) : Json(nullptr)},
           {"proto", model::protoName(p.proto)},
           {"port", p.port ? Json(*p.port) : Json(nullptr)},
           {"result", p.reachable ? "reachable" : "unreachable"},
           {"reason", p.reason.in(lang)}};
    if (p.resolve) {
        j["resolve"] = *p.resolve;
        Json answer = Json::array();
        for (const auto& ip : p.resolved) {
            answer.push_back(ip.str());
        }
        j["answer"] = p.nxdomain ? Json("nxdomain") : answer;
    }
    return j;
}

namespace {

// A JSON string literal (quotes included).
std::string quoted(const std::string& s) {
    return Json(s).dump();
}

}  // namespace

void writeReachJson(std::ostream& out, const ReachMatrix& m, const World& world,
                    const std::string& lang) {
    std::vector<std::string> names;
    names.reserve(m.names.size());
    for (const auto& n : m.names) {
        names.push_back(quoted(n));
    }
    std::vector<std::string> nets;
    for (const auto& n : m.networks) {
        nets.push_back(quoted(n));
    }
    // Many probes share a reason (the same rule drops them, the same host
    // answers), so each distinct reason is put into words once; the probes are
    // written with plain appends (millions of them in a large matrix).
    std::unordered_map<Reason, std::string, ReasonHash> reasons;
    auto reasonText = [&](const Reason& r) -> const std::string& {
        auto [it, fresh] = reasons.try_emplace(r);
        if (fresh) {
            it->second = quoted(world.explain(r).in(lang));
        }
        return it->second;
    };
    std::unordered_map<std::uint32_t, std::string> dsts;  // address -> "a.b.c.d"
    auto dstText = [&](Ipv4 ip) -> const std::string& {
        auto [it, fresh] = dsts.try_emplace(ip.value());
        if (fresh) {
            it->second = ip.str();
        }
        return it->second;
    };
    out << "{\n  \"probes\": [";
    std::size_t ok = 0;
    fmt::memory_buffer buf;
    auto put = [&buf](std::string_view sv) { buf.append(sv.data(), sv.data() + sv.size()); };
    for (std::size_t i = 0; i < m.entries.size(); ++i) {
        const ReachEntry& e = m.entries[i];
        ok += e.reachable ? 1 : 0;
        put(i == 0 ? "\n    {\"from\": " : ",\n    {\"from\": ");
        put(names[e.from]);
        put(", \"to\": ");
        put(names[e.to]);
        put(", \"dst\": \"");
        put(dstText(e.dst));
        put("\", \"network\": ");
        put(e.network < 0 ? std::string_view("null") : nets[static_cast<std::size_t>(e.network)]);
        put(", \"proto\": \"");
        put(model::protoName(e.proto));
        put("\", \"port\": ");
        if (e.proto == model::Proto::Icmp) {
            put("null");
        } else {
            fmt::format_to(std::back_inserter(buf), "{}", e.port);
        }
        put(e.reachable ? ", \"result\": \"reachable\", \"reason\": "
                        : ", \"result\": \"unreachable\", \"reason\": ");
        put(reasonText(e.reason));
        put("}");
        if (buf.size() > (1u << 16)) {
            out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
            buf.clear();
        }
    }
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    out << fmt::format("\n  ],\n  \"summary\": {{\"reachable\": {}, \"unreachable\": {}}}\n}}\n",
                       ok, m.entries.size() - ok);
}

std::string reachText(const ReachMatrix& m, const std::string& lang) {
    const std::size_t n = m.names.size();
    std::vector<std::pair<int, int>> cells(n * n, {0, 0});  // answered, probes
    std::size_t ok = 0;
    for (const auto& e : m.entries) {
        auto& c = cells[e.from * n + e.to];
        c.first += e.reachable ? 1 : 0;
        c.second += 1;
        ok += e.reachable ? 1 : 0;
    }
    const bool zh = lang == "zh";
    std::string out;
    if (n <= 40) {
        std::size_t w = 4;
        for (const auto& name : m.names) {
            w = std::max(w, name.size());
        }
        out = zh ? "可达性矩阵（行：发送方，列：目标；✔ 全部可达，✘ 全部不可达，◐ 部分可达，数字为 "
                   "可达/探测数）\n\n"
                 : "Reachability (rows: from, columns: to; ✔ all probes answered, ✘ none, ◐ some; "
                   "numbers are answered/probes)\n\n";
        out += std::string(w + 2, ' ');
        for (const auto& name : m.names) {
            out += fmt::format(" {:>{}}", name, std::max<std::size_t>(name.size(), 7));
        }
        out += "\n";
        for (std::size_t f = 0; f < m.sources; ++f) {
            out += fmt::format("{:<{}}", m.names[f], w + 2);
            for (std::size_t t = 0; t < n; ++t) {
                const std::size_t cw = std::max<std::size_t>(m.names[t].size(), 7);
                const auto [good, total] = cells[f * n + t];
                std::string cell = "·";
                std::size_t visible = 1;
                if (total > 0) {
                    const char* mark = good == total ? "✔" : good == 0 ? "✘" : "◐";
                    const std::string counts = fmt::format("{}/{}", good, total);
                    cell = fmt::format("{} {}", mark, counts);
                    visible = counts.size() + 2;  // the symbol is one column wide
                }
                out += std::string(cw + 1 - std::min(cw, visible), ' ') + cell;
            }
            out += "\n";
        }
    } else {
        // Too wide for a terminal: one line per sender.
        for (std::size_t f = 0; f < m.sources; ++f) {
            int good = 0;
            int total = 0;
            int targets = 0;
            for (std::size_t t = 0; t < n; ++t) {
                good += cells[f * n + t].first;
                total += cells[f * n + t].second;
                targets += cells[f * n + t].first > 0 ? 1 : 0;
            }
            out += fmt::format(
                fmt::runtime(zh ? "{:<16} {} / {} 个探测可达，可访问 {} 个目标\n"
                                : "{:<16} {} of {} probes answered, {} targets reached\n"),
                m.names[f], good, total, targets);
        }
    }
    out += fmt::format(fmt::runtime(zh ? "\n{} 个探测：{} 个可达，{} 个不可达\n"
                                       : "\n{} probes: {} reachable, {} unreachable\n"),
                       m.entries.size(), ok, m.entries.size() - ok);
    return out;
}

CheckedProbe runCheck(ScenarioSim& sim, const model::ProbeSpec& spec) {
    CheckedProbe c;
    c.spec = &spec;
    if (spec.resolve) {
        c.record = sim.lookup(spec.from, *spec.resolve, false);
        if (spec.expect == model::Expect::NxDomain) {
            c.pass = c.record.nxdomain;
        } else if (!spec.expectAddresses.empty()) {
            auto sorted = [](std::vector<Ipv4> v) {
                std::sort(v.begin(), v.end(), [](Ipv4 a, Ipv4 b) { return a.value() < b.value(); });
                v.erase(std::unique(v.begin(), v.end()), v.end());
                return v;
            };
            c.pass = sorted(c.record.resolved) == sorted(spec.expectAddresses);
        } else {
            c.pass = std::find(c.record.resolved.begin(), c.record.resolved.end(),
                               spec.expectAddress) != c.record.resolved.end();
        }
        c.record.reachable = !c.record.nxdomain;
    } else {
        c.record = sim.probe(spec.from, *spec.to, spec.proto, spec.port, spec.network, false);
        c.pass = c.record.reachable == (spec.expect == model::Expect::Reachable);
    }
    return c;
}

std::string answerWord(const CheckedProbe& c) {
    if (c.spec->resolve) {
        std::string s;
        for (const auto& ip : c.record.resolved) {
            s += (s.empty() ? "" : ",") + ip.str();
        }
        return s.empty() ? std::string("nxdomain") : s;
    }
    return std::string(model::outcomeName(c.record.outcome));
}

std::vector<CheckedProbe> runChecks(ScenarioSim& sim, const model::Scenario& sc) {
    std::vector<CheckedProbe> out;
    out.reserve(sc.probes.size());
    for (const auto& spec : sc.probes) {
        out.push_back(runCheck(sim, spec));
    }
    return out;
}

Json checkJson(const std::vector<CheckedProbe>& checks, const std::string& lang) {
    Json list = Json::array();
    int ok = 0;
    for (const auto& c : checks) {
        Json j = probeJson(c.record, lang);
        j["expect"] = expectStr(*c.spec);
        j["pass"] = c.pass;
        list.push_back(std::move(j));
        ok += c.record.reachable ? 1 : 0;
    }
    return Json{{"probes", std::move(list)},
                {"summary",
                 Json{{"reachable", ok}, {"unreachable", static_cast<int>(checks.size()) - ok}}}};
}

std::string checkText(const std::vector<CheckedProbe>& checks, const std::string& lang) {
    std::string out;
    int passed = 0;
    const bool zh = lang == "zh";
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const CheckedProbe& c = checks[i];
        const ProbeRecord& r = c.record;
        std::string what;
        if (c.spec->resolve) {
            std::string answer = r.nxdomain ? "nxdomain" : "";
            for (const auto& ip : r.resolved) {
                answer += (answer.empty() ? "" : ",") + ip.str();
            }
            what = fmt::format("{} resolve {} -> {}", r.from, *c.spec->resolve, answer);
        } else {
            what = fmt::format("{} -> {} {}{}", r.from, r.to, model::protoName(r.proto),
                               r.port ? fmt::format("/{}", *r.port) : "");
            what += fmt::format(" ({})", r.reachable ? "reachable" : "unreachable");
        }
        out += fmt::format("{} [{}] {}  expect {}\n      {}\n", c.pass ? "PASS" : "FAIL", i, what,
                           expectStr(*c.spec), r.reason.in(lang));
        passed += c.pass ? 1 : 0;
    }
    out += fmt::format(fmt::runtime(zh ? "\n{} 个通过，{} 个失败\n" : "\n{} passed, {} failed\n"),
                       passed, checks.size() - static_cast<std::size_t>(passed));
    return out;
}

Json traceJson(const ProbeRecord& p, const std::string& lang) {
    Json hops = Json::array();
    for (const auto& h : p.hops) {
        hops.push_back(Json{{"t_us", h.t},
                            {"node", h.node},
                            {"device", h.device},
                            {"action", h.action},
                            {"layers", h.frame ? layerNames(*h.frame) : std::vector<std::string>{}},
                            {"explain", h.explain.in(lang)}});
    }
    return Json{{"probe", probeJson(p, lang)}, {"hops", std::move(hops)}};
}

std::pair<std::string, std::string> hopWhere(const Hop& h, const std::string& lang) {
    const bool zh = lang == "zh";
    if (h.node == drivers::kLanNetns) {
        std::string port;
        if (h.device == drivers::kRouterNetns) {
            port = zh ? "通往路由器" : "to router";
        } else if (h.device != drivers::kLanBridge) {
            port = zh ? "通往 " + h.device : "to " + h.device;
        }
        return {zh ? "局域网交换机" : "LAN switch", port};
    }
    if (h.node == drivers::kRouterNetns) {
        return {zh ? "路由器" : "router", h.device};
    }
    return {h.node, h.device};
}

std::string traceText(const ProbeRecord& p, const std::string& lang) {
    std::string out =
        fmt::format("{} -> {} ({}) {}{}\n", p.from, p.resolve ? *p.resolve : p.to, p.dst,
                    model::protoName(p.proto), p.port ? fmt::format("/{}", *p.port) : "");
    for (const auto& h : p.hops) {
        const auto [node, device] = hopWhere(h, lang);
        out += fmt::format("{:>8}us  {:<16} {:<14} {:<8} {}\n", h.t, node, device, h.action,
                           h.explain.in(lang));
        if (h.frame &&
            (h.action == std::string(action::kTx) || h.action == std::string(action::kArp) ||
             h.action == std::string(action::kNat))) {
            out += fmt::format("{:>10}  {}\n", "", summary(*h.frame));
        }
    }
    out += fmt::format("=> {}: {}\n",
                       p.reachable ? (lang == "zh" ? "可达" : "reachable")
                                   : (lang == "zh" ? "不可达" : "unreachable"),
                       p.reason.in(lang));
    return out;
}

}  // namespace cnmlab::sim
