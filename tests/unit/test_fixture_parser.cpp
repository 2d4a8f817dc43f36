// The fixture parser: what a good document becomes, and the exact source, path and reason of
// every refusal.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fixture_error.hpp"
#include "fixture_parser.hpp"
#include "session_id.hpp"

using qapps::FixtureDocument;
using qapps::FixtureError;
using qapps::parse_fixture_text;

namespace {

constexpr const char* kSource = "fixtures/test.json";
constexpr const char* kSessionId = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
constexpr const char* kOtherSessionId = "1c9d7e52-3a4b-4c5d-8e6f-112233445566";

FixtureDocument parse(std::string_view text) {
    return parse_fixture_text(text, kSource);
}

// The FixtureError that `text` is refused with; a document that is accepted fails the test.
FixtureError refusal_of(std::string_view text) {
    try {
        (void)parse_fixture_text(text, kSource);
    } catch (const FixtureError& error) {
        return error;
    }
    throw std::logic_error("the document was accepted");
}

// A document with one instance "inst" holding user alice and the given instance-level JSON
// members (without braces), e.g. `"sessions": [...]`.
std::string instance_with(const std::string& members) {
    return R"({"instances": [{"instanceId": "inst", "users": [{"userId": "alice",
        "accessKeyId": "AKIAALICE", "secretAccessKey": "s"}], )" +
           members + "}]}";
}

// A document whose only session has the given members (without braces).
std::string session_with(const std::string& members) {
    return instance_with(R"("sessions": [{)" + members + "}]");
}

// `members` as a JSON object. Appending, rather than "{" + members, sidesteps GCC 12's false
// -Wrestrict on operator+(const char*, std::string&&) at -O3 (GCC bug 105651).
std::string braced(const std::string& members) {
    std::string object = "{";
    object += members;
    object += "}";
    return object;
}

// A valid session's members, to which one test adds or in which it replaces one thing.
std::string valid_session_members(const std::string& extra = "") {
    return std::string(R"("sessionId": ")") + kSessionId +
           R"(", "owner": "alice", "sharingConfiguration": {"enabled": true})" + extra;
}

}  // namespace

// --- accepted documents -------------------------------------------------------------------------

TEST_CASE("parser: a full document keeps every field") {
    const FixtureDocument document = parse(R"({
      "instances": [{
        "instanceId": "demo-instance", "accountId": "210987654321", "region": "eu-west-1",
        "users": [{"userId": "alice", "accessKeyId": "AKIAALICE", "secretAccessKey": "alice-secret"},
                  {"userId": "bob", "accessKeyId": "AKIABOB", "secretAccessKey": "bob-secret"}],
        "sessions": [{
          "sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
          "sessionName": "Team retro", "owner": "alice", "appId": "retro-app",
          "sessionArn": "arn:aws:qapps:eu-west-1:210987654321:custom",
          "sharingConfiguration": {"enabled": true, "acceptResponses": true, "revealCards": false}
        }]
      }],
      "faults": [{"error": "ThrottlingException"}]
    })");

    CHECK(document.source == "fixtures/test.json");
    REQUIRE(document.instances.size() == 1);
    const auto& instance = document.instances[0];
    CHECK(instance.path == "instances[0]");
    CHECK(instance.instance.instance_id == "demo-instance");
    CHECK(instance.instance.account_id == "210987654321");
    CHECK(instance.instance.region == "eu-west-1");

    REQUIRE(instance.users.size() == 2);
    CHECK(instance.users[1].path == "instances[0].users[1]");
    CHECK(instance.users[1].user.instance_id == "demo-instance");
    CHECK(instance.users[1].user.user_id == "bob");
    CHECK(instance.users[1].user.access_key_id == "AKIABOB");
    CHECK(instance.users[1].user.secret_access_key == "bob-secret");

    REQUIRE(instance.sessions.size() == 1);
    const auto& fixture = instance.sessions[0];
    CHECK(fixture.path == "instances[0].sessions[0]");
    CHECK(fixture.session.instance_id == "demo-instance");
    CHECK(fixture.session.session_id == "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab");
    CHECK(fixture.session.session_arn == "arn:aws:qapps:eu-west-1:210987654321:custom");
    CHECK(fixture.session.session_name == "Team retro");
    CHECK(fixture.session.owner == "alice");
    CHECK(fixture.session.owner_user_id.empty());  // the store resolves it
    CHECK(fixture.session.app_id == "retro-app");
    CHECK(fixture.session.sharing.enabled);
    CHECK(fixture.session.sharing.accept_responses == true);
    CHECK(fixture.session.sharing.reveal_cards == false);

    CHECK(boost::json::serialize(document.faults) == R"([{"error":"ThrottlingException"}])");
}

