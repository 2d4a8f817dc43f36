// ApiError: every error qapps-local answers, as a value. Built by the named factories below and
// turned into its wire form (status, x-amzn-ErrorType, Retry-After, JSON body) by
// to_http_response() alone: no other code writes an error response.
#pragma once

#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http_types.hpp"

namespace qapps {

// Members of the modeled errors that are not part of the request.
inline constexpr std::string_view kServiceCode = "qapps";
inline constexpr std::string_view kThrottlingQuotaCode = "L-QAPPS-REQUESTS-PER-SECOND";
inline constexpr std::string_view kServiceQuotaCode = "L-QAPPS-SESSIONS";

struct ApiError {
    std::string type;  // x-amzn-ErrorType, e.g. "ValidationException"
    boost::beast::http::status status = boost::beast::http::status::bad_request;
    std::string message;
    boost::json::object members;       // body members besides "message", in model order
    std::optional<int> retry_after;    // seconds; Retry-After header when set
    std::optional<std::string> allow;  // Allow header, for 405 answers

    // The seven errors of GetQAppSessionMetadata.
    static ApiError validation(std::string message);
    static ApiError unauthorized(std::string message);
    static ApiError service_quota_exceeded(std::string message, std::string resource_id,
                                           std::string resource_type,
                                           std::string quota_code = std::string(kServiceQuotaCode));
    static ApiError access_denied(std::string message);
    static ApiError resource_not_found(std::string message, std::string resource_id,
                                       std::string resource_type);
    static ApiError throttling(std::string message, std::optional<int> retry_after,
                               std::string quota_code = std::string(kThrottlingQuotaCode));
    static ApiError internal_server(std::string message, std::optional<int> retry_after);

    // Errors outside the operation: routing, transport limits, the control plane.
    static ApiError unknown_operation(std::string_view method, std::string_view target);
    static ApiError method_not_allowed(std::string_view method, std::string allowed);
    static ApiError header_too_large();
    static ApiError body_too_large();
    static ApiError bad_request(std::string message);  // malformed control-plane input
    static ApiError not_found(std::string message);    // control-plane item that does not exist
};

// The wire form. `request_id` goes into x-amzn-RequestId; the response has keep-alive unset
// (the connection decides) and its payload prepared.
HttpResponse to_http_response(const ApiError& error, std::string_view request_id,
                              unsigned http_version = 11);

// The seven modeled error names, for the injection header and fault rules.
bool is_operation_error_name(std::string_view name);

}  // namespace qapps
