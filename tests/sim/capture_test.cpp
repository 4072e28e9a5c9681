// The capture of a trace (sim/capture.hpp): one pcapng interface per wire
// segment, each frame once per point, no copy that Wireshark takes for a
// retransmission, each frame's hop explained in its comment.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "packet/packet_codec.hpp"
#include "sim/capture.hpp"
#include "sim/scenario_sim.hpp"
#include "tests/packet/test_files.hpp"
#include "tests/sim/sim_test_util.hpp"

namespace cnmlab::sim {
namespace {

using namespace cnmlab::testing;
namespace fs = std::filesystem;

struct Traced {
    std::unique_ptr<test::Loaded> loaded;
    std::unique_ptr<ScenarioSim> sim;
    ProbeRecord record;
};

Traced trace(const std::string& file, const std::string& from, const std::string& to,
             model::Proto proto, std::optional<int> port) {
    Traced t;
    t.loaded = test::loadSource(file);
    t.sim = std::make_unique<ScenarioSim>(t.loaded->topo, t.loaded->plan);
    t.record = t.sim->probe(from, to, proto, port, std::nullopt, true);
    return t;
}

// tshark's fields, one line per frame, split at tabs.
std::vector<std::vector<std::string>> fields(const fs::path& path,
                                             const std::vector<std::string>& names) {
    std::vector<std::string> argv = {kTshark, "-r",     path.string(), "-n",
                                     "-T",    "fields", "-E",          "separator=/t"};
    for (const auto& n : names) {
        argv.emplace_back("-e");
        argv.push_back(n);
    }
    const auto result = runCapturingStdout(argv);
    std::vector<std::vector<std::string>> rows;
    if (!result || result->exitStatus != 0) {
        ADD_FAILURE() << "tshark failed on " << path;
        return rows;
    }
    std::size_t at = 0;
    while (at < result->out.size()) {
        const std::size_t nl = result->out.find('\n', at);
        const std::string line = result->out.substr(at, nl - at);
        std::vector<std::string> cols;
        std::size_t c = 0;
        while (true) {
            const std::size_t tab = line.find('\t', c);
            cols.push_back(line.substr(c, tab == std::string::npos ? tab : tab - c));
            if (tab == std::string::npos) {
                break;
            }
            c = tab + 1;
        }
        rows.push_back(std::move(cols));
        at = nl == std::string::npos ? result->out.size() : nl + 1;
    }
    return rows;
}

TEST(Capture, APublishedPortsTraceHasOneInterfacePerWireAndNoFakeRetransmission) {
    auto t = trace("scenarios/tour.yaml", "laptop", "host1", model::Proto::Tcp, 8080);
    ASSERT_TRUE(t.record.reachable) << t.record.reason.en;
    TempFile file("published");
    const std::size_t written = writeCapture(t.sim->world(), t.record, file.path(), "en");

    // Each frame once per point: no two identical frames on one interface.
    const CapturePoints points(t.sim->world(), "en");
    std::map<int, std::set<std::vector<std::uint8_t>>> perPoint;
    std::size_t txHops = 0;
    for (const auto& h : t.record.hops) {
        const int p = points.pointOf(h);
        if (p >= 0) {
            ++txHops;
            perPoint[p].insert(serialize(*h.frame));
        }
    }
    std::size_t distinct = 0;
    for (const auto& [p, frames] : perPoint) {
        distinct += frames.size();
    }
    EXPECT_EQ(written, distinct);
    EXPECT_LT(written, txHops);  // the bridges' copies are gone
    ASSERT_EQ(perPoint.size(), 2U);
    std::set<std::string> names;
    for (const auto& [p, frames] : perPoint) {
        names.insert(points.point(p).name);
    }
    const std::string bridge = *std::find_if(
        names.begin(), names.end(), [](const std::string& n) { return n.rfind("br-", 0) == 0; });
    EXPECT_EQ(names.count("LAN"), 1U);
    EXPECT_NE(bridge.find("@host1"), std::string::npos) << bridge;

    if (!fs::exists(kTshark)) {
        GTEST_SKIP() << kTshark << " is not installed; cannot open the capture in it";
    }
    const auto rows = fields(file.path(), {"frame.interface_name", "frame.interface_description",
                                           "tcp.analysis.flags", "frame.comment", "tcp.srcport"});
    ASSERT_EQ(rows.size(), written);
    std::set<std::string> seenNames;
    bool synAckFrom8080 = false;
    for (const auto& r : rows) {
        ASSERT_EQ(r.size(), 5U);
        seenNames.insert(r[0]);
        EXPECT_TRUE(r[2].empty()) << "tshark flags a frame: " << r[2] << " (" << r[3] << ")";
        EXPECT_FALSE(r[3].empty());  // the hop's explanation
        if (r[0] == "LAN") {
            EXPECT_EQ(r[1].rfind("the hosts' LAN switch, with ", 0), 0U) << r[1];
            EXPECT_NE(r[1].find("eth0 of laptop"), std::string::npos) << r[1];
            EXPECT_NE(r[1].find("eth0 of host1"), std::string::npos) << r[1];
            synAckFrom8080 = synAckFrom8080 || r[4] == "8080";
        } else {
            EXPECT_NE(r[1].find("bridge " + bridge.substr(0, bridge.find('@')) + " in host1"),
                      std::string::npos)
                << r[1];
            EXPECT_NE(r[1].find("eth0 of tour-web-1"), std::string::npos) << r[1];
        }
    }
    EXPECT_EQ(seenNames, names);
    EXPECT_TRUE(synAckFrom8080);  // the reply as the laptop sees it, after conntrack's reverse NAT
    // And tshark's own summary has no retransmission anywhere.
    const auto summary = runCapturingStdout({kTshark, "-r", file.path().string(), "-n"});
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->out.find("Retransmission"), std::string::npos) << summary->out;
}

TEST(Capture, ABroadcastFloodedToEveryPortIsOneFrameOnThatBridge) {
    auto t = trace("scenarios/tour.yaml", "web", "api", model::Proto::Icmp, std::nullopt);
    ASSERT_TRUE(t.record.reachable) << t.record.reason.en;
    TempFile file("flood");
    writeCapture(t.sim->world(), t.record, file.path(), "en");
    const CapturePoints points(t.sim->world(), "en");
    std::size_t floodedCopies = 0;
    for (const auto& h : t.record.hops) {
        if (points.pointOf(h) >= 0 && h.frame->ethertype == kEtherTypeArp && h.frame->arpOp == 1) {
            ++floodedCopies;
        }
    }
    EXPECT_GE(floodedCopies, 2U);  // into the bridge, and out of it to each other port
    const auto b = readAll(file.path());
    // Count ARP requests in the file: 0x0806 at the frame's ethertype, opcode 1.
    std::size_t requests = 0;
    for (std::size_t at = native32(b, 4); at < b.size(); at += native32(b, at + 4)) {
        if (native32(b, at) == 6 && b[at + 28 + 12] == 0x08 && b[at + 28 + 13] == 0x06 &&
            b[at + 28 + 21] == 1) {
            ++requests;
        }
    }
    EXPECT_EQ(requests, 1U);
}

TEST(Capture, APacketRoutedUnchangedToASecondPointSaysSoInItsComment) {
    // web -> internet: MASQUERADE on host1, then the router forwards the same
    // packet from the LAN onto its link to internet.
    auto t = trace("scenarios/published-ports.yaml", "web", "internet", model::Proto::Tcp, 80);
    TempFile file("routed");
    writeCapture(t.sim->world(), t.record, file.path(), "en");
    if (!fs::exists(kTshark)) {
        GTEST_SKIP() << kTshark << " is not installed; cannot read the comments back";
    }
    const auto rows =
        fields(file.path(), {"frame.number", "frame.interface_name", "frame.comment"});
    bool routedSyn = false;
    for (const auto& r : rows) {
        ASSERT_EQ(r.size(), 3U);
        if (r[1].find("~eth0@internet") != std::string::npos &&
            r[2].find("not a retransmission") != std::string::npos) {
            routedSyn = true;
            EXPECT_NE(r[2].find("(at LAN)"), std::string::npos) << r[2];
        }
    }
    EXPECT_TRUE(routedSyn);
}

TEST(Capture, DescriptionsFollowTheLanguage) {
    auto t = trace("scenarios/tour.yaml", "laptop", "host1", model::Proto::Tcp, 8080);
    const CapturePoints zh(t.sim->world(), "zh");
    bool lan = false;
    for (const auto& h : t.record.hops) {
        const int p = zh.pointOf(h);
        if (p >= 0 && zh.point(p).name == "LAN") {
            const std::string& d = zh.point(p).description;
            EXPECT_EQ(d.rfind("主机所在局域网的交换机，连接 ", 0), 0U) << d;
            EXPECT_NE(d.find("laptop 的 eth0"), std::string::npos) << d;
            lan = true;
        }
    }
    EXPECT_TRUE(lan);
}

}  // namespace
}  // namespace cnmlab::sim
