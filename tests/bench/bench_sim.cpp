// Speed of the simulation, on scenarios from `cnmlab generate` (issue #3):
//   BM_Reach/100   : --hosts 1 --networks 10 --containers 100, the full reach matrix
//   BM_Reach/1000  : --hosts 1 --networks 20 --containers 1000
//   BM_Trace       : one traced ping on the 100-container scenario
//   BM_BuildWorld  : building the simulated kernel from the Plan
// Counters: probes and simulated events per second.
#include <benchmark/benchmark.h>

#include "drivers/plan_builder.hpp"
#include "model/compose_reader.hpp"
#include "model/generator.hpp"
#include "sim/scenario_sim.hpp"

using namespace cnmlab;

namespace {

struct Fixture {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
};

std::unique_ptr<Fixture> make(int networks, int containers) {
    auto f = std::make_unique<Fixture>();
    model::GenerateOptions o;
    o.hosts = 1;
    o.networks = networks;
    o.containers = containers;
    f->scenario = model::readScenario(model::generateScenario(o), "gen.yaml");
    f->topology = model::resolve(f->scenario);
    f->plan = drivers::buildPlan(f->topology);
    return f;
}

void BM_Reach(benchmark::State& state) {
    const int containers = static_cast<int>(state.range(0));
    auto f = make(containers >= 1000 ? 20 : 10, containers);
    std::size_t probes = 0;
    std::uint64_t events = 0;
    for (auto _ : state) {
        sim::ScenarioSim sim(f->topology, f->plan);
        sim::ReachMatrix m = sim.reach();
        probes += m.entries.size();
        events += sim.world().scheduler().executed();
        benchmark::DoNotOptimize(m.entries.data());
    }
    state.counters["probes"] = benchmark::Counter(static_cast<double>(probes), benchmark::Counter::kAvgIterations);
    state.counters["probes/s"] = benchmark::Counter(static_cast<double>(probes), benchmark::Counter::kIsRate);
    state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Reach)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Trace(benchmark::State& state) {
    auto f = make(10, 100);
    sim::ScenarioSim sim(f->topology, f->plan);
    for (auto _ : state) {
        sim::ProbeRecord r = sim.probe("c1", "c11", model::Proto::Icmp, std::nullopt, std::nullopt, true);
        benchmark::DoNotOptimize(r.hops.data());
    }
}
BENCHMARK(BM_Trace)->Unit(benchmark::kMicrosecond);

void BM_BuildWorld(benchmark::State& state) {
    auto f = make(20, 1000);
    for (auto _ : state) {
        sim::World w(f->plan);
        benchmark::DoNotOptimize(&w);
    }
}
BENCHMARK(BM_BuildWorld)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
