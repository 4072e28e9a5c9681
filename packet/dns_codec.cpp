#include "packet/dns_codec.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "packet/wire.hpp"

namespace cnmlab::packet {

namespace {

constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kPointerToQuestion = 0xc00c;
constexpr std::size_t kMaxLabel = 63;
constexpr int kMaxNameHops = 32;  // compression pointers followed before giving up

std::uint16_t flagsWord(const DnsMessage& m) {
    std::uint16_t flags = 0;
    if (m.response) {
        flags |= 0x8000;
    }
    if (m.recursionDesired) {
        flags |= 0x0100;
    }
    if (m.recursionAvailable) {
        flags |= 0x0080;
    }
    return static_cast<std::uint16_t>(flags | (m.rcode & 0x0f));
}

// Reads a possibly compressed name at `at`. `end` receives the offset just past
// the name's bytes in place (after the first pointer, if any).
std::optional<std::string> readName(std::span<const std::uint8_t> b, std::size_t at,
                                    std::size_t& end) {
    std::string name;
    bool jumped = false;
    for (int hops = 0; hops < kMaxNameHops;) {
        if (at >= b.size()) {
            return std::nullopt;
        }
        const std::uint8_t len = b[at];
        if ((len & 0xc0) == 0xc0) {
            if (at + 1 >= b.size()) {
                return std::nullopt;
            }
            if (!jumped) {
                end = at + 2;
                jumped = true;
            }
            at = wire::get16(b, at) & 0x3fffu;
            ++hops;
            continue;
        }
        if ((len & 0xc0) != 0) {
            return std::nullopt;  // 0x40/0x80 label types are obsolete
        }
        if (len == 0) {
            if (!jumped) {
                end = at + 1;
            }
            return name;
        }
        if (at + 1 + len > b.size()) {
            return std::nullopt;
        }
        if (!name.empty()) {
            name += '.';
        }
        name.append(b.begin() + static_cast<std::ptrdiff_t>(at + 1),
                    b.begin() + static_cast<std::ptrdiff_t>(at + 1 + len));
        at += 1 + std::size_t{len};
    }
    return std::nullopt;
}

struct RecordHead {
    std::string name;
    std::uint16_t type = 0;
    std::uint16_t cls = 0;
    std::uint32_t ttl = 0;
    std::uint16_t rdLength = 0;
    std::size_t nameEnd = 0;  // offset of TYPE
    std::size_t rdataAt = 0;  // offset of RDATA
};

std::optional<RecordHead> readRecord(std::span<const std::uint8_t> b, std::size_t at) {
    RecordHead r;
    auto name = readName(b, at, r.nameEnd);
    if (!name || r.nameEnd + 10 > b.size()) {
        return std::nullopt;
    }
    r.name = std::move(*name);
    r.type = wire::get16(b, r.nameEnd);
    r.cls = wire::get16(b, r.nameEnd + 2);
    r.ttl = wire::get32(b, r.nameEnd + 4);
    r.rdLength = wire::get16(b, r.nameEnd + 8);
    r.rdataAt = r.nameEnd + 10;
    if (r.rdataAt + r.rdLength > b.size()) {
        return std::nullopt;
    }
    return r;
}

void add(std::vector<Field>& out, std::string name, std::string value, std::size_t offset,
         std::size_t length, int depth) {
    out.push_back(Field{std::move(name), std::move(value), offset, length, depth});
}

std::string flagsSummary(std::uint16_t flags) {
    const bool response = (flags & 0x8000) != 0;
    if (!response) {
        return fmt::format("0x{:04x} Standard query", flags);
    }
    return fmt::format("0x{:04x} Standard query response, {}", flags,
                       dnsRcodeStr(static_cast<std::uint8_t>(flags & 0x0f)));
}

void describeFlags(std::uint16_t flags, std::size_t at, int depth, std::vector<Field>& out) {
    auto bit = [&](const char* name, std::uint16_t mask, const char* set, const char* clear) {
        add(out, name, (flags & mask) != 0 ? set : clear, at, 2, depth + 1);
    };
    add(out, "Flags", flagsSummary(flags), at, 2, depth);
    bit("Response", 0x8000, "Message is a response", "Message is a query");
    bit("Recursion desired", 0x0100, "Do query recursively", "Do not query recursively");
    if ((flags & 0x8000) != 0) {
        bit("Recursion available", 0x0080, "Server can do recursive queries",
            "Server can't do recursive queries");
        add(out, "Reply code", dnsRcodeStr(static_cast<std::uint8_t>(flags & 0x0f)), at, 2,
            depth + 1);
    }
}

// The question section; returns the offset after it, or nullopt.
std::optional<std::size_t> describeQuestions(std::span<const std::uint8_t> b, std::size_t base,
                                             std::uint16_t count, int depth,
                                             std::vector<Field>& out) {
    std::size_t at = kDnsHeaderSize;
    if (count == 0) {
        return at;
    }
    const std::size_t header = out.size();
    add(out, "Queries", "", base + at, 0, depth);
    for (std::uint16_t i = 0; i < count; ++i) {
        std::size_t end = 0;
        auto name = readName(b, at, end);
        if (!name || end + 4 > b.size()) {
            return std::nullopt;
        }
        const std::uint16_t type = wire::get16(b, end);
        add(out, *name, fmt::format("type {}, class IN", dnsTypeStr(type)), base + at, end + 4 - at,
            depth + 1);
        add(out, "Name", *name, base + at, end - at, depth + 2);
        add(out, "Type", fmt::format("{} ({})", dnsTypeStr(type), type), base + end, 2, depth + 2);
        add(out, "Class", fmt::format("IN (0x{:04x})", wire::get16(b, end + 2)), base + end + 2, 2,
            depth + 2);
        at = end + 4;
    }
    out[header].length = at - kDnsHeaderSize;
    return at;
}

void describeAnswer(std::span<const std::uint8_t> b, std::size_t base, const RecordHead& r,
                    std::size_t at, int depth, std::vector<Field>& out) {
    const bool isA = r.type == kTypeA && r.rdLength == 4;
    const std::string addr = isA ? wire::getIp(b, r.rdataAt).str() : std::string{};
    add(out, r.name,
        fmt::format("type {}, class IN{}", dnsTypeStr(r.type), isA ? ", addr " + addr : ""),
        base + at, r.rdataAt + r.rdLength - at, depth);
    add(out, "Name", r.name, base + at, r.nameEnd - at, depth + 1);
    add(out, "Type", fmt::format("{} ({})", dnsTypeStr(r.type), r.type), base + r.nameEnd, 2,
        depth + 1);
    add(out, "Class", fmt::format("IN (0x{:04x})", r.cls), base + r.nameEnd + 2, 2, depth + 1);
    add(out, "Time to live", fmt::format("{} ({} seconds)", r.ttl, r.ttl), base + r.nameEnd + 4, 4,
        depth + 1);
    add(out, "Data length", std::to_string(r.rdLength), base + r.nameEnd + 8, 2, depth + 1);
    if (r.rdLength > 0) {
        add(out, isA ? "Address" : "Data", isA ? addr : fmt::format("{} bytes", r.rdLength),
            base + r.rdataAt, r.rdLength, depth + 1);
    }
}

}  // namespace

namespace {

// Calls label(start, length) for each label of `name` as encodeDnsName writes
// them: empty labels dropped, long ones cut to kMaxLabel.
template <typename Label> void forEachLabel(const std::string& name, Label label) {
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string::npos) {
            dot = name.size();
        }
        const std::size_t len = std::min(dot - start, kMaxLabel);
        if (len > 0) {
            label(start, len);
        }
        start = dot + 1;
    }
}

