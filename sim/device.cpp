// The device kinds' registration, and the kinds too small for a file of their own.
#include <stdexcept>

#include "sim/world.hpp"

namespace cnmlab::sim {

DeviceState makeDeviceState(const drivers::Link& link) {
    switch (link.kind) {
    case drivers::LinkKind::Loopback:
        return Loopback{};
    case drivers::LinkKind::Veth:
        return Veth{};
    case drivers::LinkKind::Bridge: {
        Bridge b;
        b.ageingSeconds = link.ageingSeconds;
        return b;
    }
    case drivers::LinkKind::Macvlan:
        return Macvlan{-1, Macvlan::modeNamed(link.mode)};
    case drivers::LinkKind::Ipvlan:
        return Ipvlan{-1, Ipvlan::modeNamed(link.mode)};
    case drivers::LinkKind::Dummy:
        return Dummy{};
    case drivers::LinkKind::Vlan:
        return Vlan{-1, link.vlanId};
    case drivers::LinkKind::Vxlan: {
        Vxlan v;  // linkNs is set with the links between devices
        v.vni = link.vni;
        v.dstPort = link.dstPort;
        v.learning = link.learning;
        v.proxy = link.proxy;
        v.l2miss = link.l2miss;
        v.l3miss = link.l3miss;
        v.ageingSeconds = link.ageingSeconds;
        return v;
    }
    }
    throw std::logic_error("makeDeviceState: a link kind without a device type");
}

void Loopback::transmit(World& w, int dev, const Frame& f, std::uint32_t* /*shared*/) {
    w.deliverAfter(0, dev, f, nullptr);
}

void Dummy::transmit(World& w, int dev, const Frame& f, std::uint32_t* /*shared*/) {
    const Device& d = w.device(dev);
    w.drop(d.ns, dev, f, Reason{.why = Why::DummyDevice, .ns = d.ns, .dev = dev});
}

}  // namespace cnmlab::sim
