// `qapps-local --healthcheck`, against a real Server on 127.0.0.1 at an ephemeral port whose
// fake RequestHandler answers /_qapps/health as told: ok, not ok, not JSON; and against a port
// where nothing listens or nothing answers.
#include <doctest/doctest.h>

#include <sstream>

#include "healthcheck.hpp"
#include "net_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using namespace qapps::test;
using qapps::check_health;
using qapps::HttpRequest;
using qapps::HttpResponse;

// Answers every request with `status` and `body`, and remembers the last request's target.
class HealthHandler final : public qapps::RequestHandler {
  public:
    qapps::Outcome handle(const HttpRequest& request) override {
        const std::lock_guard lock(mutex_);
        last_target_ = std::string(request.target());
        HttpResponse response{status_, request.version()};
        response.set(http::field::content_type, "application/json");
        response.body() = body_;
        response.prepare_payload();
        return {std::move(response), std::chrono::milliseconds(0)};
    }

    HttpResponse reject(const qapps::ApiError& error, unsigned http_version) override {
        return qapps::to_http_response(error, "rejected", http_version);
    }

    void answer(http::status status, std::string body) {
        const std::lock_guard lock(mutex_);
        status_ = status;
        body_ = std::move(body);
    }

    std::string last_target() const {
        const std::lock_guard lock(mutex_);
        return last_target_;
    }

  private:
    mutable std::mutex mutex_;
    http::status status_ = http::status::ok;
    std::string body_;
    std::string last_target_;
};

// A Server with a HealthHandler, serving on its own thread for the lifetime of the object.
class HealthServer {
  public:
    HealthServer() : server_(test_options(), handler, log_), thread_([this] { server_.run(); }) {}
    ~HealthServer() {
        server_.request_stop();
        thread_.join();
    }

    unsigned short port() const { return server_.endpoint().port(); }

    HealthHandler handler;

  private:
    qapps::AccessLog log_{qapps::LogLevel::off};
    qapps::Server server_;
    std::thread thread_;
};

// A port nobody listens on: bound by the system, then released.
unsigned short closed_port() {
    net::io_context ioc;
    tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

std::string url(unsigned short port) {
    return "http://127.0.0.1:" + std::to_string(port) + "/_qapps/health";
}

}  // namespace

TEST_CASE("healthcheck: a 200 with \"status\":\"ok\" is healthy") {
    HealthServer server;
    server.handler.answer(http::status::ok, R"({"status":"ok","version":"0.1.0","sessions":4})");

    const auto result = check_health("127.0.0.1", server.port());
    CHECK(result.healthy);
    CHECK(result.reason.empty());
    CHECK(result.url == url(server.port()));
    CHECK(server.handler.last_target() == "/_qapps/health");
}

TEST_CASE("healthcheck: a 200 whose status is not \"ok\" is unhealthy") {
    HealthServer server;
    server.handler.answer(http::status::ok, R"({"status":"starting"})");
    CHECK(check_health("127.0.0.1", server.port()).reason ==
          R"(answered 200 with "status": "starting", not "ok")");

    server.handler.answer(http::status::ok, R"({"version":"0.1.0"})");
    CHECK(check_health("127.0.0.1", server.port()).reason == R"(answered 200 without a "status")");

    server.handler.answer(http::status::ok, "ok");
    const auto result = check_health("127.0.0.1", server.port());
    CHECK_FALSE(result.healthy);
    CHECK(result.reason == "answered 200 without a JSON object");
}

TEST_CASE("healthcheck: another status code is unhealthy") {
    HealthServer server;
    server.handler.answer(http::status::service_unavailable, R"({"status":"ok"})");
    const auto result = check_health("127.0.0.1", server.port());
    CHECK_FALSE(result.healthy);
    CHECK(result.reason == "answered 503 Service Unavailable");
}

TEST_CASE("healthcheck: nothing listening is unhealthy") {
    const unsigned short port = closed_port();
    const auto result = check_health("127.0.0.1", port);
    CHECK_FALSE(result.healthy);
    CHECK(result.url == url(port));
    CHECK(result.reason == "cannot connect: Connection refused");
}

TEST_CASE("healthcheck: a server that never answers is unhealthy after the timeout") {
    // Listening but never accepting: the kernel completes the connection, nobody reads it.
    net::io_context ioc;
    tcp::acceptor silent(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    const auto start = Clock::now();
    const auto result = check_health("127.0.0.1", silent.local_endpoint().port(), 200ms);
    const auto took = Clock::now() - start;
    CHECK_FALSE(result.healthy);
    CHECK(result.reason == "no answer within 200 ms");
    CHECK(took >= 200ms);
    CHECK(took < 2s);
}

TEST_CASE("healthcheck: the address to ask follows --host") {
    CHECK(qapps::healthcheck_host("0.0.0.0") == "127.0.0.1");
    CHECK(qapps::healthcheck_host("") == "127.0.0.1");
    CHECK(qapps::healthcheck_host("localhost") == "127.0.0.1");
    CHECK(qapps::healthcheck_host("::") == "::1");
    CHECK(qapps::healthcheck_host("127.0.0.2") == "127.0.0.2");
    CHECK(check_health("::1", closed_port(), 200ms).url.starts_with("http://[::1]:"));
}

TEST_CASE("healthcheck: run_healthcheck exits 0 when healthy, else 1 with one line") {
    HealthServer server;
    server.handler.answer(http::status::ok, R"({"status":"ok"})");
    qapps::Config config;
    config.host = "0.0.0.0";
    config.port = server.port();
    std::ostringstream err;
    CHECK(qapps::run_healthcheck(config, err) == 0);
    CHECK(err.str().empty());

    config.port = closed_port();
    CHECK(qapps::run_healthcheck(config, err) == 1);
    CHECK(err.str() == "qapps-local: healthcheck: " + url(config.port) +
                           ": cannot connect: Connection refused\n");
}
