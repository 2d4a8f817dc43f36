#include "access_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <string>

namespace qapps {
namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warn:
            return "warn";
        case LogLevel::error:
            return "error";
        case LogLevel::off:
            return "off";
    }
    return "info";
}

// One write(2) per line keeps lines from different threads whole. A partial write (only possible
// on a full non-blocking pipe) continues where it stopped; a failed write drops the line, since
// there is nowhere left to report it.
void write_line(int fd, const std::string& line) {
    const char* data = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            return;
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
}

// Fields come from the network: control bytes and spaces are escaped so that one request is
// always one line of space-separated fields, and an empty field is written as "-".
void append_field(std::string& out, std::string_view field) {
    if (field.empty()) {
        out += '-';
        return;
    }
    for (const char c : field) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f) {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
            out += escaped;
        } else {
            out += c;
        }
    }
}

// UTC, ISO-8601 with milliseconds: 2026-12-04T15:58:51.123Z
void append_timestamp(std::string& out, std::chrono::system_clock::time_point now) {
    const auto since_epoch = now.time_since_epoch();
    const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
    const std::time_t time = static_cast<std::time_t>(seconds.count());
    std::tm utc{};
    ::gmtime_r(&time, &utc);
    char text[64];  // ample for any int fields, so the compiler sees no truncation
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis.count()));
    out += text;
}

}  // namespace

void AccessLog::record(const AccessLogEntry& entry) const {
    if (level_ > LogLevel::info) return;

    std::string line;
    line.reserve(160 + entry.target.size());
    append_timestamp(line, std::chrono::system_clock::now());
    line += ' ';
    append_field(line, entry.method);
    line += ' ';
    append_field(line, entry.target);
    line += ' ';
    line += std::to_string(entry.status);
    line += ' ';
    append_field(line, entry.error_type);
    char latency[32];
    std::snprintf(latency, sizeof latency,
                  " %.2fms req=", static_cast<double>(entry.latency.count()) / 1000.0);
    line += latency;
    append_field(line, entry.request_id);
    line += '\n';
    write_line(STDOUT_FILENO, line);
}

void AccessLog::message(LogLevel level, std::string_view text) const {
    if (level_ == LogLevel::off || level == LogLevel::off || level < level_) return;

    std::string line = "qapps-local: ";
    line += level_name(level);
    line += ": ";
    line += text;
    line += '\n';
    write_line(STDERR_FILENO, line);
}

}  // namespace qapps
