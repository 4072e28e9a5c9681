// Conformance: holds the simulation to what a real Docker 20.10 daemon did.
//
// Every tests/conformance/recorded/<scenario>.json (written by record.sh on a
// machine with dockerd) lists facts: IPAM (subnets, gateways, addresses,
// prefixes, MACs), container routes, reachability (ping and TCP connect) and
// embedded-DNS answers; those of the swarm recorder (recorded_swarm/,
// recorded_services/) add the swarm's networks, namespaces, hosts, rules and
// services. This test loads the same scenario, resolves it, builds its Plan
// and a ScenarioSim, and compares fact by fact. It needs no Docker. Facts the
// recording machine made meaningless (marked "artefact") are counted apart.
//
// A fact that differs fails the test unless known_differences.txt lists it
// with its reason; an entry there that no longer matches a difference fails
// too, so the list stays true. Each scenario's test prints the number of facts
// compared and every difference.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/error.hpp"
#include "model/topology.hpp"
#include "sim/scenario_sim.hpp"
#include "tests/conformance/known_differences.hpp"
#include "tests/conformance/swarm_answers.hpp"
#include "tests/conformance/swarm_services_answers.hpp"

namespace {

using namespace cnmlab;
using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kDir = fs::path(CNMLAB_SOURCE_DIR) / "tests" / "conformance";

// ---- known differences (known_differences.hpp) -----------------------------------

using conformance::globMatch;
using conformance::KnownDifference;

std::vector<KnownDifference> loadKnownDifferences() {
    return conformance::loadKnownDifferences(kDir / "known_differences.txt");
}

// ---- the scenario as cnmlab sees it -------------------------------------------

using conformance::kNotCompared;
using conformance::Loaded;

std::vector<std::string> stringsOf(const YAML::Node& n) {
    std::vector<std::string> out;
    if (n && n.IsSequence()) {
        for (const auto& v : n) {
            out.push_back(v.as<std::string>());
        }
    }
    return out;
}

// The recording's x-conformance steps as a history for the resolver: what was
// removed and added, in order, so addresses and pools are allocated as Docker
// allocated them (lowest free address, the pool position moved on).
std::vector<model::HistoryStep> historyOf(const model::Scenario& sc) {
    std::vector<model::HistoryStep> out;
    for (const auto& [key, node] : sc.extra) {
        if (key != "x-conformance" || !node["steps"]) {
            continue;
        }
        for (const auto& step : node["steps"]) {
            out.push_back(model::HistoryStep{stringsOf(step["remove"]), stringsOf(step["add"]),
                                             stringsOf(step["remove_networks"]),
                                             stringsOf(step["add_networks"])});
        }
    }
    return out;
}

// The file without its x-probes section: the test asks its own questions, and
// the service scenarios' probes have descriptive expects ("vip", "three task
// addresses") that the reader rejects. The lines are blanked, not removed, so
// positions in messages stay the file's.
std::string withoutProbes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string out;
    std::string line;
    bool inProbes = false;
    while (std::getline(in, line)) {
        if (line.rfind("x-probes:", 0) == 0) {
            inProbes = true;
        } else if (inProbes && !line.empty() && line.front() != ' ' && line.front() != '-' &&
                   line.front() != '#') {
            inProbes = false;
        }
        out += (inProbes ? "" : line) + "\n";
    }
    return out;
}

// `refusedServices`: services Docker refused to start (the recording's error
// facts); cnmlab must refuse the file with them (its message goes to
// `refusal`), and is compared without them.
std::unique_ptr<Loaded> load(const fs::path& file, const std::vector<std::string>& refusedServices,
                             std::string& refusal) {
    auto l = std::make_unique<Loaded>();
    l->scenario = model::readScenario(withoutProbes(file), file.string());
    if (!refusedServices.empty()) {
        try {
            model::resolve(l->scenario, historyOf(l->scenario));
        } catch (const model::Error& e) {
            refusal = e.what();
        }
        std::erase_if(l->scenario.services, [&](const model::ServiceSpec& s) {
            return std::find(refusedServices.begin(), refusedServices.end(), s.key) !=
                   refusedServices.end();
        });
    }
    l->topology = model::resolve(l->scenario, historyOf(l->scenario));
    l->plan = drivers::buildPlan(l->topology);
    l->sim = std::make_unique<sim::ScenarioSim>(l->topology, l->plan);
    return l;
}

