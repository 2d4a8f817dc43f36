// SqliteStore: lookups, fixture application (owner resolution, key ownership, all-or-nothing,
// idempotence), persistence, listing, snapshots and concurrent reads.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fixture_error.hpp"
#include "fixture_parser.hpp"
#include "sqlite_store.hpp"

using qapps::FixtureDocument;
using qapps::FixtureError;
using qapps::LookupStatus;
using qapps::SqliteStore;

namespace {

constexpr const char* kRetro = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
constexpr const char* kReview = "1c9d7e52-3a4b-4c5d-8e6f-112233445566";
constexpr const char* kForecast = "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7";
constexpr const char* kUnknownSession = "00000000-0000-4000-8000-000000000000";

// Two instances; alice holds the same key in both (allowed), carol's session is owned by key.
constexpr const char* kBaseFixture = R"({"instances": [
  {"instanceId": "demo", "accountId": "123456789012", "region": "us-east-1",
   "users": [{"userId": "alice", "accessKeyId": "AKIAALICE", "secretAccessKey": "alice-secret"},
             {"userId": "bob", "accessKeyId": "AKIABOB", "secretAccessKey": "bob-secret"}],
   "sessions": [
     {"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "sessionName": "Team retro",
      "owner": "alice", "appId": "retro-app",
      "sharingConfiguration": {"enabled": true, "acceptResponses": true, "revealCards": false}},
     {"sessionId": "1c9d7e52-3a4b-4c5d-8e6f-112233445566", "owner": "bob",
      "sharingConfiguration": {"enabled": false}}]},
  {"instanceId": "sales", "accountId": "210987654321", "region": "us-west-2",
   "users": [{"userId": "carol", "accessKeyId": "AKIACAROL", "secretAccessKey": "carol-secret"},
             {"userId": "alice", "accessKeyId": "AKIAALICE", "secretAccessKey": "alice-secret"}],
   "sessions": [
     {"sessionId": "8091a2b3-c4d5-4e6f-8071-8293a4b5c6d7", "sessionName": "Forecast",
      "owner": "AKIACAROL", "sessionArn": "arn:custom:forecast",
      "sharingConfiguration": {"enabled": false, "revealCards": true}}]}]})";

FixtureDocument document(std::string_view text, const std::string& source = "base.json") {
    return qapps::parse_fixture_text(text, source);
}

void apply(SqliteStore& store, std::string_view text, const std::string& source = "base.json") {
    const FixtureDocument parsed = document(text, source);
    store.apply(std::span(&parsed, 1));
}

std::unique_ptr<SqliteStore> base_store(int read_connections = 2) {
    auto store = SqliteStore::open(":memory:", read_connections);
    apply(*store, kBaseFixture);
    return store;
}

// The FixtureError that applying `text` is refused with; an accepted document fails the test.
FixtureError refusal_of(SqliteStore& store, std::string_view text,
                        const std::string& source = "extra.json") {
    try {
        apply(store, text, source);
    } catch (const FixtureError& error) {
        return error;
    }
    throw std::logic_error("the document was accepted");
}

bool same_counts(const qapps::StoreCounts& a, const qapps::StoreCounts& b) {
    return a.instances == b.instances && a.users == b.users && a.sessions == b.sessions;
}

// A database file in the temp directory, removed (with its WAL companions) afterwards.
class TempDatabase {
  public:
    explicit TempDatabase(std::string_view tag)
        : path_(std::filesystem::temp_directory_path() /
                ("qapps-test-" + std::string(tag) + "-" + std::to_string(::getpid()) + ".db")) {
        remove_files();
    }
    ~TempDatabase() { remove_files(); }
    TempDatabase(const TempDatabase&) = delete;
    TempDatabase& operator=(const TempDatabase&) = delete;

    std::string path() const { return path_.string(); }

  private:
    void remove_files() const {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::filesystem::remove(path_.string() + suffix, ignored);
    }
    std::filesystem::path path_;
};

}  // namespace

// --- find_session ------------------------------------------------------------------------------

