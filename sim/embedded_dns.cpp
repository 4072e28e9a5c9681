// Docker's embedded DNS server (libnetwork resolver.go), listening at
// 127.0.0.11:53 in every container on a user-defined network: it answers a
// container's name, its aliases and its network-scoped names with the
// addresses on the networks the asking container shares, and NXDOMAIN for
// anything else (no external resolver is reachable in cnmlab).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

void World::answerDns(int nsIdx, const Frame& f) {
    const Namespace& ns = m_ns[static_cast<std::size_t>(nsIdx)];
    auto answer = std::make_shared<DnsMessage>();
    answer->id = f.dns->id;
    answer->response = true;
    answer->recursionDesired = f.dns->recursionDesired;
    answer->recursionAvailable = true;
    answer->qname = f.dns->qname;
    answer->qtype = f.dns->qtype;
    std::string key = f.dns->qname;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!key.empty() && key.back() == '.') {
        key.pop_back();
    }
    auto it = ns.dns.find(key);
    if (it != ns.dns.end()) {
        for (const auto& ip : it->second) {
            answer->answers.push_back(DnsAnswer{f.dns->qname, ip, 600});
        }
    } else {
        answer->rcode = 3;  // NXDOMAIN: no external resolver is reachable in cnmlab
    }
    Frame r = replyTo(f);
    r.dns = answer;
    if (tracing()) {
        hop(nsIdx, -1, action::kReply, f,
            it != ns.dns.end()
                ? Text{fmt::format("Docker's embedded DNS server (127.0.0.11) in {} answers {} "
                                   "with {} address(es) from the container's networks",
                                   ns.name, f.dns->qname, answer->answers.size()),
                       fmt::format(
                           "{} 中 Docker 内嵌 DNS 服务器（127.0.0.11）用容器所在网络中的 {} "
                           "个地址回答 {}",
                           ns.nameZh, answer->answers.size(), f.dns->qname)}
                : Text{fmt::format("Docker's embedded DNS server in {} knows no container or "
                                   "alias named {} on this container's networks: NXDOMAIN",
                                   ns.name, f.dns->qname),
                       fmt::format("{} 中 Docker 内嵌 DNS 服务器在该容器的网络中找不到名为 {} "
                                   "的容器或别名：NXDOMAIN",
                                   ns.nameZh, f.dns->qname)});
    }
    sendLocal(nsIdx, r);
}

}  // namespace cnmlab::sim
