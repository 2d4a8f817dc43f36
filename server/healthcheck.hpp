// Healthcheck: `qapps-local --healthcheck`, a tiny HTTP client that asks a running server's
// GET /_qapps/health and turns the answer into an exit code. It is what the container image's
// HEALTHCHECK runs, so the image needs no shell and no curl.
//
// Healthy means: the server answered within the timeout, with 200, and a JSON object whose
// "status" is "ok". Anything else is unhealthy, with one line saying why.
//
// Synchronous: each call runs its own io_context on the calling thread until the answer or the
// deadline. No shared state; thread-safe.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>

#include "config.hpp"

namespace qapps {

inline constexpr std::string_view kHealthPath = "/_qapps/health";
inline constexpr std::chrono::milliseconds kHealthcheckTimeout{3000};

struct HealthcheckResult {
    bool healthy = false;
    std::string url;     // what was asked, e.g. "http://127.0.0.1:4747/_qapps/health"
    std::string reason;  // why it is unhealthy, e.g. "cannot connect: Connection refused"
};

// The address to ask for a server configured to listen on `host`: a wildcard ("0.0.0.0",
// "::" or empty) and "localhost" mean the loopback address, anything else is used as given.
std::string healthcheck_host(const std::string& host);

// Asks http://<host>:<port>/_qapps/health, giving up after `timeout` in total (connect, write
// and read together). `host` must be an IP address.
HealthcheckResult check_health(const std::string& host, unsigned short port,
                               std::chrono::milliseconds timeout = kHealthcheckTimeout);

// check_health() for the server `config` describes (--host, --port and their variables).
// Returns the process exit code: 0 when healthy, else 1 after one line on `err`, e.g.
// "qapps-local: healthcheck: http://127.0.0.1:4747/_qapps/health: cannot connect: Connection
// refused". Prints nothing when healthy.
int run_healthcheck(const Config& config, std::ostream& err);
int run_healthcheck(const Config& config);  // to std::cerr

}  // namespace qapps