TEST_CASE("parser: an empty object is an empty document") {
    const FixtureDocument document = parse("{}");
    CHECK(document.instances.empty());
    CHECK(document.faults.empty());
}

TEST_CASE("parser: accountId and region default") {
    const FixtureDocument document = parse(R"({"instances": [{"instanceId": "inst"}]})");
    REQUIRE(document.instances.size() == 1);
    CHECK(document.instances[0].instance.account_id == "123456789012");
    CHECK(document.instances[0].instance.region == "us-east-1");
    CHECK(document.instances[0].users.empty());
    CHECK(document.instances[0].sessions.empty());
}

TEST_CASE("parser: optional session fields are absent when not given") {
    const FixtureDocument document = parse(session_with(valid_session_members()));
    const auto& session = document.instances[0].sessions[0].session;
    CHECK_FALSE(session.session_name.has_value());
    CHECK_FALSE(session.app_id.has_value());
    CHECK_FALSE(session.sharing.accept_responses.has_value());
    CHECK_FALSE(session.sharing.reveal_cards.has_value());
}

TEST_CASE("parser: a session without sessionArn gets the derived ARN") {
    const FixtureDocument document = parse(R"({"instances": [{"instanceId": "inst",
        "accountId": "210987654321", "region": "us-west-2",
        "users": [{"userId": "alice", "accessKeyId": "AKIAALICE", "secretAccessKey": "s"}],
        "sessions": [{"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "owner": "alice",
                      "sharingConfiguration": {"enabled": false}}]}]})");
    CHECK(document.instances[0].sessions[0].session.session_arn ==
          "arn:aws:qapps:us-west-2:210987654321:application/inst/qapp-session/"
          "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab");
}

TEST_CASE("parser: derive_session_arn's format") {
    const qapps::InstanceRecord instance{"demo-instance", "123456789012", "us-east-1"};
    CHECK(qapps::derive_session_arn(instance, "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab") ==
          "arn:aws:qapps:us-east-1:123456789012:application/demo-instance/qapp-session/"
          "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab");
}

TEST_CASE("parser: faults are kept raw, unvalidated") {
    const FixtureDocument document =
        parse(R"({"faults": [{"error": "NoSuchError", "probability": 7}, 42, null]})");
    CHECK(boost::json::serialize(document.faults) ==
          R"([{"error":"NoSuchError","probability":7},42,null])");
}

TEST_CASE("parser: an empty sessionName is kept (the model allows length 0)") {
    const FixtureDocument document =
        parse(session_with(valid_session_members(R"(, "sessionName": "")")));
    CHECK(document.instances[0].sessions[0].session.session_name == "");
}

TEST_CASE("parser: sessionName of 100 multi-byte characters is accepted") {
    std::string name;
    for (int i = 0; i < 100; ++i) name += "\xC3\xA9";  // é: 2 bytes, 1 character
    const FixtureDocument document =
        parse(session_with(valid_session_members(R"(, "sessionName": ")" + name + "\"")));
    CHECK(document.instances[0].sessions[0].session.session_name == name);
}

TEST_CASE("parser: the same userId with the same key in two instances is accepted") {
    const FixtureDocument document = parse(R"({"instances": [
        {"instanceId": "a", "users": [{"userId": "alice", "accessKeyId": "K", "secretAccessKey": "s"}]},
        {"instanceId": "b", "users": [{"userId": "alice", "accessKeyId": "K", "secretAccessKey": "s"}]}]})");
    CHECK(document.instances.size() == 2);
}

