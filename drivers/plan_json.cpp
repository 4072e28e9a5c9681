#include "drivers/plan_json.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace cnmlab::drivers {

using remote::DecodeError;
using remote::Json;

namespace {

constexpr std::array kLinkKinds = {
    std::pair{LinkKind::Loopback, "loopback"}, std::pair{LinkKind::Veth, "veth"},
    std::pair{LinkKind::Bridge, "bridge"},     std::pair{LinkKind::Macvlan, "macvlan"},
    std::pair{LinkKind::Ipvlan, "ipvlan"},     std::pair{LinkKind::Vxlan, "vxlan"},
    std::pair{LinkKind::Dummy, "dummy"},       std::pair{LinkKind::Vlan, "vlan"}};
constexpr std::array kTables = {std::pair{NfTable::Filter, "filter"},
                                std::pair{NfTable::Nat, "nat"},
                                std::pair{NfTable::Mangle, "mangle"}};
constexpr std::array kVerdicts = {std::pair{NfVerdict::Accept, "ACCEPT"},
                                  std::pair{NfVerdict::Drop, "DROP"},
                                  std::pair{NfVerdict::Return, "RETURN"},
                                  std::pair{NfVerdict::Jump, "JUMP"},
                                  std::pair{NfVerdict::Masquerade, "MASQUERADE"},
                                  std::pair{NfVerdict::Dnat, "DNAT"},
                                  std::pair{NfVerdict::Mark, "MARK"},
                                  std::pair{NfVerdict::Snat, "SNAT"},
                                  std::pair{NfVerdict::Redirect, "REDIRECT"}};
constexpr std::array kProtos = {std::pair{Proto::Tcp, "tcp"}, std::pair{Proto::Udp, "udp"},
                                std::pair{Proto::Icmp, "icmp"}};

template <typename E, std::size_t N>
const char* nameOf(const std::array<std::pair<E, const char*>, N>& names, E v) {
    for (const auto& [e, n] : names) {
        if (e == v) {
            return n;
        }
    }
    return names[0].second;
}

// Writes fields; leaves out what equals the default so replies stay short.
class Out {
public:
    Out& str(const char* k, const std::string& v) {
        if (!v.empty()) {
            m_j[k] = v;
        }
        return *this;
    }
    Out& num(const char* k, long long v, long long def = 0) {
        if (v != def) {
            m_j[k] = v;
        }
        return *this;
    }
    Out& flag(const char* k, bool v, bool def = false) {
        if (v != def) {
            m_j[k] = v;
        }
        return *this;
    }
    Out& ip(const char* k, const std::optional<Ipv4>& v) {
        if (v) {
            m_j[k] = v->str();
        }
        return *this;
    }
    Out& cidr(const char* k, const std::optional<Cidr>& v) {
        if (v) {
            m_j[k] = v->str();
        }
        return *this;
    }
    Out& mac(const char* k, const std::optional<Mac>& v) {
        if (v && *v != Mac{}) {
            m_j[k] = model::macStr(*v);
        }
        return *this;
    }
    Out& raw(const char* k, Json v) {
        m_j[k] = std::move(v);
        return *this;
    }
    Json done() { return std::move(m_j); }

private:
    Json m_j = Json::object();
};

class In {
public:
    In(const Json& j, const char* kind) : m_j(j), m_kind(kind) {
        if (!j.is_object()) {
            throw DecodeError(fmt::format("a {} must be a JSON object", kind));
        }
    }
    [[noreturn]] void bad(const char* k, const char* want) const {
        throw DecodeError(fmt::format("{}.{}: expected {}", m_kind, k, want));
    }
    const Json* at(const char* k) const {
        auto it = m_j.find(k);
        return it == m_j.end() || it->is_null() ? nullptr : &*it;
    }
    std::string str(const char* k) const {
        const Json* v = at(k);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_string()) {
            bad(k, "a string");
        }
        return v->get<std::string>();
    }
    long long num(const char* k, long long def = 0) const {
        const Json* v = at(k);
        if (v == nullptr) {
            return def;
        }
        if (!v->is_number_integer()) {
            bad(k, "an integer");
        }
        return v->get<long long>();
    }
    bool flag(const char* k, bool def = false) const {
        const Json* v = at(k);
        if (v == nullptr) {
            return def;
        }
        if (!v->is_boolean()) {
            bad(k, "true or false");
        }
        return v->get<bool>();
    }
    std::optional<Ipv4> ip(const char* k) const {
        const std::string s = str(k);
        if (s.empty()) {
            return std::nullopt;
        }
        auto v = Ipv4::parse(s);
        if (!v) {
            bad(k, "an IPv4 address");
        }
        return v;
    }
    std::optional<Cidr> cidr(const char* k) const {
        const std::string s = str(k);
        if (s.empty()) {
            return std::nullopt;
        }
        auto v = Cidr::parse(s);
        if (!v) {
            bad(k, "an IPv4 address with a prefix length");
        }
        return v;
    }
    Mac mac(const char* k) const {
        const std::string s = str(k);
        if (s.empty()) {
            return Mac{};
        }
        auto v = model::parseMac(s);
        if (!v) {
            bad(k, "a MAC address");
        }
        return *v;
    }
    std::optional<Mac> optMac(const char* k) const {
        const Mac m = mac(k);
        return m == Mac{} ? std::nullopt : std::optional<Mac>(m);
    }
    template <typename E, std::size_t N>
    E name(const char* k, const std::array<std::pair<E, const char*>, N>& names) const {
        const std::string s = str(k);
        if (s.empty()) {
            return names[0].first;
        }
        for (const auto& [e, n] : names) {
            if (s == n) {
                return e;
            }
        }
        bad(k, "one of its names");
    }
    template <typename E, std::size_t N>
    std::optional<E> optName(const char* k,
                             const std::array<std::pair<E, const char*>, N>& names) const {
        if (str(k).empty()) {
            return std::nullopt;
        }
        return name(k, names);
    }

private:
    const Json& m_j;
    const char* m_kind;
};

