#include "sqlite_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "fixture_error.hpp"
#include "sqlite_handle.hpp"

namespace qapps {
namespace {

using sqlite::Connection;
using sqlite::Statement;

// Bumped whenever the tables below change shape; a file written by another version is refused
// rather than misread.
constexpr std::int64_t kSchemaVersion = 1;

// Long enough to ride out a fixture load or a reset on the other side; short enough that a
// stuck writer surfaces as an error instead of a hung request.
constexpr int kBusyTimeoutMs = 5000;

// WITHOUT ROWID: every table is looked up by its text primary key only, so storing the rows
// in the key's b-tree saves the second lookup a rowid table would need.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS instances (
    instance_id TEXT NOT NULL PRIMARY KEY,
    account_id  TEXT NOT NULL,
    region      TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS users (
    instance_id       TEXT NOT NULL REFERENCES instances (instance_id),
    user_id           TEXT NOT NULL,
    access_key_id     TEXT NOT NULL,
    secret_access_key TEXT NOT NULL,
    PRIMARY KEY (instance_id, user_id)
) WITHOUT ROWID;

-- Every authenticated request looks its caller up by access key.
CREATE INDEX IF NOT EXISTS users_by_access_key ON users (access_key_id);

CREATE TABLE IF NOT EXISTS sessions (
    instance_id      TEXT NOT NULL REFERENCES instances (instance_id),
    session_id       TEXT NOT NULL,
    session_arn      TEXT NOT NULL,
    session_name     TEXT,
    owner            TEXT NOT NULL,
    owner_user_id    TEXT NOT NULL,
    app_id           TEXT,
    sharing_enabled  INTEGER NOT NULL CHECK (sharing_enabled IN (0, 1)),
    accept_responses INTEGER CHECK (accept_responses IN (0, 1)),
    reveal_cards     INTEGER CHECK (reveal_cards IN (0, 1)),
    PRIMARY KEY (instance_id, session_id)
) WITHOUT ROWID;

PRAGMA user_version = 1; -- kSchemaVersion
)sql";

// One round trip answers all three outcomes: no row means no such instance, a row whose
// session columns are NULL means the instance exists but not this session under it.
constexpr const char* kFindSession =
    "SELECT i.instance_id, s.session_id, s.session_arn, s.session_name, s.owner, "
    "s.owner_user_id, s.app_id, s.sharing_enabled, s.accept_responses, s.reveal_cards "
    "FROM instances AS i "
    "LEFT JOIN sessions AS s ON s.instance_id = i.instance_id AND s.session_id = ?2 "
    "WHERE i.instance_id = ?1";

// The loader keeps one user id per key, but the same user may hold the same key in several
// instances: ordering makes the answer the same on every call.
constexpr const char* kFindUserByAccessKey =
    "SELECT instance_id, user_id, access_key_id, secret_access_key FROM users "
    "WHERE access_key_id = ?1 ORDER BY instance_id LIMIT 1";

constexpr const char* kUpsertInstance =
    "INSERT INTO instances (instance_id, account_id, region) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (instance_id) DO UPDATE SET "
    "account_id = excluded.account_id, region = excluded.region";

constexpr const char* kUpsertUser =
    "INSERT INTO users (instance_id, user_id, access_key_id, secret_access_key) "
    "VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (instance_id, user_id) DO UPDATE SET "
    "access_key_id = excluded.access_key_id, secret_access_key = excluded.secret_access_key";

// A key identifies one caller: another user id holding it, in any instance, is a conflict,
// while the same user id holding it in another instance is the same caller.
constexpr const char* kOtherHolderOfKey =
    "SELECT user_id FROM users WHERE access_key_id = ?1 AND user_id <> ?2 "
    "ORDER BY instance_id, user_id LIMIT 1";

// A user id match wins over an access key match, should one user's id be another's key.
constexpr const char* kResolveOwner =
    "SELECT user_id FROM users WHERE instance_id = ?1 AND (user_id = ?2 OR access_key_id = ?2) "
    "ORDER BY user_id = ?2 DESC LIMIT 1";

constexpr const char* kUpsertSession =
    "INSERT INTO sessions (instance_id, session_id, session_arn, session_name, owner, "
    "owner_user_id, app_id, sharing_enabled, accept_responses, reveal_cards) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (instance_id, session_id) DO UPDATE SET "
    "session_arn = excluded.session_arn, session_name = excluded.session_name, "
    "owner = excluded.owner, owner_user_id = excluded.owner_user_id, app_id = excluded.app_id, "
    "sharing_enabled = excluded.sharing_enabled, accept_responses = excluded.accept_responses, "
    "reveal_cards = excluded.reveal_cards";

// Both list queries, like kFindSession, lay their columns out as read_session() reads them.
constexpr const char* kListSessions =
    "SELECT instance_id, session_id, session_arn, session_name, owner, owner_user_id, app_id, "
    "sharing_enabled, accept_responses, reveal_cards "
    "FROM sessions ORDER BY instance_id, session_id";

constexpr const char* kListSessionsOfInstance =
    "SELECT instance_id, session_id, session_arn, session_name, owner, owner_user_id, app_id, "
    "sharing_enabled, accept_responses, reveal_cards "
    "FROM sessions WHERE instance_id = ?1 ORDER BY session_id";

constexpr const char* kCounts =
    "SELECT (SELECT count(*) FROM instances), (SELECT count(*) FROM users), "
    "(SELECT count(*) FROM sessions)";

// Reads a session row laid out as kFindSession, kListSessions and kListSessionsOfInstance
// select it: instance_id, then the session columns in table order.
SessionRecord read_session(const Statement::Query& row) {
    SessionRecord session;
    session.instance_id = row.text(0);
    session.session_id = row.text(1);
    session.session_arn = row.text(2);
    session.session_name = row.optional_text(3);
    session.owner = row.text(4);
    session.owner_user_id = row.text(5);
    session.app_id = row.optional_text(6);
    session.sharing.enabled = row.boolean(7);
    session.sharing.accept_responses = row.optional_boolean(8);
    session.sharing.reveal_cards = row.optional_boolean(9);
    return session;
}

// Where the database lives and how every connection to it is opened.
struct Location {
    std::string filename;  // a plain path, or a memdb URI
    int flags = 0;
    bool in_memory = false;
};

Location locate(const std::string& path, const void* owner) {
    // NOMUTEX: SQLite's own per-connection mutex is redundant, a connection is only ever used
    // by the one thread that holds it (pool lease or admin mutex).
    constexpr int kBaseFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    // SQLite would give every connection its own temporary database for "", so the pool's
    // readers would never see what the loader wrote.
    if (path.empty()) throw std::runtime_error("database path must not be empty");
    if (path != ":memory:") return {path, kBaseFlags, false};

    // A plain ":memory:" database is private to one connection; the memdb VFS shares one
    // among every connection that opens the same name starting with '/'. The name must be
    // unique to this store among the live stores of the process: the store's own address is,
    // since the database disappears with its last connection, which the store owns. The pid
    // only makes the name read well in diagnostics.
    std::ostringstream uri;
    uri << "file:/qapps-" << ::getpid() << '-' << owner << "?vfs=memdb";
    return {uri.str(), kBaseFlags | SQLITE_OPEN_URI, true};
}

Connection open_connection(const Location& location) {
    Connection db(location.filename, location.flags);
    // memdb has no WAL, so readers and the writer take turns on locks: wait rather than fail.
    // In WAL mode this still covers the rare checkpoint or another process's write.
    db.set_busy_timeout(kBusyTimeoutMs);
    // Per connection. In WAL mode NORMAL is durable against application crashes, and loses at
    // most the last transactions on power loss: right for an emulator, and much faster.
    if (!location.in_memory) db.exec("PRAGMA synchronous = NORMAL");
    return db;
}

// A pooled read connection and the statements prepared on it, used by one thread at a time.
struct ReadConnection {
    explicit ReadConnection(const Location& location)
        : db(open_connection(location)),
          find_session(db, kFindSession),
          find_user_by_access_key(db, kFindUserByAccessKey) {
        // Readers never write; saying so turns a mistake into an error instead of a lock.
        db.exec("PRAGMA query_only = ON");
    }

