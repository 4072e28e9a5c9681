#pragma once
// Calico's IPAM (libcalico-go's ipam, as its Docker IPAM driver uses it):
// the pool is cut into blocks of /26; a host claims the first free block the
// first time it needs an address (block affinity) and the next when that one
// is full; addresses come from the host's blocks in order, the block's
// first address included, and each is a /32. cnmlab's model of it and the
// calico plugin's IPAM driver (plugins/calico) implement the same rules; the
// remote driver checks that the plugin's answers agree.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/ip.hpp"

namespace cnmlab::model {

class CalicoIpam {
public:
    static constexpr int kBlockPrefix = 26;

    explicit CalicoIpam(Cidr pool) : m_pool(pool) {}

    const Cidr& pool() const { return m_pool; }
    // AutoAssign for `host`: throws Error(Invalid) when the pool is full.
    Ipv4 assign(const std::string& host);
    // AssignIP: `ip` for `host` (claiming its block when unclaimed); throws
    // Error(Conflict) when taken, Error(Invalid) outside the pool.
    void assignIp(Ipv4 ip, const std::string& host);
    void release(Ipv4 ip);
    // State kept elsewhere (a plugin's datastore), put back.
    void addBlock(const Cidr& block, const std::string& host) {
        m_blocks.emplace_back(block, host);
    }
    void markUsed(Ipv4 ip, const std::string& host) { m_used[ip.value()] = host; }
    const std::map<std::uint32_t, std::string>& used() const { return m_used; }
    // The blocks claimed, in claim order, with their hosts.
    const std::vector<std::pair<Cidr, std::string>>& blocks() const { return m_blocks; }

private:
    std::optional<std::size_t> claim(const std::string& host);

    Cidr m_pool;
    std::vector<std::pair<Cidr, std::string>> m_blocks;
    std::map<std::uint32_t, std::string> m_used;  // address -> host
};

}  // namespace cnmlab::model
