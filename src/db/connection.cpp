#include "db/connection.h"

#include "db/dberror.h"
#include "db/sessionprobe.h"

#include <QAtomicInteger>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace rollup {

StatementCanceller::~StatementCanceller()
{
    detach();
}

void StatementCanceller::attach(void *pgCancel)
{
    std::lock_guard lock(m_mutex);
    m_cancel = pgCancel;
}

void StatementCanceller::detach()
{
    std::lock_guard lock(m_mutex);
    if (m_cancel)
        PQfreeCancel(static_cast<PGcancel *>(m_cancel));
    m_cancel = nullptr;
}

void StatementCanceller::cancel()
{
    std::lock_guard lock(m_mutex);
    if (!m_cancel)
        return;
    char buf[256];
    PQcancel(static_cast<PGcancel *>(m_cancel), buf, sizeof buf);
}

namespace {
std::mutex observerMutex;
Connection::Observer observer;

void observe(int pid, const QString &sql, const QVariantList &values, const QVariantMap &named)
{
    Connection::Observer copy;
    {
        std::lock_guard lock(observerMutex);
        copy = observer;
    }
    if (copy)
        copy(pid, sql, values, named);
}

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("rollup-%1").arg(counter.fetchAndAddRelaxed(1));
}

PGconn *pgconn(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (handle.isValid() && (qstrcmp(handle.typeName(), "PGconn*") == 0 || qstrcmp(handle.typeName(), "pg_conn*") == 0))
        return *static_cast<PGconn *const *>(handle.constData());
    return nullptr;
}

// A TCP end as 16 bytes (IPv4 as IPv4-mapped IPv6) and a port; empty when not TCP.
struct Endpoint
{
    QByteArray address;
    int port = 0;
    bool valid() const { return address.size() == 16 && port > 0; }
    bool operator==(const Endpoint &o) const { return valid() && address == o.address && port == o.port; }
};

Endpoint endpoint(const sockaddr_storage &sa)
{
    Endpoint e;
    if (sa.ss_family == AF_INET) {
        const auto *in = reinterpret_cast<const sockaddr_in *>(&sa);
        e.address = QByteArray(10, '\0') + QByteArray(2, '\xff') + QByteArray(reinterpret_cast<const char *>(&in->sin_addr), 4);
        e.port = ntohs(in->sin_port);
    } else if (sa.ss_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(&sa);
        e.address = QByteArray(reinterpret_cast<const char *>(&in6->sin6_addr), 16);
        e.port = ntohs(in6->sin6_port);
    }
    return e;
}

Endpoint endpoint(const QString &text, int port)
{
    Endpoint e;
    const QByteArray a = text.toLatin1();
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, a.constData(), &v4) == 1)
        e.address = QByteArray(10, '\0') + QByteArray(2, '\xff') + QByteArray(reinterpret_cast<const char *>(&v4), 4);
    else if (inet_pton(AF_INET6, a.constData(), &v6) == 1)
        e.address = QByteArray(reinterpret_cast<const char *>(&v6), 16);
    e.port = port;
    return e;
}

// Whether the server's view of its client and of itself is exactly this socket's two ends:
// then the server talks to this very TCP connection, with nothing in between.
bool sameTcpConnection(PGconn *conn, const QSqlQuery &q)
{
    if (!conn || q.value(2).isNull() || q.value(4).isNull())
        return false;
    const int fd = PQsocket(conn);
    sockaddr_storage local{}, peer{};
    socklen_t localLength = sizeof local, peerLength = sizeof peer;
    if (fd < 0 || ::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &localLength) != 0
        || ::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peerLength) != 0)
        return false;
    return endpoint(local) == endpoint(q.value(2).toString(), q.value(3).toInt())
           && endpoint(peer) == endpoint(q.value(4).toString(), q.value(5).toInt());
}
} // namespace

