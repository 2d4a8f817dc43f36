// GetQAppSessionMetadata, the emulated operation, as a plain function of the request and its
// dependencies. The evaluation order of SPEC section 1 is written once, in the .cpp:
// authenticate -> validate -> faults -> look up -> authorize -> render.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "api_error.hpp"
#include "auth_mode.hpp"
#include "clock.hpp"
#include "fault_engine.hpp"
#include "http_types.hpp"
#include "session_store.hpp"

namespace qapps {

struct OperationDeps {
    SessionStore& store;
    FaultEngine& faults;
    const Clock& clock;  // wall time for --auth strict's 15-minute window
    AuthMode auth = AuthMode::lenient;
};

struct OperationResult {
    std::optional<ApiError> error;  // set when the call fails; else `body` is the answer
    boost::json::object body;
    std::chrono::milliseconds delay{0};  // how long to hold the answer back
    bool injected = false;               // the error was injected, not caused by the request
    // What the call named, as sent (for the request journal): empty when absent.
    std::string instance_id;
    std::string session_id;
    std::string caller;  // the access key id, or "anonymous"
};

OperationResult get_session_metadata(const HttpRequest& request, OperationDeps& deps);

// The success body for `session` as seen by a caller who does or does not own it.
boost::json::object render_session_metadata(const SessionRecord& session, bool caller_is_owner);

}  // namespace qapps
