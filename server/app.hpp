// App: the whole emulator behind one RequestHandler. Routes each request to the operation
// (GetQAppSessionMetadata), the control plane (/_qapps/...), or a 404/405 answer, and records
// every operation call in the request journal.
//
// Owns nothing long-lived: the store, fault engine, journal and clock are built in main and
// outlive it. Thread-safe as RequestHandler requires (its collaborators are).
#pragma once

#include <string>

#include "auth_mode.hpp"
#include "clock.hpp"
#include "control_plane.hpp"
#include "fault_engine.hpp"
#include "request_handler.hpp"
#include "request_id.hpp"
#include "request_journal.hpp"
#include "sqlite_store.hpp"

namespace qapps {

struct AppOptions {
    AuthMode auth = AuthMode::lenient;  // --auth
    std::string version;                // reported by /_qapps/health
    StartState start;                   // what POST /_qapps/reset restores besides the store
};

struct AppDeps {
    SqliteStore& store;
    FaultEngine& faults;
    RequestJournal& journal;
    const Clock& clock;
};

class App final : public RequestHandler {
  public:
    App(AppDeps deps, AppOptions options);

    Outcome handle(const HttpRequest& request) override;
    HttpResponse reject(const ApiError& error, unsigned http_version) override;

  private:
    Outcome route(const HttpRequest& request, const std::string& request_id);
    Outcome operation(const HttpRequest& request, const std::string& request_id);

    AppDeps deps_;
    AppOptions options_;
    RequestIdGenerator request_ids_;
};

}  // namespace qapps
