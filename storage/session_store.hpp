// SessionStore: the narrow read interface the request handler needs, and nothing more.
//
// Implementations must be safe to call from every server thread at once, and must not make
// concurrent callers wait on one another for the common case (see SqliteStore).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "records.hpp"

namespace qapps {

enum class LookupStatus { found, instance_not_found, session_not_found };

struct SessionLookup {
    LookupStatus status = LookupStatus::instance_not_found;
    SessionRecord session;  // meaningful only when status == found
};

class SessionStore {
  public:
    virtual ~SessionStore() = default;

    // The session `session_id` of instance `instance_id`. A session that exists under another
    // instance is reported as session_not_found.
    virtual SessionLookup find_session(std::string_view instance_id,
                                       std::string_view session_id) = 0;

    // The fixture user holding `access_key_id`. Access keys are unique across instances
    // (the loader refuses a key given to two user ids), so the answer is unambiguous.
    virtual std::optional<UserRecord> find_user_by_access_key(std::string_view access_key_id) = 0;
};

}  // namespace qapps
