// Encrypted overlays: libnetwork drivers/overlay/encryption.go. Per VNI on a
// host that has the network, the mangle mark and the INPUT rules
// (programMangle, programInput); per pair of hosts sharing an encrypted
// network, ESP security associations in both directions and one output
// policy (setupEncryption, programSA, programSP), all keyed by the swarm's
// keys. docs/overlay.md ("Encrypted overlays") has what a real swarm made.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "drivers/iptables.hpp"
#include "drivers/overlay_driver.hpp"
#include "model/topology.hpp"

namespace cnmlab::drivers {

namespace {

constexpr std::uint32_t kMark = 0xD0C4E3;  // encryption.go `mark`, also the SAs' reqid
constexpr int kVxlanPort = 4789;

// The swarm's three IPsec keys as getKeys hands them to the driver: sorted by
// Lamport time, then the primary (the second) swapped to the front. Docker's
// are random; these are fixed so that the same file gives the same Plan.
struct SwarmKey {
    std::array<std::uint8_t, 16> value{};
    std::uint32_t tag = 0;
};

std::array<SwarmKey, 3> swarmKeys() {
    std::array<SwarmKey, 3> keys;
    const std::array<std::uint32_t, 3> tags = {2, 1, 3};
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::string hex = model::objectId(fmt::format("swarm ipsec key {}", tags[i]));
        for (std::size_t b = 0; b < 16; ++b) {
            keys[i].value[b] =
                static_cast<std::uint8_t>(std::stoi(hex.substr(2 * b, 2), nullptr, 16));
        }
        keys[i].tag = tags[i];
    }
    return keys;
}

// encryption.go buildSPI: FNV-1a (32 bit) over the source as a 16-byte
// net.IP, the key tag (big-endian), the destination as a 16-byte net.IP.
std::uint32_t buildSpi(Ipv4 src, Ipv4 dst, std::uint32_t tag) {
    std::uint32_t h = 2166136261U;
    auto feed = [&](std::uint8_t b) { h = (h ^ b) * 16777619U; };
    auto feedIp = [&](Ipv4 ip) {
        for (int i = 0; i < 10; ++i) {
            feed(0);
        }
        feed(0xff);
        feed(0xff);
        for (int shift = 24; shift >= 0; shift -= 8) {
            feed(static_cast<std::uint8_t>(ip.value() >> shift));
        }
    };
    feedIp(src);
    for (int shift = 24; shift >= 0; shift -= 8) {
        feed(static_cast<std::uint8_t>(tag >> shift));
    }
    feedIp(dst);
    return h;
}

// buildAeadAlgo: the key, then the SPI as a 4-byte salt.
XfrmState sa(const std::string& netns, Ipv4 src, Ipv4 dst, const SwarmKey& k) {
    XfrmState s;
    s.netns = netns;
    s.src = src;
    s.dst = dst;
    s.spi = buildSpi(src, dst, k.tag);
    s.reqid = kMark;
    s.key.assign(k.value.begin(), k.value.end());
    for (int shift = 24; shift >= 0; shift -= 8) {
        s.key.push_back(static_cast<std::uint8_t>(s.spi >> shift));
    }
    s.icvBits = 64;
    return s;
}

}  // namespace

void programEncryptionRules(PlanBuilder& plan, const std::string& host, std::uint32_t vni,
                            const Owner& owner) {
    Iptables ipt(plan, host);
    ipt.builtinChains(owner, NfTable::Mangle);
    NfMatch vxlan;
    vxlan.proto = Proto::Udp;
    vxlan.dport = kVxlanPort;
    vxlan.vxlanVni = vni;
    NfRule mark = ipt.rule(
        NfTable::Mangle, "OUTPUT", vxlan, NfTarget::setMark(kMark),
        fmt::format("Encrypted overlay (VNI {}): its VXLAN packets are marked 0xd0c4e3, which "
                    "the IPsec policy to each other host matches.",
                    vni),
        fmt::format("加密 overlay（VNI {}）：其 VXLAN 数据包被打上标记 0xd0c4e3，"
                    "去往每台其他主机的 IPsec 策略据此匹配。",
                    vni));
    ipt.append(owner, mark);
    NfMatch plain = vxlan;
    plain.ipsecPolicy = "none";
    ipt.insert(owner, ipt.rule(NfTable::Filter, "INPUT", plain, NfTarget::drop(),
                               fmt::format("Encrypted overlay (VNI {}): VXLAN that did not come "
                                           "through IPsec is dropped.",
                                           vni),
                               fmt::format("加密 overlay（VNI {}）：未经 IPsec 解密的 VXLAN "
                                           "数据包被丢弃。",
                                           vni)));
    NfMatch secured = vxlan;
    secured.ipsecPolicy = "ipsec";
    ipt.append(owner, ipt.rule(NfTable::Filter, "INPUT", secured, NfTarget::accept(),
                               fmt::format("Encrypted overlay (VNI {}): VXLAN decrypted by an "
                                           "IPsec security association is accepted.",
                                           vni),
                               fmt::format("加密 overlay（VNI {}）：经 IPsec 安全关联解密的 "
                                           "VXLAN 数据包被接受。",
                                           vni)));
}

void addOverlayEncryption(const model::Topology& topo, PlanBuilder& plan) {
    const auto keys = swarmKeys();
    std::vector<const model::NetworkInstance*> encrypted;
    for (const auto& net : topo.networks) {
        if (net.driver == "overlay" && overlayEncrypted(net)) {
            encrypted.push_back(&net);
        }
    }
    if (encrypted.empty()) {
        return;
    }
    for (const auto& local : topo.scenario->hosts) {
        for (const auto& remote : topo.scenario->hosts) {
            // A remote host with endpoints on an encrypted network this host has.
            const bool shared =
                &local != &remote &&
                std::any_of(encrypted.begin(), encrypted.end(), [&](const auto* net) {
                    return plan.hasNetns(overlayNamespace(*net, local.name)) &&
                           plan.hasNetns(overlayNamespace(*net, remote.name));
                });
            if (!shared) {
                continue;
            }
            const Owner owner = "networkdb:" + local.name + "/ipsec:" + remote.name;
            const Ipv4 l = local.underlay.address;
            const Ipv4 r = remote.underlay.address;
            for (std::size_t i = 0; i < keys.size(); ++i) {
                plan.add(owner, sa(local.name, r, l, keys[i]));  // rSA: receive from the peer
                if (i != 0) {
                    continue;
                }
                const XfrmState forward = sa(local.name, l, r, keys[i]);  // fSA: send to it
                plan.add(owner, forward);
                XfrmPolicy p;
                p.netns = local.name;
                p.src = Cidr{l, 32};
                p.dst = Cidr{r, 32};
                p.dport = kVxlanPort;
                p.mark = kMark;
                p.tmplSrc = l;
                p.tmplDst = r;
                p.spi = forward.spi;
                p.reqid = kMark;
                plan.add(owner, p);
            }
        }
    }
}

}  // namespace cnmlab::drivers
