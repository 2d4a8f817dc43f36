#include "config.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <charconv>
#include <limits>
#include <thread>
#include <vector>

namespace qapps {
namespace {

constexpr std::string_view kProgram = "qapps-local";
constexpr std::string_view kEnvPrefix = "QAPPS_LOCAL_";

// Checks and stores one value; returns what is wrong with it (the text after "SOURCE: ").
using Apply = std::optional<std::string> (*)(Config&, std::string_view);

struct Flag {
    std::string_view name;        // without the leading dashes
    std::string_view value_name;  // shown in --help
    std::string_view default_text;
    std::string_view description;
    Apply apply;
};

std::string quoted(std::string_view value) {
    return "'" + std::string(value) + "'";
}

// A whole decimal number within [min, max]; no sign, no spaces.
template <typename T>
std::optional<T> parse_number(std::string_view text, T min, T max) {
    if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (value < static_cast<std::uint64_t>(min) || value > static_cast<std::uint64_t>(max)) {
        return std::nullopt;
    }
    return static_cast<T>(value);
}

std::optional<std::string> apply_host(Config& config, std::string_view value) {
    boost::system::error_code ec;
    if (value != "localhost") {
        boost::asio::ip::make_address(std::string(value), ec);
        if (ec) return quoted(value) + " is not an IP address (or localhost)";
    }
    config.host = std::string(value);
    return std::nullopt;
}

std::optional<std::string> apply_port(Config& config, std::string_view value) {
    const auto port = parse_number<unsigned short>(value, 0, 65535);
    if (!port) return quoted(value) + " is not a port number (0-65535)";
    config.port = *port;
    return std::nullopt;
}

std::optional<std::string> apply_threads(Config& config, std::string_view value) {
    const auto threads = parse_number<int>(value, 1, 1024);
    if (!threads) return quoted(value) + " is not a thread count (1-1024)";
    config.threads = *threads;
    return std::nullopt;
}

std::optional<std::string> apply_db(Config& config, std::string_view value) {
    if (value.empty()) return std::string("must not be empty (use :memory: for no file)");
    config.db = std::string(value);
    return std::nullopt;
}

std::optional<std::string> apply_fixtures(Config& config, std::string_view value) {
    if (value.empty()) return std::string("must not be empty");
    config.fixtures = std::string(value);
    return std::nullopt;
}

std::optional<std::string> apply_faults(Config& config, std::string_view value) {
    if (value.empty()) return std::string("must not be empty");
    config.faults = std::string(value);
    return std::nullopt;
}

std::optional<std::string> apply_auth(Config& config, std::string_view value) {
    const auto mode = parse_auth_mode(value);
    if (!mode) return quoted(value) + " is not one of lenient, strict, none";
    config.auth = *mode;
    return std::nullopt;
}

std::optional<std::string> apply_seed(Config& config, std::string_view value) {
    const auto seed =
        parse_number<std::uint64_t>(value, 0, std::numeric_limits<std::uint64_t>::max());
    if (!seed) return quoted(value) + " is not a seed (0-18446744073709551615)";
    config.seed = *seed;
    return std::nullopt;
}

std::optional<std::string> apply_log_level(Config& config, std::string_view value) {
    const auto level = parse_log_level(value);
    if (!level) return quoted(value) + " is not one of debug, info, warn, error, off";
    config.log_level = *level;
    return std::nullopt;
}

std::optional<std::string> apply_journal_size(Config& config, std::string_view value) {
    const auto size = parse_number<std::size_t>(value, 1, 1'000'000);
    if (!size) return quoted(value) + " is not a journal size (1-1000000)";
    config.journal_size = *size;
    return std::nullopt;
}

std::optional<std::string> apply_idle_timeout(Config& config, std::string_view value) {
    const auto seconds = parse_number<int>(value, 1, 86'400);
    if (!seconds) return quoted(value) + " is not a number of seconds (1-86400)";
    config.idle_timeout_seconds = *seconds;
    return std::nullopt;
}

// Settings: each takes a value and has an environment variable. In --help order.
constexpr std::array kValueFlags{
    Flag{"host", "HOST", "127.0.0.1", "IP address to listen on (0.0.0.0: all interfaces)",
         apply_host},
    Flag{"port", "PORT", "4747", "TCP port to listen on; 0 picks a free port", apply_port},
    Flag{"threads", "N", "the number of CPUs", "threads serving requests (1-1024)", apply_threads},
    Flag{"db", "PATH", ":memory:", "SQLite database: :memory:, or a file that persists", apply_db},
    Flag{"fixtures", "PATH", "none", "fixture file or folder of *.json, loaded at start",
         apply_fixtures},
    Flag{"faults", "FILE", "none", "fault rules, {\"faults\": [...]}, loaded at start",
         apply_faults},
    Flag{"auth", "MODE", "lenient", "caller authentication: lenient, strict or none", apply_auth},
    Flag{"seed", "N", "0", "seed of the generator behind fault probabilities", apply_seed},
    Flag{"log-level", "LEVEL", "info", "debug, info, warn, error or off (access log: info)",
         apply_log_level},
    Flag{"journal-size", "N", "1000", "operation calls kept by GET /_qapps/requests",
         apply_journal_size},
    Flag{"idle-timeout", "SECONDS", "30", "close a connection idle or stalled this long",
         apply_idle_timeout},
};

std::string env_name(std::string_view flag) {
    std::string name(kEnvPrefix);
    for (const char c : flag) {
        name += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return name;
}

const Flag* find_value_flag(std::string_view name) {
    const auto it = std::find_if(kValueFlags.begin(), kValueFlags.end(),
                                 [&](const Flag& flag) { return flag.name == name; });
    return it == kValueFlags.end() ? nullptr : &*it;
}

ExitRequest usage_error(std::string text) {
    return ExitRequest{2, std::string(kProgram) + ": " + std::move(text)};
}

struct Assignment {
    const Flag* flag;
    std::string_view value;
};

}  // namespace

int default_thread_count() {
    return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
    if (text == "debug") return LogLevel::debug;
    if (text == "info") return LogLevel::info;
    if (text == "warn") return LogLevel::warn;
    if (text == "error") return LogLevel::error;
    if (text == "off") return LogLevel::off;
    return std::nullopt;
}

ConfigResult parse_config(std::span<const std::string_view> args, const GetEnv& getenv) {
    Config config;
    std::vector<Assignment> assignments;

    // First the command line's shape: which flags, with which values.
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "-h") {
            config.help = true;
            continue;
        }
        if (!arg.starts_with("--")) {
            if (arg.starts_with("-"))
                return usage_error("unknown flag " + quoted(arg) + " (see --help)");
            return usage_error("unexpected argument " + quoted(arg) + " (see --help)");
        }
        const std::string_view body = arg.substr(2);
        const std::size_t equals = body.find('=');
        const std::string_view name = body.substr(0, equals);
        const std::string_view dashed = arg.substr(0, 2 + name.size());

        if (name == "help" || name == "version" || name == "healthcheck") {
            if (equals != std::string_view::npos) {
                return usage_error(std::string(dashed) + " takes no value");
            }
            if (name == "help") {
                config.help = true;
            } else if (name == "version") {
                config.version = true;
            } else {
                config.healthcheck = true;
            }
            continue;
        }
        const Flag* flag = find_value_flag(name);
        if (flag == nullptr) return usage_error("unknown flag " + quoted(dashed) + " (see --help)");
        if (equals != std::string_view::npos) {
            assignments.push_back({flag, body.substr(equals + 1)});
        } else if (i + 1 < args.size()) {
            assignments.push_back({flag, args[++i]});
        } else {
            return usage_error(std::string(dashed) + " needs a value (see --help)");
        }
    }
    if (config.help || config.version) return config;

