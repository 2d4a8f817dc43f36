#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "fake_session_store.hpp"
#include "fault_rule.hpp"
#include "get_session_metadata.hpp"
#include "manual_clock.hpp"
#include "request_builder.hpp"

using namespace qapps;
using qapps::testing::FakeSessionStore;

using qapps::testing::operation_request;

namespace {

constexpr std::string_view kShared = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
constexpr std::string_view kPrivate = "1c9d7e52-3a4b-4c5d-8e6f-112233445566";
constexpr std::string_view kMinimal = "6e7f8091-a2b3-4c4d-9e5f-60718293a4b5";
constexpr std::string_view kOtherInstanceSession = "7f8091a2-b3c4-4d5e-af60-718293a4b5c6";
constexpr std::string_view kUnknownSession = "00000000-0000-4000-8000-000000000000";
constexpr std::string_view kArnPrefix =
    "arn:aws:qapps:us-east-1:123456789012:application/demo/qapp-session/";

SessionRecord session(std::string_view instance, std::string_view id, std::string owner_user,
                      SharingConfiguration sharing, std::optional<std::string> name) {
    SessionRecord record;
    record.instance_id = std::string(instance);
    record.session_id = std::string(id);
    record.session_arn = std::string(kArnPrefix) + std::string(id);
    record.session_name = std::move(name);
    record.owner = owner_user;
    record.owner_user_id = std::move(owner_user);
    record.sharing = sharing;
    return record;
}

struct Fixture {
    FakeSessionStore store;
    ManualClock clock;
    FaultEngine faults{7, clock};
    Fixture() {
        store.add_instance("demo");
        store.add_instance("other");
        store.add_user({"demo", "alice", "AKIAALICE", "alice-secret"});
        store.add_user({"demo", "bob", "AKIABOB", "bob-secret"});
        store.add_user({"demo", "sdk-default", "test", "test"});
        store.add_session(session("demo", kShared, "alice", {true, true, false}, "Team retro"));
        store.add_session(session("demo", kPrivate, "bob", {false, false, false}, "Design"));
        store.add_session(session("demo", kMinimal, "sdk-default", {true, {}, {}}, std::nullopt));
        store.add_session(
            session("other", kOtherInstanceSession, "alice", {true, {}, {}}, "Elsewhere"));
    }

    OperationResult call(const HttpRequest& request, AuthMode mode = AuthMode::lenient) {
        OperationDeps deps{store, faults, clock, mode};
        return get_session_metadata(request, deps);
    }
};

ApiError error_of(const OperationResult& result) {
    REQUIRE(result.error.has_value());
    return *result.error;
}

HttpRequest unsigned_request(std::string_view instance, std::string_view session_id) {
    auto request = operation_request(instance, session_id);
    request.erase(boost::beast::http::field::authorization);
    return request;
}

}  // namespace

TEST_CASE("the owner gets every field and sessionOwner true") {
    Fixture f;
    const auto result = f.call(operation_request("demo", kShared, "AKIAALICE"));
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.body == boost::json::parse(R"({
        "sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
        "sessionArn": "arn:aws:qapps:us-east-1:123456789012:application/demo/qapp-session/8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
        "sessionName": "Team retro",
        "sharingConfiguration": {"enabled": true, "acceptResponses": true, "revealCards": false},
        "sessionOwner": true})"));
    CHECK(result.instance_id == "demo");
    CHECK(result.session_id == kShared);
    CHECK(result.caller == "AKIAALICE");
    CHECK_FALSE(result.injected);
    CHECK(result.delay.count() == 0);
}

TEST_CASE("another user reads a shared session with sessionOwner false") {
    Fixture f;
    const auto result = f.call(operation_request("demo", kShared, "AKIABOB"));
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.body.at("sessionOwner") == false);
    CHECK(result.body.at("sessionId").as_string() == kShared);
}

TEST_CASE("another user is denied an unshared session") {
    Fixture f;
    const auto error = error_of(f.call(operation_request("demo", kPrivate, "AKIAALICE")));
    CHECK(error.type == "AccessDeniedException");
    CHECK(error.message == "User alice is not allowed to access Q App session " +
                               std::string(kPrivate) +
                               ": the session is not shared and belongs to another user");
    CHECK(error.members.empty());
}

