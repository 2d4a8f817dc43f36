// Step 2 of the operation: reading and validating GetQAppSessionMetadata's input exactly as
// AWS does, with AWS's wording for every violation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expected.hpp"
#include "http_types.hpp"

namespace qapps {

struct OperationInput {
    std::string instance_id;  // header instance-id
    std::string session_id;   // query parameter sessionId
};

// The input as sent, before validation: absent members are nullopt.
struct RawOperationInput {
    std::optional<std::string> instance_id;
    std::optional<std::string> session_id;
};

// Reads the instance-id header and the decoded sessionId query parameter, once per request.
RawOperationInput read_raw_operation_input(const HttpRequest& request);

// Every violation is counted and reported in one ValidationException, members in model order
// (instanceId, then sessionId). An empty instance-id header counts as a missing one: HTTP
// cannot tell a client that sent an empty value from one that sent nothing useful.
Expected<OperationInput> validate_operation_input(const RawOperationInput& raw);

// read_raw_operation_input, then validate_operation_input.
Expected<OperationInput> read_operation_input(const HttpRequest& request);

// "1 validation error detected: A" / "2 validation errors detected: A; B"
std::string validation_message(const std::vector<std::string>& violations);

}  // namespace qapps
