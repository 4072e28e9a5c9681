// Docker's plugin protocol over a real unix socket, both ends: the plugin's
// server (plugins/sdk) and libnetwork's client (drivers/remote_http.hpp), and
// `cnmlab plugin check`'s judgement of a plugin that answers wrongly.

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "drivers/remote_check.hpp"
#include "plugins/sdk/network_plugin.hpp"
#include "plugins/sdk/plugin_process.hpp"
#include "plugins/sdk/plugin_server.hpp"

namespace {

using namespace cnmlab;
namespace remote = drivers::remote;

// A plugin served on a socket in a thread of this process.
class Served {
public:
    explicit Served(plugins::Handler handler)
        : m_server(m_dir.socket("p"), std::move(handler)), m_thread([this] { m_server.run(); }) {}
    ~Served() {
        m_server.stop();
        m_thread.join();
    }
    Served(const Served&) = delete;
    Served& operator=(const Served&) = delete;
    std::string socket() const { return m_server.socketPath(); }

private:
    plugins::SocketDir m_dir;
    plugins::PluginServer m_server;
    std::thread m_thread;
};

struct RunResult {
    int status = 0;
    std::string out;
};

RunResult run(const std::string& cmd) {
    RunResult r;
    std::unique_ptr<FILE, int (*)(FILE*)> p(::popen((cmd + " 2>&1").c_str(), "r"), ::pclose);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p.get())) > 0) {
        r.out.append(buf.data(), n);
    }
    const int st = ::pclose(p.release());
    r.status = WEXITSTATUS(st);
    return r;
}

TEST(PluginProtocol, RequestsArriveAsDockerSendsThemAndRepliesComeBack) {
    std::vector<std::string> seen;
    Served plugin([&seen](const std::string& path, const std::string& body) {
        seen.push_back(path + " " + body);
        if (path == "/NetworkDriver.Leave") {
            return remote::HttpReply{500, R"({"Err":"no such endpoint"})"};
        }
        return remote::HttpReply{200, R"({"Implements":["NetworkDriver"]})"};
    });
    remote::UnixSocketClient client(plugin.socket());
    const auto a = client.post("/Plugin.Activate", "");
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.body, R"({"Implements":["NetworkDriver"]})");
    // The same kept-alive connection carries the next call.
    const auto l = client.post("/NetworkDriver.Leave", "{\"NetworkID\":\"n\"}\n");
    EXPECT_EQ(l.status, 500);
    EXPECT_EQ(remote::statusErrorText("/NetworkDriver.Leave", l),
              "NetworkDriver.Leave: no such endpoint");
    ASSERT_EQ(seen.size(), 2U);
    EXPECT_EQ(seen[0], "/Plugin.Activate ");
    EXPECT_EQ(seen[1], "/NetworkDriver.Leave {\"NetworkID\":\"n\"}\n");
}

TEST(PluginProtocol, AnAbsentPluginIsATransportErrorNamingTheSocket) {
    remote::UnixSocketClient client("/nonexistent/plugin.sock", {std::chrono::milliseconds(100)});
    try {
        client.post("/Plugin.Activate", "");
        FAIL() << "no error";
    } catch (const remote::TransportError& e) {
        EXPECT_NE(std::string(e.what()).find("unix:///nonexistent/plugin.sock"), std::string::npos)
            << e.what();
    }
}

// A typed plugin that answers everything correctly and creates nothing.
class QuietPlugin : public plugins::NetworkPlugin {
public:
    remote::CapabilitiesResponse capabilities() override { return {"", "local", ""}; }
    void createNetwork(const remote::CreateNetworkRequest& req) override {
        networks.push_back(req.networkId);
    }
    void deleteNetwork(const remote::NetworkRequest&) override {}
    remote::CreateEndpointResponse createEndpoint(const remote::CreateEndpointRequest&) override {
        remote::CreateEndpointResponse r;
        r.interface = remote::EndpointInterface{"", "", "02:42:0a:00:00:09"};
        return r;
    }
    void deleteEndpoint(const remote::EndpointRequest& req) override {
        if (req.endpointId.empty()) {
            throw plugins::PluginError("no endpoint id");
        }
    }
    remote::JoinResponse join(const remote::JoinRequest&) override {
        remote::JoinResponse r;
        r.interfaceName = remote::InterfaceName{"lo", "", "eth"};
        r.gateway = "169.254.1.1";
        r.staticRoutes.push_back({"169.254.1.1/32", 1, ""});
        return r;
    }
    void leave(const remote::EndpointRequest&) override {}
    std::vector<std::string> networks;
};

