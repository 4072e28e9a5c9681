#pragma once
// The outputs of `cnmlab compare`: the JSON documented in docs/compare.md
// (stable: other tools read it) and a table a person reads in the terminal.
// `lang` is "en" or "zh".

#include <string>

#include <nlohmann/json.hpp>

#include "sim/compare.hpp"

namespace cnmlab::sim {

nlohmann::ordered_json compareJson(const Comparison& c, const std::string& lang);
std::string compareText(const Comparison& c, const std::string& lang);

// One driver's LAN identity in a few words: the kind most of its containers
// show ("own MAC, own IP"), with "+N" when others differ; "—" with none.
std::string identitySummary(const DriverReport& r, const std::string& lang);

// "98 B on the LAN" / "98 B in host1": the reference ping's largest frame.
std::string wireWords(const WireSample& w, const std::string& lang);

}  // namespace cnmlab::sim
