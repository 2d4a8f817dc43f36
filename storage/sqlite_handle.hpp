// A thin RAII layer over the sqlite3 C API, in the manner of SQLiteCpp, private to the storage
// library.
//
//  - Connection owns a sqlite3*; Statement owns a sqlite3_stmt* prepared once on a connection;
//    Transaction rolls back in its destructor unless commit() was called.
//  - Every SQLite return code goes through check(), which throws std::runtime_error carrying
//    sqlite3_errmsg; callers never look at return codes themselves.
//  - Values only ever reach SQL through bind(): no SQL text is built from data.
//
// Threading: none of these types is thread-safe. A Connection (opened with SQLITE_OPEN_NOMUTEX)
// and every Statement prepared on it must be used by one thread at a time; SqliteStore
// guarantees that by leasing whole connections, statements included, to one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace qapps::sqlite {

// Throws std::runtime_error("<what>: <sqlite3_errmsg(db)>") unless `rc` is SQLITE_OK,
// SQLITE_ROW or SQLITE_DONE. `db` may be null when the connection itself could not be made.
void check(int rc, sqlite3* db, std::string_view what);

class Connection {
  public:
    // `flags` are sqlite3_open_v2's (SQLITE_OPEN_*). Throws on failure.
    Connection(const std::string& filename, int flags);

    sqlite3* get() const noexcept { return db_.get(); }

    // Runs SQL that takes no values (schema, pragmas, BEGIN/COMMIT); may hold several statements.
    void exec(const char* sql);
    void set_busy_timeout(int milliseconds);

  private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };
    std::unique_ptr<sqlite3, Closer> db_;
};

class Statement {
  public:
    class Query;

    // Prepares `sql` (one statement) on `connection`, which must outlive the Statement.
    Statement(Connection& connection, std::string_view sql);

    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;

    // Starts a fresh execution: resets the statement and clears earlier bindings.
    [[nodiscard]] Query query();

  private:
    struct Finalizer {
        void operator()(sqlite3_stmt* stmt) const noexcept;
    };
    sqlite3* db_;  // for error messages; owned by the Connection
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// One execution of a Statement: bind parameters, then step through rows. Resets the statement
// when destroyed, because a statement left on a row keeps its read transaction open, which
// would pin a stale snapshot and hold locks that stall writers.
class Statement::Query {
  public:
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    ~Query();

    // Parameters are 1-based, as in SQL's ?1, ?2. Text is copied by SQLite, so temporaries
    // are fine.
    Query& bind(int index, std::string_view text);
    // Spelled out so that a string picks the text overload rather than being ambiguous with
    // the optional one, and a literal does not decay to bool.
    Query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Query& bind(int index, const std::optional<std::string>& text);  // nullopt binds NULL
    Query& bind(int index, std::int64_t number);
    Query& bind(int index, bool flag);
    Query& bind(int index, std::optional<bool> flag);  // nullopt binds NULL

    // Advances to the next row: true on a row, false when done.
    bool next();
    // Runs a statement that returns no rows to completion.
    void run();

    // Columns are 0-based, as in sqlite3_column_*.
    bool is_null(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::int64_t int64(int column) const;
    bool boolean(int column) const;
    std::optional<bool> optional_boolean(int column) const;

  private:
    friend class Statement;
    Query(sqlite3* db, sqlite3_stmt* stmt) noexcept : db_(db), stmt_(stmt) {}

    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

enum class TransactionMode { deferred, immediate };

// Rolls back in its destructor unless commit() succeeded, so that an exception anywhere in a
// multi-statement write leaves the database as it was.
class Transaction {
  public:
    Transaction(Connection& connection, TransactionMode mode);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

  private:
    Connection& connection_;
    bool done_ = false;
};

// Replaces the whole content of `destination`'s main database with `source`'s (the
// sqlite3_backup API, in one step). Neither connection may have a transaction open. Waits, up
// to the destination's busy timeout, for readers of the destination to let go.
void copy_database(Connection& source, Connection& destination);

}  // namespace qapps::sqlite
