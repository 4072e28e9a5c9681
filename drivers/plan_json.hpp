#pragma once
// Plan objects as JSON, for what a plugin tells cnmlab it builds (the
// `/CnmlabPlan.Changes` extension of the plugin protocol, remote_driver.hpp):
// the kinds a network plugin makes in its host's namespace (links,
// addresses, routes, neighbours, FDB entries, sysctls, netfilter chains and
// rules). Keys are the C++ field names; absent keys take the field's default,
// so a plugin writes only what it sets. Reading throws remote::DecodeError
// naming the kind and the key.

#include <string>

#include "drivers/plan.hpp"
#include "drivers/remote_api.hpp"

namespace cnmlab::drivers {

remote::Json toJson(const Link& v);
remote::Json toJson(const Address& v);
remote::Json toJson(const Route& v);
remote::Json toJson(const Neighbor& v);
remote::Json toJson(const FdbEntry& v);
remote::Json toJson(const Sysctl& v);
remote::Json toJson(const NfChain& v);
remote::Json toJson(const NfRule& v);

template <typename T> T planFromJson(const remote::Json& j);

}  // namespace cnmlab::drivers
