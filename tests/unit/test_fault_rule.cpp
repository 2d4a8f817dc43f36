#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>

#include "fault_rule.hpp"
#include "fixture_error.hpp"

using namespace qapps;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kSession = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";

FaultRule parse(std::string_view text) {
    return parse_fault_rule(boost::json::parse(text), "faults.json", "faults[2]");
}

// The refusal of `text` as rule faults[2] of faults.json: "path: reason".
std::string refusal(std::string_view text) {
    try {
        parse(text);
    } catch (const FixtureError& error) {
        CHECK(error.source() == "faults.json");
        return error.path() + ": " + error.reason();
    }
    return "accepted";
}

std::string file_refusal(std::string_view text) {
    try {
        parse_faults_file_text(text, "faults.json");
    } catch (const FixtureError& error) {
        CHECK(error.source() == "faults.json");
        return error.path() + ": " + error.reason();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("defaults: empty match, probability 1, no count, no delay, nothing else") {
    const FaultRule rule = parse(R"({"error": "ThrottlingException"})");
    CHECK(rule.error == "ThrottlingException");
    CHECK(rule.match == FaultMatch{});
    CHECK(rule.probability == 1.0);
    CHECK_FALSE(rule.count);
    CHECK_FALSE(rule.retry_after_seconds);
    CHECK_FALSE(rule.message);
    CHECK(rule.delay == 0ms);
    CHECK_FALSE(rule.rate_limit);
    CHECK_FALSE(rule.quota_code);
}

TEST_CASE("every field is read") {
    const FaultRule rule = parse(R"({
        "error": "ThrottlingException",
        "match": {"instanceId": "demo", "sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
                  "accessKeyId": "AKIAALICE"},
        "probability": 0.25, "count": 3, "retryAfterSeconds": 2, "message": "slow down",
        "delayMs": 150, "quotaCode": "L-CUSTOM"})");
    CHECK(rule.match.instance_id == "demo");
    CHECK(rule.match.session_id == kSession);
    CHECK(rule.match.access_key_id == "AKIAALICE");
    CHECK(rule.probability == 0.25);
    CHECK(rule.count == 3U);
    CHECK(rule.retry_after_seconds == 2);
    CHECK(rule.message == "slow down");
    CHECK(rule.delay == 150ms);
    CHECK(rule.quota_code == "L-CUSTOM");

    const FaultRule limit =
        parse(R"({"rateLimit": {"requestsPerSecond": 0.5, "burst": 4}, "delayMs": 10})");
    REQUIRE(limit.rate_limit);
    CHECK(limit.rate_limit->requests_per_second == 0.5);
    CHECK(limit.rate_limit->burst == 4U);
    CHECK_FALSE(limit.error);
}

TEST_CASE("a delay-only rule has no error") {
    const FaultRule rule = parse(R"({"delayMs": 600000})");
    CHECK_FALSE(rule.error);
    CHECK(rule.delay == 600000ms);
}

TEST_CASE("whole numbers written as decimals or exponents are integers") {
    const FaultRule rule = parse(R"({"error": "InternalServerException", "count": 3.0,
                                     "delayMs": 1e3, "retryAfterSeconds": 2.0})");
    CHECK(rule.count == 3U);
    CHECK(rule.delay == 1000ms);
    CHECK(rule.retry_after_seconds == 2);
}

TEST_CASE("each of the seven error names is accepted") {
    for (const char* name :
         {"ValidationException", "UnauthorizedException", "ServiceQuotaExceededException",
          "AccessDeniedException", "ResourceNotFoundException", "ThrottlingException",
          "InternalServerException"}) {
        CAPTURE(name);
        CHECK(parse(std::string(R"({"error": ")") + name + "\"}").error == name);
    }
}

TEST_CASE("refused: a rule that is not an object") {
    CHECK(refusal(R"([])") == "faults[2]: expected an object, got array");
    CHECK(refusal(R"("ThrottlingException")") == "faults[2]: expected an object, got string");
    CHECK(refusal(R"(null)") == "faults[2]: expected an object, got null");
}

TEST_CASE("refused: unknown fields, at every level, before anything else") {
    CHECK(refusal(R"({"eror": "ThrottlingException"})") == "faults[2].eror: unknown field 'eror'");
    CHECK(refusal(R"({"error": "ThrottlingException", "match": {"session": "x"}})") ==
          "faults[2].match.session: unknown field 'session'");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1, "rps": 2}})") ==
          "faults[2].rateLimit.rps: unknown field 'rps'");
}

