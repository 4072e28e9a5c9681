#include "sim/pcap_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <pcap/pcap.h>

#include "model/error.hpp"
#include "sim/packet_codec.hpp"

namespace cnmlab::sim {

namespace {

constexpr int kSnapLength = 65535;

model::Error fileError(const std::filesystem::path& path, const std::string& what) {
    return {model::ErrorKind::System,
            fmt::format("cannot write pcap file {}: {}", path.string(), what)};
}

}  // namespace

void PcapWriter::PcapCloser::operator()(pcap* handle) const {
    pcap_close(handle);
}

void PcapWriter::DumperCloser::operator()(pcap_dumper* dumper) const {
    pcap_dump_close(dumper);
}

PcapWriter::PcapWriter(std::filesystem::path path)
    : m_path(std::move(path)), m_pcap(pcap_open_dead(DLT_EN10MB, kSnapLength)) {
    if (!m_pcap) {
        throw fileError(m_path, "pcap_open_dead failed");
    }
    errno = 0;
    m_dumper.reset(pcap_dump_open(m_pcap.get(), m_path.c_str()));
    if (!m_dumper) {
        throw fileError(m_path, pcap_geterr(m_pcap.get()));
    }
}

PcapWriter::~PcapWriter() = default;
PcapWriter::PcapWriter(PcapWriter&&) noexcept = default;
PcapWriter& PcapWriter::operator=(PcapWriter&&) noexcept = default;

void PcapWriter::write(const Frame& frame, std::uint64_t timeUs) {
    const std::vector<std::uint8_t> bytes = serialize(frame);
    write(bytes, timeUs);
}

void PcapWriter::write(std::span<const std::uint8_t> bytes, std::uint64_t timeUs) {
    if (!m_dumper) {
        throw fileError(m_path, "the writer is closed");
    }
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(timeUs / 1'000'000);
    header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>(timeUs % 1'000'000);
    header.len = static_cast<bpf_u_int32>(bytes.size());
    header.caplen = static_cast<bpf_u_int32>(std::min<std::size_t>(bytes.size(), kSnapLength));
    // pcap_dump's first argument is the dumper, typed u_char* for pcap_loop's sake.
    pcap_dump(reinterpret_cast<u_char*>(m_dumper.get()), &header, bytes.data());
    ++m_frames;
}

void PcapWriter::close() {
    if (!m_dumper) {
        return;
    }
    std::FILE* file = pcap_dump_file(m_dumper.get());
    const bool failed = pcap_dump_flush(m_dumper.get()) != 0 || std::ferror(file) != 0;
    const int savedErrno = errno;
    m_dumper.reset();
    m_pcap.reset();
    if (failed) {
        throw fileError(m_path, savedErrno != 0 ? std::strerror(savedErrno) : "write failed");
    }
}

}  // namespace cnmlab::sim
