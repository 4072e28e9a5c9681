#pragma once
// Writes frames to a pcap file (Ethernet link type, microsecond timestamps)
// that Wireshark and tshark open. Subscribers of the simulator's trace events
// (`trace --pcap`, the studio's "Save capture") own one writer per file.
// libpcap does the file format; this class adds RAII and cnmlab's errors.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "sim/frame.hpp"

// libpcap's handle types, declared here so that only pcap_writer.cpp includes
// <pcap.h> (cnmlab_sim links libpcap PRIVATE).
struct pcap;
struct pcap_dumper;

namespace cnmlab::sim {

class PcapWriter {
public:
    // Creates (or truncates) `path` and writes the pcap file header.
    // Throws model::Error{System} naming the file if it cannot be opened.
    explicit PcapWriter(std::filesystem::path path);
    ~PcapWriter();
    PcapWriter(PcapWriter&&) noexcept;
    PcapWriter& operator=(PcapWriter&&) noexcept;
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    // Appends serialize(frame) stamped `timeUs` simulated microseconds after
    // the epoch (a trace starting at t=0 shows as 1970-01-01 in Wireshark).
    void write(const Frame& frame, std::uint64_t timeUs);
    // Appends raw frame bytes; frames longer than 65535 bytes are cut there
    // (the snapshot length), the record keeping their original length.
    void write(std::span<const std::uint8_t> bytes, std::uint64_t timeUs);

    // Flushes and closes the file; throws model::Error{System} if any write
    // failed. The destructor closes too but cannot report errors, so callers
    // that care call close(). A closed writer must not be written to.
    void close();

    const std::filesystem::path& path() const { return m_path; }
    std::size_t frameCount() const { return m_frames; }

private:
    struct PcapCloser {
        void operator()(pcap* handle) const;
    };
    struct DumperCloser {
        void operator()(pcap_dumper* dumper) const;
    };

    std::filesystem::path m_path;
    std::unique_ptr<pcap, PcapCloser> m_pcap;  // destroyed after m_dumper
    std::unique_ptr<pcap_dumper, DumperCloser> m_dumper;
    std::size_t m_frames = 0;
};

}  // namespace cnmlab::sim