TEST_CASE("store: find_session returns every field of a found session") {
    auto store = base_store();
    const auto lookup = store->find_session("demo", kRetro);
    REQUIRE(lookup.status == LookupStatus::found);
    const auto& session = lookup.session;
    CHECK(session.instance_id == "demo");
    CHECK(session.session_id == kRetro);
    CHECK(session.session_arn ==
          "arn:aws:qapps:us-east-1:123456789012:application/demo/qapp-session/"
          "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab");
    CHECK(session.session_name == "Team retro");
    CHECK(session.owner == "alice");
    CHECK(session.owner_user_id == "alice");
    CHECK(session.app_id == "retro-app");
    CHECK(session.sharing.enabled);
    CHECK(session.sharing.accept_responses == true);
    CHECK(session.sharing.reveal_cards == false);
}

TEST_CASE("store: find_session keeps absent optional fields absent") {
    auto store = base_store();
    const auto lookup = store->find_session("demo", kReview);
    REQUIRE(lookup.status == LookupStatus::found);
    CHECK_FALSE(lookup.session.session_name.has_value());
    CHECK_FALSE(lookup.session.app_id.has_value());
    CHECK_FALSE(lookup.session.sharing.enabled);
    CHECK_FALSE(lookup.session.sharing.accept_responses.has_value());
    CHECK_FALSE(lookup.session.sharing.reveal_cards.has_value());
}

TEST_CASE("store: find_session keeps a sessionArn given by the fixture") {
    auto store = base_store();
    CHECK(store->find_session("sales", kForecast).session.session_arn == "arn:custom:forecast");
}

TEST_CASE("store: find_session reports an unknown instance") {
    auto store = base_store();
    CHECK(store->find_session("nowhere", kRetro).status == LookupStatus::instance_not_found);
}

TEST_CASE("store: find_session reports an unknown session of a known instance") {
    auto store = base_store();
    CHECK(store->find_session("demo", kUnknownSession).status == LookupStatus::session_not_found);
}

TEST_CASE("store: a session of another instance is not found") {
    auto store = base_store();
    CHECK(store->find_session("sales", kRetro).status == LookupStatus::session_not_found);
    CHECK(store->find_session("demo", kForecast).status == LookupStatus::session_not_found);
}

TEST_CASE("store: an empty store knows no instance") {
    auto store = SqliteStore::open(":memory:", 1);
    CHECK(store->find_session("demo", kRetro).status == LookupStatus::instance_not_found);
}

// --- find_user_by_access_key -------------------------------------------------------------------

TEST_CASE("store: find_user_by_access_key returns the user holding the key") {
    auto store = base_store();
    const auto user = store->find_user_by_access_key("AKIACAROL");
    REQUIRE(user.has_value());
    CHECK(user->instance_id == "sales");
    CHECK(user->user_id == "carol");
    CHECK(user->access_key_id == "AKIACAROL");
    CHECK(user->secret_access_key == "carol-secret");
}

TEST_CASE("store: find_user_by_access_key answers an unknown key with nothing") {
    auto store = base_store();
    CHECK_FALSE(store->find_user_by_access_key("AKIANOBODY").has_value());
    CHECK_FALSE(store->find_user_by_access_key("").has_value());
}

TEST_CASE("store: a key held by one user in two instances answers the first instance by id") {
    auto store = base_store();
    const auto user = store->find_user_by_access_key("AKIAALICE");
    REQUIRE(user.has_value());
    CHECK(user->user_id == "alice");
    CHECK(user->instance_id == "demo");
}

// --- apply: owners -----------------------------------------------------------------------------

TEST_CASE("store: an owner given as a user id resolves to that user") {
    auto store = base_store();
    const auto session = store->find_session("demo", kReview).session;
    CHECK(session.owner == "bob");
    CHECK(session.owner_user_id == "bob");
}

TEST_CASE("store: an owner given as an access key resolves to the key's user") {
    auto store = base_store();
    const auto session = store->find_session("sales", kForecast).session;
    CHECK(session.owner == "AKIACAROL");
    CHECK(session.owner_user_id == "carol");
}