template <typename T> std::optional<T> opt(long long v, bool present) {
    return present ? std::optional<T>(static_cast<T>(v)) : std::nullopt;
}

}  // namespace

Json toJson(const Link& v) {
    return Out{}
        .str("netns", v.netns)
        .str("name", v.name)
        .raw("kind", nameOf(kLinkKinds, v.kind))
        .mac("mac", v.mac)
        .num("mtu", v.mtu, 1500)
        .str("master", v.master)
        .str("peerNetns", v.peerNetns)
        .str("peerName", v.peerName)
        .str("parentNetns", v.parentNetns)
        .str("parent", v.parent)
        .str("mode", v.mode)
        .num("vni", v.vni)
        .num("vlanId", v.vlanId)
        .num("dstPort", v.dstPort, 4789)
        .flag("learning", v.learning)
        .flag("proxy", v.proxy)
        .flag("l2miss", v.l2miss)
        .flag("l3miss", v.l3miss)
        .num("ageingSeconds", v.ageingSeconds, 300)
        .flag("up", v.up, true)
        .done();
}

template <> Link planFromJson<Link>(const Json& j) {
    const In in(j, "link");
    Link v;
    v.netns = in.str("netns");
    v.name = in.str("name");
    v.kind = in.name("kind", kLinkKinds);
    v.mac = in.mac("mac");
    v.mtu = static_cast<int>(in.num("mtu", 1500));
    v.master = in.str("master");
    v.peerNetns = in.str("peerNetns");
    v.peerName = in.str("peerName");
    v.parentNetns = in.str("parentNetns");
    v.parent = in.str("parent");
    v.mode = in.str("mode");
    v.vni = static_cast<std::uint32_t>(in.num("vni"));
    v.vlanId = static_cast<std::uint16_t>(in.num("vlanId"));
    v.dstPort = static_cast<std::uint16_t>(in.num("dstPort", 4789));
    v.learning = in.flag("learning");
    v.proxy = in.flag("proxy");
    v.l2miss = in.flag("l2miss");
    v.l3miss = in.flag("l3miss");
    v.ageingSeconds = static_cast<int>(in.num("ageingSeconds", 300));
    v.up = in.flag("up", true);
    return v;
}

Json toJson(const Address& v) {
    return Out{}.str("netns", v.netns).str("dev", v.dev).cidr("cidr", v.cidr).done();
}
template <> Address planFromJson<Address>(const Json& j) {
    const In in(j, "address");
    return Address{in.str("netns"), in.str("dev"), in.cidr("cidr").value_or(Cidr{})};
}

Json toJson(const Route& v) {
    return Out{}
        .str("netns", v.netns)
        .cidr("dst", v.dst)
        .ip("via", v.via)
        .str("dev", v.dev)
        .ip("src", v.src)
        .flag("onlink", v.onlink)
        .done();
}
template <> Route planFromJson<Route>(const Json& j) {
    const In in(j, "route");
    Route v;
    v.netns = in.str("netns");
    v.dst = in.cidr("dst").value_or(Cidr{});
    v.via = in.ip("via");
    v.dev = in.str("dev");
    v.src = in.ip("src");
    v.onlink = in.flag("onlink");
    return v;
}

Json toJson(const Neighbor& v) {
    return Out{}.str("netns", v.netns).str("dev", v.dev).ip("ip", v.ip).mac("mac", v.mac).done();
}
template <> Neighbor planFromJson<Neighbor>(const Json& j) {
    const In in(j, "neighbor");
    return Neighbor{in.str("netns"), in.str("dev"), in.ip("ip").value_or(Ipv4{}), in.mac("mac")};
}