std::size_t dnsNameSize(const std::string& name) {
    std::size_t size = 1;  // the root label
    forEachLabel(name, [&](std::size_t, std::size_t len) { size += 1 + len; });
    return size;
}

}  // namespace

std::vector<std::uint8_t> encodeDnsName(const std::string& name) {
    std::vector<std::uint8_t> out;
    forEachLabel(name, [&](std::size_t start, std::size_t len) {
        out.push_back(static_cast<std::uint8_t>(len));
        out.insert(out.end(), name.begin() + static_cast<std::ptrdiff_t>(start),
                   name.begin() + static_cast<std::ptrdiff_t>(start + len));
    });
    out.push_back(0);
    return out;
}

std::size_t dnsSize(const DnsMessage& m) {
    constexpr std::size_t kQuestionTail = 4;  // QTYPE, QCLASS
    constexpr std::size_t kAnswerTail = 14;   // TYPE, CLASS, TTL, RDLENGTH, the address
    std::size_t size = kDnsHeaderSize + dnsNameSize(m.qname) + kQuestionTail;
    for (const DnsAnswer& a : m.answers) {
        size += (a.name == m.qname ? 2 : dnsNameSize(a.name)) + kAnswerTail;
    }
    return size;
}

std::vector<std::uint8_t> encodeDns(const DnsMessage& m) {
    std::vector<std::uint8_t> out;
    wire::put16(out, m.id);
    wire::put16(out, flagsWord(m));
    wire::put16(out, 1);  // QDCOUNT
    wire::put16(out, static_cast<std::uint16_t>(m.answers.size()));
    wire::put16(out, 0);  // NSCOUNT
    wire::put16(out, 0);  // ARCOUNT
    const auto qname = encodeDnsName(m.qname);
    out.insert(out.end(), qname.begin(), qname.end());
    wire::put16(out, m.qtype);
    wire::put16(out, kClassIn);
    for (const DnsAnswer& a : m.answers) {
        if (a.name == m.qname) {
            wire::put16(out, kPointerToQuestion);
        } else {
            const auto name = encodeDnsName(a.name);
            out.insert(out.end(), name.begin(), name.end());
        }
        wire::put16(out, kTypeA);
        wire::put16(out, kClassIn);
        wire::put32(out, a.ttl);
        wire::put16(out, 4);  // RDLENGTH
        wire::putIp(out, a.address);
    }
    return out;
}

