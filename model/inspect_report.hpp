#pragma once
// `cnmlab inspect`: the resolved topology as the JSON of docs/command-line.md, or as text.

#include <string>

#include <nlohmann/json.hpp>

#include "model/topology.hpp"

namespace cnmlab::model {

nlohmann::ordered_json inspectJson(const Topology& topo);
std::string inspectText(const Topology& topo);

}  // namespace cnmlab::model