    // Then the environment, for every setting the command line leaves alone.
    for (const Flag& flag : kValueFlags) {
        const bool on_command_line =
            std::any_of(assignments.begin(), assignments.end(),
                        [&](const Assignment& assignment) { return assignment.flag == &flag; });
        if (on_command_line) continue;
        const std::string variable = env_name(flag.name);
        const std::optional<std::string> value = getenv ? getenv(variable) : std::nullopt;
        if (!value || value->empty()) continue;
        if (auto problem = flag.apply(config, *value))
            return usage_error(variable + ": " + *problem);
    }

    // Last the command line's values, in order: the last of a repeated flag wins.
    for (const Assignment& assignment : assignments) {
        if (auto problem = assignment.flag->apply(config, assignment.value)) {
            return usage_error("--" + std::string(assignment.flag->name) + ": " + *problem);
        }
    }
    return config;
}

std::string help_text(std::string_view version) {
    std::string text;
    text += std::string(kProgram) + " " + std::string(version) +
            " - local emulator of Amazon Q Apps GetQAppSessionMetadata\n\n";
    text += "Usage: qapps-local [FLAG...]\n\n";
    text += "Each setting is also read from the environment variable shown; a flag on the\n";
    text += "command line overrides it. Both --port 4747 and --port=4747 work.\n\n";

    const auto add = [&text](std::string_view usage, std::string_view description,
                             std::string_view details) {
        std::string line = "  " + std::string(usage);
        constexpr std::size_t kColumn = 26;
        line += line.size() < kColumn ? std::string(kColumn - line.size(), ' ') : "  ";
        text += line + std::string(description) + "\n";
        if (!details.empty()) text += std::string(kColumn, ' ') + std::string(details) + "\n";
    };
    for (const Flag& flag : kValueFlags) {
        add("--" + std::string(flag.name) + " " + std::string(flag.value_name), flag.description,
            env_name(flag.name) + ", default " + std::string(flag.default_text));
    }
    add("--healthcheck", "ask the server at --host/--port if it is ready", "");
    add("--version", "print the version and exit", "");
    add("--help, -h", "print this help and exit", "");
    return text;
}

}  // namespace qapps
