// Reading a request target: its path, and one decoded query parameter.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qapps {

// The target without its query string.
std::string_view target_path(std::string_view target);

// Decodes %XX escapes; a malformed escape such as "%zz" is kept as written. Query values treat
// '+' as a space, as form encoding has it; SigV4's canonical query keeps it a literal '+'.
enum class PlusSign { space, literal };
std::string percent_decode(std::string_view text, PlusSign plus);

// The first value of `name` in the target's query string, percent-decoded ('+' is a space, as
// form encoding has it); nullopt when absent. "a" and "a=" both give an empty value.
std::optional<std::string> query_parameter(std::string_view target, std::string_view name);

}  // namespace qapps
