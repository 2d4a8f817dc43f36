#include <doctest/doctest.h>

#include <chrono>
#include <limits>

#include "token_bucket.hpp"

using namespace qapps;
using namespace std::chrono_literals;

namespace {

// An arbitrary start; the bucket only ever looks at differences.
const TokenBucket::TimePoint kStart = TokenBucket::TimePoint(1h);

int takes_at(TokenBucket& bucket, TokenBucket::TimePoint now, int attempts) {
    int taken = 0;
    for (int i = 0; i < attempts; ++i) taken += bucket.try_take(now) ? 1 : 0;
    return taken;
}

}  // namespace

TEST_CASE("a bucket starts full: burst takes pass at one instant, the next is refused") {
    TokenBucket bucket(5.0, 5, kStart);
    CHECK(takes_at(bucket, kStart, 5) == 5);
    CHECK_FALSE(bucket.try_take(kStart));
}

TEST_CASE("tokens refill at the rate") {
    TokenBucket bucket(5.0, 5, kStart);
    CHECK(takes_at(bucket, kStart, 5) == 5);
    CHECK_FALSE(bucket.try_take(kStart + 199ms));
    CHECK(bucket.try_take(kStart + 200ms));
    CHECK_FALSE(bucket.try_take(kStart + 200ms));
    CHECK(takes_at(bucket, kStart + 1s, 10) == 4);  // 0.8 s more: 4 tokens
}

TEST_CASE("refill stops at burst however long the bucket is idle") {
    TokenBucket bucket(5.0, 3, kStart);
    CHECK(takes_at(bucket, kStart, 3) == 3);
    CHECK(takes_at(bucket, kStart + 1h, 10) == 3);
}

TEST_CASE("seconds_until_next_token: zero while a token is there, else the exact wait") {
    TokenBucket bucket(5.0, 1, kStart);
    CHECK(bucket.seconds_until_next_token(kStart).count() == 0.0);
    CHECK(bucket.try_take(kStart));
    CHECK(bucket.seconds_until_next_token(kStart).count() == doctest::Approx(0.2));
    CHECK(bucket.seconds_until_next_token(kStart + 150ms).count() == doctest::Approx(0.05));
    CHECK(bucket.seconds_until_next_token(kStart + 200ms).count() == 0.0);
}

TEST_CASE("Retry-After rounds a sub-second wait up to 1") {
    TokenBucket bucket(5.0, 5, kStart);
    takes_at(bucket, kStart, 5);
    CHECK(bucket.retry_after_seconds(kStart) == 1);
    CHECK(bucket.retry_after_seconds(kStart + 199ms) == 1);
}

TEST_CASE("Retry-After of a whole-second wait is that second, not one more") {
    TokenBucket bucket(1.0, 1, kStart);
    CHECK(bucket.try_take(kStart));
    CHECK(bucket.retry_after_seconds(kStart) == 1);
}

TEST_CASE("a fractional rate: 0.5 tokens/s means Retry-After 2, then less as time passes") {
    TokenBucket bucket(0.5, 1, kStart);
    CHECK(bucket.try_take(kStart));
    CHECK_FALSE(bucket.try_take(kStart));
    CHECK(bucket.retry_after_seconds(kStart) == 2);
    CHECK(bucket.retry_after_seconds(kStart + 500ms) == 2);  // 1.5 s left
    CHECK(bucket.retry_after_seconds(kStart + 1s) == 1);
    CHECK(bucket.retry_after_seconds(kStart + 1500ms) == 1);  // 0.5 s left
    CHECK_FALSE(bucket.try_take(kStart + 1999ms));
    CHECK(bucket.try_take(kStart + 2s));
}

TEST_CASE("a refused attempt costs nothing") {
    TokenBucket bucket(2.0, 1, kStart);
    CHECK(bucket.try_take(kStart));
    for (int i = 0; i < 100; ++i) CHECK_FALSE(bucket.try_take(kStart + 100ms));
    CHECK(bucket.try_take(kStart + 500ms));
}

TEST_CASE("a time earlier than one already seen counts as the latest") {
    TokenBucket bucket(1.0, 1, kStart);
    CHECK(bucket.try_take(kStart + 10s));
    CHECK_FALSE(bucket.try_take(kStart + 9s));
    CHECK(bucket.retry_after_seconds(kStart) == 1);
    CHECK(bucket.try_take(kStart + 11s));
}

TEST_CASE("Retry-After is capped at the largest int for absurdly slow rates") {
    TokenBucket bucket(1e-12, 1, kStart);
    CHECK(bucket.try_take(kStart));
    CHECK(bucket.retry_after_seconds(kStart) == std::numeric_limits<int>::max());
}

TEST_CASE("is_full: only when refilled to burst") {
    TokenBucket bucket(1.0, 2, kStart);
    CHECK(bucket.is_full(kStart));
    CHECK(bucket.try_take(kStart));
    CHECK_FALSE(bucket.is_full(kStart + 999ms));
    CHECK(bucket.is_full(kStart + 1s));
}