TEST_CASE("parser: the same sessionId in two instances is accepted") {
    const std::string session = braced(valid_session_members());
    const FixtureDocument document = parse(R"({"instances": [
        {"instanceId": "a", "sessions": [)" +
                                           session + R"(]},
        {"instanceId": "b", "sessions": [)" +
                                           session + "]}]}");
    CHECK(document.instances[1].sessions[0].session.session_id == kSessionId);
}

TEST_CASE("parser: parse_fixture_value takes an already parsed value and its source") {
    const FixtureDocument document = qapps::parse_fixture_value(
        boost::json::parse(R"({"instances": [{"instanceId": "inst"}]})"), "request body");
    CHECK(document.source == "request body");
    CHECK(document.instances[0].instance.instance_id == "inst");
}

// --- refusals: JSON syntax ---------------------------------------------------------------------

TEST_CASE("parser: a syntax error names its line and column") {
    const FixtureError error =
        refusal_of("{\n  \"instances\": [\n    {\"instanceId\" \"x\"}\n  ]\n}");
    CHECK(error.source() == "fixtures/test.json");
    CHECK(error.path() == "");
    CHECK(error.reason() == "invalid JSON at line 3, column 19: syntax error");
}

TEST_CASE("parser: empty text is incomplete JSON") {
    CHECK(refusal_of("").reason() == "invalid JSON at line 1, column 1: incomplete JSON");
}

TEST_CASE("parser: a truncated document is incomplete JSON at its end") {
    CHECK(refusal_of("{\"instances\": [\n").reason() ==
          "invalid JSON at line 2, column 1: incomplete JSON");
}

TEST_CASE("parser: data after the document is refused") {
    CHECK(refusal_of("{} {}").reason() == "invalid JSON at line 1, column 4: extra data");
}

TEST_CASE("parser: the error text joins source, path and reason") {
    CHECK(std::string(refusal_of("[]").what()) ==
          "fixtures/test.json: expected a JSON object at the top level, got array");
    CHECK(std::string(refusal_of(R"({"instances": [{}]})").what()) ==
          "fixtures/test.json: instances[0].instanceId: missing required field");
}

// --- refusals: top level -----------------------------------------------------------------------

TEST_CASE("parser: the top level must be an object") {
    const FixtureError error = refusal_of("[]");
    CHECK(error.path() == "");
    CHECK(error.reason() == "expected a JSON object at the top level, got array");
}

TEST_CASE("parser: an unknown top-level field is refused") {
    const FixtureError error = refusal_of(R"({"instance": []})");
    CHECK(error.path() == "instance");
    CHECK(error.reason() == "unknown field 'instance'");
}

TEST_CASE("parser: instances must be an array") {
    const FixtureError error = refusal_of(R"({"instances": {}})");
    CHECK(error.path() == "instances");
    CHECK(error.reason() == "expected an array, got object");
}

TEST_CASE("parser: faults must be an array") {
    const FixtureError error = refusal_of(R"({"faults": {"error": "ThrottlingException"}})");
    CHECK(error.path() == "faults");
    CHECK(error.reason() == "expected an array, got object");
}

TEST_CASE("parser: null for an optional array is refused") {
    const FixtureError error = refusal_of(R"({"instances": null})");
    CHECK(error.path() == "instances");
    CHECK(error.reason() == "expected an array, got null");
}

// --- refusals: instances -----------------------------------------------------------------------

TEST_CASE("parser: an instance must be an object") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a"}, "b"]})");
    CHECK(error.path() == "instances[1]");
    CHECK(error.reason() == "expected an object, got string");
}

TEST_CASE("parser: instanceId is required") {
    const FixtureError error = refusal_of(R"({"instances": [{"region": "us-east-1"}]})");
    CHECK(error.path() == "instances[0].instanceId");
    CHECK(error.reason() == "missing required field");
}

TEST_CASE("parser: instanceId must be a string") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": 7}]})");
    CHECK(error.path() == "instances[0].instanceId");
    CHECK(error.reason() == "expected a string, got number");
}

TEST_CASE("parser: instanceId must not be empty") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": ""}]})");
    CHECK(error.path() == "instances[0].instanceId");
    CHECK(error.reason() == "must not be empty");
}

TEST_CASE("parser: an unknown instance field is refused") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a", "sesions": []}]})");
    CHECK(error.path() == "instances[0].sesions");
    CHECK(error.reason() == "unknown field 'sesions'");
}

TEST_CASE("parser: a misspelt required field is reported as unknown, not as missing") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceID": "a"}]})");
    CHECK(error.path() == "instances[0].instanceID");
    CHECK(error.reason() == "unknown field 'instanceID'");
}

