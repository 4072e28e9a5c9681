#include "plugins/sdk/plugin_server.hpp"

#include <unistd.h>

#include <csignal>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "drivers/remote_api.hpp"

namespace cnmlab::plugins {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Local = asio::local::stream_protocol;

namespace {

// One connection: read a request, answer it, again while it is kept alive.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(Local::socket socket, const Handler& handler)
        : m_socket(std::move(socket)), m_handler(handler) {}

    void start() { read(); }

private:
    void read() {
        m_request = {};
        http::async_read(m_socket, m_buffer, m_request,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (!ec) {
                                 self->answer();
                             }
                         });
    }

    void answer() {
        drivers::remote::HttpReply reply;
        if (m_request.method() != http::verb::post) {
            reply = {405, "Method Not Allowed\n"};
        } else {
            reply = m_handler(std::string(m_request.target()), m_request.body());
        }
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(reply.status), m_request.version());
        res->set(http::field::content_type, reply.status == 200 || reply.status == 500
                                                ? drivers::remote::kMediaType
                                                : "text/plain; charset=utf-8");
        res->keep_alive(m_request.keep_alive());
        res->body() = std::move(reply.body);
        res->prepare_payload();
        http::async_write(m_socket, *res,
                          [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                              if (!ec && res->keep_alive()) {
                                  self->read();
                              }
                          });
    }

    Local::socket m_socket;
    const Handler& m_handler;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_request;
};

}  // namespace

struct PluginServer::Impl {
    std::string path;
    Handler handler;
    asio::io_context io;
    Local::acceptor acceptor{io};
    asio::steady_timer timer{io};
    std::chrono::milliseconds period{0};
    std::function<void()> tick;

    void arm() {
        timer.expires_after(period);
        timer.async_wait([this](beast::error_code ec) {
            if (ec) {
                return;
            }
            tick();
            arm();
        });
    }

    void accept() {
        acceptor.async_accept([this](beast::error_code ec, Local::socket socket) {
            if (ec) {
                return;
            }
            std::make_shared<Session>(std::move(socket), handler)->start();
            accept();
        });
    }
};

PluginServer::PluginServer(std::string socketPath, Handler handler)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->path = std::move(socketPath);
    m_impl->handler = std::move(handler);
    ::unlink(m_impl->path.c_str());
    beast::error_code ec;
    m_impl->acceptor.open(Local(), ec);
    if (!ec) {
        m_impl->acceptor.bind(Local::endpoint(m_impl->path), ec);
    }
    if (!ec) {
        m_impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        throw std::runtime_error(
            fmt::format("cannot listen on unix://{}: {}", m_impl->path, ec.message()));
    }
    m_impl->accept();
}

PluginServer::~PluginServer() {
    beast::error_code ec;
    m_impl->acceptor.close(ec);
    ::unlink(m_impl->path.c_str());
}

void PluginServer::run(bool untilSignal) {
    std::unique_ptr<asio::signal_set> signals;
    if (untilSignal) {
        signals = std::make_unique<asio::signal_set>(m_impl->io, SIGINT, SIGTERM);
        signals->async_wait([this](beast::error_code, int) { m_impl->io.stop(); });
    }
    m_impl->io.run();
}

void PluginServer::stop() {
    asio::post(m_impl->io, [this] { m_impl->io.stop(); });
}

void PluginServer::every(std::chrono::milliseconds period, std::function<void()> fn) {
    m_impl->period = period;
    m_impl->tick = std::move(fn);
    m_impl->arm();
}

const std::string& PluginServer::socketPath() const {
    return m_impl->path;
}

}  // namespace cnmlab::plugins
