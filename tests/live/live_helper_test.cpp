// `cnmlab live helper`, the studio's privileged half, spoken to as the studio
// does (live/helper_protocol.hpp): JSON lines on its standard input and
// output. Without root: the hello, bad requests refused with code 2, and an
// `up` that says what is missing (code 3). As root: up, status, the matrix
// and probes agreeing with the simulation, an already-up scenario (code 1),
// down; and the topology taken down when the helper's input closes or it is
// told to stop.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "live/helper_protocol.hpp"
#include "live/lifecycle.hpp"
#include "live/netns.hpp"
#include "sim/scenario_sim.hpp"

#include "live_test_util.hpp"

using namespace cnmlab;
using nlohmann::json;

namespace {

constexpr int kReplyTimeoutMs = 60'000;

std::string textOf(const std::string& relative) {
    std::ifstream in(std::string(CNMLAB_SOURCE_DIR) + "/" + relative);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// `cnmlab live helper` as a child process, run as this process's user or,
// with `asNobody` (root only), as the user nobody through setpriv.
class Helper {
public:
    explicit Helper(bool asNobody = false) {
        int in[2];
        int out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
            ADD_FAILURE() << "pipe failed";
            return;
        }
        m_pid = ::fork();
        if (m_pid == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            if (asNobody) {
                ::execlp("setpriv", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                         CNMLAB_CLI, "live", "helper", static_cast<char*>(nullptr));
            } else {
                ::execl(CNMLAB_CLI, "cnmlab", "live", "helper", static_cast<char*>(nullptr));
            }
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        m_in = in[1];
        m_out = out[0];
    }
    ~Helper() {
        closeInput();
        if (m_pid > 0) {
            wait();
        }
        if (m_out >= 0) {
            ::close(m_out);
        }
    }
    Helper(const Helper&) = delete;
    Helper& operator=(const Helper&) = delete;

    // The next line the helper writes, parsed; null on end of output or timeout.
    json read(int timeoutMs = kReplyTimeoutMs) {
        for (;;) {
            if (const auto nl = m_buffer.find('\n'); nl != std::string::npos) {
                const std::string line = m_buffer.substr(0, nl);
                m_buffer.erase(0, nl + 1);
                return json::parse(line);
            }
            pollfd p{m_out, POLLIN, 0};
            if (::poll(&p, 1, timeoutMs) <= 0) {
                return nullptr;
            }
            char buf[65536];
            const ssize_t n = ::read(m_out, buf, sizeof buf);
            if (n <= 0) {
                return nullptr;
            }
            m_buffer.append(buf, static_cast<std::size_t>(n));
        }
    }
    void sendLine(const std::string& line) {
        const std::string l = line + "\n";
        EXPECT_EQ(::write(m_in, l.data(), l.size()), static_cast<ssize_t>(l.size()));
    }
    json ask(const json& request) {
        sendLine(request.dump());
        return read();
    }
    void closeInput() {
        if (m_in >= 0) {
            ::close(m_in);
            m_in = -1;
        }
    }
    void signal(int sig) { ::kill(m_pid, sig); }
    // Its exit code (-1 when killed by a signal).
    int wait() {
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    pid_t m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    std::string m_buffer;
};

json up(const std::string& relative, std::string file = {}) {
    return {{"id", 1},
            {"op", "up"},
            {"scenario", textOf(relative)},
            {"file", file.empty() ? relative : file}};
}

std::string prefixOf(const std::string& relative) {
    return live::livePrefix(test::load(relative)->sc);
}

}  // namespace

TEST(LiveHelper, SaysHelloThenRefusesBadRequestsWithCode2) {
    Helper h;
    const json hello = h.read();
    ASSERT_TRUE(hello.is_object()) << hello.dump();
    EXPECT_EQ(hello["hello"], live::kHelperHello);
    EXPECT_EQ(hello["version"], live::kHelperProtocolVersion);
    EXPECT_EQ(hello["uid"], ::geteuid());

    h.sendLine("this is not JSON");
    json r = h.read();
    EXPECT_EQ(r["ok"], false);
    EXPECT_EQ(r["code"], 2);
    EXPECT_TRUE(r["id"].is_null());

    r = h.ask({{"id", "x"}, {"op", "fly"}});
    EXPECT_EQ(r["id"], "x");
    EXPECT_EQ(r["code"], 2);
    EXPECT_NE(r["error"].get<std::string>().find("unknown op 'fly'"), std::string::npos);

    // An invalid scenario: its error names the studio's file, not the helper's copy.
    r = h.ask({{"id", 2},
               {"op", "up"},
               {"scenario", "services:\n  web:\n    networks: [nowhere]\n"},
               {"file", "/home/someone/shop.yaml"}});
    EXPECT_EQ(r["code"], 2);
    EXPECT_EQ(r["error"].get<std::string>().rfind("/home/someone/shop.yaml:3:", 0), 0u)
        << r["error"];

    // A conflict within the scenario (two subnets that overlap) is an invalid
    // scenario too, not the negative answer (code 1) of an already-up one.
    r = h.ask({{"id", "overlap"},
               {"op", "up"},
               {"scenario", textOf("tests/cli/bad/overlap.yaml")},
               {"file", "/home/someone/overlap.yaml"}});
    EXPECT_EQ(r["code"], 2) << r.dump();
    EXPECT_NE(r["error"].get<std::string>().find("overlaps"), std::string::npos) << r["error"];

    r = h.ask({{"id", 3}, {"op", "matrix"}});
    EXPECT_EQ(r["code"], 2);
    EXPECT_NE(r["error"].get<std::string>().find("nothing is up"), std::string::npos);
    r = h.ask({{"id", 4}, {"op", "status"}});
    EXPECT_EQ(r["ok"], true);
    EXPECT_EQ(r["up"], false);

    h.closeInput();
    EXPECT_EQ(h.wait(), 0);
}

TEST(LiveHelper, WithoutRootUpAnswersCode3SayingWhatIsMissing) {
    Helper h(::geteuid() == 0);  // as root: run it as nobody
    const json hello = h.read();
    ASSERT_TRUE(hello.is_object());
    ASSERT_NE(hello["uid"], 0);
    const json r = h.ask(up("scenarios/bridge-isolation.yaml"));
    EXPECT_EQ(r["code"], 3) << r.dump();
    EXPECT_NE(r["error"].get<std::string>().find("root"), std::string::npos) << r["error"];
    EXPECT_TRUE(live::listNamedNetns(prefixOf("scenarios/bridge-isolation.yaml")).empty());
}

TEST(LiveHelperRoot, UpMatrixProbesAndDownAnswerAsTheCommandLineAndTheSimulationDo) {
    REQUIRE_ROOT();
    const std::string prefix = prefixOf("scenarios/bridge-isolation.yaml");
    ASSERT_TRUE(live::listNamedNetns(prefix).empty()) << "iso is up already";
    Helper h;
    ASSERT_EQ(h.read()["uid"], 0);
    json r = h.ask(up("scenarios/bridge-isolation.yaml"));
    ASSERT_EQ(r["code"], 0) << r.dump();
    EXPECT_EQ(r["prefix"], prefix);
    EXPECT_GT(r["namespaces"].get<int>(), 0);
    EXPECT_NE(r["message"].get<std::string>().find("iso is up"), std::string::npos);
    EXPECT_EQ(h.ask({{"id", 2}, {"op", "status"}})["up"], true);

    {
        // Another helper, the same scenario: `live up` exits 1, and that helper,
        // holding nothing, leaves the first one's topology alone when it ends.
        Helper other;
        other.read();
        const json again = other.ask(up("scenarios/bridge-isolation.yaml"));
        EXPECT_EQ(again["code"], 1) << again.dump();
        EXPECT_NE(again["error"].get<std::string>().find("already up"), std::string::npos);
        other.closeInput();
        EXPECT_EQ(other.wait(), 0);
    }
    EXPECT_FALSE(live::listNamedNetns(prefix).empty());

    // The matrix: the simulation's entries, in its order, each answered by the kernel.
    auto l = test::load("scenarios/bridge-isolation.yaml");
    sim::ScenarioSim simulation(l->topo, l->plan);
    const sim::ReachMatrix mine = simulation.reach();
    r = h.ask({{"id", 3}, {"op", "matrix"}});
    ASSERT_EQ(r["code"], 0) << r.dump();
    const json& entries = r["entries"];
    ASSERT_EQ(entries.size(), mine.entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const sim::ReachEntry& e = mine.entries[i];
        EXPECT_EQ(entries[i]["from"], mine.names[e.from]);
        EXPECT_EQ(entries[i]["to"], mine.names[e.to]);
        EXPECT_EQ(entries[i]["dst"], e.dst.str());
        EXPECT_EQ(entries[i]["sim"], e.reachable);
        EXPECT_EQ(entries[i]["kernel"], e.reachable) << entries[i].dump();
        EXPECT_EQ(entries[i]["sim_outcome"],
                  model::outcomeName(sim::outcomeOf(e.reachable, e.reason)));
        EXPECT_EQ(entries[i]["kernel_outcome"], entries[i]["sim_outcome"]) << entries[i].dump();
    }

    r = h.ask({{"id", 4}, {"op", "probe"}, {"from", "a1"}, {"to", "a2"}, {"proto", "icmp"}});
    EXPECT_EQ(r["sim"], "answered");
    EXPECT_EQ(r["kernel"], "answered") << r.dump();
    r = h.ask({{"id", 5}, {"op", "probe"}, {"from", "a1"}, {"to", "b1"}, {"proto", "icmp"}});
    EXPECT_EQ(r["kernel"], "dropped") << r.dump();
    r = h.ask(
        {{"id", 6}, {"op", "probe"}, {"from", "a2"}, {"to", "a1"}, {"proto", "tcp"}, {"port", 80}});
    EXPECT_EQ(r["kernel"], "answered") << r.dump();
    r = h.ask({{"id", 7}, {"op", "probe"}, {"from", "a1"}, {"resolve", "a2"}});
    EXPECT_EQ(r["kernel"], r["sim"]) << r.dump();
    EXPECT_EQ(r["kernel"].get<std::string>().rfind("172.", 0), 0u) << r.dump();
    r = h.ask({{"id", 8}, {"op", "probe"}, {"from", "nosuch"}, {"to", "a1"}});
    EXPECT_EQ(r["code"], 2);
    EXPECT_NE(r["error"].get<std::string>().find("'nosuch'"), std::string::npos) << r.dump();
    r = h.ask({{"id", 9}, {"op", "probe"}, {"from", "a1"}, {"to", "a2"}, {"proto", "tcp"}});
    EXPECT_EQ(r["code"], 2);  // tcp without a port

    r = h.ask({{"id", 10}, {"op", "down"}});
    EXPECT_EQ(r["code"], 0) << r.dump();
    EXPECT_NE(r["message"].get<std::string>().find("iso is down"), std::string::npos);
    EXPECT_TRUE(live::listNamedNetns(prefix).empty());
    EXPECT_EQ(h.ask({{"id", 11}, {"op", "matrix"}})["code"], 2);
    h.closeInput();
    EXPECT_EQ(h.wait(), 0);
}

TEST(LiveHelperRoot, WhenItsInputClosesItTakesDownWhatItBroughtUp) {
    REQUIRE_ROOT();
    const std::string prefix = prefixOf("scenarios/bridge-isolation.yaml");
    ASSERT_TRUE(live::listNamedNetns(prefix).empty());
    Helper h;
    h.read();
    ASSERT_EQ(h.ask(up("scenarios/bridge-isolation.yaml"))["code"], 0);
    ASSERT_FALSE(live::listNamedNetns(prefix).empty());
    h.closeInput();  // the studio quit, or crashed
    EXPECT_EQ(h.wait(), 0);
    EXPECT_TRUE(live::listNamedNetns(prefix).empty());
}

TEST(LiveHelperRoot, SigtermTakesDownWhatItBroughtUpToo) {
    REQUIRE_ROOT();
    const std::string prefix = prefixOf("scenarios/bridge-isolation.yaml");
    ASSERT_TRUE(live::listNamedNetns(prefix).empty());
    Helper h;
    h.read();
    ASSERT_EQ(h.ask(up("scenarios/bridge-isolation.yaml"))["code"], 0);
    h.signal(SIGTERM);  // sudo passes a signal on to the command it runs
    EXPECT_EQ(h.wait(), 0);
    EXPECT_TRUE(live::listNamedNetns(prefix).empty());
}
