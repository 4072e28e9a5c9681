#include "model/compose_writer.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace cnmlab::model {

namespace {

void emitExtras(YAML::Emitter& out, const ExtraKeys& extra) {
    for (const auto& [key, node] : extra) {
        out << YAML::Key << key << YAML::Value << node;
    }
}

std::string portRangeStr(int first, int last) {
    return first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
}

void emitPorts(YAML::Emitter& out, const char* key, const std::vector<PortProto>& ports) {
    if (ports.empty()) {
        return;
    }
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& p : ports) {
        out << (p.proto == Proto::Tcp ? std::to_string(p.port)
                                      : fmt::format("{}/{}", p.port, protoName(p.proto)));
    }
    out << YAML::EndSeq;
}

void emitPortMapping(YAML::Emitter& out, const PortMapping& pm) {
    if (pm.original) {
        out << pm.original;
        return;
    }
    if (pm.hostMode) {  // only the long syntax has `mode:`
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "target" << YAML::Value
            << pm.targetFirst << YAML::Key << "published" << YAML::Value << pm.publishedFirst
            << YAML::Key << "protocol" << YAML::Value << protoName(pm.proto) << YAML::Key << "mode"
            << YAML::Value << "host" << YAML::EndMap;
        return;
    }
    std::string s;
    if (pm.hostIp) {
        s = pm.hostIp->str() + ":";
    }
    if (pm.publishedFirst != 0) {
        s += portRangeStr(pm.publishedFirst, pm.publishedLast) + ":";
    } else if (pm.hostIp) {
        s += ":";
    }
    s += portRangeStr(pm.targetFirst, pm.targetLast);
    if (pm.proto != Proto::Tcp) {
        s += "/" + protoName(pm.proto);
    }
    out << YAML::DoubleQuoted << s;
}

std::string networkModeStr(const ServiceSpec& s) {
    switch (s.networkMode) {
    case NetworkMode::Default:
        return "default";
    case NetworkMode::Bridge:
        return "bridge";
    case NetworkMode::Host:
        return "host";
    case NetworkMode::None:
        return "none";
    case NetworkMode::Service:
        return "service:" + s.networkModeTarget;
    case NetworkMode::Container:
        return "container:" + s.networkModeTarget;
    }
    return "default";
}

