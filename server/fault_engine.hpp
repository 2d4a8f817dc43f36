// FaultEngine: the live fault rules (SPEC 4) and the one decision the operation asks of them,
// step 3 of its pipeline: "should this request be answered with an injected error, or held
// back?". Owns its rules, their counters and rate-limit buckets, and the seeded generator
// behind probabilities; reads time from an injected Clock, which must outlive it.
// Thread-safety: every member may be called from any thread at once. One mutex guards all
// state and is held only for in-memory work; evaluate() does not take it while no rules are
// loaded, since every request calls it.
#pragma once

#include <atomic>
#include <boost/json/array.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api_error.hpp"
#include "clock.hpp"
#include "fault_rule.hpp"
#include "token_bucket.hpp"

namespace qapps {

// What the engine needs to know of a request; the views must stay valid during evaluate().
struct FaultRequest {
    std::string_view instance_id;    // the instance-id header
    std::string_view session_id;     // the sessionId query parameter
    std::string_view access_key_id;  // the caller's SigV4 key; "" for an anonymous caller
};

// Nothing fired: no error, no delay, no rule_id; the request proceeds at once.
struct FaultDecision {
    std::optional<ApiError> error;         // answer this instead of looking the session up
    std::chrono::milliseconds delay{0};    // hold the answer (error or not) back this long
    std::optional<std::uint64_t> rule_id;  // the rule that fired
};

class FaultEngine {
  public:
    FaultEngine(std::uint64_t seed, const Clock& clock);
    FaultEngine(const FaultEngine&) = delete;
    FaultEngine& operator=(const FaultEngine&) = delete;

    // Appends a rule (checked after all earlier ones) and returns its id: 1, 2, 3, ... Ids are
    // never reused until reset().
    std::uint64_t add(FaultRule rule);
    // Appends all of them at once: a concurrent request sees all or none.
    std::vector<std::uint64_t> add_all(std::vector<FaultRule> rules);

    // Like add_all, but a rule identical to a live one renews that rule in place (same id and
    // position, fresh count and buckets) instead of adding a copy: loading the same fixture
    // document twice leaves the same rules, as it leaves the same sessions.
    std::vector<std::uint64_t> upsert_all(std::vector<FaultRule> rules);
    // False when no rule has that id (never added, removed, or expired).
    bool remove(std::uint64_t id);
    void clear();

    // The live rules in the order they are checked: each rule's to_json() with "id" first, and
    // "remaining" (fires left, rules with a count only) and "fired" (times fired) after it.
    boost::json::array list() const;
    std::size_t size() const;

    // Checks the rules in the order added; the first that fires decides, and is used up by one
    // if it has a count (removed at zero). A rule whose match differs from the request is
    // skipped. Otherwise:
    // - a rateLimit rule takes a token from the (instanceId, caller) bucket and lets the next
    //   rule be checked; with none left it fires a ThrottlingException whose Retry-After is the
    //   whole seconds until the next token (at least 1);
    // - any other rule fires with its probability: 1 always, 0 never, in between by one draw
    //   of the seeded generator (made only here, so the same requests repeat the same run). It
    //   answers its error (members from the request; Retry-After from retryAfterSeconds, 1 by
    //   default for ThrottlingException) or, without one, nothing: the request proceeds.
    // A firing rule's delayMs comes with whatever it answers.
    FaultDecision evaluate(const FaultRequest& request);

    // Back to the start: `start_rules` with fresh counts and buckets and ids from 1, and the
    // generator re-seeded, so a run after reset repeats a run after start.
    void reset(std::vector<FaultRule> start_rules, std::uint64_t seed);

  private:
    // Buckets are pruned (full ones dropped) when a rule holds this many, and again each time
    // the survivors have doubled: memory follows the callers active now, at O(1) amortized cost.
    static constexpr std::size_t kFirstBucketPrune = 1024;

    struct ActiveRule {
        std::uint64_t id = 0;
        FaultRule rule;
        std::optional<std::uint64_t> remaining;  // fires left when the rule has a count
        std::uint64_t fired = 0;
        // rateLimit rules: one bucket per (instanceId, caller), keyed by bucket_key().
        std::unordered_map<std::string, TokenBucket> buckets;
        std::size_t prune_at = kFirstBucketPrune;  // bucket count at which full ones are dropped
    };

    // What a firing rule answers, copied out so the error is built after the lock is released.
    struct Firing {
        std::uint64_t rule_id = 0;
        std::optional<std::string> error;
        std::optional<std::string> message;
        std::optional<int> retry_after;
        std::optional<std::string> quota_code;
        std::chrono::milliseconds delay{0};
    };

    std::uint64_t add_locked(FaultRule rule);
    std::optional<Firing> select_locked(const FaultRequest& request,
                                        std::chrono::steady_clock::time_point now);
    bool draw_locked(double probability);
    std::optional<int> refusal_retry_after_locked(ActiveRule& active, const FaultRequest& request,
                                                  std::chrono::steady_clock::time_point now);

    const Clock& clock_;
    mutable std::mutex mutex_;
    std::atomic<std::size_t> rule_count_{0};  // rules_.size(), readable without the lock
    std::mt19937_64 random_;                  // probability draws only
    std::uint64_t next_id_ = 1;
    std::vector<ActiveRule> rules_;  // in the order added
};

}  // namespace qapps
