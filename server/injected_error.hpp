// Building one of the seven operation errors by name, for fault injection (the
// x-qapps-inject-error header and fault rules). Members the shape requires are filled from the
// request so that every SDK can parse the answer into its modeled exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api_error.hpp"
#include "http_types.hpp"

namespace qapps {

struct InjectionContext {
    std::string_view instance_id;
    std::string_view session_id;
    std::optional<std::string> message;     // else a message like the real service's
    std::optional<int> retry_after;         // seconds; used by Throttling and InternalServer only
    std::optional<std::string> quota_code;  // else the default codes of api_error.hpp
};

// `name` must satisfy is_operation_error_name().
ApiError make_injected_error(std::string_view name, const InjectionContext& context);

inline constexpr std::string_view kInjectErrorHeader = "x-qapps-inject-error";

struct HeaderInjection {
    ApiError error;
    bool injected = true;  // false when the header itself was wrong (an unknown error name)
};

// The error the request asks for in its x-qapps-inject-error header: nullopt without the
// header; the named error (Retry-After: 1 for the retryable ones); or, for a name that is not
// one of the seven, a ValidationException naming the header (not counted as injected).
std::optional<HeaderInjection> error_from_inject_header(const HttpRequest& request,
                                                        std::string_view instance_id,
                                                        std::string_view session_id);

}  // namespace qapps