Connection::Connection(const ConnectionSettings &settings, std::shared_ptr<CancelToken> cancel)
    : m_settings(settings), m_name(nextConnectionName()), m_canceller(std::make_shared<StatementCanceller>()),
      m_cancel(std::move(cancel))
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        if (!db.isValid()) {
            QSqlDatabase::removeDatabase(m_name);
            throw DbError(tr("the Qt PostgreSQL driver (QPSQL, package libqt6sql6-psql) is not available"));
        }
        db.setHostName(settings.host);
        if (settings.port)
            db.setPort(settings.port);
        db.setDatabaseName(settings.database);
        db.setUserName(settings.user);
        db.setPassword(settings.password);
        db.setConnectOptions(settings.driverOptions());
        if (!db.open()) {
            const DbError err = DbError::fromSql(db.lastError(), tr("cannot connect to %1").arg(settings.toDisplayString()));
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_name);
            throw err;
        }
        if (PGconn *conn = pgconn(db)) {
            m_canceller->attach(PQgetCancel(conn));
            m_ssl = PQsslInUse(conn) ? tr("TLS %1").arg(QString::fromLatin1(PQsslAttribute(conn, "protocol"))) : tr("no TLS");
        }
    }
    if (m_cancel)
        m_cancel->attach(m_canceller);
    try {
        // Nothing prepared until the session is known to be one server session (SessionProbe):
        // a transaction pool loses Qt's named prepared statements between transactions. The
        // session setting carries the pid into later transactions for the probe.
        {
            QSqlQuery q = runSimple(
                QStringLiteral("SELECT pg_backend_pid(), current_setting('server_version'), host(inet_client_addr()), "
                               "inet_client_port(), host(inet_server_addr()), inet_server_port(), "
                               "set_config('rollup_console.session', pg_backend_pid()::text, false)"));
            q.next();
            m_backendPid = q.value(0).toInt();
            m_serverVersion = q.value(1).toString();
            m_direct = sameTcpConnection(pgconn(db()), q);
            if (PGconn *conn = pgconn(db()); conn && !m_direct)
                m_throughProxy = PQbackendPID(conn) != m_backendPid;
        }
        if (!m_direct)
            SessionProbe::requireOneSession(*this);
        if (settings.idleInTransactionTimeoutMs > 0)
            run(QStringLiteral("SELECT set_config('idle_in_transaction_session_timeout', ?, false)"),
                {QStringLiteral("%1ms").arg(settings.idleInTransactionTimeoutMs)});
        if (settings.readOnly)
            run(QStringLiteral("SELECT set_config('default_transaction_read_only', 'on', false)"));
        if (settings.lockTimeoutMs > 0)
            run(QStringLiteral("SELECT set_config('lock_timeout', ?, false)"),
                {QStringLiteral("%1ms").arg(settings.lockTimeoutMs)});
        if (settings.statementTimeoutMs > 0)
            run(QStringLiteral("SELECT set_config('statement_timeout', ?, false)"),
                {QStringLiteral("%1ms").arg(settings.statementTimeoutMs)});
    } catch (...) {
        if (m_cancel)
            m_cancel->detach(m_canceller);
        m_canceller->detach();
        QSqlDatabase::removeDatabase(m_name);
        throw;
    }
}

Connection::~Connection()
{
    if (m_cancel)
        m_cancel->detach(m_canceller);
    m_canceller->detach();
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase Connection::db() const
{
    return QSqlDatabase::database(m_name, false);
}

void Connection::setObserver(Observer o)
{
    std::lock_guard lock(observerMutex);
    observer = std::move(o);
}

DbError Connection::failure(const QSqlError &error, const QString &context) const
{
    DbError e = DbError::fromSql(error, context);
    // Qt's driver names its prepared statements qpsqlpstmt_N: one that vanished, or one of the
    // same name that another client left in the server session, means the statements of this
    // connection run in more than one server session (a transaction pool that SessionProbe
    // could not catch on open).
    if ((e.sqlState() == QLatin1String("26000") || e.sqlState() == QLatin1String("42P05"))
        && e.message().contains(QLatin1String("qpsqlpstmt_")))
        return SessionProbe::poolingError(m_settings.toDisplayString(),
                                          tr("a prepared statement vanished between two statements"));
    if (!e.message().endsWith(QLatin1String(": ")) && !e.message().isEmpty())
        return e;
    // Qt's driver reports a statement on a connection that has gone bad (the server crashed or
    // was stopped between two statements) without any text: say what happened.
    bool bad = !db().isOpen();
    if (!bad)
        if (PGconn *conn = pgconn(db()))
            bad = PQstatus(conn) != CONNECTION_OK;
    const QString what
        = bad ? tr("no connection to the server (it was lost)") : tr("the statement failed without a message from the server");
    return DbError(context.isEmpty() ? what : context + QStringLiteral(": ") + what,
                   bad ? QStringLiteral("08006") : e.sqlState());
}

void Connection::throwIfCancelled()
{
    if (m_cancel && m_cancel->isCancelled()) {
        // A cancel sent while no statement was running reaches nothing on the server: the next
        // statement must not run either.
        abortTransaction();
        throw DbError(tr("canceling statement due to user request"), QStringLiteral("57014"));
    }
}

QSqlQuery Connection::run(const QString &sql, const QVariantList &values, const QString &context)
{
    QSqlQuery q = prepare(sql, context);
    run(q, values, context);
    return q;
}

QSqlQuery Connection::prepare(const QString &sql, const QString &context)
{
    throwIfCancelled();
    QSqlQuery q(db());
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        const DbError error = failure(q.lastError(), context);
        abortTransaction();
        throw error;
    }
    return q;
}

