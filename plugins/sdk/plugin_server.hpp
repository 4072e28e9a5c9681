#pragma once
// A plugin's HTTP server on a unix socket, as dockerd finds plugins: a socket
// in /run/docker/plugins/NAME.sock (pkg/plugins discovery). HTTP/1.1 with
// keep-alive, one connection or many; calls are answered one at a time, in
// the order they arrive, so a handler needs no locking.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "drivers/remote_http.hpp"

namespace cnmlab::plugins {

using Handler =
    std::function<drivers::remote::HttpReply(const std::string& path, const std::string& body)>;

class PluginServer {
public:
    // Binds and listens on `socketPath` (a stale socket file there is removed
    // first). Throws std::runtime_error naming the path when it cannot.
    PluginServer(std::string socketPath, Handler handler);
    ~PluginServer();
    PluginServer(const PluginServer&) = delete;
    PluginServer& operator=(const PluginServer&) = delete;

    // Serves until stop(), or until SIGINT or SIGTERM when `untilSignal`.
    void run(bool untilSignal = false);
    // Safe from any thread.
    void stop();
    // Calls `fn` every `period` while serving, between requests (a plugin's
    // control plane catching up with its cluster).
    void every(std::chrono::milliseconds period, std::function<void()> fn);

    const std::string& socketPath() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cnmlab::plugins
