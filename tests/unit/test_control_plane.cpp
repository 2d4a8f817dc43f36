// The control plane (SPEC section 5) driven without sockets: handle_control_plane() and
// App::handle() on HttpRequest values, over a real in-memory SqliteStore, a FaultEngine on a
// ManualClock and a RequestJournal. Every call's exact JSON answer; 405/404 for wrong methods
// and paths; malformed input answered 400/404 with nothing changed; fixtures upserted; reset
// back to the start state (store, rules with fresh counts, seed, empty journal); and the
// journal written by App::handle for operation calls only.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"
#include "control_plane.hpp"
#include "fault_engine.hpp"
#include "fixture_loader.hpp"
#include "fixture_parser.hpp"
#include "manual_clock.hpp"
#include "request_builder.hpp"
#include "request_journal.hpp"
#include "session_id.hpp"
#include "sqlite_store.hpp"

using namespace qapps;
using namespace std::chrono_literals;
using qapps::testing::make_request;
using qapps::testing::operation_request;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr std::uint64_t kSeed = 20261204;
constexpr std::string_view kVersion = "9.9.9-test";
constexpr std::string_view kRetro = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
constexpr std::string_view kReview = "1c9d7e52-3a4b-4c5d-8e6f-112233445566";
constexpr std::string_view kForecast = "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7";
constexpr std::string_view kUnknownSession = "00000000-0000-4000-8000-000000000000";

// What the server starts with: one instance, two users, two sessions, and two fault rules
// (one with a count, one with a probability) for instances that exist only for faults.
constexpr std::string_view kStartFixture = R"({"instances": [
  {"instanceId": "demo", "accountId": "123456789012", "region": "us-east-1",
   "users": [{"userId": "alice", "accessKeyId": "AKIAALICE", "secretAccessKey": "alice-secret"},
             {"userId": "bob", "accessKeyId": "AKIABOB", "secretAccessKey": "bob-secret"}],
   "sessions": [
     {"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "sessionName": "Team retro",
      "owner": "alice", "appId": "retro-app",
      "sharingConfiguration": {"enabled": true, "acceptResponses": true, "revealCards": false}},
     {"sessionId": "1c9d7e52-3a4b-4c5d-8e6f-112233445566", "owner": "AKIABOB",
      "sessionArn": "arn:custom:review", "sharingConfiguration": {"enabled": false}}]}],
 "faults": [
   {"error": "InternalServerException", "match": {"instanceId": "faulty"}, "count": 2,
    "retryAfterSeconds": 3},
   {"error": "AccessDeniedException", "match": {"instanceId": "flaky"}, "probability": 0.5}]})";

constexpr std::string_view kStartSessions = R"({"sessions": [
  {"instanceId": "demo", "sessionId": "1c9d7e52-3a4b-4c5d-8e6f-112233445566",
   "sessionArn": "arn:custom:review", "owner": "AKIABOB", "ownerUserId": "bob",
   "sharingConfiguration": {"enabled": false}},
  {"instanceId": "demo", "sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
   "sessionArn": "arn:aws:qapps:us-east-1:123456789012:application/demo/qapp-session/8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
   "sessionName": "Team retro", "owner": "alice", "ownerUserId": "alice", "appId": "retro-app",
   "sharingConfiguration": {"enabled": true, "acceptResponses": true, "revealCards": false}}]})";

constexpr std::string_view kStartFaults = R"({"faults": [
  {"id": 1, "error": "InternalServerException", "match": {"instanceId": "faulty"},
   "probability": 1, "count": 2, "retryAfterSeconds": 3, "delayMs": 0, "remaining": 2,
   "fired": 0},
  {"id": 2, "error": "AccessDeniedException", "match": {"instanceId": "flaky"},
   "probability": 0.5, "delayMs": 0, "fired": 0}]})";

// A second instance with one user, one session and one rule, as a test would POST it.
constexpr std::string_view kSalesFixture = R"({"instances": [
  {"instanceId": "sales", "accountId": "210987654321", "region": "us-west-2",
   "users": [{"userId": "carol", "accessKeyId": "AKIACAROL", "secretAccessKey": "carol-secret"}],
   "sessions": [
     {"sessionId": "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7", "sessionName": "Forecast",
      "owner": "carol", "sharingConfiguration": {"enabled": false, "revealCards": true}}]}],
 "faults": [{"error": "ThrottlingException", "match": {"instanceId": "sales"}, "count": 1}]})";

constexpr std::string_view kSalesSession = R"(
  {"instanceId": "sales", "sessionId": "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7",
   "sessionArn": "arn:aws:qapps:us-west-2:210987654321:application/sales/qapp-session/8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7",
   "sessionName": "Forecast", "owner": "carol", "ownerUserId": "carol",
   "sharingConfiguration": {"enabled": false, "revealCards": true}})";

json::value parse(std::string_view text) {
    return json::parse(text);
}

json::value body_of(const HttpResponse& response) {
    REQUIRE_FALSE(response.body().empty());
    return json::parse(response.body());
}

HttpRequest with_body(HttpRequest request, std::string_view body) {
    request.body() = std::string(body);
    request.prepare_payload();
    return request;
}