TEST_CASE("refused: an unknown error name, listing the seven") {
    CHECK(refusal(R"({"error": "Throttling"})") ==
          "faults[2].error: unknown error 'Throttling'; expected one of ValidationException, "
          "UnauthorizedException, ServiceQuotaExceededException, AccessDeniedException, "
          "ResourceNotFoundException, ThrottlingException, InternalServerException");
    CHECK(refusal(R"({"error": ""})").starts_with("faults[2].error: unknown error ''; expected"));
}

TEST_CASE("refused: wrong types") {
    CHECK(refusal(R"({"error": 429})") == "faults[2].error: expected a string, got number");
    CHECK(refusal(R"({"error": "ThrottlingException", "match": []})") ==
          "faults[2].match: expected an object, got array");
    CHECK(refusal(R"({"error": "ThrottlingException", "match": {"instanceId": 7}})") ==
          "faults[2].match.instanceId: expected a string, got number");
    CHECK(refusal(R"({"error": "ThrottlingException", "match": {"sessionId": null}})") ==
          "faults[2].match.sessionId: expected a string, got null");
    CHECK(refusal(R"({"error": "ThrottlingException", "match": {"accessKeyId": true}})") ==
          "faults[2].match.accessKeyId: expected a string, got boolean");
    CHECK(refusal(R"({"error": "ThrottlingException", "probability": "0.5"})") ==
          "faults[2].probability: expected a number, got string");
    CHECK(refusal(R"({"error": "ThrottlingException", "count": "3"})") ==
          "faults[2].count: expected an integer, got string");
    CHECK(refusal(R"({"error": "ThrottlingException", "count": 2.5})") ==
          "faults[2].count: expected an integer, got 2.5");
    CHECK(refusal(R"({"error": "ThrottlingException", "retryAfterSeconds": [1]})") ==
          "faults[2].retryAfterSeconds: expected an integer, got array");
    CHECK(refusal(R"({"error": "ThrottlingException", "message": {}})") ==
          "faults[2].message: expected a string, got object");
    CHECK(refusal(R"({"delayMs": "100"})") == "faults[2].delayMs: expected an integer, got string");
    CHECK(refusal(R"({"delayMs": 0.5})") == "faults[2].delayMs: expected an integer, got 0.5");
    CHECK(refusal(R"({"rateLimit": 5})") == "faults[2].rateLimit: expected an object, got number");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": "5", "burst": 1}})") ==
          "faults[2].rateLimit.requestsPerSecond: expected a number, got string");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 5, "burst": 1.5}})") ==
          "faults[2].rateLimit.burst: expected an integer, got 1.5");
    CHECK(refusal(R"({"error": "ServiceQuotaExceededException", "quotaCode": 1})") ==
          "faults[2].quotaCode: expected a string, got number");
}

TEST_CASE("refused: values out of range") {
    CHECK(refusal(R"({"error": "ThrottlingException", "probability": 1.5})") ==
          "faults[2].probability: must be from 0 to 1, got 1.5");
    CHECK(refusal(R"({"error": "ThrottlingException", "probability": -0.1})") ==
          "faults[2].probability: must be from 0 to 1, got -0.1");
    CHECK(refusal(R"({"error": "ThrottlingException", "count": 0})") ==
          "faults[2].count: must be a positive integer, got 0");
    CHECK(refusal(R"({"error": "ThrottlingException", "count": -3})") ==
          "faults[2].count: must be a positive integer, got -3");
    CHECK(refusal(R"({"error": "ThrottlingException", "count": 18446744073709551615})") ==
          "faults[2].count: must be a positive integer, got 18446744073709551615");
    CHECK(refusal(R"({"error": "ThrottlingException", "retryAfterSeconds": -1})") ==
          "faults[2].retryAfterSeconds: must be an integer from 0 to 2147483647, got -1");
    CHECK(refusal(R"({"error": "ThrottlingException", "retryAfterSeconds": 2147483648})") ==
          "faults[2].retryAfterSeconds: must be an integer from 0 to 2147483647, got "
          "2147483648");
    CHECK(refusal(R"({"delayMs": 600001})") ==
          "faults[2].delayMs: must be an integer from 0 to 600000, got 600001");
    CHECK(refusal(R"({"delayMs": -1})") ==
          "faults[2].delayMs: must be an integer from 0 to 600000, got -1");
    CHECK(refusal(R"({"delayMs": 1e30})") ==
          "faults[2].delayMs: must be an integer from 0 to 600000, got 1e+30");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 0, "burst": 1}})") ==
          "faults[2].rateLimit.requestsPerSecond: must be a number above 0, got 0");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": -2, "burst": 1}})") ==
          "faults[2].rateLimit.requestsPerSecond: must be a number above 0, got -2");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 1e400, "burst": 1}})") ==
          "faults[2].rateLimit.requestsPerSecond: must be a number above 0, got inf");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 0}})") ==
          "faults[2].rateLimit.burst: must be a positive integer, got 0");
}

