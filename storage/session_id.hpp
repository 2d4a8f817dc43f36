// The model's pattern for a Q App session id (shape UUID), shared by request validation and the
// fixture loader so both accept exactly the same ids.
#pragma once

#include <string_view>

namespace qapps {

// Quoted verbatim in ValidationException messages, as AWS does.
inline constexpr std::string_view kSessionIdPattern =
    "[\\da-f]{8}-[\\da-f]{4}-[45][\\da-f]{3}-[89ABab][\\da-f]{3}-[\\da-f]{12}";

// True when `id` is a full match of kSessionIdPattern. Hand-written rather than std::regex:
// it runs on every request and the pattern is fixed.
bool is_valid_session_id(std::string_view id);

}  // namespace qapps