Json toJson(const FdbEntry& v) {
    return Out{}
        .str("netns", v.netns)
        .str("dev", v.dev)
        .mac("mac", v.mac)
        .ip("remote", v.remote)
        .done();
}
template <> FdbEntry planFromJson<FdbEntry>(const Json& j) {
    const In in(j, "fdb");
    return FdbEntry{in.str("netns"), in.str("dev"), in.mac("mac"), in.ip("remote")};
}

Json toJson(const Sysctl& v) {
    return Out{}.str("netns", v.netns).str("key", v.key).str("value", v.value).done();
}
template <> Sysctl planFromJson<Sysctl>(const Json& j) {
    const In in(j, "sysctl");
    return Sysctl{in.str("netns"), in.str("key"), in.str("value")};
}

Json toJson(const NfChain& v) {
    return Out{}
        .str("netns", v.netns)
        .raw("table", nameOf(kTables, v.table))
        .str("name", v.name)
        .flag("builtin", v.builtin)
        .str("policy", v.policy)
        .done();
}
template <> NfChain planFromJson<NfChain>(const Json& j) {
    const In in(j, "chain");
    NfChain v;
    v.netns = in.str("netns");
    v.table = in.name("table", kTables);
    v.name = in.str("name");
    v.builtin = in.flag("builtin");
    v.policy = in.str("policy");
    return v;
}

Json toJson(const NfRule& v) {
    const NfMatch& m = v.match;
    Out match;
    match.str("inIf", m.inIf)
        .flag("inIfNot", m.inIfNot)
        .str("outIf", m.outIf)
        .flag("outIfNot", m.outIfNot)
        .cidr("src", m.src)
        .flag("srcNot", m.srcNot)
        .cidr("dst", m.dst)
        .flag("dstNot", m.dstNot)
        .str("proto", m.proto ? nameOf(kProtos, *m.proto) : "")
        .num("protoNumber", m.protoNumber.value_or(0))
        .num("dport", m.dport.value_or(0))
        .num("sport", m.sport.value_or(0))
        .flag("ctEstablished", m.ctEstablished)
        .str("ctState", m.ctState)
        .flag("legacyState", m.legacyState)
        .flag("dstTypeLocal", m.dstTypeLocal)
        .flag("srcTypeLocal", m.srcTypeLocal);
    return Out{}
        .str("netns", v.netns)
        .raw("table", nameOf(kTables, v.table))
        .str("chain", v.chain)
        .raw("match", match.done())
        .raw("verdict", nameOf(kVerdicts, v.verdict))
        .str("target", v.target)
        .ip("toAddress", v.toAddress)
        .num("toPort", v.toPort.value_or(0))
        .num("setMark", v.setMark.value_or(0))
        .str("why", v.why)
        .str("whyZh", v.whyZh)
        .done();
}
template <> NfRule planFromJson<NfRule>(const Json& j) {
    const In in(j, "rule");
    NfRule v;
    v.netns = in.str("netns");
    v.table = in.name("table", kTables);
    v.chain = in.str("chain");
    const Json* mj = in.at("match");
    const Json empty = Json::object();
    const In m(mj != nullptr ? *mj : empty, "rule.match");
    v.match.inIf = m.str("inIf");
    v.match.inIfNot = m.flag("inIfNot");
    v.match.outIf = m.str("outIf");
    v.match.outIfNot = m.flag("outIfNot");
    v.match.src = m.cidr("src");
    v.match.srcNot = m.flag("srcNot");
    v.match.dst = m.cidr("dst");
    v.match.dstNot = m.flag("dstNot");
    v.match.proto = m.optName("proto", kProtos);
    v.match.protoNumber = opt<std::uint8_t>(m.num("protoNumber"), m.num("protoNumber") != 0);
    v.match.dport = opt<int>(m.num("dport"), m.num("dport") != 0);
    v.match.sport = opt<int>(m.num("sport"), m.num("sport") != 0);
    v.match.ctEstablished = m.flag("ctEstablished");
    v.match.ctState = m.str("ctState");
    v.match.legacyState = m.flag("legacyState");
    v.match.dstTypeLocal = m.flag("dstTypeLocal");
    v.match.srcTypeLocal = m.flag("srcTypeLocal");
    v.verdict = in.name("verdict", kVerdicts);
    v.target = in.str("target");
    v.toAddress = in.ip("toAddress");
    v.toPort = opt<int>(in.num("toPort"), in.num("toPort") != 0);
    v.setMark = opt<std::uint32_t>(in.num("setMark"), in.num("setMark") != 0);
    v.why = in.str("why");
    v.whyZh = in.str("whyZh");
    return v;
}

}  // namespace cnmlab::drivers