    Connection db;
    Statement find_session;
    Statement find_user_by_access_key;
};

// Creates the schema if the database is new, and refuses one written by another version.
void ensure_schema(Connection& db, const std::string& path) {
    sqlite::Transaction transaction(db, sqlite::TransactionMode::immediate);
    std::int64_t version = 0;
    {
        Statement read_version(db, "PRAGMA user_version");
        auto row = read_version.query();
        if (row.next()) version = row.int64(0);
    }
    if (version == 0) {
        db.exec(kSchema);
    } else if (version != kSchemaVersion) {
        throw std::runtime_error("database '" + path + "' has schema version " +
                                 std::to_string(version) + ", this build understands version " +
                                 std::to_string(kSchemaVersion));
    }
    transaction.commit();
}

// The connection for writes and control-plane reads, guarded by SqliteStore::Impl::admin_mutex.
struct AdminConnection {
    AdminConnection(const Location& location, const std::string& path)
        : db(prepare_database(location, path)),
          upsert_instance(db, kUpsertInstance),
          upsert_user(db, kUpsertUser),
          other_holder_of_key(db, kOtherHolderOfKey),
          resolve_owner(db, kResolveOwner),
          upsert_session(db, kUpsertSession),
          list_sessions(db, kListSessions),
          list_sessions_of_instance(db, kListSessionsOfInstance),
          counts(db, kCounts) {}

