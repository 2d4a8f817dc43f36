#include "fault_rule.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

#include "api_error.hpp"
#include "json_input.hpp"
#include "session_id.hpp"

namespace qapps {
namespace {

namespace json = boost::json;

constexpr std::string_view kErrorNames =
    "ValidationException, UnauthorizedException, ServiceQuotaExceededException, "
    "AccessDeniedException, ResourceNotFoundException, ThrottlingException, "
    "InternalServerException";

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

// Shortest text that reads back as `number`: "2.5", not Boost.JSON's "2.5E0".
std::string number_text(double number) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    return std::string(buffer, result.ptr);
}

std::string number_text(const json::value& number) {
    if (number.is_int64()) return std::to_string(number.get_int64());
    if (number.is_uint64()) return std::to_string(number.get_uint64());
    return number_text(number.get_double());
}

// Whole numbers as JSON integers, so a listing shows "probability": 1 rather than 1E0.
json::value json_number(double number) {
    constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
    if (number == std::floor(number) && std::fabs(number) <= kExactIntegerLimit)
        return static_cast<std::int64_t>(number);
    return number;
}

bool takes_retry_after(std::string_view error) {
    return error == "ThrottlingException" || error == "InternalServerException";
}

bool takes_quota_code(std::string_view error) {
    return error == "ThrottlingException" || error == "ServiceQuotaExceededException";
}

// Reads rules of one document, so that every refusal names the document and the JSON path.
class RuleParser : private JsonFieldReader {
  public:
    explicit RuleParser(const std::string& source) : JsonFieldReader(source) {}

    FaultRule parse_rule(const json::value& value, const std::string& path) const {
        const json::object& object = expect_object(value, path);
        refuse_unknown_fields(object, path,
                              {"error", "match", "probability", "count", "retryAfterSeconds",
                               "message", "delayMs", "rateLimit", "quotaCode"});

        FaultRule rule;
        rule.error = optional_string(object, path, "error", /*allow_empty=*/true);
        if (rule.error && !is_operation_error_name(*rule.error)) {
            fail(member_path(path, "error"), "unknown error '" + *rule.error +
                                                 "'; expected one of " + std::string(kErrorNames));
        }
        if (const json::value* match = object.if_contains("match"))
            rule.match = parse_match(*match, member_path(path, "match"));
        if (const json::value* probability = object.if_contains("probability"))
            rule.probability = parse_probability(*probability, member_path(path, "probability"));
        if (const json::value* count = object.if_contains("count")) {
            rule.count = static_cast<std::uint64_t>(
                integer(*count, member_path(path, "count"), 1, kMaxInt64, "a positive integer"));
        }
        if (const json::value* retry = object.if_contains("retryAfterSeconds")) {
            constexpr int kMaxInt = std::numeric_limits<int>::max();
            rule.retry_after_seconds =
                static_cast<int>(integer(*retry, member_path(path, "retryAfterSeconds"), 0, kMaxInt,
                                         "an integer from 0 to " + std::to_string(kMaxInt)));
        }
        rule.message = optional_string(object, path, "message", /*allow_empty=*/true);
        if (const json::value* delay = object.if_contains("delayMs")) {
            rule.delay = std::chrono::milliseconds(
                integer(*delay, member_path(path, "delayMs"), 0, kMaxFaultDelay.count(),
                        "an integer from 0 to " + std::to_string(kMaxFaultDelay.count())));
        }
        if (const json::value* rate_limit = object.if_contains("rateLimit"))
            rule.rate_limit = parse_rate_limit(*rate_limit, member_path(path, "rateLimit"));
        rule.quota_code = optional_string(object, path, "quotaCode", /*allow_empty=*/false);

        check_combination(rule, path);
        return rule;
    }

  private:
    // Fields that would be silently ignored are refused: a rule that does not do what its
    // author wrote is worse than one that is not loaded.
    void check_combination(const FaultRule& rule, const std::string& path) const {
        if (rule.error && rule.rate_limit) fail(path, "rateLimit replaces error; give one of them");
        if (!rule.error && !rule.rate_limit && rule.delay.count() == 0) {
            fail(path, "the rule does nothing: give error, rateLimit, or delayMs above 0");
        }
        if (rule.retry_after_seconds && !(rule.error && takes_retry_after(*rule.error))) {
            fail(member_path(path, "retryAfterSeconds"),
                 rule.rate_limit ? "a rateLimit rule computes Retry-After from its bucket; "
                                   "leave retryAfterSeconds out"
                                 : "retryAfterSeconds applies only to ThrottlingException and "
                                   "InternalServerException");
        }
        if (rule.quota_code && !rule.rate_limit && !(rule.error && takes_quota_code(*rule.error))) {
            fail(member_path(path, "quotaCode"),
                 "quotaCode applies only to ThrottlingException, ServiceQuotaExceededException "
                 "and rateLimit rules");
        }
        if (rule.message && !rule.error && !rule.rate_limit) {
            fail(member_path(path, "message"),
                 "message applies only to a rule that answers an error (error or rateLimit)");
        }
        if (rule.rate_limit && rule.probability != 1.0) {
            fail(member_path(path, "probability"),
                 "probability does not apply to a rateLimit rule: it refuses every request "
                 "past its bucket");
        }
    }

