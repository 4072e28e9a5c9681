#include "sim/compare.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>

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

// Names (services, hosts, externals, network keys) as small numbers, the same
// for every driver, so a pair of the matrix is 16 bytes: a 1000-container
// file has millions of pairs per driver.
class Names {
public:
    std::uint32_t id(const std::string& name) {
        auto [it, fresh] = m_ids.try_emplace(name, static_cast<std::uint32_t>(m_names.size()));
        if (fresh) {
            m_names.push_back(name);
        }
        return it->second;
    }
    const std::string& name(std::uint32_t id) const { return m_names[id]; }

private:
    std::unordered_map<std::string, std::uint32_t> m_ids;
    std::vector<std::string> m_names;
};

constexpr std::uint32_t kNoNetwork = ~std::uint32_t{0};

struct Key {
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    std::uint32_t network = kNoNetwork;
    std::uint16_t port = 0;
    model::Proto proto = model::Proto::Icmp;
    auto operator<=>(const Key&) const = default;  // NOLINT(modernize-use-nullptr)
};

struct Verdict {
    Key key;
    bool reachable = false;
    std::uint32_t entry = 0;  // the matrix entry whose reason decided it
};

// The matrix by pair, sorted by key: a pair with several addresses (a host's)
// is reachable when one of them is, with the reason of the first address
// that decided so.
std::vector<Verdict> byPair(const ReachMatrix& m, Names& names) {
    std::vector<std::uint32_t> nameIds;
    for (const auto& n : m.names) {
        nameIds.push_back(names.id(n));
    }
    std::vector<std::uint32_t> netIds;
    for (const auto& n : m.networks) {
        netIds.push_back(names.id(n));
    }
    std::vector<Verdict> out;
    out.reserve(m.entries.size());
    for (std::size_t i = 0; i < m.entries.size(); ++i) {
        const ReachEntry& e = m.entries[i];
        const Key k{nameIds[e.from], nameIds[e.to],
                    e.network >= 0 ? netIds[static_cast<std::size_t>(e.network)] : kNoNetwork,
                    e.port, e.proto};
        out.push_back(Verdict{k, e.reachable, static_cast<std::uint32_t>(i)});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Verdict& a, const Verdict& b) { return a.key < b.key; });
    std::size_t w = 0;
    for (std::size_t r = 0; r < out.size(); ++r) {
        if (w > 0 && out[w - 1].key == out[r].key) {
            if (out[r].reachable && !out[w - 1].reachable) {
                out[w - 1] = out[r];
            }
        } else {
            out[w++] = out[r];
        }
    }
    out.resize(w);
    return out;
}

// What of the baseline the others are compared with: each pair's verdict,
// sorted by key.
using Baseline = std::vector<std::pair<Key, bool>>;

// The pairs whose verdict is not the baseline's: all counted, at most
// kMaxChanges kept with their words, flips first.
void changesFrom(const Baseline& first, const std::vector<Verdict>& here, const ReachMatrix& m,
                 const World& world, const Names& names, DriverReport& r) {
    std::unordered_map<Reason, Text, ReasonHash> words;
    auto change = [&](const Key& k, const char* was, const Verdict* v) {
        PairChange c;
        c.pair = PairKey{names.name(k.from), names.name(k.to),
                         k.network == kNoNetwork ? std::string() : names.name(k.network), k.proto,
                         k.port};
        c.first = was;
        c.here = v == nullptr ? "absent" : v->reachable ? "reachable" : "unreachable";
        if (v != nullptr) {
            const Reason& why = m.entries[v->entry].reason;
            auto [it, fresh] = words.try_emplace(why);
            if (fresh) {
                it->second = world.explain(why);
            }
            c.reason = it->second;
        }
        return c;
    };
    std::vector<PairChange> gone;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < first.size() || j < here.size()) {
        const bool takeFirst =
            j == here.size() || (i < first.size() && first[i].first < here[j].key);
        const bool takeHere =
            i == first.size() || (j < here.size() && here[j].key < first[i].first);
        if (takeFirst) {  // gone here
            if (++r.newOrGone, gone.size() < kMaxChanges) {
                gone.push_back(
                    change(first[i].first, first[i].second ? "reachable" : "unreachable", nullptr));
            }
            ++i;
        } else if (takeHere) {  // new here
            if (++r.newOrGone, gone.size() < kMaxChanges) {
                gone.push_back(change(here[j].key, "absent", &here[j]));
            }
            ++j;
        } else {
            if (first[i].second != here[j].reachable) {
                ++r.flips;
                if (r.changes.size() < kMaxChanges) {
                    r.changes.push_back(change(
                        here[j].key, first[i].second ? "reachable" : "unreachable", &here[j]));
                }
            }
            ++i;
            ++j;
        }
    }
    // Flips first (the pairs both drivers have), then pairs only one has:
    // those a new address brings, then those gone.
    std::stable_sort(gone.begin(), gone.end(), [](const PairChange& a, const PairChange& b) {
        return (a.first == "absent") > (b.first == "absent");
    });
    for (auto& g : gone) {
        if (r.changes.size() >= kMaxChanges) {
            break;
        }
        r.changes.push_back(std::move(g));
    }
}

Tally tally(const std::vector<Verdict>& pairs) {
    Tally t;
    for (const auto& v : pairs) {
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

    Names names;
    Baseline first;
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
            const ReachMatrix matrix = simulation.reach();
            const auto pairs = byPair(matrix, names);
            r.matrix = tally(pairs);
            if (haveFirst) {
                changesFrom(first, pairs, matrix, simulation.world(), names, r);
            } else {
                first.reserve(pairs.size());
                for (const auto& v : pairs) {
                    first.emplace_back(v.key, v.reachable);
                }
                haveFirst = true;
            }
            measure(simulation, built->topology, built->plan, subjects, r);
        }
        out.drivers.push_back(std::move(r));
    }
    return out;
}

}  // namespace cnmlab::sim
