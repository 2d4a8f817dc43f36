#include "operation_input.hpp"

#include <vector>

#include "query_string.hpp"
#include "session_id.hpp"

namespace qapps {
namespace {

std::string must_not_be_null(std::string_view member) {
    return "Value null at '" + std::string(member) +
           "' failed to satisfy constraint: Member must not be null";
}

std::string must_match_pattern(std::string_view member, std::string_view value) {
    return "Value '" + std::string(value) + "' at '" + std::string(member) +
           "' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
           std::string(kSessionIdPattern);
}

}  // namespace

std::string validation_message(const std::vector<std::string>& violations) {
    std::string message =
        std::to_string(violations.size()) +
        (violations.size() == 1 ? " validation error detected: " : " validation errors detected: ");
    for (std::size_t i = 0; i < violations.size(); ++i) {
        if (i > 0) message += "; ";
        message += violations[i];
    }
    return message;
}

RawOperationInput read_raw_operation_input(const HttpRequest& request) {
    RawOperationInput raw;
    if (const auto header = request.find("instance-id"); header != request.end())
        raw.instance_id = std::string(header->value());
    raw.session_id = query_parameter(request.target(), "sessionId");
    return raw;
}

Expected<OperationInput> validate_operation_input(const RawOperationInput& raw) {
    std::vector<std::string> violations;
    OperationInput input;

    if (!raw.instance_id || raw.instance_id->empty())
        violations.push_back(must_not_be_null("instanceId"));
    else
        input.instance_id = *raw.instance_id;

    if (!raw.session_id)
        violations.push_back(must_not_be_null("sessionId"));
    else if (!is_valid_session_id(*raw.session_id))
        violations.push_back(must_match_pattern("sessionId", *raw.session_id));
    else
        input.session_id = *raw.session_id;

    if (!violations.empty()) return ApiError::validation(validation_message(violations));
    return input;
}

Expected<OperationInput> read_operation_input(const HttpRequest& request) {
    return validate_operation_input(read_raw_operation_input(request));
}

}  // namespace qapps
