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
// run() serves until `stop` is set. Every socket is a file descriptor, and a
// large topology has more of them than one process may open, so `live up` and
// `live verify` run the services in ServiceProcesses: as many processes as
// RLIMIT_NOFILE needs, each serving the namespaces of its shard.

#include <atomic>
#include <cstddef>
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
    std::unordered_map<std::string, std::unordered_map<std::string, std::vector<model::Ipv4>>>
        m_dns;
    int m_epoll = -1;
};

// The Plan's services cut into shards by namespace, each small enough to serve
// in one process whose descriptors number `fdLimit` (its sockets, the
// namespaces it opens them in, and room for the connections docker-proxy
// relays). Only `listeners` and `dns` are copied into the shards.
std::vector<drivers::Plan> shardServices(const drivers::Plan& plan, std::size_t fdLimit);

// One child process per shard, each serving until it is killed; it dies with
// the process that started it (PR_SET_PDEATHSIG).
class ServiceProcesses {
public:
    // Returns when every process has opened its sockets; throws model::Error
    // (System) with the first failure, after stopping the others.
    explicit ServiceProcesses(const drivers::Plan& plan);
    ~ServiceProcesses();  // kills and reaps them
    ServiceProcesses(const ServiceProcesses&) = delete;
    ServiceProcesses& operator=(const ServiceProcesses&) = delete;

    // Why a process stopped ("exited with 1", "killed by signal 9"), or "" while all serve.
    std::string stopped();

private:
    std::vector<int> m_pids;
};

}  // namespace cnmlab::live
