#pragma once
// The helper's questions to a topology that is up: the reach matrix and one
// probe, asked of the kernel (verify::Prober) and of the simulation, as the
// replies of live/helper_protocol.hpp give them. `cnmlab live helper` hands
// these to live::runLiveHelper, which knows nothing of the simulation.

#include <nlohmann/json.hpp>

#include "drivers/plan.hpp"
#include "model/topology.hpp"

namespace cnmlab::verify {

// The "entries" of a `matrix` reply. Throws model::Error (NotFound when the
// scenario's namespaces are gone). Any thread; one Prober per call.
nlohmann::json helperMatrix(const model::Topology& topo, const drivers::Plan& plan);

// "sim", "kernel" and "details" of a `probe` reply for `request` (from, to,
// proto, port, network, resolve). Throws model::Error (Invalid for an unknown
// name or a malformed request). Any thread.
nlohmann::json helperProbe(const model::Topology& topo, const drivers::Plan& plan,
                           const nlohmann::json& request);

}  // namespace cnmlab::verify
