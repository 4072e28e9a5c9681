#include "sim/compare_report.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "model/text.hpp"

namespace cnmlab::sim {

namespace {

using Json = nlohmann::ordered_json;

std::string tr(const std::string& lang, const char* en, const char* zh) {
    return lang == "zh" ? zh : en;
}

Json tallyJson(const Tally& t, const char* yes) {
    return Json{{yes, t.reachable}, {"total", t.total}};
}

Json pairJson(const PairKey& k) {
    return Json{{"from", k.from},
                {"to", k.to},
                {"network", k.network.empty() ? Json(nullptr) : Json(k.network)},
                {"proto", model::protoName(k.proto)},
                {"port", k.port == 0 ? Json(nullptr) : Json(k.port)}};
}

Json wireJson(const WireSample& w, const std::string& lang) {
    if (w.from.empty()) {
        return nullptr;
    }
    return Json{{"from", w.from},
                {"to", w.to},
                {"network", w.network},
                {"cross_host", w.crossHost},
                {"reachable", w.reachable},
                {"reason", w.reason.in(lang)},
                {"mtu", w.mtu},
                {"icmp_bytes", w.icmpBytes},
                {"frame_bytes", w.frameBytes},
                {"where", w.where},
                {"layers", w.layers},
                {"devices", w.devices}};
}

Json objectsJson(const PlanTally& t) {
    return Json{
        {"namespaces", t.namespaces}, {"links", t.links},           {"addresses", t.addresses},
        {"routes", t.routes},         {"neighbours", t.neighbours}, {"rules", t.rules},
        {"chains", t.chains},         {"other", t.other},           {"total", t.total()}};
}

Json driverJson(const DriverReport& r, const std::string& lang) {
    Json settings = Json::array();
    for (const auto& s : r.settings) {
        settings.push_back(Json{{"network", s.network}, {"setting", s.text}});
    }
    Json j{{"driver", r.driver},
           {"valid", r.valid},
           {"invalid", r.valid ? Json(nullptr) : Json(r.invalid)},
           {"settings", settings}};
    if (!r.valid) {
        return j;
    }
    Json changes = Json::array();
    for (const auto& c : r.changes) {
        Json cj = pairJson(c.pair);
        cj["first"] = c.first;
        cj["here"] = c.here;
        cj["reason"] = c.reason.in(lang);
        changes.push_back(std::move(cj));
    }
    Json ids = Json::array();
    for (const auto& id : r.identities) {
        ids.push_back(Json{{"container", id.container},
                           {"to", id.to},
                           {"on_lan", id.onLan},
                           {"mac", id.onLan ? Json(id.mac) : Json(nullptr)},
                           {"ip", id.onLan ? Json(id.ip) : Json(nullptr)},
                           {"vlan", id.vlan == 0 ? Json(nullptr) : Json(id.vlan)},
                           {"own_mac", id.ownMac},
                           {"own_ip", id.ownIp},
                           {"words", identityWords(id, lang)}});
    }
    j["reach"] = tallyJson(r.matrix, "reachable");
    j["changes"] = std::move(changes);
    j["flips"] = r.flips;
    j["new_or_gone"] = r.newOrGone;
    j["own_host"] = Json{{"to", tallyJson(r.toOwnHost, "reachable")},
                         {"from", tallyJson(r.fromOwnHost, "reachable")}};
    j["other_hosts"] = Json{{"to", tallyJson(r.toOtherHosts, "reachable")},
                            {"from", tallyJson(r.fromOtherHosts, "reachable")}};
    j["lan"] =
        Json{{"to", tallyJson(r.toLan, "reachable")}, {"from", tallyJson(r.fromLan, "reachable")}};
    j["cross_host"] = tallyJson(r.crossHost, "reachable");
    j["names"] = tallyJson(r.names, "resolved");
    j["published"] = tallyJson(r.published, "reachable");
    j["probes"] = tallyJson(r.probes, "pass");
    j["identity"] = std::move(ids);
    Json dups = Json::array();
    for (const auto& d : r.duplicates) {
        dups.push_back(Json{{"network", d.network}, {"ipv4", d.ip}, {"containers", d.containers}});
    }
    j["duplicates"] = std::move(dups);
    j["wire"] = wireJson(r.wire, lang);
    j["objects"] = objectsJson(r.objects);
    return j;
}

const DriverReport* baseline(const Comparison& c) {
    for (const auto& r : c.drivers) {
        if (r.valid) {
            return &r;
        }
    }
    return nullptr;
}

std::string cell(const Tally& t) {
    return t.total == 0 ? "—" : fmt::format("{}/{}", t.reachable, t.total);
}

// Display width: CJK characters take two columns, the rest one.
std::size_t width(const std::string& s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        w += len >= 3 && b != 0xE2 ? 2 : 1;  // U+2000-U+2FFF (arrows, dashes) are narrow
        i += len;
    }
    return w;
}

std::string pad(const std::string& s, std::size_t w) {
    return s + std::string(w > width(s) ? w - width(s) : 0, ' ');
}

}  // namespace