TEST_CASE("the owner reads an unshared session") {
    Fixture f;
    const auto result = f.call(operation_request("demo", kPrivate, "AKIABOB"));
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.body.at("sessionOwner") == true);
    CHECK(result.body.at("sharingConfiguration") ==
          boost::json::parse(R"({"enabled":false,"acceptResponses":false,"revealCards":false})"));
}

TEST_CASE("unset name and sharing flags are omitted, not null") {
    Fixture f;
    const auto result = f.call(operation_request("demo", kMinimal, "test"));
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.body == boost::json::parse(R"({
        "sessionId": "6e7f8091-a2b3-4c4d-9e5f-60718293a4b5",
        "sessionArn": "arn:aws:qapps:us-east-1:123456789012:application/demo/qapp-session/6e7f8091-a2b3-4c4d-9e5f-60718293a4b5",
        "sharingConfiguration": {"enabled": true},
        "sessionOwner": true})"));
}

TEST_CASE("a key no fixture user has is a caller named by the key") {
    Fixture f;
    const auto shared = f.call(operation_request("demo", kShared, "AKIASTRANGER"));
    REQUIRE_FALSE(shared.error.has_value());
    CHECK(shared.body.at("sessionOwner") == false);
    const auto denied = error_of(f.call(operation_request("demo", kPrivate, "AKIASTRANGER")));
    CHECK(denied.message.starts_with("User AKIASTRANGER is not allowed"));
}

TEST_CASE("an unknown instance is ResourceNotFound of type Instance") {
    Fixture f;
    const auto error = error_of(f.call(operation_request("nope", kShared)));
    CHECK(error.type == "ResourceNotFoundException");
    CHECK(error.message == "Instance nope not found");
    CHECK(error.members ==
          boost::json::parse(R"({"resourceId":"nope","resourceType":"Instance"})").as_object());
}

TEST_CASE("an unknown session is ResourceNotFound of type QAppSession") {
    Fixture f;
    const auto error = error_of(f.call(operation_request("demo", kUnknownSession)));
    CHECK(error.type == "ResourceNotFoundException");
    CHECK(error.message ==
          "Q App session " + std::string(kUnknownSession) + " not found in instance demo");
    CHECK(error.members.at("resourceId").as_string() == kUnknownSession);
    CHECK(error.members.at("resourceType").as_string() == "QAppSession");
}

TEST_CASE("a session of another instance is not found") {
    Fixture f;
    const auto error = error_of(f.call(operation_request("demo", kOtherInstanceSession)));
    CHECK(error.type == "ResourceNotFoundException");
    CHECK(error.members.at("resourceType").as_string() == "QAppSession");
}

TEST_CASE("lenient mode wants a SigV4 Authorization header") {
    Fixture f;
    const auto missing = error_of(f.call(unsigned_request("demo", kShared)));
    CHECK(missing.type == "UnauthorizedException");
    CHECK(missing.message ==
          "The request is not signed: it has no Authorization header (AWS Signature Version 4 "
          "expected)");

    auto garbled = operation_request("demo", kShared);
    garbled.set(boost::beast::http::field::authorization, "Bearer abc");
    const auto error = error_of(f.call(garbled));
    CHECK(error.type == "UnauthorizedException");
    CHECK(error.message ==
          "The Authorization header is not a valid AWS Signature Version 4 header: the "
          "algorithm is not AWS4-HMAC-SHA256");
}

TEST_CASE("authentication comes before validation") {
    Fixture f;
    CHECK(error_of(f.call(unsigned_request("", "abc"))).type == "UnauthorizedException");
}

TEST_CASE("validation comes before lookup") {
    Fixture f;
    CHECK(error_of(f.call(operation_request("nope", "abc"))).type == "ValidationException");
}

TEST_CASE("mode none: no header means the anonymous caller") {
    Fixture f;
    const auto shared = f.call(unsigned_request("demo", kShared), AuthMode::none);
    REQUIRE_FALSE(shared.error.has_value());
    CHECK(shared.body.at("sessionOwner") == false);
    CHECK(shared.caller == "anonymous");
    const auto denied = error_of(f.call(unsigned_request("demo", kPrivate), AuthMode::none));
    CHECK(denied.message.starts_with("User anonymous is not allowed"));
}

TEST_CASE("mode none: a SigV4 header still names the caller") {
    Fixture f;
    const auto result = f.call(operation_request("demo", kPrivate, "AKIABOB"), AuthMode::none);
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.body.at("sessionOwner") == true);
    CHECK(result.caller == "AKIABOB");
}

