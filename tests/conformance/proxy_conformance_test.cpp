// docker-proxy: holds the simulation to what a client saw through Docker
// 20.10's docker-proxy (proxy/docker-proxy.json, made by record_proxy.py; see
// README.md, "docker-proxy"). For every recorded case the same probe runs in
// the simulation on the scenario's Plan with the recorder's changes to `web`,
// and both outcomes are put into one word (proxy_plan.hpp): answered, closed
// (connected, then end of file without a byte), silent, refused, timeout. For
// the cases a listener answered, the address the container saw must match too:
// the bridge's gateway for docker-proxy's own connection, the client for a
// DNATed one. Needs no Docker.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/topology.hpp"
#include "sim/scenario_sim.hpp"
#include "tests/conformance/proxy/proxy_plan.hpp"

namespace {

using namespace cnmlab;
using nlohmann::json;
namespace fs = std::filesystem;

struct Loaded {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
    std::unique_ptr<sim::ScenarioSim> sim;
};

std::unique_ptr<Loaded> load() {
    auto l = std::make_unique<Loaded>();
    l->scenario = model::readScenarioFile(fs::path(CNMLAB_SOURCE_DIR) / test::proxy::kScenario);
    l->topology = model::resolve(l->scenario);
    l->plan = drivers::buildPlan(l->topology);
    test::proxy::applyRecordedChanges(l->plan, "proxy-web-1");
    l->sim = std::make_unique<sim::ScenarioSim>(l->topology, l->plan);
    return l;
}

json recording() {
    std::ifstream in(fs::path(CNMLAB_SOURCE_DIR) / test::proxy::kRecording);
    return json::parse(in);
}

// The simulation's outcome in the recording's words.
std::string outcome(const sim::ProbeResult& r, model::Proto proto) {
    if (r.reachable) {
        return "answered";
    }
    switch (r.reason.why) {
    case sim::Why::ProxyClosed:
        return "closed";
    case sim::Why::ProxyNoAnswer:
    case sim::Why::ProxyWrongSource:
        return "silent";
    case sim::Why::TcpReset:
        return "refused";
    case sim::Why::IcmpError:
        return r.reason.code == 3 ? "refused" : "unreachable";
    default:
        return proto == model::Proto::Tcp ? "timeout" : "silent";
    }
}

// The source address of the first packet of the probe that reached `web`.
std::string sawAt(const std::vector<sim::Hop>& hops, int port) {
    for (const auto& h : hops) {
        if (h.node == "proxy-web-1" && h.action == sim::action::kRx && h.frame &&
            h.frame->dstPort == port) {
            return h.frame->ipSrc.str();
        }
    }
    return "(nothing reached web)";
}

// Where the answer to the probe came from, as the client's socket layer saw
// it: the probe's own socket took it (after any NAT was undone), or, when it
// did not, the datagram as it arrived in the client's namespace ("" for none).
std::string answerFrom(const std::vector<sim::Hop>& hops, const std::string& clientNs) {
    if (hops.empty() || !hops.front().frame) {
        return "";
    }
    const std::uint16_t local = hops.front().frame->srcPort;
    std::string arrived;
    for (const auto& h : hops) {
        if (h.node != clientNs || !h.frame || h.frame->ipProto != packet::kIpProtoUdp ||
            h.frame->dstPort != local) {
            continue;
        }
        const std::string from = fmt::format("{}:{}", h.frame->ipSrc.str(), h.frame->srcPort);
        if (h.action == sim::action::kDeliver) {
            return from;
        }
        if (h.action == sim::action::kRx && arrived.empty()) {
            arrived = from;
        }
    }
    return arrived;
}

}  // namespace

TEST(DockerProxyRecording, RecordingCoversEveryCase) {
    const json rec = recording();
    EXPECT_EQ(rec.at("docker").at("server").get<std::string>().rfind("20.10", 0), 0U);
    std::set<std::string> kinds;
    for (const auto& f : rec.at("facts")) {
        kinds.insert(fmt::format("{} {} {}", f.at("proto").get<std::string>(),
                                 f.at("path").get<std::string>(),
                                 f.at("container").get<std::string>()));
    }
    for (const char* k :
         {"tcp proxy listens", "tcp proxy refuses", "tcp proxy drops", "udp proxy listens",
          "udp proxy refuses", "tcp dnat listens", "tcp dnat refuses", "tcp dnat drops"}) {
        EXPECT_EQ(kinds.count(k), 1U) << k;
    }
}

TEST(DockerProxyRecording, SimulationSeesWhatTheClientSaw) {
    const json rec = recording();
    auto l = load();
    int compared = 0;
    for (const auto& f : rec.at("facts")) {
        const std::string id = f.at("id");
        const model::Proto proto = f.at("proto") == "tcp" ? model::Proto::Tcp : model::Proto::Udp;
        const std::string from = f.at("from");
        const int port = f.at("port");
        const auto dst = *model::Ipv4::parse(f.at("dst").get<std::string>());
        sim::World& world = l->sim->world();
        const int ns = world.findNamespace(l->sim->namespaceOf(from));
        const sim::ProbeResult r = sim::runProbe(world, ns, dst, proto, port, true);
        const std::string docker = test::proxy::recordedOutcome(f);
        const std::string mine = outcome(r, proto);
        EXPECT_EQ(mine, docker) << id << ": Docker's client saw " << f.at("client").dump()
                                << "; the simulation: " << world.explain(r.reason).en;
        if (f.contains("container_saw")) {
            const json& saw = f.at("container_saw");
            ASSERT_EQ(saw.size(), 1U) << id;
            EXPECT_EQ(sawAt(r.hops, f.at("target")), saw[0].get<std::string>()) << id;
        }
        if (f.at("client").contains("answer_from")) {
            // The source an unconnected socket saw the answer come from.
            EXPECT_EQ(answerFrom(r.hops, l->sim->namespaceOf(from)),
                      f.at("client").at("answer_from").get<std::string>())
                << id;
        }
        ++compared;
        std::cout << fmt::format("  {}: docker {} | cnmlab {}\n", id, docker, mine);
    }
    EXPECT_GE(compared, 20);
}
