// Step 1 of the operation: who is calling. The caller is the access key id in the SigV4
// Authorization header; fixture users map it to a user id (SPEC section 2).
#pragma once

#include <string>

#include "auth_mode.hpp"
#include "clock.hpp"
#include "expected.hpp"
#include "http_types.hpp"
#include "session_store.hpp"

namespace qapps {

struct Caller {
    std::string access_key_id;  // empty for an anonymous caller (mode none, no header)
    std::string user_id;        // the fixture user holding the key; else the key; or "anonymous"
};

inline constexpr std::string_view kAnonymousUser = "anonymous";

// lenient: any well-formed SigV4 header; none: no header needed (a well-formed one still names
// the caller); strict: the key must be a fixture user's and the signature, recomputed with that
// user's secret, must match, made within 15 minutes of `clock`'s wall time (read in strict mode
// only).
Expected<Caller> authenticate(const HttpRequest& request, AuthMode mode, SessionStore& store,
                              const Clock& clock);

}  // namespace qapps
