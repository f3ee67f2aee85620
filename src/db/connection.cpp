#include "db/connection.h"

#include "db/dberror.h"

#include <QAtomicInteger>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

#include <libpq-fe.h>

namespace rollup {

StatementCanceller::~StatementCanceller() { detach(); }

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
        const QVariant handle = db.driver()->handle();
        if (handle.isValid() && (qstrcmp(handle.typeName(), "PGconn*") == 0 || qstrcmp(handle.typeName(), "pg_conn*") == 0)) {
            PGconn *conn = *static_cast<PGconn *const *>(handle.constData());
            m_canceller->attach(PQgetCancel(conn));
            m_ssl = PQsslInUse(conn) ? tr("TLS %1").arg(QString::fromLatin1(PQsslAttribute(conn, "protocol")))
                                     : tr("no TLS");
        }
    }
    if (m_cancel)
        m_cancel->attach(m_canceller);
    try {
        QSqlQuery q = run(QStringLiteral("SELECT pg_backend_pid(), current_setting('server_version')"));
        q.next();
        m_backendPid = q.value(0).toInt();
        m_serverVersion = q.value(1).toString();
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

QSqlDatabase Connection::db() const { return QSqlDatabase::database(m_name, false); }

void Connection::setObserver(Observer o)
{
    std::lock_guard lock(observerMutex);
    observer = std::move(o);
}

DbError Connection::failure(const QSqlError &error, const QString &context) const
{
    DbError e = DbError::fromSql(error, context);
    if (!e.message().endsWith(QLatin1String(": ")) && !e.message().isEmpty())
        return e;
    // Qt's driver reports a statement on a connection that has gone bad (the server crashed or
    // was stopped between two statements) without any text: say what happened.
    const QVariant handle = db().driver()->handle();
    bool bad = !db().isOpen();
    if (!bad && handle.isValid() && (qstrcmp(handle.typeName(), "PGconn*") == 0 || qstrcmp(handle.typeName(), "pg_conn*") == 0))
        bad = PQstatus(*static_cast<PGconn *const *>(handle.constData())) != CONNECTION_OK;
    const QString what = bad ? tr("no connection to the server (it was lost)") : tr("the statement failed without a message from the server");
    return DbError(context.isEmpty() ? what : context + QStringLiteral(": ") + what, bad ? QStringLiteral("08006") : e.sqlState());
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
    throwIfCancelled();
    observe(m_backendPid, sql, values, {});
    QSqlQuery q(db());
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        const DbError error = failure(q.lastError(), context);
        abortTransaction();
        throw error;
    }
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (!q.exec()) {
        const DbError error = failure(q.lastError(), context);
        abortTransaction();
        throw error;
    }
    return q;
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