// The whole emulator as main wires it, without the network: start data loaded from
// kStartFixture, the store's snapshot taken right after, the start rules in the engine.
struct Emulator {
    std::unique_ptr<SqliteStore> store = SqliteStore::open(":memory:", 2);
    ManualClock clock;
    FaultEngine faults{kSeed, clock};
    RequestJournal journal;
    StartState start;
    std::unique_ptr<App> app;

    explicit Emulator(std::size_t journal_size = RequestJournal::kDefaultCapacity,
                      AuthMode auth = AuthMode::lenient)
        : journal(journal_size) {
        const FixtureDocument document = parse_fixture_text(kStartFixture, "start.json");
        start.fault_rules = load_fixture_documents({&document, 1}, *store);
        start.seed = kSeed;
        store->snapshot();
        faults.add_all(start.fault_rules);
        app = std::make_unique<App>(AppDeps{*store, faults, journal, clock},
                                    AppOptions{auth, std::string(kVersion), start});
    }

    // A control-plane call straight into handle_control_plane, request id "cp-request".
    HttpResponse control(http::verb method, std::string target, std::string_view body = "") {
        ControlPlaneDeps deps{*store, faults, journal, start, kVersion};
        auto request = with_body(make_request(method, std::move(target)), body);
        return handle_control_plane(request, deps, "cp-request");
    }

    json::value get(std::string target) {
        const auto response = control(http::verb::get, std::move(target));
        REQUIRE(response.result() == http::status::ok);
        return body_of(response);
    }

    // Everything a client can observe through the control plane (reading it changes nothing:
    // control-plane calls are not journaled).
    json::value observable_state() {
        return json::object{{"health", get("/_qapps/health")},
                            {"sessions", get("/_qapps/sessions")},
                            {"faults", get("/_qapps/faults")},
                            {"requests", get("/_qapps/requests")}};
    }

    // An operation call through App::handle, as boto3 would send it.
    Outcome call(std::string_view instance, std::string_view session,
                 std::string_view key = "AKIAALICE") {
        return app->handle(operation_request(instance, session, key));
    }
};

void check_json_headers(const HttpResponse& response, std::string_view request_id) {
    CHECK(response[http::field::content_type] == "application/json");
    CHECK(response["x-amzn-RequestId"] == request_id);
}

void check_ok(const HttpResponse& response, http::status status, std::string_view expected_body) {
    CHECK(response.result() == status);
    check_json_headers(response, "cp-request");
    CHECK(response.find("x-amzn-ErrorType") == response.end());
    CHECK(body_of(response) == parse(expected_body));
}

void check_error(const HttpResponse& response, http::status status, std::string_view type,
                 const std::string& message) {
    CHECK(response.result() == status);
    check_json_headers(response, "cp-request");
    CHECK(response["x-amzn-ErrorType"] == type);
    CHECK(body_of(response) == json::value(json::object{{"message", message}}));
}

std::string health_body(std::string_view status, int instances, int users, int sessions, int faults,
                        int requests) {
    return R"({"status": ")" + std::string(status) + R"(", "version": ")" + std::string(kVersion) +
           R"(", "instances": )" + std::to_string(instances) + R"(, "users": )" +
           std::to_string(users) + R"(, "sessions": )" + std::to_string(sessions) +
           R"(, "faults": )" + std::to_string(faults) + R"(, "requests": )" +
           std::to_string(requests) + "}";
}

std::vector<unsigned> statuses_of_flaky_calls(Emulator& emulator, int n) {
    std::vector<unsigned> statuses;
    for (int i = 0; i < n; ++i)
        statuses.push_back(emulator.call("flaky", kRetro).response.result_int());
    return statuses;
}

}  // namespace

// --- every call of the SPEC 5 table, with its exact answer -----------------------------------

TEST_CASE("control plane: GET /_qapps/health reports status, version and every count") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::get, "/_qapps/health"), http::status::ok,
             health_body("ok", 1, 2, 2, 2, 0));

    emulator.call("demo", kRetro);
    check_ok(emulator.control(http::verb::get, "/_qapps/health"), http::status::ok,
             health_body("ok", 1, 2, 2, 2, 1));
}

TEST_CASE("control plane: GET /_qapps/sessions lists all sessions, or one instance's") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::get, "/_qapps/sessions"), http::status::ok,
             kStartSessions);
    check_ok(emulator.control(http::verb::get, "/_qapps/sessions?instanceId=demo"),
             http::status::ok, kStartSessions);
    check_ok(emulator.control(http::verb::get, "/_qapps/sessions?instanceId=nope"),
             http::status::ok, R"({"sessions": []})");
}