TEST_CASE("store: an owner may be a user stored by an earlier document") {
    auto store = base_store();
    apply(*store, R"({"instances": [{"instanceId": "demo", "sessions": [
        {"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "AKIABOB",
         "sharingConfiguration": {"enabled": true}}]}]})");
    CHECK(
        store->find_session("demo", "00000000-0000-4000-8000-000000000001").session.owner_user_id ==
        "bob");
}

TEST_CASE("store: an owner that is one user's id and another's key names the id's user") {
    auto store = SqliteStore::open(":memory:", 1);
    apply(*store, R"({"instances": [{"instanceId": "odd", "users": [
        {"userId": "zed", "accessKeyId": "amy", "secretAccessKey": "s"},
        {"userId": "amy", "accessKeyId": "AKIAAMY", "secretAccessKey": "s"}],
        "sessions": [{"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "amy",
                      "sharingConfiguration": {"enabled": true}}]}]})");
    CHECK(
        store->find_session("odd", "00000000-0000-4000-8000-000000000001").session.owner_user_id ==
        "amy");
}

TEST_CASE("store: an owner must be a user of the session's own instance") {
    auto store = base_store();
    const FixtureError error = refusal_of(*store, R"({"instances": [{"instanceId": "demo",
        "sessions": [{"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "carol",
                      "sharingConfiguration": {"enabled": true}}]}]})");
    CHECK(error.path() == "instances[0].sessions[0].owner");
    CHECK(error.reason() ==
          "owner 'carol' is neither a user id nor an access key id of a user of instance 'demo'");
}

TEST_CASE("store: an unknown owner is refused and changes nothing") {
    auto store = base_store();
    const auto before = store->counts();
    const FixtureError error = refusal_of(*store, R"({"instances": [
        {"instanceId": "new-instance",
         "users": [{"userId": "dave", "accessKeyId": "AKIADAVE", "secretAccessKey": "s"}],
         "sessions": [{"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "alice",
                       "sharingConfiguration": {"enabled": true}}]}]})");
    CHECK(error.source() == "extra.json");
    CHECK(error.path() == "instances[0].sessions[0].owner");
    CHECK(error.reason() ==
          "owner 'alice' is neither a user id nor an access key id of a user of instance "
          "'new-instance'");

    CHECK(same_counts(store->counts(), before));
    CHECK(store->find_session("new-instance", "00000000-0000-4000-8000-000000000001").status ==
          LookupStatus::instance_not_found);
    CHECK_FALSE(store->find_user_by_access_key("AKIADAVE").has_value());
}

// --- apply: access keys ------------------------------------------------------------------------

TEST_CASE("store: a key already held by another user id is refused and changes nothing") {
    auto store = base_store();
    const auto before = store->counts();
    const FixtureError error = refusal_of(*store, R"({"instances": [
        {"instanceId": "demo", "users": [
            {"userId": "erin", "accessKeyId": "AKIAERIN", "secretAccessKey": "s"},
            {"userId": "mallory", "accessKeyId": "AKIACAROL", "secretAccessKey": "s"}]}]})");
    CHECK(error.source() == "extra.json");
    CHECK(error.path() == "instances[0].users[1].accessKeyId");
    CHECK(error.reason() == "access key id 'AKIACAROL' already belongs to user 'carol'");

    CHECK(same_counts(store->counts(), before));
    CHECK_FALSE(store->find_user_by_access_key("AKIAERIN").has_value());
    CHECK(store->find_user_by_access_key("AKIACAROL")->user_id == "carol");
}

TEST_CASE("store: the same user id may hold its key in another instance") {
    auto store = base_store();
    apply(*store, R"({"instances": [{"instanceId": "third", "users": [
        {"userId": "carol", "accessKeyId": "AKIACAROL", "secretAccessKey": "carol-secret"}]}]})");
    CHECK(store->counts().users == 5);
}

