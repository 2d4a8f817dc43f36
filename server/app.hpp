// App: the whole emulator behind one RequestHandler. Routes each request to the operation
// (GetQAppSessionMetadata), the control plane (/_qapps/...), or a 404/405 answer.
//
// Owns nothing long-lived itself: the store and the other collaborators are built in main and
// outlive it. Thread-safe as RequestHandler requires.
#pragma once

#include <string>

#include "auth_mode.hpp"
#include "request_handler.hpp"
#include "request_id.hpp"
#include "sqlite_store.hpp"

namespace qapps {

struct AppOptions {
    AuthMode auth = AuthMode::lenient;  // --auth
    std::string version;                // reported by /_qapps/health
};

class App final : public RequestHandler {
  public:
    App(SqliteStore& store, AppOptions options);

    Outcome handle(const HttpRequest& request) override;
    HttpResponse reject(const ApiError& error, unsigned http_version) override;

  private:
    Outcome route(const HttpRequest& request, const std::string& request_id);

    SqliteStore& store_;
    AppOptions options_;
    RequestIdGenerator request_ids_;
};

}  // namespace qapps