    FaultMatch parse_match(const json::value& value, const std::string& path) const {
        const json::object& object = expect_object(value, path);
        refuse_unknown_fields(object, path, {"instanceId", "sessionId", "accessKeyId"});
        FaultMatch match;
        match.instance_id = match_string(object, path, "instanceId");
        match.session_id = match_string(object, path, "sessionId");
        // A request with an invalid session id is refused before faults are looked at, so a
        // rule naming one could never fire.
        if (match.session_id && !is_valid_session_id(*match.session_id)) {
            fail(member_path(path, "sessionId"),
                 "not a valid session id: must match " + std::string(kSessionIdPattern));
        }
        match.access_key_id = match_string(object, path, "accessKeyId");
        return match;
    }

    RateLimit parse_rate_limit(const json::value& value, const std::string& path) const {
        const json::object& object = expect_object(value, path);
        refuse_unknown_fields(object, path, {"requestsPerSecond", "burst"});
        RateLimit rate_limit;

        const std::string rate_path = member_path(path, "requestsPerSecond");
        const json::value& rate = required(object, path, "requestsPerSecond");
        if (!rate.is_number()) fail(rate_path, "expected a number, got " + kind_of(rate));
        rate_limit.requests_per_second = rate.to_number<double>();
        // JSON has no infinity, but Boost.JSON reads an overflowing literal such as 1e400 as one.
        if (!(rate_limit.requests_per_second > 0) || !std::isfinite(rate_limit.requests_per_second))
            fail(rate_path, "must be a number above 0, got " + number_text(rate));

        rate_limit.burst = static_cast<std::uint64_t>(integer(required(object, path, "burst"),
                                                              member_path(path, "burst"), 1,
                                                              kMaxInt64, "a positive integer"));
        return rate_limit;
    }

    double parse_probability(const json::value& value, const std::string& path) const {
        if (!value.is_number()) fail(path, "expected a number, got " + kind_of(value));
        const double probability = value.to_number<double>();
        if (!(probability >= 0.0 && probability <= 1.0))
            fail(path, "must be from 0 to 1, got " + number_text(value));
        return probability;
    }

    // A whole number in [min, max]. JSON "3.0" and "1e3" are whole numbers too: some encoders
    // write every number that way.
    std::int64_t integer(const json::value& value, const std::string& path, std::int64_t min,
                         std::int64_t max, const std::string& requirement) const {
        if (!value.is_number()) fail(path, "expected an integer, got " + kind_of(value));
        std::optional<std::int64_t> whole;
        if (value.is_int64()) {
            whole = value.get_int64();
        } else if (value.is_uint64()) {
            if (value.get_uint64() <= static_cast<std::uint64_t>(kMaxInt64))
                whole = static_cast<std::int64_t>(value.get_uint64());
        } else {
            const double number = value.get_double();
            if (std::isfinite(number) && number != std::floor(number))
                fail(path, "expected an integer, got " + number_text(value));
            constexpr double kTwoTo63 = 9223372036854775808.0;
            if (number >= -kTwoTo63 && number < kTwoTo63) whole = static_cast<std::int64_t>(number);
        }
        if (!whole || *whole < min || *whole > max)
            fail(path, "must be " + requirement + ", got " + number_text(value));
        return *whole;
    }

    std::optional<std::string> match_string(const json::object& object, const std::string& path,
                                            std::string_view key) const {
        // optional_string's own "must not be empty" would not say what to do instead.
        std::optional<std::string> text = optional_string(object, path, key, /*allow_empty=*/true);
        if (text && text->empty())
            fail(member_path(path, key),
                 "must not be empty; leave the field out to match every request");
        return text;
    }
};

}  // namespace

FaultRule parse_fault_rule(const boost::json::value& value, const std::string& source,
                           const std::string& path) {
    return RuleParser(source).parse_rule(value, path);
}

std::vector<FaultRule> parse_fault_rules(const boost::json::array& rules, const std::string& source,
                                         const std::string& path_prefix) {
    const RuleParser parser(source);
    std::vector<FaultRule> parsed;
    parsed.reserve(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i)
        parsed.push_back(parser.parse_rule(rules[i], index_path(path_prefix, i)));
    return parsed;
}

std::vector<FaultRule> parse_faults_file_text(std::string_view text, const std::string& source) {
    const json::value root = parse_json_text(text, source);
    const JsonFieldReader reader(source);
    const json::object& top = reader.expect_top_level_object(root);
    reader.refuse_unknown_fields(top, "", {"faults"});
    const json::value& faults = reader.required(top, "", "faults");
    if (!faults.is_array()) reader.fail("faults", "expected an array, got " + kind_of(faults));
    return parse_fault_rules(faults.get_array(), source, "faults");
}

boost::json::object to_json(const FaultRule& rule) {
    json::object out;
    if (rule.error) out["error"] = *rule.error;
    if (rule.rate_limit) {
        out["rateLimit"] =
            json::object{{"requestsPerSecond", json_number(rule.rate_limit->requests_per_second)},
                         {"burst", rule.rate_limit->burst}};
    }
    json::object match;
    if (rule.match.instance_id) match["instanceId"] = *rule.match.instance_id;
    if (rule.match.session_id) match["sessionId"] = *rule.match.session_id;
    if (rule.match.access_key_id) match["accessKeyId"] = *rule.match.access_key_id;
    out["match"] = std::move(match);
    if (!rule.rate_limit) out["probability"] = json_number(rule.probability);
    if (rule.count) out["count"] = *rule.count;
    if (rule.retry_after_seconds) out["retryAfterSeconds"] = *rule.retry_after_seconds;
    if (rule.message) out["message"] = *rule.message;
    if (rule.quota_code) out["quotaCode"] = *rule.quota_code;
    out["delayMs"] = rule.delay.count();
    return out;
}

}  // namespace qapps
