// How callers are authenticated (SPEC section 2), chosen with --auth.
#pragma once

#include <optional>
#include <string_view>

namespace qapps {

enum class AuthMode {
    lenient,  // any well-formed SigV4 Authorization header; signatures are not checked
    strict,   // the key must belong to a fixture user and the signature must verify
    none,     // no header needed; without one the caller is "anonymous"
};

std::optional<AuthMode> parse_auth_mode(std::string_view text);
std::string_view to_string(AuthMode mode);

}  // namespace qapps
