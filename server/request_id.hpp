// RequestIdGenerator: a fresh UUID (version 4 layout) for every x-amzn-RequestId.
//
// Lock-free and thread-safe: an atomic counter mixed with a per-process random key, so ids are
// unique within a run and unpredictable across runs without a shared random engine.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace qapps {

class RequestIdGenerator {
  public:
    RequestIdGenerator();
    explicit RequestIdGenerator(std::uint64_t key) : key_(key) {}

    std::string next();

  private:
    std::uint64_t key_;
    std::atomic<std::uint64_t> counter_{0};
};

}  // namespace qapps
