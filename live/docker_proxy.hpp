#pragma once
// docker-proxy as Docker 20.10 runs it for a published port (libnetwork
// cmd/proxy), inside ServiceHost's epoll loop: no thread per connection.
//
// TCP (tcp_proxy.go): each accepted client gets its own connection from the
// host's namespace to the container (non-blocking connect; the kernel picks
// the source: the bridge's gateway). Once it is up, bytes are copied both
// ways; a side that ends (EOF or an error) is shut down for reading, its
// other side for writing (CloseRead/CloseWrite), and when both directions are
// over both sockets are closed. A dial that fails (refused, unreachable)
// closes the client's connection without a byte (clientLoop: client.Close()):
// the client reads end of file. A dial that gets no answer leaves the client
// connected with nothing to read until the kernel gives up the SYN.
// UDP (udp_proxy.go): a socket per client (address and port), connected to
// the container; datagrams go on through it, answers come back from the
// listening socket; ECONNREFUSED on it is ignored; an entry lives 90 s from
// its creation or its last answer (UDPConnTrackTimeout).
//
// Recorded on real Docker: tests/conformance/proxy.

#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <map>
#include <tuple>
#include <unordered_map>

#include "live/netns.hpp"
#include "model/ip.hpp"

namespace cnmlab::live {

class DockerProxy {
public:
    // Registers its sockets with `epoll` (owned by the caller), with event
    // data that owns() recognises.
    explicit DockerProxy(int epoll) : m_epoll(epoll) {}
    ~DockerProxy();
    DockerProxy(const DockerProxy&) = delete;
    DockerProxy& operator=(const DockerProxy&) = delete;

    struct Backend {
        const Fd* hostNs = nullptr;  // the namespace docker-proxy runs in
        model::Ipv4 address;         // the container (-container-ip)
        int port = 0;                // -container-port
    };
    // `listenFd` (non-blocking, in the host namespace) is readable.
    void acceptTcp(int listenFd, const Backend& to);
    void readUdp(int listenFd, const Backend& to);

    static bool owns(std::uint64_t data) { return (data & (kTcpTag | kUdpTag)) != 0; }
    void onEvent(std::uint64_t data, std::uint32_t events);
    // Closes UDP entries whose 90 s are over; `nowMs` is CLOCK_MONOTONIC.
    void expire(long nowMs);

    static constexpr long kUdpTimeoutMs = 90'000;  // udp_proxy.go UDPConnTrackTimeout

private:
    static constexpr std::uint64_t kTcpTag = 1ULL << 63;
    static constexpr std::uint64_t kUdpTag = 1ULL << 62;
    struct Pipe {  // one direction of a TCP relay
        std::array<char, 16384> buf{};
        std::size_t len = 0;
        std::size_t off = 0;
        bool eof = false;   // the source ended (EOF or an error)
        bool done = false;  // copied all, and the shutdowns are made
    };
    struct Tcp {
        int client = -1;
        int backend = -1;
        bool connected = false;
        bool clientWatched = false;  // in the epoll set
        bool backendWatched = false;
        bool clientGone = false;  // reported HUP/ERR: out of the epoll set for good
        bool backendGone = false;
        Pipe up;    // client -> container
        Pipe down;  // container -> client
    };
    struct Udp {
        int fd = -1;        // connected to the container
        int listenFd = -1;  // where answers go back from
        std::uint32_t clientIp = 0;
        std::uint16_t clientPort = 0;  // network order, as in sockaddr_in
        long lastMs = 0;
    };
    void pump(Tcp& t);
    static void copy(Pipe& p, int from, int to);
    void watch(int fd, bool& watched, std::uint32_t events, std::uint64_t data);
    void closeTcp(std::uint64_t id);
    void closeUdp(std::uint64_t id);

    int m_epoll;
    std::uint64_t m_next = 1;
    std::unordered_map<std::uint64_t, Tcp> m_tcp;
    std::unordered_map<std::uint64_t, Udp> m_udp;
    // (listening socket, client address, client port) -> m_udp id
    std::map<std::tuple<int, std::uint32_t, std::uint16_t>, std::uint64_t> m_udpByClient;
};

}  // namespace cnmlab::live
