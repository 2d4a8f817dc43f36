#include "sqlite_handle.hpp"

#include <sqlite3.h>

#include <limits>
#include <stdexcept>

namespace qapps::sqlite {

void check(int rc, sqlite3* db, std::string_view what) {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    // The connection's message is more specific than the code's ("no such table: x" rather
    // than "SQL logic error"), but it is absent when the connection could not be allocated.
    const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw std::runtime_error(std::string(what) + ": " + message);
}

// --- Connection -------------------------------------------------------------------------------

void Connection::Closer::operator()(sqlite3* db) const noexcept {
    // _v2: closing cannot fail because a statement is still alive; the handle is then freed
    // when the last statement is finalized.
    sqlite3_close_v2(db);
}

Connection::Connection(const std::string& filename, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(filename.c_str(), &raw, flags, nullptr);
    // sqlite3_open_v2 hands back a handle even on failure (for the message); own it first so
    // that it is closed whatever happens next.
    db_.reset(raw);
    check(rc, raw, "cannot open database '" + filename + "'");
    check(sqlite3_extended_result_codes(raw, 1), raw, "cannot configure database");
}

void Connection::exec(const char* sql) {
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    // Name the SQL in the error, but not a whole schema script.
    constexpr std::size_t kExcerpt = 60;
    const std::string_view text(sql);
    check(rc, db_.get(),
          "cannot run '" +
              (text.size() <= kExcerpt ? std::string(text)
                                       : std::string(text.substr(0, kExcerpt)) + "...") +
              "'");
}

void Connection::set_busy_timeout(int milliseconds) {
    check(sqlite3_busy_timeout(db_.get(), milliseconds), db_.get(), "cannot set busy timeout");
}

// --- Statement --------------------------------------------------------------------------------

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const noexcept {
    sqlite3_finalize(stmt);
}

Statement::Statement(Connection& connection, std::string_view sql) : db_(connection.get()) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw std::length_error("SQL statement too long");
    sqlite3_stmt* raw = nullptr;
    // PERSISTENT: these statements live as long as their connection, and SQLite places them
    // so as not to fragment its lookaside memory.
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    stmt_.reset(raw);
    check(rc, db_, "cannot prepare '" + std::string(sql) + "'");
}

Statement::Query Statement::query() {
    // reset() reports the error of the previous step again; that one was already thrown to
    // whoever ran it, so it is not this execution's concern.
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
    return {db_, stmt_.get()};
}

// --- Statement::Query -------------------------------------------------------------------------

Statement::Query::~Query() {
    sqlite3_reset(stmt_);
}

Statement::Query& Statement::Query::bind(int index, std::string_view text) {
    if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw std::length_error("SQL parameter too long");
    check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                            SQLITE_TRANSIENT),
          db_, "cannot bind parameter");
    return *this;
}

Statement::Query& Statement::Query::bind(int index, const std::optional<std::string>& text) {
    if (text) return bind(index, std::string_view(*text));
    check(sqlite3_bind_null(stmt_, index), db_, "cannot bind parameter");
    return *this;
}

Statement::Query& Statement::Query::bind(int index, std::int64_t number) {
    check(sqlite3_bind_int64(stmt_, index, number), db_, "cannot bind parameter");
    return *this;
}

Statement::Query& Statement::Query::bind(int index, bool flag) {
    return bind(index, std::int64_t{flag ? 1 : 0});
}

Statement::Query& Statement::Query::bind(int index, std::optional<bool> flag) {
    if (flag) return bind(index, *flag);
    check(sqlite3_bind_null(stmt_, index), db_, "cannot bind parameter");
    return *this;
}

bool Statement::Query::next() {
    const int rc = sqlite3_step(stmt_);
    check(rc, db_, "cannot run statement");
    return rc == SQLITE_ROW;
}

void Statement::Query::run() {
    while (next()) {
    }
}

bool Statement::Query::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::Query::text(int column) const {
    // Read the pointer before the length: sqlite3_column_bytes after sqlite3_column_text is
    // the documented safe order (the text conversion may change the length).
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr) return {};
    return {data, static_cast<std::size_t>(size)};
}

std::optional<std::string> Statement::Query::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

std::int64_t Statement::Query::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

bool Statement::Query::boolean(int column) const {
    return int64(column) != 0;
}

std::optional<bool> Statement::Query::optional_boolean(int column) const {
    if (is_null(column)) return std::nullopt;
    return boolean(column);
}

// --- Transaction ------------------------------------------------------------------------------

Transaction::Transaction(Connection& connection, TransactionMode mode) : connection_(connection) {
    // IMMEDIATE takes the write lock up front, so a write transaction cannot fail half-way
    // with SQLITE_BUSY when it upgrades from reading to writing.
    connection_.exec(mode == TransactionMode::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (done_) return;
    // Destructors must not throw; a failed rollback leaves nothing better to do, and SQLite
    // rolls back an open transaction itself when the connection closes.
    sqlite3_exec(connection_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    connection_.exec("COMMIT");
    done_ = true;
}

// --- copy_database ----------------------------------------------------------------------------

void copy_database(Connection& source, Connection& destination) {
    sqlite3_backup* backup = sqlite3_backup_init(destination.get(), "main", source.get(), "main");
    if (backup == nullptr)
        check(sqlite3_errcode(destination.get()), destination.get(), "cannot start database copy");

    // The destination's busy handler already waits for the destination's readers. BUSY or
    // LOCKED still come back when the source is locked (another process writing the same file),
    // so retry for a while before giving up.
    constexpr int kAttempts = 100;
    constexpr int kPauseMs = 50;
    int step_rc = SQLITE_OK;
    for (int attempt = 1;; ++attempt) {
        step_rc = sqlite3_backup_step(backup, -1);  // -1: everything in one step
        if ((step_rc != SQLITE_BUSY && step_rc != SQLITE_LOCKED) || attempt == kAttempts) break;
        sqlite3_sleep(kPauseMs);
    }
    // finish() reports lasting errors (I/O, out of memory) with the destination's message; a
    // step that merely stayed busy is reported from its code.
    check(sqlite3_backup_finish(backup), destination.get(), "cannot copy database");
    check(step_rc, nullptr, "cannot copy database");
}

}  // namespace qapps::sqlite
