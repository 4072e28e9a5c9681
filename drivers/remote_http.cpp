#include "drivers/remote_http.hpp"

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "drivers/remote_api.hpp"

namespace cnmlab::drivers::remote {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Local = asio::local::stream_protocol;
using Clock = std::chrono::steady_clock;

struct UnixSocketClient::Impl {
    std::string socketPath;
    UnixClientOptions options;
    asio::io_context io;
    beast::basic_stream<Local> stream{io};
    beast::flat_buffer buffer;
    bool connected = false;

    void connect() {
        const auto deadline = Clock::now() + options.connectFor;
        for (;;) {
            beast::error_code ec;
            stream.socket().close(ec);
            stream.socket().open(Local(), ec);
            if (!ec) {
                stream.socket().connect(Local::endpoint(socketPath), ec);
            }
            if (!ec) {
                connected = true;
                buffer.clear();
                return;
            }
            if (Clock::now() >= deadline) {
                throw TransportError(fmt::format("cannot connect to the plugin at unix://{}: {}",
                                                 socketPath, ec.message()));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    // One request and its reply on the open connection; an error code on failure.
    beast::error_code exchange(const http::request<http::string_body>& req,
                               http::response<http::string_body>& res) {
        beast::error_code result;
        stream.expires_after(options.callTimeout);
        http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
            if (ec) {
                result = ec;
                return;
            }
            http::async_read(stream, buffer, res,
                             [&](beast::error_code rec, std::size_t) { result = rec; });
        });
        io.restart();
        io.run();
        return result;
    }
};

UnixSocketClient::UnixSocketClient(std::string socketPath, UnixClientOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->socketPath = std::move(socketPath);
    m_impl->options = options;
}

UnixSocketClient::~UnixSocketClient() {
    beast::error_code ec;
    m_impl->stream.socket().close(ec);
}

std::string UnixSocketClient::address() const {
    return "unix://" + m_impl->socketPath;
}

HttpReply UnixSocketClient::post(const std::string& path, const std::string& body) {
    http::request<http::string_body> req{http::verb::post, path, 11};
    // Go's http.Client on a unix socket: pkg/plugins' dummy host name.
    req.set(http::field::host, "plugin.moby.localhost");
    req.set(http::field::user_agent, "Go-http-client/1.1");
    req.set(http::field::accept, kMediaType);
    req.body() = body;
    req.prepare_payload();

    // A kept-alive connection the plugin closed is opened again once.
    for (int attempt = 0;; ++attempt) {
        const bool reused = m_impl->connected;
        if (!m_impl->connected) {
            m_impl->connect();
        }
        http::response<http::string_body> res;
        const beast::error_code ec = m_impl->exchange(req, res);
        if (!ec) {
            if (!res.keep_alive()) {
                m_impl->connected = false;
            }
            return HttpReply{static_cast<int>(res.result_int()), std::move(res.body())};
        }
        m_impl->connected = false;
        if (!reused || attempt > 0) {
            throw TransportError(fmt::format(
                "{}: the plugin at unix://{} did not answer: {}", path.substr(1),
                m_impl->socketPath, ec == beast::error::timeout ? "timed out" : ec.message()));
        }
    }
}

std::string statusErrorText(const std::string& path, const HttpReply& reply) {
    const std::string method = path.empty() || path[0] != '/' ? path : path.substr(1);
    const auto j = nlohmann::json::parse(reply.body, nullptr, false);
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            // encoding/json matches the field Err case-insensitively.
            std::string key = it.key();
            for (char& c : key) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            if (key == "err" && it->is_string() && !it->get<std::string>().empty()) {
                return fmt::format("{}: {}", method, it->get<std::string>());
            }
        }
    }
    return fmt::format("{}: {}", method, reply.body);
}

}  // namespace cnmlab::drivers::remote