TEST_CASE("the injection header answers each of the seven errors with its members") {
    Fixture f;
    struct Case {
        const char* name;
        unsigned status;
        const char* members;
        std::optional<int> retry_after;
    };
    const Case cases[] = {
        {"ValidationException", 400, "{}", std::nullopt},
        {"UnauthorizedException", 401, "{}", std::nullopt},
        {"ServiceQuotaExceededException", 402,
         R"({"resourceId":"8f6e2a10-4b1c-4d2e-9f3a-0123456789ab","resourceType":"QAppSession",
             "serviceCode":"qapps","quotaCode":"L-QAPPS-SESSIONS"})",
         std::nullopt},
        {"AccessDeniedException", 403, "{}", std::nullopt},
        {"ResourceNotFoundException", 404,
         R"({"resourceId":"8f6e2a10-4b1c-4d2e-9f3a-0123456789ab","resourceType":"QAppSession"})",
         std::nullopt},
        {"ThrottlingException", 429,
         R"({"serviceCode":"qapps","quotaCode":"L-QAPPS-REQUESTS-PER-SECOND"})", 1},
        {"InternalServerException", 500, "{}", 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        auto request = operation_request("demo", kShared);
        request.set("x-qapps-inject-error", c.name);
        const auto result = f.call(request);
        const auto error = error_of(result);
        CHECK(result.injected);
        CHECK(error.type == c.name);
        CHECK(static_cast<unsigned>(error.status) == c.status);
        CHECK(error.members == boost::json::parse(c.members).as_object());
        CHECK(error.retry_after == c.retry_after);
        CHECK_FALSE(error.message.empty());
    }
}

TEST_CASE("an unknown error name in the injection header is a ValidationException naming it") {
    Fixture f;
    auto request = operation_request("demo", kShared);
    request.set("x-qapps-inject-error", "TeapotException");
    const auto result = f.call(request);
    const auto error = error_of(result);
    CHECK_FALSE(result.injected);
    CHECK(error.type == "ValidationException");
    CHECK(error.message ==
          "1 validation error detected: Value 'TeapotException' at 'x-qapps-inject-error' "
          "failed to satisfy constraint: Member must satisfy enum value set: "
          "[ValidationException, UnauthorizedException, ServiceQuotaExceededException, "
          "AccessDeniedException, ResourceNotFoundException, ThrottlingException, "
          "InternalServerException]");
}

TEST_CASE("injection comes after validation and before lookup") {
    Fixture f;
    auto invalid = operation_request("demo", "abc");
    invalid.set("x-qapps-inject-error", "ThrottlingException");
    CHECK(error_of(f.call(invalid)).type == "ValidationException");

    auto unknown = operation_request("nowhere", kUnknownSession);
    unknown.set("x-qapps-inject-error", "ThrottlingException");
    CHECK(error_of(f.call(unknown)).type == "ThrottlingException");
}

namespace {

FaultRule rule_from(std::string_view json) {
    return parse_fault_rule(boost::json::parse(json), "test", "rule");
}

}  // namespace

TEST_CASE("a fault rule answers after validation and before lookup, with its delay") {
    Fixture f;
    f.faults.add(
        rule_from(R"({"error":"ThrottlingException","delayMs":250,"retryAfterSeconds":4})"));
    CHECK(error_of(f.call(operation_request("demo", "abc"))).type == "ValidationException");

    const auto result = f.call(operation_request("nowhere", kUnknownSession));
    const auto error = error_of(result);
    CHECK(error.type == "ThrottlingException");
    CHECK(error.retry_after == 4);
    CHECK(result.injected);
    CHECK(result.delay == std::chrono::milliseconds(250));
}

TEST_CASE("a delay-only rule holds back a normal answer") {
    Fixture f;
    f.faults.add(rule_from(R"({"delayMs":120})"));
    const auto result = f.call(operation_request("demo", kShared));
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.delay == std::chrono::milliseconds(120));
    CHECK_FALSE(result.injected);
    CHECK(result.body.at("sessionOwner") == true);
}

TEST_CASE("rules match the caller's access key; the anonymous caller has none") {
    Fixture f;
    f.faults.add(
        rule_from(R"({"error":"AccessDeniedException","match":{"accessKeyId":"AKIABOB"}})"));
    CHECK(error_of(f.call(operation_request("demo", kShared, "AKIABOB"))).type ==
          "AccessDeniedException");
    CHECK_FALSE(f.call(operation_request("demo", kShared, "AKIAALICE")).error.has_value());
    CHECK_FALSE(f.call(unsigned_request("demo", kShared), AuthMode::none).error.has_value());
}