TEST_CASE("parser: accountId must be exactly 12 digits") {
    const FixtureError short_id =
        refusal_of(R"({"instances": [{"instanceId": "a", "accountId": "12345"}]})");
    CHECK(short_id.path() == "instances[0].accountId");
    CHECK(short_id.reason() == "must be exactly 12 digits, got '12345'");

    const FixtureError letters =
        refusal_of(R"({"instances": [{"instanceId": "a", "accountId": "12345678901x"}]})");
    CHECK(letters.reason() == "must be exactly 12 digits, got '12345678901x'");
}

TEST_CASE("parser: accountId must be a string") {
    const FixtureError error =
        refusal_of(R"({"instances": [{"instanceId": "a", "accountId": 123456789012}]})");
    CHECK(error.path() == "instances[0].accountId");
    CHECK(error.reason() == "expected a string, got number");
}

TEST_CASE("parser: region must not be empty") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a", "region": ""}]})");
    CHECK(error.path() == "instances[0].region");
    CHECK(error.reason() == "must not be empty");
}

TEST_CASE("parser: null for an optional string is refused") {
    const FixtureError error =
        refusal_of(R"({"instances": [{"instanceId": "a", "region": null}]})");
    CHECK(error.path() == "instances[0].region");
    CHECK(error.reason() == "expected a string, got null");
}

TEST_CASE("parser: a duplicate instanceId is refused") {
    const FixtureError error = refusal_of(
        R"({"instances": [{"instanceId": "a"}, {"instanceId": "b"}, {"instanceId": "a"}]})");
    CHECK(error.path() == "instances[2].instanceId");
    CHECK(error.reason() == "duplicate instanceId 'a' (first at instances[0])");
}

TEST_CASE("parser: users must be an array") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a", "users": {}}]})");
    CHECK(error.path() == "instances[0].users");
    CHECK(error.reason() == "expected an array, got object");
}

TEST_CASE("parser: sessions must be an array") {
    const FixtureError error =
        refusal_of(R"({"instances": [{"instanceId": "a", "sessions": "none"}]})");
    CHECK(error.path() == "instances[0].sessions");
    CHECK(error.reason() == "expected an array, got string");
}

// --- refusals: users ---------------------------------------------------------------------------

TEST_CASE("parser: a user must be an object") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a", "users": [[]]}]})");
    CHECK(error.path() == "instances[0].users[0]");
    CHECK(error.reason() == "expected an object, got array");
}

TEST_CASE("parser: each user field is required") {
    const FixtureError no_user_id = refusal_of(R"({"instances": [{"instanceId": "a",
        "users": [{"accessKeyId": "K", "secretAccessKey": "s"}]}]})");
    CHECK(no_user_id.path() == "instances[0].users[0].userId");
    CHECK(no_user_id.reason() == "missing required field");

    const FixtureError no_key = refusal_of(R"({"instances": [{"instanceId": "a",
        "users": [{"userId": "u", "secretAccessKey": "s"}]}]})");
    CHECK(no_key.path() == "instances[0].users[0].accessKeyId");
    CHECK(no_key.reason() == "missing required field");

    const FixtureError no_secret = refusal_of(R"({"instances": [{"instanceId": "a",
        "users": [{"userId": "u", "accessKeyId": "K"}]}]})");
    CHECK(no_secret.path() == "instances[0].users[0].secretAccessKey");
    CHECK(no_secret.reason() == "missing required field");
}

TEST_CASE("parser: an empty access key is refused") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a",
        "users": [{"userId": "u", "accessKeyId": "", "secretAccessKey": "s"}]}]})");
    CHECK(error.path() == "instances[0].users[0].accessKeyId");
    CHECK(error.reason() == "must not be empty");
}

TEST_CASE("parser: a secret that is not a string is refused") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a",
        "users": [{"userId": "u", "accessKeyId": "K", "secretAccessKey": true}]}]})");
    CHECK(error.path() == "instances[0].users[0].secretAccessKey");
    CHECK(error.reason() == "expected a string, got boolean");
}

TEST_CASE("parser: an unknown user field is refused") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a",
        "users": [{"userId": "u", "accessKeyId": "K", "secretAccessKey": "s", "role": "x"}]}]})");
    CHECK(error.path() == "instances[0].users[0].role");
    CHECK(error.reason() == "unknown field 'role'");
}

