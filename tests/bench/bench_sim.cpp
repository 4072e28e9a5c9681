// Speed of the simulation, on scenarios from `cnmlab generate` (issue #3):
//   BM_Reach/100   : --hosts 1 --networks 10 --containers 100, the full reach matrix
//   BM_Reach/1000  : --hosts 1 --networks 20 --containers 1000
//   BM_ReachParallel/1000 : the same matrix on every core `reach` uses here
//   BM_ReachOverlay : --hosts 3 --networks 10 --containers 300 --drivers overlay,bridge
//                    (issue #14: a swarm; cross-host probes cross VXLAN), one core
//   BM_ReachSwarmServices : --hosts 3 --networks 4 --containers 30 --drivers
//                    overlay,bridge --services 20 (issue #15: swarm services,
//                    VIPs and the routing mesh), one core
//   BM_Trace       : one traced ping on the 100-container scenario (warm World)
//   BM_TraceCold   : the same on a fresh World each time, as the CLI and studio do
//   BM_BuildWorld  : building the simulated kernel from the Plan
//   BM_UdpEchoAllPairs/100 : the workload of the ns-3 figure in issue #3 — all-pairs
//                    UDP echo among 100 containers on one bridge network (9,900
//                    exchanges; the first of each pair's ARP floods included)
// Counters: probes and simulated events per second.
#include <benchmark/benchmark.h>

#include <thread>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/generator.hpp"
#include "sim/probe.hpp"
#include "sim/scenario_sim.hpp"

using namespace cnmlab;

