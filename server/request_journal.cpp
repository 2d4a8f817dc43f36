#include "request_journal.hpp"

#include <boost/json/object.hpp>
#include <cstdio>
#include <utility>

namespace qapps {

RequestJournal::RequestJournal(std::size_t capacity) : capacity_(capacity) {}

void RequestJournal::record(JournalEntry entry) {
    if (capacity_ == 0) return;
    const std::lock_guard lock(mutex_);
    if (ring_.size() < capacity_) {
        ring_.push_back(std::move(entry));
        return;
    }
    // Swapped rather than assigned: the oldest entry is then freed with `entry`, after the
    // lock is released.
    std::swap(ring_[oldest_], entry);
    oldest_ = (oldest_ + 1) % capacity_;
}

std::vector<JournalEntry> RequestJournal::entries() const {
    std::vector<JournalEntry> copy;
    const std::lock_guard lock(mutex_);
    copy.reserve(ring_.size());
    for (std::size_t i = 0; i < ring_.size(); ++i)
        copy.push_back(ring_[(oldest_ + i) % ring_.size()]);
    return copy;
}

boost::json::array RequestJournal::to_json() const {
    const auto copy = entries();
    boost::json::array out;
    out.reserve(copy.size());
    for (const JournalEntry& entry : copy) {
        boost::json::object object;
        object["time"] = format_utc_millis(entry.time);
        object["requestId"] = entry.request_id;
        object["instanceId"] = entry.instance_id;
        object["sessionId"] = entry.session_id;
        object["caller"] = entry.caller;
        object["status"] = entry.status;
        if (entry.error.empty())
            object["error"] = nullptr;
        else
            object["error"] = entry.error;
        object["injected"] = entry.injected;
        // Whole microseconds: exact, and readable (Boost.JSON writes doubles as 1.234E0).
        object["latencyMicros"] = entry.latency.count();
        out.push_back(std::move(object));
    }
    return out;
}

void RequestJournal::clear() {
    const std::lock_guard lock(mutex_);
    ring_.clear();
    oldest_ = 0;
}

std::size_t RequestJournal::size() const {
    const std::lock_guard lock(mutex_);
    return ring_.size();
}

std::string format_utc_millis(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto millis = floor<milliseconds>(time);
    const auto day = floor<days>(millis);
    const year_month_day date{day};
    const hh_mm_ss clock_time{millis - day};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(clock_time.hours().count()),
                  static_cast<int>(clock_time.minutes().count()),
                  static_cast<int>(clock_time.seconds().count()),
                  static_cast<int>(clock_time.subseconds().count()));
    return buffer;
}

}  // namespace qapps
