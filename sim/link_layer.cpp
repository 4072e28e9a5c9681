// The link layer of the simulated kernel: a device transmits through its
// kind, a received frame goes to the device's rx handler or up its IP stack;
// frames in flight are parked so a scheduled delivery captures only an index.
// Tracing records one Hop per decision.
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

void World::hop(int ns, int dev, const char* act, const Frame& f, Text text,
                const drivers::NfRule* rule) {
    if (m_trace == nullptr) {
        return;
    }
    if (dev >= 0 && !m_pluginCallsAt.empty()) {
        pluginSteps(ns, dev, f);
    }
    m_trace->push_back(Hop{m_sched.now(), m_ns[static_cast<std::size_t>(ns)].planName,
                           dev >= 0 ? m_dev[static_cast<std::size_t>(dev)].name : "", act,
                           std::make_shared<const Frame>(f), std::move(text), rule});
}

void World::drop(int ns, int dev, const Frame& f, const Reason& why) {
    if (m_proxy.active() && onProxyLeg(f)) {
        proxyLegDropped(ns, why);  // docker-proxy's own connection, not the client's
    } else if (m_probe.active && !m_probe.done && m_probe.reason.why == Why::None) {
        if (isBroadcast(f.dstMac)) {
            if (m_probe.floodReason.why == Why::None) {
                m_probe.floodReason = why;
            }
        } else if (why.why == Why::NoArpReply && m_probe.floodReason.why != Why::None) {
            m_probe.reason = m_probe.floodReason;  // why the request found no answer
        } else {
            m_probe.reason = why;
        }
    }
    if (tracing()) {
        hop(ns, dev, action::kDrop, f, explain(why), why.rule);
    }
}

std::uint32_t World::park(const Frame& f) {
    std::uint32_t slot = 0;
    if (!m_freeSlots.empty()) {
        slot = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        if ((m_parkedSlots & kChunkMask) == 0) {
            m_inflight.push_back(std::make_unique<Parked[]>(kChunkMask + 1));
        }
        slot = m_parkedSlots++;
    }
    Parked& p = parked(slot);
    p.frame = f;
    p.users = 1;
    return slot;
}

void World::release(std::uint32_t slot) {
    if (--parked(slot).users == 0) {
        m_freeSlots.push_back(slot);
    }
}

void World::dropPending() {
    Arp::forgetIncomplete(*this);
    if (m_sched.empty()) {
        return;  // every delivery ran and released its frame
    }
    m_sched.clear();
    m_freeSlots.clear();
    for (std::uint32_t i = m_parkedSlots; i-- > 0;) {
        parked(i).users = 0;
        m_freeSlots.push_back(i);
    }
}

void World::onReceive(void* world, std::uint32_t dev, std::uint32_t slot) {
    auto* w = static_cast<World*>(world);
    w->receive(static_cast<int>(dev), w->parked(slot).frame);
    w->release(slot);
}

void World::onLocalDeliver(void* world, std::uint32_t dev, std::uint32_t slot) {
    auto* w = static_cast<World*>(world);
    w->localDeliver(w->m_dev[dev].ns, static_cast<int>(dev), w->parked(slot).frame);
    w->release(slot);
}

Text World::bridgeText(int bridge) const {
    const Device& b = m_dev[static_cast<std::size_t>(bridge)];
    if (m_ns[static_cast<std::size_t>(b.ns)].kind == drivers::NetnsKind::Lan) {
        return {"the LAN switch", "局域网交换机"};
    }
    return {fmt::format("bridge {}", b.name), fmt::format("网桥 {} ", b.name)};
}

Text World::portText(int port) const {
    const Device& d = m_dev[static_cast<std::size_t>(port)];
    if (m_ns[static_cast<std::size_t>(d.ns)].kind == drivers::NetnsKind::Lan && d.peer() >= 0) {
        // A port of the LAN switch is the cable to one machine's eth0.
        const Namespace& machine =
            m_ns[static_cast<std::size_t>(m_dev[static_cast<std::size_t>(d.peer())].ns)];
        return {fmt::format("its port to {}", machine.name),
                fmt::format("通往 {} 的端口", machine.nameZh)};
    }
    return {fmt::format("port {}", d.name), fmt::format(" {} 端口", d.name)};
}

void World::receive(int dev, const Frame& f) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    if (!d.up) {
        drop(d.ns, dev, f, Reason{.why = Why::DeviceDownRx, .ns = d.ns, .dev = dev});
        return;
    }
    if (f.vlanId != 0 && Vlan::receiveTagged(*this, dev, f)) {
        return;
    }
    if (d.rxHandler != nullptr && d.rxHandler(*this, dev, f)) {
        return;
    }
    ipReceive(dev, f);
}

void World::transmit(int dev, const Frame& f, std::uint32_t* shared) {
    const Device& d = m_dev[static_cast<std::size_t>(dev)];
    if (!d.up) {
        drop(d.ns, dev, f, Reason{.why = Why::DeviceDownTx, .ns = d.ns, .dev = dev});
        return;
    }
    std::visit(
        [&](const auto& kind) { std::decay_t<decltype(kind)>::transmit(*this, dev, f, shared); },
        d.state);
}

void World::deliverAfter(TimeUs delay, int dev, const Frame& f, std::uint32_t* shared) {
    std::uint32_t slot = kNoSlot;
    if (shared == nullptr) {
        slot = park(f);
    } else if (*shared == kNoSlot) {
        slot = *shared = park(f);
    } else {
        slot = *shared;
        ++parked(slot).users;
    }
    m_sched.schedule(delay, &World::onReceive, this, static_cast<std::uint32_t>(dev), slot);
}

void World::deliverLater(int dev, const Frame& f) {
    deliverAfter(0, dev, f, nullptr);
}

int World::ipvlanOwning(int lower, Ipv4 ip) const {
    auto it = m_ipvlanByAddress.find((std::uint64_t(static_cast<std::uint32_t>(lower)) << 32) |
                                     ip.value());
    return it == m_ipvlanByAddress.end() ? -1 : it->second;
}

}  // namespace cnmlab::sim
