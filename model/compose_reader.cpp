// The top level of a scenario file, and the value readers every section
// shares. The sections themselves: compose_services.cpp, compose_ports.cpp,
// compose_networks.cpp, compose_x_keys.cpp (see compose_reader_impl.hpp).
#include "model/compose_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "model/compose_reader_impl.hpp"
#include "model/scenario_validate.hpp"
#include "model/schema_check.hpp"
#include "model/yaml_util.hpp"

namespace cnmlab::model {

namespace detail {

void ComposeReader::fail(const YAML::Node& at, const std::string& message) const {
    throw Error(ErrorKind::Invalid, message, pos(at));
}

SourcePos ComposeReader::pos(const YAML::Node& n) const {
    return positionOf(m_file, n.Mark());
}

std::string ComposeReader::scalar(const YAML::Node& n, const std::string& path) const {
    if (!n.IsScalar()) {
        fail(n, fmt::format("{}: expected a single value", path));
    }
    return n.Scalar();
}

std::string ComposeReader::choice(const YAML::Node& n, const std::string& path, const char* what,
                                  std::initializer_list<std::string_view> allowed) const {
    const std::string v = scalar(n, path);
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) {
        return v;
    }
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        list += (i == 0                    ? ""
                 : i + 1 == allowed.size() ? " or "
                                           : ", ") +
                std::string(allowed.begin()[i]);
    }
    fail(n, fmt::format("{}: '{}' is not {} (expected {})", path, v, what, list));
}

bool ComposeReader::boolean(const YAML::Node& n, const std::string& path) const {
    const std::string s = n.IsScalar() ? n.Scalar() : "";
    if (s == "true" || s == "True" || s == "TRUE") {
        return true;
    }
    if (s == "false" || s == "False" || s == "FALSE") {
        return false;
    }
    fail(n, fmt::format("{}: expected true or false", path));
}

int ComposeReader::integer(const YAML::Node& n, const std::string& path, int lo, int hi) const {
    const std::string s = scalar(n, path);
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi) {
        fail(n, fmt::format("{}: '{}' is not a number from {} to {}", path, s, lo, hi));
    }
    return v;
}

double ComposeReader::real(const YAML::Node& n, const std::string& path) const {
    try {
        return std::stod(scalar(n, path));
    } catch (const std::exception&) {
        fail(n, fmt::format("{}: '{}' is not a number", path, n.Scalar()));
    }
}

Ipv4 ComposeReader::ipv4(const YAML::Node& n, const std::string& path) const {
    auto ip = Ipv4::parse(scalar(n, path));
    if (!ip) {
        fail(n, fmt::format("{}: '{}' is not an IPv4 address", path, n.Scalar()));
    }
    return *ip;
}

Cidr ComposeReader::cidr(const YAML::Node& n, const std::string& path) const {
    auto c = Cidr::parse(scalar(n, path));
    if (!c) {
        fail(n, fmt::format("{}: '{}' is not an IPv4 subnet in CIDR form (like 10.0.0.0/24)", path,
                            n.Scalar()));
    }
    return *c;
}

Cidr ComposeReader::subnet(const YAML::Node& n, const std::string& path) const {
    Cidr c = cidr(n, path);
    if (!c.isNetworkAddress()) {
        fail(n, fmt::format("{}: '{}' has host bits set; the subnet is {}", path, n.Scalar(),
                            c.networkStr()));
    }
    return c;
}

std::vector<std::string> ComposeReader::stringList(const YAML::Node& n,
                                                   const std::string& path) const {
    std::vector<std::string> out;
    if (n.IsNull()) {
        return out;
    }
    if (!n.IsSequence()) {
        fail(n, fmt::format("{}: expected a list", path));
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
        out.push_back(scalar(n[i], fmt::format("{}[{}]", path, i)));
    }
    return out;
}

void ComposeReader::map(const YAML::Node& n, const std::string& path) const {
    if (!n.IsMap()) {
        fail(n, fmt::format("{}: expected a mapping", path));
    }
}