TEST_CASE("store: a user may change to a fresh key") {
    auto store = base_store();
    apply(*store, R"({"instances": [{"instanceId": "demo", "users": [
        {"userId": "bob", "accessKeyId": "AKIABOB2", "secretAccessKey": "bob-secret-2"}]}]})");
    CHECK_FALSE(store->find_user_by_access_key("AKIABOB").has_value());
    CHECK(store->find_user_by_access_key("AKIABOB2")->secret_access_key == "bob-secret-2");
}

// --- apply: all or nothing, idempotence, upserts -----------------------------------------------

TEST_CASE("store: a refused document also undoes the documents before it in the same apply") {
    auto store = SqliteStore::open(":memory:", 1);
    std::vector<FixtureDocument> documents;
    documents.push_back(document(kBaseFixture, "good.json"));
    documents.push_back(document(R"({"instances": [{"instanceId": "demo", "sessions": [
        {"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "nobody",
         "sharingConfiguration": {"enabled": true}}]}]})",
                                 "bad.json"));
    try {
        store->apply(documents);
        FAIL("the documents were accepted");
    } catch (const FixtureError& error) {
        CHECK(error.source() == "bad.json");
    }
    CHECK(same_counts(store->counts(), qapps::StoreCounts{}));
    CHECK(store->find_session("demo", kRetro).status == LookupStatus::instance_not_found);
}

TEST_CASE("store: several documents apply in order in one call") {
    auto store = SqliteStore::open(":memory:", 1);
    std::vector<FixtureDocument> documents;
    documents.push_back(document(kBaseFixture, "a.json"));
    documents.push_back(document(R"({"instances": [{"instanceId": "demo", "sessions": [
        {"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "bob",
         "sharingConfiguration": {"enabled": true}}]}]})",
                                 "b.json"));
    store->apply(documents);
    CHECK(store->counts().sessions == 4);
}

TEST_CASE("store: loading the same document twice leaves the same state") {
    auto store = base_store();
    const auto counts_once = store->counts();
    const auto sessions_once = store->list_sessions(std::nullopt);
    apply(*store, kBaseFixture);
    CHECK(same_counts(store->counts(), counts_once));
    CHECK(counts_once.instances == 2);
    CHECK(counts_once.users == 4);
    CHECK(counts_once.sessions == 3);

    const auto sessions_twice = store->list_sessions(std::nullopt);
    REQUIRE(sessions_twice.size() == sessions_once.size());
    for (std::size_t i = 0; i < sessions_once.size(); ++i) {
        CHECK(sessions_twice[i].session_id == sessions_once[i].session_id);
        CHECK(sessions_twice[i].session_arn == sessions_once[i].session_arn);
        CHECK(sessions_twice[i].owner_user_id == sessions_once[i].owner_user_id);
    }
}

TEST_CASE("store: reloading a session with other values updates it in place") {
    auto store = base_store();
    apply(*store, R"({"instances": [{"instanceId": "demo", "sessions": [
        {"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "sessionName": "Renamed",
         "owner": "AKIABOB", "sharingConfiguration": {"enabled": false}}]}]})");
    const auto session = store->find_session("demo", kRetro).session;
    CHECK(session.session_name == "Renamed");
    CHECK(session.owner == "AKIABOB");
    CHECK(session.owner_user_id == "bob");
    CHECK_FALSE(session.app_id.has_value());  // an upsert replaces, it does not merge
    CHECK_FALSE(session.sharing.enabled);
    CHECK_FALSE(session.sharing.accept_responses.has_value());
    CHECK(store->counts().sessions == 3);
}

TEST_CASE("store: reloading an instance with another region updates it") {
    auto store = base_store();
    apply(*store, R"({"instances": [{"instanceId": "demo", "region": "eu-central-1",
        "sessions": [{"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "alice",
                      "sharingConfiguration": {"enabled": true}}]}]})");
    CHECK(store->find_session("demo", "00000000-0000-4000-8000-000000000001").session.session_arn ==
          "arn:aws:qapps:eu-central-1:123456789012:application/demo/qapp-session/"
          "00000000-0000-4000-8000-000000000001");
    CHECK(store->counts().instances == 2);
}