TEST_CASE("refused: rateLimit without its required fields") {
    CHECK(refusal(R"({"rateLimit": {"burst": 1}})") ==
          "faults[2].rateLimit.requestsPerSecond: missing required field");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 1}})") ==
          "faults[2].rateLimit.burst: missing required field");
}

TEST_CASE("refused: empty strings where a value is needed") {
    CHECK(refusal(R"({"error": "ThrottlingException", "match": {"instanceId": ""}})") ==
          "faults[2].match.instanceId: must not be empty; leave the field out to match every "
          "request");
    CHECK(refusal(R"({"error": "ThrottlingException", "match": {"accessKeyId": ""}})") ==
          "faults[2].match.accessKeyId: must not be empty; leave the field out to match every "
          "request");
    CHECK(refusal(R"({"error": "ThrottlingException", "quotaCode": ""})") ==
          "faults[2].quotaCode: must not be empty");
}

TEST_CASE("refused: a sessionId to match that no request could carry") {
    CHECK(refusal(R"({"error": "ThrottlingException", "match": {"sessionId": "abc"}})") ==
          "faults[2].match.sessionId: not a valid session id: must match "
          "[\\da-f]{8}-[\\da-f]{4}-[45][\\da-f]{3}-[89ABab][\\da-f]{3}-[\\da-f]{12}");
}

TEST_CASE("refused: rateLimit together with error") {
    CHECK(refusal(R"({"error": "ThrottlingException",
                      "rateLimit": {"requestsPerSecond": 1, "burst": 1}})") ==
          "faults[2]: rateLimit replaces error; give one of them");
}

TEST_CASE("refused: a rule that does nothing") {
    const std::string expected =
        "faults[2]: the rule does nothing: give error, rateLimit, or delayMs above 0";
    CHECK(refusal(R"({})") == expected);
    CHECK(refusal(R"({"delayMs": 0})") == expected);
    CHECK(refusal(R"({"match": {"instanceId": "demo"}, "count": 2})") == expected);
}

TEST_CASE("refused: fields the rule would silently ignore") {
    CHECK(refusal(R"({"error": "AccessDeniedException", "retryAfterSeconds": 1})") ==
          "faults[2].retryAfterSeconds: retryAfterSeconds applies only to ThrottlingException "
          "and InternalServerException");
    CHECK(refusal(R"({"delayMs": 5, "retryAfterSeconds": 1})") ==
          "faults[2].retryAfterSeconds: retryAfterSeconds applies only to ThrottlingException "
          "and InternalServerException");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1},
                      "retryAfterSeconds": 1})") ==
          "faults[2].retryAfterSeconds: a rateLimit rule computes Retry-After from its bucket; "
          "leave retryAfterSeconds out");
    CHECK(refusal(R"({"error": "InternalServerException", "quotaCode": "L-X"})") ==
          "faults[2].quotaCode: quotaCode applies only to ThrottlingException, "
          "ServiceQuotaExceededException and rateLimit rules");
    CHECK(refusal(R"({"delayMs": 5, "message": "hello"})") ==
          "faults[2].message: message applies only to a rule that answers an error (error or "
          "rateLimit)");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1},
                      "probability": 0.5})") ==
          "faults[2].probability: probability does not apply to a rateLimit rule: it refuses "
          "every request past its bucket");
}