ExtraKeys ComposeReader::extras(const YAML::Node& map,
                                std::initializer_list<std::string_view> known) {
    ExtraKeys out;
    for (const auto& kv : map) {
        const std::string& k = kv.first.Scalar();
        if (std::find(known.begin(), known.end(), k) == known.end()) {
            out.emplace_back(k, kv.second);
        }
    }
    return out;
}

YAML::Node ComposeReader::keyOf(const YAML::Node& map, const std::string& name) {
    for (const auto& kv : map) {
        if (kv.first.Scalar() == name) {
            return kv.first;
        }
    }
    return map;
}

void ComposeReader::nearMisses(const YAML::Node& map, const std::string& path,
                               std::initializer_list<std::string_view> ours) const {
    for (const auto& kv : map) {
        const std::string& k = kv.first.Scalar();
        if (k.rfind("x-", 0) != 0 || std::find(ours.begin(), ours.end(), k) != ours.end()) {
            continue;
        }
        std::string_view best;
        std::size_t bestDistance = 3;
        for (std::string_view o : ours) {
            const std::size_t d = editDistance(k, o);
            if (d < bestDistance) {
                best = o;
                bestDistance = d;
            }
        }
        if (!best.empty()) {
            m_warnings.push_back(
                Warning{pos(kv.first), fmt::format("{}{}: cnmlab ignores '{}' (Compose allows "
                                                   "any x- key); did you mean '{}'?",
                                                   path, k, k, best)});
        }
    }
}

std::size_t ComposeReader::editDistance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

void ComposeReader::onlyKeys(const YAML::Node& map, const std::string& path,
                             std::initializer_list<std::string_view> allowed) const {
    for (const auto& kv : map) {
        const std::string& k = kv.first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end() &&
            k.rfind("x-", 0) != 0) {
            std::string list;
            for (auto a : allowed) {
                list += (list.empty() ? "" : ", ") + std::string(a);
            }
            fail(kv.first,
                 fmt::format("{}: unknown key '{}' (expected one of: {})", path, k, list));
        }
    }
}

// Compose's schema names services and networks with ^[a-zA-Z0-9._-]+$ (the
// schema check says so for services, with the same words; it lets any
// network key through).
void ComposeReader::checkName(const YAML::Node& key, const char* section) const {
    static const std::string allowed =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    const std::string& name = key.Scalar();
    if (name.empty() || name.find_first_not_of(allowed) != std::string::npos) {
        const std::string what(section, std::strlen(section) - 1);  // services -> service
        fail(key, fmt::format("{}: '{}' is not a valid {} name (Compose allows letters, digits, "
                              "'.', '_' and '-')",
                              section, name, what));
    }
}

// A letter or digit, then letters, digits, '.', '_' and '-'. cnmlab's own
// namespaces start with '_', so none collides.
void ComposeReader::checkMachineName(const YAML::Node& at, const std::string& path,
                                     const std::string& name, const char* what) const {
    static const std::string alnum =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    if (name.empty() || alnum.find(name.front()) == std::string::npos ||
        name.find_first_not_of(alnum + "._-") != std::string::npos) {
        fail(at, fmt::format("{}: '{}' is not a valid {} (a letter or digit, then letters, "
                             "digits, '.', '_' and '-')",
                             path, name, what));
    }
}

void ComposeReader::projectName(Scenario& sc, const YAML::Node& v) const {
    sc.projectName = scalar(v, "name");
    sc.nameGiven = true;
    static const std::string allowed = "abcdefghijklmnopqrstuvwxyz0123456789_-";
    if (sc.projectName.empty() || sc.projectName.find_first_not_of(allowed) != std::string::npos ||
        !std::isalnum(static_cast<unsigned char>(sc.projectName[0]))) {
        fail(v, "name: a project name must be lower-case letters, digits, '-' and '_', "
                "starting with a letter or digit");
    }
}