    // The schema must exist before any statement that names its tables can be prepared.
    static Connection prepare_database(const Location& location, const std::string& path) {
        Connection db = open_connection(location);
        // Stored in the file, so it is set once here for every later connection; WAL lets the
        // readers go on reading while a fixture load writes.
        if (!location.in_memory) db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA foreign_keys = ON");
        ensure_schema(db, path);
        return db;
    }

    Connection db;
    Statement upsert_instance;
    Statement upsert_user;
    Statement other_holder_of_key;
    Statement resolve_owner;
    Statement upsert_session;
    Statement list_sessions;
    Statement list_sessions_of_instance;
    Statement counts;
};

void upsert_users(AdminConnection& admin, const FixtureDocument& document,
                  const FixtureInstance& instance) {
    for (const FixtureUser& fixture_user : instance.users) {
        const UserRecord& user = fixture_user.user;
        {
            auto holder = admin.other_holder_of_key.query();
            holder.bind(1, user.access_key_id).bind(2, user.user_id);
            if (holder.next()) {
                throw FixtureError(document.source, fixture_user.path + ".accessKeyId",
                                   "access key id '" + user.access_key_id +
                                       "' already belongs to user '" + holder.text(0) + "'");
            }
        }
        auto upsert = admin.upsert_user.query();
        upsert.bind(1, user.instance_id)
            .bind(2, user.user_id)
            .bind(3, user.access_key_id)
            .bind(4, user.secret_access_key);
        upsert.run();
    }
}

void upsert_sessions(AdminConnection& admin, const FixtureDocument& document,
                     const FixtureInstance& instance) {
    for (const FixtureSession& fixture_session : instance.sessions) {
        const SessionRecord& session = fixture_session.session;
        std::string owner_user_id;
        {
            auto owner = admin.resolve_owner.query();
            owner.bind(1, session.instance_id).bind(2, session.owner);
            if (!owner.next()) {
                throw FixtureError(document.source, fixture_session.path + ".owner",
                                   "owner '" + session.owner +
                                       "' is neither a user id nor an access key id of a user "
                                       "of instance '" +
                                       session.instance_id + "'");
            }
            owner_user_id = owner.text(0);
        }
        auto upsert = admin.upsert_session.query();
        upsert.bind(1, session.instance_id)
            .bind(2, session.session_id)
            .bind(3, session.session_arn)
            .bind(4, session.session_name)
            .bind(5, session.owner)
            .bind(6, owner_user_id)
            .bind(7, session.app_id)
            .bind(8, session.sharing.enabled)
            .bind(9, session.sharing.accept_responses)
            .bind(10, session.sharing.reveal_cards);
        upsert.run();
    }
}

}  // namespace