TEST_CASE("the injection header wins over the rules") {
    Fixture f;
    f.faults.add(rule_from(R"({"error":"InternalServerException","count":1})"));
    auto request = operation_request("demo", kShared);
    request.set("x-qapps-inject-error", "AccessDeniedException");
    CHECK(error_of(f.call(request)).type == "AccessDeniedException");
    // The rule was not used up by the request the header answered.
    CHECK(error_of(f.call(operation_request("demo", kShared))).type == "InternalServerException");
    CHECK_FALSE(f.call(operation_request("demo", kShared)).error.has_value());
}

namespace {

// GET kShared of instance "demo" as boto3 signs it for AKIAALICE / alice-secret at
// 2026-12-04T12:00:00Z (botocore 1.43 SigV4Auth, region us-east-1, service qapps).
HttpRequest alice_signed_request() {
    return qapps::testing::make_request(
        boost::beast::http::verb::get,
        "/runtime.getQAppSessionMetadata?sessionId=" + std::string(kShared),
        {{"instance-id", "demo"},
         {"X-Amz-Date", "20261204T120000Z"},
         {"Authorization",
          "AWS4-HMAC-SHA256 Credential=AKIAALICE/20261204/us-east-1/qapps/aws4_request, "
          "SignedHeaders=host;instance-id;x-amz-date, "
          "Signature=296075e5fc41e369480c2953d685d9703c7e7c12abf0c06dfe932f49e8588da6"}});
}

const auto kAliceSignedAt =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + std::chrono::hours{12};

}  // namespace

TEST_CASE("mode strict: a request signed with the user's secret is that user's") {
    Fixture f;
    f.clock.set_wall(kAliceSignedAt + std::chrono::minutes{3});
    const auto result = f.call(alice_signed_request(), AuthMode::strict);
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.body.at("sessionOwner") == true);
    CHECK(result.caller == "AKIAALICE");
}

TEST_CASE("mode strict: a key no fixture user has is refused") {
    Fixture f;
    f.clock.set_wall(kAliceSignedAt);
    const auto error =
        error_of(f.call(operation_request("demo", kShared, "AKIASTRANGER"), AuthMode::strict));
    CHECK(error.type == "UnauthorizedException");
    CHECK(error.message ==
          "The security token included in the request is invalid: no fixture user has the "
          "access key id AKIASTRANGER");
}

TEST_CASE("mode strict: a signature that does not verify is refused") {
    Fixture f;
    f.clock.set_wall(kAliceSignedAt);
    // Well-formed, as lenient mode wants, but not a signature of the request.
    const auto forged = error_of(f.call(operation_request("demo", kShared), AuthMode::strict));
    CHECK(forged.type == "UnauthorizedException");
    CHECK(forged.message.starts_with(
        "The request signature we calculated does not match the signature you provided."));

    auto tampered = alice_signed_request();
    tampered.target("/runtime.getQAppSessionMetadata?sessionId=" + std::string(kPrivate));
    const auto error = error_of(f.call(tampered, AuthMode::strict));
    CHECK(error.type == "UnauthorizedException");
    CHECK(error.message.starts_with(
        "The request signature we calculated does not match the signature you provided."));
}

TEST_CASE("mode strict: the signing time is checked against the injected clock") {
    Fixture f;  // the clock starts at 2026-12-04T00:00:00Z, 12 hours before the signature
    const auto error = error_of(f.call(alice_signed_request(), AuthMode::strict));
    CHECK(error.type == "UnauthorizedException");
    CHECK(error.message ==
          "Signature not yet current: 20261204T120000Z is still later than 20261204T001500Z "
          "(20261204T000000Z + 15 min.)");
}

TEST_CASE("mode strict: unsigned or garbled requests are refused as in lenient mode") {
    Fixture f;
    const auto missing = error_of(f.call(unsigned_request("demo", kShared), AuthMode::strict));
    CHECK(missing.type == "UnauthorizedException");
    CHECK(missing.message.starts_with("The request is not signed"));
    auto garbled = alice_signed_request();
    garbled.set(boost::beast::http::field::authorization, "Bearer abc");
    CHECK(error_of(f.call(garbled, AuthMode::strict))
              .message.starts_with(
                  "The Authorization header is not a valid AWS Signature Version 4 header"));
}
