#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "request_journal.hpp"

using namespace qapps;
using namespace std::chrono_literals;

namespace {

// 2026-12-04T15:58:51.123Z
const std::chrono::system_clock::time_point kTime =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + 15h + 58min + 51s + 123ms;

JournalEntry entry(std::string request_id) {
    JournalEntry e;
    e.time = kTime;
    e.request_id = std::move(request_id);
    e.instance_id = "demo";
    e.session_id = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
    e.caller = "AKIAALICE";
    e.status = 200;
    e.latency = 1234us;
    return e;
}

std::vector<std::string> request_ids(const RequestJournal& journal) {
    std::vector<std::string> ids;
    for (const auto& e : journal.entries()) ids.push_back(e.request_id);
    return ids;
}

}  // namespace

TEST_CASE("entries come oldest first") {
    RequestJournal journal(10);
    journal.record(entry("a"));
    journal.record(entry("b"));
    journal.record(entry("c"));
    CHECK(journal.size() == 3);
    CHECK(request_ids(journal) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("a full journal drops the oldest entry for each new one") {
    RequestJournal journal(3);
    for (const char* id : {"a", "b", "c", "d", "e"}) journal.record(entry(id));
    CHECK(journal.size() == 3);
    CHECK(journal.capacity() == 3);
    CHECK(request_ids(journal) == std::vector<std::string>{"c", "d", "e"});
    for (const char* id : {"f", "g", "h", "i"}) journal.record(entry(id));
    CHECK(request_ids(journal) == std::vector<std::string>{"g", "h", "i"});
}

TEST_CASE("capacity 0 keeps nothing; the default keeps 1000") {
    RequestJournal none(0);
    none.record(entry("a"));
    CHECK(none.size() == 0);
    CHECK(none.to_json().empty());

    RequestJournal standard;
    CHECK(standard.capacity() == 1000);
    for (int i = 0; i < 1001; ++i) standard.record(entry(std::to_string(i)));
    CHECK(standard.size() == 1000);
    CHECK(standard.entries().front().request_id == "1");
}

TEST_CASE("clear empties the journal, which then fills in order again") {
    RequestJournal journal(2);
    for (const char* id : {"a", "b", "c"}) journal.record(entry(id));
    journal.clear();
    CHECK(journal.size() == 0);
    CHECK(journal.to_json().empty());
    journal.record(entry("d"));
    journal.record(entry("e"));
    journal.record(entry("f"));
    CHECK(request_ids(journal) == std::vector<std::string>{"e", "f"});
}

TEST_CASE("JSON of a success: every field, error null") {
    RequestJournal journal(5);
    journal.record(entry("r1"));
    CHECK(boost::json::serialize(journal.to_json()) ==
          R"([{"time":"2026-12-04T15:58:51.123Z","requestId":"r1","instanceId":"demo",)"
          R"("sessionId":"8f6e2a10-4b1c-4d2e-9f3a-0123456789ab","caller":"AKIAALICE",)"
          R"("status":200,"error":null,"injected":false,"latencyMicros":1234}])");
}

TEST_CASE("JSON of an error: its type and injected") {
    RequestJournal journal(5);
    JournalEntry e = entry("r2");
    e.status = 429;
    e.error = "ThrottlingException";
    e.injected = true;
    e.latency = 250ms;
    e.caller = "anonymous";
    e.instance_id = "";
    journal.record(e);
    const auto json = journal.to_json();
    REQUIRE(json.size() == 1);
    CHECK(json[0] == boost::json::parse(R"({"time":"2026-12-04T15:58:51.123Z","requestId":"r2",
        "instanceId":"","sessionId":"8f6e2a10-4b1c-4d2e-9f3a-0123456789ab",
        "caller":"anonymous","status":429,"error":"ThrottlingException","injected":true,
        "latencyMicros":250000})"));
}

TEST_CASE("latencyMicros keeps single microseconds") {
    RequestJournal journal(5);
    JournalEntry e = entry("r");
    e.latency = 7us;
    journal.record(e);
    CHECK(journal.to_json()[0].at("latencyMicros").as_int64() == 7);
}

TEST_CASE("format_utc_millis: ISO-8601 UTC, milliseconds truncated") {
    using std::chrono::sys_days;
    using std::chrono::year;
    CHECK(format_utc_millis(kTime) == "2026-12-04T15:58:51.123Z");
    CHECK(format_utc_millis(std::chrono::system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
    CHECK(format_utc_millis(sys_days{year{2024} / 2 / 29} + 23h + 59min + 59s + 999999us) ==
          "2024-02-29T23:59:59.999Z");
    CHECK(format_utc_millis(sys_days{year{2000} / 1 / 1} + 7ms) == "2000-01-01T00:00:00.007Z");
}

TEST_CASE("many threads recording at once: bounded, and each thread's entries in order") {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 500;
    RequestJournal journal(1000);
    std::latch start(kThreads + 1);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = 0; i < kPerThread; ++i)
                journal.record(entry(std::to_string(t) + ":" + std::to_string(i)));
        });
    }
    start.arrive_and_wait();
    for (int i = 0; i < 50; ++i) journal.to_json();  // readers alongside the writers
    for (auto& thread : threads) thread.join();

    CHECK(journal.size() == 1000);
    std::vector<int> last(kThreads, -1);
    for (const auto& e : journal.entries()) {
        const auto colon = e.request_id.find(':');
        const int t = std::stoi(e.request_id.substr(0, colon));
        const int i = std::stoi(e.request_id.substr(colon + 1));
        CHECK(i > last[t]);
        last[t] = i;
    }
}
