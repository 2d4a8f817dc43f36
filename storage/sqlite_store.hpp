// SqliteStore: the SessionStore kept in SQLite, plus the administrative operations the fixture
// loader and the control plane need.
//
// Threading: every public member may be called from any thread.
//  - Reads (find_session, find_user_by_access_key) take a connection from a small pool; each
//    pooled connection owns its prepared statements, prepared once when the connection opens.
//    The pool's mutex is held only to take or return a connection, never during a query, so
//    concurrent requests read in parallel.
//  - Writes (apply, snapshot, restore) and the control-plane reads (list_sessions, counts) go
//    through one administrative connection, serialized by its own mutex; they are rare
//    control-plane operations.
//
// Databases: ":memory:" is a private in-memory database shared by this store's connections
// (SQLite's memdb VFS under a unique name), gone when the store is destroyed; any other value
// is a file path, opened in WAL mode so readers never wait for a writer, that survives restarts.
// memdb has no WAL: while apply or restore_snapshot is writing, readers wait for it to finish
// (busy timeout 5 s, then std::runtime_error "database is locked") rather than read the state
// before it. Writes take milliseconds, so only back-to-back writes could make that matter.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fixture_document.hpp"
#include "session_store.hpp"

namespace qapps {

struct StoreCounts {
    std::int64_t instances = 0;
    std::int64_t users = 0;
    std::int64_t sessions = 0;
};

class SqliteStore final : public SessionStore {
  public:
    // Opens (creating if needed) the database and its schema. `read_connections` is how many
    // pooled read connections to open up front (one per server thread is right); more are
    // opened on demand if ever needed. Throws std::runtime_error with SQLite's message, or when
    // `path` is empty or a file of another schema version (PRAGMA user_version).
    static std::unique_ptr<SqliteStore> open(const std::string& path, int read_connections);

    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    SessionLookup find_session(std::string_view instance_id, std::string_view session_id) override;
    // A user id may hold its key in several instances; the row of the lowest instance id is
    // returned.
    std::optional<UserRecord> find_user_by_access_key(std::string_view access_key_id) override;

    // Upserts every instance, user and session of `documents`, in order, in one transaction:
    // either all of it lands or none of it does. Resolves each session's `owner` to a user id
    // (a user id or an access key of a user of the same instance, in the documents or already
    // stored) and refuses an access key held by two different user ids. Throws FixtureError
    // naming the document's source and the JSON path; the database is then unchanged.
    void apply(std::span<const FixtureDocument> documents);

    // Sessions ordered by instance id then session id; all, or those of one instance.
    std::vector<SessionRecord> list_sessions(const std::optional<std::string>& instance_id);
    StoreCounts counts();

    // Remembers the whole database content in memory, and later puts it back exactly. The
    // control plane's reset uses this to return to the state right after start-up. A later
    // snapshot() replaces the earlier one; restore_snapshot() without one throws
    // std::logic_error.
    void snapshot();
    void restore_snapshot();

  private:
    struct Impl;
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace qapps