namespace {

struct Fixture {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
};

std::unique_ptr<Fixture> make(int networks, int containers, int hosts = 1,
                              std::vector<std::string> drivers = {"bridge"}, int services = 0) {
    auto f = std::make_unique<Fixture>();
    model::GenerateOptions o;
    o.hosts = hosts;
    o.networks = networks;
    o.containers = containers;
    o.drivers = std::move(drivers);
    o.services = services;
    f->scenario = model::readScenario(model::generateScenario(o), "gen.yaml");
    f->topology = model::resolve(f->scenario);
    f->plan = drivers::buildPlan(f->topology);
    return f;
}

// One thread (the "on one core").
void BM_Reach(benchmark::State& state) {
    const int containers = static_cast<int>(state.range(0));
    auto f = make(containers >= 1000 ? 20 : 10, containers);
    std::size_t probes = 0;
    std::uint64_t events = 0;
    for (auto _ : state) {
        sim::ScenarioSim sim(f->topology, f->plan);
        sim::ReachMatrix m = sim.reach(1);
        probes += m.entries.size();
        events += sim.world().scheduler().executed();
        benchmark::DoNotOptimize(m.entries.data());
    }
    state.counters["probes"] =
        benchmark::Counter(static_cast<double>(probes), benchmark::Counter::kAvgIterations);
    state.counters["probes/s"] =
        benchmark::Counter(static_cast<double>(probes), benchmark::Counter::kIsRate);
    state.counters["events/s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Reach)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3);

// The whole reach matrix of `f` on one thread, with its probes counted.
void reachOnOneCore(benchmark::State& state, const Fixture& f) {
    std::size_t probes = 0;
    for (auto _ : state) {
        sim::ScenarioSim sim(f.topology, f.plan);
        sim::ReachMatrix m = sim.reach(1);
        probes += m.entries.size();
        benchmark::DoNotOptimize(m.entries.data());
    }
    state.counters["probes"] =
        benchmark::Counter(static_cast<double>(probes), benchmark::Counter::kAvgIterations);
    state.counters["probes/s"] =
        benchmark::Counter(static_cast<double>(probes), benchmark::Counter::kIsRate);
}

void BM_ReachOverlay(benchmark::State& state) {
    reachOnOneCore(state, *make(10, 300, 3, {"overlay", "bridge"}));
}
BENCHMARK(BM_ReachOverlay)->Unit(benchmark::kMillisecond)->Iterations(3);

// Issue #15: 3 hosts, 20 swarm services of 5 replicas and 30 plain containers
// (generate --hosts 3 --networks 4 --containers 30 --drivers overlay,bridge
// --services 20): VIPs through IPVS, the routing mesh on every node.
void BM_ReachSwarmServices(benchmark::State& state) {
    reachOnOneCore(state, *make(4, 30, 3, {"overlay", "bridge"}, 20));
}
BENCHMARK(BM_ReachSwarmServices)->Unit(benchmark::kMillisecond)->Iterations(5);

// As many threads as `reach` chooses on this machine (wall-clock time; the
// extra Worlds' build is included). Events are not counted: they happen in
// Worlds this function does not see.
void BM_ReachParallel(benchmark::State& state) {
    auto f = make(20, static_cast<int>(state.range(0)));
    std::size_t probes = 0;
    for (auto _ : state) {
        sim::ScenarioSim sim(f->topology, f->plan);
        sim::ReachMatrix m = sim.reach();
        probes += m.entries.size();
        benchmark::DoNotOptimize(m.entries.data());
    }
    state.counters["cores"] = static_cast<double>(std::thread::hardware_concurrency());
    state.counters["probes/s"] =
        benchmark::Counter(static_cast<double>(probes), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReachParallel)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_Trace(benchmark::State& state) {
    auto f = make(10, 100);
    sim::ScenarioSim sim(f->topology, f->plan);
    for (auto _ : state) {
        sim::ProbeRecord r =
            sim.probe("c1", "c11", model::Proto::Icmp, std::nullopt, std::nullopt, true);
        benchmark::DoNotOptimize(r.hops.data());
    }
}
BENCHMARK(BM_Trace)->Unit(benchmark::kMicrosecond);

// What `cnmlab trace` and the studio do for one probe: a fresh simulated
// kernel for the Plan (cold ARP caches and FDBs), then the traced probe with
// its ARP and floods.
void BM_TraceCold(benchmark::State& state) {
    auto f = make(10, 100);
    for (auto _ : state) {
        sim::ScenarioSim sim(f->topology, f->plan);
        sim::ProbeRecord r =
            sim.probe("c1", "c11", model::Proto::Icmp, std::nullopt, std::nullopt, true);
        benchmark::DoNotOptimize(r.hops.data());
    }
}
BENCHMARK(BM_TraceCold)->Unit(benchmark::kMicrosecond);

void BM_BuildWorld(benchmark::State& state) {
    auto f = make(20, 1000);
    for (auto _ : state) {
        sim::World w(f->plan);
        benchmark::DoNotOptimize(&w);
    }
}
BENCHMARK(BM_BuildWorld)->Unit(benchmark::kMillisecond);

// 100 containers on one user bridge, each with a UDP echo listener on port 7.
std::unique_ptr<Fixture> makeEchoLan(int containers) {
    std::string yaml = "networks:\n  lan: {}\nservices:\n";
    for (int c = 1; c <= containers; ++c) {
        yaml += "  c" + std::to_string(c) + ":\n    x-listen: [7/udp]\n    networks: [lan]\n";
    }
    auto f = std::make_unique<Fixture>();
    f->scenario = model::readScenario(yaml, "echo.yaml");
    f->topology = model::resolve(f->scenario);
    f->plan = drivers::buildPlan(f->topology);
    return f;
}

void BM_UdpEchoAllPairs(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    auto f = makeEchoLan(n);
    std::vector<std::pair<int, model::Ipv4>> nodes;  // (sandbox namespace, address)
    std::uint64_t events = 0;
    std::size_t answered = 0;
    for (auto _ : state) {
        state.PauseTiming();
        sim::World world(f->plan);
        nodes.clear();
        for (const auto& c : f->topology.containers) {
            nodes.emplace_back(world.findNamespace(c.name), c.endpoints.front().ipv4);
        }
        const std::uint64_t before = world.scheduler().executed();
        state.ResumeTiming();
        for (const auto& [from, fromIp] : nodes) {
            for (const auto& [to, toIp] : nodes) {
                if (to != from) {
                    answered +=
                        sim::runProbe(world, from, toIp, model::Proto::Udp, 7, false).reachable;
                }
            }
        }
        events += world.scheduler().executed() - before;
    }
    state.counters["answered"] =
        benchmark::Counter(static_cast<double>(answered), benchmark::Counter::kAvgIterations);
    state.counters["events"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kAvgIterations);
    state.counters["events/s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_UdpEchoAllPairs)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
