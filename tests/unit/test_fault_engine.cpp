#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <latch>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fault_engine.hpp"
#include "manual_clock.hpp"

using namespace qapps;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kSession = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
constexpr std::string_view kOtherSession = "0a1b2c3d-1111-4222-8333-444455556666";

FaultRule rule(std::string_view json) {
    return parse_fault_rule(boost::json::parse(json), "test", "rule");
}

FaultRequest request(std::string_view instance_id = "demo", std::string_view session_id = kSession,
                     std::string_view access_key_id = "AKIAALICE") {
    return FaultRequest{instance_id, session_id, access_key_id};
}

bool fires(FaultEngine& engine, const FaultRequest& req) {
    return engine.evaluate(req).rule_id.has_value();
}

// Who fired for each of `n` evaluations of `req`: the rule id, or 0 for none.
std::vector<std::uint64_t> firing_sequence(FaultEngine& engine, const FaultRequest& req, int n) {
    std::vector<std::uint64_t> sequence;
    for (int i = 0; i < n; ++i) sequence.push_back(engine.evaluate(req).rule_id.value_or(0));
    return sequence;
}

std::string retry_after(const FaultDecision& decision) {
    REQUIRE(decision.error);
    return decision.error->retry_after ? std::to_string(*decision.error->retry_after) : "none";
}

}  // namespace

TEST_CASE("no rules: nothing fires") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    const FaultDecision decision = engine.evaluate(request());
    CHECK_FALSE(decision.error);
    CHECK(decision.delay == 0ms);
    CHECK_FALSE(decision.rule_id);
    CHECK(engine.size() == 0);
}

TEST_CASE("an empty match hits every request") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"error": "AccessDeniedException"})"));
    CHECK(fires(engine, request()));
    CHECK(fires(engine, request("other", kOtherSession, "AKIABOB")));
    CHECK(fires(engine, request("demo", kSession, "")));  // anonymous
}

TEST_CASE("match on each field alone") {
    ManualClock clock;
    FaultEngine engine(0, clock);

    SUBCASE("instanceId") {
        engine.add(rule(R"({"error": "AccessDeniedException", "match": {"instanceId": "demo"}})"));
        CHECK(fires(engine, request("demo", kOtherSession, "AKIABOB")));
        CHECK_FALSE(fires(engine, request("demo2")));
        CHECK_FALSE(fires(engine, request("Demo")));
    }
    SUBCASE("sessionId") {
        engine.add(rule(R"({"error": "AccessDeniedException",
                            "match": {"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab"}})"));
        CHECK(fires(engine, request("other", kSession, "AKIABOB")));
        CHECK_FALSE(fires(engine, request("demo", kOtherSession)));
    }
    SUBCASE("accessKeyId") {
        engine.add(rule(R"({"error": "AccessDeniedException",
                            "match": {"accessKeyId": "AKIAALICE"}})"));
        CHECK(fires(engine, request("other", kOtherSession, "AKIAALICE")));
        CHECK_FALSE(fires(engine, request("demo", kSession, "AKIABOB")));
        CHECK_FALSE(fires(engine, request("demo", kSession, "")));
    }
}

TEST_CASE("match on all fields: every one must equal the request's") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"error": "AccessDeniedException", "match": {"instanceId": "demo",
                        "sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
                        "accessKeyId": "AKIAALICE"}})"));
    CHECK(fires(engine, request("demo", kSession, "AKIAALICE")));
    CHECK_FALSE(fires(engine, request("other", kSession, "AKIAALICE")));
    CHECK_FALSE(fires(engine, request("demo", kOtherSession, "AKIAALICE")));
    CHECK_FALSE(fires(engine, request("demo", kSession, "AKIABOB")));
}

TEST_CASE("rules are checked in the order added; the first that fires answers") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"error": "ValidationException", "match": {"instanceId": "other"}})"));
    engine.add(rule(R"({"error": "ValidationException", "probability": 0})"));
    const auto access_denied = engine.add(rule(R"({"error": "AccessDeniedException"})"));
    engine.add(rule(R"({"error": "InternalServerException"})"));

    const FaultDecision decision = engine.evaluate(request());
    CHECK(decision.rule_id == access_denied);
    REQUIRE(decision.error);
    CHECK(decision.error->type == "AccessDeniedException");
}

