// PcapWriter: the file format read back by hand, and tshark (when installed)
// decoding every kind of frame the simulator sends with checksum validation on.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/error.hpp"
#include "sim/packet_codec.hpp"
#include "sim/pcap_writer.hpp"
#include "tests/sim/sample_frames.hpp"

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
        : m_path(fs::temp_directory_path() / fmt::format("cnmlab-{}-{}.pcap", stem, getpid())) {}
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

void writeSamples(const fs::path& path) {
    PcapWriter writer(path);
    std::uint64_t index = 0;
    for (const auto& sample : allSamples()) {
        writer.write(sample.frame, timeOf(index++));
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

TEST(PcapWriter, WritesClassicPcapWithMicrosecondTimestamps) {
    TempFile file("format");
    writeSamples(file.path());
    const auto b = readAll(file.path());
    ASSERT_GE(b.size(), 24u);
    EXPECT_EQ(native32(b, 0), 0xa1b2c3d4u);  // microsecond resolution
    EXPECT_EQ(native32(b, 16), 65535u);      // snapshot length
    EXPECT_EQ(native32(b, 20), 1u);          // LINKTYPE_ETHERNET
    std::size_t at = 24;
    std::size_t index = 0;
    for (const auto& sample : allSamples()) {
        SCOPED_TRACE(sample.name);
        const auto bytes = serialize(sample.frame);
        ASSERT_LE(at + 16 + bytes.size(), b.size());
        EXPECT_EQ(native32(b, at), timeOf(index) / 1'000'000);
        EXPECT_EQ(native32(b, at + 4), timeOf(index) % 1'000'000);
        EXPECT_EQ(native32(b, at + 8), bytes.size());
        EXPECT_EQ(native32(b, at + 12), bytes.size());
        EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), b.begin() + static_cast<long>(at + 16)));
        at += 16 + bytes.size();
        ++index;
    }
    EXPECT_EQ(at, b.size());
}

TEST(PcapWriter, UnwritablePathIsASystemErrorNamingTheFile) {
    const fs::path bad = "/nonexistent-cnmlab-dir/out.pcap";
    try {
        PcapWriter writer(bad);
        FAIL() << "expected an error";
    } catch (const model::Error& e) {
        EXPECT_EQ(e.kind(), model::ErrorKind::System);
        EXPECT_NE(e.message().find(bad.string()), std::string::npos) << e.message();
    }
}

TEST(PcapWriter, WritingAfterCloseIsAnError) {
    TempFile file("closed");
    PcapWriter writer(file.path());
    writer.close();
    EXPECT_THROW(writer.write(arpRequest(), 0), model::Error);
    PcapWriter moved(std::move(writer));
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

}  // namespace
}  // namespace cnmlab::sim
