// Reading cnmlab's own top-level keys: x-hosts, x-externals, x-probes,
// x-lesson and x-layout (docs/scenario-format.md). The schema says nothing
// about them, so every key and value is checked here; the names they refer
// to are checked by validateScenario.
#include <fmt/format.h>

#include "model/compose_reader_impl.hpp"

namespace cnmlab::model::detail {

void ComposeReader::hosts(Scenario& sc, const YAML::Node& v) const {
    map(v, "x-hosts");
    for (const auto& kv : v) {
        const std::string name = kv.first.Scalar();
        const std::string path = "x-hosts." + name;
        checkMachineName(kv.first, "x-hosts", name, "host name");
        HostSpec h;
        h.name = name;
        h.pos = pos(kv.first);
        map(kv.second, path);
        onlyKeys(kv.second, path, {"underlay"});
        if (!kv.second["underlay"]) {
            fail(kv.first, path + ": the key 'underlay' is required (like 192.168.100.11/24)");
        }
        h.underlay = cidr(kv.second["underlay"], path + ".underlay");
        h.extra = extras(kv.second, {"underlay"});
        sc.hosts.push_back(std::move(h));
    }
    if (sc.hosts.empty()) {
        fail(v, "x-hosts: at least one host is needed");
    }
}

void ComposeReader::externals(Scenario& sc, const YAML::Node& v) const {
    map(v, "x-externals");
    for (const auto& kv : v) {
        const std::string name = kv.first.Scalar();
        const std::string path = "x-externals." + name;
        checkMachineName(kv.first, "x-externals", name, "machine name");
        ExternalSpec e;
        e.name = name;
        e.pos = pos(kv.first);
        map(kv.second, path);
        onlyKeys(kv.second, path, {"underlay", "address"});
        if (auto u = kv.second["underlay"]) {
            e.underlay = cidr(u, path + ".underlay");
        }
        if (auto a = kv.second["address"]) {
            e.address = ipv4(a, path + ".address");
        }
        if (e.underlay.has_value() == e.address.has_value()) {
            fail(kv.first, path + ": give exactly one of 'underlay' (on the hosts' LAN) or "
                                  "'address' (beyond the router)");
        }
        e.extra = extras(kv.second, {"underlay", "address"});
        sc.externals.push_back(std::move(e));
    }
}

void ComposeReader::plugins(Scenario& sc, const YAML::Node& v) const {
    map(v, "x-plugins");
    for (const auto& kv : v) {
        const std::string name = kv.first.Scalar();
        const std::string path = "x-plugins." + name;
        if (isBuiltinDriver(name) || findShippedPlugin(name) != nullptr) {
            fail(kv.first, fmt::format("{}: '{}' is a driver cnmlab has already", path, name));
        }
        PluginSpec p;
        p.name = name;
        p.pos = pos(kv.first);
        map(kv.second, path);
        onlyKeys(kv.second, path, {"socket", "command", "scope", "gateway"});
        if (auto s = kv.second["socket"]) {
            p.socket = scalar(s, path + ".socket");
        }
        if (auto c = kv.second["command"]) {
            p.command = stringList(c, path + ".command");
            if (p.command.empty()) {
                fail(c, path + ".command: the program to start is missing");
            }
        }
        if (p.socket.empty() == p.command.empty()) {
            fail(kv.first, path + ": give exactly one of 'socket' (a plugin listening there) or "
                                  "'command' (a plugin cnmlab starts on each host)");
        }
        if (auto s = kv.second["scope"]) {
            const std::string scope = scalar(s, path + ".scope");
            if (scope != "local" && scope != "global") {
                fail(s, fmt::format("{}.scope: '{}' is not local or global", path, scope));
            }
            p.globalScope = scope == "global";
        }
        if (auto g = kv.second["gateway"]) {
            p.joinGivesGateway = boolean(g, path + ".gateway");
        }
        sc.plugins.push_back(std::move(p));
    }
}

void ComposeReader::probes(Scenario& sc, const YAML::Node& v) const {
    if (!v.IsSequence()) {
        fail(v, "x-probes: expected a list of probes");
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        sc.probes.push_back(probe(v[i], fmt::format("x-probes[{}]", i)));
    }
}

// A packet probe (to) or a DNS probe (resolve), and what it takes.
ProbeSpec ComposeReader::probe(const YAML::Node& p, const std::string& path) const {
    map(p, path);
    onlyKeys(p, path, {"from", "to", "resolve", "network", "proto", "port", "expect"});
    ProbeSpec pr;
    pr.pos = pos(p);
    if (!p["from"]) {
        fail(p, path + ": the key 'from' is required");
    }
    pr.from = scalar(p["from"], path + ".from");
    pr.fromPos = pos(p["from"]);
    if (p["to"]) {
        pr.to = scalar(p["to"], path + ".to");
        pr.toPos = pos(p["to"]);
    }
    if (p["resolve"]) {
        pr.resolve = scalar(p["resolve"], path + ".resolve");
    }
    if (pr.to.has_value() == pr.resolve.has_value()) {
        fail(p, path + ": give exactly one of 'to' or 'resolve'");
    }
    if (p["network"]) {
        pr.network = scalar(p["network"], path + ".network");
        pr.networkPos = pos(p["network"]);
    }
    if (p["proto"]) {
        const std::string proto = scalar(p["proto"], path + ".proto");
        pr.proto = proto == "icmp" ? Proto::Icmp : protocol(p["proto"], proto, path + ".proto");
    }
    if (p["port"]) {
        pr.port = integer(p["port"], path + ".port", 1, 65535);
    }
    if (pr.resolve && (p["proto"] || p["port"] || p["network"])) {
        fail(p, path + ": a 'resolve' probe takes no proto, port or network");
    }
    if (pr.to && pr.proto != Proto::Icmp && !pr.port) {
        fail(p, path + ": a tcp or udp probe needs a 'port'");
    }
    if (pr.to && pr.proto == Proto::Icmp && pr.port) {
        fail(p["port"], path + ".port: an icmp probe has no port");
    }
    probeExpect(pr, p, path);
    return pr;
}

// reachable or unreachable; for a DNS probe an IPv4 address or nxdomain.
void ComposeReader::probeExpect(ProbeSpec& pr, const YAML::Node& p, const std::string& path) const {
    if (!p["expect"]) {
        fail(p, path + ": the key 'expect' is required");
    }
    if (pr.resolve && p["expect"].IsSequence()) {
        const YAML::Node list = p["expect"];
        for (std::size_t i = 0; i < list.size(); ++i) {
            pr.expectAddresses.push_back(ipv4(list[i], fmt::format("{}.expect[{}]", path, i)));
        }
        if (pr.expectAddresses.empty()) {
            fail(list, path + ".expect: an empty list (expect nxdomain for no answer)");
        }
        pr.expect = Expect::Address;
        pr.expectAddress = pr.expectAddresses.front();
        return;
    }
    const std::string expect = scalar(p["expect"], path + ".expect");
    if (pr.resolve) {
        if (expect == "nxdomain") {
            pr.expect = Expect::NxDomain;
        } else if (auto ip = Ipv4::parse(expect)) {
            pr.expect = Expect::Address;
            pr.expectAddress = ip;
        } else {
            fail(p["expect"], path +
                                  ".expect: a 'resolve' probe expects an IPv4 address or "
                                  "nxdomain, not '" +
                                  expect + "'");
        }
    } else if (expect == "reachable" || expect == "unreachable") {
        pr.expect = expect == "reachable" ? Expect::Reachable : Expect::Unreachable;
    } else {
        fail(p["expect"],
             path + ".expect: expected reachable or unreachable, not '" + expect + "'");
    }
}

// {en: ..., zh: ...}, or one string for both languages.
Text ComposeReader::localText(const YAML::Node& n, const std::string& path) const {
    if (n.IsScalar()) {
        return {n.Scalar(), n.Scalar()};
    }
    map(n, path);
    onlyKeys(n, path, {"en", "zh"});
    Text t;
    if (n["en"]) {
        t.en = scalar(n["en"], path + ".en");
    }
    if (n["zh"]) {
        t.zh = scalar(n["zh"], path + ".zh");
    }
    return t;
}

void ComposeReader::lesson(Scenario& sc, const YAML::Node& v) const {
    map(v, "x-lesson");
    onlyKeys(v, "x-lesson", {"title", "steps"});
    Lesson l;
    if (v["title"]) {
        l.title = localText(v["title"], "x-lesson.title");
    }
    if (auto steps = v["steps"]) {
        if (!steps.IsSequence()) {
            fail(steps, "x-lesson.steps: expected a list");
        }
        for (std::size_t i = 0; i < steps.size(); ++i) {
            l.steps.push_back(lessonStep(steps[i], fmt::format("x-lesson.steps[{}]", i)));
        }
    }
    l.extra = extras(v, {"title", "steps"});
    sc.lesson = std::move(l);
}

LessonStep ComposeReader::lessonStep(const YAML::Node& s, const std::string& path) const {
    map(s, path);
    onlyKeys(s, path, {"en", "zh", "highlight", "probe"});
    LessonStep st;
    st.pos = pos(s);
    if (s["en"]) {
        st.text.en = scalar(s["en"], path + ".en");
    }
    if (s["zh"]) {
        st.text.zh = scalar(s["zh"], path + ".zh");
    }
    if (s["highlight"]) {
        st.highlight = stringList(s["highlight"], path + ".highlight");
        for (std::size_t j = 0; j < st.highlight.size(); ++j) {
            st.highlightPos.push_back(pos(s["highlight"][j]));
        }
    }
    if (s["probe"]) {
        st.probe = integer(s["probe"], path + ".probe", 0, 1 << 20);
    }
    return st;
}

void ComposeReader::layout(Scenario& sc, const YAML::Node& v) const {
    map(v, "x-layout");
    for (const auto& kv : v) {
        const std::string path = "x-layout." + kv.first.Scalar();
        if (!kv.second.IsSequence() || kv.second.size() != 2) {
            fail(kv.second, path + ": expected a position [x, y]");
        }
        sc.layout.emplace_back(kv.first.Scalar(),
                               std::pair{real(kv.second[0], path), real(kv.second[1], path)});
        sc.layoutPos[kv.first.Scalar()] = pos(kv.first);
    }
}

}  // namespace cnmlab::model::detail