// `include:` (Compose 2.20 and later) merges other Compose files into this
// one; reading only this file would quietly lose their services and networks,
// so it is refused (Unsupported: exit 3).
void ComposeReader::refuseInclude(const YAML::Node& root) const {
    throw Error(ErrorKind::Unsupported,
                "include: cnmlab reads one file, and this version does not read the files that "
                "`include:` (Compose 2.20 and later) brings in; copy their services and networks "
                "into this file",
                pos(keyOf(root, "include")));
}

// The sections in a fixed order, whatever their order in the file: machines
// first, then services and networks, then what refers to them.
Scenario ComposeReader::document(const YAML::Node& root) const {
    if (root["include"]) {
        refuseInclude(root);
    }
    Scenario sc;
    sc.file = m_file;
    sc.projectName = defaultProjectName(m_file);
    if (auto v = root["name"]) {
        projectName(sc, v);
    }
    if (auto v = root["x-hosts"]) {
        sc.hostsGiven = true;
        hosts(sc, v);
    } else {
        sc.hosts.push_back(HostSpec{"host1", *Cidr::parse("192.168.100.11/24"), {}, {}});
    }
    if (auto v = root["x-externals"]) {
        externals(sc, v);
    }
    if (auto v = root["x-plugins"]) {
        plugins(sc, v);  // also kept in `extra`, which the writer writes back
    }
    if (auto v = root["services"]) {
        for (const auto& kv : v) {
            checkName(kv.first, "services");
            sc.services.push_back(service(kv.first.Scalar(), kv.first, kv.second));
        }
    }
    if (auto v = root["networks"]) {
        for (const auto& kv : v) {
            checkName(kv.first, "networks");
            sc.networks.push_back(network(kv.first.Scalar(), kv.first, kv.second));
        }
    }
    if (auto v = root["x-probes"]) {
        probes(sc, v);
    }
    if (auto v = root["x-lesson"]) {
        lesson(sc, v);
    }
    if (auto v = root["x-layout"]) {
        layout(sc, v);
    }
    sc.extra = extras(root, {"name", "x-hosts", "x-externals", "services", "networks", "x-probes",
                             "x-lesson", "x-layout"});
    nearMisses(root, "",
               {"x-hosts", "x-externals", "x-plugins", "x-probes", "x-lesson", "x-layout"});
    sc.warnings = std::move(m_warnings);
    return sc;
}

}  // namespace detail

std::string defaultProjectName(const std::string& path) {
    std::string stem = path == "-" ? "stdin" : path;
    if (auto slash = stem.find_last_of('/'); slash != std::string::npos) {
        stem = stem.substr(slash + 1);
    }
    if (auto dot = stem.find('.'); dot != std::string::npos && dot > 0) {
        stem = stem.substr(0, dot);
    }
    std::string out;
    for (char c : stem) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '_' || c == '-') {
            out += static_cast<char>(std::tolower(u));
        }
    }
    while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out[0]))) {
        out.erase(0, 1);
    }
    return out.empty() ? "cnmlab" : out;
}

Scenario readScenario(std::string_view text, const std::string& file) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::Invalid, "not valid YAML: " + e.msg, positionOf(file, e.mark));
    }
    if (!root.IsMap()) {
        throw Error(ErrorKind::Invalid,
                    root.IsNull() ? "the file is empty; a scenario is a Compose mapping"
                                  : "a scenario must be a mapping (a Compose file), not a " +
                                        std::string(root.IsSequence() ? "list" : "single value"),
                    positionOf(file, root.Mark()));
    }
    checkComposeSchema(root, file);
    try {
        Scenario sc = detail::ComposeReader(file).document(root);
        validateScenario(sc);
        return sc;
    } catch (const YAML::Exception& e) {
        // A shape the checks above did not foresee: still a positioned error, never a crash.
        throw Error(ErrorKind::Invalid, "unexpected YAML structure: " + e.msg,
                    positionOf(file, e.mark));
    }
}

Scenario readScenarioFile(const std::string& path) {
    std::string text;
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        text = ss.str();
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            throw Error(ErrorKind::NotFound, fmt::format("cannot read {}", path),
                        SourcePos{path, 1, 1});
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    return readScenario(text, path);
}

}  // namespace cnmlab::model