// ---- cnmlab's answer for one fact ---------------------------------------------

class Answers {
public:
    // `swarm`: a recording of the swarm recorder (recorded_swarm/ and
    // recorded_services/), whose facts beyond the single-host kinds
    // swarm_answers.cpp and swarm_services_answers.cpp answer.
    Answers(Loaded& l, bool swarm, std::string refusal)
        : m_l(l), m_swarm(swarm), m_refusal(std::move(refusal)) {}

    json answer(const json& fact) {
        m_reason.clear();
        const std::string kind = fact.at("kind");
        const std::string field = fact.value("field", "");
        const bool common =
            kind == "dns" || kind == "route" ||
            (kind == "endpoint" && (field == "ipv4" || field == "prefix" || field == "mac"));
        if (m_swarm) {
            if (auto a = conformance::servicesAnswer(m_l, fact, m_reason)) {
                return *a;
            }
        }
        if (m_swarm && !common) {
            return conformance::swarmAnswer(m_l, fact, m_reason, m_refusal);
        }
        if (kind == "network") {
            return network(fact.at("network"), fact.at("field"));
        }
        if (kind == "endpoint") {
            return endpoint(fact.at("service"), fact.at("network"), fact.at("field"));
        }
        if (kind == "route") {
            return route(fact.at("service"), fact.at("field"));
        }
        if (kind == "reach") {
            return reach(fact);
        }
        if (kind == "dns") {
            return dns(fact.at("from"), conformance::dnsQuestion(m_l, fact));
        }
        return "unknown fact kind " + kind;
    }

    // The simulation's explanation of the last reach or DNS answer ("" otherwise).
    const std::string& reason() const { return m_reason; }

    // Docker's side in the same terms.
    static json docker(const json& fact, bool swarm) {
        const std::string kind = fact.at("kind");
        if (auto d = conformance::servicesDocker(fact)) {
            return *d;
        }
        if (swarm && kind != "reach" && kind != "dns") {
            return conformance::swarmDocker(fact);
        }
        if (kind == "reach") {
            return fact.at("result");
        }
        if (kind == "dns") {
            return fact.at("endpoints").empty() ? json("no address") : fact.at("endpoints");
        }
        return fact.at("value");
    }

private:
    // The default bridge is listed in the topology only when a container uses
    // it; docker0 exists on every host regardless, so read it from the Plan.
    std::optional<model::Cidr> docker0() const {
        for (const auto& a : m_l.plan.addresses) {
            if (a.dev == "docker0") {
                return a.cidr;
            }
        }
        return std::nullopt;
    }

    json network(const std::string& key, const std::string& field) const {
        const model::NetworkInstance* n = m_l.topology.findNetwork(key);
        if (field == "internal") {
            return n != nullptr && n->internal;
        }
        std::optional<model::Cidr> subnet = n != nullptr ? n->subnet : std::nullopt;
        std::optional<model::Ipv4> gateway = n != nullptr ? n->gateway : std::nullopt;
        if (n == nullptr && key == "bridge") {
            if (auto c = docker0()) {
                subnet = model::Cidr{c->network(), c->prefix};
                gateway = c->address;
            }
        }
        if (field == "subnet") {
            return subnet ? json(subnet->str()) : json("(none)");
        }
        return gateway ? json(gateway->str()) : json("");
    }

    const model::Endpoint* findEndpoint(const std::string& service, const std::string& net) const {
        const model::Container* c = m_l.topology.findContainer(service);
        if (c == nullptr) {
            return nullptr;
        }
        for (const auto& ep : c->endpoints) {
            if (ep.network == net) {
                return &ep;
            }
        }
        return nullptr;
    }

