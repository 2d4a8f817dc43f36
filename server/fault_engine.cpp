#include "fault_engine.hpp"

#include <algorithm>
#include <utility>

#include "injected_error.hpp"

namespace qapps {
namespace {

bool matches(const FaultMatch& match, const FaultRequest& request) {
    return (!match.instance_id || *match.instance_id == request.instance_id) &&
           (!match.session_id || *match.session_id == request.session_id) &&
           (!match.access_key_id || *match.access_key_id == request.access_key_id);
}

// Length-prefixed, so that no two (instance, key) pairs share a key whatever they contain.
std::string bucket_key(const FaultRequest& request) {
    std::string key = std::to_string(request.instance_id.size());
    key += ':';
    key += request.instance_id;
    key += request.access_key_id;
    return key;
}

}  // namespace

FaultEngine::FaultEngine(std::uint64_t seed, const Clock& clock) : clock_(clock), random_(seed) {}

std::uint64_t FaultEngine::add(FaultRule rule) {
    const std::lock_guard lock(mutex_);
    return add_locked(std::move(rule));
}

std::vector<std::uint64_t> FaultEngine::add_all(std::vector<FaultRule> rules) {
    std::vector<std::uint64_t> ids;
    ids.reserve(rules.size());
    const std::lock_guard lock(mutex_);
    for (auto& rule : rules) ids.push_back(add_locked(std::move(rule)));
    return ids;
}

std::vector<std::uint64_t> FaultEngine::upsert_all(std::vector<FaultRule> rules) {
    std::vector<std::uint64_t> ids;
    ids.reserve(rules.size());
    const std::lock_guard lock(mutex_);
    for (auto& rule : rules) {
        const auto live = std::find_if(rules_.begin(), rules_.end(), [&](const ActiveRule& active) {
            return active.rule == rule;
        });
        if (live == rules_.end()) {
            ids.push_back(add_locked(std::move(rule)));
            continue;
        }
        live->remaining = live->rule.count;
        live->fired = 0;
        live->buckets.clear();
        live->prune_at = kFirstBucketPrune;
        ids.push_back(live->id);
    }
    return ids;
}

std::uint64_t FaultEngine::add_locked(FaultRule rule) {
    ActiveRule active;
    active.id = next_id_++;
    active.remaining = rule.count;
    active.rule = std::move(rule);
    rules_.push_back(std::move(active));
    rule_count_.store(rules_.size(), std::memory_order_release);
    return rules_.back().id;
}

bool FaultEngine::remove(std::uint64_t id) {
    const std::lock_guard lock(mutex_);
    const auto it = std::find_if(rules_.begin(), rules_.end(),
                                 [id](const ActiveRule& active) { return active.id == id; });
    if (it == rules_.end()) return false;
    rules_.erase(it);
    rule_count_.store(rules_.size(), std::memory_order_release);
    return true;
}

void FaultEngine::clear() {
    const std::lock_guard lock(mutex_);
    rules_.clear();
    rule_count_.store(0, std::memory_order_release);
}

boost::json::array FaultEngine::list() const {
    boost::json::array listed;
    const std::lock_guard lock(mutex_);
    listed.reserve(rules_.size());
    for (const ActiveRule& active : rules_) {
        boost::json::object entry;
        entry["id"] = active.id;
        for (auto& field : to_json(active.rule)) entry[field.key()] = std::move(field.value());
        if (active.remaining) entry["remaining"] = *active.remaining;
        entry["fired"] = active.fired;
        listed.push_back(std::move(entry));
    }
    return listed;
}

std::size_t FaultEngine::size() const {
    return rule_count_.load(std::memory_order_acquire);
}

FaultDecision FaultEngine::evaluate(const FaultRequest& request) {
    // A rule added while this request is in flight may or may not apply to it, as with the
    // lock; either is a correct order of events.
    if (rule_count_.load(std::memory_order_acquire) == 0) return {};

    const auto now = clock_.now();
    std::optional<Firing> firing;
    {
        const std::lock_guard lock(mutex_);
        firing = select_locked(request, now);
    }
    if (!firing) return {};

    FaultDecision decision;
    decision.rule_id = firing->rule_id;
    decision.delay = firing->delay;
    if (firing->error) {
        const InjectionContext context{request.instance_id, request.session_id,
                                       std::move(firing->message), firing->retry_after,
                                       std::move(firing->quota_code)};
        decision.error = make_injected_error(*firing->error, context);
    }
    return decision;
}

// The part of evaluate() that needs the lock: which rule fires, and what it answers.
std::optional<FaultEngine::Firing> FaultEngine::select_locked(
    const FaultRequest& request, std::chrono::steady_clock::time_point now) {
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
        ActiveRule& active = *it;
        const FaultRule& rule = active.rule;
        if (!matches(rule.match, request)) continue;

        Firing firing;
        firing.rule_id = active.id;
        firing.delay = rule.delay;
        if (rule.rate_limit) {
            firing.retry_after = refusal_retry_after_locked(active, request, now);
            if (!firing.retry_after) continue;
            firing.error = "ThrottlingException";
        } else {
            if (!draw_locked(rule.probability)) continue;
            firing.error = rule.error;
            firing.retry_after = rule.retry_after_seconds;
            // Throttling without a Retry-After would leave SDKs guessing; InternalServer has
            // one only when asked for, as the real service.
            if (rule.error == "ThrottlingException" && !firing.retry_after) firing.retry_after = 1;
        }
        firing.message = rule.message;
        firing.quota_code = rule.quota_code;

        ++active.fired;
        if (active.remaining && --*active.remaining == 0) {
            rules_.erase(it);
            rule_count_.store(rules_.size(), std::memory_order_release);
        }
        return firing;
    }
    return std::nullopt;
}

bool FaultEngine::draw_locked(double probability) {
    if (probability >= 1.0) return true;
    if (probability <= 0.0) return false;
    // The top 53 bits as a double in [0, 1), by hand: std::uniform_real_distribution's
    // algorithm differs between standard libraries, and a seed must mean the same run on all.
    const double draw = static_cast<double>(random_() >> 11) * 0x1.0p-53;
    return draw < probability;
}

std::optional<int> FaultEngine::refusal_retry_after_locked(
    ActiveRule& active, const FaultRequest& request, std::chrono::steady_clock::time_point now) {
    const RateLimit& limit = *active.rule.rate_limit;
    auto [it, inserted] = active.buckets.try_emplace(bucket_key(request), limit.requests_per_second,
                                                     limit.burst, now);
    if (it->second.try_take(now)) {
        // A full bucket is the same as none, so dropping it forgets nothing.
        if (inserted && active.buckets.size() >= active.prune_at) {
            std::erase_if(active.buckets,
                          [now](const auto& entry) { return entry.second.is_full(now); });
            active.prune_at = std::max(kFirstBucketPrune, 2 * active.buckets.size());
        }
        return std::nullopt;
    }
    return it->second.retry_after_seconds(now);
}

void FaultEngine::reset(std::vector<FaultRule> start_rules, std::uint64_t seed) {
    const std::lock_guard lock(mutex_);
    rules_.clear();
    next_id_ = 1;
    random_.seed(seed);
    for (auto& rule : start_rules) add_locked(std::move(rule));
    rule_count_.store(rules_.size(), std::memory_order_release);
}

}  // namespace qapps
