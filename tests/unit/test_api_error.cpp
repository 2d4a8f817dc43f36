#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "api_error.hpp"

using namespace qapps;
namespace http = boost::beast::http;

namespace {

constexpr std::string_view kRequestId = "11111111-2222-4333-8444-555555555555";

struct Wire {
    unsigned status;
    std::string error_type;
    std::string retry_after;  // "" when the header is absent
    boost::json::value body;
};

Wire wire_of(const ApiError& error) {
    const auto response = to_http_response(error, kRequestId);
    CHECK(response[http::field::content_type] == "application/json");
    CHECK(response["x-amzn-RequestId"] == kRequestId);
    CHECK(response[http::field::content_length] == std::to_string(response.body().size()));
    return {response.result_int(), std::string(response["x-amzn-ErrorType"]),
            std::string(response[http::field::retry_after]), boost::json::parse(response.body())};
}

}  // namespace

TEST_CASE("ValidationException: 400, message only") {
    const auto wire = wire_of(ApiError::validation("bad"));
    CHECK(wire.status == 400);
    CHECK(wire.error_type == "ValidationException");
    CHECK(wire.retry_after.empty());
    CHECK(wire.body == boost::json::parse(R"({"message":"bad"})"));
}

TEST_CASE("UnauthorizedException: 401, message only") {
    const auto wire = wire_of(ApiError::unauthorized("who?"));
    CHECK(wire.status == 401);
    CHECK(wire.error_type == "UnauthorizedException");
    CHECK(wire.body == boost::json::parse(R"({"message":"who?"})"));
}

TEST_CASE("ServiceQuotaExceededException: 402 with resource, service and quota codes") {
    const auto wire = wire_of(ApiError::service_quota_exceeded("full", "s-1", "QAppSession"));
    CHECK(wire.status == 402);
    CHECK(wire.error_type == "ServiceQuotaExceededException");
    CHECK(wire.retry_after.empty());
    CHECK(wire.body == boost::json::parse(R"({"message":"full","resourceId":"s-1",
        "resourceType":"QAppSession","serviceCode":"qapps","quotaCode":"L-QAPPS-SESSIONS"})"));
}

TEST_CASE("AccessDeniedException: 403, message only") {
    const auto wire = wire_of(ApiError::access_denied("no"));
    CHECK(wire.status == 403);
    CHECK(wire.error_type == "AccessDeniedException");
    CHECK(wire.body == boost::json::parse(R"({"message":"no"})"));
}

TEST_CASE("ResourceNotFoundException: 404 with resourceId and resourceType") {
    const auto wire = wire_of(ApiError::resource_not_found("gone", "demo", "Instance"));
    CHECK(wire.status == 404);
    CHECK(wire.error_type == "ResourceNotFoundException");
    CHECK(wire.body == boost::json::parse(
                           R"({"message":"gone","resourceId":"demo","resourceType":"Instance"})"));
}

TEST_CASE("ThrottlingException: 429 with codes and Retry-After") {
    const auto wire = wire_of(ApiError::throttling("slow down", 3));
    CHECK(wire.status == 429);
    CHECK(wire.error_type == "ThrottlingException");
    CHECK(wire.retry_after == "3");
    CHECK(wire.body == boost::json::parse(R"({"message":"slow down","serviceCode":"qapps",
        "quotaCode":"L-QAPPS-REQUESTS-PER-SECOND"})"));
}

TEST_CASE("ThrottlingException without Retry-After has no header") {
    CHECK(wire_of(ApiError::throttling("x", std::nullopt)).retry_after.empty());
}

TEST_CASE("InternalServerException: 500, Retry-After only when set") {
    const auto with = wire_of(ApiError::internal_server("boom", 7));
    CHECK(with.status == 500);
    CHECK(with.error_type == "InternalServerException");
    CHECK(with.retry_after == "7");
    CHECK(with.body == boost::json::parse(R"({"message":"boom"})"));
    CHECK(wire_of(ApiError::internal_server("boom", std::nullopt)).retry_after.empty());
}

TEST_CASE("405 answers carry an Allow header") {
    const auto response = to_http_response(ApiError::method_not_allowed("POST", "GET"), kRequestId);
    CHECK(response.result_int() == 405);
    CHECK(response[http::field::allow] == "GET");
    CHECK(response["x-amzn-ErrorType"] == "MethodNotAllowedException");
    CHECK(boost::json::parse(response.body()) ==
          boost::json::parse(R"({"message":"Method POST is not allowed here; use GET"})"));
}

TEST_CASE("unknown operations name the path, not the query") {
    const auto response =
        to_http_response(ApiError::unknown_operation("GET", "/nothing?x=1"), kRequestId);
    CHECK(response.result_int() == 404);
    CHECK(response["x-amzn-ErrorType"] == "UnknownOperationException");
    CHECK(boost::json::parse(response.body()) ==
          boost::json::parse(R"({"message":"No operation matches GET /nothing"})"));
}

TEST_CASE("the seven operation error names are known, nothing else") {
    for (auto name :
         {"ValidationException", "UnauthorizedException", "ServiceQuotaExceededException",
          "AccessDeniedException", "ResourceNotFoundException", "ThrottlingException",
          "InternalServerException"})
        CHECK(is_operation_error_name(name));
    CHECK_FALSE(is_operation_error_name("UnknownOperationException"));
    CHECK_FALSE(is_operation_error_name("throttlingexception"));
    CHECK_FALSE(is_operation_error_name(""));
}
