// macvlan and ipvlan: links stacked on a lower device, with no bridge between
// them. As Linux has them:
//   macvlan (drivers/net/macvlan.c), each slave with its own MAC:
//     tx: bridge mode delivers to a bridge-mode sibling whose MAC is the
//         destination, and copies broadcasts to the bridge-mode siblings; every
//         other frame (and every frame in private, vepa, passthru mode) leaves
//         through the lower device. The lower device's own stack never sees
//         what its slaves send, so the host cannot talk to its macvlan containers.
//     rx on the lower device: a unicast frame for a slave's MAC goes to that
//         slave (not to the lower device); broadcasts go to every slave and to
//         the lower device; passthru gives everything to its one slave.
//   ipvlan (drivers/net/ipvlan/ipvlan_core.c), slaves sharing the lower MAC:
//     l2 tx: a frame to the shared MAC is demultiplexed by IPv4 destination (or
//         ARP target) to a sibling, or else handed to the lower device's own
//         stack; broadcasts go to every sibling and out; the rest leaves.
//     l2 rx: a frame to the shared MAC goes to the slave owning its IPv4
//         destination (or ARP target), else to the lower device; broadcasts to all.
//     l3: slaves do no ARP; tx delivers to a sibling owning the destination or
//         is routed by the lower device's namespace (ip_local_out: OUTPUT and
//         POSTROUTING apply); rx gives IPv4 to the slave owning the destination.
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

bool isMacvlan(SlaveMode m) {
    return m == SlaveMode::MacvlanBridge || m == SlaveMode::MacvlanPrivate ||
           m == SlaveMode::MacvlanVepa || m == SlaveMode::MacvlanPassthru;
}

// The IPv4 address ipvlan demultiplexes on: the destination, or an ARP target.
Ipv4 demuxAddress(const Frame& f) {
    return f.ethertype == kEtherTypeArp ? f.arpTargetIp : f.ipDst;
}

}  // namespace

void World::deliverLater(int dev, const Frame& f) {
    m_sched.schedule(0, &World::onReceive, this, static_cast<std::uint32_t>(dev), park(f));
}

int World::slaveOwning(int lower, Ipv4 ip) const {
    auto it = m_slaveByAddress.find(slaveKey(lower, ip));
    return it == m_slaveByAddress.end() ? -1 : it->second;
}

