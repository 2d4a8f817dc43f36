#include "auth_mode.hpp"

namespace qapps {

std::optional<AuthMode> parse_auth_mode(std::string_view text) {
    if (text == "lenient") return AuthMode::lenient;
    if (text == "strict") return AuthMode::strict;
    if (text == "none") return AuthMode::none;
    return std::nullopt;
}

std::string_view to_string(AuthMode mode) {
    switch (mode) {
        case AuthMode::lenient:
            return "lenient";
        case AuthMode::strict:
            return "strict";
        case AuthMode::none:
            return "none";
    }
    return "lenient";
}

}  // namespace qapps