    json endpoint(const std::string& service, const std::string& net,
                  const std::string& field) const {
        const model::Endpoint* ep = findEndpoint(service, net);
        if (ep == nullptr) {
            return "(no endpoint)";
        }
        if (field == "ipv4") {
            return ep->ipv4.str();
        }
        if (field == "prefix") {
            return ep->prefix;
        }
        return model::macStr(ep->mac);
    }

    // The sandbox's routes as `ip route` shows them, with devices named by the
    // network of the endpoint they carry: the kernel's connected route for each
    // address, and the Plan's routes.
    json route(const std::string& service, const std::string& field) const {
        const model::Container* c = m_l.topology.findContainer(service);
        if (c == nullptr) {
            return "(no container)";
        }
        std::string ns = c->netns;
        if (!c->sandboxOf.empty()) {
            if (const model::Container* o = m_l.topology.findContainer(c->sandboxOf)) {
                ns = o->netns;
            }
        }
        // service: containers share their owner's namespace and endpoints.
        const model::Container* owner =
            m_l.topology.findContainer(c->sandboxOf.empty() ? service : c->sandboxOf);
        std::map<std::string, std::string> devNet;
        std::vector<std::string> table;
        std::string def = "none";
        for (const auto& a : m_l.plan.addresses) {
            if (a.netns != ns || a.dev == "lo") {
                continue;
            }
            std::string net = a.dev;
            if (owner != nullptr) {
                for (const auto& ep : owner->endpoints) {
                    if (ep.ipv4 == a.cidr.address) {
                        net = ep.network;
                    }
                }
            }
            devNet[a.dev] = net;
            table.push_back(fmt::format("{}/{} ({})", a.cidr.network().str(), a.cidr.prefix, net));
        }
        for (const auto& r : m_l.plan.routes) {
            if (r.netns != ns) {
                continue;
            }
            const std::string dev = devNet.count(r.dev) ? devNet[r.dev] : r.dev;
            const std::string dst = r.dst.prefix == 0
                                        ? "default"
                                        : fmt::format("{}/{}", r.dst.address.str(), r.dst.prefix);
            std::string line = dst + (r.via ? " via " + r.via->str() : "") + " (" + dev + ")";
            if (r.dst.prefix == 0) {
                def = line.substr(std::string("default ").size());
            }
            table.push_back(line);
        }
        std::sort(table.begin(), table.end());
        if (field == "default") {
            return def;
        }
        return table;
    }

    json reach(const json& fact) {
        const std::string from = fact.at("from");
        const model::Proto proto =
            fact.at("proto") == "tcp" ? model::Proto::Tcp : model::Proto::Icmp;
        std::optional<int> port;
        if (!fact.at("port").is_null()) {
            port = fact.at("port").get<int>();
        }
        std::string to = fact.at("to");
        std::optional<std::string> network;
        if (fact.contains("network")) {
            network = fact.at("network").get<std::string>();
        } else if (fact.contains("target") && fact.at("target").contains("gateway")) {
            const json gw = this->network(fact.at("target").at("gateway"), "gateway");
            if (gw == "") {
                return "(no gateway)";
            }
            to = gw.get<std::string>();
        } else if (fact.contains("target") && fact.at("target").contains("host")) {
            to = fact.at("target").at("host");
        } else if (fact.contains("target") && fact.at("target").contains("address")) {
            to = fact.at("target").at("address");
        }
        try {
            const sim::ProbeRecord r = m_l.sim->probe(from, to, proto, port, network, false);
            m_reason = r.reason.en;
            return r.reachable ? "reachable" : "unreachable";
        } catch (const model::Error& e) {
            return std::string("error: ") + e.what();
        }
    }

    json dns(const std::string& from, const std::string& name) {
        try {
            const sim::ProbeRecord r = m_l.sim->lookup(from, name, false);
            m_reason = r.reason.en;
            if (r.resolved.empty()) {
                return "no address";
            }
            std::vector<std::string> eps;
            for (const auto& ip : r.resolved) {
                std::string label = conformance::vipLabel(m_l, ip);
                label = label.empty() ? ip.str() : label;
                for (const auto& c : m_l.topology.containers) {
                    for (const auto& ep : c.endpoints) {
                        if (ep.ipv4 == ip) {
                            label = c.service + "@" + ep.network;
                        }
                    }
                }
                eps.push_back(label);
            }
            std::sort(eps.begin(), eps.end());
            return eps;
        } catch (const model::Error& e) {
            return std::string("error: ") + e.what();
        }
    }

