// parse_config(): defaults, both flag forms, environment variables, precedence, and the exact
// one-line message for each kind of bad input.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config.hpp"

namespace {

using qapps::Config;
using qapps::ConfigResult;
using qapps::ExitRequest;

using Env = std::map<std::string, std::string, std::less<>>;

ConfigResult parse(std::vector<std::string_view> args, const Env& env = {}) {
    return qapps::parse_config(args, [&env](std::string_view name) -> std::optional<std::string> {
        const auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    });
}

Config parsed(std::vector<std::string_view> args, const Env& env = {}) {
    auto result = parse(std::move(args), env);
    if (const auto* exit = std::get_if<ExitRequest>(&result)) FAIL("unexpected: " << exit->text);
    return std::get<Config>(result);
}

std::string error_of(std::vector<std::string_view> args, const Env& env = {}) {
    auto result = parse(std::move(args), env);
    REQUIRE(std::holds_alternative<ExitRequest>(result));
    const auto& exit = std::get<ExitRequest>(result);
    CHECK(exit.exit_code == 2);
    CHECK(exit.text.find('\n') == std::string::npos);
    return exit.text;
}

}  // namespace

TEST_CASE("config: defaults") {
    const Config config = parsed({});
    CHECK(config.host == "127.0.0.1");
    CHECK(config.port == 4747);
    CHECK(config.threads >= 1);
    CHECK(config.threads == qapps::default_thread_count());
    CHECK(config.db == ":memory:");
    CHECK_FALSE(config.fixtures.has_value());
    CHECK_FALSE(config.faults.has_value());
    CHECK(config.auth == qapps::AuthMode::lenient);
    CHECK(config.seed == 0);
    CHECK(config.log_level == qapps::LogLevel::info);
    CHECK(config.journal_size == 1000);
    CHECK(config.idle_timeout_seconds == 30);
    CHECK_FALSE(config.help);
    CHECK_FALSE(config.version);
    CHECK_FALSE(config.healthcheck);
}

TEST_CASE("config: every flag, separate value") {
    const Config config =
        parsed({"--host",         "0.0.0.0", "--port",         "8080",
                "--threads",      "3",       "--db",           "/tmp/q.db",
                "--fixtures",     "fx",      "--faults",       "faults.json",
                "--auth",         "strict",  "--seed",         "18446744073709551615",
                "--log-level",    "debug",   "--journal-size", "5",
                "--idle-timeout", "7"});
    CHECK(config.host == "0.0.0.0");
    CHECK(config.port == 8080);
    CHECK(config.threads == 3);
    CHECK(config.db == "/tmp/q.db");
    CHECK(config.fixtures == "fx");
    CHECK(config.faults == "faults.json");
    CHECK(config.auth == qapps::AuthMode::strict);
    CHECK(config.seed == 18446744073709551615ULL);
    CHECK(config.log_level == qapps::LogLevel::debug);
    CHECK(config.journal_size == 5);
    CHECK(config.idle_timeout_seconds == 7);
}

TEST_CASE("config: every flag, --name=value") {
    const Config config =
        parsed({"--host=::1", "--port=0", "--threads=1", "--db=a=b.db", "--fixtures=fx",
                "--faults=f.json", "--auth=none", "--seed=42", "--log-level=off",
                "--journal-size=1000000", "--idle-timeout=86400"});
    CHECK(config.host == "::1");
    CHECK(config.port == 0);
    CHECK(config.threads == 1);
    CHECK(config.db == "a=b.db");  // only the first '=' separates
    CHECK(config.fixtures == "fx");
    CHECK(config.faults == "f.json");
    CHECK(config.auth == qapps::AuthMode::none);
    CHECK(config.seed == 42);
    CHECK(config.log_level == qapps::LogLevel::off);
    CHECK(config.journal_size == 1000000);
    CHECK(config.idle_timeout_seconds == 86400);
}

TEST_CASE("config: localhost is accepted as a host") {
    CHECK(parsed({"--host", "localhost"}).host == "localhost");
}