TEST_CASE("probability: the same seed and requests repeat exactly; another seed differs") {
    ManualClock clock;
    FaultEngine first(42, clock);
    FaultEngine second(42, clock);
    FaultEngine other_seed(43, clock);
    for (FaultEngine* engine : {&first, &second, &other_seed})
        engine->add(rule(R"({"error": "InternalServerException", "probability": 0.5})"));

    const auto sequence = firing_sequence(first, request(), 200);
    CHECK(firing_sequence(second, request(), 200) == sequence);
    CHECK(firing_sequence(other_seed, request(), 200) != sequence);

    const auto fired = std::count(sequence.begin(), sequence.end(), 1U);
    CHECK(fired > 60);
    CHECK(fired < 140);
}

TEST_CASE("probability: only matching rules with 0 < p < 1 draw") {
    ManualClock clock;
    FaultEngine plain(7, clock);
    plain.add(rule(R"({"error": "InternalServerException", "probability": 0.5})"));

    // The same rule behind a p=0 rule, a p=1 rule for another instance and a p=0.5 rule for
    // another caller: as long as none of them draws for "demo"/alice, the sequences agree.
    FaultEngine busy(7, clock);
    busy.add(rule(R"({"error": "ValidationException", "probability": 0})"));
    busy.add(rule(R"({"error": "ValidationException", "match": {"instanceId": "x"}})"));
    busy.add(rule(R"({"error": "ValidationException", "probability": 0.5,
                      "match": {"accessKeyId": "AKIABOB"}})"));
    busy.add(rule(R"({"error": "InternalServerException", "probability": 0.5})"));

    std::vector<bool> plain_fired;
    std::vector<bool> busy_fired;
    for (int i = 0; i < 100; ++i) {
        plain_fired.push_back(fires(plain, request()));
        const FaultDecision decision = busy.evaluate(request());
        busy_fired.push_back(decision.error && decision.error->type == "InternalServerException");
        CHECK(busy.evaluate(request("x")).rule_id == 2U);  // p=1: fires, draws nothing
    }
    CHECK(busy_fired == plain_fired);
}

TEST_CASE("probability 0 never fires, 1 always fires") {
    ManualClock clock;
    FaultEngine never(1, clock);
    never.add(rule(R"({"error": "InternalServerException", "probability": 0})"));
    FaultEngine always(1, clock);
    always.add(rule(R"({"error": "InternalServerException", "probability": 1})"));
    for (int i = 0; i < 1000; ++i) {
        CHECK_FALSE(fires(never, request()));
        CHECK(fires(always, request()));
    }
}

TEST_CASE("count: fires that many times, then the rule is gone") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    const auto id = engine.add(rule(R"({"error": "InternalServerException", "count": 2})"));

    CHECK(engine.evaluate(request()).rule_id == id);
    CHECK(boost::json::serialize(engine.list()) ==
          R"([{"id":1,"error":"InternalServerException","match":{},"probability":1,"count":2,)"
          R"("delayMs":0,"remaining":1,"fired":1}])");
    CHECK(engine.evaluate(request()).rule_id == id);
    CHECK(engine.list().empty());
    CHECK(engine.size() == 0);
    CHECK_FALSE(fires(engine, request()));
    CHECK_FALSE(engine.remove(id));
}

TEST_CASE("count: a non-firing check uses none of it") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"error": "InternalServerException", "count": 1,
                        "match": {"instanceId": "demo"}})"));
    for (int i = 0; i < 10; ++i) CHECK_FALSE(fires(engine, request("other")));
    CHECK(fires(engine, request("demo")));
    CHECK_FALSE(fires(engine, request("demo")));
}

TEST_CASE("count is exact when 50 threads evaluate at once") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"error": "ThrottlingException", "count": 3})"));
    engine.add(rule(R"({"delayMs": 1})"));  // what the others get, so evaluation goes on

    constexpr int kThreads = 50;
    std::latch start(kThreads);
    std::vector<std::uint64_t> fired_by(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            fired_by[t] = engine.evaluate(request()).rule_id.value_or(0);
        });
    }
    for (auto& thread : threads) thread.join();

    CHECK(std::count(fired_by.begin(), fired_by.end(), 1U) == 3);
    CHECK(std::count(fired_by.begin(), fired_by.end(), 2U) == kThreads - 3);
    const auto listed = engine.list();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].at("id") == 2);
    CHECK(listed[0].at("fired") == kThreads - 3);
}

