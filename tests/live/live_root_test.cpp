// Live mode for real (root only; CI runs as root): verify agrees with the
// simulation on every scenario, `down` leaves nothing, a killed `up` leaves
// nothing after `down`, a second `up` is refused.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "live/kernel_ipvs.hpp"
#include "live/kernel_support.hpp"
#include "live/lifecycle.hpp"
#include "live/netns.hpp"
#include "live/xfrm.hpp"
#include "model/error.hpp"
#include "verify/live_verify.hpp"

#include "live_test_util.hpp"

extern char** environ;

using namespace cnmlab;
using cnmlab::test::load;

namespace {

std::vector<std::string> scenarioFiles() {
    std::vector<std::string> out;
    for (const auto& e :
         std::filesystem::directory_iterator(std::string(CNMLAB_SOURCE_DIR) + "/scenarios")) {
        if (e.path().extension() == ".yaml") {
            out.push_back(e.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST(LiveRoot, VerifyAgreesOnEveryScenario) {
    REQUIRE_ROOT();
    for (const auto& file : scenarioFiles()) {
        auto l = load(file);
        const verify::VerifyReport r = verify::liveVerify(l->topo, l->plan, "en");
        EXPECT_EQ(r.disagree, 0) << file << ": " << r.disagreements.dump(2);
        EXPECT_GT(r.agree, 10) << file;
        EXPECT_TRUE(live::listNamedNetns(live::livePrefix(l->sc)).empty()) << file;
    }
}

// Overlays for real: the VXLAN devices made in each host's namespace and moved
// into the overlay's, the permanent FDB and neighbour entries networkdb gives,
// docker_gwbridge. The kernel forwards every probe as the simulation does.
TEST(LiveRoot, VerifyAgreesOnOverlaysAcrossHosts) {
    REQUIRE_ROOT();
    for (const char* file : {"tests/conformance/scenarios/36-overlay-two-hosts.yaml",
                             "tests/conformance/scenarios/37-overlay-three-hosts.yaml",
                             "tests/conformance/scenarios/40-overlay-internal.yaml"}) {
        auto l = load(file);
        const verify::VerifyReport r = verify::liveVerify(l->topo, l->plan, "en");
        EXPECT_EQ(r.disagree, 0) << file << ": " << r.disagreements.dump(2);
        EXPECT_GT(r.agree, 30) << file;
        EXPECT_TRUE(live::listNamedNetns(live::livePrefix(l->sc)).empty()) << file;
    }
}

// Swarm services: `up` names the services whose VIP needs IPVS when the
// kernel (as this machine's) has none, and builds nothing; `verify` builds
// the rest (tasks, DNS, dnsrr, host-mode ports) and agrees on every probe
// it runs, leaving out those through a VIP or an ingress port, with the reason.
TEST(LiveRoot, SwarmServicesWithoutIpvsAreReportedAndTheRestVerified) {
    REQUIRE_ROOT();
    auto l = load("scenarios/swarm-routing-mesh.yaml");
    if (!live::kernelHasIpvs()) {
        try {
            live::liveUp(l->topo, l->plan);
            FAIL() << "up built a swarm service's VIP without IPVS";
        } catch (const model::Error& e) {
            EXPECT_EQ(e.kind(), model::ErrorKind::Unsupported);
            EXPECT_NE(std::string(e.what()).find("service web (mesh_web, VIP 10.0.1.2 on front"),
                      std::string::npos)
                << e.what();
            EXPECT_NE(std::string(e.what()).find("CONFIG_IP_VS"), std::string::npos);
        }
        EXPECT_TRUE(live::listNamedNetns(live::livePrefix(l->sc)).empty());
    }
    const verify::VerifyReport r = verify::liveVerify(l->topo, l->plan, "en");
    EXPECT_EQ(r.disagree, 0) << r.disagreements.dump(2);
    EXPECT_GT(r.agree, 100);
    ASSERT_EQ(r.skipped.size(), 2u) << r.skipped.dump(2);  // web and admin; api is dnsrr
    EXPECT_NE(r.skipped[0]["what"].get<std::string>().find("service web"), std::string::npos);
}

// The xfrm half of an encrypted overlay, for real: Docker's output policy
// always installs; its security association installs exactly when the kernel
// has ESP and AES-GCM (this machine's has not: then the error says so, and
// live reports the network instead of building it).
TEST(LiveRoot, XfrmPolicyInstallsAndTheSaNeedsEsp) {
    REQUIRE_ROOT();
    const std::string name = "cnmlab-test_xfrm-root";
    live::deleteNamedNetns(name);
    {
        const live::Fd ns = live::createNamedNetns(name);
        auto l = load("tests/conformance/scenarios/41-overlay-encrypted.yaml");
        ASSERT_FALSE(l->plan.xfrmPolicies.empty());
        live::Xfrm x(ns);
        EXPECT_NO_THROW(x.addPolicy(l->plan.xfrmPolicies.front()));
        const bool esp = live::kernelHasEsp("cnmlab-test");
        try {
            x.addState(l->plan.xfrmStates.front());
            EXPECT_TRUE(esp) << "an SA installed on a kernel said to lack ESP";
        } catch (const model::Error& e) {
            EXPECT_FALSE(esp) << e.what();
            EXPECT_EQ(e.kind(), model::ErrorKind::Unsupported) << e.what();
            EXPECT_NE(std::string(e.what()).find("CONFIG_INET_ESP"), std::string::npos);
        }
    }
    live::deleteNamedNetns(name);
}

// Names are the user's, in the kernel too: hosts called lan and router,
// externals called underlay, docker0 and eth0 (this one beyond the router), a
// network keyed bridge, a container named like a host. Up, verified against
// the simulation probe by probe, down with nothing left.
TEST(LiveRoot, UserNamesThatCnmlabsOwnObjectsCouldHaveTakenWork) {
    REQUIRE_ROOT();
    auto l = load("tests/data/names/user-names.yaml");
    const verify::VerifyReport r = verify::liveVerify(l->topo, l->plan, "en");
    EXPECT_EQ(r.disagree, 0) << r.disagreements.dump(2);
    EXPECT_GT(r.agree, 100);
    EXPECT_TRUE(live::listNamedNetns(live::livePrefix(l->sc)).empty());
}

TEST(LiveRoot, UpStatusSecondUpDownLeavesNothing) {
    REQUIRE_ROOT();
    auto l = load(std::string(CNMLAB_SOURCE_DIR) + "/scenarios/tour.yaml");
    const std::string prefix = live::livePrefix(l->sc);
    live::liveDown(l->sc);  // a clean start
    live::liveUp(l->topo, l->plan);
    const live::LiveStatus st = live::liveStatus(l->sc);
    EXPECT_EQ(st.namespaces.size(), l->plan.namespaces.size());
    EXPECT_GT(st.daemonPid, 0);
    try {
        live::liveUp(l->topo, l->plan);
        ADD_FAILURE() << "a second up must be refused";
    } catch (const model::Error& e) {
        EXPECT_EQ(e.kind(), model::ErrorKind::Conflict);
        EXPECT_NE(e.message().find("already up"), std::string::npos);
    }
    EXPECT_EQ(live::liveDown(l->sc), static_cast<int>(l->plan.namespaces.size()));
    EXPECT_TRUE(live::listNamedNetns(prefix).empty());
    EXPECT_EQ(live::liveStatus(l->sc).daemonPid, 0);
    EXPECT_NE(::kill(st.daemonPid, 0), 0);  // the daemon is gone
}

TEST(LiveRoot, KilledUpIsCleanedByDown) {
    REQUIRE_ROOT();
    const std::string file = std::string(CNMLAB_SOURCE_DIR) + "/scenarios/tour.yaml";
    auto l = load(file);
    const std::string prefix = live::livePrefix(l->sc);
    live::liveDown(l->sc);
    for (int delayMs : {2, 10, 30}) {
        pid_t pid = 0;
        std::string cli = CNMLAB_CLI;
        std::vector<char*> argv = {cli.data(), const_cast<char*>("live"), const_cast<char*>("up"),
                                   const_cast<char*>(file.c_str()), nullptr};
        ASSERT_EQ(::posix_spawn(&pid, cli.c_str(), nullptr, nullptr, argv.data(), environ), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        live::liveDown(l->sc);
        EXPECT_TRUE(live::listNamedNetns(prefix).empty()) << "after a kill at " << delayMs << " ms";
    }
}

// `live verify` stopped by a signal (Ctrl-C, `timeout`) removes what it built
// and says so (exit 3), where the signal's default action left the
// namespaces behind.
TEST(LiveRoot, InterruptedVerifyRemovesWhatItBuilt) {
    REQUIRE_ROOT();
    const std::string file =
        std::string(CNMLAB_SOURCE_DIR) + "/tests/conformance/scenarios/42-overlay-several.yaml";
    auto l = load(file);
    const std::string prefix = live::livePrefix(l->sc);
    pid_t pid = 0;
    std::string cli = CNMLAB_CLI;
    std::vector<char*> argv = {cli.data(), const_cast<char*>("live"), const_cast<char*>("verify"),
                               const_cast<char*>(file.c_str()), nullptr};
    ASSERT_EQ(::posix_spawn(&pid, cli.c_str(), nullptr, nullptr, argv.data(), environ), 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (live::listNamedNetns(prefix).empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_FALSE(live::listNamedNetns(prefix).empty()) << "verify built nothing in 30 s";
    std::this_thread::sleep_for(std::chrono::seconds(2));  // into its probes
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of cleaning up";
    EXPECT_EQ(WEXITSTATUS(status), 3);
    EXPECT_TRUE(live::listNamedNetns(prefix).empty());
    live::liveDown(l->sc);
}

TEST(LiveRoot, TwoScenariosUpAtOnce) {
    REQUIRE_ROOT();
    auto a = load(std::string(CNMLAB_SOURCE_DIR) + "/scenarios/tour.yaml");
    auto b = load(std::string(CNMLAB_SOURCE_DIR) + "/scenarios/icc-off.yaml");
    live::liveDown(a->sc);
    live::liveDown(b->sc);
    live::liveUp(a->topo, a->plan);
    live::liveUp(b->topo, b->plan);
    EXPECT_FALSE(live::liveStatus(a->sc).namespaces.empty());
    EXPECT_FALSE(live::liveStatus(b->sc).namespaces.empty());
    live::liveDown(a->sc);
    live::liveDown(b->sc);
    EXPECT_TRUE(live::liveStatus(a->sc).namespaces.empty());
    EXPECT_TRUE(live::liveStatus(b->sc).namespaces.empty());
}

// A driver the kernel lacks (this machine's kernel has no ipvlan): `up` names
// each such network with exit 3 and builds nothing; `verify` builds the rest,
// compares it, and lists what it skipped. On a kernel with ipvlan, both run
// in full.
TEST(LiveRoot, LackingDriverIsReportedPerNetworkAndVerifyRunsTheRest) {
    REQUIRE_ROOT();
    auto l = load(std::string(CNMLAB_SOURCE_DIR) + "/scenarios/macvlan-lan.yaml");
    const std::string prefix = live::livePrefix(l->sc);
    live::liveDown(l->sc);
    const auto lacking = live::networksTheKernelLacks(l->topo, prefix);
    EXPECT_TRUE(live::listNamedNetns(prefix).empty());  // the kernel probe cleaned up
    if (lacking.empty()) {
        live::liveUp(l->topo, l->plan);
        EXPECT_FALSE(live::liveStatus(l->sc).namespaces.empty());
        live::liveDown(l->sc);
    } else {
        ASSERT_EQ(lacking.size(), 1u);
        EXPECT_EQ(lacking[0].network->key, "lab");
        try {
            live::liveUp(l->topo, l->plan);
            ADD_FAILURE()
                << "up built a scenario with an ipvlan network on a kernel without ipvlan";
        } catch (const model::Error& e) {
            EXPECT_EQ(e.kind(), model::ErrorKind::Unsupported);
            EXPECT_NE(e.message().find("network lab"), std::string::npos) << e.message();
            EXPECT_NE(e.message().find("CONFIG_IPVLAN"), std::string::npos) << e.message();
        }
        EXPECT_TRUE(live::listNamedNetns(prefix).empty());
    }
    const verify::VerifyReport r = verify::liveVerify(l->topo, l->plan, "en");
    EXPECT_EQ(r.disagree, 0) << r.disagreements.dump(2);
    EXPECT_GT(r.agree, 20);
    EXPECT_EQ(r.skipped.size(), lacking.size());
    if (!lacking.empty()) {
        const std::string what = r.skipped[0]["what"].get<std::string>();
        EXPECT_NE(what.find("sensor"), std::string::npos) << what;
    }
    EXPECT_TRUE(live::listNamedNetns(prefix).empty());
}

namespace {

struct Ran {
    int code = -1;
    std::string out;
};

// Runs `sh -c SCRIPT` (the test needs the shell's `ulimit`) and collects its
// standard output and exit code.
Ran shell(const std::string& script) {
    Ran r;
    int out[2];
    if (::pipe(out) != 0) {
        return r;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out[1]);
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) {
        r.out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace

// Under a small `ulimit -n` (soft and hard), verify still agrees on every
// probe: the services run in as many processes as the limit needs, the build
// keeps few descriptors, and the probes wait for room instead of failing.
TEST(LiveRoot, VerifyUnderASmallFileLimitAgreesOnEveryProbe) {
    REQUIRE_ROOT();
    const std::string cli = CNMLAB_CLI;
    const std::string file = ::testing::TempDir() + "/small-limit.yaml";
    ASSERT_EQ(
        shell(cli + " generate --hosts 1 --networks 3 --containers 16 --seed 7 > " + file).code, 0);
    const Ran reach = shell(cli + " reach " + file + " --json");
    ASSERT_EQ(reach.code, 0);
    const auto summary = nlohmann::json::parse(reach.out)["summary"];
    const int probes = summary["reachable"].get<int>() + summary["unreachable"].get<int>();
    ASSERT_GT(probes, 500);

    const Ran r = shell("ulimit -n 64 && " + cli + " live verify " + file + " --json");
    ASSERT_EQ(r.code, 0) << r.out;
    const auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["disagree"], 0) << r.out;
    EXPECT_EQ(report["agree"], probes);
    EXPECT_EQ(shell(cli + " live status " + file + " --json").out.find("\"up\": true"),
              std::string::npos);
}

// Too few descriptors to probe at all is said as such (exit 3, what to raise),
// never reported as unreachable, and nothing is left in the kernel.
TEST(LiveRoot, VerifyWithoutDescriptorsToProbeSaysSoAndLeavesNothing) {
    REQUIRE_ROOT();
    const std::string cli = CNMLAB_CLI;
    const std::string file = ::testing::TempDir() + "/no-fds.yaml";
    ASSERT_EQ(
        shell(cli + " generate --hosts 1 --networks 2 --containers 6 --seed 2 > " + file).code, 0);
    const Ran r = shell("ulimit -n 40 && " + cli + " live verify " + file + " 2>&1");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("ulimit -n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("disagree"), std::string::npos) << r.out;
    auto l = load(file);
    EXPECT_TRUE(live::listNamedNetns(live::livePrefix(l->sc)).empty());
}
