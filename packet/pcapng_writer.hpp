#pragma once
// Writes frames to a pcapng file that Wireshark, tshark and libpcap open: one
// Section Header Block, one Interface Description Block per capture point
// (Ethernet, microsecond timestamps, its name and a description of where it
// is), and an Enhanced Packet Block per frame with the interface it was seen
// on and an optional comment. The block layout is the one of the pcapng
// specification (draft-ietf-opsawg-pcapng), in the writer's byte order.
//
// Written here rather than with libpcap: libpcap (1.10, Debian 12) writes only
// classic pcap, which has a single interface per file; it reads pcapng, and the
// tests read these files back with it.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packet/frame.hpp"

namespace cnmlab::packet {

class PcapngWriter {
public:
    // Creates (or truncates) `path` and writes the section header. Throws
    // model::Error{System} naming the file if it cannot be opened.
    explicit PcapngWriter(std::filesystem::path path);
    ~PcapngWriter();
    PcapngWriter(PcapngWriter&&) noexcept;
    PcapngWriter& operator=(PcapngWriter&&) noexcept;
    PcapngWriter(const PcapngWriter&) = delete;
    PcapngWriter& operator=(const PcapngWriter&) = delete;

    // Declares a capture point (an Ethernet interface); returns its id, the
    // number frames written on it carry. Interfaces are best declared before
    // the first frame: some readers expect them there.
    std::uint32_t addInterface(std::string_view name, std::string_view description);

    // Appends serialize(frame), seen on `interface`, stamped `timeUs` simulated
    // microseconds after the epoch (a trace starting at t=0 shows as 1970-01-01
    // in Wireshark), with `comment` as the packet's comment when not empty.
    void write(std::uint32_t interface, const Frame& frame, std::uint64_t timeUs,
               std::string_view comment = {});
    void write(std::uint32_t interface, std::span<const std::uint8_t> bytes, std::uint64_t timeUs,
               std::string_view comment = {});

    // Flushes and closes the file; throws model::Error{System} if any write
    // failed. The destructor closes too but cannot report errors, so callers
    // that care call close(). A closed writer must not be written to.
    void close();

private:
    struct FileCloser {
        void operator()(std::FILE* file) const;
    };
    void put(const std::vector<std::uint8_t>& block);

    std::filesystem::path m_path;
    std::unique_ptr<std::FILE, FileCloser> m_file;
    bool m_failed = false;
    int m_errno = 0;
    std::uint32_t m_interfaces = 0;
};

}  // namespace cnmlab::packet
