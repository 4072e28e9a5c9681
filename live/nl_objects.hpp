#pragma once
// What rtnl.cpp and xfrm.cpp share over libnl: owning pointers for its
// reference-counted objects, and an IPv4 address as libnl wants it. Internal
// to live/.

#include <arpa/inet.h>
#include <netlink/addr.h>

#include <memory>

#include "model/ip.hpp"

namespace cnmlab::live::nl {

// Releases a libnl object with its own put/free function.
template <typename T, void (*Free)(T*)> struct Deleter {
    void operator()(T* p) const {
        if (p != nullptr) {
            Free(p);
        }
    }
};
using AddrPtr = std::unique_ptr<nl_addr, Deleter<nl_addr, nl_addr_put>>;

inline AddrPtr ipAddr(model::Ipv4 ip, int prefix) {
    const std::uint32_t be = htonl(ip.value());
    AddrPtr a(nl_addr_build(AF_INET, &be, sizeof be));
    nl_addr_set_prefixlen(a.get(), prefix);
    return a;
}

}  // namespace cnmlab::live::nl
