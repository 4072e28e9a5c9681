#pragma once
// Small helpers for reading YAML with positions. Internal to model/.

#include <string>

#include <yaml-cpp/yaml.h>

#include "model/error.hpp"

namespace cnmlab::model {

inline SourcePos positionOf(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null()) {
        return SourcePos{file, 1, 1};
    }
    return SourcePos{file, mark.line + 1, mark.column + 1};
}

}  // namespace cnmlab::model
