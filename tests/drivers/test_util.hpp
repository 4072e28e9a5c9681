#pragma once
// Helpers shared by the drivers tests: a scenario text in, its Plan out, and
// small finders over the Plan.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/plan_builder.hpp"
#include "drivers/plan_text.hpp"
#include "model/compose_reader.hpp"
#include "model/topology.hpp"

namespace cnmlab::test {

using namespace cnmlab::drivers;

// Scenario, Topology and Plan kept together: the Topology points into the Scenario.
struct Built {
    model::Scenario sc;
    model::Topology topo;
    Plan plan;

    std::string bridgeOf(const std::string& key) const {
        return "br-" + topo.findNetwork(key)->id.substr(0, 12);
    }
    const model::Endpoint& endpoint(const std::string& service, const std::string& net) const {
        for (const auto& e : topo.findContainer(service)->endpoints) {
            if (e.network == net) {
                return e;
            }
        }
        throw std::runtime_error("no endpoint " + service + "/" + net);
    }
};

inline std::unique_ptr<Built> build(const std::string& yaml,
                                    const std::string& file = "shop.yaml") {
    auto b = std::make_unique<Built>();
    b->sc = model::readScenario(yaml, file);
    b->topo = model::resolve(b->sc);
    b->plan = buildPlan(b->topo);
    return b;
}

inline std::string sourcePath(const std::string& rel) {
    return std::string(CNMLAB_SOURCE_DIR) + "/" + rel;
}

inline std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The error building the Plan of `yaml` raises (kind System, "no error", if none).
inline model::Error planError(const std::string& yaml) {
    try {
        build(yaml);
    } catch (const model::Error& e) {
        return e;
    }
    return {model::ErrorKind::System, "no error"};
}

// One chain's rules, in order, as iptables-save prints them.
inline std::vector<std::string> chainRules(const Plan& plan, const std::string& netns,
                                           NfTable table, const std::string& chain) {
    std::vector<std::string> out;
    for (const auto& r : plan.rules) {
        if (r.netns == netns && r.table == table && r.chain == chain) {
            out.push_back(ruleSpec(r));
        }
    }
    return out;
}

inline std::vector<const Link*> linksIn(const Plan& plan, const std::string& netns) {
    std::vector<const Link*> out;
    for (const auto& l : plan.links) {
        if (l.netns == netns) {
            out.push_back(&l);
        }
    }
    return out;
}

inline std::vector<std::string> addressesIn(const Plan& plan, const std::string& netns) {
    std::vector<std::string> out;
    for (const auto& a : plan.addresses) {
        if (a.netns == netns) {
            out.push_back(a.dev + " " + a.cidr.str());
        }
    }
    return out;
}

inline std::vector<std::string> routesIn(const Plan& plan, const std::string& netns) {
    std::vector<std::string> out;
    for (const auto& r : plan.routes) {
        if (r.netns == netns) {
            out.push_back(equivalent(r));
        }
    }
    return out;
}

inline std::vector<std::string> dnsIn(const Plan& plan, const std::string& netns) {
    std::vector<std::string> out;
    for (const auto& d : plan.dns) {
        if (d.netns == netns) {
            out.push_back(d.name + "=" + d.address.str() + "@" + d.network);
        }
    }
    return out;
}

inline std::vector<std::string> listenersIn(const Plan& plan, const std::string& netns) {
    std::vector<std::string> out;
    for (const auto& l : plan.listeners) {
        if (l.netns == netns) {
            std::string s = model::protoName(l.proto) + " " + l.address.str() + ":" +
                            std::to_string(l.port) + " " + l.owner;
            if (l.forwardTo) {
                s += " -> " + l.forwardTo->str() + ":" + std::to_string(*l.forwardPort);
            }
            out.push_back(s);
        }
    }
    return out;
}

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace cnmlab::test