TEST_CASE("accepted: the fields that do apply") {
    CHECK(refusal(R"({"error": "InternalServerException", "retryAfterSeconds": 0})") == "accepted");
    CHECK(refusal(R"({"error": "ServiceQuotaExceededException", "quotaCode": "L-X"})") ==
          "accepted");
    CHECK(refusal(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1}, "quotaCode": "L-X",
                      "message": "m", "probability": 1, "count": 2})") == "accepted");
    CHECK(refusal(R"({"delayMs": 5, "probability": 0.5, "count": 1})") == "accepted");
}

TEST_CASE("parse_fault_rules: paths under the prefix, all or nothing") {
    const auto rules = boost::json::parse(R"([{"error": "ThrottlingException"}, {"delayMs": 5}])");
    const auto parsed = parse_fault_rules(rules.as_array(), "body", "faults");
    REQUIRE(parsed.size() == 2);
    CHECK(parsed[0].error == "ThrottlingException");
    CHECK(parsed[1].delay == 5ms);

    const auto bad = boost::json::parse(R"([{"delayMs": 5}, {"delayMs": 5}, {"delayMs": -5}])");
    try {
        parse_fault_rules(bad.as_array(), "fixtures/a.json", "faults");
        FAIL("accepted");
    } catch (const FixtureError& error) {
        CHECK(error.source() == "fixtures/a.json");
        CHECK(error.path() == "faults[2].delayMs");
        CHECK(std::string(error.what()) ==
              "fixtures/a.json: faults[2].delayMs: must be an integer from 0 to 600000, got -5");
    }
}

TEST_CASE("parse_faults_file_text: {\"faults\": [...]}") {
    const auto rules = parse_faults_file_text(
        R"({"faults": [{"error": "ThrottlingException", "count": 1}, {"delayMs": 10}]})",
        "faults.json");
    REQUIRE(rules.size() == 2);
    CHECK(rules[0].count == 1U);
    CHECK(parse_faults_file_text(R"({"faults": []})", "faults.json").empty());
}

TEST_CASE("parse_faults_file_text: refusals") {
    CHECK(file_refusal("{\n  \"faults\": [\n    {\"error\": }\n  ]\n}") ==
          ": invalid JSON at line 3, column 15: syntax error");
    CHECK(file_refusal("") == ": invalid JSON at line 1, column 1: incomplete JSON");
    CHECK(file_refusal(R"([])") == ": expected a JSON object at the top level, got array");
    CHECK(file_refusal(R"({"faults": [], "instances": []})") ==
          "instances: unknown field 'instances'");
    CHECK(file_refusal(R"({})") == "faults: missing required field");
    CHECK(file_refusal(R"({"faults": {}})") == "faults: expected an array, got object");
    CHECK(file_refusal(R"({"faults": [{"delayMs": 1}, {"error": "Nope"}]})")
              .starts_with("faults[1].error: unknown error 'Nope'"));
}

TEST_CASE("to_json: the rule as given plus match, probability and delayMs, in a stable order") {
    CHECK(boost::json::serialize(to_json(parse(R"({"error": "ThrottlingException"})"))) ==
          R"({"error":"ThrottlingException","match":{},"probability":1,"delayMs":0})");
    CHECK(boost::json::serialize(to_json(
              parse(R"({"rateLimit": {"requestsPerSecond": 2, "burst": 3}, "count": 4})"))) ==
          R"({"rateLimit":{"requestsPerSecond":2,"burst":3},"match":{},"count":4,"delayMs":0})");
}

TEST_CASE("to_json round trip: parsing the JSON gives the same rule") {
    for (const char* text : {
             R"({"error": "ThrottlingException"})",
             R"({"error": "ThrottlingException", "match": {"instanceId": "demo",
                 "sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "accessKeyId": "AK"},
                 "probability": 0.125, "count": 3, "retryAfterSeconds": 2,
                 "message": "slow", "delayMs": 20, "quotaCode": "L-Q"})",
             R"({"error": "InternalServerException", "probability": 0})",
             R"({"error": "ServiceQuotaExceededException", "quotaCode": "L-S"})",
             R"({"rateLimit": {"requestsPerSecond": 0.5, "burst": 2}, "message": "m"})",
             R"({"delayMs": 250, "probability": 0.3333333333333333})",
         }) {
        CAPTURE(text);
        const FaultRule rule = parse(text);
        CHECK(parse_fault_rule(to_json(rule), "listing", "faults[0]") == rule);
    }
}