    Loaded& m_l;
    bool m_swarm = false;
    std::string m_refusal;
    std::string m_reason;
};

// ---- comparing one recording ---------------------------------------------------

struct Difference {
    std::string fact;
    std::string docker;
    std::string cnmlab;
    std::string why;  // the simulation's reason, for reach and DNS
    const KnownDifference* known = nullptr;
};

struct Outcome {
    int compared = 0;
    int notCompared = 0;  // facts cnmlab does not model, and those Docker leaves to chance
    // Facts the recording machine made meaningless ("artefact": its reason),
    // kept apart: by reason, and how many of them cnmlab finds reachable.
    std::map<std::string, int> artefacts;
    int artefactsReachable = 0;
    std::vector<Difference> differences;
    std::string dockerVersion;
};

json normalised(json v) {
    if (v.is_array()) {
        std::vector<std::string> items;
        for (const auto& e : v) {
            items.push_back(e.is_string() ? e.get<std::string>() : e.dump());
        }
        std::sort(items.begin(), items.end());
        return items;
    }
    return v;
}

std::string show(const json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

Outcome compare(const fs::path& recording, const std::vector<KnownDifference>& known) {
    std::ifstream in(recording);
    const json rec = json::parse(in);
    const std::string stem = recording.stem().string();
    const std::string dir = recording.parent_path().filename().string();
    const bool swarm = dir == "recorded_swarm" || dir == "recorded_services";
    std::vector<std::string> refused;
    for (const auto& fact : rec.at("facts")) {
        if (fact.at("kind") == "error" && fact.contains("service")) {
            refused.push_back(fact.at("service"));
        } else if (fact.at("kind") == "error") {
            const std::string id = fact.at("id");
            refused.push_back(id.substr(id.rfind('/') + 1));
        }
    }
    std::string refusal;
    auto loaded = load(kDir / rec.at("scenario").get<std::string>(), refused, refusal);
    Answers answers(*loaded, swarm, refusal);
    Outcome out;
    out.dockerVersion = rec.at("docker").at("server");
    for (const auto& fact : rec.at("facts")) {
        const json answer = answers.answer(fact);
        if (fact.contains("artefact")) {
            ++out.artefacts[fact.at("artefact")];
            out.artefactsReachable += answer == "reachable" ? 1 : 0;
            continue;
        }
        if (answer == kNotCompared || !fact.value("stable", true)) {
            ++out.notCompared;
            continue;
        }
        ++out.compared;
        const json mine = normalised(answer);
        const json theirs = normalised(Answers::docker(fact, swarm));
        if (mine == theirs) {
            continue;
        }
        Difference d{fact.at("id"), show(theirs), show(mine), answers.reason()};
        for (const auto& k : known) {
            if (globMatch(k.scenario, stem) && globMatch(k.fact, d.fact)) {
                d.known = &k;
                break;
            }
        }
        out.differences.push_back(std::move(d));
    }
    return out;
}

std::vector<fs::path> recordings(const std::string& subdir) {
    std::vector<fs::path> out;
    const fs::path dir = kDir / subdir;
    if (fs::exists(dir)) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() == ".json") {
                out.push_back(e.path());
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// "; N artefacts set apart (REASON: N; cnmlab: R reachable)", or "".
std::string artefactNote(const std::map<std::string, int>& artefacts, int reachable) {
    int total = 0;
    std::string reasons;
    for (const auto& [reason, n] : artefacts) {
        total += n;
        reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : ", ", reason, n);
    }
    return total == 0 ? ""
                      : fmt::format("; {} artefacts of the recording machine set apart ({}; "
                                    "cnmlab: {} reachable)",
                                    total, reasons, reachable);
}

class Conformance : public ::testing::TestWithParam<fs::path> {};

TEST_P(Conformance, MatchesRecordedDocker) {
    const auto known = loadKnownDifferences();
    const std::string stem = GetParam().stem().string();
    const Outcome o = compare(GetParam(), known);
    int unexplained = 0;
    for (const auto& d : o.differences) {
        std::cout << fmt::format("  {} {}: docker {} | cnmlab {}{}{}\n",
                                 d.known != nullptr ? "known" : "DIFFERENT", d.fact, d.docker,
                                 d.cnmlab, d.why.empty() ? "" : " (" + d.why + ")",
                                 d.known != nullptr ? " -- " + d.known->reason : "");
        if (d.known == nullptr) {
            ++unexplained;
            ADD_FAILURE() << stem << ": " << d.fact << ": Docker " << o.dockerVersion << " says "
                          << d.docker << ", cnmlab says " << d.cnmlab;
        }
    }
    // An entry for this very scenario that matched nothing is stale.
    for (const auto& k : known) {
        if (k.scenario != stem) {
            continue;
        }
        const bool used = std::any_of(o.differences.begin(), o.differences.end(),
                                      [&](const Difference& d) { return d.known == &k; });
        EXPECT_TRUE(used) << "known_differences.txt:" << k.line << ": " << k.fact
                          << " no longer differs; remove the entry";
    }
    std::cout << fmt::format(
        "{}: {} facts compared with Docker {}, {} equal, {} known "
        "differences, {} unexplained; {} not compared{}\n",
        stem, o.compared, o.dockerVersion, o.compared - static_cast<int>(o.differences.size()),
        o.differences.size() - static_cast<std::size_t>(unexplained), unexplained, o.notCompared,
        artefactNote(o.artefacts, o.artefactsReachable));
}

std::string testName(const ::testing::TestParamInfo<fs::path>& info) {
    std::string s = info.param.stem().string();
    for (char& c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
            c = '_';
        }
    }
    return "s" + s;
}