TEST_CASE("control plane: POST /_qapps/faults adds a rule after the others: 201 {id}") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::post, "/_qapps/faults",
                              R"({"error": "ThrottlingException", "count": 3,
                                  "match": {"accessKeyId": "AKIABOB"}, "retryAfterSeconds": 2,
                                  "message": "slow down", "delayMs": 50})"),
             http::status::created, R"({"id": 3})");
    check_ok(emulator.control(http::verb::post, "/_qapps/faults",
                              R"({"rateLimit": {"requestsPerSecond": 2.5, "burst": 4}})"),
             http::status::created, R"({"id": 4})");

    json::value expected = parse(kStartFaults);
    auto& listed = expected.as_object()["faults"].as_array();
    listed.push_back(parse(R"({"id": 3, "error": "ThrottlingException",
        "match": {"accessKeyId": "AKIABOB"}, "probability": 1, "count": 3,
        "retryAfterSeconds": 2, "message": "slow down", "delayMs": 50, "remaining": 3,
        "fired": 0})"));
    listed.push_back(parse(R"({"id": 4, "rateLimit": {"requestsPerSecond": 2.5, "burst": 4},
        "match": {}, "delayMs": 0, "fired": 0})"));
    CHECK(emulator.get("/_qapps/faults") == expected);
}

TEST_CASE("control plane: GET /_qapps/faults shows the counters as rules fire") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::get, "/_qapps/faults"), http::status::ok, kStartFaults);

    CHECK(emulator.call("faulty", kRetro).response.result_int() == 500);
    json::value expected = parse(kStartFaults);
    auto& first = expected.as_object()["faults"].as_array()[0].as_object();
    first["remaining"] = 1;
    first["fired"] = 1;
    CHECK(emulator.get("/_qapps/faults") == expected);

    // The second firing uses the count up: the rule is gone.
    CHECK(emulator.call("faulty", kRetro).response.result_int() == 500);
    expected.as_object()["faults"].as_array().erase(
        expected.as_object()["faults"].as_array().begin());
    CHECK(emulator.get("/_qapps/faults") == expected);
    CHECK(emulator.call("faulty", kRetro).response.result_int() == 404);  // no such instance
}

TEST_CASE("control plane: DELETE /_qapps/faults/{id} removes that rule only") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::delete_, "/_qapps/faults/1"), http::status::ok,
             R"({"deleted": 1})");
    json::value expected = parse(kStartFaults);
    expected.as_object()["faults"].as_array().erase(
        expected.as_object()["faults"].as_array().begin());
    CHECK(emulator.get("/_qapps/faults") == expected);

    // Gone: a second delete finds nothing, and the rule no longer fires.
    check_error(emulator.control(http::verb::delete_, "/_qapps/faults/1"), http::status::not_found,
                "NotFoundException", "no fault rule with id 1");
    CHECK(emulator.call("faulty", kRetro).response.result_int() == 404);
}

TEST_CASE("control plane: DELETE /_qapps/faults removes every rule") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::delete_, "/_qapps/faults"), http::status::ok,
             R"({"deleted": 2})");
    check_ok(emulator.control(http::verb::get, "/_qapps/faults"), http::status::ok,
             R"({"faults": []})");
    check_ok(emulator.control(http::verb::delete_, "/_qapps/faults"), http::status::ok,
             R"({"deleted": 0})");
    // Ids are not reused until reset.
    check_ok(emulator.control(http::verb::post, "/_qapps/faults", R"({"delayMs": 5})"),
             http::status::created, R"({"id": 3})");
}

TEST_CASE("control plane: GET and DELETE /_qapps/requests") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::get, "/_qapps/requests"), http::status::ok,
             R"({"requests": []})");
    const auto outcome = emulator.call("demo", kRetro);
    const std::string request_id(outcome.response["x-amzn-RequestId"]);
    check_ok(emulator.control(http::verb::get, "/_qapps/requests"), http::status::ok,
             R"({"requests": [{"time": "2026-12-04T00:00:00.000Z", "requestId": ")" + request_id +
                 R"(", "instanceId": "demo", "sessionId": ")" + std::string(kRetro) +
                 R"(", "caller": "AKIAALICE", "status": 200, "error": null,
                     "injected": false, "latencyMicros": 0}]})");

    check_ok(emulator.control(http::verb::delete_, "/_qapps/requests"), http::status::ok,
             R"({"deleted": 1})");
    check_ok(emulator.control(http::verb::get, "/_qapps/requests"), http::status::ok,
             R"({"requests": []})");
    check_ok(emulator.control(http::verb::delete_, "/_qapps/requests"), http::status::ok,
             R"({"deleted": 0})");
}

TEST_CASE("control plane: POST /_qapps/reset answers the start counts") {
    Emulator emulator;
    emulator.call("demo", kRetro);
    check_ok(emulator.control(http::verb::post, "/_qapps/reset"), http::status::ok,
             health_body("reset", 1, 2, 2, 2, 0));
}

// --- POST /_qapps/fixtures --------------------------------------------------------------------

