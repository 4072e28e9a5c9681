#pragma once
// The processes a live topology needs, as Docker's would be: every listener of
// the Plan (x-listen/expose/ports in sandboxes, docker-proxy on hosts) as a
// socket opened inside its namespace — a TCP listener writes one line,
// `cnmlab NETNS PORT\n`, to each connection and closes it (a probe counts as
// answered only when those bytes arrive); UDP echoes; docker-proxy relays to
// its container (docker_proxy.hpp) — and Docker's embedded DNS server on
// 127.0.0.11:53 in every sandbox that has records, answering from the Plan
// (NXDOMAIN for other names).
//
// run() serves until `stop` is set; `live up` runs it in a daemon process,
// `live verify` in a thread.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers/plan.hpp"
#include "live/docker_proxy.hpp"
#include "live/netns.hpp"

namespace cnmlab::live {

class ServiceHost {
public:
    using NsLookup = std::function<Fd(const std::string&)>;
    // Opens every socket now; throws model::Error (System) naming the socket.
    ServiceHost(const drivers::Plan& plan, const NsLookup& openNs);
    ~ServiceHost();
    ServiceHost(const ServiceHost&) = delete;
    ServiceHost& operator=(const ServiceHost&) = delete;

    void run(const std::atomic<bool>& stop);
    std::size_t socketCount() const { return m_sockets.size(); }

private:
    enum class Kind { TcpListen, UdpEcho, Dns, ProxyTcp, ProxyUdp };
    struct Socket {
        int fd = -1;
        Kind kind = Kind::TcpListen;
        std::string netns;
        int port = 0;
        DockerProxy::Backend proxyTo;  // ProxyTcp, ProxyUdp
    };
    void serveDns(const Socket& s);

    std::vector<Socket> m_sockets;
    std::unordered_map<std::string, Fd> m_namespaces;  // docker-proxy dials from these
    std::unique_ptr<DockerProxy> m_proxy;
    // netns -> lower-case name -> addresses
    std::unordered_map<std::string, std::unordered_map<std::string, std::vector<model::Ipv4>>> m_dns;
    int m_epoll = -1;
};

}  // namespace cnmlab::live
