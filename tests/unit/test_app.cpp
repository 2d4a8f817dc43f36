// App: routing of every request to the operation, the control plane, or a 404/405 answer; the
// headers every answer carries; and the delay of an Outcome, which comes from a delay rule.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"
#include "fault_engine.hpp"
#include "fault_rule.hpp"
#include "fixture_loader.hpp"
#include "fixture_parser.hpp"
#include "manual_clock.hpp"
#include "request_builder.hpp"
#include "request_journal.hpp"
#include "sqlite_store.hpp"

using namespace qapps;
using namespace std::chrono_literals;
using qapps::testing::make_request;
using qapps::testing::operation_request;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr std::string_view kRetro = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
constexpr std::string_view kOperationTarget =
    "/runtime.getQAppSessionMetadata?sessionId=8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";

constexpr std::string_view kFixture = R"({"instances": [
  {"instanceId": "demo", "accountId": "123456789012", "region": "us-east-1",
   "users": [{"userId": "alice", "accessKeyId": "AKIAALICE", "secretAccessKey": "alice-secret"}],
   "sessions": [{"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "sessionName": "Team retro",
                 "owner": "alice", "sharingConfiguration": {"enabled": true}}]}]})";

constexpr std::string_view kRetroMetadata = R"({"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
  "sessionArn": "arn:aws:qapps:us-east-1:123456789012:application/demo/qapp-session/8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
  "sessionName": "Team retro", "sharingConfiguration": {"enabled": true}, "sessionOwner": true})";

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

struct AppUnderTest {
    std::unique_ptr<SqliteStore> store = SqliteStore::open(":memory:", 2);
    ManualClock clock;
    FaultEngine faults{1, clock};
    RequestJournal journal;
    std::unique_ptr<App> app;

    AppUnderTest() {
        const FixtureDocument document = parse_fixture_text(kFixture, "app.json");
        load_fixture_documents({&document, 1}, *store);
        store->snapshot();
        app = std::make_unique<App>(AppDeps{*store, faults, journal, clock},
                                    AppOptions{AuthMode::lenient, "1.0.0-test", StartState{}});
    }

    void add_rule(std::string_view json_rule) {
        faults.add(parse_fault_rule(json::parse(json_rule), "test", ""));
    }
};

json::value body_of(const HttpResponse& response) {
    REQUIRE_FALSE(response.body().empty());
    return json::parse(response.body());
}

void check_error(const Outcome& outcome, http::status status, std::string_view type,
                 const std::string& message) {
    CHECK(outcome.response.result() == status);
    CHECK(outcome.response["x-amzn-ErrorType"] == type);
    CHECK(outcome.response[http::field::content_type] == "application/json");
    CHECK(body_of(outcome.response) == json::value(json::object{{"message", message}}));
    CHECK(outcome.delay == 0ms);
}

}  // namespace

TEST_CASE("app: GET on the operation path is the operation") {
    AppUnderTest t;
    const Outcome outcome = t.app->handle(operation_request("demo", kRetro));
    CHECK(outcome.response.result() == http::status::ok);
    CHECK(outcome.response[http::field::content_type] == "application/json");
    CHECK(outcome.response.find("x-amzn-ErrorType") == outcome.response.end());
    CHECK(body_of(outcome.response) == json::parse(kRetroMetadata));
    CHECK(outcome.delay == 0ms);
    CHECK(t.journal.size() == 1);
}

TEST_CASE("app: another method on the operation path is 405 with Allow: GET") {
    AppUnderTest t;
    for (const http::verb method : {http::verb::post, http::verb::put, http::verb::delete_,
                                    http::verb::patch, http::verb::head}) {
        CAPTURE(http::to_string(method));
        auto request = operation_request("demo", kRetro);
        request.method(method);
        const Outcome outcome = t.app->handle(request);
        check_error(
            outcome, http::status::method_not_allowed, "MethodNotAllowedException",
            "Method " + std::string(http::to_string(method)) + " is not allowed here; use GET");
        CHECK(outcome.response[http::field::allow] == "GET");
    }
}

TEST_CASE("app: any other path is 404 UnknownOperationException, query string left out") {
    AppUnderTest t;
    for (const std::string path :
         {"/", "/runtime.getQAppSessionMetadataX", "/runtime.getqappsessionmetadata",
          "/runtime.getQAppSessionMetadata/", "/runtime.listQApps", "/_qapps",
          "/x/runtime.getQAppSessionMetadata"}) {
        CAPTURE(path);
        auto request = operation_request("demo", kRetro);
        request.target(path + "?sessionId=" + std::string(kRetro));
        check_error(t.app->handle(request), http::status::not_found, "UnknownOperationException",
                    "No operation matches GET " + path);
        request.method(http::verb::post);
        check_error(t.app->handle(request), http::status::not_found, "UnknownOperationException",
                    "No operation matches POST " + path);
    }
    // None of these is an operation call.
    CHECK(t.journal.size() == 0);
}