TEST_CASE("control plane: POST /_qapps/fixtures loads sessions and adds the document's faults") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::post, "/_qapps/fixtures", kSalesFixture),
             http::status::ok, R"({"instances": 1, "users": 1, "sessions": 1, "faultIds": [3]})");

    json::value sessions = parse(kStartSessions);
    sessions.as_object()["sessions"].as_array().push_back(parse(kSalesSession));
    CHECK(emulator.get("/_qapps/sessions") == sessions);
    CHECK(emulator.get("/_qapps/sessions?instanceId=sales") ==
          json::value(json::object{{"sessions", json::array{parse(kSalesSession)}}}));
    CHECK(emulator.get("/_qapps/health") == parse(health_body("ok", 2, 3, 3, 3, 0)));

    json::value faults = parse(kStartFaults);
    faults.as_object()["faults"].as_array().push_back(
        parse(R"({"id": 3, "error": "ThrottlingException", "match": {"instanceId": "sales"},
                  "probability": 1, "count": 1, "delayMs": 0, "remaining": 1, "fired": 0})"));
    CHECK(emulator.get("/_qapps/faults") == faults);

    // The new session answers; its rule fires once first.
    CHECK(emulator.call("sales", kForecast, "AKIACAROL").response.result_int() == 429);
    const auto outcome = emulator.call("sales", kForecast, "AKIACAROL");
    CHECK(outcome.response.result_int() == 200);
    CHECK(body_of(outcome.response) ==
          parse(R"({"sessionId": "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7",
        "sessionArn": "arn:aws:qapps:us-west-2:210987654321:application/sales/qapp-session/8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7",
        "sessionName": "Forecast", "sharingConfiguration": {"enabled": false, "revealCards": true},
        "sessionOwner": true})"));
}

TEST_CASE("control plane: loading the same fixtures twice leaves the same state") {
    Emulator emulator;
    constexpr std::string_view kNoFaults = R"({"instances": [
      {"instanceId": "sales", "accountId": "210987654321", "region": "us-west-2",
       "users": [{"userId": "carol", "accessKeyId": "AKIACAROL", "secretAccessKey": "s"}],
       "sessions": [{"sessionId": "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7", "owner": "carol",
                     "sharingConfiguration": {"enabled": true}}]}]})";
    const std::string answer = R"({"instances": 1, "users": 1, "sessions": 1, "faultIds": []})";
    check_ok(emulator.control(http::verb::post, "/_qapps/fixtures", kNoFaults), http::status::ok,
             answer);
    const json::value once = emulator.observable_state();
    check_ok(emulator.control(http::verb::post, "/_qapps/fixtures", kNoFaults), http::status::ok,
             answer);
    CHECK(emulator.observable_state() == once);
    CHECK(once.at("health") == parse(health_body("ok", 2, 3, 3, 2, 0)));
}

TEST_CASE("control plane: loading a document with faults twice renews its rules, adds no copy") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::post, "/_qapps/fixtures", kSalesFixture),
             http::status::ok, R"({"instances": 1, "users": 1, "sessions": 1, "faultIds": [3]})");
    // The rule fires once and expires...
    CHECK(emulator.call("sales", kForecast, "AKIACAROL").response.result_int() == 429);
    CHECK(emulator.call("sales", kForecast, "AKIACAROL").response.result_int() == 200);
    // ...so loading again adds it anew; loading a third time renews the live one in place.
    check_ok(emulator.control(http::verb::post, "/_qapps/fixtures", kSalesFixture),
             http::status::ok, R"({"instances": 1, "users": 1, "sessions": 1, "faultIds": [4]})");
    const json::value once = emulator.observable_state();
    check_ok(emulator.control(http::verb::post, "/_qapps/fixtures", kSalesFixture),
             http::status::ok, R"({"instances": 1, "users": 1, "sessions": 1, "faultIds": [4]})");
    CHECK(emulator.observable_state() == once);
    CHECK(emulator.call("sales", kForecast, "AKIACAROL").response.result_int() == 429);
    CHECK(emulator.call("sales", kForecast, "AKIACAROL").response.result_int() == 200);
}

TEST_CASE("control plane: POST /_qapps/fixtures upserts by id") {
    Emulator emulator;
    check_ok(emulator.control(http::verb::post, "/_qapps/fixtures", R"({"instances": [
      {"instanceId": "demo", "accountId": "123456789012", "region": "us-east-1",
       "sessions": [{"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "sessionName": "Renamed",
                     "owner": "bob", "sharingConfiguration": {"enabled": false}}]}]})"),
             http::status::ok, R"({"instances": 1, "users": 0, "sessions": 1, "faultIds": []})");

    json::value sessions = parse(kStartSessions);
    sessions.as_object()["sessions"].as_array()[1] = parse(R"(
      {"instanceId": "demo", "sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
       "sessionArn": "arn:aws:qapps:us-east-1:123456789012:application/demo/qapp-session/8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
       "sessionName": "Renamed", "owner": "bob", "ownerUserId": "bob",
       "sharingConfiguration": {"enabled": false}})");
    CHECK(emulator.get("/_qapps/sessions") == sessions);
    CHECK(emulator.get("/_qapps/health") == parse(health_body("ok", 1, 2, 2, 2, 0)));
    // alice no longer owns it and it is not shared.
    CHECK(emulator.call("demo", kRetro, "AKIAALICE").response.result_int() == 403);
}

// --- wrong methods and unknown paths ----------------------------------------------------------