TEST_CASE("rules added, removed and listed from many threads at once stay consistent") {
    ManualClock clock;
    FaultEngine engine(3, clock);
    constexpr int kThreads = 8;
    std::latch start(kThreads);
    std::atomic<int> failed_removals{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = 0; i < 200; ++i) {
                if (t % 2 == 0) {
                    const auto id = engine.add(
                        rule(R"({"error": "InternalServerException", "probability": 0.5})"));
                    engine.evaluate(request());
                    engine.list();
                    if (!engine.remove(id)) ++failed_removals;
                } else {
                    engine.evaluate(request("demo", kSession, std::to_string(i)));
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failed_removals == 0);
    CHECK(engine.size() == 0);
}

TEST_CASE("each of the seven errors, with its members and Retry-After") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    auto answer = [&](std::string_view json) {
        engine.clear();
        engine.add(rule(json));
        const FaultDecision decision = engine.evaluate(request());
        REQUIRE(decision.error);
        return *decision.error;
    };
    const std::string session(kSession);

    SUBCASE("ValidationException") {
        const ApiError error = answer(R"({"error": "ValidationException"})");
        CHECK(error.type == "ValidationException");
        CHECK(error.status == boost::beast::http::status::bad_request);
        CHECK(error.message == "The request failed validation");
        CHECK(error.members.empty());
        CHECK_FALSE(error.retry_after);
    }
    SUBCASE("UnauthorizedException") {
        const ApiError error = answer(R"({"error": "UnauthorizedException"})");
        CHECK(error.status == boost::beast::http::status::unauthorized);
        CHECK(error.members.empty());
        CHECK_FALSE(error.retry_after);
    }
    SUBCASE("ServiceQuotaExceededException") {
        const ApiError error = answer(R"({"error": "ServiceQuotaExceededException"})");
        CHECK(error.status == boost::beast::http::status::payment_required);
        CHECK(error.members == boost::json::object{{"resourceId", session},
                                                   {"resourceType", "QAppSession"},
                                                   {"serviceCode", "qapps"},
                                                   {"quotaCode", "L-QAPPS-SESSIONS"}});
        CHECK_FALSE(error.retry_after);
        CHECK(answer(R"({"error": "ServiceQuotaExceededException", "quotaCode": "L-MINE"})")
                  .members.at("quotaCode") == "L-MINE");
    }
    SUBCASE("AccessDeniedException") {
        const ApiError error = answer(R"({"error": "AccessDeniedException"})");
        CHECK(error.status == boost::beast::http::status::forbidden);
        CHECK(error.members.empty());
    }
    SUBCASE("ResourceNotFoundException") {
        const ApiError error = answer(R"({"error": "ResourceNotFoundException"})");
        CHECK(error.status == boost::beast::http::status::not_found);
        CHECK(error.message == "Q App session " + session + " not found in instance demo");
        CHECK(error.members ==
              boost::json::object{{"resourceId", session}, {"resourceType", "QAppSession"}});
    }
    SUBCASE("ThrottlingException: Retry-After 1 unless given") {
        const ApiError error = answer(R"({"error": "ThrottlingException"})");
        CHECK(error.status == boost::beast::http::status::too_many_requests);
        CHECK(error.message == "Rate exceeded");
        CHECK(error.members == boost::json::object{{"serviceCode", "qapps"},
                                                   {"quotaCode", "L-QAPPS-REQUESTS-PER-SECOND"}});
        CHECK(error.retry_after == 1);
        CHECK(answer(R"({"error": "ThrottlingException", "retryAfterSeconds": 7})").retry_after ==
              7);
        CHECK(answer(R"({"error": "ThrottlingException", "retryAfterSeconds": 0})").retry_after ==
              0);
        CHECK(answer(R"({"error": "ThrottlingException", "quotaCode": "L-Q"})")
                  .members.at("quotaCode") == "L-Q");
    }
    SUBCASE("InternalServerException: Retry-After only when given") {
        const ApiError error = answer(R"({"error": "InternalServerException"})");
        CHECK(error.status == boost::beast::http::status::internal_server_error);
        CHECK(error.members.empty());
        CHECK_FALSE(error.retry_after);
        CHECK(
            answer(R"({"error": "InternalServerException", "retryAfterSeconds": 3})").retry_after ==
            3);
    }
    SUBCASE("a rule's message replaces the usual one") {
        CHECK(answer(R"({"error": "AccessDeniedException", "message": "go away"})").message ==
              "go away");
    }
}

