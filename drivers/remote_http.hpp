#pragma once
// The HTTP under Docker's plugin protocol, libnetwork's end (pkg/plugins
// client.go): every call is a POST of a JSON body (json.Encoder's: the value
// and a newline; no body for calls without arguments) with
// `Accept: application/vnd.docker.plugins.v1.2+json`, to the plugin's unix
// socket, on a kept-alive connection. A reply other than 200 is an error that
// names the method and the reply's {"Err": ...} (or its body), as Go's
// statusError prints it. A plugin that is not listening yet is retried until
// the connect deadline, as dockerd retries while a plugin starts.
//
// `Transport` is the seam: the remote driver and `cnmlab plugin check` post
// through it, whether the plugin is a process behind a socket or, for the
// plugins cnmlab ships, in the same process (plugins/sdk).

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace cnmlab::drivers::remote {

struct HttpReply {
    int status = 200;
    std::string body;
};

// The plugin could not be reached or hung up mid-call.
class TransportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Transport {
public:
    virtual ~Transport() = default;
    Transport() = default;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // POSTs `body` to `path` ("/NetworkDriver.Join"). Throws TransportError.
    virtual HttpReply post(const std::string& path, const std::string& body) = 0;
    // Where the plugin is, for messages ("unix:///run/docker/plugins/weave.sock").
    virtual std::string address() const = 0;
};

struct UnixClientOptions {
    // How long to keep trying to connect (the plugin may be starting).
    std::chrono::milliseconds connectFor{std::chrono::seconds(30)};
    // How long one call may take, connected.
    std::chrono::milliseconds callTimeout{std::chrono::seconds(30)};
};

class UnixSocketClient final : public Transport {
public:
    explicit UnixSocketClient(std::string socketPath, UnixClientOptions options = {});
    ~UnixSocketClient() override;

    HttpReply post(const std::string& path, const std::string& body) override;
    std::string address() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The error libnetwork's plugin client makes of a reply that is not 200
// ("NetworkDriver.Join: no such endpoint"): the method without its slash, then
// the reply's Err when it is JSON with a non-empty Err, else the whole body.
std::string statusErrorText(const std::string& path, const HttpReply& reply);

}  // namespace cnmlab::drivers::remote