// --- list_sessions and counts ------------------------------------------------------------------

TEST_CASE("store: list_sessions orders by instance id then session id") {
    auto store = base_store();
    const auto sessions = store->list_sessions(std::nullopt);
    REQUIRE(sessions.size() == 3);
    CHECK(sessions[0].instance_id == "demo");
    CHECK(sessions[0].session_id == kReview);
    CHECK(sessions[1].instance_id == "demo");
    CHECK(sessions[1].session_id == kRetro);
    CHECK(sessions[2].instance_id == "sales");
    CHECK(sessions[2].session_id == kForecast);
    CHECK(sessions[2].owner_user_id == "carol");
    CHECK(sessions[2].sharing.reveal_cards == true);
}

TEST_CASE("store: list_sessions filters by instance") {
    auto store = base_store();
    const auto sales = store->list_sessions(std::string("sales"));
    REQUIRE(sales.size() == 1);
    CHECK(sales[0].session_id == kForecast);
    CHECK(store->list_sessions(std::string("nowhere")).empty());
}

TEST_CASE("store: counts of an empty store are zero") {
    auto store = SqliteStore::open(":memory:", 0);
    CHECK(same_counts(store->counts(), qapps::StoreCounts{}));
}

// --- databases ---------------------------------------------------------------------------------

TEST_CASE("store: two in-memory stores do not share data") {
    auto first = base_store();
    auto second = SqliteStore::open(":memory:", 1);
    CHECK(second->counts().sessions == 0);
    CHECK(second->find_session("demo", kRetro).status == LookupStatus::instance_not_found);
    CHECK(first->find_session("demo", kRetro).status == LookupStatus::found);
}

TEST_CASE("store: a file database survives reopening") {
    const TempDatabase file("reopen");
    {
        auto store = SqliteStore::open(file.path(), 2);
        apply(*store, kBaseFixture);
    }
    auto reopened = SqliteStore::open(file.path(), 2);
    CHECK(reopened->counts().sessions == 3);
    const auto lookup = reopened->find_session("sales", kForecast);
    REQUIRE(lookup.status == LookupStatus::found);
    CHECK(lookup.session.owner_user_id == "carol");
    CHECK(reopened->find_user_by_access_key("AKIABOB")->user_id == "bob");
}

TEST_CASE("store: a file database is in WAL mode") {
    const TempDatabase file("wal");
    auto store = SqliteStore::open(file.path(), 1);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))) == "wal");
    sqlite3_finalize(statement);
    sqlite3_close(db);
}

TEST_CASE("store: a database of another schema version is refused") {
    const TempDatabase file("version");
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.path().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    CHECK_THROWS_WITH_AS(
        SqliteStore::open(file.path(), 1),
        ("database '" + file.path() + "' has schema version 99, this build understands version 1")
            .c_str(),
        std::runtime_error);
}

TEST_CASE("store: an empty database path is refused") {
    CHECK_THROWS_WITH_AS(SqliteStore::open("", 1), "database path must not be empty",
                         std::runtime_error);
}

TEST_CASE("store: a database that cannot be opened names the path") {
    CHECK_THROWS_WITH_AS(SqliteStore::open("/nonexistent-dir/qapps.db", 1),
                         "cannot open database '/nonexistent-dir/qapps.db': unable to open "
                         "database file",
                         std::runtime_error);
}

// --- snapshot and restore ----------------------------------------------------------------------

TEST_CASE("store: restore_snapshot puts back the content at snapshot time") {
    auto store = base_store();
    store->snapshot();
    apply(*store, R"({"instances": [{"instanceId": "demo", "sessions": [
        {"sessionId": "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab", "sessionName": "Changed",
         "owner": "bob", "sharingConfiguration": {"enabled": false}},
        {"sessionId": "00000000-0000-4000-8000-000000000001", "owner": "alice",
         "sharingConfiguration": {"enabled": true}}]},
        {"instanceId": "later"}]})");
    REQUIRE(store->counts().sessions == 4);

    store->restore_snapshot();
    CHECK(store->counts().instances == 2);
    CHECK(store->counts().sessions == 3);
    // Pooled readers see the restored data, not what they last read.
    CHECK(store->find_session("demo", kRetro).session.session_name == "Team retro");
    CHECK(store->find_session("demo", "00000000-0000-4000-8000-000000000001").status ==
          LookupStatus::session_not_found);
    CHECK(store->find_session("later", kRetro).status == LookupStatus::instance_not_found);
}