std::string identitySummary(const DriverReport& r, const std::string& lang) {
    std::map<std::string, int> kinds;
    for (const auto& id : r.identities) {
        ++kinds[identityWords(id, lang)];
    }
    if (kinds.empty()) {
        return "—";
    }
    const auto top = std::max_element(kinds.begin(), kinds.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;
    });
    return kinds.size() == 1 ? top->first : fmt::format("{} (+{})", top->first, kinds.size() - 1);
}

std::string wireWords(const WireSample& w, const std::string& lang) {
    if (w.from.empty() || w.frameBytes == 0) {
        return "—";
    }
    if (w.where == "LAN") {
        return fmt::format("{} B {}", w.frameBytes, tr(lang, "on the LAN", "（局域网上）"));
    }
    return fmt::format("{} B {} {}", w.frameBytes, tr(lang, "in", "于"), w.where);
}

Json compareJson(const Comparison& c, const std::string& lang) {
    Json drivers = Json::array();
    for (const auto& r : c.drivers) {
        drivers.push_back(driverJson(r, lang));
    }
    const DriverReport* base = baseline(c);
    return Json{{"file", c.file},
                {"networks", c.networks},
                {"containers", c.containers},
                {"baseline", base != nullptr ? Json(base->driver) : Json(nullptr)},
                {"drivers", std::move(drivers)}};
}