TEST_CASE("an error rule's delay comes with its error") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"error": "InternalServerException", "delayMs": 1500})"));
    const FaultDecision decision = engine.evaluate(request());
    CHECK(decision.error);
    CHECK(decision.delay == 1500ms);
}

TEST_CASE("a delay-only rule fires with its delay and no error, and ends the evaluation") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    const auto id = engine.add(rule(R"({"delayMs": 250, "count": 1})"));
    engine.add(rule(R"({"error": "InternalServerException"})"));

    const FaultDecision delayed = engine.evaluate(request());
    CHECK_FALSE(delayed.error);
    CHECK(delayed.delay == 250ms);
    CHECK(delayed.rule_id == id);

    const FaultDecision next = engine.evaluate(request());  // the delay rule has expired
    CHECK(next.error);
    CHECK(next.delay == 0ms);
}

TEST_CASE("rate limit 5/s burst 5: 5 of 10 pass at one instant, then one per 200 ms") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    const auto id = engine.add(rule(R"({"rateLimit": {"requestsPerSecond": 5, "burst": 5}})"));

    int passed = 0;
    for (int i = 0; i < 10; ++i) {
        const FaultDecision decision = engine.evaluate(request());
        if (!decision.rule_id) {
            ++passed;
            continue;
        }
        CHECK(decision.rule_id == id);
        REQUIRE(decision.error);
        CHECK(decision.error->type == "ThrottlingException");
        CHECK(decision.error->message == "Rate exceeded");
        CHECK(decision.error->members.at("quotaCode") == "L-QAPPS-REQUESTS-PER-SECOND");
        CHECK(retry_after(decision) == "1");
    }
    CHECK(passed == 5);

    clock.advance(200ms);
    CHECK_FALSE(fires(engine, request()));
    CHECK(fires(engine, request()));
    CHECK(engine.list()[0].at("fired") == 6);
}

TEST_CASE("rate limit: Retry-After is the whole seconds until the next token") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"rateLimit": {"requestsPerSecond": 0.25, "burst": 1}})"));
    CHECK_FALSE(fires(engine, request()));
    CHECK(retry_after(engine.evaluate(request())) == "4");
    clock.advance(1500ms);
    CHECK(retry_after(engine.evaluate(request())) == "3");
    clock.advance(2500ms);
    CHECK_FALSE(fires(engine, request()));
}

TEST_CASE("rate limit: the rule's message, quotaCode and delay are used") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1}, "message": "easy",
                        "quotaCode": "L-MINE", "delayMs": 30})"));
    CHECK_FALSE(fires(engine, request()));
    const FaultDecision refused = engine.evaluate(request());
    REQUIRE(refused.error);
    CHECK(refused.error->message == "easy");
    CHECK(refused.error->members.at("quotaCode") == "L-MINE");
    CHECK(refused.delay == 30ms);
}

TEST_CASE("rate limit: a request with a token goes on to the next rule") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1}})"));
    const auto delay_id = engine.add(rule(R"({"delayMs": 40})"));
    const FaultDecision first = engine.evaluate(request());
    CHECK(first.rule_id == delay_id);
    CHECK(first.delay == 40ms);
    CHECK(engine.evaluate(request()).rule_id == 1U);
}

TEST_CASE("rate limit: one bucket per instance and caller") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1}})"));
    CHECK_FALSE(fires(engine, request("demo", kSession, "AKIAALICE")));
    CHECK(fires(engine, request("demo", kSession, "AKIAALICE")));
    CHECK(fires(engine, request("demo", kOtherSession, "AKIAALICE")));  // same bucket
    CHECK_FALSE(fires(engine, request("demo", kSession, "AKIABOB")));
    CHECK_FALSE(fires(engine, request("demo2", kSession, "AKIAALICE")));
    CHECK_FALSE(fires(engine, request("demo", kSession, "")));
    CHECK(fires(engine, request("demo", kSession, "")));
    // ("de", "moAKIA...") must not share ("demo", "AKIA...")'s bucket.
    CHECK_FALSE(fires(engine, request("de", kSession, "moAKIAALICE")));
}

TEST_CASE("rate limit: exact when 50 threads take at one instant") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 10}})"));
    constexpr int kThreads = 50;
    std::latch start(kThreads);
    std::vector<int> refused(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            refused[t] = fires(engine, request()) ? 1 : 0;
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(std::count(refused.begin(), refused.end(), 1) == kThreads - 10);
}

