#pragma once
// What the simulation's tests on hand-built Plans share: addresses from text,
// the links they wire by hand, and finding a hop of a trace.
#include <algorithm>
#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "sim/trace.hpp"

namespace cnmlab::test {

inline model::Cidr cidr(const char* s) {
    return *model::Cidr::parse(s);
}
inline model::Ipv4 ip(const char* s) {
    return *model::Ipv4::parse(s);
}

// One end of a veth pair in `ns`, its peer `peer` in `peerNs`; a port of
// `master` when one is named.
inline drivers::Link veth(const std::string& ns, const std::string& name, const std::string& peerNs,
                          const std::string& peer, model::Mac mac, int mtu = 1500,
                          const std::string& master = "") {
    drivers::Link l;
    l.netns = ns;
    l.name = name;
    l.kind = drivers::LinkKind::Veth;
    l.mac = mac;
    l.mtu = mtu;
    l.peerNetns = peerNs;
    l.peerName = peer;
    l.master = master;
    return l;
}

inline drivers::Link bridge(const std::string& ns, const std::string& name, model::Mac mac,
                            int mtu = 1500) {
    drivers::Link l;
    l.netns = ns;
    l.name = name;
    l.kind = drivers::LinkKind::Bridge;
    l.mac = mac;
    l.mtu = mtu;
    return l;
}

// The first hop with action `act` at `node` whose English explanation
// contains `text`; nullptr if there is none.
inline const sim::Hop* findHop(const std::vector<sim::Hop>& hops, const std::string& act,
                               const std::string& node, const std::string& text = "") {
    auto it = std::find_if(hops.begin(), hops.end(), [&](const sim::Hop& h) {
        return h.action == act && h.node == node && h.explain.en.find(text) != std::string::npos;
    });
    return it == hops.end() ? nullptr : &*it;
}

}  // namespace cnmlab::test
