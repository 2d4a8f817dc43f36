#include "token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qapps {
namespace {

// Refills are computed in floating point, so 5 tokens/s over 200 ms may come out a hair under
// one token. Tolerating a billionth of a token (or of a second) makes the results exact for
// every rate a person would write, without letting any real shortfall through.
constexpr double kTolerance = 1e-9;

}  // namespace

TokenBucket::TokenBucket(double tokens_per_second, std::uint64_t burst, TimePoint start)
    : tokens_per_second_(tokens_per_second),
      capacity_(static_cast<double>(burst)),
      tokens_(capacity_),
      updated_(start) {}

double TokenBucket::tokens_at(TimePoint now) const {
    if (now <= updated_) return tokens_;
    const double elapsed = std::chrono::duration_cast<Seconds>(now - updated_).count();
    return std::min(capacity_, tokens_ + elapsed * tokens_per_second_);
}

bool TokenBucket::try_take(TimePoint now) {
    tokens_ = tokens_at(now);
    updated_ = std::max(updated_, now);
    if (tokens_ < 1.0 - kTolerance) return false;
    tokens_ = std::max(0.0, tokens_ - 1.0);
    return true;
}

TokenBucket::Seconds TokenBucket::seconds_until_next_token(TimePoint now) const {
    const double missing = 1.0 - tokens_at(now);
    if (missing <= kTolerance) return Seconds(0);
    return Seconds(missing / tokens_per_second_);
}

int TokenBucket::retry_after_seconds(TimePoint now) const {
    const double seconds = std::ceil(seconds_until_next_token(now).count() - kTolerance);
    // A rate such as 1e-300 tokens/s would otherwise overflow the header's int.
    constexpr double kMax = std::numeric_limits<int>::max();
    return static_cast<int>(std::clamp(seconds, 1.0, kMax));
}

bool TokenBucket::is_full(TimePoint now) const {
    return tokens_at(now) >= capacity_ - kTolerance;
}

}  // namespace qapps
