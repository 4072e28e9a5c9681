#pragma once
// Checks a YAML document against the Compose specification's JSON schema
// (model/schema/compose-spec.json, embedded at build time).
//
// Supports the subset of JSON Schema that the Compose schema uses: $ref,
// type, properties, patternProperties, additionalProperties, items, oneOf,
// anyOf, allOf, enum, required, minimum, maximum. YAML scalars are untyped, so
// a plain scalar counts as a number, integer, boolean or null when it reads as
// one (YAML 1.2 core schema), and every scalar counts as a string.
//
// Throws model::Error (Invalid) at the first problem, positioned at the
// offending key or value and naming its path (services.web.ports[0]).

#include <string>

#include <yaml-cpp/yaml.h>

namespace cnmlab::model {

void checkComposeSchema(const YAML::Node& document, const std::string& file);

}  // namespace cnmlab::model