TEST_CASE(
    "control plane: a known path with another method is 405 with Allow, and changes nothing") {
    struct Case {
        http::verb method;
        std::string target;
        std::string allow;
    };
    const std::vector<Case> cases = {
        {http::verb::post, "/_qapps/health", "GET"},
        {http::verb::delete_, "/_qapps/health", "GET"},
        {http::verb::get, "/_qapps/fixtures", "POST"},
        {http::verb::put, "/_qapps/fixtures", "POST"},
        {http::verb::post, "/_qapps/sessions", "GET"},
        {http::verb::delete_, "/_qapps/sessions", "GET"},
        {http::verb::put, "/_qapps/faults", "GET, POST, DELETE"},
        {http::verb::patch, "/_qapps/faults", "GET, POST, DELETE"},
        {http::verb::get, "/_qapps/faults/1", "DELETE"},
        {http::verb::post, "/_qapps/faults/1", "DELETE"},
        {http::verb::post, "/_qapps/requests", "GET, DELETE"},
        {http::verb::put, "/_qapps/requests", "GET, DELETE"},
        {http::verb::get, "/_qapps/reset", "POST"},
        {http::verb::delete_, "/_qapps/reset", "POST"},
    };
    Emulator emulator;
    emulator.call("demo", kRetro);  // so that a wrongly emptied journal would show
    const json::value before = emulator.observable_state();
    for (const Case& c : cases) {
        CAPTURE(c.target);
        CAPTURE(http::to_string(c.method));
        const auto response = emulator.control(c.method, c.target, R"({"instances": []})");
        check_error(response, http::status::method_not_allowed, "MethodNotAllowedException",
                    "Method " + std::string(http::to_string(c.method)) +
                        " is not allowed here; use " + c.allow);
        CHECK(response[http::field::allow] == c.allow);
    }
    CHECK(emulator.observable_state() == before);
}

TEST_CASE("control plane: an unknown /_qapps path is 404 UnknownOperationException") {
    Emulator emulator;
    const json::value before = emulator.observable_state();
    for (const std::string path :
         {"/_qapps/nope", "/_qapps/", "/_qapps/health/extra", "/_qapps/faultsx", "/_qapps/Health",
          "/_qapps/request", "/_qapps/resets"}) {
        CAPTURE(path);
        check_error(emulator.control(http::verb::get, path + "?x=1"), http::status::not_found,
                    "UnknownOperationException", "No operation matches GET " + path);
        check_error(emulator.control(http::verb::post, path), http::status::not_found,
                    "UnknownOperationException", "No operation matches POST " + path);
    }
    CHECK(emulator.observable_state() == before);
}

TEST_CASE("control plane: App routes /_qapps/ calls to the control plane, untouched by SigV4") {
    Emulator emulator;
    // No Authorization header at all: the control plane does not ask for one.
    const auto outcome = emulator.app->handle(make_request(http::verb::get, "/_qapps/health"));
    CHECK(outcome.response.result() == http::status::ok);
    CHECK(body_of(outcome.response) == parse(health_body("ok", 1, 2, 2, 2, 0)));
    CHECK(outcome.delay == 0ms);

    const auto unknown = emulator.app->handle(make_request(http::verb::get, "/_qapps/nope"));
    CHECK(unknown.response.result() == http::status::not_found);
    CHECK(unknown.response["x-amzn-ErrorType"] == "UnknownOperationException");
}

// --- malformed input: 400/404 with a JSON message, and nothing changes -----------------------

