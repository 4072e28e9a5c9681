#include "sim/compare.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/error.hpp"
#include "model/topology.hpp"
#include "sim/compare_measure.hpp"
#include "sim/scenario_sim.hpp"

namespace cnmlab::sim {

namespace {

using model::Error;
using model::ErrorKind;

// One driver's file, read, resolved and planned; the Topology points into the
// Scenario, so all live in one heap object that never moves.
struct Built {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
};

struct Verdict {
    bool reachable = false;
    Reason reason;
};

// The matrix by pair: a pair with several addresses (a host's) is reachable
// when one of them is, with the reason of the first address that decided so.
std::map<PairKey, Verdict> byPair(const ReachMatrix& m) {
    std::map<PairKey, Verdict> out;
    for (const auto& e : m.entries) {
        PairKey k{m.names[e.from], m.names[e.to],
                  e.network >= 0 ? m.networks[static_cast<std::size_t>(e.network)] : "", e.proto,
                  e.port};
        auto [it, fresh] = out.try_emplace(std::move(k), Verdict{e.reachable, e.reason});
        if (!fresh && e.reachable && !it->second.reachable) {
            it->second = Verdict{true, e.reason};
        }
    }
    return out;
}

const char* word(const Verdict* v) {
    if (v == nullptr) {
        return "absent";
    }
    return v->reachable ? "reachable" : "unreachable";
}

std::vector<PairChange> changesFrom(const std::map<PairKey, Verdict>& first,
                                    const std::map<PairKey, Verdict>& here, const World& world) {
    std::vector<PairChange> out;
    auto note = [&](const PairKey& k, const Verdict* a, const Verdict* b) {
        if (a != nullptr && b != nullptr && a->reachable == b->reachable) {
            return;
        }
        PairChange c{k, word(a), word(b), {}};
        if (b != nullptr) {
            c.reason = world.explain(b->reason);
        }
        out.push_back(std::move(c));
    };
    for (const auto& [k, v] : first) {
        auto it = here.find(k);
        note(k, &v, it == here.end() ? nullptr : &it->second);
    }
    for (const auto& [k, v] : here) {
        if (first.count(k) == 0) {
            note(k, nullptr, &v);
        }
    }
    // Flips first (the pairs both drivers have), then pairs only one has.
    auto rank = [](const PairChange& c) {
        return c.first == "absent" ? 1 : c.here == "absent" ? 2 : 0;
    };
    std::sort(out.begin(), out.end(), [&](const PairChange& a, const PairChange& b) {
        return std::pair(rank(a), a.pair) < std::pair(rank(b), b.pair);
    });
    return out;
}

Tally tally(const std::map<PairKey, Verdict>& pairs) {
    Tally t;
    for (const auto& [k, v] : pairs) {
        ++t.total;
        t.reachable += v.reachable ? 1 : 0;
    }
    return t;
}

}  // namespace

Comparison compare(const model::Scenario& sc, const std::vector<std::string>& drivers,
                   const std::string& network) {
    if (drivers.empty()) {
        throw Error(ErrorKind::Invalid, "--drivers: name at least one driver");
    }
    for (const auto& d : drivers) {
        if (!model::comparableDriver(sc, d)) {
            throw Error(ErrorKind::Invalid,
                        fmt::format("--drivers: unknown driver {} (bridge, macvlan, ipvlan, "
                                    "overlay, host, none, a shipped plugin or one of the "
                                    "file's x-plugins)",
                                    d));
        }
    }
    Comparison out;
    out.file = sc.file;
    out.networks = model::comparedNetworks(sc, network);
    const model::Topology original = model::resolve(sc);
    const Subjects subjects = subjectsOf(original, out.networks);
    out.containers = subjects.containers;

    std::map<PairKey, Verdict> first;
    bool haveFirst = false;
    for (const auto& driver : drivers) {
        DriverReport r;
        r.driver = driver;
        auto built = std::make_unique<Built>();
        try {
            model::SwappedScenario swapped = model::swapDriver(sc, out.networks, driver);
            r.settings = std::move(swapped.settings);
            r.scenarioText = std::move(swapped.text);
            built->scenario = model::readScenario(r.scenarioText, sc.file);
            built->topology = model::resolve(built->scenario);
            built->plan = drivers::buildPlan(built->topology);
            r.valid = true;
        } catch (const Error& e) {
            r.invalid = e.message();
        }
        if (r.valid) {
            ScenarioSim simulation(built->topology, built->plan);
            const auto pairs = byPair(simulation.reach());
            r.matrix = tally(pairs);
            if (haveFirst) {
                r.changes = changesFrom(first, pairs, simulation.world());
            } else {
                first = pairs;
                haveFirst = true;
            }
            measure(simulation, built->topology, built->plan, subjects, r);
        }
        out.drivers.push_back(std::move(r));
    }
    return out;
}

}  // namespace cnmlab::sim
