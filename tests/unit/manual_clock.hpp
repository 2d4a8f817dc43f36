// ManualClock: a Clock for tests that moves only when told to, so time-dependent behaviour
// (token refills, journal timestamps) is checked exactly and without sleeping.
// Thread-safety: reads and advance() may race freely (atomics); tests that read from many
// threads simply do not advance meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "clock.hpp"

namespace qapps {

class ManualClock final : public Clock {
  public:
    // An arbitrary non-zero start, so that code which treats time_point{} as "never" is not
    // accidentally exercised.
    ManualClock()
        : steady_ns_(std::chrono::nanoseconds(std::chrono::hours(1)).count()),
          wall_ns_(std::chrono::nanoseconds(
                       std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}.time_since_epoch())
                       .count()) {}

    std::chrono::steady_clock::time_point now() const override {
        return std::chrono::steady_clock::time_point(
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::nanoseconds(steady_ns_.load())));
    }

    std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::nanoseconds(wall_ns_.load())));
    }

    // Moves both clocks forward by `by`.
    void advance(std::chrono::nanoseconds by) {
        steady_ns_ += by.count();
        wall_ns_ += by.count();
    }

    void set_wall(std::chrono::system_clock::time_point wall) {
        wall_ns_ =
            std::chrono::duration_cast<std::chrono::nanoseconds>(wall.time_since_epoch()).count();
    }

  private:
    std::atomic<std::int64_t> steady_ns_;
    std::atomic<std::int64_t> wall_ns_;
};

}  // namespace qapps