TEST_CASE("control plane: malformed input is refused with its reason and changes nothing") {
    struct Case {
        http::verb method;
        std::string target;
        std::string body;
        http::status status;
        std::string type;
        std::string message;
    };
    const std::string bad_session_reason =
        "not a valid session id: must match " + std::string(kSessionIdPattern);
    const std::vector<Case> cases = {
        // Bad JSON, with its line and column.
        {http::verb::post, "/_qapps/faults", "{\"error\": \"ThrottlingException\",\n  \"count\": }",
         http::status::bad_request, "BadRequestException",
         "request body: invalid JSON at line 2, column 12: syntax error"},
        {http::verb::post, "/_qapps/faults", "", http::status::bad_request, "BadRequestException",
         "request body: invalid JSON at line 1, column 1: incomplete JSON"},
        {http::verb::post, "/_qapps/faults", R"({"error": "ThrottlingException"} {})",
         http::status::bad_request, "BadRequestException",
         "request body: invalid JSON at line 1, column 34: extra data"},
        {http::verb::post, "/_qapps/fixtures", "{\"instances\": [\n\n  {\"instanceId\": \"x\",,}]}",
         http::status::bad_request, "BadRequestException",
         "request body: invalid JSON at line 3, column 22: syntax error"},
        // Bad rules, with the JSON path and the reason.
        {http::verb::post, "/_qapps/faults", "[]", http::status::bad_request, "BadRequestException",
         "request body: expected an object, got array"},
        {http::verb::post, "/_qapps/faults", R"({"error": "SlowDownException"})",
         http::status::bad_request, "BadRequestException",
         "request body: error: unknown error 'SlowDownException'; expected one of "
         "ValidationException, UnauthorizedException, ServiceQuotaExceededException, "
         "AccessDeniedException, ResourceNotFoundException, ThrottlingException, "
         "InternalServerException"},
        {http::verb::post, "/_qapps/faults",
         R"({"error": "ThrottlingException", "match": {"sessionId": "abc"}})",
         http::status::bad_request, "BadRequestException",
         "request body: match.sessionId: " + bad_session_reason},
        {http::verb::post, "/_qapps/faults", R"({"error": "ThrottlingException", "count": 0})",
         http::status::bad_request, "BadRequestException",
         "request body: count: must be a positive integer, got 0"},
        {http::verb::post, "/_qapps/faults",
         R"({"error": "ThrottlingException", "probability": 1.5})", http::status::bad_request,
         "BadRequestException", "request body: probability: must be from 0 to 1, got 1.5"},
        {http::verb::post, "/_qapps/faults",
         R"({"rateLimit": {"requestsPerSecond": 0, "burst": 5}})", http::status::bad_request,
         "BadRequestException",
         "request body: rateLimit.requestsPerSecond: must be a number above 0, got 0"},
        {http::verb::post, "/_qapps/faults", R"({"error": "ThrottlingException", "matc": {}})",
         http::status::bad_request, "BadRequestException",
         "request body: matc: unknown field 'matc'"},
        {http::verb::post, "/_qapps/faults", R"({"match": {"instanceId": "demo"}})",
         http::status::bad_request, "BadRequestException",
         "request body: the rule does nothing: give error, rateLimit, or delayMs above 0"},
        // Bad fixture documents: the whole document is refused, its valid parts included.
        {http::verb::post, "/_qapps/fixtures", "[]", http::status::bad_request,
         "BadRequestException", "request body: expected a JSON object at the top level, got array"},
        {http::verb::post, "/_qapps/fixtures", R"({"instances": [
           {"instanceId": "sales", "accountId": "210987654321", "region": "us-west-2",
            "sessions": [
              {"sessionId": "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7", "owner": "carol",
               "sharingConfiguration": {"enabled": true}},
              {"sessionId": "not-a-session", "owner": "carol",
               "sharingConfiguration": {"enabled": true}}]}]})",
         http::status::bad_request, "BadRequestException",
         "request body: instances[0].sessions[1].sessionId: " + bad_session_reason},
        {http::verb::post, "/_qapps/fixtures", R"({"instances": [
           {"instanceId": "sales", "accountId": "210987654321", "region": "us-west-2",
            "users": [{"userId": "carol", "accessKeyId": "AKIACAROL", "secretAccessKey": "s"}],
            "sessions": [{"sessionId": "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7",
                          "owner": "carol", "sharingConfiguration": {"enabled": true}}]}],
           "faults": [{"error": "ThrottlingException"}, {"error": "Nope"}]})",
         http::status::bad_request, "BadRequestException",
         "request body: faults[1].error: unknown error 'Nope'; expected one of "
         "ValidationException, UnauthorizedException, ServiceQuotaExceededException, "
         "AccessDeniedException, ResourceNotFoundException, ThrottlingException, "
         "InternalServerException"},
        // Fault ids that are not positive integers, and one that does not exist.
        {http::verb::delete_, "/_qapps/faults/abc", "", http::status::bad_request,
         "BadRequestException", "fault rule id 'abc' is not a positive integer"},
        {http::verb::delete_, "/_qapps/faults/0", "", http::status::bad_request,
         "BadRequestException", "fault rule id '0' is not a positive integer"},
        {http::verb::delete_, "/_qapps/faults/-1", "", http::status::bad_request,
         "BadRequestException", "fault rule id '-1' is not a positive integer"},
        {http::verb::delete_, "/_qapps/faults/1x", "", http::status::bad_request,
         "BadRequestException", "fault rule id '1x' is not a positive integer"},
        {http::verb::delete_, "/_qapps/faults/", "", http::status::bad_request,
         "BadRequestException", "fault rule id '' is not a positive integer"},
        {http::verb::delete_, "/_qapps/faults/99999999999999999999999", "",
         http::status::bad_request, "BadRequestException",
         "fault rule id '99999999999999999999999' is not a positive integer"},
        {http::verb::delete_, "/_qapps/faults/99", "", http::status::not_found, "NotFoundException",
         "no fault rule with id 99"},
    };

    Emulator emulator;
    emulator.call("demo", kRetro);  // a journal entry, which must survive too
    const json::value before = emulator.observable_state();
    for (const Case& c : cases) {
        CAPTURE(c.target);
        CAPTURE(c.body);
        check_error(emulator.control(c.method, c.target, c.body), c.status, c.type, c.message);
        CHECK(emulator.observable_state() == before);
    }
}

