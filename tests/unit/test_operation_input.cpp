#include <doctest/doctest.h>

#include "operation_input.hpp"
#include "request_builder.hpp"

using namespace qapps;
using qapps::testing::make_request;

namespace {

constexpr std::string_view kGoodId = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
const std::string kPatternText =
    "[\\da-f]{8}-[\\da-f]{4}-[45][\\da-f]{3}-[89ABab][\\da-f]{3}-[\\da-f]{12}";

HttpRequest request(std::string target, std::vector<std::pair<std::string, std::string>> headers) {
    return make_request(boost::beast::http::verb::get, std::move(target), std::move(headers));
}

ApiError error_for(const HttpRequest& req) {
    auto result = read_operation_input(req);
    REQUIRE_FALSE(result.has_value());
    return result.error();
}

}  // namespace

TEST_CASE("a valid request yields its instance id and session id") {
    auto result = read_operation_input(
        request("/runtime.getQAppSessionMetadata?sessionId=" + std::string(kGoodId),
                {{"instance-id", "demo"}}));
    REQUIRE(result.has_value());
    CHECK(result->instance_id == "demo");
    CHECK(result->session_id == kGoodId);
}

TEST_CASE("a missing instance-id header is a null instanceId") {
    const auto error =
        error_for(request("/runtime.getQAppSessionMetadata?sessionId=" + std::string(kGoodId), {}));
    CHECK(error.type == "ValidationException");
    CHECK(error.status == boost::beast::http::status::bad_request);
    CHECK(error.message ==
          "1 validation error detected: Value null at 'instanceId' failed to satisfy "
          "constraint: Member must not be null");
    CHECK(error.members.empty());
}

TEST_CASE("an empty instance-id header counts as missing") {
    const auto error =
        error_for(request("/runtime.getQAppSessionMetadata?sessionId=" + std::string(kGoodId),
                          {{"instance-id", ""}}));
    CHECK(error.message ==
          "1 validation error detected: Value null at 'instanceId' failed to satisfy "
          "constraint: Member must not be null");
}

TEST_CASE("a missing sessionId is a null sessionId") {
    const auto error =
        error_for(request("/runtime.getQAppSessionMetadata", {{"instance-id", "d"}}));
    CHECK(error.message ==
          "1 validation error detected: Value null at 'sessionId' failed to satisfy "
          "constraint: Member must not be null");
}

TEST_CASE("a sessionId off the pattern is quoted with the pattern") {
    const auto error =
        error_for(request("/runtime.getQAppSessionMetadata?sessionId=abc", {{"instance-id", "d"}}));
    CHECK(error.message ==
          "1 validation error detected: Value 'abc' at 'sessionId' failed to satisfy "
          "constraint: Member must satisfy regular expression pattern: " +
              kPatternText);
}

TEST_CASE("an empty sessionId is a value, not null") {
    const auto error =
        error_for(request("/runtime.getQAppSessionMetadata?sessionId=", {{"instance-id", "d"}}));
    CHECK(error.message ==
          "1 validation error detected: Value '' at 'sessionId' failed to satisfy "
          "constraint: Member must satisfy regular expression pattern: " +
              kPatternText);
}

TEST_CASE("an uppercase UUID does not match the model's pattern") {
    const auto error = error_for(
        request("/runtime.getQAppSessionMetadata?sessionId=8F6E2A10-4B1C-4D2E-9F3A-0123456789AB",
                {{"instance-id", "d"}}));
    CHECK(error.message.starts_with(
        "1 validation error detected: Value '8F6E2A10-4B1C-4D2E-9F3A-0123456789AB' at "
        "'sessionId'"));
}

TEST_CASE("two violations are counted and joined with '; ' in model order") {
    const auto error = error_for(request("/runtime.getQAppSessionMetadata?sessionId=nope", {}));
    CHECK(error.message ==
          "2 validation errors detected: Value null at 'instanceId' failed to satisfy "
          "constraint: Member must not be null; Value 'nope' at 'sessionId' failed to satisfy "
          "constraint: Member must satisfy regular expression pattern: " +
              kPatternText);
}

TEST_CASE("both members missing") {
    const auto error = error_for(request("/runtime.getQAppSessionMetadata", {}));
    CHECK(error.message ==
          "2 validation errors detected: Value null at 'instanceId' failed to satisfy "
          "constraint: Member must not be null; Value null at 'sessionId' failed to satisfy "
          "constraint: Member must not be null");
}
