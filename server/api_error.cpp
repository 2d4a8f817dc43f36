#include "api_error.hpp"

#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

namespace qapps {

namespace http = boost::beast::http;

namespace {

ApiError make(std::string type, http::status status, std::string message) {
    ApiError error;
    error.type = std::move(type);
    error.status = status;
    error.message = std::move(message);
    return error;
}

}  // namespace

ApiError ApiError::validation(std::string message) {
    return make("ValidationException", http::status::bad_request, std::move(message));
}

ApiError ApiError::unauthorized(std::string message) {
    return make("UnauthorizedException", http::status::unauthorized, std::move(message));
}

ApiError ApiError::service_quota_exceeded(std::string message, std::string resource_id,
                                          std::string resource_type, std::string quota_code) {
    auto error =
        make("ServiceQuotaExceededException", http::status::payment_required, std::move(message));
    error.members["resourceId"] = std::move(resource_id);
    error.members["resourceType"] = std::move(resource_type);
    error.members["serviceCode"] = kServiceCode;
    error.members["quotaCode"] = std::move(quota_code);
    return error;
}

ApiError ApiError::access_denied(std::string message) {
    return make("AccessDeniedException", http::status::forbidden, std::move(message));
}

ApiError ApiError::resource_not_found(std::string message, std::string resource_id,
                                      std::string resource_type) {
    auto error = make("ResourceNotFoundException", http::status::not_found, std::move(message));
    error.members["resourceId"] = std::move(resource_id);
    error.members["resourceType"] = std::move(resource_type);
    return error;
}

ApiError ApiError::throttling(std::string message, std::optional<int> retry_after,
                              std::string quota_code) {
    auto error = make("ThrottlingException", http::status::too_many_requests, std::move(message));
    error.members["serviceCode"] = kServiceCode;
    error.members["quotaCode"] = std::move(quota_code);
    error.retry_after = retry_after;
    return error;
}

ApiError ApiError::internal_server(std::string message, std::optional<int> retry_after) {
    auto error =
        make("InternalServerException", http::status::internal_server_error, std::move(message));
    error.retry_after = retry_after;
    return error;
}

ApiError ApiError::unknown_operation(std::string_view method, std::string_view target) {
    const auto path = target.substr(0, target.find('?'));
    return make("UnknownOperationException", http::status::not_found,
                "No operation matches " + std::string(method) + " " + std::string(path));
}

ApiError ApiError::method_not_allowed(std::string_view method, std::string allowed) {
    auto error = make("MethodNotAllowedException", http::status::method_not_allowed,
                      "Method " + std::string(method) + " is not allowed here; use " + allowed);
    error.allow = std::move(allowed);
    return error;
}

ApiError ApiError::header_too_large() {
    return make("RequestHeaderFieldsTooLargeException",
                http::status::request_header_fields_too_large,
                "The request's header is larger than this server accepts");
}

ApiError ApiError::body_too_large() {
    return make("RequestEntityTooLargeException", http::status::payload_too_large,
                "The request's body is larger than this server accepts");
}

ApiError ApiError::bad_request(std::string message) {
    return make("BadRequestException", http::status::bad_request, std::move(message));
}

ApiError ApiError::not_found(std::string message) {
    return make("NotFoundException", http::status::not_found, std::move(message));
}

HttpResponse to_http_response(const ApiError& error, std::string_view request_id,
                              unsigned http_version) {
    HttpResponse response{error.status, http_version};
    response.set(http::field::content_type, "application/json");
    response.set("x-amzn-RequestId", request_id);
    response.set("x-amzn-ErrorType", error.type);
    if (error.retry_after)
        response.set(http::field::retry_after, std::to_string(*error.retry_after));
    if (error.allow) response.set(http::field::allow, *error.allow);

    boost::json::object body;
    body["message"] = error.message;
    for (const auto& member : error.members) body[member.key()] = member.value();
    response.body() = boost::json::serialize(body);
    response.prepare_payload();
    return response;
}

bool is_operation_error_name(std::string_view name) {
    static constexpr std::array<std::string_view, 7> kNames = {
        "ValidationException",    "UnauthorizedException",     "ServiceQuotaExceededException",
        "AccessDeniedException",  "ResourceNotFoundException", "ThrottlingException",
        "InternalServerException"};
    for (auto known : kNames)
        if (known == name) return true;
    return false;
}

}  // namespace qapps