TEST_CASE("control plane: a fixture refused by the database check changes nothing") {
    Emulator emulator;
    const json::value before = emulator.observable_state();

    SUBCASE("an owner that is no user of the instance") {
        const auto response = emulator.control(http::verb::post, "/_qapps/fixtures", R"({
          "instances": [{"instanceId": "demo", "sessions": [
            {"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "alice",
             "sharingConfiguration": {"enabled": true}},
            {"sessionId": "00000000-0000-4000-8000-000000000002", "owner": "mallory",
             "sharingConfiguration": {"enabled": true}}]}]})");
        CHECK(response.result() == http::status::bad_request);
        CHECK(response["x-amzn-ErrorType"] == "BadRequestException");
        const std::string message(body_of(response).at("message").as_string());
        CHECK(message.starts_with("request body: instances[0].sessions[1].owner: "));
        CHECK(message.find("mallory") != std::string::npos);
    }
    SUBCASE("an access key already held by another user") {
        const auto response = emulator.control(http::verb::post, "/_qapps/fixtures", R"({
          "instances": [{"instanceId": "sales", "users": [
            {"userId": "carol", "accessKeyId": "AKIACAROL", "secretAccessKey": "c"},
            {"userId": "mallory", "accessKeyId": "AKIAALICE", "secretAccessKey": "m"}]}]})");
        CHECK(response.result() == http::status::bad_request);
        CHECK(response["x-amzn-ErrorType"] == "BadRequestException");
        const std::string message(body_of(response).at("message").as_string());
        CHECK(message.starts_with("request body: instances[0].users[1]"));
        CHECK(message.find("AKIAALICE") != std::string::npos);
    }
    CHECK(emulator.observable_state() == before);
}

// --- reset ------------------------------------------------------------------------------------

TEST_CASE("control plane: reset restores the start store, rules with fresh counts, empty journal") {
    Emulator emulator;
    const json::value start_state = emulator.observable_state();
    CHECK(start_state.at("sessions") == parse(kStartSessions));
    CHECK(start_state.at("faults") == parse(kStartFaults));

    // Change everything a test can change.
    CHECK(emulator.control(http::verb::post, "/_qapps/fixtures", kSalesFixture).result() ==
          http::status::ok);
    CHECK(emulator
              .control(http::verb::post, "/_qapps/fixtures", R"({"instances": [
      {"instanceId": "demo", "sessions": [{"sessionId": "1c9d7e52-3a4b-4c5d-8e6f-112233445566",
       "owner": "alice", "sessionName": "Changed", "sharingConfiguration": {"enabled": true}}]}]})")
              .result() == http::status::ok);
    CHECK(emulator.control(http::verb::post, "/_qapps/faults", R"({"delayMs": 10})").result() ==
          http::status::created);
    CHECK(emulator.control(http::verb::delete_, "/_qapps/faults/2").result() == http::status::ok);
    CHECK(emulator.call("faulty", kRetro).response.result_int() == 500);  // rule 1: 1 left
    CHECK(emulator.call("demo", kRetro).response.result_int() == 200);
    CHECK(emulator.observable_state() != start_state);

    check_ok(emulator.control(http::verb::post, "/_qapps/reset"), http::status::ok,
             health_body("reset", 1, 2, 2, 2, 0));
    CHECK(emulator.observable_state() == start_state);

    // The start rules are live again from their first firing, and ids start over after them.
    CHECK(emulator.call("faulty", kRetro).response.result_int() == 500);
    CHECK(emulator.call("faulty", kRetro).response.result_int() == 500);
    CHECK(emulator.call("faulty", kRetro).response.result_int() == 404);
    check_ok(emulator.control(http::verb::post, "/_qapps/faults", R"({"delayMs": 10})"),
             http::status::created, R"({"id": 3})");
    // The sessions loaded at run time are gone.
    CHECK(emulator.call("sales", kForecast, "AKIACAROL").response.result_int() == 404);
}

TEST_CASE("control plane: reset re-seeds: the same probability sequence repeats") {
    Emulator emulator;
    const auto first = statuses_of_flaky_calls(emulator, 40);
    // Both outcomes occur (403 fired, 404 no such instance), so the comparison means something.
    CHECK(std::count(first.begin(), first.end(), 403U) > 5);
    CHECK(std::count(first.begin(), first.end(), 404U) > 5);
    CHECK(std::count(first.begin(), first.end(), 403U) +
              std::count(first.begin(), first.end(), 404U) ==
          40);

    // Without a reset the generator goes on: another sequence.
    CHECK(statuses_of_flaky_calls(emulator, 40) != first);

    CHECK(emulator.control(http::verb::post, "/_qapps/reset").result() == http::status::ok);
    CHECK(statuses_of_flaky_calls(emulator, 40) == first);

    // And a fresh emulator with the same seed draws the same.
    Emulator fresh;
    CHECK(statuses_of_flaky_calls(fresh, 40) == first);
}

// --- the journal, as App::handle writes it ----------------------------------------------------

