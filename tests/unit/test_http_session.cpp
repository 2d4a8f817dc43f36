// The connection layer, driven through a real Server on 127.0.0.1 at an ephemeral port with a
// fake RequestHandler: keep-alive, pipelining, the header/body limits, malformed input, the
// idle timeout, delays that do not block other connections, and the graceful stop.
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "net_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using namespace qapps::test;
using qapps::ApiError;
using qapps::HttpResponse;

std::string body_message(const HttpResponse& response) {
    return std::string(boost::json::parse(response.body()).as_object().at("message").as_string());
}

void check_rejection(const HttpResponse& response, const ApiError& expected) {
    CHECK(response.result() == expected.status);
    CHECK(response[http::field::content_type] == "application/json");
    CHECK(response["x-amzn-ErrorType"] == expected.type);
    CHECK(response["x-amzn-RequestId"] == "rejected");
    CHECK(body_message(response) == expected.message);
    CHECK_FALSE(response.keep_alive());
}

// Polls `condition` (test code only) until it holds or `timeout` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = Clock::now() + timeout;
    while (!condition()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace

TEST_CASE("http session: keep-alive answers two requests on one connection") {
    RunningServer server;
    Client client(server.endpoint());

    client.send(get("/one"));
    const HttpResponse first = client.response();
    CHECK(first.result() == http::status::ok);
    CHECK(first.body() == R"({"target":"/one"})");
    CHECK(first.keep_alive());

    client.send(get("/two"));
    const HttpResponse second = client.response();
    CHECK(second.body() == R"({"target":"/two"})");
    CHECK(server.handler.handled == 2);
}

TEST_CASE("http session: Connection: close and HTTP/1.0 end the connection after the answer") {
    RunningServer server;
    {
        Client client(server.endpoint());
        client.send(get("/bye", "Connection: close\r\n"));
        CHECK_FALSE(client.response().keep_alive());
        CHECK(client.closed_within(2s));
    }
    {
        Client client(server.endpoint());
        client.send("GET /old HTTP/1.0\r\n\r\n");
        const HttpResponse response = client.response();
        CHECK(response.version() == 10);
        CHECK(response.body() == R"({"target":"/old"})");
        CHECK(client.closed_within(2s));
    }
}

TEST_CASE("http session: pipelined requests are answered in order") {
    RunningServer server;
    Client client(server.endpoint());

    client.send(get("/first") + get("/second") + get("/third"));
    CHECK(client.response().body() == R"({"target":"/first"})");
    CHECK(client.response().body() == R"({"target":"/second"})");
    CHECK(client.response().body() == R"({"target":"/third"})");
    CHECK(server.handler.handled == 3);
}

TEST_CASE("http session: a header over the limit gets 431 and the connection closes") {
    RunningServer server;  // header limit 1024
    {
        Client client(server.endpoint());
        client.send(get("/big", "x-padding: " + std::string(2000, 'a') + "\r\n"));
        check_rejection(client.response(), ApiError::header_too_large());
        CHECK(client.closed_within(2s));
    }
    CHECK(server.handler.rejected == 1);
    CHECK(server.handler.handled == 0);

    Client next(server.endpoint());  // the server still answers
    next.send(get("/after"));
    CHECK(next.response().result() == http::status::ok);
}

TEST_CASE("http session: a body over the limit gets 413 and the connection closes") {
    RunningServer server;  // body limit 1024
    {
        Client client(server.endpoint());
        client.send(
            "POST /_qapps/fixtures HTTP/1.1\r\nHost: qapps.test\r\nContent-Length: 2048\r\n\r\n" +
            std::string(2048, '{'));
        check_rejection(client.response(), ApiError::body_too_large());
        CHECK(client.closed_within(3s));
    }
    {
        Client client(server.endpoint());
        client.send(
            "POST /chunked HTTP/1.1\r\nHost: qapps.test\r\nTransfer-Encoding: chunked\r\n\r\n"
            "7d0\r\n" +
            std::string(2000, 'x') + "\r\n0\r\n\r\n");
        check_rejection(client.response(), ApiError::body_too_large());
    }
    CHECK(server.handler.handled == 0);

    Client next(server.endpoint());
    next.send(get("/after"));
    CHECK(next.response().result() == http::status::ok);
}

TEST_CASE("http session: a body within the limit is read whole") {
    RunningServer server;
    Client client(server.endpoint());
    client.send("POST /ok HTTP/1.1\r\nHost: qapps.test\r\nContent-Length: 1024\r\n\r\n" +
                std::string(1024, ' '));
    CHECK(client.response().result() == http::status::ok);
}

TEST_CASE("http session: Expect: 100-continue gets an interim answer before the body is sent") {
    RunningServer server;
    Client client(server.endpoint());
    client.send(
        "POST /expect HTTP/1.1\r\nHost: qapps.test\r\nExpect: 100-continue\r\n"
        "Content-Length: 2\r\n\r\n");
    CHECK(client.response().result() == http::status::continue_);
    client.send("{}");
    const HttpResponse response = client.response();
    CHECK(response.result() == http::status::ok);
    CHECK(response.body() == R"({"target":"/expect"})");
}

TEST_CASE("http session: a malformed request gets 400 and the connection closes") {
    RunningServer server;
    Client client(server.endpoint());
    client.send("THIS IS NOT HTTP\r\n\r\n");
    check_rejection(client.response(), ApiError::bad_request("malformed HTTP request"));
    CHECK(client.closed_within(3s));
    CHECK(server.handler.handled == 0);
}

TEST_CASE("http session: an idle or stalled connection is closed after the idle timeout") {
    auto options = test_options();
    options.idle_timeout = 1s;
    RunningServer server(options);

    SUBCASE("idle, nothing sent") {
        Client client(server.endpoint());
        const auto start = Clock::now();
        CHECK(client.closed_within(4s));
        CHECK(Clock::now() - start >= 900ms);
    }
    SUBCASE("slowloris: half a header, then silence") {
        Client client(server.endpoint());
        client.send("GET /slow HTTP/1.1\r\nHost: qapps.test\r\n");
        const auto start = Clock::now();
        CHECK(client.closed_within(4s));
        CHECK(Clock::now() - start >= 900ms);
        CHECK(server.handler.handled == 0);
    }
    SUBCASE("idle after an answer") {
        Client client(server.endpoint());
        client.send(get("/once"));
        CHECK(client.response().result() == http::status::ok);
        CHECK(client.closed_within(4s));
    }
}

TEST_CASE("http session: a delayed answer does not hold up other connections") {
    auto options = test_options();
    options.threads = 1;  // a sleeping thread would serialise the two connections
    RunningServer server(options);
    server.handler.delay_ms = 300;

    Client first(server.endpoint());
    Client second(server.endpoint());
    const auto start = Clock::now();
    first.send(get("/first"));
    second.send(get("/second"));

    CHECK(first.response().result() == http::status::ok);
    const auto first_answered = Clock::now();
    CHECK(second.response().result() == http::status::ok);
    const auto both_answered = Clock::now();

    // Both requests were in the handler before the first answer came back: the delays overlap.
    const auto handled_at = server.handler.handled_at();
    REQUIRE(handled_at.size() == 2);
    CHECK(handled_at[1] < first_answered);
    CHECK(first_answered - start >= 290ms);
    CHECK(both_answered - start < 550ms);
}

TEST_CASE("http session: request_stop finishes the request in flight, then run() returns") {
    RunningServer server;
    server.handler.delay_ms = 300;
    const auto endpoint = server.endpoint();

    Client idle(endpoint);
    Client busy(endpoint);
    busy.send(get("/in-flight"));
    REQUIRE(eventually([&] { return server.handler.handled == 1; }));

    server.request_stop();

    // The idle connection closes at once, well before the idle timeout (5 s).
    CHECK(idle.closed_within(1s));
    // The busy one gets its answer, marked as the last on the connection.
    const HttpResponse response = busy.response();
    CHECK(response.result() == http::status::ok);
    CHECK(response.body() == R"({"target":"/in-flight"})");
    CHECK_FALSE(response.keep_alive());
    CHECK(busy.closed_within(1s));

    CHECK(eventually([&] { return server.returned(); }));
    CHECK(server.stop() < 1s);
    CHECK_THROWS(Client{endpoint});  // no longer accepting
}

TEST_CASE("server: SIGTERM stops it like request_stop") {
    RunningServer server;
    Client client(server.endpoint());
    // An answer proves run() has installed its signal handlers (they come before accepting).
    client.send(get("/ready"));
    REQUIRE(client.response().result() == http::status::ok);

    REQUIRE(::kill(::getpid(), SIGTERM) == 0);
    CHECK(client.closed_within(2s));
    CHECK(eventually([&] { return server.returned(); }));
}

TEST_CASE("server: a connection still busy after the grace period does not hold up the exit") {
    auto options = test_options();
    options.shutdown_grace = 1s;
    RunningServer server(options);
    server.handler.delay_ms = 10'000;
    Client busy(server.endpoint());
    busy.send(get("/stuck"));
    REQUIRE(eventually([&] { return server.handler.handled == 1; }));

    const auto took = server.stop();
    CHECK(took >= 900ms);
    CHECK(took < 3s);
}

TEST_CASE("http session: request_stop before run() makes run() return at once") {
    qapps::test::FakeHandler handler;
    const qapps::AccessLog log(qapps::LogLevel::off);
    qapps::Server server(test_options(), handler, log);
    server.request_stop();
    const auto start = Clock::now();
    server.run();
    CHECK(Clock::now() - start < 1s);
}

TEST_CASE("server: a port in use is refused with a clear message") {
    RunningServer running;
    qapps::test::FakeHandler handler;
    const qapps::AccessLog log(qapps::LogLevel::off);
    auto options = test_options();
    options.port = running.endpoint().port();
    const std::string expected =
        "cannot listen on 127.0.0.1:" + std::to_string(options.port) + ": Address already in use";
    CHECK_THROWS_WITH_AS(qapps::Server(options, handler, log), expected.c_str(),
                         std::runtime_error);

    options.host = "not-an-address";
    options.port = 1;
    CHECK_THROWS_WITH_AS(qapps::Server(options, handler, log),
                         "cannot listen on not-an-address:1: 'not-an-address' is not an IP address",
                         std::runtime_error);
}

TEST_CASE("server: localhost means 127.0.0.1") {
    auto options = test_options();
    options.host = "localhost";
    RunningServer server(options);
    CHECK(server.endpoint().address().to_string() == "127.0.0.1");
    Client client(server.endpoint());
    client.send(get("/local"));
    CHECK(client.response().result() == http::status::ok);
}
