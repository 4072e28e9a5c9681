#include "model/compose_reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "model/scenario_validate.hpp"
#include "model/schema_check.hpp"
#include "model/yaml_util.hpp"

namespace cnmlab::model {

namespace {

// Reads one YAML document into model structs. Every error names the path of
// the key (services.web.ports[0]) and its position.
class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
        throw Error(ErrorKind::Invalid, message, pos(at));
    }
    SourcePos pos(const YAML::Node& n) const { return positionOf(m_file, n.Mark()); }

    std::string scalar(const YAML::Node& n, const std::string& path) const {
        if (!n.IsScalar()) {
            fail(n, fmt::format("{}: expected a single value", path));
        }
        return n.Scalar();
    }

    bool boolean(const YAML::Node& n, const std::string& path) const {
        const std::string s = n.IsScalar() ? n.Scalar() : "";
        if (s == "true" || s == "True" || s == "TRUE") {
            return true;
        }
        if (s == "false" || s == "False" || s == "FALSE") {
            return false;
        }
        fail(n, fmt::format("{}: expected true or false", path));
    }

    int integer(const YAML::Node& n, const std::string& path, int lo, int hi) const {
        const std::string s = scalar(n, path);
        int v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi) {
            fail(n, fmt::format("{}: '{}' is not a number from {} to {}", path, s, lo, hi));
        }
        return v;
    }

    double real(const YAML::Node& n, const std::string& path) const {
        try {
            return std::stod(scalar(n, path));
        } catch (const std::exception&) {
            fail(n, fmt::format("{}: '{}' is not a number", path, n.Scalar()));
        }
    }

    Ipv4 ipv4(const YAML::Node& n, const std::string& path) const {
        auto ip = Ipv4::parse(scalar(n, path));
        if (!ip) {
            fail(n, fmt::format("{}: '{}' is not an IPv4 address", path, n.Scalar()));
        }
        return *ip;
    }

    Cidr cidr(const YAML::Node& n, const std::string& path) const {
        auto c = Cidr::parse(scalar(n, path));
        if (!c) {
            fail(n, fmt::format("{}: '{}' is not an IPv4 subnet in CIDR form (like 10.0.0.0/24)",
                                path, n.Scalar()));
        }
        return *c;
    }

    // A subnet must be given as its network address (Docker: "invalid subnet").
    Cidr subnet(const YAML::Node& n, const std::string& path) const {
        Cidr c = cidr(n, path);
        if (!c.isNetworkAddress()) {
            fail(n, fmt::format("{}: '{}' has host bits set; the subnet is {}", path, n.Scalar(),
                                c.networkStr()));
        }
        return c;
    }

    std::vector<std::string> stringList(const YAML::Node& n, const std::string& path) const {
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

    // Keys not in `known` are kept verbatim for the writer.
    static ExtraKeys extras(const YAML::Node& map, std::initializer_list<std::string_view> known) {
        ExtraKeys out;
        for (const auto& kv : map) {
            const std::string& k = kv.first.Scalar();
            if (std::find(known.begin(), known.end(), k) == known.end()) {
                out.emplace_back(k, kv.second);
            }
        }
        return out;
    }

    // Compose allows any `x-` key, so a misspelt one of cnmlab's (x-probs,
    // x-lisen) would vanish without a word: a key within two edits of one of
    // `ours` is kept, with a warning naming the key it resembles.
    void nearMisses(const YAML::Node& map, const std::string& path,
                    std::initializer_list<std::string_view> ours) const {
        for (const auto& kv : map) {
            const std::string& k = kv.first.Scalar();
            if (k.rfind("x-", 0) != 0 ||
                std::find(ours.begin(), ours.end(), k) != ours.end()) {
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

    // Levenshtein distance with adjacent transpositions (optimal string alignment).
    static std::size_t editDistance(std::string_view a, std::string_view b) {
        std::vector<std::vector<std::size_t>> d(a.size() + 1,
                                                std::vector<std::size_t>(b.size() + 1));
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

    // For cnmlab's own x- mappings, where the schema says nothing.
    void onlyKeys(const YAML::Node& map, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const {
        for (const auto& kv : map) {
            const std::string& k = kv.first.Scalar();
            if (std::find(allowed.begin(), allowed.end(), k) == allowed.end() &&
                k.rfind("x-", 0) != 0) {
                std::string list;
                for (auto a : allowed) {
                    list += (list.empty() ? "" : ", ") + std::string(a);
                }
                fail(kv.first, fmt::format("{}: unknown key '{}' (expected one of: {})", path, k,
                                           list));
            }
        }
    }

    // Compose's schema names services and networks with ^[a-zA-Z0-9._-]+$.
    void checkName(const YAML::Node& key, const char* section) const {
        static const std::string allowed =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        const std::string& name = key.Scalar();
        if (name.empty() || name.find_first_not_of(allowed) != std::string::npos) {
            fail(key, fmt::format("{}: '{}' is not a valid name (letters, digits, '.', '_' and "
                                  "'-' only)",
                                  section, name));
        }
    }

    // A machine's name (x-hosts, x-externals) or a container name, as Docker
    // checks container names: a letter or digit, then letters, digits, '.',
    // '_' and '-'. cnmlab's own namespaces start with '_', so none collides.
    void checkMachineName(const YAML::Node& at, const std::string& path, const std::string& name,
                          const char* what) const {
        static const std::string alnum =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        if (name.empty() || alnum.find(name.front()) == std::string::npos ||
            name.find_first_not_of(alnum + "._-") != std::string::npos) {
            fail(at, fmt::format("{}: '{}' is not a valid {} (a letter or digit, then letters, "
                                 "digits, '.', '_' and '-')",
                                 path, name, what));
        }
    }

    void map(const YAML::Node& n, const std::string& path) const {
        if (!n.IsMap()) {
            fail(n, fmt::format("{}: expected a mapping", path));
        }
    }

    // "80", "80/udp", "8000-8010/tcp"
    PortProto portProto(const YAML::Node& n, const std::string& path, int* last = nullptr) const {
        std::string s = scalar(n, path);
        PortProto pp;
        if (auto slash = s.find('/'); slash != std::string::npos) {
            pp.proto = protocol(n, s.substr(slash + 1), path);
            s = s.substr(0, slash);
        }
        auto [first, lastPort] = portRange(n, s, path);
        pp.port = first;
        if (last != nullptr) {
            *last = lastPort;
        } else if (lastPort != first) {
            fail(n, fmt::format("{}: expected one port, found the range '{}'", path, s));
        }
        return pp;
    }

    Proto protocol(const YAML::Node& n, const std::string& s, const std::string& path) const {
        if (s == "tcp") {
            return Proto::Tcp;
        }
        if (s == "udp") {
            return Proto::Udp;
        }
        fail(n, fmt::format("{}: unknown protocol '{}' (expected tcp or udp)", path, s));
    }

    std::pair<int, int> portRange(const YAML::Node& n, const std::string& s,
                                  const std::string& path) const {
        auto one = [&](std::string_view t) {
            int v = 0;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (t.empty() || ec != std::errc{} || p != t.data() + t.size() || v < 1 || v > 65535) {
                fail(n, fmt::format("{}: '{}' is not a port (1-65535)", path, s));
            }
            return v;
        };
        const auto dash = s.find('-');
        if (dash == std::string::npos) {
            int v = one(s);
            return {v, v};
        }
        int a = one(std::string_view(s).substr(0, dash));
        int b = one(std::string_view(s).substr(dash + 1));
        if (b < a) {
            fail(n, fmt::format("{}: the port range '{}' is reversed", path, s));
        }
        return {a, b};
    }

    std::vector<PortProto> portList(const YAML::Node& n, const std::string& path) const {
        std::vector<PortProto> out;
        if (n.IsNull()) {
            return out;
        }
        if (!n.IsSequence()) {
            fail(n, fmt::format("{}: expected a list of ports", path));
        }
        for (std::size_t i = 0; i < n.size(); ++i) {
            int last = 0;
            PortProto pp = portProto(n[i], fmt::format("{}[{}]", path, i), &last);
            for (int p = pp.port; p <= last; ++p) {
                out.push_back({p, pp.proto});
            }
        }
        return out;
    }

    PortMapping shortPort(const YAML::Node& n, const std::string& path) const {
        PortMapping pm;
        pm.original = n;
        pm.pos = pos(n);
        std::string s = scalar(n, path);
        if (auto slash = s.find('/'); slash != std::string::npos) {
            pm.proto = protocol(n, s.substr(slash + 1), path);
            s = s.substr(0, slash);
        }
        if (s.find('[') != std::string::npos) {
            fail(n, fmt::format("{}: IPv6 host addresses are not supported by cnmlab", path));
        }
        std::vector<std::string> parts;
        std::stringstream ss(s);
        for (std::string part; std::getline(ss, part, ':');) {
            parts.push_back(part);
        }
        if (!s.empty() && s.back() == ':') {
            parts.emplace_back();
        }
        if (parts.empty() || parts.size() > 3) {
            fail(n, fmt::format("{}: '{}' is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]",
                                path, n.Scalar()));
        }
        std::tie(pm.targetFirst, pm.targetLast) = portRange(n, parts.back(), path);
        if (parts.size() >= 2 && !parts[parts.size() - 2].empty()) {
            std::tie(pm.publishedFirst, pm.publishedLast) =
                portRange(n, parts[parts.size() - 2], path);
        }
        if (parts.size() == 3 && !parts[0].empty()) {
            auto ip = Ipv4::parse(parts[0]);
            if (!ip) {
                fail(n, fmt::format("{}: '{}' is not an IPv4 host address", path, parts[0]));
            }
            pm.hostIp = ip;
        }
        checkPortCounts(n, pm, path);
        return pm;
    }

    PortMapping longPort(const YAML::Node& n, const std::string& path) const {
        PortMapping pm;
        pm.original = n;
        pm.pos = pos(n);
        if (!n["target"]) {
            fail(n, fmt::format("{}: the key 'target' is required", path));
        }
        std::tie(pm.targetFirst, pm.targetLast) =
            portRange(n["target"], scalar(n["target"], path + ".target"), path + ".target");
        if (n["published"] && !n["published"].IsNull()) {
            std::tie(pm.publishedFirst, pm.publishedLast) = portRange(
                n["published"], scalar(n["published"], path + ".published"), path + ".published");
        }
        if (n["protocol"]) {
            pm.proto = protocol(n["protocol"], scalar(n["protocol"], path + ".protocol"),
                                path + ".protocol");
        }
        if (n["host_ip"]) {
            pm.hostIp = ipv4(n["host_ip"], path + ".host_ip");
        }
        checkPortCounts(n, pm, path);
        return pm;
    }

    void checkPortCounts(const YAML::Node& n, const PortMapping& pm, const std::string& path) const {
        if (pm.publishedFirst != 0 && pm.publishedLast - pm.publishedFirst != 0 &&
            pm.publishedLast - pm.publishedFirst != pm.targetLast - pm.targetFirst) {
            fail(n, fmt::format("{}: the host and container port ranges differ in size", path));
        }
    }

    ServiceSpec service(const std::string& key, const YAML::Node& keyNode, const YAML::Node& n) const {
        const std::string path = "services." + key;
        ServiceSpec s;
        s.key = key;
        s.pos = pos(keyNode);
        if (n.IsNull()) {
            return s;
        }
        map(n, path);
        if (auto v = n["container_name"]) {
            s.containerName = scalar(v, path + ".container_name");
            checkMachineName(v, path + ".container_name", *s.containerName, "container name");
            if (s.containerName->size() < 2) {
                fail(v, fmt::format("{}.container_name: '{}' is too short (Docker wants at least "
                                    "two characters)",
                                    path, *s.containerName));
            }
        }
        if (auto v = n["hostname"]) {
            s.hostname = scalar(v, path + ".hostname");
        }
        if (auto v = n["x-host"]) {
            s.host = scalar(v, path + ".x-host");
            s.hostPos = pos(v);
        }
        if (auto v = n["network_mode"]) {
            networkMode(s, v, path + ".network_mode");
        }
        if (auto v = n["networks"]) {
            serviceNetworks(s, v, path + ".networks");
        }
        if (auto v = n["ports"]) {
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string p = fmt::format("{}.ports[{}]", path, i);
                s.ports.push_back(v[i].IsMap() ? longPort(v[i], p) : shortPort(v[i], p));
            }
        }
        if (auto v = n["expose"]) {
            s.expose = portList(v, path + ".expose");
        }
        if (auto v = n["x-listen"]) {
            s.listen = portList(v, path + ".x-listen");
        }
        if (auto v = n["deploy"]) {
            // Until swarm services exist, a `deploy:` service would quietly
            // become one plain container: refuse it instead.
            throw Error(ErrorKind::Unsupported,
                        fmt::format("{}.deploy: swarm services (`deploy:`, as `docker stack "
                                    "deploy` creates them) are not supported by this version of "
                                    "cnmlab; remove `deploy:` to run {} as a plain container",
                                    path, key),
                        pos(keyOf(n, "deploy")));
        }
        nearMisses(n, path + ".", {"x-host", "x-listen"});
        s.extra = extras(n, {"container_name", "hostname", "x-host", "network_mode", "networks",
                             "ports", "expose", "x-listen"});
        return s;
    }

    void networkMode(ServiceSpec& s, const YAML::Node& v, const std::string& path) const {
        const std::string mode = scalar(v, path);
        s.networkModePos = pos(v);
        if (mode == "bridge" || mode == "default") {
            s.networkMode = mode == "bridge" ? NetworkMode::Bridge : NetworkMode::Default;
        } else if (mode == "host") {
            s.networkMode = NetworkMode::Host;
        } else if (mode == "none") {
            s.networkMode = NetworkMode::None;
        } else if (mode.rfind("service:", 0) == 0 && mode.size() > 8) {
            s.networkMode = NetworkMode::Service;
            s.networkModeTarget = mode.substr(8);
        } else if (mode.rfind("container:", 0) == 0 && mode.size() > 10) {
            s.networkMode = NetworkMode::Container;
            s.networkModeTarget = mode.substr(10);
        } else {
            fail(v, fmt::format("{}: '{}' is not a network mode (expected bridge, host, none, "
                                "service:NAME or container:NAME)",
                                path, mode));
        }
    }

    void serviceNetworks(ServiceSpec& s, const YAML::Node& v, const std::string& path) const {
        if (v.IsSequence()) {
            s.networksListForm = true;
            for (std::size_t i = 0; i < v.size(); ++i) {
                ServiceNetwork sn;
                sn.key = scalar(v[i], fmt::format("{}[{}]", path, i));
                sn.pos = pos(v[i]);
                sn.shortForm = true;
                s.networks.push_back(std::move(sn));
            }
            return;
        }
        s.networksListForm = false;
        for (const auto& kv : v) {
            ServiceNetwork sn;
            sn.key = kv.first.Scalar();
            sn.pos = pos(kv.first);
            const std::string p = path + "." + sn.key;
            const YAML::Node& body = kv.second;
            if (body.IsMap()) {
                if (auto a = body["aliases"]) {
                    sn.aliases = stringList(a, p + ".aliases");
                }
                if (auto a = body["ipv4_address"]) {
                    sn.ipv4Address = ipv4(a, p + ".ipv4_address");
                    sn.ipv4Pos = pos(a);
                }
                sn.extra = extras(body, {"aliases", "ipv4_address"});
            }
            s.networks.push_back(std::move(sn));
        }
    }

    NetworkSpec network(const std::string& key, const YAML::Node& keyNode, const YAML::Node& n) const {
        const std::string path = "networks." + key;
        NetworkSpec net;
        net.key = key;
        net.pos = pos(keyNode);
        net.driverPos = net.pos;
        if (n.IsNull()) {
            net.declaredEmpty = true;
            return net;
        }
        map(n, path);
        if (auto v = n["name"]) {
            net.name = scalar(v, path + ".name");
        }
        if (auto v = n["driver"]) {
            net.driver = scalar(v, path + ".driver");
            net.driverPos = pos(v);
        }
        if (auto v = n["driver_opts"]) {
            for (const auto& kv : v) {
                net.driverOpts.emplace_back(kv.first.Scalar(),
                                            kv.second.IsNull() ? "" : kv.second.Scalar());
            }
        }
        if (auto v = n["internal"]) {
            net.internal = boolean(v, path + ".internal");
        }
        if (auto v = n["attachable"]) {
            net.attachable = boolean(v, path + ".attachable");
        }
        if (auto v = n["enable_ipv6"]) {
            net.enableIpv6 = boolean(v, path + ".enable_ipv6");
        }
        if (auto v = n["external"]) {
            // `external: {name: X}` is Compose's older spelling of `name:`.
            if (v.IsMap()) {
                net.external = true;
                if (auto nm = v["name"]) {
                    net.name = scalar(nm, path + ".external.name");
                }
            } else {
                net.external = boolean(v, path + ".external");
            }
        }
        if (auto v = n["labels"]) {
            if (v.IsMap()) {
                for (const auto& kv : v) {
                    net.labels.emplace_back(kv.first.Scalar(),
                                            kv.second.IsNull() ? "" : kv.second.Scalar());
                }
            } else {
                for (const auto& item : stringList(v, path + ".labels")) {
                    auto eq = item.find('=');
                    net.labels.emplace_back(item.substr(0, eq),
                                            eq == std::string::npos ? "" : item.substr(eq + 1));
                }
            }
        }
        if (auto v = n["ipam"]) {
            ipam(net, v, path + ".ipam");
        }
        net.extra = extras(n, {"name", "driver", "driver_opts", "internal", "attachable",
                               "enable_ipv6", "external", "labels", "ipam"});
        return net;
    }

    void ipam(NetworkSpec& net, const YAML::Node& v, const std::string& path) const {
        if (auto d = v["driver"]) {
            net.ipamDriver = scalar(d, path + ".driver");
            if (*net.ipamDriver != "default") {
                fail(d, fmt::format("{}.driver: unknown IPAM driver '{}' (cnmlab has Docker's "
                                    "'default' IPAM driver)",
                                    path, *net.ipamDriver));
            }
        }
        if (auto cfgs = v["config"]) {
            for (std::size_t i = 0; i < cfgs.size(); ++i) {
                const std::string p = fmt::format("{}.config[{}]", path, i);
                const YAML::Node c = cfgs[i];
                IpamConfig ic;
                ic.pos = pos(c);
                if (auto s = c["subnet"]) {
                    ic.subnet = subnet(s, p + ".subnet");
                }
                if (auto r = c["ip_range"]) {
                    ic.ipRange = subnet(r, p + ".ip_range");
                    if (!ic.subnet || !ic.subnet->contains(*ic.ipRange)) {
                        fail(r, fmt::format("{}.ip_range: {} is not inside the subnet{}", p,
                                            ic.ipRange->str(),
                                            ic.subnet ? " " + ic.subnet->str() : " (none given)"));
                    }
                }
                if (auto g = c["gateway"]) {
                    ic.gateway = ipv4(g, p + ".gateway");
                    if (!ic.subnet || !ic.subnet->contains(*ic.gateway)) {
                        fail(g, fmt::format("{}.gateway: {} is not inside the subnet{}", p,
                                            ic.gateway->str(),
                                            ic.subnet ? " " + ic.subnet->str() : " (none given)"));
                    }
                }
                if (auto a = c["aux_addresses"]) {
                    for (const auto& kv : a) {
                        const Ipv4 ip = ipv4(kv.second, p + ".aux_addresses." + kv.first.Scalar());
                        if (!ic.subnet || !ic.subnet->contains(ip)) {
                            fail(kv.second, fmt::format("{}.aux_addresses.{}: {} is not inside the "
                                                        "subnet",
                                                        p, kv.first.Scalar(), ip.str()));
                        }
                        ic.auxAddresses.emplace_back(kv.first.Scalar(), ip);
                    }
                }
                ic.extra = extras(c, {"subnet", "ip_range", "gateway", "aux_addresses"});
                net.ipamConfigs.push_back(std::move(ic));
            }
            if (net.ipamConfigs.size() > 1) {
                fail(cfgs[1], fmt::format("{}.config[1]: cnmlab supports one IPv4 pool per network",
                                          path));
            }
        }
        net.ipamExtra = extras(v, {"driver", "config"});
    }

    void hosts(Scenario& sc, const YAML::Node& v) const {
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

    void externals(Scenario& sc, const YAML::Node& v) const {
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

    void probes(Scenario& sc, const YAML::Node& v) const {
        if (!v.IsSequence()) {
            fail(v, "x-probes: expected a list of probes");
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
            const std::string path = fmt::format("x-probes[{}]", i);
            const YAML::Node p = v[i];
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
                if (proto == "icmp") {
                    pr.proto = Proto::Icmp;
                } else {
                    pr.proto = protocol(p["proto"], proto, path + ".proto");
                }
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
            if (!p["expect"]) {
                fail(p, path + ": the key 'expect' is required");
            }
            const std::string expect = scalar(p["expect"], path + ".expect");
            if (pr.resolve) {
                if (expect == "nxdomain") {
                    pr.expect = Expect::NxDomain;
                } else if (auto ip = Ipv4::parse(expect)) {
                    pr.expect = Expect::Address;
                    pr.expectAddress = ip;
                } else {
                    fail(p["expect"], path + ".expect: a 'resolve' probe expects an IPv4 address "
                                             "or nxdomain, not '" + expect + "'");
                }
            } else if (expect == "reachable" || expect == "unreachable") {
                pr.expect = expect == "reachable" ? Expect::Reachable : Expect::Unreachable;
            } else {
                fail(p["expect"], path + ".expect: expected reachable or unreachable, not '" +
                                      expect + "'");
            }
            sc.probes.push_back(std::move(pr));
        }
    }

    Text localText(const YAML::Node& n, const std::string& path) const {
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

    void lesson(Scenario& sc, const YAML::Node& v) const {
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
                const std::string path = fmt::format("x-lesson.steps[{}]", i);
                const YAML::Node s = steps[i];
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
                l.steps.push_back(std::move(st));
            }
        }
        l.extra = extras(v, {"title", "steps"});
        sc.lesson = std::move(l);
    }

    void layout(Scenario& sc, const YAML::Node& v) const {
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

    Scenario document(const YAML::Node& root) const {
        Scenario sc;
        sc.file = m_file;
        sc.projectName = defaultProjectName(m_file);
        if (auto v = root["name"]) {
            sc.projectName = scalar(v, "name");
            sc.nameGiven = true;
            static const std::string allowed = "abcdefghijklmnopqrstuvwxyz0123456789_-";
            if (sc.projectName.empty() ||
                sc.projectName.find_first_not_of(allowed) != std::string::npos ||
                !std::isalnum(static_cast<unsigned char>(sc.projectName[0]))) {
                fail(v, "name: a project name must be lower-case letters, digits, '-' and '_', "
                        "starting with a letter or digit");
            }
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
        sc.extra = extras(root, {"name", "x-hosts", "x-externals", "services", "networks",
                                 "x-probes", "x-lesson", "x-layout"});
        nearMisses(root, "", {"x-hosts", "x-externals", "x-probes", "x-lesson", "x-layout"});
        sc.warnings = std::move(m_warnings);
        return sc;
    }

private:
    // The key node of `name` in the mapping `map` (for positions).
    static YAML::Node keyOf(const YAML::Node& map, const std::string& name) {
        for (const auto& kv : map) {
            if (kv.first.Scalar() == name) {
                return kv.first;
            }
        }
        return map;
    }

    std::string m_file;
    mutable std::vector<Warning> m_warnings;
};

}  // namespace

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
    } catch (const YAML::ParserException& e) {
        throw Error(ErrorKind::Invalid, "not valid YAML: " + e.msg, positionOf(file, e.mark));
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
        Scenario sc = Reader(file).document(root);
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