std::string compareText(const Comparison& c, const std::string& lang) {
    using Row = std::pair<std::string, std::function<std::string(const DriverReport&)>>;
    const std::vector<Row> rows = {
        {tr(lang, "valid", "有效"),
         [&](const DriverReport& r) {
             return r.valid ? tr(lang, "yes", "是") : tr(lang, "no", "否");
         }},
        {tr(lang, "reach matrix", "可达矩阵"),
         [&](const DriverReport& r) {
             return r.flips + r.newOrGone == 0
                        ? cell(r.matrix)
                        : fmt::format("{} ({} {}, {} {})", cell(r.matrix), r.flips,
                                      tr(lang, "flip", "处翻转"), r.newOrGone,
                                      tr(lang, "new/gone", "处增减"));
         }},
        {tr(lang, "container → own host", "容器 → 本主机"),
         [](const auto& r) { return cell(r.toOwnHost); }},
        {tr(lang, "own host → container", "本主机 → 容器"),
         [](const auto& r) { return cell(r.fromOwnHost); }},
        {tr(lang, "container → other hosts", "容器 → 其他主机"),
         [](const auto& r) { return cell(r.toOtherHosts); }},
        {tr(lang, "other hosts → container", "其他主机 → 容器"),
         [](const auto& r) { return cell(r.fromOtherHosts); }},
        {tr(lang, "container → LAN", "容器 → 局域网"), [](const auto& r) { return cell(r.toLan); }},
        {tr(lang, "LAN → container", "局域网 → 容器"),
         [](const auto& r) { return cell(r.fromLan); }},
        {tr(lang, "cross-host container ping", "跨主机容器互 ping"),
         [](const auto& r) { return cell(r.crossHost); }},
        {tr(lang, "names resolved", "名称解析"), [](const auto& r) { return cell(r.names); }},
        {tr(lang, "published ports", "发布端口"), [](const auto& r) { return cell(r.published); }},
        {tr(lang, "x-probes passing", "x-probes 通过"),
         [](const auto& r) { return cell(r.probes); }},
        {tr(lang, "identity on the LAN", "在局域网上的身份"),
         [&](const auto& r) { return identitySummary(r, lang); }},
        {tr(lang, "addresses on two hosts", "两台主机重复的地址"),
         [](const auto& r) { return std::to_string(r.duplicates.size()); }},
        {tr(lang, "MTU", "MTU"),
         [](const auto& r) { return r.wire.mtu == 0 ? "—" : std::to_string(r.wire.mtu); }},
        {tr(lang, "64-byte ping, largest frame", "64 字节 ping 最大帧"),
         [&](const auto& r) { return wireWords(r.wire, lang); }},
        {tr(lang, "devices crossed", "经过的设备"),
         [](const auto& r) {
             return r.wire.devices.empty() ? "—" : std::to_string(r.wire.devices.size());
         }},
        {tr(lang, "kernel objects (rules)", "内核对象（规则）"),
         [](const auto& r) { return fmt::format("{} ({})", r.objects.total(), r.objects.rules); }},
    };
    std::size_t labelW = 0;
    for (const auto& [label, fn] : rows) {
        labelW = std::max(labelW, width(label));
    }
    std::vector<std::size_t> colW;
    for (const auto& r : c.drivers) {
        std::size_t w = width(r.driver);
        for (const auto& [label, fn] : rows) {
            w = std::max(w, r.valid || label == rows.front().first ? width(fn(r)) : 1);
        }
        colW.push_back(w);
    }
    std::string out = fmt::format("{}: {} {}\n\n", c.file, tr(lang, "networks", "网络"),
                                  fmt::join(c.networks, ", "));
    out += pad("", labelW);
    for (std::size_t i = 0; i < c.drivers.size(); ++i) {
        out += "  " + pad(c.drivers[i].driver, colW[i]);
    }
    out += "\n";
    for (const auto& [label, fn] : rows) {
        std::string line = pad(label, labelW);
        for (std::size_t i = 0; i < c.drivers.size(); ++i) {
            const DriverReport& r = c.drivers[i];
            line += "  " + pad(r.valid || label == rows.front().first ? fn(r) : "—", colW[i]);
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + "\n";
    }
    const DriverReport* base = baseline(c);
    for (const auto& r : c.drivers) {
        out += fmt::format("\n{}:\n", r.driver);
        for (const auto& s : r.settings) {
            out += fmt::format("  {}: {}\n", s.network, s.text);
        }
        if (!r.valid) {
            out += fmt::format("  {}: {}\n", tr(lang, "invalid", "无效"), r.invalid);
            continue;
        }
        if (!r.wire.devices.empty()) {
            out += fmt::format("  {} {} → {}: {}\n", tr(lang, "ping", "ping"), r.wire.from,
                               r.wire.to, fmt::join(r.wire.devices, ", "));
        }
        constexpr std::size_t kShown = 12;
        if (!r.changes.empty() && base != nullptr) {
            out += fmt::format("  {} {}:\n", tr(lang, "changed from", "相对于"), base->driver);
        }
        for (std::size_t i = 0; i < r.changes.size() && i < kShown; ++i) {
            const PairChange& ch = r.changes[i];
            out += fmt::format("    {} → {}{}{} {}: {} → {}{}\n", ch.pair.from, ch.pair.to,
                               ch.pair.network.empty() ? "" : " (" + ch.pair.network + ")",
                               ch.pair.port != 0 ? fmt::format(" {}", ch.pair.port) : "",
                               model::protoName(ch.pair.proto), ch.first, ch.here,
                               ch.reason.in(lang).empty() ? "" : ": " + ch.reason.in(lang));
        }
        const auto changed = static_cast<std::size_t>(r.flips + r.newOrGone);
        if (changed > kShown) {
            out += fmt::format(
                "    … {} {}\n", changed - kShown,
                tr(lang, "more (--json lists up to 1,000)", "处（--json 最多列出 1000 处）"));
        }
    }
    return out;
}

}  // namespace cnmlab::sim
