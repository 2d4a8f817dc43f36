// Clock: where the fault engine and the request journal get the time, so that token buckets and
// timestamps are tested by moving a fake clock instead of sleeping. Injected by reference; the
// owner (main, or a test) keeps it alive longer than everything that reads it.
// Thread-safety: now() and wall_now() are called from every server thread at once, so every
// implementation must allow concurrent calls.
#pragma once

#include <chrono>

namespace qapps {

class Clock {
  public:
    virtual ~Clock() = default;

    // Monotonic time, for intervals (token refills).
    virtual std::chrono::steady_clock::time_point now() const = 0;
    // Calendar time, for timestamps people read (the journal).
    virtual std::chrono::system_clock::time_point wall_now() const = 0;
};

// The real clocks; stateless, so one instance may serve the whole process.
class SystemClock final : public Clock {
  public:
    std::chrono::steady_clock::time_point now() const override {
        return std::chrono::steady_clock::now();
    }
    std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::now();
    }
};

}  // namespace qapps
