// Probing a topology that is already up (what the studio's Live switch does):
// `live up`, then the reach matrix and single questions through verify::Prober,
// each compared with the simulation, then `live down`.
#include <gtest/gtest.h>

#include "live/lifecycle.hpp"
#include "live/netns.hpp"
#include "model/error.hpp"
#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"
#include "verify/prober.hpp"

#include "live_test_util.hpp"

using namespace cnmlab;
using cnmlab::test::load;

namespace {

model::ProbeSpec ask(const std::string& from, const std::string& to,
                     model::Proto proto = model::Proto::Icmp,
                     std::optional<int> port = std::nullopt) {
    model::ProbeSpec s;
    s.from = from;
    s.to = to;
    s.proto = proto;
    s.port = port;
    return s;
}

model::ProbeSpec lookup(const std::string& from, const std::string& name) {
    model::ProbeSpec s;
    s.from = from;
    s.resolve = name;
    s.expect = model::Expect::Address;
    return s;
}

// Brings a scenario up for one test and down again, whatever the test does.
struct UpForTest {
    explicit UpForTest(const test::Loaded& l) : sc(l.sc) {
        live::liveDown(sc);  // a clean start after a crashed run
        live::liveUp(l.topo, l.plan);
    }
    ~UpForTest() { live::liveDown(sc); }
    UpForTest(const UpForTest&) = delete;
    UpForTest& operator=(const UpForTest&) = delete;
    const model::Scenario& sc;
};

}  // namespace

TEST(LiveProber, RefusesAScenarioThatIsNotUp) {
    auto l = load("scenarios/published-ports.yaml");
    if (!live::listNamedNetns(live::livePrefix(l->sc)).empty()) {
        GTEST_SKIP() << "published-ports is up on this machine; this test needs it down";
    }
    sim::ScenarioSim simulation(l->topo, l->plan);
    try {
        verify::Prober prober(simulation, l->topo);
        ADD_FAILURE() << "a Prober needs the namespaces of `live up`";
    } catch (const model::Error& e) {
        EXPECT_EQ(e.kind(), model::ErrorKind::NotFound);
        EXPECT_NE(e.message().find("is not up"), std::string::npos) << e.message();
    }
}

TEST(LiveProber, MatrixOfARunningTopologyAgreesWithTheSimulation) {
    REQUIRE_ROOT();
    auto l = load("scenarios/bridge-isolation.yaml");
    {
        UpForTest up(*l);
        sim::ScenarioSim simulation(l->topo, l->plan);
        const sim::ReachMatrix matrix = simulation.reach();
        verify::Prober prober(simulation, l->topo);
        const verify::LiveRun run = prober.run(matrix, {});
        ASSERT_EQ(run.matrix.size(), matrix.entries.size());
        ASSERT_GT(matrix.entries.size(), 10U);
        int reachable = 0;
        for (std::size_t i = 0; i < matrix.entries.size(); ++i) {
            const auto& e = matrix.entries[i];
            EXPECT_EQ(run.matrix[i].outcome, sim::outcomeOf(e.reachable, e.reason))
                << matrix.names[e.from] << " -> " << e.dst.str() << " " << model::protoName(e.proto)
                << "/" << e.port << ": kernel said " << run.matrix[i].detail;
            reachable += e.reachable ? 1 : 0;
        }
        // Isolation makes both answers occur: the test compares something.
        EXPECT_GT(reachable, 0);
        EXPECT_LT(reachable, static_cast<int>(matrix.entries.size()));
        EXPECT_TRUE(run.checks.empty());
    }
    EXPECT_TRUE(live::listNamedNetns(live::livePrefix(l->sc)).empty());
}

TEST(LiveProber, PingTcpUdpAndLookupFromAContainerMatchTheSimulation) {
    REQUIRE_ROOT();
    auto l = load("scenarios/bridge-isolation.yaml");
    UpForTest up(*l);
    sim::ScenarioSim simulation(l->topo, l->plan);
    verify::Prober prober(simulation, l->topo);
    const std::vector<model::ProbeSpec> specs = {
        ask("a1", "a2"),                         // same bridge
        ask("a1", "b1"),                         // DOCKER-ISOLATION-STAGE-2
        ask("a2", "a1", model::Proto::Tcp, 80),  // a listener
        ask("a2", "a1", model::Proto::Tcp, 81),  // refused
        ask("a2", "a1", model::Proto::Udp, 9),   // port unreachable
        ask("host1", "b1"),                      // the host reaches every bridge
        lookup("a1", "a2"),                      // embedded DNS on a user network
        lookup("a1", "b1"),                      // another network's name: NXDOMAIN
    };
    std::vector<sim::CheckedProbe> checks;
    for (const auto& s : specs) {
        checks.push_back(sim::runCheck(simulation, s));
    }
    const verify::LiveRun run = prober.run(sim::ReachMatrix{}, checks);
    ASSERT_EQ(run.checks.size(), specs.size());
    EXPECT_TRUE(run.matrix.empty());
    const std::vector<std::string> expected = {
        "answered", "dropped",
        "answered",
        "refused",  // a reset
        "refused",  // port unreachable
        "answered", l->topo.findContainer("a2")->endpoints.front().ipv4.str(),
        "nxdomain"};
    for (std::size_t k = 0; k < specs.size(); ++k) {
        const verify::Comparison& c = run.checks[k];
        EXPECT_TRUE(c.agree()) << k << ": sim " << c.simAnswer << ", kernel " << c.liveAnswer;
        EXPECT_EQ(c.liveAnswer, expected[k]) << k;
        EXPECT_FALSE(c.liveDetails.empty()) << k;
    }
}
