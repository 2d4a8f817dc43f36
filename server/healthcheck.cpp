#include "healthcheck.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "http_types.hpp"

namespace qapps {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A health answer is a few hundred bytes; anything much larger is not from qapps-local.
constexpr std::uint64_t kBodyLimit = 64 * 1024;

// Starts one asynchronous step and runs the io_context until it completes. The stream's
// deadline, set once before the first step, bounds all steps together.
template <typename Start>
beast::error_code run_step(net::io_context& ioc, Start start) {
    beast::error_code result = net::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
}

std::string host_for_url(const net::ip::address& address) {
    return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

// Why a network step failed, in words for the log.
std::string network_failure(std::string_view step, const beast::error_code& ec,
                            std::chrono::milliseconds timeout) {
    if (ec == beast::error::timeout)
        return "no answer within " + std::to_string(timeout.count()) + " ms";
    return std::string(step) + ": " + ec.message();
}

// Judges a complete answer: empty when it says "ok".
std::string judge(const HttpResponse& response) {
    if (response.result() != http::status::ok) {
        return "answered " + std::to_string(response.result_int()) + " " +
               std::string(response.reason());
    }
    beast::error_code ec;
    const json::value body = json::parse(response.body(), ec);
    if (ec || !body.is_object()) return "answered 200 without a JSON object";
    const json::value* status = body.as_object().if_contains("status");
    if (status == nullptr) return R"(answered 200 without a "status")";
    if (!status->is_string() || status->as_string() != "ok")
        return R"(answered 200 with "status": )" + json::serialize(*status) + R"(, not "ok")";
    return {};
}

}  // namespace

std::string healthcheck_host(const std::string& host) {
    if (host.empty() || host == "0.0.0.0" || host == "localhost") return "127.0.0.1";
    if (host == "::") return "::1";
    return host;
}

HealthcheckResult check_health(const std::string& host, unsigned short port,
                               std::chrono::milliseconds timeout) {
    HealthcheckResult result;
    beast::error_code ec;
    const auto address = net::ip::make_address(host, ec);
    if (ec) {
        result.url = "http://" + host + ":" + std::to_string(port) + std::string(kHealthPath);
        result.reason = "'" + host + "' is not an IP address";
        return result;
    }
    const std::string authority = host_for_url(address) + ":" + std::to_string(port);
    result.url = "http://" + authority + std::string(kHealthPath);

    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout);

    ec =
        run_step(ioc, [&](auto done) { stream.async_connect(tcp::endpoint(address, port), done); });
    if (ec) {
        result.reason = network_failure("cannot connect", ec, timeout);
        return result;
    }

    HttpRequest request{http::verb::get, kHealthPath, 11};
    request.set(http::field::host, authority);
    request.set(http::field::user_agent, "qapps-local-healthcheck");
    request.keep_alive(false);
    ec = run_step(ioc, [&](auto done) { http::async_write(stream, request, done); });
    if (ec) {
        result.reason = network_failure("cannot send the request", ec, timeout);
        return result;
    }

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    ec = run_step(ioc, [&](auto done) { http::async_read(stream, buffer, parser, done); });
    if (ec) {
        result.reason = network_failure("cannot read the answer", ec, timeout);
        return result;
    }

    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    result.reason = judge(parser.get());
    result.healthy = result.reason.empty();
    return result;
}

int run_healthcheck(const Config& config, std::ostream& err) {
    const HealthcheckResult result = check_health(healthcheck_host(config.host), config.port);
    if (result.healthy) return 0;
    err << "qapps-local: healthcheck: " << result.url << ": " << result.reason << std::endl;
    return 1;
}

int run_healthcheck(const Config& config) {
    return run_healthcheck(config, std::cerr);
}

}  // namespace qapps
