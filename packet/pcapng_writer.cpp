#include "packet/pcapng_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "model/error.hpp"
#include "packet/packet_codec.hpp"

namespace cnmlab::packet {

namespace {

// Block types and option codes of the pcapng specification.
constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kEndOfOptions = 0;
constexpr std::uint16_t kComment = 1;
constexpr std::uint16_t kShbUserApplication = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kLinktypeEthernet = 1;
// Frames longer than this are cut there, the block keeping their length.
constexpr std::size_t kSnapLength = 262144;

model::Error fileError(const std::filesystem::path& path, const std::string& what) {
    return {model::ErrorKind::System,
            fmt::format("cannot write pcapng file {}: {}", path.string(), what)};
}

// A block under construction: type, a placeholder length, the body, then the
// length again at both ends once the body is complete.
class Block {
public:
    explicit Block(std::uint32_t type) {
        u32(type);
        u32(0);
    }
    void u16(std::uint16_t v) { raw(&v, sizeof v); }
    void u32(std::uint32_t v) { raw(&v, sizeof v); }
    void u64(std::uint64_t v) { raw(&v, sizeof v); }
    void bytes(std::span<const std::uint8_t> b) {
        m_out.insert(m_out.end(), b.begin(), b.end());
        pad();
    }
    // An option: code, length, value padded to 32 bits. Values longer than an
    // option can hold are cut (an option's length is 16 bits).
    void option(std::uint16_t code, std::string_view value) {
        const std::size_t n = std::min<std::size_t>(value.size(), 0xFFF0);
        u16(code);
        u16(static_cast<std::uint16_t>(n));
        m_out.insert(m_out.end(), value.begin(), value.begin() + static_cast<long>(n));
        pad();
    }
    void endOptions() {
        u16(kEndOfOptions);
        u16(0);
    }
    std::vector<std::uint8_t> finish() {
        const auto total = static_cast<std::uint32_t>(m_out.size() + 4);
        u32(total);
        std::memcpy(m_out.data() + 4, &total, sizeof total);
        return std::move(m_out);
    }

private:
    void raw(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        m_out.insert(m_out.end(), b, b + n);
    }
    void pad() { m_out.resize((m_out.size() + 3) & ~std::size_t{3}, 0); }
    std::vector<std::uint8_t> m_out;
};

}  // namespace

void PcapngWriter::FileCloser::operator()(std::FILE* file) const {
    std::fclose(file);
}

PcapngWriter::PcapngWriter(std::filesystem::path path) : m_path(std::move(path)) {
    errno = 0;
    m_file.reset(std::fopen(m_path.c_str(), "wb"));
    if (!m_file) {
        throw fileError(m_path, std::strerror(errno != 0 ? errno : EIO));
    }
    Block shb(kSectionHeader);
    shb.u32(kByteOrderMagic);
    shb.u16(1);  // version 1.0
    shb.u16(0);
    shb.u64(~std::uint64_t{0});  // section length not given
    shb.option(kShbUserApplication, "cnmlab (simulated trace)");
    shb.endOptions();
    put(shb.finish());
}

PcapngWriter::~PcapngWriter() = default;
PcapngWriter::PcapngWriter(PcapngWriter&&) noexcept = default;
PcapngWriter& PcapngWriter::operator=(PcapngWriter&&) noexcept = default;

std::uint32_t PcapngWriter::addInterface(std::string_view name, std::string_view description) {
    Block idb(kInterfaceDescription);
    idb.u16(kLinktypeEthernet);
    idb.u16(0);
    idb.u32(static_cast<std::uint32_t>(kSnapLength));
    idb.option(kIfName, name);
    if (!description.empty()) {
        idb.option(kIfDescription, description);
    }
    // No if_tsresol: the default resolution is microseconds, the simulation's.
    idb.endOptions();
    put(idb.finish());
    return m_interfaces++;
}

void PcapngWriter::write(std::uint32_t interface, const Frame& frame, std::uint64_t timeUs,
                         std::string_view comment) {
    const std::vector<std::uint8_t> bytes = serialize(frame);
    write(interface, bytes, timeUs, comment);
}

void PcapngWriter::write(std::uint32_t interface, std::span<const std::uint8_t> bytes,
                         std::uint64_t timeUs, std::string_view comment) {
    if (interface >= m_interfaces) {
        throw std::out_of_range(fmt::format("pcapng: a frame on interface {}, but {} declared",
                                            interface, m_interfaces));
    }
    const std::span<const std::uint8_t> kept = bytes.first(std::min(bytes.size(), kSnapLength));
    Block epb(kEnhancedPacket);
    epb.u32(interface);
    epb.u32(static_cast<std::uint32_t>(timeUs >> 32));
    epb.u32(static_cast<std::uint32_t>(timeUs & 0xFFFFFFFFU));
    epb.u32(static_cast<std::uint32_t>(kept.size()));
    epb.u32(static_cast<std::uint32_t>(bytes.size()));
    epb.bytes(kept);
    if (!comment.empty()) {
        epb.option(kComment, comment);
        epb.endOptions();
    }
    put(epb.finish());
}

void PcapngWriter::put(const std::vector<std::uint8_t>& block) {
    if (!m_file) {
        throw fileError(m_path, "the writer is closed");
    }
    if (std::fwrite(block.data(), 1, block.size(), m_file.get()) != block.size() && !m_failed) {
        m_failed = true;
        m_errno = errno;
    }
}

void PcapngWriter::close() {
    if (!m_file) {
        return;
    }
    bool failed = m_failed;
    int err = m_errno;
    if (std::fflush(m_file.get()) != 0 && !failed) {
        failed = true;
        err = errno;
    }
    std::FILE* file = m_file.release();
    if (std::fclose(file) != 0 && !failed) {
        failed = true;
        err = errno;
    }
    if (failed) {
        throw fileError(m_path, err != 0 ? std::strerror(err) : "write failed");
    }
}

}  // namespace cnmlab::packet
