// FaultRule: one fault-injection rule (SPEC 4) as a validated value, and its JSON form. Rules
// come from the fixtures' "faults", from `--faults FILE` and from POST /_qapps/faults; all go
// through parse_fault_rule, which refuses anything malformed with FixtureError(source, JSON
// path, reason), so the fault engine only ever sees rules that make sense.
// Plain values and pure functions: safe to use from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qapps {

// Which requests a rule applies to: every field that is set must equal the request's.
struct FaultMatch {
    std::optional<std::string> instance_id;    // "instanceId": the instance-id header
    std::optional<std::string> session_id;     // "sessionId": a valid session id
    std::optional<std::string> access_key_id;  // "accessKeyId": the caller's SigV4 key

    bool operator==(const FaultMatch&) const = default;
};

// "rateLimit": a token bucket per (instanceId, caller access key).
struct RateLimit {
    double requests_per_second = 1.0;  // "requestsPerSecond": refill rate, > 0
    std::uint64_t burst = 1;           // "burst": bucket size (starts full), >= 1

    bool operator==(const RateLimit&) const = default;
};

// A rule as given; the engine adds its id and counters. What it does when it fires: answer
// `error`, or refuse requests past `rate_limit`, or (with neither) only hold the request back
// for `delay`, which then proceeds normally. A delay also holds back the first two's answers.
struct FaultRule {
    std::optional<std::string> error;    // "error": one of the seven, see is_operation_error_name
    FaultMatch match;                    // "match": {} (the default) hits every request
    double probability = 1.0;            // "probability": 0..1; not with rateLimit
    std::optional<std::uint64_t> count;  // "count": fires this many times, then expires
    std::optional<int> retry_after_seconds;  // "retryAfterSeconds": Throttling/InternalServer
    std::optional<std::string> message;      // "message": else the error's usual message
    std::chrono::milliseconds delay{0};      // "delayMs": 0..600000, held before answering
    std::optional<RateLimit> rate_limit;     // "rateLimit": instead of `error`
    std::optional<std::string> quota_code;   // "quotaCode" (our extension): Throttling,
                                             // ServiceQuotaExceeded and rateLimit answers

    bool operator==(const FaultRule&) const = default;
};

inline constexpr std::chrono::milliseconds kMaxFaultDelay{600000};

// `source` names the document (a file, or "request body"); `path` is the rule's JSON path,
// e.g. "faults[2]", prefixed to every refusal's path ("faults[2].match.sessionId").
FaultRule parse_fault_rule(const boost::json::value& value, const std::string& source,
                           const std::string& path);

// Every element of `rules`, at paths "<path_prefix>[i]". All or nothing: the first bad rule
// throws and nothing is returned.
std::vector<FaultRule> parse_fault_rules(const boost::json::array& rules, const std::string& source,
                                         const std::string& path_prefix = "faults");

// The text of a `--faults FILE`: {"faults": [...]} and nothing else. Invalid JSON is refused
// with its line and column.
std::vector<FaultRule> parse_faults_file_text(std::string_view text, const std::string& source);

// The rule in the form parse_fault_rule reads back to an equal rule: what was given, plus
// "match", "delayMs" and (except for rateLimit rules) "probability" at their defaults.
boost::json::object to_json(const FaultRule& rule);

}  // namespace qapps