INSTANTIATE_TEST_SUITE_P(Recorded, Conformance, ::testing::ValuesIn(recordings("recorded")),
                         testName);
INSTANTIATE_TEST_SUITE_P(RecordedSwarm, Conformance,
                         ::testing::ValuesIn(recordings("recorded_swarm")), testName);
INSTANTIATE_TEST_SUITE_P(RecordedServices, Conformance,
                         ::testing::ValuesIn(recordings("recorded_services")), testName);

// The whole suite's count, in one line for the closing note.
TEST(ConformanceSummary, CountsAllFacts) {
    const auto known = loadKnownDifferences();
    auto files = recordings("recorded");
    ASSERT_GE(files.size(), 25u) << "expected at least 25 recorded scenarios";
    const auto swarm = recordings("recorded_swarm");
    ASSERT_GE(swarm.size(), 7u) << "expected at least 7 recorded swarm scenarios";
    files.insert(files.end(), swarm.begin(), swarm.end());
    const auto services = recordings("recorded_services");
    ASSERT_GE(services.size(), 3u) << "expected at least 3 recorded service scenarios";
    files.insert(files.end(), services.begin(), services.end());
    std::map<std::string, int> artefacts;
    int artefactsReachable = 0;
    int compared = 0;
    int notCompared = 0;
    int differences = 0;
    int explained = 0;
    for (const auto& f : files) {
        const Outcome o = compare(f, known);
        compared += o.compared;
        notCompared += o.notCompared;
        for (const auto& [reason, n] : o.artefacts) {
            artefacts[reason] += n;
        }
        artefactsReachable += o.artefactsReachable;
        differences += static_cast<int>(o.differences.size());
        explained +=
            static_cast<int>(std::count_if(o.differences.begin(), o.differences.end(),
                                           [](const Difference& d) { return d.known != nullptr; }));
    }
    std::cout << fmt::format("conformance: {} scenarios, {} facts compared, {} equal ({:.1f}%), "
                             "{} known differences, {} unexplained; {} facts not compared "
                             "(not modelled, or left to chance by Docker){}\n",
                             files.size(), compared, compared - differences,
                             100.0 * (compared - differences) / std::max(compared, 1), explained,
                             differences - explained, notCompared,
                             artefactNote(artefacts, artefactsReachable));
    EXPECT_EQ(differences, explained);
}

}  // namespace
