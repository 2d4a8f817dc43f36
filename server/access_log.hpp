// AccessLog: one line per request on stdout, written with a single write(2) so lines from
// different threads never interleave and no lock is held while writing.
#pragma once

#include <chrono>
#include <string_view>

namespace qapps {

enum class LogLevel { debug, info, warn, error, off };

struct AccessLogEntry {
    std::string_view method;
    std::string_view target;  // path and query as received
    unsigned status = 0;
    std::string_view error_type;  // x-amzn-ErrorType of the answer, empty on success
    std::string_view request_id;
    std::chrono::microseconds latency{0};  // from the request read to the response written
};

class AccessLog {
  public:
    explicit AccessLog(LogLevel level) : level_(level) {}

    // Access lines are written at level info.
    void record(const AccessLogEntry& entry) const;
    // Diagnostics (start-up, connection failures), at the given level, on stderr.
    void message(LogLevel level, std::string_view text) const;

    LogLevel level() const { return level_; }

  private:
    LogLevel level_;
};

}  // namespace qapps
