#include "injected_error.hpp"

#include "not_found_messages.hpp"
#include "operation_input.hpp"

namespace qapps {
namespace {

std::string or_default(const std::optional<std::string>& given, std::string fallback) {
    return given ? *given : std::move(fallback);
}

}  // namespace

ApiError make_injected_error(std::string_view name, const InjectionContext& context) {
    const std::string session_id(context.session_id);
    const auto& message = context.message;
    if (name == "ValidationException")
        return ApiError::validation(or_default(message, "The request failed validation"));
    if (name == "UnauthorizedException")
        return ApiError::unauthorized(
            or_default(message, "The security token included in the request is invalid"));
    if (name == "ServiceQuotaExceededException")
        return ApiError::service_quota_exceeded(
            or_default(message, "The service quota for Q App sessions has been exceeded"),
            session_id, std::string(kSessionResourceType),
            or_default(context.quota_code, std::string(kServiceQuotaCode)));
    if (name == "AccessDeniedException")
        return ApiError::access_denied(
            or_default(message, "You do not have sufficient access to perform this action"));
    if (name == "ResourceNotFoundException")
        return ApiError::resource_not_found(
            or_default(message, session_not_found_message(context.instance_id, session_id)),
            session_id, std::string(kSessionResourceType));
    if (name == "ThrottlingException")
        return ApiError::throttling(
            or_default(message, "Rate exceeded"), context.retry_after,
            or_default(context.quota_code, std::string(kThrottlingQuotaCode)));
    return ApiError::internal_server(
        or_default(message, "An internal error occurred while processing the request"),
        context.retry_after);
}

std::optional<HeaderInjection> error_from_inject_header(const HttpRequest& request,
                                                        std::string_view instance_id,
                                                        std::string_view session_id) {
    const auto header = request.find(kInjectErrorHeader);
    if (header == request.end()) return std::nullopt;
    const std::string_view name = header->value();
    if (!is_operation_error_name(name)) {
        return HeaderInjection{
            ApiError::validation(validation_message(
                {"Value '" + std::string(name) + "' at '" + std::string(kInjectErrorHeader) +
                 "' failed to satisfy constraint: Member must satisfy enum value set: "
                 "[ValidationException, UnauthorizedException, ServiceQuotaExceededException, "
                 "AccessDeniedException, ResourceNotFoundException, ThrottlingException, "
                 "InternalServerException]"})),
            false};
    }
    InjectionContext context{instance_id, session_id, std::nullopt, std::nullopt, std::nullopt};
    if (name == "ThrottlingException" || name == "InternalServerException") context.retry_after = 1;
    return HeaderInjection{make_injected_error(name, context), true};
}

}  // namespace qapps