TEST(PluginProtocol, ATypedPluginPassesTheCheckOverASocket) {
    QuietPlugin quiet;
    Served plugin([&quiet](const std::string& path, const std::string& body) {
        return plugins::dispatch(quiet, path, body);
    });
    remote::UnixSocketClient client(plugin.socket());
    const auto report = remote::checkPlugin(client);
    EXPECT_EQ(report.problemCount(), 0U) << remote::formatCheckReport(report);
    EXPECT_EQ(quiet.networks.size(), 1U);
    // Optional calls the plugin does not serve are 404s libnetwork tolerates.
    const std::string text = remote::formatCheckReport(report);
    EXPECT_NE(text.find("every reply is one Docker 20.10 accepts"), std::string::npos) << text;
    EXPECT_NE(text.find("-> POST /NetworkDriver.Join"), std::string::npos);
}

TEST(PluginProtocol, TheDispatcherAnswersAsGoPluginHelpersDo) {
    QuietPlugin quiet;
    EXPECT_EQ(plugins::dispatch(quiet, "/Nope.Nothing", "").status, 404);
    const auto bad = plugins::dispatch(quiet, "/NetworkDriver.Join", R"({"NetworkID": 5})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("JoinRequest.NetworkID of type string"), std::string::npos) << bad.body;
    const auto refused = plugins::dispatch(quiet, "/NetworkDriver.DeleteEndpoint", "{}");
    EXPECT_EQ(refused.status, 500);
    EXPECT_EQ(refused.body, "{\"Err\":\"no endpoint id\"}\n");
}

TEST(PluginCheck, AWrongPluginGetsDockersErrors) {
    const auto r = run(std::string(CNMLAB_CLI) + " plugin check -- " + CNMLAB_WRONG_PLUGIN);
    EXPECT_EQ(r.status, 1) << r.out;
    for (const char* expected : {
             "REJECTED: invalid capability: expecting 'local' or 'global', got cluster",
             "REJECTED: driver modified interface address: endpoint interface IP present "
             "(172.18.0.2/16). Cannot be modified with (10.9.0.5/24).",
             "REJECTED: address zz:42: invalid MAC address",
             "REJECTED: json: cannot unmarshal number into Go struct field JoinResponse.Gateway "
             "of type string",
             "REJECTED: unable to parse Gateway \"not-an-ip\"",
             "REJECTED: invalid CIDR address: 10.0.0.0/33",
             "REJECTED: SrcName \"a-name-far-too-long\" is longer than",
             "REJECTED: invalid character 'n' looking for beginning of object key string",
             "note: NetworkDriver.Leave: no such endpoint (dockerd logs this as a warning",
             "REJECTED: remote: endpoint busy",
             "note: not implemented (404)",
             "(Docker stops here; the check goes on to show the rest)",
         }) {
        EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
    }
}

TEST(PluginCheck, APluginThatIsNotThereIsAnEnvironmentError) {
    const auto r = run(std::string(CNMLAB_CLI) + " plugin check /nonexistent/p.sock");
    EXPECT_EQ(r.status, 3) << r.out;
    EXPECT_NE(r.out.find("cannot connect to the plugin at unix:///nonexistent/p.sock"),
              std::string::npos)
        << r.out;
    const auto gone = run(std::string(CNMLAB_CLI) + " plugin check -- /bin/false");
    EXPECT_EQ(gone.status, 3) << gone.out;
    EXPECT_NE(gone.out.find("exited with status 1 before listening"), std::string::npos)
        << gone.out;
}

}  // namespace
