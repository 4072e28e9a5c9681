#pragma once
// IPsec security associations and policies through the kernel's xfrm netlink
// interface (libnl-xfrm-3), in one network namespace, as `ip xfrm state add`
// and `ip xfrm policy add` (and Docker's vishvananda/netlink) make them.
// Every failure throws model::Error naming the `ip xfrm` command:
// Unsupported when the kernel lacks ESP or the AEAD algorithm, System otherwise.

#include <string>

#include "drivers/plan.hpp"
#include "live/netns.hpp"

struct nl_sock;

namespace cnmlab::live {

class Xfrm {
public:
    explicit Xfrm(const Fd& ns);
    ~Xfrm();
    Xfrm(const Xfrm&) = delete;
    Xfrm& operator=(const Xfrm&) = delete;

    void addState(const drivers::XfrmState& s);
    void addPolicy(const drivers::XfrmPolicy& p);

private:
    nl_sock* m_sock = nullptr;
};

// Whether this kernel can hold Docker's security associations (ESP with
// rfc4106(gcm(aes))): tried once per process in a scratch namespace named
// `prefix`_xfrm, removed at once.
bool kernelHasEsp(const std::string& prefix);

}  // namespace cnmlab::live