TEST_CASE("parser: a duplicate userId within an instance is refused") {
    const FixtureError error = refusal_of(R"({"instances": [{"instanceId": "a", "users": [
        {"userId": "alice", "accessKeyId": "K1", "secretAccessKey": "s"},
        {"userId": "alice", "accessKeyId": "K2", "secretAccessKey": "s"}]}]})");
    CHECK(error.path() == "instances[0].users[1].userId");
    CHECK(error.reason() == "duplicate userId 'alice' (first at instances[0].users[0])");
}

TEST_CASE("parser: one access key given to two userIds is refused, across instances too") {
    const FixtureError error = refusal_of(R"({"instances": [
        {"instanceId": "a", "users": [{"userId": "alice", "accessKeyId": "K", "secretAccessKey": "s"}]},
        {"instanceId": "b", "users": [{"userId": "bob", "accessKeyId": "K", "secretAccessKey": "s"}]}]})");
    CHECK(error.path() == "instances[1].users[0].accessKeyId");
    CHECK(error.reason() ==
          "access key id 'K' already belongs to user 'alice' (first at instances[0].users[0])");
}

// --- refusals: sessions ------------------------------------------------------------------------

TEST_CASE("parser: a session must be an object") {
    const FixtureError error = refusal_of(instance_with(R"("sessions": [1])"));
    CHECK(error.path() == "instances[0].sessions[0]");
    CHECK(error.reason() == "expected an object, got number");
}

TEST_CASE("parser: sessionId is required") {
    const FixtureError error =
        refusal_of(session_with(R"("owner": "alice", "sharingConfiguration": {"enabled": true})"));
    CHECK(error.path() == "instances[0].sessions[0].sessionId");
    CHECK(error.reason() == "missing required field");
}

TEST_CASE("parser: sessionId must match the model's pattern") {
    const FixtureError error = refusal_of(session_with(
        R"("sessionId": "8F6E2A10-4B1C-4D2E-9F3A-0123456789AB", "owner": "alice",
           "sharingConfiguration": {"enabled": true})"));
    CHECK(error.path() == "instances[0].sessions[0].sessionId");
    CHECK(error.reason() ==
          std::string("not a valid session id: must match ").append(qapps::kSessionIdPattern));
    CHECK(error.reason() ==
          "not a valid session id: must match "
          "[\\da-f]{8}-[\\da-f]{4}-[45][\\da-f]{3}-[89ABab][\\da-f]{3}-[\\da-f]{12}");
}

TEST_CASE("parser: a duplicate sessionId within an instance is refused") {
    const std::string first = braced(valid_session_members());
    const std::string other = std::string(R"({"sessionId": ")") + kOtherSessionId +
                              R"(", "owner": "alice", "sharingConfiguration": {"enabled": true}})";
    const FixtureError error = refusal_of(
        instance_with(R"("sessions": [)" + other + "," + first + "," + other + "," + first + "]"));
    CHECK(error.path() == "instances[0].sessions[2].sessionId");
    CHECK(error.reason() ==
          "duplicate sessionId '1c9d7e52-3a4b-4c5d-8e6f-112233445566' (first at "
          "instances[0].sessions[0])");
}

