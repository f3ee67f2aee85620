#pragma once

#include "core/cancellation.h"
#include "core/connectionsettings.h"
#include "db/dberror.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>
#include <QVariantMap>

#include <functional>
#include <memory>
#include <mutex>

namespace rollup {

// Cancels the statement a Connection is running, on the server (libpq's PQcancel).
// cancel() may be called from any thread, any number of times, also after the connection
// is gone (then it does nothing).
class StatementCanceller : public Interruptible
{
public:
    ~StatementCanceller() override;
    void cancel() override;

private:
    friend class Connection;
    void attach(void *pgCancel);
    void detach();
    std::mutex m_mutex;
    void *m_cancel = nullptr; // PGcancel*
};

// One PostgreSQL session, opened in and owned by the calling thread (a unique QSqlDatabase
// connection name per instance). Never share across threads; destroy it in the thread that
// opened it. Every statement goes through run()/prepare() with bound values.
class Connection
{
    Q_DECLARE_TR_FUNCTIONS(Connection)

public:
    // Throws DbError with libpq's own one-line message when the server cannot be reached, and
    // SessionProbe's one-line error (SessionProbe::isPoolingError) when the connection goes
    // through a pool that does not keep one server session per connection (PgBouncer in
    // transaction or statement mode): then nothing has been read or written.
    // With `cancel`, the connection is attached to the token for its lifetime: cancelling the
    // token cancels the statement in flight here, on the server.
    // Every session sets application_name (Identity), lock_timeout, statement_timeout and
    // idle_in_transaction_session_timeout from the settings.
    explicit Connection(const ConnectionSettings &settings, std::shared_ptr<CancelToken> cancel = {});
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    QSqlDatabase db() const;
    const ConnectionSettings &settings() const { return m_settings; }
    int backendPid() const { return m_backendPid; }
    QString serverVersion() const { return m_serverVersion; }
    QString sslDescription() const { return m_ssl; }
    std::shared_ptr<StatementCanceller> canceller() const { return m_canceller; }
    // The server sees this very TCP connection (no proxy or pool in between). Otherwise
    // SessionProbe checked the session on open, and begin() checks the backend pid again in
    // every transaction.
    bool direct() const { return m_direct; }
    // A pool or proxy answers for the server: the cancel key it gave is not the server
    // session's (PgBouncer hands out keys of its own). Only a pool that keeps one server session
    // per connection gets this far.
    bool throughProxy() const { return m_throughProxy; }

    // Prepare, bind positional values, execute; throws DbError (with `context`) on failure.
    QSqlQuery run(const QString &sql, const QVariantList &values = {}, const QString &context = {});
    // Same with Qt named placeholders (":name" -> value); a name may occur several times.
    QSqlQuery runNamed(const QString &sql, const QVariantMap &values, const QString &context = {});
    // Execute an already prepared query with new values.
    static void exec(QSqlQuery &query, const QVariantList &values, const QString &context = {});
    // A statement prepared once on this connection, for run(QSqlQuery &, ...) again and again
    // with new values: planned and parsed once for the server's plan cache, not per execution.
    QSqlQuery prepare(const QString &sql, const QString &context = {});
    // Like run(sql, values): observed, cancellable, errors thrown.
    void run(QSqlQuery &prepared, const QVariantList &values, const QString &context = {});
    // A plain statement with no values (multi-statement scripts such as the schema).
    void runScript(const QString &sql, const QString &context = {});
    // One statement with no values over the simple query protocol, its rows to read: no
    // prepared statement, so it is safe before SessionProbe has vouched for the session.
    QSqlQuery runSimple(const QString &sql, const QString &context = {});

    // Through a proxy (not direct()), also checks that the transaction runs in the connection's
    // own server session; throws SessionProbe's error (after rolling back) when it does not.
    void begin();
    void commit();
    void rollback() noexcept;

    // Every statement run through run()/runNamed()/runScript() on any connection is passed to
    // the observer first, with its values (for tests that check plans with EXPLAIN). Any thread;
    // the observer is called in the thread running the statement. Empty: none.
    using Observer
        = std::function<void(int backendPid, const QString &sql, const QVariantList &values, const QVariantMap &named)>;
    static void setObserver(Observer observer);

private:
    ConnectionSettings m_settings;
    QString m_name;
    int m_backendPid = 0;
    bool m_direct = false;
    bool m_throughProxy = false;
    QString m_serverVersion;
    QString m_ssl;
    std::shared_ptr<StatementCanceller> m_canceller;
    std::shared_ptr<CancelToken> m_cancel;
    bool m_inTransaction = false;
    // A failed statement aborts the transaction: roll back before its prepared statement is
    // deallocated (which the server refuses inside an aborted transaction).
    void abortTransaction() noexcept;
    // The error of a failed statement; one that says what happened when the driver gives no text.
    DbError failure(const QSqlError &error, const QString &context) const;
    // With a token: throws DbError 57014 (after rolling back) once it is cancelled, before any
    // statement, BEGIN or COMMIT — a cancel between two statements is not lost.
    void throwIfCancelled();
};

// PostgreSQL array literals for binding as one text value: '{a,b}' cast in SQL (?::date[]).
QString pgArray(const QStringList &items); // quotes and escapes every element

} // namespace rollup
