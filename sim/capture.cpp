#include "sim/capture.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "packet/packet_codec.hpp"
#include "packet/pcapng_writer.hpp"

namespace cnmlab::sim {

namespace {

// A bridge forwards (or floods) a frame within a microsecond or two of taking
// it in; the same bytes on the same segment this close together are that one
// frame. The kernel's own resends (ARP every second, TCP's SYN after a
// second) are far apart.
constexpr TimeUs kTransitUs = 50;

bool isTx(const Hop& h) {
    return h.action == action::kTx;
}

// The IPv4 packet of an Ethernet frame with the fields a router changes (TTL,
// header checksum) cleared: the same for a packet before and after a router
// that forwards it without NAT.
std::vector<std::uint8_t> routedIdentity(const std::vector<std::uint8_t>& frame) {
    constexpr std::size_t kEth = 14;
    if (frame.size() < kEth + 20 || frame[12] != 0x08 || frame[13] != 0x00) {
        return {};
    }
    std::vector<std::uint8_t> ip(frame.begin() + kEth, frame.end());
    ip[8] = 0;            // TTL
    ip[10] = ip[11] = 0;  // header checksum
    return ip;
}

}  // namespace

CapturePoints::CapturePoints(const World& world, std::string lang)
    : m_world(world), m_lang(std::move(lang)), m_parent(world.deviceCount()) {
    std::iota(m_parent.begin(), m_parent.end(), 0);
    auto join = [this](int a, int b) {
        const int ra = find(a);
        const int rb = find(b);
        if (ra != rb) {
            m_parent[static_cast<std::size_t>(std::max(ra, rb))] = std::min(ra, rb);
        }
    };
    for (std::size_t i = 0; i < world.deviceCount(); ++i) {
        const Device& d = world.device(static_cast<int>(i));
        if (d.kind == drivers::LinkKind::Veth && d.peer() >= 0) {
            join(static_cast<int>(i), d.peer());
        }
        if (d.master >= 0) {
            join(static_cast<int>(i), d.master);
        }
    }
}

int CapturePoints::find(int dev) const {
    auto& p = m_parent;
    while (p[static_cast<std::size_t>(dev)] != dev) {
        p[static_cast<std::size_t>(dev)] =
            p[static_cast<std::size_t>(p[static_cast<std::size_t>(dev)])];
        dev = p[static_cast<std::size_t>(dev)];
    }
    return dev;
}

int CapturePoints::deviceOf(const Hop& hop) const {
    const int ns = m_world.findNamespace(hop.node);
    if (ns < 0) {
        return -1;
    }
    for (int d : m_world.ns(ns).devices) {
        if (m_world.device(d).name == hop.device) {
            return d;
        }
    }
    return -1;
}

int CapturePoints::pointOf(const Hop& hop) const {
    if (!isTx(hop) || !hop.frame) {
        return -1;
    }
    const int dev = deviceOf(hop);
    if (dev < 0 || m_world.device(dev).kind != drivers::LinkKind::Veth ||
        m_world.device(dev).peer() < 0) {
        return -1;  // a macvlan or ipvlan slave hands its frame to its parent: no wire yet
    }
    return find(dev);
}

std::string CapturePoints::where(int dev) const {
    const Device& d = m_world.device(dev);
    const Namespace& ns = m_world.ns(d.ns);
    return m_lang == "zh" ? fmt::format("{} 的 {}", ns.nameZh, d.name)
                          : fmt::format("{} of {}", d.name, ns.name);
}

CapturePoint CapturePoints::point(int id) const {
    const bool zh = m_lang == "zh";
    std::vector<int> members;
    for (std::size_t i = 0; i < m_world.deviceCount(); ++i) {
        if (find(static_cast<int>(i)) == id) {
            members.push_back(static_cast<int>(i));
        }
    }
    auto bridge = std::find_if(members.begin(), members.end(), [this](int d) {
        return m_world.device(d).kind == drivers::LinkKind::Bridge;
    });
    CapturePoint out;
    if (bridge == members.end()) {
        // A veth pair on its own (the router's link to a machine beyond it).
        const Device& a = m_world.device(members.front());
        const Device& b = m_world.device(a.peer() >= 0 ? a.peer() : members.front());
        auto shortNs = [this](const Device& d) {
            const std::string& plan = m_world.ns(d.ns).planName;
            return plan.rfind('_', 0) == 0 ? plan.substr(1) : plan;
        };
        out.name = fmt::format("{}@{}~{}@{}", a.name, shortNs(a), b.name, shortNs(b));
        out.description =
            zh ? fmt::format("veth 对：{} ↔ {}", where(members.front()), where(a.peer()))
               : fmt::format("veth pair: {} ↔ {}", where(members.front()), where(a.peer()));
        return out;
    }
    const Device& br = m_world.device(*bridge);
    const Namespace& ns = m_world.ns(br.ns);
    std::vector<std::string> ports;
    const bool lan = ns.kind == drivers::NetnsKind::Lan;
    for (int p : br.as<Bridge>()->ports) {
        const Device& port = m_world.device(p);
        if (port.peer() < 0) {
            continue;
        }
        ports.push_back(lan ? where(port.peer())
                            : fmt::format("{} ↔ {}", port.name, where(port.peer())));
    }
    const std::string list = fmt::format("{}", fmt::join(ports, zh ? "、" : ", "));
    if (lan) {
        out.name = "LAN";
        out.description = zh ? fmt::format("主机所在局域网的交换机，连接 {}", list)
                             : fmt::format("the hosts' LAN switch, with {}", list);
    } else {
        const std::string host = ns.host.empty() ? ns.name : ns.host;
        out.name = fmt::format("{}@{}", br.name, host);
        out.description = zh ? fmt::format("{} 中的网桥 {}，端口：{}", ns.nameZh, br.name, list)
                             : fmt::format("bridge {} in {}, ports: {}", br.name, ns.name, list);
    }
    return out;
}

// The IPv4 TTL in an Ethernet frame: after the 14-byte Ethernet header, byte 8.
constexpr std::size_t kTtlOffset = 14 + 8;

std::size_t writeCapture(const World& world, const ProbeRecord& record,
                         const std::filesystem::path& path, const std::string& lang) {
    const bool zh = lang == "zh";
    const CapturePoints points(world, lang);
    struct Seen {
        std::vector<std::uint8_t> bytes;
        TimeUs t = 0;
    };
    struct Out {
        int point = -1;
        std::vector<std::uint8_t> bytes;
        TimeUs t = 0;
        std::string comment;
    };
    std::map<int, std::vector<Seen>> recent;  // point -> frames in transit there
    struct FirstSeen {
        std::size_t frame = 0;
        int point = -1;
        std::uint8_t ttl = 0;
    };
    std::map<std::vector<std::uint8_t>, FirstSeen> routed;
    std::vector<Out> frames;
    std::vector<int> order;  // points in order of first use
    for (const Hop& h : record.hops) {
        const int p = points.pointOf(h);
        if (p < 0) {
            continue;
        }
        std::vector<std::uint8_t> bytes = serialize(*h.frame);
        auto& seen = recent[p];
        std::erase_if(seen, [&](const Seen& s) { return h.t - s.t > kTransitUs; });
        if (std::any_of(seen.begin(), seen.end(),
                        [&](const Seen& s) { return s.bytes == bytes; })) {
            continue;  // the bridge carrying it on: the same frame at the same point
        }
        seen.push_back({bytes, h.t});
        if (std::find(order.begin(), order.end(), p) == order.end()) {
            order.push_back(p);
        }
        std::string comment = h.explain.in(lang);
        const std::vector<std::uint8_t> id = routedIdentity(bytes);
        if (!id.empty()) {
            const std::uint8_t ttl = bytes.size() > kTtlOffset ? bytes[kTtlOffset] : 0;
            auto [it, fresh] = routed.try_emplace(id, FirstSeen{frames.size() + 1, p, ttl});
            if (!fresh && it->second.point != p) {
                const std::string other = points.point(it->second.point).name;
                const bool routedOn = it->second.ttl != ttl;
                comment +=
                    zh ? fmt::format("。这是第 {} 帧（{}）的同一个 IP 数据包，{}后在另一个捕获点"
                                     "再次看到，并非重传",
                                     it->second.frame, other,
                                     routedOn ? "经路由转发（TTL 减一）" : "原样桥接或经隧道送达")
                       : fmt::format(". The same IP packet as frame {} (at {}), {} and seen at a "
                                     "second capture point: not a retransmission",
                                     it->second.frame, other,
                                     routedOn ? "routed on with its TTL one less"
                                              : "carried on unchanged (bridged, or through a "
                                                "tunnel)");
            }
        }
        frames.push_back({p, std::move(bytes), h.t, std::move(comment)});
    }
    PcapngWriter writer(path);
    std::map<int, std::uint32_t> interfaceOf;
    for (int p : order) {
        const CapturePoint cp = points.point(p);
        interfaceOf[p] = writer.addInterface(cp.name, cp.description);
    }
    for (const Out& f : frames) {
        writer.write(interfaceOf.at(f.point), f.bytes, f.t, f.comment);
    }
    writer.close();
    return frames.size();
}

}  // namespace cnmlab::sim
