// qapps-local: wiring only. Reads the configuration, opens the store, loads the start fixtures,
// and serves until SIGINT/SIGTERM. Every failure before serving is one line on stderr and a
// non-zero exit.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "app.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "fault_engine.hpp"
#include "fault_rule.hpp"
#include "fixture_error.hpp"
#include "fixture_files.hpp"
#include "fixture_loader.hpp"
#include "healthcheck.hpp"
#include "request_journal.hpp"
#include "server.hpp"
#include "sqlite_store.hpp"

namespace {

constexpr std::string_view kVersion = QAPPS_VERSION;

std::optional<std::string> read_env(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

int fail(const std::string& line) {
    std::cerr << "qapps-local: " << line << std::endl;
    return 1;
}

int serve(const qapps::Config& config) {
    const qapps::AccessLog log(config.log_level);
    const qapps::SystemClock clock;
    auto store = qapps::SqliteStore::open(config.db, config.threads + 1);

    // The start state: fixtures, then --faults. Everything is validated before the first
    // change, so a bad file leaves nothing half-loaded.
    qapps::StartState start;
    start.seed = config.seed;
    std::vector<qapps::FaultRule> file_rules;
    if (config.faults)
        file_rules =
            qapps::parse_faults_file_text(qapps::read_fixture_text(*config.faults), *config.faults);
    if (config.fixtures)
        start.fault_rules =
            qapps::load_fixture_documents(qapps::read_fixture_path(*config.fixtures), *store);
    start.fault_rules.insert(start.fault_rules.end(), file_rules.begin(), file_rules.end());
    store->snapshot();

    qapps::FaultEngine faults(config.seed, clock);
    faults.add_all(start.fault_rules);
    qapps::RequestJournal journal(config.journal_size);
    qapps::App app({*store, faults, journal, clock},
                   {config.auth, std::string(kVersion), std::move(start)});

    qapps::ServerOptions options;
    options.host = config.host;
    options.port = config.port;
    options.threads = config.threads;
    options.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
    qapps::Server server(options, app, log);

    const auto endpoint = server.endpoint();
    // Tests and scripts wait for this line to know the port (with --port 0) and that the
    // server is ready.
    std::cout << "qapps-local listening on http://" << endpoint.address().to_string() << ':'
              << endpoint.port() << std::endl;
    server.run();
    log.message(qapps::LogLevel::info, "stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // A client or log reader that goes away must not kill the server: the write fails instead.
    std::signal(SIGPIPE, SIG_IGN);
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    auto parsed = qapps::parse_config(args, read_env);
    if (auto* exit = std::get_if<qapps::ExitRequest>(&parsed)) {
        std::cerr << exit->text << std::endl;
        return exit->exit_code;
    }
    const auto& config = std::get<qapps::Config>(parsed);
    if (config.help) {
        std::cout << qapps::help_text(kVersion);
        return 0;
    }
    if (config.version) {
        std::cout << "qapps-local " << kVersion << std::endl;
        return 0;
    }
    if (config.healthcheck) return qapps::run_healthcheck(config);

    try {
        return serve(config);
    } catch (const qapps::FixtureError& error) {
        return fail(error.what());
    } catch (const std::exception& error) {
        return fail(error.what());
    }
}