struct SqliteStore::Impl {
    Impl(const std::string& path, int read_connections)
        : location(locate(path, this)), admin(location, path) {
        const auto count = static_cast<std::size_t>(std::max(read_connections, 0));
        readers.reserve(count);
        idle.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            readers.push_back(std::make_unique<ReadConnection>(location));
            idle.push_back(readers.back().get());
        }
    }

    // Gives a pooled read connection back when the read is over, even if it threw.
    class Lease {
      public:
        Lease(Impl& impl, ReadConnection& connection) : impl_(impl), connection_(connection) {}
        ~Lease() {
            std::lock_guard lock(impl_.pool_mutex);
            // Cannot throw: `idle` has room for every connection in `readers`.
            impl_.idle.push_back(&connection_);
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        ReadConnection* operator->() const { return &connection_; }

      private:
        Impl& impl_;
        ReadConnection& connection_;
    };

    Lease lease_reader() {
        {
            std::lock_guard lock(pool_mutex);
            if (!idle.empty()) {
                ReadConnection* connection = idle.back();
                idle.pop_back();
                return {*this, *connection};
            }
        }
        // Every pooled connection is busy: open one more and keep it. Opening reads the schema
        // and prepares statements, so it happens outside the lock.
        auto fresh = std::make_unique<ReadConnection>(location);
        std::lock_guard lock(pool_mutex);
        idle.reserve(readers.size() + 1);
        readers.push_back(std::move(fresh));
        return {*this, *readers.back()};
    }

    const Location location;

    std::mutex admin_mutex;
    AdminConnection admin;               // guarded by admin_mutex
    std::optional<Connection> snapshot;  // guarded by admin_mutex; a private :memory: copy

    std::mutex pool_mutex;
    std::vector<std::unique_ptr<ReadConnection>> readers;  // guarded by pool_mutex
    std::vector<ReadConnection*> idle;                     // guarded by pool_mutex
};

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path, int read_connections) {
    return std::unique_ptr<SqliteStore>(
        new SqliteStore(std::make_unique<Impl>(path, read_connections)));
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() = default;

SessionLookup SqliteStore::find_session(std::string_view instance_id, std::string_view session_id) {
    // Declared before the query so that the statement is reset before the connection goes
    // back to the pool.
    Impl::Lease reader = impl_->lease_reader();
    auto row = reader->find_session.query();
    row.bind(1, instance_id).bind(2, session_id);

    SessionLookup lookup;
    if (!row.next()) {
        lookup.status = LookupStatus::instance_not_found;
    } else if (row.is_null(1)) {
        lookup.status = LookupStatus::session_not_found;
    } else {
        lookup.status = LookupStatus::found;
        lookup.session = read_session(row);
    }
    return lookup;
}

std::optional<UserRecord> SqliteStore::find_user_by_access_key(std::string_view access_key_id) {
    Impl::Lease reader = impl_->lease_reader();
    auto row = reader->find_user_by_access_key.query();
    row.bind(1, access_key_id);
    if (!row.next()) return std::nullopt;
    return UserRecord{row.text(0), row.text(1), row.text(2), row.text(3)};
}

void SqliteStore::apply(std::span<const FixtureDocument> documents) {
    std::lock_guard lock(impl_->admin_mutex);
    AdminConnection& admin = impl_->admin;
    sqlite::Transaction transaction(admin.db, sqlite::TransactionMode::immediate);

    for (const FixtureDocument& document : documents) {
        // Instances first, then users, then sessions: a session's owner may be a user declared
        // in any instance entry of this document, and users need their instance row.
        for (const FixtureInstance& instance : document.instances) {
            auto upsert = admin.upsert_instance.query();
            upsert.bind(1, instance.instance.instance_id)
                .bind(2, instance.instance.account_id)
                .bind(3, instance.instance.region);
            upsert.run();
        }
        for (const FixtureInstance& instance : document.instances)
            upsert_users(admin, document, instance);
        for (const FixtureInstance& instance : document.instances)
            upsert_sessions(admin, document, instance);
    }
    transaction.commit();
}

std::vector<SessionRecord> SqliteStore::list_sessions(
    const std::optional<std::string>& instance_id) {
    std::lock_guard lock(impl_->admin_mutex);
    AdminConnection& admin = impl_->admin;
    auto rows = instance_id ? admin.list_sessions_of_instance.query() : admin.list_sessions.query();
    if (instance_id) rows.bind(1, *instance_id);

    std::vector<SessionRecord> sessions;
    while (rows.next()) sessions.push_back(read_session(rows));
    return sessions;
}

StoreCounts SqliteStore::counts() {
    std::lock_guard lock(impl_->admin_mutex);
    auto row = impl_->admin.counts.query();
    StoreCounts counts;
    if (row.next()) {
        counts.instances = row.int64(0);
        counts.users = row.int64(1);
        counts.sessions = row.int64(2);
    }
    return counts;
}

void SqliteStore::snapshot() {
    std::lock_guard lock(impl_->admin_mutex);
    // A private, plain in-memory database: nobody else can see or change the copy.
    Connection copy(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    sqlite::copy_database(impl_->admin.db, copy);
    impl_->snapshot = std::move(copy);
}

void SqliteStore::restore_snapshot() {
    std::lock_guard lock(impl_->admin_mutex);
    if (!impl_->snapshot) throw std::logic_error("restore_snapshot: no snapshot was taken");
    // The copy bumps the database's change counter and schema cookie, so pooled readers notice
    // on their next statement and read the restored pages; their prepared statements are
    // re-prepared by SQLite automatically.
    sqlite::copy_database(*impl_->snapshot, impl_->admin.db);
}

}  // namespace qapps
