// PcapngWriter: the blocks read back by hand and by libpcap, and tshark (when
// installed) decoding every kind of frame the simulator sends with checksum
// validation on. The capture of a trace (capture.hpp): one interface per wire
// segment, each frame once per point, no copy that Wireshark takes for a
// retransmission.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <pcap/pcap.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/error.hpp"
#include "sim/capture.hpp"
#include "sim/packet_codec.hpp"
#include "sim/pcapng_writer.hpp"
#include "sim/scenario_sim.hpp"
#include "tests/sim/sample_frames.hpp"
#include "tests/sim/sim_test_util.hpp"

extern char** environ;

namespace cnmlab::sim {
namespace {

using namespace cnmlab::sim::testing;
namespace fs = std::filesystem;

constexpr const char* kTshark = "/usr/bin/tshark";

// A file in the temporary directory, removed when the test ends.
class TempFile {
public:
    explicit TempFile(const std::string& stem)
        : m_path(fs::temp_directory_path() / fmt::format("cnmlab-{}-{}.pcapng", stem, getpid())) {}
    ~TempFile() {
        std::error_code ignored;
        fs::remove(m_path, ignored);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

std::uint64_t timeOf(std::size_t index) {
    return 1'000'250 * index + 17;
}

// Every sample on interface 0 ("eth0"), the odd ones with a comment.
void writeSamples(const fs::path& path) {
    PcapngWriter writer(path);
    EXPECT_EQ(writer.addInterface("eth0", "eth0 of web-1"), 0U);
    EXPECT_EQ(writer.addInterface("br-0123456789ab@host1", ""), 1U);
    std::uint64_t index = 0;
    for (const auto& sample : allSamples()) {
        writer.write(0, sample.frame, timeOf(index), index % 2 == 1 ? "sample " + sample.name : "");
        ++index;
    }
    EXPECT_EQ(writer.frameCount(), allSamples().size());
    writer.close();
}

std::vector<std::uint8_t> readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t native32(const std::vector<std::uint8_t>& b, std::size_t at) {
    std::uint32_t v = 0;
    std::memcpy(&v, b.data() + at, sizeof v);
    return v;
}

std::uint16_t native16(const std::vector<std::uint8_t>& b, std::size_t at) {
    std::uint16_t v = 0;
    std::memcpy(&v, b.data() + at, sizeof v);
    return v;
}

// Options from `at` to the block's end: code -> value.
std::map<std::uint16_t, std::string> optionsOf(const std::vector<std::uint8_t>& b, std::size_t at,
                                               std::size_t end) {
    std::map<std::uint16_t, std::string> out;
    while (at + 4 <= end) {
        const std::uint16_t code = native16(b, at);
        const std::uint16_t len = native16(b, at + 2);
        if (code == 0) {
            break;
        }
        out[code] = std::string(b.begin() + static_cast<long>(at + 4),
                                b.begin() + static_cast<long>(at + 4 + len));
        at += 4 + ((len + 3U) & ~3U);
    }
    return out;
}

TEST(PcapngWriter, WritesASectionInterfacesAndEnhancedPackets) {
    TempFile file("format");
    writeSamples(file.path());
    const auto b = readAll(file.path());
    ASSERT_GE(b.size(), 28U);
    EXPECT_EQ(native32(b, 0), 0x0A0D0D0AU);  // Section Header Block
    EXPECT_EQ(native32(b, 8), 0x1A2B3C4DU);  // byte-order magic
    EXPECT_EQ(native16(b, 12), 1U);          // version 1.0
    std::size_t at = native32(b, 4);
    EXPECT_EQ(native32(b, at - 4), at);      // the length at both ends
    std::vector<std::map<std::uint16_t, std::string>> interfaces;
    std::size_t index = 0;
    const auto samples = allSamples();
    while (at < b.size()) {
        const std::uint32_t type = native32(b, at);
        const std::uint32_t len = native32(b, at + 4);
        ASSERT_EQ(len % 4, 0U);
        ASSERT_LE(at + len, b.size());
        ASSERT_EQ(native32(b, at + len - 4), len);
        if (type == 1) {  // Interface Description Block
            EXPECT_EQ(native16(b, at + 8), 1U);  // LINKTYPE_ETHERNET
            interfaces.push_back(optionsOf(b, at + 16, at + len - 4));
        } else {
            ASSERT_EQ(type, 6U);  // Enhanced Packet Block
            ASSERT_LT(index, samples.size());
            SCOPED_TRACE(samples[index].name);
            const auto bytes = serialize(samples[index].frame);
            EXPECT_EQ(native32(b, at + 8), 0U);  // interface 0
            const std::uint64_t t = (std::uint64_t{native32(b, at + 12)} << 32) | native32(b, at + 16);
            EXPECT_EQ(t, timeOf(index));
            EXPECT_EQ(native32(b, at + 20), bytes.size());
            EXPECT_EQ(native32(b, at + 24), bytes.size());
            EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), b.begin() + static_cast<long>(at + 28)));
            const auto options = optionsOf(b, at + 28 + ((bytes.size() + 3) & ~std::size_t{3}), at + len - 4);
            if (index % 2 == 1) {
                EXPECT_EQ(options.at(1), "sample " + samples[index].name);
            } else {
                EXPECT_TRUE(options.empty());
            }
            ++index;
        }
        at += len;
    }
    EXPECT_EQ(index, samples.size());
    ASSERT_EQ(interfaces.size(), 2U);
    EXPECT_EQ(interfaces[0].at(2), "eth0");
    EXPECT_EQ(interfaces[0].at(3), "eth0 of web-1");
    EXPECT_EQ(interfaces[1].at(2), "br-0123456789ab@host1");
    EXPECT_EQ(interfaces[1].count(3), 0U);
}

TEST(PcapngWriter, LibpcapReadsEveryFrameBack) {
    TempFile file("libpcap");
    writeSamples(file.path());
    std::array<char, PCAP_ERRBUF_SIZE> err{};
    pcap_t* in = pcap_open_offline(file.path().c_str(), err.data());
    ASSERT_NE(in, nullptr) << err.data();
    EXPECT_EQ(pcap_datalink(in), DLT_EN10MB);
    std::size_t index = 0;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const auto samples = allSamples();
    while (pcap_next_ex(in, &header, &data) == 1) {
        ASSERT_LT(index, samples.size());
        const auto bytes = serialize(samples[index].frame);
        EXPECT_EQ(header->caplen, bytes.size());
        EXPECT_EQ(static_cast<std::uint64_t>(header->ts.tv_sec) * 1'000'000 +
                      static_cast<std::uint64_t>(header->ts.tv_usec),
                  timeOf(index));
        EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), data));
        ++index;
    }
    pcap_close(in);
    EXPECT_EQ(index, samples.size());
}

