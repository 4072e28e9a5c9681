#include "sim/report.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "sim/packet_codec.hpp"

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
    case model::Expect::Address:
        return s.expectAddress->str();
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

Json reachJson(const std::vector<ProbeRecord>& probes, const std::string& lang) {
    Json list = Json::array();
    int ok = 0;
    for (const auto& p : probes) {
        list.push_back(probeJson(p, lang));
        ok += p.reachable ? 1 : 0;
    }
    return Json{{"probes", std::move(list)},
                {"summary", Json{{"reachable", ok},
                                 {"unreachable", static_cast<int>(probes.size()) - ok}}}};
}

std::string reachText(const std::vector<ProbeRecord>& probes, const std::string& lang) {
    std::vector<std::string> names;
    std::map<std::pair<std::string, std::string>, std::pair<int, int>> cells;  // ok, total
    for (const auto& p : probes) {
        for (const auto* n : {&p.from, &p.to}) {
            if (std::find(names.begin(), names.end(), *n) == names.end()) {
                names.push_back(*n);
            }
        }
        auto& c = cells[{p.from, p.to}];
        c.first += p.reachable ? 1 : 0;
        c.second += 1;
    }
    std::size_t w = 4;
    for (const auto& n : names) {
        w = std::max(w, n.size());
    }
    const bool zh = lang == "zh";
    std::string out = zh ? "可达性矩阵（行：发送方，列：目标；✔ 全部可达，✘ 全部不可达，◐ 部分可达，数字为 可达/探测数）\n\n"
                         : "Reachability (rows: from, columns: to; ✔ all probes answered, ✘ none, "
                           "◐ some; numbers are answered/probes)\n\n";
    out += fmt::format("{:<{}}", "", w + 2);
    for (const auto& n : names) {
        out += fmt::format(" {:>{}}", n, std::max<std::size_t>(n.size(), 7));
    }
    out += "\n";
    for (const auto& from : names) {
        out += fmt::format("{:<{}}", from, w + 2);
        for (const auto& to : names) {
            const std::size_t cw = std::max<std::size_t>(to.size(), 7);
            auto it = cells.find({from, to});
            std::string cell = "·";
            if (it != cells.end()) {
                const auto [ok, total] = it->second;
                const char* mark = ok == total ? "✔" : ok == 0 ? "✘" : "◐";
                cell = fmt::format("{} {}/{}", mark, ok, total);
            }
            // Symbols are one column wide but several bytes: pad by hand.
            const std::size_t visible = cell == "·" ? 1 : cell.size() - 2;
            out += std::string(cw + 1 - std::min(cw, visible), ' ') + cell;
        }
        out += "\n";
    }
    int ok = 0;
    for (const auto& p : probes) {
        ok += p.reachable ? 1 : 0;
    }
    out += fmt::format(fmt::runtime(zh ? "\n{} 个探测：{} 个可达，{} 个不可达\n"
                                       : "\n{} probes: {} reachable, {} unreachable\n"),
                       probes.size(), ok, probes.size() - static_cast<std::size_t>(ok));
    return out;
}

std::vector<CheckedProbe> runChecks(ScenarioSim& sim, const model::Scenario& sc) {
    std::vector<CheckedProbe> out;
    for (const auto& spec : sc.probes) {
        CheckedProbe c;
        c.spec = &spec;
        if (spec.resolve) {
            c.record = sim.lookup(spec.from, *spec.resolve, false);
            if (spec.expect == model::Expect::NxDomain) {
                c.pass = c.record.nxdomain;
            } else {
                c.pass = std::find(c.record.resolved.begin(), c.record.resolved.end(),
                                   *spec.expectAddress) != c.record.resolved.end();
            }
            c.record.reachable = !c.record.nxdomain;
        } else {
            c.record = sim.probe(spec.from, *spec.to, spec.proto, spec.port, spec.network, false);
            c.pass = c.record.reachable == (spec.expect == model::Expect::Reachable);
        }
        out.push_back(std::move(c));
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
                {"summary", Json{{"reachable", ok},
                                 {"unreachable", static_cast<int>(checks.size()) - ok}}}};
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
    out += fmt::format(fmt::runtime(zh ? "\n{} 个通过，{} 个失败\n" : "\n{} passed, {} failed\n"), passed,
                       checks.size() - static_cast<std::size_t>(passed));
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

std::string traceText(const ProbeRecord& p, const std::string& lang) {
    std::string out = fmt::format("{} -> {} ({}) {}{}\n", p.from, p.resolve ? *p.resolve : p.to,
                                  p.dst, model::protoName(p.proto),
                                  p.port ? fmt::format("/{}", *p.port) : "");
    for (const auto& h : p.hops) {
        out += fmt::format("{:>8}us  {:<16} {:<14} {:<8} {}\n", h.t, h.node, h.device, h.action,
                           h.explain.in(lang));
        if (h.frame && (h.action == std::string(action::kTx) || h.action == std::string(action::kArp) ||
                        h.action == std::string(action::kNat))) {
            out += fmt::format("{:>10}  {}\n", "", summary(*h.frame));
        }
    }
    out += fmt::format("=> {}: {}\n", p.reachable ? (lang == "zh" ? "可达" : "reachable")
                                                  : (lang == "zh" ? "不可达" : "unreachable"),
                       p.reason.in(lang));
    return out;
}

}  // namespace cnmlab::sim
