// Config: everything qapps-local can be told at start, from the command line and the
// environment (SPEC section 6). Each value flag --NAME is also read from the environment
// variable QAPPS_LOCAL_NAME (upper case, dashes as underscores); a flag on the command line
// overrides its variable, and an empty variable counts as unset. --help, --version and
// --healthcheck are actions, not settings, and have no variable.
//
// parse_config() is a pure function of its inputs (the environment is injected), so it is
// tested without touching the process. No state; thread-safe.
//
// How main uses it:
//   auto result = parse_config(args, getenv);
//   if (auto* exit = std::get_if<ExitRequest>(&result)) -> print exit->text + "\n" on stderr,
//                                                          return exit->exit_code (2)
//   config.help    -> print help_text(version) on stdout, exit 0
//   config.version -> print "qapps-local <version>" on stdout, exit 0
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "access_log.hpp"
#include "auth_mode.hpp"

namespace qapps {

// std::thread::hardware_concurrency(), at least 1.
int default_thread_count();

struct Config {
    std::string host = "127.0.0.1";        // --host: IP address to listen on, or localhost
    unsigned short port = 4747;            // --port: TCP port, 0 = a free port
    int threads = default_thread_count();  // --threads: server threads (1-1024), default #CPUs
    std::string db = ":memory:";           // --db: SQLite database, :memory: or a file path
    std::optional<std::string> fixtures;   // --fixtures: fixture file or folder, loaded at start
    std::optional<std::string> faults;     // --faults: file of fault rules, loaded at start
    AuthMode auth = AuthMode::lenient;     // --auth: lenient, strict or none
    std::uint64_t seed = 0;                // --seed: seed of the fault-probability generator
    LogLevel log_level = LogLevel::info;   // --log-level: debug, info, warn, error or off
    std::size_t journal_size = 1000;       // --journal-size: requests kept (1-1000000)
    int idle_timeout_seconds = 30;         // --idle-timeout: seconds (1-86400) before an idle
                                           //   connection is closed
    bool help = false;                     // --help / -h: print help_text() and exit 0
    bool version = false;                  // --version: print the version and exit 0
    bool healthcheck = false;              // --healthcheck: probe a running server, exit 0 if ok
};

// Parsing ended the run: exit_code 2 and one line (no trailing newline) for stderr, e.g.
// "qapps-local: --port: '70000' is not a port number (0-65535)".
struct ExitRequest {
    int exit_code = 2;
    std::string text;
};

using ConfigResult = std::variant<Config, ExitRequest>;

// Returns the value of an environment variable, or nullopt when it is not set.
using GetEnv = std::function<std::optional<std::string>(std::string_view)>;

// `args` excludes argv[0]. Both "--port 4747" and "--port=4747" are accepted; the last of a
// repeated flag wins. With --help or --version anywhere, the other values are not checked.
ConfigResult parse_config(std::span<const std::string_view> args, const GetEnv& getenv);

// Every flag with its environment variable and default; ends with a newline.
std::string help_text(std::string_view version);

std::optional<LogLevel> parse_log_level(std::string_view text);

}  // namespace qapps