void World::slaveTransmit(int dev, const Frame& f) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    if (d.lower < 0) {
        drop(d.ns, dev, f, Reason{.why = Why::NoPeer, .ns = d.ns, .dev = dev});
        return;
    }
    const Device& lower = m_dev[static_cast<std::size_t>(d.lower)];
    const std::string& nsName = m_ns[static_cast<std::size_t>(d.ns)].name;
    auto toSibling = [&](int s, const char* how) {
        const Device& sib = m_dev[static_cast<std::size_t>(s)];
        if (tracing()) {
            const std::string& sibNs = m_ns[static_cast<std::size_t>(sib.ns)].name;
            hop(d.ns, dev, action::kForward, f,
                {fmt::format("{} ({} on {}) hands the frame straight to its sibling {} in {} ({})",
                             d.name, d.kind == drivers::LinkKind::Macvlan ? "macvlan" : "ipvlan",
                             lower.name, sib.name, sibNs, how),
                 fmt::format("{}（{} 上的 {}）把帧直接交给同一父接口上的 {}（{} 中）（{}）", d.name,
                             lower.name, d.kind == drivers::LinkKind::Macvlan ? "macvlan" : "ipvlan",
                             sib.name, sibNs, how)});
        }
        deliverLater(s, f);
    };
    auto out = [&]() {
        if (tracing()) {
            hop(d.ns, dev, action::kTx, f,
                {fmt::format("{} in {} sends the frame out of its parent {} in {}", d.name, nsName,
                             lower.name, m_ns[static_cast<std::size_t>(lower.ns)].name),
                 fmt::format("{} 中的 {} 通过父接口 {}（{} 中）发出该帧", nsName, d.name, lower.name,
                             m_ns[static_cast<std::size_t>(lower.ns)].name)});
        }
        transmit(d.lower, f);
    };
    const bool multicast = (f.dstMac[0] & 1) != 0;
    switch (d.slaveMode) {
    case SlaveMode::MacvlanBridge:
        if (multicast) {
            for (int s : lower.uppers) {
                const Device& sib = m_dev[static_cast<std::size_t>(s)];
                if (s != dev && sib.up && sib.slaveMode == SlaveMode::MacvlanBridge) {
                    toSibling(s, "a broadcast reaches every bridge-mode macvlan");
                }
            }
            out();
            return;
        }
        for (int s : lower.uppers) {
            const Device& sib = m_dev[static_cast<std::size_t>(s)];
            if (s != dev && sib.up && sameMac(sib.mac, f.dstMac) && sib.slaveMode == SlaveMode::MacvlanBridge) {
                toSibling(s, "macvlan bridge mode");
                return;
            }
        }
        out();
        return;
    case SlaveMode::IpvlanL2:
        if (multicast) {
            for (int s : lower.uppers) {
                if (s != dev && m_dev[static_cast<std::size_t>(s)].up) {
                    toSibling(s, "ipvlan copies broadcasts to every slave");
                }
            }
            out();
            return;
        }
        if (sameMac(f.dstMac, f.srcMac)) {
            // Addressed to the shared MAC: a sibling's address, or the lower device's stack.
            const int s = slaveOwning(d.lower, demuxAddress(f));
            if (s >= 0 && s != dev) {
                toSibling(s, "ipvlan l2 finds the slave by its IPv4 address");
            } else {
                if (tracing()) {
                    hop(d.ns, dev, action::kForward, f,
                        {fmt::format("{} hands the frame to its parent {}'s own stack (the shared "
                                     "MAC, and no slave owns {})",
                                     d.name, lower.name, demuxAddress(f).str()),
                         fmt::format("{} 把帧交给父接口 {} 自己的协议栈（共享 MAC，且没有从接口拥有 {}）",
                                     d.name, lower.name, demuxAddress(f).str())});
                }
                deliverLater(d.lower, f);
            }
            return;
        }
        out();
        return;
    case SlaveMode::IpvlanL3: {
        if (f.ethertype != kEtherTypeIpv4) {
            return;
        }
        const int s = slaveOwning(d.lower, f.ipDst);
        if (s >= 0 && s != dev) {
            toSibling(s, "ipvlan l3 finds the slave by its IPv4 address");
            return;
        }
        if (tracing()) {
            hop(d.ns, dev, action::kRoute, f,
                {fmt::format("ipvlan l3: {} hands the packet to {}'s namespace, which routes it "
                             "as its own output",
                             d.name, m_ns[static_cast<std::size_t>(lower.ns)].name),
                 fmt::format("ipvlan l3：{} 把数据包交给 {} 的命名空间，由其按本机发出的数据包路由",
                             d.name, m_ns[static_cast<std::size_t>(lower.ns)].name)});
        }
        Frame routed = f;
        localOut(lower.ns, routed);
        return;
    }
    case SlaveMode::MacvlanPrivate:
    case SlaveMode::MacvlanVepa:
    case SlaveMode::MacvlanPassthru:
    case SlaveMode::None:
        out();
        return;
    }
}

bool World::slaveReceive(int lowerIdx, const Frame& f) {
    const Device& lower = m_dev[static_cast<std::size_t>(lowerIdx)];
    const SlaveMode mode = m_dev[static_cast<std::size_t>(lower.uppers.front())].slaveMode;
    const bool multicast = (f.dstMac[0] & 1) != 0;
    auto give = [&](int s, bool now) {
        const Device& sl = m_dev[static_cast<std::size_t>(s)];
        if (tracing()) {
            hop(lower.ns, lowerIdx, action::kForward, f,
                {fmt::format("{} passes the frame to its {} {} in {}", lower.name,
                             isMacvlan(mode) ? "macvlan" : "ipvlan", sl.name,
                             m_ns[static_cast<std::size_t>(sl.ns)].name),
                 fmt::format("{} 把帧交给其 {} 从接口 {}（{} 中）", lower.name,
                             isMacvlan(mode) ? "macvlan" : "ipvlan", sl.name,
                             m_ns[static_cast<std::size_t>(sl.ns)].name)});
        }
        if (now) {
            receive(s, f);  // RX_HANDLER_ANOTHER: processed at once as the slave
        } else {
            deliverLater(s, f);
        }
    };
    if (mode == SlaveMode::MacvlanPassthru) {
        give(lower.uppers.front(), true);
        return true;
    }
    if (multicast) {
        for (int s : lower.uppers) {
            if (m_dev[static_cast<std::size_t>(s)].up) {
                give(s, false);
            }
        }
        return false;  // the lower device gets it too
    }
    if (isMacvlan(mode)) {
        for (int s : lower.uppers) {
            if (sameMac(m_dev[static_cast<std::size_t>(s)].mac, f.dstMac)) {
                give(s, true);
                return true;
            }
        }
        return false;
    }
    if (mode == SlaveMode::IpvlanL2 && !sameMac(f.dstMac, lower.mac)) {
        return false;
    }
    if (mode == SlaveMode::IpvlanL3 && f.ethertype != kEtherTypeIpv4 &&
        f.ethertype != kEtherTypeArp) {
        return false;
    }
    const int s = slaveOwning(lowerIdx, demuxAddress(f));
    if (s < 0) {
        return false;
    }
    give(s, true);
    return true;
}

}  // namespace cnmlab::sim