TEST_CASE("journal: App::handle records operation calls only, each with its answer") {
    Emulator emulator;
    CHECK(emulator
              .control(http::verb::post, "/_qapps/faults",
                       R"({"delayMs": 250, "match": {"instanceId": "slow"}})")
              .result() == http::status::created);

    struct Expected {
        std::string request_id;
        std::string time;
        std::string instance_id;
        std::string session_id;
        std::string caller;
        unsigned status;
        std::string error;  // "" for none
        bool injected;
        std::int64_t latency_micros;
    };
    std::vector<Expected> expected;
    auto note = [&](const Outcome& outcome, std::string time, std::string instance,
                    std::string_view session, std::string caller, unsigned status,
                    std::string error, bool injected, std::int64_t latency) {
        CHECK(outcome.response.result_int() == status);
        expected.push_back({std::string(outcome.response["x-amzn-RequestId"]), std::move(time),
                            std::move(instance), std::string(session), std::move(caller), status,
                            std::move(error), injected, latency});
    };

    // Control-plane calls in between: none of them is journaled.
    emulator.app->handle(make_request(http::verb::get, "/_qapps/health"));
    note(emulator.call("demo", kRetro), "2026-12-04T00:00:00.000Z", "demo", kRetro, "AKIAALICE",
         200, "", false, 0);
    emulator.app->handle(make_request(http::verb::get, "/_qapps/faults"));

    emulator.clock.advance(1500ms);
    note(emulator.call("demo", kUnknownSession, "AKIABOB"), "2026-12-04T00:00:01.500Z", "demo",
         kUnknownSession, "AKIABOB", 404, "ResourceNotFoundException", false, 0);
    note(emulator.call("demo", kReview, "AKIAALICE"), "2026-12-04T00:00:01.500Z", "demo", kReview,
         "AKIAALICE", 403, "AccessDeniedException", false, 0);
    note(emulator.call("faulty", kRetro, "test"), "2026-12-04T00:00:01.500Z", "faulty", kRetro,
         "test", 500, "InternalServerException", true, 0);

    emulator.clock.advance(42ms);
    auto throttled = operation_request("demo", kRetro, "AKIABOB");
    throttled.set("x-qapps-inject-error", "ThrottlingException");
    note(emulator.app->handle(throttled), "2026-12-04T00:00:01.542Z", "demo", kRetro, "AKIABOB",
         429, "ThrottlingException", true, 0);
    auto misnamed = operation_request("demo", kRetro, "AKIABOB");
    misnamed.set("x-qapps-inject-error", "NoSuchException");
    note(emulator.app->handle(misnamed), "2026-12-04T00:00:01.542Z", "demo", kRetro, "AKIABOB", 400,
         "ValidationException", false, 0);
    note(emulator.call("demo", "abc"), "2026-12-04T00:00:01.542Z", "demo", "abc", "AKIAALICE", 400,
         "ValidationException", false, 0);
    // A delay-only rule: not an injected error, but its delay is the latency the client sees.
    note(emulator.call("slow", kRetro), "2026-12-04T00:00:01.542Z", "slow", kRetro, "AKIAALICE",
         404, "ResourceNotFoundException", false, 250000);
    emulator.app->handle(make_request(http::verb::delete_, "/_qapps/faults/99"));

    json::array entries;
    for (const Expected& e : expected) {
        json::object entry{{"time", e.time},
                           {"requestId", e.request_id},
                           {"instanceId", e.instance_id},
                           {"sessionId", e.session_id},
                           {"caller", e.caller},
                           {"status", e.status},
                           {"error", nullptr},
                           {"injected", e.injected},
                           {"latencyMicros", e.latency_micros}};
        if (!e.error.empty()) entry["error"] = e.error;
        entries.push_back(std::move(entry));
    }
    CHECK(emulator.get("/_qapps/requests") == json::value(json::object{{"requests", entries}}));
    CHECK(emulator.journal.size() == expected.size());
}

TEST_CASE("journal: an anonymous caller (auth none) and an unsigned one") {
    Emulator emulator(RequestJournal::kDefaultCapacity, AuthMode::none);
    auto anonymous = operation_request("demo", kRetro);
    anonymous.erase(http::field::authorization);
    const auto outcome = emulator.app->handle(anonymous);
    CHECK(outcome.response.result_int() == 200);

    const auto entries = emulator.journal.entries();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].request_id == outcome.response["x-amzn-RequestId"]);
    CHECK(entries[0].caller == "anonymous");
    CHECK(entries[0].status == 200);

    Emulator lenient;
    const auto refused = lenient.app->handle(anonymous);
    CHECK(refused.response.result_int() == 401);
    const auto refused_entries = lenient.journal.entries();
    REQUIRE(refused_entries.size() == 1);
    CHECK(refused_entries[0].request_id == refused.response["x-amzn-RequestId"]);
    CHECK(refused_entries[0].status == 401);
    CHECK(refused_entries[0].error == "UnauthorizedException");
    CHECK_FALSE(refused_entries[0].injected);
}

TEST_CASE("journal: bounded by its size, newest last") {
    Emulator emulator(3);
    std::vector<std::string> request_ids;
    for (int i = 0; i < 5; ++i) {
        request_ids.emplace_back(emulator.call("demo", kRetro).response["x-amzn-RequestId"]);
    }
    const json::value listed = emulator.get("/_qapps/requests");
    const auto& entries = listed.at("requests").as_array();
    REQUIRE(entries.size() == 3);
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(entries[i].at("requestId") == json::value(request_ids[i + 2]));
    CHECK(emulator.get("/_qapps/health").at("requests") == 3);

    // reset empties it; it fills again from there.
    CHECK(emulator.control(http::verb::post, "/_qapps/reset").result() == http::status::ok);
    CHECK(emulator.get("/_qapps/requests") == parse(R"({"requests": []})"));
    const std::string after(emulator.call("demo", kRetro).response["x-amzn-RequestId"]);
    CHECK(emulator.get("/_qapps/requests").at("requests").as_array().size() == 1);
    CHECK(emulator.get("/_qapps/requests").at("requests").as_array()[0].at("requestId") ==
          json::value(after));
}