std::optional<DnsMessage> decodeDns(std::span<const std::uint8_t> b) {
    if (b.size() < kDnsHeaderSize) {
        return std::nullopt;
    }
    DnsMessage m;
    m.id = wire::get16(b, 0);
    const std::uint16_t flags = wire::get16(b, 2);
    m.response = (flags & 0x8000) != 0;
    m.recursionDesired = (flags & 0x0100) != 0;
    m.recursionAvailable = (flags & 0x0080) != 0;
    m.rcode = static_cast<std::uint8_t>(flags & 0x0f);
    const std::uint16_t qdCount = wire::get16(b, 4);
    const std::uint16_t anCount = wire::get16(b, 6);
    if (qdCount == 0) {
        return std::nullopt;  // a DnsMessage always has its question
    }
    std::size_t at = kDnsHeaderSize;
    for (std::uint16_t i = 0; i < qdCount; ++i) {
        std::size_t end = 0;
        auto name = readName(b, at, end);
        if (!name || end + 4 > b.size()) {
            return std::nullopt;
        }
        if (i == 0) {
            m.qname = std::move(*name);
            m.qtype = wire::get16(b, end);
        }
        at = end + 4;
    }
    for (std::uint16_t i = 0; i < anCount; ++i) {
        auto r = readRecord(b, at);
        if (!r) {
            return std::nullopt;
        }
        if (r->type == kTypeA && r->cls == kClassIn && r->rdLength == 4) {
            m.answers.push_back(DnsAnswer{r->name, wire::getIp(b, r->rdataAt), r->ttl});
        }
        at = r->rdataAt + r->rdLength;
    }
    return m;
}

void describeDns(std::span<const std::uint8_t> b, std::size_t base, int depth,
                 std::vector<Field>& out) {
    if (b.size() < kDnsHeaderSize) {
        return;
    }
    const std::uint16_t flags = wire::get16(b, 2);
    add(out, fmt::format("Domain Name System ({})", (flags & 0x8000) != 0 ? "response" : "query"),
        "", base, b.size(), depth);
    const int d = depth + 1;
    add(out, "Transaction ID", fmt::format("0x{:04x}", wire::get16(b, 0)), base, 2, d);
    describeFlags(flags, base + 2, d, out);
    constexpr std::array<const char*, 4> counts = {"Questions", "Answer RRs", "Authority RRs",
                                                   "Additional RRs"};
    for (std::size_t i = 0; i < 4; ++i) {
        add(out, counts[i], std::to_string(wire::get16(b, 4 + 2 * i)), base + 4 + 2 * i, 2, d);
    }
    auto at = describeQuestions(b, base, wire::get16(b, 4), d, out);
    const std::uint16_t anCount = wire::get16(b, 6);
    if (!at || anCount == 0) {
        return;
    }
    const std::size_t header = out.size();
    add(out, "Answers", "", base + *at, 0, d);
    std::size_t pos = *at;
    for (std::uint16_t i = 0; i < anCount; ++i) {
        auto r = readRecord(b, pos);
        if (!r) {
            break;
        }
        describeAnswer(b, base, *r, pos, d + 1, out);
        pos = r->rdataAt + r->rdLength;
    }
    out[header].length = pos - *at;
}

std::string dnsTypeStr(std::uint16_t type) {
    switch (type) {
    case 1:
        return "A";
    case 2:
        return "NS";
    case 5:
        return "CNAME";
    case 6:
        return "SOA";
    case 12:
        return "PTR";
    case 15:
        return "MX";
    case 16:
        return "TXT";
    case 28:
        return "AAAA";
    case 33:
        return "SRV";
    default:
        return fmt::format("TYPE{}", type);
    }
}

std::string dnsRcodeStr(std::uint8_t rcode) {
    switch (rcode) {
    case 0:
        return "No error";
    case 1:
        return "Format error";
    case 2:
        return "Server failure";
    case 3:
        return "No such name";
    case 4:
        return "Not implemented";
    case 5:
        return "Refused";
    default:
        return fmt::format("Unknown ({})", rcode);
    }
}

}  // namespace cnmlab::packet