TEST_CASE("config: every setting from the environment") {
    const Env env{{"QAPPS_LOCAL_HOST", "0.0.0.0"},   {"QAPPS_LOCAL_PORT", "9000"},
                  {"QAPPS_LOCAL_THREADS", "2"},      {"QAPPS_LOCAL_DB", "state.db"},
                  {"QAPPS_LOCAL_FIXTURES", "fx/"},   {"QAPPS_LOCAL_FAULTS", "faults.json"},
                  {"QAPPS_LOCAL_AUTH", "none"},      {"QAPPS_LOCAL_SEED", "7"},
                  {"QAPPS_LOCAL_LOG_LEVEL", "warn"}, {"QAPPS_LOCAL_JOURNAL_SIZE", "50"},
                  {"QAPPS_LOCAL_IDLE_TIMEOUT", "12"}};
    const Config config = parsed({}, env);
    CHECK(config.host == "0.0.0.0");
    CHECK(config.port == 9000);
    CHECK(config.threads == 2);
    CHECK(config.db == "state.db");
    CHECK(config.fixtures == "fx/");
    CHECK(config.faults == "faults.json");
    CHECK(config.auth == qapps::AuthMode::none);
    CHECK(config.seed == 7);
    CHECK(config.log_level == qapps::LogLevel::warn);
    CHECK(config.journal_size == 50);
    CHECK(config.idle_timeout_seconds == 12);
}

TEST_CASE("config: a flag overrides its environment variable") {
    const Env env{{"QAPPS_LOCAL_PORT", "9000"}, {"QAPPS_LOCAL_LOG_LEVEL", "error"}};
    const Config config = parsed({"--port=1234"}, env);
    CHECK(config.port == 1234);
    CHECK(config.log_level == qapps::LogLevel::error);  // not overridden: from the environment
}

TEST_CASE("config: a bad variable overridden by a flag is not an error") {
    CHECK(parsed({"--port", "1"}, {{"QAPPS_LOCAL_PORT", "nonsense"}}).port == 1);
}

TEST_CASE("config: an empty variable counts as unset") {
    const Config config = parsed({}, {{"QAPPS_LOCAL_FIXTURES", ""}, {"QAPPS_LOCAL_PORT", ""}});
    CHECK_FALSE(config.fixtures.has_value());
    CHECK(config.port == 4747);
}

TEST_CASE("config: the last of a repeated flag wins") {
    CHECK(parsed({"--port", "1", "--port=2"}).port == 2);
}

TEST_CASE("config: --help, -h, --version and --healthcheck") {
    CHECK(parsed({"--help"}).help);
    CHECK(parsed({"-h"}).help);
    CHECK(parsed({"--version"}).version);
    CHECK(parsed({"--healthcheck"}).healthcheck);
    CHECK(parsed({"--healthcheck", "--port", "5000"}).port == 5000);
    // With --help or --version the values are not checked.
    CHECK(parsed({"--port", "99999", "--help"}).help);
    CHECK(parsed({"--version"}, {{"QAPPS_LOCAL_AUTH", "foo"}}).version);
}

TEST_CASE("config: bad values, one exact line each") {
    CHECK(error_of({"--port", "70000"}) ==
          "qapps-local: --port: '70000' is not a port number (0-65535)");
    CHECK(error_of({"--port=-1"}) == "qapps-local: --port: '-1' is not a port number (0-65535)");
    CHECK(error_of({"--port=80x"}) == "qapps-local: --port: '80x' is not a port number (0-65535)");
    CHECK(error_of({"--port="}) == "qapps-local: --port: '' is not a port number (0-65535)");
    CHECK(error_of({"--host", "example.com"}) ==
          "qapps-local: --host: 'example.com' is not an IP address (or localhost)");
    CHECK(error_of({"--threads", "0"}) ==
          "qapps-local: --threads: '0' is not a thread count (1-1024)");
    CHECK(error_of({"--db="}) == "qapps-local: --db: must not be empty (use :memory: for no file)");
    CHECK(error_of({"--fixtures="}) == "qapps-local: --fixtures: must not be empty");
    CHECK(error_of({"--faults="}) == "qapps-local: --faults: must not be empty");
    CHECK(error_of({"--auth", "foo"}) ==
          "qapps-local: --auth: 'foo' is not one of lenient, strict, none");
    CHECK(error_of({"--seed", "18446744073709551616"}) ==
          "qapps-local: --seed: '18446744073709551616' is not a seed (0-18446744073709551615)");
    CHECK(error_of({"--log-level", "verbose"}) ==
          "qapps-local: --log-level: 'verbose' is not one of debug, info, warn, error, off");
    CHECK(error_of({"--journal-size", "0"}) ==
          "qapps-local: --journal-size: '0' is not a journal size (1-1000000)");
    CHECK(error_of({"--idle-timeout", "1.5"}) ==
          "qapps-local: --idle-timeout: '1.5' is not a number of seconds (1-86400)");
}

