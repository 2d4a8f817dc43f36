// The control plane under /_qapps/ (SPEC section 5): plain JSON calls, no SigV4, used by test
// suites to inspect and steer the emulator. Errors go through ApiError like everything else.
#pragma once

#include <string>
#include <string_view>

#include "http_types.hpp"
#include "sqlite_store.hpp"

namespace qapps {

inline constexpr std::string_view kControlPlanePrefix = "/_qapps/";

struct ControlPlaneDeps {
    SqliteStore& store;
    std::string_view version;
};

// Answers a request whose path starts with kControlPlanePrefix.
HttpResponse handle_control_plane(const HttpRequest& request, ControlPlaneDeps& deps,
                                  std::string_view request_id);

}  // namespace qapps