TEST(PcapngWriter, UnwritablePathIsASystemErrorNamingTheFile) {
    const fs::path bad = "/nonexistent-cnmlab-dir/out.pcapng";
    try {
        PcapngWriter writer(bad);
        FAIL() << "expected an error";
    } catch (const model::Error& e) {
        EXPECT_EQ(e.kind(), model::ErrorKind::System);
        EXPECT_NE(e.message().find(bad.string()), std::string::npos) << e.message();
    }
}

TEST(PcapngWriter, WritingAfterCloseOrOnAnUndeclaredInterfaceIsAnError) {
    TempFile file("closed");
    PcapngWriter writer(file.path());
    EXPECT_THROW(writer.write(0, arpRequest(), 0), std::out_of_range);
    writer.addInterface("eth0", "");
    writer.close();
    EXPECT_THROW(writer.write(0, arpRequest(), 0), model::Error);
    PcapngWriter moved(std::move(writer));
    EXPECT_EQ(moved.path(), file.path());
}

// ---- tshark ---------------------------------------------------------------------

// Runs argv[0] with stdout captured (stderr discarded) via posix_spawn — the
// project does not use system()/popen. Returns nullopt if it cannot start.
struct ProcessOutput {
    int exitStatus = -1;
    std::string out;
};

std::optional<ProcessOutput> runCapturingStdout(const std::vector<std::string>& argv) {
    std::array<int, 2> pipeFds{};
    if (pipe(pipeFds.data()) != 0) {
        return std::nullopt;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
    posix_spawn_file_actions_addclose(&actions, pipeFds[1]);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));  // posix_spawn's signature predates const
    }
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipeFds[1]);
    if (rc != 0) {
        close(pipeFds[0]);
        return std::nullopt;
    }
    ProcessOutput result;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = read(pipeFds[0], buffer.data(), buffer.size())) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) {
            result.out.append(buffer.data(), static_cast<std::size_t>(n));
        }
    }
    close(pipeFds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// tshark -V prints each frame as a block starting with "Frame N:" in column 0.
std::vector<std::string> splitFrames(const std::string& text) {
    std::vector<std::string> frames;
    std::size_t at = text.rfind("Frame ", 0) == 0 ? 0 : text.find("\nFrame ");
    while (at != std::string::npos) {
        const std::size_t next = text.find("\nFrame ", at + 1);
        frames.push_back(text.substr(at, next == std::string::npos ? next : next - at));
        at = next;
    }
    return frames;
}

std::string protocolsOf(const std::string& frame) {
    const std::string key = "[Protocols in frame: ";
    const std::size_t at = frame.find(key);
    if (at == std::string::npos) {
        return {};
    }
    const std::size_t begin = at + key.size();
    return frame.substr(begin, frame.find(']', begin) - begin);
}

// What tshark 4.x reports in "[Protocols in frame: ...]" for each sample (TCP
// payload shows as "TCP payload", not as a "data" layer).
std::string expectedProtocols(const std::string& name) {
    if (name.rfind("arp", 0) == 0) {
        return "eth:ethertype:arp";
    }
    if (name.rfind("echo", 0) == 0) {
        return "eth:ethertype:ip:icmp:data";
    }
    if (name.rfind("tcp", 0) == 0) {
        return "eth:ethertype:ip:tcp";
    }
    if (name == "udpProbe") {
        return "eth:ethertype:ip:udp:data";
    }
    if (name.rfind("dns", 0) == 0) {
        return "eth:ethertype:ip:udp:dns";
    }
    if (name == "portUnreachable") {
        return "eth:ethertype:ip:icmp:ip:udp";
    }
    if (name == "timeExceeded") {
        return "eth:ethertype:ip:icmp:ip:tcp";
    }
    if (name == "adminProhibitedPing") {
        return "eth:ethertype:ip:icmp:ip:icmp";
    }
    if (name == "vxlanTcp") {
        return "eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp";
    }
    if (name == "vxlanArp") {
        return "eth:ethertype:ip:udp:vxlan:eth:ethertype:arp";
    }
    return "?";
}

TEST(PcapTshark, DecodesEveryFrameWithGoodChecksums) {
    if (!fs::exists(kTshark)) {
        GTEST_SKIP() << kTshark << " is not installed; cannot cross-check the pcap";
    }
    TempFile file("tshark");
    writeSamples(file.path());
    const auto result = runCapturingStdout(
        {kTshark, "-r", file.path().string(), "-V", "-n", "-o", "ip.check_checksum:TRUE", "-o",
         "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"});
    ASSERT_TRUE(result) << "could not start " << kTshark;
    ASSERT_EQ(result->exitStatus, 0) << result->out;
    const auto frames = splitFrames(result->out);
    const auto samples = allSamples();
    ASSERT_EQ(frames.size(), samples.size()) << result->out;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const std::string& text = frames[i];
        SCOPED_TRACE(samples[i].name + "\n" + text);
        EXPECT_EQ(protocolsOf(text), expectedProtocols(samples[i].name));
        for (const char* bad : {"Malformed", "Bad checksum", "Status: Bad", "status: Bad",
                                "[Checksum Status: Bad]", "Expert Info (Error", "incorrect"}) {
            EXPECT_EQ(text.find(bad), std::string::npos) << bad;
        }
        if (samples[i].frame.ethertype == kEtherTypeIpv4) {
            EXPECT_NE(text.find("[Header checksum status: Good]"), std::string::npos);
            EXPECT_NE(text.find("[Checksum Status: Good]"), std::string::npos);
        }
    }
}

// ---- the capture of a trace -------------------------------------------------------

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
std::vector<std::vector<std::string>> fields(const fs::path& path, const std::vector<std::string>& names) {
    std::vector<std::string> argv = {kTshark, "-r", path.string(), "-n", "-T", "fields", "-E",
                                     "separator=/t"};
    for (const auto& n : names) {
        argv.push_back("-e");
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
    const std::string bridge = *std::find_if(names.begin(), names.end(), [](const std::string& n) {
        return n.rfind("br-", 0) == 0;
    });
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
    const auto rows = fields(file.path(), {"frame.number", "frame.interface_name", "frame.comment"});
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
