// docker-proxy for real (root): the scenario of the docker-proxy recording,
// with the recorder's changes to `web`, built by `live up`; a client in the
// host's namespace and one in `peer`'s connect as the recorder's clients did,
// and must see what Docker 20.10's clients saw (tests/conformance/proxy). The
// recording's "silent" (connected, nothing for two minutes) is checked as
// "connected, and nothing for 2 s".
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "live/lifecycle.hpp"
#include "live/netns.hpp"
#include "tests/conformance/proxy/proxy_plan.hpp"

#include "live_test_util.hpp"

using namespace cnmlab;

namespace {

constexpr int kWaitMs = 2000;

sockaddr_in addressOf(model::Ipv4 ip, int port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    sa.sin_addr.s_addr = htonl(ip.value());
    return sa;
}

bool readable(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) > 0;
}

// What a TCP client in `ns` sees at dst:port, in the recording's words; the
// bytes that arrived go to `bytes`.
std::string tcpClient(const live::Fd& ns, model::Ipv4 dst, int port, std::string& bytes) {
    int fd = -1;
    {
        live::NetnsGuard in(ns);
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    }
    if (fd < 0) {
        return std::string("socket: ") + std::strerror(errno);
    }
    const sockaddr_in sa = addressOf(dst, port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 &&
        errno != EINPROGRESS) {
        ::close(fd);
        return std::string("connect: ") + std::strerror(errno);
    }
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, kWaitMs) <= 0) {
        ::close(fd);
        return "timeout";
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
        ::close(fd);
        return err == ECONNREFUSED ? "refused" : std::strerror(err);
    }
    for (;;) {
        if (!readable(fd, kWaitMs)) {
            ::close(fd);
            return bytes.empty() ? "silent" : "answered";
        }
        char buf[256];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            bytes.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        const int e = errno;
        ::close(fd);
        if (!bytes.empty()) {
            return "answered";
        }
        return n == 0 ? "closed" : std::string("read: ") + std::strerror(e);
    }
}

std::string udpClient(const live::Fd& ns, model::Ipv4 dst, int port) {
    int fd = -1;
    {
        live::NetnsGuard in(ns);
        fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    }
    const sockaddr_in sa = addressOf(dst, port);
    ::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
    const char data[] = "cnmlab-udp";
    ::send(fd, data, sizeof data - 1, 0);
    std::string out = "silent";
    if (readable(fd, kWaitMs)) {
        char buf[256];
        out = ::recv(fd, buf, sizeof buf, 0) >= 0 ? "answered"
              : errno == ECONNREFUSED             ? "refused"
                                                  : std::strerror(errno);
    }
    ::close(fd);
    return out;
}

struct UpForTest {
    UpForTest(const model::Topology& topo, const drivers::Plan& plan) : sc(*topo.scenario) {
        live::liveDown(sc);
        live::liveUp(topo, plan);
    }
    ~UpForTest() { live::liveDown(sc); }
    UpForTest(const UpForTest&) = delete;
    UpForTest& operator=(const UpForTest&) = delete;
    const model::Scenario& sc;
};

nlohmann::json recording() {
    std::ifstream in(std::string(CNMLAB_SOURCE_DIR) + "/" + test::proxy::kRecording);
    return nlohmann::json::parse(in);
}

}  // namespace

TEST(LiveProxy, ClientsSeeWhatDockerProxyShowedThem) {
    REQUIRE_ROOT();
    auto l = test::load(test::proxy::kScenario);
    test::proxy::applyRecordedChanges(l->plan, "proxy-web-1");
    const std::string prefix = live::livePrefix(l->sc);
    UpForTest up(l->topo, l->plan);
    const live::Fd host = live::openNamedNetns(prefix + "host1");
    const live::Fd peer = live::openNamedNetns(prefix + "proxy-peer-1");
    int compared = 0;
    const nlohmann::json rec = recording();
    for (const auto& f : rec.at("facts")) {
        const std::string id = f.at("id");
        const live::Fd& ns = f.at("from") == "host1" ? host : peer;
        const auto dst = *model::Ipv4::parse(f.at("dst").get<std::string>());
        const int port = f.at("port");
        std::string bytes;
        const std::string seen =
            f.at("proto") == "tcp" ? tcpClient(ns, dst, port, bytes) : udpClient(ns, dst, port);
        EXPECT_EQ(seen, test::proxy::recordedOutcome(f))
            << id << ": Docker's client saw " << f.at("client").dump();
        if (seen == "answered" && f.at("proto") == "tcp") {
            // web's greeting, relayed by docker-proxy or reached by DNAT.
            EXPECT_EQ(bytes, "cnmlab " + prefix + "proxy-web-1 80\n") << id;
        }
        ++compared;
    }
    EXPECT_GE(compared, 20);
}

TEST(LiveProxy, GreetingArrivesThroughTheProxyFromTheHostsLoopback) {
    REQUIRE_ROOT();
    // The published-ports scenario as it is: docker-proxy relays to web and admin.
    auto l = test::load("scenarios/published-ports.yaml");
    const std::string prefix = live::livePrefix(l->sc);
    UpForTest up(l->topo, l->plan);
    const live::Fd host = live::openNamedNetns(prefix + "host1");
    for (const auto& [port, sandbox] :
         {std::pair{8080, "pub-web-1"}, std::pair{9090, "pub-admin-1"}}) {
        std::string bytes;
        EXPECT_EQ(tcpClient(host, model::Ipv4(127, 0, 0, 1), port, bytes), "answered") << port;
        EXPECT_EQ(bytes, "cnmlab " + prefix + sandbox + " 80\n") << port;
    }
}
