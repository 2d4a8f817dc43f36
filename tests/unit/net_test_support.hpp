// Helpers for the network-layer tests: a fake RequestHandler, a Server running on its own
// thread at an ephemeral port, a small blocking-style HTTP client with timeouts, and a capture
// of a file descriptor (for the access log). Test-only; each object is used by one test thread.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "access_log.hpp"
#include "api_error.hpp"
#include "request_handler.hpp"
#include "server.hpp"

namespace qapps::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Answers every request with 200 and {"target": "<target>"}, after `delay`; counts calls.
class FakeHandler final : public RequestHandler {
  public:
    Outcome handle(const HttpRequest& request) override {
        const int number = ++handled;
        {
            const std::lock_guard lock(mutex_);
            handled_at_.push_back(Clock::now());
        }
        HttpResponse response{http::status::ok, request.version()};
        response.set(http::field::content_type, "application/json");
        response.set("x-amzn-RequestId", "req-" + std::to_string(number));
        response.body() = R"({"target":")" + std::string(request.target()) + R"("})";
        response.prepare_payload();
        return {std::move(response), std::chrono::milliseconds(delay_ms.load())};
    }

    HttpResponse reject(const ApiError& error, unsigned http_version) override {
        ++rejected;
        return to_http_response(error, "rejected", http_version);
    }

    std::vector<Clock::time_point> handled_at() const {
        const std::lock_guard lock(mutex_);
        return handled_at_;
    }

    std::atomic<int> handled{0};
    std::atomic<int> rejected{0};
    std::atomic<int> delay_ms{0};

  private:
    mutable std::mutex mutex_;
    std::vector<Clock::time_point> handled_at_;
};

inline ServerOptions test_options() {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.idle_timeout = std::chrono::seconds(5);
    options.header_limit = 1024;
    options.body_limit = 1024;
    options.shutdown_grace = std::chrono::seconds(5);
    return options;
}

// A Server serving on its own thread for the lifetime of the object.
class RunningServer {
  public:
    explicit RunningServer(ServerOptions options = test_options(),
                           LogLevel log_level = LogLevel::off)
        : log_(log_level), server_(std::move(options), handler, log_), thread_([this] {
              server_.run();
              returned_ = true;
          }) {}

    ~RunningServer() { stop(); }

    tcp::endpoint endpoint() const { return server_.endpoint(); }
    void request_stop() { server_.request_stop(); }
    bool returned() const { return returned_.load(); }

    // Stops the server and joins its thread; returns how long run() took to return.
    Clock::duration stop() {
        const auto start = Clock::now();
        server_.request_stop();
        if (thread_.joinable()) thread_.join();
        return Clock::now() - start;
    }

    FakeHandler handler;

  private:
    AccessLog log_;
    Server server_;
    std::atomic<bool> returned_{false};
    std::thread thread_;
};

// Raw bytes out, parsed responses in; every read has a timeout so a test never hangs.
class Client {
  public:
    explicit Client(const tcp::endpoint& endpoint) : stream_(ioc_) { stream_.connect(endpoint); }

    void send(std::string_view bytes) { net::write(stream_.socket(), net::buffer(bytes)); }

    beast::error_code read(HttpResponse& response,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        beast::error_code result = net::error::would_block;
        stream_.expires_after(timeout);
        http::async_read(stream_, buffer_, response,
                         [&result](beast::error_code ec, std::size_t) { result = ec; });
        ioc_.restart();
        ioc_.run();
        return result;
    }

    HttpResponse response() {
        HttpResponse response;
        const beast::error_code ec = read(response);
        REQUIRE_MESSAGE(!ec, "reading a response: " << ec.message());
        return response;
    }

    // Whether the server closes the connection (end of stream or reset) within `timeout`.
    bool closed_within(std::chrono::milliseconds timeout) {
        HttpResponse response;
        const beast::error_code ec = read(response, timeout);
        return ec == http::error::end_of_stream || ec == net::error::connection_reset;
    }

  private:
    net::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

inline std::string get(std::string_view target, std::string_view extra_headers = "") {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: qapps.test\r\n" +
           std::string(extra_headers) + "\r\n";
}

// Redirects a file descriptor (1 = stdout, 2 = stderr) into a pipe until finish(). Keep the
// output small (a pipe holds 64 KiB) and make no doctest checks while capturing.
class FdCapture {
  public:
    explicit FdCapture(int fd) : fd_(fd) {
        std::fflush(nullptr);
        int ends[2];
        REQUIRE(::pipe(ends) == 0);
        read_end_ = ends[0];
        saved_ = ::dup(fd_);
        ::dup2(ends[1], fd_);
        ::close(ends[1]);
    }
    FdCapture(const FdCapture&) = delete;
    FdCapture& operator=(const FdCapture&) = delete;
    ~FdCapture() { finish(); }

    std::string finish() {
        if (saved_ < 0) return {};
        std::fflush(nullptr);
        ::dup2(saved_, fd_);
        ::close(saved_);
        saved_ = -1;
        std::string text;
        char chunk[4096];
        for (ssize_t n; (n = ::read(read_end_, chunk, sizeof chunk)) > 0;) {
            text.append(chunk, static_cast<std::size_t>(n));
        }
        ::close(read_end_);
        return text;
    }

  private:
    int fd_;
    int saved_ = -1;
    int read_end_ = -1;
};

}  // namespace qapps::test
