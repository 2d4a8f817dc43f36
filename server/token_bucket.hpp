// TokenBucket: the arithmetic of one rate limit (SPEC 4, rateLimit). Holds `burst` tokens,
// starts full, refills `tokens_per_second` continuously; a request takes one token or is
// refused. Pure: time comes in as an argument, so tests pass exact time points.
// Owned by value (the fault engine keeps one per instance and caller). Not thread-safe: the
// owner serializes access (the engine calls it under its lock).
#pragma once

#include <chrono>
#include <cstdint>

namespace qapps {

class TokenBucket {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Seconds = std::chrono::duration<double>;

    // `tokens_per_second` > 0 and finite, `burst` >= 1: parse_fault_rule guarantees both.
    TokenBucket(double tokens_per_second, std::uint64_t burst, TimePoint start);

    // Takes a token if one is there at `now`. A `now` earlier than a time already seen counts
    // as that time (threads may read the clock in one order and get here in another).
    bool try_take(TimePoint now);

    // How long from `now` until a whole token is there; zero if one is there already.
    Seconds seconds_until_next_token(TimePoint now) const;

    // Retry-After for a refusal at `now`: whole seconds until the next token, rounded up, at
    // least 1 (a client told "0" would retry at once and be refused again).
    int retry_after_seconds(TimePoint now) const;

    // Full at `now`: behaves exactly like a fresh bucket, so its owner may drop it.
    bool is_full(TimePoint now) const;

  private:
    double tokens_at(TimePoint now) const;

    double tokens_per_second_;
    double capacity_;
    double tokens_;      // as of updated_
    TimePoint updated_;  // latest time seen
};

}  // namespace qapps