TEST_CASE("app: every answer has a fresh x-amzn-RequestId, JSON Content-Type and a JSON body") {
    AppUnderTest t;
    auto injected = operation_request("demo", kRetro);
    injected.set("x-qapps-inject-error", "InternalServerException");
    auto unsigned_request = operation_request("demo", kRetro);
    unsigned_request.erase(http::field::authorization);
    auto bad_rule = make_request(http::verb::post, "/_qapps/faults");
    bad_rule.body() = "{";
    bad_rule.prepare_payload();

    const std::vector<HttpRequest> requests = {
        operation_request("demo", kRetro),
        operation_request("demo", "00000000-0000-4000-8000-000000000000"),
        operation_request("nope", kRetro),
        operation_request("", "abc"),
        injected,
        unsigned_request,
        make_request(http::verb::post, std::string(kOperationTarget)),
        make_request(http::verb::get, "/"),
        make_request(http::verb::head, "/favicon.ico"),
        make_request(http::verb::get, "/_qapps/health"),
        make_request(http::verb::get, "/_qapps/sessions"),
        make_request(http::verb::get, "/_qapps/faults"),
        make_request(http::verb::get, "/_qapps/requests"),
        make_request(http::verb::post, "/_qapps/health"),
        make_request(http::verb::get, "/_qapps/unknown"),
        make_request(http::verb::delete_, "/_qapps/faults/7"),
        bad_rule,
    };
    std::set<std::string> request_ids;
    for (const HttpRequest& request : requests) {
        CAPTURE(request.method_string());
        CAPTURE(request.target());
        const Outcome outcome = t.app->handle(request);
        const std::string request_id(outcome.response["x-amzn-RequestId"]);
        CHECK(std::regex_match(request_id, kUuid));
        request_ids.insert(request_id);
        CHECK(outcome.response[http::field::content_type] == "application/json");
        REQUIRE_FALSE(outcome.response.body().empty());
        CHECK(body_of(outcome.response).is_object());
        CHECK(outcome.response[http::field::content_length] ==
              std::to_string(outcome.response.body().size()));
        if (outcome.response.result_int() >= 400) {
            CHECK(body_of(outcome.response).as_object().contains("message"));
            CHECK(outcome.response.find("x-amzn-ErrorType") != outcome.response.end());
        }
    }
    CHECK(request_ids.size() == requests.size());
}

TEST_CASE("app: the Outcome's delay comes from a delay rule") {
    AppUnderTest t;

    SUBCASE("no rule: no delay") {
        CHECK(t.app->handle(operation_request("demo", kRetro)).delay == 0ms);
    }
    SUBCASE("a delay-only rule: the answer is the normal one, held back") {
        t.add_rule(R"({"delayMs": 300})");
        const Outcome outcome = t.app->handle(operation_request("demo", kRetro));
        CHECK(outcome.response.result() == http::status::ok);
        CHECK(body_of(outcome.response) == json::parse(kRetroMetadata));
        CHECK(outcome.delay == 300ms);
    }
    SUBCASE("an error rule with delayMs: the error, held back") {
        t.add_rule(R"({"error": "ThrottlingException", "delayMs": 200, "retryAfterSeconds": 4})");
        const Outcome outcome = t.app->handle(operation_request("demo", kRetro));
        CHECK(outcome.response.result() == http::status::too_many_requests);
        CHECK(outcome.response["x-amzn-ErrorType"] == "ThrottlingException");
        CHECK(outcome.response[http::field::retry_after] == "4");
        CHECK(outcome.delay == 200ms);
    }
    SUBCASE("a delay rule that does not match: no delay") {
        t.add_rule(R"({"delayMs": 300, "match": {"instanceId": "other"}})");
        CHECK(t.app->handle(operation_request("demo", kRetro)).delay == 0ms);
        CHECK(t.app->handle(operation_request("other", kRetro)).delay == 300ms);
    }
    SUBCASE("the control plane is never delayed") {
        t.add_rule(R"({"delayMs": 300})");
        CHECK(t.app->handle(make_request(http::verb::get, "/_qapps/health")).delay == 0ms);
        CHECK(t.app->handle(make_request(http::verb::get, "/")).delay == 0ms);
    }
    SUBCASE("a request refused before the faults step is not delayed") {
        t.add_rule(R"({"delayMs": 300})");
        CHECK(t.app->handle(operation_request("demo", "abc")).delay == 0ms);
    }
}

TEST_CASE("app: reject answers in the same wire format with a fresh request id") {
    AppUnderTest t;
    const HttpResponse response = t.app->reject(ApiError::header_too_large(), 11);
    CHECK(response.result() == http::status::request_header_fields_too_large);
    CHECK(response["x-amzn-ErrorType"] == "RequestHeaderFieldsTooLargeException");
    CHECK(response[http::field::content_type] == "application/json");
    CHECK(std::regex_match(std::string(response["x-amzn-RequestId"]), kUuid));
    CHECK(body_of(response).as_object().at("message") ==
          "The request's header is larger than this server accepts");
}
