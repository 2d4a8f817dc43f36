// RequestJournal: the last N operation calls, for GET /_qapps/requests (SPEC 5), so a test can
// ask the emulator what it was sent and what it answered. A bounded ring: once full, each new
// entry replaces the oldest. Owned by whoever wires the server (one per process).
// Thread-safety: every member may be called from any thread at once; one mutex is held only
// to push or copy entries, never while building JSON.
#pragma once

#include <boost/json/array.hpp>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace qapps {

struct JournalEntry {
    std::chrono::system_clock::time_point time;  // when the request was received
    std::string request_id;                      // x-amzn-RequestId of the answer
    std::string instance_id;                     // as sent; "" when absent
    std::string session_id;                      // as sent; "" when absent
    std::string caller;                          // access key id, "anonymous", or "" when
                                                 // refused before the caller was known
    unsigned status = 0;                         // HTTP status answered
    std::string error;                           // x-amzn-ErrorType; "" on success
    bool injected = false;                       // the error came from fault injection
    std::chrono::microseconds latency{0};        // received to answered, injected delay included
};

class RequestJournal {
  public:
    static constexpr std::size_t kDefaultCapacity = 1000;

    // Keeps the newest `capacity` entries; 0 keeps none (record() does nothing).
    explicit RequestJournal(std::size_t capacity = kDefaultCapacity);

    void record(JournalEntry entry);

    // Oldest first, newest last.
    std::vector<JournalEntry> entries() const;

    // entries() as JSON: each {"time": "2026-12-04T15:58:51.123Z", "requestId", "instanceId",
    // "sessionId", "caller", "status", "error" (null on success), "injected", "latencyMicros"}.
    boost::json::array to_json() const;

    void clear();
    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }

  private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    // Grows to capacity_ (so a large capacity costs nothing until used), then wraps: the
    // oldest entry is at oldest_.
    std::vector<JournalEntry> ring_;
    std::size_t oldest_ = 0;
};

// ISO-8601 UTC with milliseconds, e.g. "2026-12-04T15:58:51.123Z" (truncated, not rounded).
std::string format_utc_millis(std::chrono::system_clock::time_point time);

}  // namespace qapps