void emitDeploy(YAML::Emitter& out, const DeploySpec& d) {
    out << YAML::Key << "deploy" << YAML::Value << YAML::BeginMap;
    emitExtras(out, d.extra);
    if (d.global || d.modeGiven) {
        out << YAML::Key << "mode" << YAML::Value << (d.global ? "global" : "replicated");
    }
    if (!d.global && (d.replicas != 1 || d.replicasGiven)) {
        out << YAML::Key << "replicas" << YAML::Value << d.replicas;
    }
    if (d.dnsrr || d.endpointModeGiven) {
        out << YAML::Key << "endpoint_mode" << YAML::Value << (d.dnsrr ? "dnsrr" : "vip");
    }
    if (!d.constraints.empty() || !d.placementExtra.empty()) {
        out << YAML::Key << "placement" << YAML::Value << YAML::BeginMap;
        emitExtras(out, d.placementExtra);
        if (!d.constraints.empty()) {
            out << YAML::Key << "constraints" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (const auto& c : d.constraints) {
                out << YAML::DoubleQuoted << c.text;
            }
            out << YAML::EndSeq;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

void emitService(YAML::Emitter& out, const ServiceSpec& s) {
    out << YAML::Key << s.key << YAML::Value << YAML::BeginMap;
    emitExtras(out, s.extra);
    if (s.containerName) {
        out << YAML::Key << "container_name" << YAML::Value << *s.containerName;
    }
    if (s.hostname) {
        out << YAML::Key << "hostname" << YAML::Value << *s.hostname;
    }
    if (s.macAddress) {
        // Quoted: YAML 1.1 readers take 02:42:11:00:00:02 for a number in base 60.
        out << YAML::Key << "mac_address" << YAML::Value << YAML::DoubleQuoted
            << (s.macText.empty() ? macStr(*s.macAddress) : s.macText);
    }
    if (s.host) {
        out << YAML::Key << "x-host" << YAML::Value << *s.host;
    }
    if (s.networkMode != NetworkMode::Default || !s.networkModePos.file.empty()) {
        out << YAML::Key << "network_mode" << YAML::Value << networkModeStr(s);
    }
    if (!s.implicitNetworks && !s.networks.empty()) {
        out << YAML::Key << "networks" << YAML::Value;
        const bool simple = std::all_of(s.networks.begin(), s.networks.end(), [](const auto& sn) {
            return sn.aliases.empty() && !sn.ipv4Address && sn.extra.empty();
        });
        if (simple && s.networksListForm) {
            out << YAML::BeginSeq;
            for (const auto& sn : s.networks) {
                out << sn.key;
            }
            out << YAML::EndSeq;
        } else {
            out << YAML::BeginMap;
            for (const auto& sn : s.networks) {
                out << YAML::Key << sn.key << YAML::Value;
                if (sn.aliases.empty() && !sn.ipv4Address && sn.extra.empty()) {
                    out << YAML::Null;
                    continue;
                }
                out << YAML::BeginMap;
                if (!sn.aliases.empty()) {
                    out << YAML::Key << "aliases" << YAML::Value << YAML::Flow << sn.aliases;
                }
                if (sn.ipv4Address) {
                    out << YAML::Key << "ipv4_address" << YAML::Value << sn.ipv4Address->str();
                }
                emitExtras(out, sn.extra);
                out << YAML::EndMap;
            }
            out << YAML::EndMap;
        }
    }
    if (!s.ports.empty()) {
        out << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq;
        for (const auto& pm : s.ports) {
            emitPortMapping(out, pm);
        }
        out << YAML::EndSeq;
    }
    emitPorts(out, "expose", s.expose);
    emitPorts(out, "x-listen", s.listen);
    if (s.deploy) {
        emitDeploy(out, *s.deploy);
    }
    out << YAML::EndMap;
}

void emitStringMap(YAML::Emitter& out, const char* key,
                   const std::vector<std::pair<std::string, std::string>>& items) {
    if (items.empty()) {
        return;
    }
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    for (const auto& [k, v] : items) {
        out << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
    }
    out << YAML::EndMap;
}

void emitNetwork(YAML::Emitter& out, const NetworkSpec& n) {
    out << YAML::Key << n.key << YAML::Value;
    const bool empty = n.declaredEmpty && n.driver == "bridge" && !n.name && !n.external &&
                       !n.internal && !n.attachable && n.ipamConfigs.empty() && n.extra.empty();
    if (empty) {
        out << YAML::Null;
        return;
    }
    out << YAML::BeginMap;
    if (n.name) {
        out << YAML::Key << "name" << YAML::Value << *n.name;
    }
    if (n.driver != "bridge" || !n.declaredEmpty) {
        out << YAML::Key << "driver" << YAML::Value << n.driver;
    }
    emitStringMap(out, "driver_opts", n.driverOpts);
    if (n.external) {
        out << YAML::Key << "external" << YAML::Value << true;
    }
    if (n.internal) {
        out << YAML::Key << "internal" << YAML::Value << true;
    }
    if (n.attachable) {
        out << YAML::Key << "attachable" << YAML::Value << true;
    }
    if (n.enableIpv6) {
        out << YAML::Key << "enable_ipv6" << YAML::Value << true;
    }
    emitStringMap(out, "labels", n.labels);
    if (n.ipamDriver || !n.ipamConfigs.empty() || !n.ipamExtra.empty()) {
        out << YAML::Key << "ipam" << YAML::Value << YAML::BeginMap;
        if (n.ipamDriver) {
            out << YAML::Key << "driver" << YAML::Value << *n.ipamDriver;
        }
        if (!n.ipamConfigs.empty()) {
            out << YAML::Key << "config" << YAML::Value << YAML::BeginSeq;
            for (const auto& c : n.ipamConfigs) {
                out << YAML::BeginMap;
                if (c.subnet) {
                    out << YAML::Key << "subnet" << YAML::Value << c.subnet->str();
                }
                if (c.ipRange) {
                    out << YAML::Key << "ip_range" << YAML::Value << c.ipRange->str();
                }
                if (c.gateway) {
                    out << YAML::Key << "gateway" << YAML::Value << c.gateway->str();
                }
                if (!c.auxAddresses.empty()) {
                    out << YAML::Key << "aux_addresses" << YAML::Value << YAML::BeginMap;
                    for (const auto& [k, ip] : c.auxAddresses) {
                        out << YAML::Key << k << YAML::Value << ip.str();
                    }
                    out << YAML::EndMap;
                }
                emitExtras(out, c.extra);
                out << YAML::EndMap;
            }
            out << YAML::EndSeq;
        }
        emitExtras(out, n.ipamExtra);
        out << YAML::EndMap;
    }
    emitExtras(out, n.extra);
    out << YAML::EndMap;
}

void emitText(YAML::Emitter& out, const Text& t) {
    if (!t.en.empty()) {
        out << YAML::Key << "en" << YAML::Value << t.en;
    }
    if (!t.zh.empty()) {
        out << YAML::Key << "zh" << YAML::Value << t.zh;
    }
}

void emitProbes(YAML::Emitter& out, const std::vector<ProbeSpec>& probes) {
    out << YAML::Key << "x-probes" << YAML::Value << YAML::BeginSeq;
    for (const auto& p : probes) {
        out << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "from" << YAML::Value << p.from;
        if (p.to) {
            out << YAML::Key << "to" << YAML::Value << *p.to;
        }
        if (p.resolve) {
            out << YAML::Key << "resolve" << YAML::Value << *p.resolve;
        }
        if (p.network) {
            out << YAML::Key << "network" << YAML::Value << *p.network;
        }
        if (p.to && p.proto != Proto::Icmp) {
            out << YAML::Key << "proto" << YAML::Value << protoName(p.proto);
        }
        if (p.port) {
            out << YAML::Key << "port" << YAML::Value << *p.port;
        }
        out << YAML::Key << "expect" << YAML::Value;
        switch (p.expect) {
        case Expect::Reachable:
            out << "reachable";
            break;
        case Expect::Unreachable:
            out << "unreachable";
            break;
        case Expect::NxDomain:
            out << "nxdomain";
            break;
        case Expect::Address:
            if (p.expectAddresses.size() > 1) {
                out << YAML::Flow << YAML::BeginSeq;
                for (const auto& ip : p.expectAddresses) {
                    out << ip.str();
                }
                out << YAML::EndSeq;
            } else {
                out << p.expectAddress->str();
            }
            break;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

void emitLesson(YAML::Emitter& out, const Lesson& l) {
    out << YAML::Key << "x-lesson" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "title" << YAML::Value << YAML::BeginMap;
    emitText(out, l.title);
    out << YAML::EndMap;
    out << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
    for (const auto& st : l.steps) {
        out << YAML::BeginMap;
        emitText(out, st.text);
        if (!st.highlight.empty()) {
            out << YAML::Key << "highlight" << YAML::Value << YAML::Flow << st.highlight;
        }
        if (st.probe) {
            out << YAML::Key << "probe" << YAML::Value << *st.probe;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    emitExtras(out, l.extra);
    out << YAML::EndMap;
}

void emitHost(YAML::Emitter& out, const HostSpec& h) {
    out << YAML::Key << h.name << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "underlay" << YAML::Value << h.underlay.str();
    emitExtras(out, h.extra);
    out << YAML::EndMap;
}

void emitExternal(YAML::Emitter& out, const ExternalSpec& e) {
    out << YAML::Key << e.name << YAML::Value << YAML::Flow << YAML::BeginMap;
    if (e.underlay) {
        out << YAML::Key << "underlay" << YAML::Value << e.underlay->str();
    }
    if (e.address) {
        out << YAML::Key << "address" << YAML::Value << e.address->str();
    }
    emitExtras(out, e.extra);
    out << YAML::EndMap;
}

// `emit` writes one key and its value into a mapping of its own.
template <typename Emit> std::string entryText(bool flow, Emit emit) {
    YAML::Emitter out;
    out.SetIndent(2);
    if (flow) {
        out << YAML::Flow;
    }
    out << YAML::BeginMap;
    emit(out);
    out << YAML::EndMap;
    std::string text = out.c_str();
    if (flow && text.size() >= 2 && text.front() == '{' && text.back() == '}') {
        text = text.substr(1, text.size() - 2);  // the entry, not a map around it
    }
    return text + "\n";
}

}  // namespace

std::string layoutNumber(double v) {
    const double rounded = std::round(v * 100) / 100;
    if (rounded == std::floor(rounded) && std::abs(rounded) < 1e15) {
        const auto whole = static_cast<long long>(rounded);
        return std::to_string(whole);  // -0.0 becomes "0"
    }
    std::string s = fmt::format("{:.2f}", rounded);
    while (s.back() == '0') {
        s.pop_back();
    }
    return s;
}

std::string writeEntry(const ServiceSpec& s, bool flow) {
    return entryText(flow, [&](YAML::Emitter& out) { emitService(out, s); });
}

std::string writeEntry(const NetworkSpec& n, bool flow) {
    return entryText(flow, [&](YAML::Emitter& out) { emitNetwork(out, n); });
}

std::string writeEntry(const HostSpec& h, bool flow) {
    return entryText(flow, [&](YAML::Emitter& out) { emitHost(out, h); });
}

std::string writeEntry(const ExternalSpec& e, bool flow) {
    return entryText(flow, [&](YAML::Emitter& out) { emitExternal(out, e); });
}

std::string writeProbesEntry(const std::vector<ProbeSpec>& probes) {
    return entryText(false, [&](YAML::Emitter& out) { emitProbes(out, probes); });
}

std::string writeLessonEntry(const Lesson& lesson) {
    return entryText(false, [&](YAML::Emitter& out) { emitLesson(out, lesson); });
}

std::string writeScenario(const Scenario& sc) {
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::BeginMap;
    if (sc.nameGiven) {
        out << YAML::Key << "name" << YAML::Value << sc.projectName;
    }
    if (sc.hostsGiven) {
        out << YAML::Key << "x-hosts" << YAML::Value << YAML::BeginMap;
        for (const auto& h : sc.hosts) {
            emitHost(out, h);
        }
        out << YAML::EndMap;
    }
    if (!sc.externals.empty()) {
        out << YAML::Key << "x-externals" << YAML::Value << YAML::BeginMap;
        for (const auto& e : sc.externals) {
            emitExternal(out, e);
        }
        out << YAML::EndMap;
    }
    out << YAML::Key << "services" << YAML::Value << YAML::BeginMap;
    for (const auto& s : sc.services) {
        emitService(out, s);
    }
    out << YAML::EndMap;
    const bool anyNetwork = std::any_of(sc.networks.begin(), sc.networks.end(),
                                        [](const NetworkSpec& n) { return !n.implicit; });
    if (anyNetwork) {
        out << YAML::Key << "networks" << YAML::Value << YAML::BeginMap;
        for (const auto& n : sc.networks) {
            if (!n.implicit) {
                emitNetwork(out, n);
            }
        }
        out << YAML::EndMap;
    }
    emitExtras(out, sc.extra);
    if (!sc.probes.empty()) {
        emitProbes(out, sc.probes);
    }
    if (sc.lesson) {
        emitLesson(out, *sc.lesson);
    }
    if (!sc.layout.empty()) {
        out << YAML::Key << "x-layout" << YAML::Value << YAML::BeginMap;
        for (const auto& [name, xy] : sc.layout) {
            out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginSeq
                << layoutNumber(xy.first) << layoutNumber(xy.second) << YAML::EndSeq;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace cnmlab::model