TEST_CASE("rate limit: dropping idle buckets forgets nothing") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    engine.add(rule(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1}})"));
    for (int i = 0; i < 1100; ++i)
        CHECK_FALSE(fires(engine, request("demo", kSession, "old-" + std::to_string(i))));
    clock.advance(10s);  // every old bucket is full again
    CHECK_FALSE(fires(engine, request("demo", kSession, "old-0")));  // old-0 is empty now
    for (int i = 0; i < 1000; ++i)  // enough new callers to prune the full buckets
        CHECK_FALSE(fires(engine, request("demo", kSession, "new-" + std::to_string(i))));
    CHECK(fires(engine, request("demo", kSession, "old-0")));
    CHECK_FALSE(fires(engine, request("demo", kSession, "old-5")));
    CHECK(fires(engine, request("demo", kSession, "old-5")));
    CHECK(fires(engine, request("demo", kSession, "new-5")));
}

TEST_CASE("ids: 1, 2, 3, ..., never reused by remove or clear") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    CHECK(engine.add(rule(R"({"delayMs": 1})")) == 1U);
    CHECK(engine.add_all({rule(R"({"delayMs": 2})"), rule(R"({"delayMs": 3})")}) ==
          std::vector<std::uint64_t>{2, 3});
    CHECK(engine.remove(2));
    CHECK_FALSE(engine.remove(2));
    CHECK_FALSE(engine.remove(99));

    const auto listed = engine.list();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].at("id") == 1);
    CHECK(listed[0].at("delayMs") == 1);
    CHECK(listed[1].at("id") == 3);
    CHECK_FALSE(listed[1].as_object().contains("remaining"));

    engine.clear();
    CHECK(engine.list().empty());
    CHECK(engine.add(rule(R"({"delayMs": 1})")) == 4U);
}

TEST_CASE("reset: back to the start rules, fresh counts and buckets, ids from 1, re-seeded") {
    ManualClock clock;
    const auto start_rules = [] {
        return std::vector<FaultRule>{
            rule(R"({"error": "ThrottlingException", "count": 1, "match": {"instanceId": "a"}})"),
            rule(R"({"rateLimit": {"requestsPerSecond": 1, "burst": 1},
                     "match": {"instanceId": "b"}})"),
            rule(R"({"error": "InternalServerException", "probability": 0.5,
                     "match": {"instanceId": "demo"}})")};
    };
    FaultEngine engine(5, clock);
    engine.add_all(start_rules());
    const auto first_run = firing_sequence(engine, request(), 50);
    CHECK(fires(engine, request("a")));
    CHECK_FALSE(fires(engine, request("b")));
    CHECK(fires(engine, request("b")));
    engine.add(rule(R"({"delayMs": 1})"));
    CHECK(engine.size() == 3);  // the count-1 rule expired; one was added

    engine.reset(start_rules(), 5);
    const auto listed = engine.list();
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].at("id") == 1);
    CHECK(listed[0].at("remaining") == 1);
    CHECK(listed[2].at("id") == 3);
    CHECK(listed[2].at("fired") == 0);
    CHECK(firing_sequence(engine, request(), 50) == first_run);
    CHECK(fires(engine, request("a")));
    CHECK_FALSE(fires(engine, request("b")));  // a fresh bucket
    CHECK(engine.add(rule(R"({"delayMs": 1})")) == 4U);

    engine.reset({}, 6);
    CHECK(engine.size() == 0);
    CHECK_FALSE(fires(engine, request()));
}

TEST_CASE("upsert_all renews an identical live rule in place and appends new ones") {
    ManualClock clock;
    FaultEngine engine(0, clock);
    const auto first = engine.add(rule(R"({"error":"ThrottlingException","count":2})"));
    CHECK(fires(engine, request()));  // one of its two fires used

    const auto ids = engine.upsert_all(
        {rule(R"({"error":"ThrottlingException","count":2})"), rule(R"({"delayMs":5})")});
    CHECK(ids == std::vector<std::uint64_t>{first, first + 1});
    CHECK(engine.size() == 2);
    // Renewed: two fires again, then the delay-only rule answers.
    CHECK(engine.evaluate(request()).rule_id == first);
    CHECK(engine.evaluate(request()).rule_id == first);
    CHECK(engine.evaluate(request()).rule_id == first + 1);
}