TEST_CASE("parser: owner is required and not empty") {
    const FixtureError missing =
        refusal_of(session_with(std::string(R"("sessionId": ")") + kSessionId +
                                R"(", "sharingConfiguration": {"enabled": true})"));
    CHECK(missing.path() == "instances[0].sessions[0].owner");
    CHECK(missing.reason() == "missing required field");

    const FixtureError empty =
        refusal_of(session_with(std::string(R"("sessionId": ")") + kSessionId +
                                R"(", "owner": "", "sharingConfiguration": {"enabled": true})"));
    CHECK(empty.path() == "instances[0].sessions[0].owner");
    CHECK(empty.reason() == "must not be empty");
}

TEST_CASE("parser: sessionName longer than 100 characters is refused") {
    std::string name;
    for (int i = 0; i < 101; ++i) name += "\xC3\xA9";
    const FixtureError error =
        refusal_of(session_with(valid_session_members(R"(, "sessionName": ")" + name + "\"")));
    CHECK(error.path() == "instances[0].sessions[0].sessionName");
    CHECK(error.reason() == "must be at most 100 characters, got 101");
}

TEST_CASE("parser: sessionName null is refused") {
    const FixtureError error =
        refusal_of(session_with(valid_session_members(R"(, "sessionName": null)")));
    CHECK(error.path() == "instances[0].sessions[0].sessionName");
    CHECK(error.reason() == "expected a string, got null");
}

TEST_CASE("parser: an empty appId is refused") {
    const FixtureError error = refusal_of(session_with(valid_session_members(R"(, "appId": "")")));
    CHECK(error.path() == "instances[0].sessions[0].appId");
    CHECK(error.reason() == "must not be empty");
}

TEST_CASE("parser: an empty sessionArn is refused") {
    const FixtureError error =
        refusal_of(session_with(valid_session_members(R"(, "sessionArn": "")")));
    CHECK(error.path() == "instances[0].sessions[0].sessionArn");
    CHECK(error.reason() == "must not be empty");
}

TEST_CASE("parser: an unknown session field is refused") {
    const FixtureError error =
        refusal_of(session_with(valid_session_members(R"(, "sessionOwner": true)")));
    CHECK(error.path() == "instances[0].sessions[0].sessionOwner");
    CHECK(error.reason() == "unknown field 'sessionOwner'");
}

TEST_CASE("parser: sharingConfiguration is required") {
    const FixtureError error = refusal_of(
        session_with(std::string(R"("sessionId": ")") + kSessionId + R"(", "owner": "alice")"));
    CHECK(error.path() == "instances[0].sessions[0].sharingConfiguration");
    CHECK(error.reason() == "missing required field");
}

TEST_CASE("parser: sharingConfiguration must be an object") {
    const FixtureError error =
        refusal_of(session_with(std::string(R"("sessionId": ")") + kSessionId +
                                R"(", "owner": "alice", "sharingConfiguration": true)"));
    CHECK(error.path() == "instances[0].sessions[0].sharingConfiguration");
    CHECK(error.reason() == "expected an object, got boolean");
}

TEST_CASE("parser: sharingConfiguration.enabled is required") {
    const FixtureError error = refusal_of(
        session_with(std::string(R"("sessionId": ")") + kSessionId +
                     R"(", "owner": "alice", "sharingConfiguration": {"revealCards": true})"));
    CHECK(error.path() == "instances[0].sessions[0].sharingConfiguration.enabled");
    CHECK(error.reason() == "missing required field");
}

TEST_CASE("parser: sharingConfiguration.enabled must be a boolean") {
    const FixtureError error = refusal_of(
        session_with(std::string(R"("sessionId": ")") + kSessionId +
                     R"(", "owner": "alice", "sharingConfiguration": {"enabled": "true"})"));
    CHECK(error.path() == "instances[0].sessions[0].sharingConfiguration.enabled");
    CHECK(error.reason() == "expected a boolean, got string");
}

TEST_CASE("parser: acceptResponses null is refused") {
    const FixtureError error = refusal_of(session_with(
        std::string(R"("sessionId": ")") + kSessionId +
        R"(", "owner": "alice", "sharingConfiguration": {"enabled": true, "acceptResponses": null})"));
    CHECK(error.path() == "instances[0].sessions[0].sharingConfiguration.acceptResponses");
    CHECK(error.reason() == "expected a boolean, got null");
}

TEST_CASE("parser: revealCards must be a boolean") {
    const FixtureError error = refusal_of(session_with(
        std::string(R"("sessionId": ")") + kSessionId +
        R"(", "owner": "alice", "sharingConfiguration": {"enabled": true, "revealCards": 1})"));
    CHECK(error.path() == "instances[0].sessions[0].sharingConfiguration.revealCards");
    CHECK(error.reason() == "expected a boolean, got number");
}

TEST_CASE("parser: an unknown sharingConfiguration field is refused") {
    const FixtureError error = refusal_of(session_with(
        std::string(R"("sessionId": ")") + kSessionId +
        R"(", "owner": "alice", "sharingConfiguration": {"enabled": true, "public": true})"));
    CHECK(error.path() == "instances[0].sessions[0].sharingConfiguration.public");
    CHECK(error.reason() == "unknown field 'public'");
}
