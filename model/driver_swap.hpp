#pragma once
// The same file on another driver, for `cnmlab compare` (SPEC §2) and the
// studio's Compare view: networks put on DRIVER with that driver's usual
// options, as a person following Docker's documentation would set them.
//
//   - bridge, overlay and plugins: the driver's defaults, the network's own
//     IPAM kept; overlay is attachable (plain containers join it) and makes
//     the file a swarm of its hosts.
//   - macvlan and ipvlan (l2): one network takes the hosts' eth0 with the
//     LAN's subnet and gateway, its addresses from an ip_range the LAN's
//     machines do not use (Docker's own advice); the LAN has room for one
//     network per parent, so every other network rides an 802.1Q
//     sub-interface eth0.N (N = 10, 20, ... by its place in the list) with
//     its own subnet, the way Docker's docs put several macvlan networks on
//     one card. The LAN network is the first with no subnet and no static
//     address of its own (else the first with no static address).
//   - host and none: the networks' services take network_mode: host / none
//     and the networks go; a service also on a network that stays cannot
//     (Compose refuses network_mode beside networks).
//
// The result is written out and read back with readScenario(), so every check
// of the reader applies to it: a file invalid on a driver fails with the
// reader's own message. The lesson is dropped (its steps name what moved).

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace cnmlab::model {

// How one network was set on the driver, in a person's words.
struct NetworkSetting {
    std::string network;  // the network's key
    std::string text;     // "macvlan on eth0, LAN subnet 192.168.100.0/24, range ..."
};

struct SwappedScenario {
    std::string text;  // the Compose file as written
    std::vector<NetworkSetting> settings;
};

// The networks compare puts on the driver: `only` when given (it must be a
// network of the file that is not external: Error Invalid otherwise), else
// every user network of the file in file order, the implicit default included.
std::vector<std::string> comparedNetworks(const Scenario& sc, const std::string& only);

// `sc` with `networks` on `driver`. Throws Error (Invalid) when no rewrite
// can express it (a service on a network that goes to host mode and on one
// that stays); the reader's own errors come later, from readScenario().
SwappedScenario swapDriver(const Scenario& sc, const std::vector<std::string>& networks,
                           const std::string& driver);

// Whether compare knows `driver`: a built-in driver, a shipped plugin or one
// of the file's x-plugins.
bool comparableDriver(const Scenario& sc, const std::string& driver);

}  // namespace cnmlab::model
