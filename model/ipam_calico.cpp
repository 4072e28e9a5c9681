#include "model/ipam_calico.hpp"

#include <fmt/format.h>

#include "model/error.hpp"

namespace cnmlab::model {

std::optional<std::size_t> CalicoIpam::claim(const std::string& host) {
    const std::uint64_t count =
        m_pool.prefix >= kBlockPrefix ? 1 : std::uint64_t{1} << (kBlockPrefix - m_pool.prefix);
    const int prefix = std::max(m_pool.prefix, kBlockPrefix);
    for (std::uint64_t i = 0; i < count; ++i) {
        const Cidr block{
            Ipv4(static_cast<std::uint32_t>(m_pool.network().value() + (i << (32 - prefix)))),
            prefix};
        bool taken = false;
        for (const auto& [b, h] : m_blocks) {
            taken = taken || b == block;
        }
        if (!taken) {
            m_blocks.emplace_back(block, host);
            return m_blocks.size() - 1;
        }
    }
    return std::nullopt;
}

Ipv4 CalicoIpam::assign(const std::string& host) {
    for (std::size_t b = 0;; ++b) {
        if (b == m_blocks.size()) {
            if (!claim(host)) {
                throw Error(ErrorKind::Invalid,
                            fmt::format("IP assignment error: no more free affine blocks and "
                                        "strict affinity is not enabled (pool {})",
                                        m_pool.str()));
            }
        }
        if (m_blocks[b].second != host) {
            continue;
        }
        const Cidr& block = m_blocks[b].first;
        for (std::uint64_t i = 0; i < block.size(); ++i) {
            const std::uint32_t v = block.network().value() + static_cast<std::uint32_t>(i);
            if (m_used.count(v) == 0) {
                m_used[v] = host;
                return Ipv4(v);
            }
        }
    }
}

void CalicoIpam::assignIp(Ipv4 ip, const std::string& host) {
    if (!m_pool.contains(ip)) {
        throw Error(ErrorKind::Invalid,
                    fmt::format("IP assignment error: {} is not in the Calico pool {}", ip.str(),
                                m_pool.str()));
    }
    if (m_used.count(ip.value()) != 0) {
        throw Error(ErrorKind::Conflict,
                    fmt::format("IP assignment error: address {} is already in use", ip.str()));
    }
    const Cidr block{Ipv4(ip.value() & Cidr{ip, kBlockPrefix}.mask()), kBlockPrefix};
    bool known = false;
    for (const auto& [b, h] : m_blocks) {
        known = known || b == block;
    }
    if (!known) {
        m_blocks.emplace_back(block, host);
    }
    m_used[ip.value()] = host;
}

void CalicoIpam::release(Ipv4 ip) {
    m_used.erase(ip.value());
}

}  // namespace cnmlab::model