void Connection::run(QSqlQuery &prepared, const QVariantList &values, const QString &context)
{
    throwIfCancelled();
    observe(m_backendPid, prepared.lastQuery(), values, {});
    for (int i = 0; i < values.size(); ++i)
        prepared.bindValue(i, values.at(i));
    if (!prepared.exec()) {
        const DbError error = failure(prepared.lastError(), context);
        abortTransaction();
        throw error;
    }
}

void Connection::abortTransaction() noexcept
{
    if (m_inTransaction)
        rollback();
}

QSqlQuery Connection::runNamed(const QString &sql, const QVariantMap &values, const QString &context)
{
    throwIfCancelled();
    observe(m_backendPid, sql, {}, values);
    QSqlQuery q(db());
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        const DbError error = failure(q.lastError(), context);
        abortTransaction();
        throw error;
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        q.bindValue(it.key(), it.value());
    if (!q.exec()) {
        const DbError error = failure(q.lastError(), context);
        abortTransaction();
        throw error;
    }
    return q;
}

void Connection::exec(QSqlQuery &query, const QVariantList &values, const QString &context)
{
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    if (!query.exec())
        throw DbError::fromSql(query.lastError(), context);
}

QSqlQuery Connection::runSimple(const QString &sql, const QString &context)
{
    throwIfCancelled();
    observe(m_backendPid, sql, {}, {});
    QSqlQuery q(db());
    q.setForwardOnly(true);
    if (!q.exec(sql)) {
        const DbError error = failure(q.lastError(), context);
        abortTransaction();
        throw error;
    }
    return q;
}

void Connection::runScript(const QString &sql, const QString &context)
{
    throwIfCancelled();
    observe(m_backendPid, sql, {}, {});
    QSqlQuery q(db());
    if (!q.exec(sql)) {
        const DbError error = failure(q.lastError(), context);
        abortTransaction();
        throw error;
    }
}

void Connection::begin()
{
    throwIfCancelled();
    if (!db().transaction())
        throw failure(db().lastError(), QStringLiteral("BEGIN"));
    m_inTransaction = true;
    if (m_direct)
        return;
    // Through a proxy: this transaction must run in the session the connection was checked in
    // (it holds the advisory lock, the prepared statements, the settings).
    QSqlQuery q = runSimple(QStringLiteral("SELECT pg_backend_pid()"), QStringLiteral("BEGIN"));
    if (q.next() && q.value(0).toInt() != m_backendPid) {
        const int other = q.value(0).toInt();
        rollback();
        throw SessionProbe::poolingError(
            m_settings.toDisplayString(),
            tr("its transactions ran in different server sessions, pid %1 then %2").arg(m_backendPid).arg(other));
    }
}

void Connection::commit()
{
    throwIfCancelled(); // a cancel that came after the last statement rolls the transaction back
    m_inTransaction = false;
    if (!db().commit())
        throw failure(db().lastError(), QStringLiteral("COMMIT"));
}

void Connection::rollback() noexcept
{
    if (!m_inTransaction)
        return;
    m_inTransaction = false;
    QSqlDatabase d = db();
    if (d.isOpen())
        d.rollback();
}

QString pgArray(const QStringList &items)
{
    QString out = QStringLiteral("{");
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += QLatin1Char(',');
        QString e = items.at(i);
        e.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        out += QLatin1Char('"') + e + QLatin1Char('"');
    }
    out += QLatin1Char('}');
    return out;
}

} // namespace rollup
