// PcapngWriter: the blocks read back by hand and by libpcap, and tshark (when
// installed) decoding every kind of frame the simulator sends with checksum
// validation on.
#include <gtest/gtest.h>

#include <pcap/pcap.h>

#include <map>
#include <string>
#include <vector>

#include "model/error.hpp"
#include "packet/packet_codec.hpp"
#include "packet/pcapng_writer.hpp"
#include "tests/packet/sample_frames.hpp"
#include "tests/packet/test_files.hpp"

namespace cnmlab::packet {
namespace {

using namespace cnmlab::packet::testing;
using namespace cnmlab::testing;
namespace fs = std::filesystem;

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
    writer.close();
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
    EXPECT_EQ(native32(b, at - 4), at);  // the length at both ends
    std::vector<std::map<std::uint16_t, std::string>> interfaces;
    std::size_t index = 0;
    const auto samples = allSamples();
    while (at < b.size()) {
        const std::uint32_t type = native32(b, at);
        const std::uint32_t len = native32(b, at + 4);
        ASSERT_EQ(len % 4, 0U);
        ASSERT_LE(at + len, b.size());
        ASSERT_EQ(native32(b, at + len - 4), len);
        if (type == 1) {                         // Interface Description Block
            EXPECT_EQ(native16(b, at + 8), 1U);  // LINKTYPE_ETHERNET
            interfaces.push_back(optionsOf(b, at + 16, at + len - 4));
        } else {
            ASSERT_EQ(type, 6U);  // Enhanced Packet Block
            ASSERT_LT(index, samples.size());
            SCOPED_TRACE(samples[index].name);
            const auto bytes = serialize(samples[index].frame);
            EXPECT_EQ(native32(b, at + 8), 0U);  // interface 0
            const std::uint64_t t =
                (std::uint64_t{native32(b, at + 12)} << 32) | native32(b, at + 16);
            EXPECT_EQ(t, timeOf(index));
            EXPECT_EQ(native32(b, at + 20), bytes.size());
            EXPECT_EQ(native32(b, at + 24), bytes.size());
            EXPECT_TRUE(
                std::equal(bytes.begin(), bytes.end(), b.begin() + static_cast<long>(at + 28)));
            const auto options =
                optionsOf(b, at + 28 + ((bytes.size() + 3) & ~std::size_t{3}), at + len - 4);
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
    // The moved-to writer is the same closed file, and its errors name it.
    PcapngWriter moved(std::move(writer));
    try {
        moved.write(0, arpRequest(), 0);
        FAIL() << "wrote to a closed writer";
    } catch (const model::Error& e) {
        EXPECT_NE(e.message().find(file.path().string()), std::string::npos) << e.message();
    }
}

// ---- tshark ---------------------------------------------------------------------

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
}  // namespace cnmlab::packet
