// AccessLog: the exact line format on stdout, diagnostics on stderr, the level filter, and one
// line per answer (rejections included) when a real Server writes them.
#include <doctest/doctest.h>

#include <regex>

#include "net_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using namespace qapps::test;
using qapps::AccessLog;
using qapps::AccessLogEntry;
using qapps::LogLevel;

std::string record(LogLevel level, const AccessLogEntry& entry) {
    const AccessLog log(level);
    FdCapture capture(STDOUT_FILENO);
    log.record(entry);
    return capture.finish();
}

std::string message(LogLevel configured, LogLevel level, std::string_view text) {
    const AccessLog log(configured);
    FdCapture capture(STDERR_FILENO);
    log.message(level, text);
    return capture.finish();
}

const std::string kTimestamp = R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)";

}  // namespace

TEST_CASE("access log: one line with time, request, status, error, latency and request id") {
    AccessLogEntry entry;
    entry.method = "GET";
    entry.target = "/runtime.getQAppSessionMetadata?sessionId=abc";
    entry.status = 200;
    entry.request_id = "r-1";
    entry.latency = 420us;
    const std::string line = record(LogLevel::info, entry);
    CHECK_MESSAGE(
        std::regex_match(line, std::regex(kTimestamp + R"( GET /runtime\.getQAppSessionMetadata\?)"
                                                       R"(sessionId=abc 200 - 0\.42ms req=r-1\n)")),
        line);
}

TEST_CASE("access log: error type, unknown request line, and bytes that would break the line") {
    AccessLogEntry entry;
    entry.status = 431;
    entry.error_type = "RequestHeaderFieldsTooLargeException";
    entry.request_id = "r-2";
    entry.latency = 12346us;
    CHECK(std::regex_match(record(LogLevel::debug, entry),
                           std::regex(kTimestamp + " - - 431 RequestHeaderFieldsTooLargeException "
                                                   R"(12\.35ms req=r-2\n)")));

    entry.method = "GET";
    entry.target = "/a b\nforged";
    const std::string line = record(LogLevel::info, entry);
    CHECK(line.find(R"( /a\x20b\x0aforged )") != std::string::npos);
    CHECK(line.find('\n') == line.size() - 1);
}

TEST_CASE("access log: levels above info silence access lines") {
    AccessLogEntry entry;
    entry.method = "GET";
    entry.target = "/";
    entry.status = 200;
    CHECK(record(LogLevel::warn, entry).empty());
    CHECK(record(LogLevel::off, entry).empty());
}

TEST_CASE("access log: diagnostics go to stderr at or above the configured level") {
    CHECK(message(LogLevel::info, LogLevel::warn, "disk is slow") ==
          "qapps-local: warn: disk is slow\n");
    CHECK(message(LogLevel::info, LogLevel::info, "listening") == "qapps-local: info: listening\n");
    CHECK(message(LogLevel::info, LogLevel::debug, "detail").empty());
    CHECK(message(LogLevel::debug, LogLevel::debug, "detail") == "qapps-local: debug: detail\n");
    CHECK(message(LogLevel::off, LogLevel::error, "anything").empty());
}

TEST_CASE("access log: the server writes one line per answer, rejections included") {
    std::string output;
    {
        FdCapture capture(STDOUT_FILENO);
        {
            RunningServer server(test_options(), LogLevel::info);
            Client client(server.endpoint());
            client.send(get("/runtime.getQAppSessionMetadata?sessionId=abc"));
            const auto ok = client.response();
            Client rejected(server.endpoint());
            rejected.send(get("/big", "x-padding: " + std::string(2000, 'a') + "\r\n"));
            const auto too_large = rejected.response();
            (void)ok;
            (void)too_large;
        }  // run() has returned and its threads are joined: every line is written
        output = capture.finish();
    }
    const std::regex ok_line(kTimestamp +
                             R"( GET /runtime\.getQAppSessionMetadata\?sessionId=abc 200 - )"
                             R"(\d+\.\d\dms req=req-1)");
    const std::regex rejected_line(kTimestamp +
                                   R"( GET /big 431 RequestHeaderFieldsTooLargeException )"
                                   R"(\d+\.\d\dms req=rejected)");
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; (end = output.find('\n', start)) != std::string::npos;
         start = end + 1) {
        lines.push_back(output.substr(start, end - start));
    }
    // The two connections are independent: their lines may come in either order.
    REQUIRE_MESSAGE(lines.size() == 2, output);
    const bool in_order =
        std::regex_match(lines[0], ok_line) && std::regex_match(lines[1], rejected_line);
    const bool swapped =
        std::regex_match(lines[1], ok_line) && std::regex_match(lines[0], rejected_line);
    CHECK_MESSAGE((in_order || swapped), output);
}