TEST_CASE("store: a snapshot can be restored more than once") {
    auto store = base_store();
    store->snapshot();
    for (int round = 0; round < 3; ++round) {
        apply(*store, R"({"instances": [{"instanceId": "later"}]})");
        store->restore_snapshot();
        CHECK(store->counts().instances == 2);
    }
}

TEST_CASE("store: snapshot and restore work on a file database") {
    const TempDatabase file("snapshot");
    auto store = SqliteStore::open(file.path(), 2);
    apply(*store, kBaseFixture);
    CHECK(store->find_session("demo", kRetro).status == LookupStatus::found);  // warms a reader
    store->snapshot();
    apply(*store, R"({"instances": [{"instanceId": "later"}]})");
    CHECK(store->find_session("later", kRetro).status == LookupStatus::session_not_found);

    store->restore_snapshot();
    CHECK(store->find_session("later", kRetro).status == LookupStatus::instance_not_found);
    CHECK(store->counts().instances == 2);
}

TEST_CASE("store: restore_snapshot without a snapshot is a logic error") {
    auto store = base_store();
    CHECK_THROWS_AS(store->restore_snapshot(), std::logic_error);
}

// --- concurrency -------------------------------------------------------------------------------

TEST_CASE("store: 8 threads reading at once all get correct answers") {
    auto store = base_store(/*read_connections=*/2);  // fewer than threads: the pool grows
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&store, &wrong, t] {
            for (int i = 0; i < 500; ++i) {
                switch ((i + t) % 4) {
                    case 0:
                        if (store->find_session("demo", kRetro).session.owner_user_id != "alice")
                            ++wrong;
                        break;
                    case 1:
                        if (store->find_session("sales", kRetro).status !=
                            LookupStatus::session_not_found)
                            ++wrong;
                        break;
                    case 2:
                        if (store->find_session("nowhere", kRetro).status !=
                            LookupStatus::instance_not_found)
                            ++wrong;
                        break;
                    default: {
                        const auto user = store->find_user_by_access_key("AKIACAROL");
                        if (!user || user->user_id != "carol") ++wrong;
                    }
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(wrong.load() == 0);
}

TEST_CASE("store: readers keep getting answers while fixtures are reloaded") {
    auto store = base_store(/*read_connections=*/4);
    store->snapshot();
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::atomic<int> wrong{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&] {
            while (!stop.load()) {
                try {
                    const auto lookup = store->find_session("demo", kRetro);
                    if (lookup.status != LookupStatus::found ||
                        lookup.session.owner_user_id != "alice")
                        ++wrong;
                } catch (const std::exception&) {
                    ++wrong;
                }
                ++reads;
            }
        });
    }
    // Writes arrive as control-plane requests do: one after another, not back to back (an
    // in-memory database makes readers wait out each write). Keep going until the readers
    // have demonstrably read in between.
    for (int round = 0; round < 30 || reads.load() < 1000; ++round) {
        apply(*store, kBaseFixture);
        store->restore_snapshot();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop = true;
    for (auto& thread : readers) thread.join();
    CHECK(wrong.load() == 0);
}

TEST_CASE("store: the shipped demo fixture loads") {
    const auto path = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() /
                      "fixtures" / "demo.json";
    REQUIRE(std::filesystem::exists(path));
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto store = SqliteStore::open(":memory:", 1);
    apply(*store, text.str(), path.string());
    CHECK(store->counts().instances == 2);
    CHECK(store->counts().sessions == 10);
    CHECK(store->find_session("demo-instance", "6e7f8091-a2b3-4c4d-9e5f-60718293a4b5")
              .session.owner_user_id == "sdk-default");
}
