#pragma once
// Helpers shared by the model tests.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "model/compose_reader.hpp"
#include "model/topology.hpp"

namespace cnmlab::test {

inline std::string sourcePath(const std::string& rel) {
    return std::string(CNMLAB_SOURCE_DIR) + "/" + rel;
}

inline std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A scenario text read as FILE (its stem is the project name unless `name:`
// says otherwise) and resolved; the Topology points into the Scenario.
struct Resolved {
    model::Scenario sc;
    model::Topology topo;
};
inline std::unique_ptr<Resolved> resolveText(const std::string& yaml,
                                             const std::string& file = "t.yaml") {
    auto r = std::make_unique<Resolved>();
    r->sc = model::readScenario(yaml, file);
    r->topo = model::resolve(r->sc);
    return r;
}

// The error a scenario text raises, or "" when it loads and resolves.
inline model::Error loadError(const std::string& yaml) {
    try {
        model::Scenario sc = model::readScenario(yaml, "t.yaml");
        model::resolve(sc);
    } catch (const model::Error& e) {
        return e;
    }
    return model::Error(model::ErrorKind::System, "no error");
}

}  // namespace cnmlab::test