TEST_CASE("config: bad environment variables name the variable") {
    CHECK(error_of({}, {{"QAPPS_LOCAL_AUTH", "foo"}}) ==
          "qapps-local: QAPPS_LOCAL_AUTH: 'foo' is not one of lenient, strict, none");
    CHECK(error_of({}, {{"QAPPS_LOCAL_PORT", "http"}}) ==
          "qapps-local: QAPPS_LOCAL_PORT: 'http' is not a port number (0-65535)");
    CHECK(error_of({}, {{"QAPPS_LOCAL_IDLE_TIMEOUT", "0"}}) ==
          "qapps-local: QAPPS_LOCAL_IDLE_TIMEOUT: '0' is not a number of seconds (1-86400)");
}

TEST_CASE("config: bad command-line shapes") {
    CHECK(error_of({"--prot", "4747"}) == "qapps-local: unknown flag '--prot' (see --help)");
    CHECK(error_of({"--prot=4747"}) == "qapps-local: unknown flag '--prot' (see --help)");
    CHECK(error_of({"-p"}) == "qapps-local: unknown flag '-p' (see --help)");
    CHECK(error_of({"serve"}) == "qapps-local: unexpected argument 'serve' (see --help)");
    CHECK(error_of({"--port"}) == "qapps-local: --port needs a value (see --help)");
    CHECK(error_of({"--help=yes"}) == "qapps-local: --help takes no value");
}

TEST_CASE("config: help text lists every flag, its variable and its default") {
    const std::string help = qapps::help_text("1.2.3");
    CHECK(help.starts_with("qapps-local 1.2.3"));
    CHECK(help.ends_with("\n"));
    for (const std::string_view flag :
         {"--host", "--port", "--threads", "--db", "--fixtures", "--faults", "--auth", "--seed",
          "--log-level", "--journal-size", "--idle-timeout", "--healthcheck", "--version",
          "--help"}) {
        CAPTURE(flag);
        CHECK(help.find(flag) != std::string::npos);
    }
    CHECK(help.find("QAPPS_LOCAL_PORT, default 4747") != std::string::npos);
    CHECK(help.find("QAPPS_LOCAL_LOG_LEVEL, default info") != std::string::npos);
    CHECK(help.find("QAPPS_LOCAL_JOURNAL_SIZE, default 1000") != std::string::npos);
    CHECK(help.find("QAPPS_LOCAL_IDLE_TIMEOUT, default 30") != std::string::npos);
    CHECK(help.find("QAPPS_LOCAL_DB, default :memory:") != std::string::npos);
    CHECK(help.find("QAPPS_LOCAL_AUTH, default lenient") != std::string::npos);
}

TEST_CASE("config: log levels and auth modes by name") {
    CHECK(qapps::parse_log_level("debug") == qapps::LogLevel::debug);
    CHECK(qapps::parse_log_level("info") == qapps::LogLevel::info);
    CHECK(qapps::parse_log_level("warn") == qapps::LogLevel::warn);
    CHECK(qapps::parse_log_level("error") == qapps::LogLevel::error);
    CHECK(qapps::parse_log_level("off") == qapps::LogLevel::off);
    CHECK_FALSE(qapps::parse_log_level("INFO").has_value());
    CHECK(qapps::parse_auth_mode("lenient") == qapps::AuthMode::lenient);
    CHECK(qapps::parse_auth_mode("strict") == qapps::AuthMode::strict);
    CHECK(qapps::parse_auth_mode("none") == qapps::AuthMode::none);
    CHECK_FALSE(qapps::parse_auth_mode("").has_value());
    CHECK(qapps::to_string(qapps::AuthMode::strict) == "strict");
}
