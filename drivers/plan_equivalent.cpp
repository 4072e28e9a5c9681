// One command per Plan object (plan_text.hpp), iproute2 and iptables syntax.
#include <fmt/format.h>

#include "drivers/plan_text.hpp"

namespace cnmlab::drivers {

namespace {

std::string linkAttrs(const Link& l) {
    std::string s;
    // A VLAN sub-interface made without one takes its parent's MAC.
    if (l.kind != LinkKind::Loopback && !(l.kind == LinkKind::Vlan && l.mac == Mac{})) {
        s += " address " + model::macStr(l.mac);
    }
    s += fmt::format(" mtu {}", l.mtu);
    if (!l.master.empty()) {
        s += " master " + l.master;
    }
    return s;
}

std::string typeClause(const Link& l) {
    switch (l.kind) {
    case LinkKind::Loopback:
        return "";
    case LinkKind::Bridge:
        return l.ageingSeconds == 300
                   ? " type bridge"
                   : fmt::format(" type bridge ageing_time {}", l.ageingSeconds * 100);
    case LinkKind::Dummy:
        return " type dummy";
    case LinkKind::Veth:
        return " type veth peer name " + l.peerName +
               (l.peerNetns != l.netns ? " netns " + l.peerNetns : "");
    case LinkKind::Macvlan:
        return " type macvlan mode " + (l.mode.empty() ? std::string("bridge") : l.mode);
    case LinkKind::Ipvlan:
        return " type ipvlan mode " + (l.mode.empty() ? std::string("l2") : l.mode);
    case LinkKind::Vxlan:
        return fmt::format(" type vxlan id {} dstport {}{}", l.vni, l.dstPort,
                           l.learning ? "" : " nolearning");
    case LinkKind::Vlan:
        return fmt::format(" type vlan id {}", l.vlanId);
    }
    return "";
}

std::string protoStr(Proto p) {
    return model::protoName(p);
}

std::string tableFlag(NfTable t) {
    return t == NfTable::Filter ? "" : std::string("-t ") + tableName(t) + " ";
}

std::string notFlag(bool neg) {
    return neg ? "! " : "";
}

}  // namespace

std::string equivalent(const Netns& ns) {
    return "ip netns add " + ns.name;
}

std::string equivalent(const Link& l) {
    if (l.kind == LinkKind::Loopback) {
        return "ip link set dev " + l.name + " up";
    }
    std::string s = "ip link add";
    if ((l.kind == LinkKind::Macvlan || l.kind == LinkKind::Ipvlan || l.kind == LinkKind::Vlan) &&
        !l.parent.empty()) {
        s += " link " + l.parent;
    }
    s += " " + l.name + linkAttrs(l);
    if ((l.kind == LinkKind::Macvlan || l.kind == LinkKind::Ipvlan) && !l.parentNetns.empty() &&
        l.parentNetns != l.netns) {
        s += " netns " + l.netns;  // made on the parent, then moved
    }
    return s + typeClause(l);
}

std::string equivalent(const Address& a) {
    return fmt::format("ip addr add {} dev {}", a.cidr.str(), a.dev);
}

std::string equivalent(const Route& r) {
    std::string s =
        "ip route add " + (r.dst.prefix == 0 ? std::string("default") : r.dst.networkStr());
    if (r.via) {
        s += " via " + r.via->str();
    }
    s += " dev " + r.dev;
    if (r.onlink) {
        s += " onlink";
    }
    if (r.src) {
        s += " src " + r.src->str();
    }
    return s;
}

std::string equivalent(const Neighbor& n) {
    return fmt::format("ip neigh add {} lladdr {} dev {} nud permanent", n.ip.str(),
                       model::macStr(n.mac), n.dev);
}

std::string equivalent(const FdbEntry& f) {
    if (f.remote) {
        return fmt::format("bridge fdb append {} dev {} dst {} self permanent",
                           model::macStr(f.mac), f.dev, f.remote->str());
    }
    return fmt::format("bridge fdb add {} dev {} master static", model::macStr(f.mac), f.dev);
}

std::string equivalent(const Sysctl& s) {
    return fmt::format("sysctl -w {}={}", s.key, s.value);
}

std::string equivalent(const NfChain& c) {
    if (c.builtin) {
        return fmt::format("iptables {}-P {} {}", tableFlag(c.table), c.name,
                           c.policy.empty() ? "ACCEPT" : c.policy);
    }
    return fmt::format("iptables {}-N {}", tableFlag(c.table), c.name);
}

namespace {

// A conntrack state list as iptables-save prints it: in libxt_conntrack's
// fixed order (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED), whatever order
// the command gave ("ESTABLISHED,RELATED" is saved as RELATED,ESTABLISHED).
std::string savedStates(const std::string& list) {
    const std::string given = "," + list + ",";
    std::string out;
    for (const std::string state : {"INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED"}) {
        if (given.find("," + state + ",") != std::string::npos) {
            out += (out.empty() ? "" : ",") + state;
        }
    }
    return out.empty() ? list : out;
}

}  // namespace

std::string ruleSpec(const NfRule& r) {
    const NfMatch& m = r.match;
    std::string s = "-A " + r.chain;
    if (m.src) {
        s += " " + notFlag(m.srcNot) + "-s " + m.src->networkStr();
    }
    if (m.dst) {
        s += " " + notFlag(m.dstNot) + "-d " + m.dst->networkStr();
    }
    if (!m.inIf.empty()) {
        s += " " + notFlag(m.inIfNot) + "-i " + m.inIf;
    }
    if (!m.outIf.empty()) {
        s += " " + notFlag(m.outIfNot) + "-o " + m.outIf;
    }
    if (m.protoNumber) {
        s += *m.protoNumber == 132 ? " -p sctp" : fmt::format(" -p {}", *m.protoNumber);
    }
    if (m.proto) {
        s += " -p " + protoStr(*m.proto);
        if (m.legacyState && !m.ctState.empty()) {
            // libnetwork writes `-m state -p tcp --sport P --state ...`: the
            // state match is loaded before the tcp match --sport pulls in.
            s += " -m state --state " + savedStates(m.ctState);
        }
        if (!m.ipsecPolicy.empty()) {
            s += " -m policy --dir in --pol " + m.ipsecPolicy;
        }
        if ((m.dport || m.sport) && *m.proto != Proto::Icmp) {
            s += " -m " + protoStr(*m.proto);
            if (m.sport) {
                s += fmt::format(" --sport {}", *m.sport);
            }
            if (m.dport) {
                s += fmt::format(" --dport {}", *m.dport);
            }
        }
    }
    if (m.ipvs) {
        s += " -m ipvs --ipvs";
    }
    if (m.vxlanVni) {
        // encryption.go matchVXLAN: the 32-bit word after the UDP header
        // (IHL-based offset + 12) masked to the VNI's 24 bits.
        s += fmt::format(" -m u32 --u32 \"0x0>>0x16&0x3c@0xc&0xffffff00=0x{:x}\"",
                         *m.vxlanVni << 8U);
    }
    if (m.ctEstablished) {
        s += " -m conntrack --ctstate RELATED,ESTABLISHED";
    }
    if (!m.ctState.empty() && !(m.legacyState && m.proto)) {
        s += (m.legacyState ? " -m state --state " : " -m conntrack --ctstate ") +
             savedStates(m.ctState);
    }
    if (m.dstTypeLocal) {
        s += " -m addrtype --dst-type LOCAL";
    }
    if (m.srcTypeLocal) {
        s += " -m addrtype --src-type LOCAL";
    }
    switch (r.verdict) {
    case NfVerdict::Accept:
        return s + " -j ACCEPT";
    case NfVerdict::Drop:
        return s + " -j DROP";
    case NfVerdict::Return:
        return s + " -j RETURN";
    case NfVerdict::Jump:
        return s + " -j " + r.target;
    case NfVerdict::Masquerade:
        return s + " -j MASQUERADE";
    case NfVerdict::Dnat: {
        std::string to = r.toAddress ? r.toAddress->str() : "";
        if (r.toPort) {
            to += fmt::format(":{}", *r.toPort);
        }
        return s + " -j DNAT --to-destination " + to;
    }
    case NfVerdict::Mark:
        return s + fmt::format(" -j MARK --set-xmark 0x{:x}/0xffffffff", r.setMark.value_or(0));
    case NfVerdict::Snat:
        return s + " -j SNAT --to-source " + (r.toAddress ? r.toAddress->str() : "");
    case NfVerdict::Redirect:
        return s + fmt::format(" -j REDIRECT --to-ports {}", r.toPort.value_or(0));
    }
    return s;
}

std::string equivalent(const NfRule& r) {
    return "iptables " + tableFlag(r.table) + ruleSpec(r);
}

std::string equivalent(const XfrmState& x) {
    std::string key;
    for (std::uint8_t b : x.key) {
        key += fmt::format("{:02x}", b);
    }
    return fmt::format("ip xfrm state add src {} dst {} proto esp spi 0x{:08x} reqid 0x{:x} mode "
                       "transport aead 'rfc4106(gcm(aes))' 0x{} {}",
                       x.src.str(), x.dst.str(), x.spi, x.reqid, key, x.icvBits);
}

std::string equivalent(const XfrmPolicy& p) {
    return fmt::format("ip xfrm policy add src {} dst {} proto {} dport {} dir out mark 0x{:x} "
                       "mask 0x{:x} tmpl src {} dst {} proto esp spi 0x{:08x} reqid 0x{:x} mode "
                       "transport",
                       p.src.str(), p.dst.str(), protoStr(p.proto), p.dport, p.mark, p.markMask,
                       p.tmplSrc.str(), p.tmplDst.str(), p.spi, p.reqid);
}

std::string equivalent(const IpvsService& v) {
    std::string out = fmt::format("ipvsadm -A -f {} -s {}", v.fwmark, v.scheduler);
    for (const auto& r : v.reals) {
        out += fmt::format("; ipvsadm -a -f {} -r {} -m -w 1", v.fwmark, r.str());
    }
    return out;
}

std::string equivalent(const DnsRecord& d) {
    return fmt::format("# embedded DNS (127.0.0.11) answers {} -> {} (network {})", d.name,
                       d.address.str(), d.network);
}

std::string equivalent(const Listener& l) {
    if (l.owner == "docker-proxy" && l.forwardTo && l.forwardPort) {
        return fmt::format("docker-proxy -proto {} -host-ip {} -host-port {} -container-ip {} "
                           "-container-port {} &",
                           protoStr(l.proto), l.address.str(), l.port, l.forwardTo->str(),
                           *l.forwardPort);
    }
    return fmt::format("# {} listens on {} {}:{}", l.owner, protoStr(l.proto), l.address.str(),
                       l.port);
}

std::string inNetns(const std::string& command, const std::string& netns) {
    if (command.empty() || command.front() == '#') {
        return command;
    }
    if (command.rfind("ip ", 0) == 0) {
        return "ip -n " + netns + command.substr(2);
    }
    return "ip netns exec " + netns + " " + command;
}

}  // namespace cnmlab::drivers
