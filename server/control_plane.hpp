// The control plane under /_qapps/ (SPEC section 5): plain JSON calls, no SigV4, with which a
// test suite inspects and steers the emulator. Lists come wrapped in objects
// ({"sessions": [...]}); malformed input gets a 400 with a JSON message and changes nothing.
// Errors go through ApiError like every other answer.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "fault_engine.hpp"
#include "fault_rule.hpp"
#include "http_types.hpp"
#include "request_journal.hpp"
#include "sqlite_store.hpp"

namespace qapps {

inline constexpr std::string_view kControlPlanePrefix = "/_qapps/";

// What POST /_qapps/reset goes back to. The store's half is its snapshot (SqliteStore).
struct StartState {
    std::vector<FaultRule> fault_rules;  // from the start fixtures, then --faults
    std::uint64_t seed = 0;              // --seed
};

struct ControlPlaneDeps {
    SqliteStore& store;
    FaultEngine& faults;
    RequestJournal& journal;
    const StartState& start;
    std::string_view version;
};

// Answers a request whose path starts with kControlPlanePrefix.
HttpResponse handle_control_plane(const HttpRequest& request, ControlPlaneDeps& deps,
                                  std::string_view request_id);

}  // namespace qapps
