#include "request_id.hpp"

#include <random>

namespace qapps {
namespace {

// splitmix64: a bijective mixer, so distinct counter values give distinct outputs.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t random_key() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

RequestIdGenerator::RequestIdGenerator() : key_(random_key()) {}

std::string RequestIdGenerator::next() {
    const std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
    // The high half alone is unique per counter value (mix is a bijection); the low half only
    // adds unpredictability.
    std::uint64_t high = mix(n ^ key_);
    std::uint64_t low = mix(high ^ ~key_);
    high = (high & ~0xF000ULL) | 0x4000ULL;                       // version 4
    low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant

    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(36, '-');
    std::size_t out = 0;
    auto put = [&](std::uint64_t value, int nibbles) {
        for (int i = nibbles - 1; i >= 0; --i) {
            if (out == 8 || out == 13 || out == 18 || out == 23) ++out;
            id[out++] = kHex[(value >> (i * 4)) & 0xF];
        }
    };
    put(high, 16);
    put(low, 16);
    return id;
}

}  // namespace qapps
