#include "db/sessionprobe.h"

#include "core/identity.h"
#include "db/connection.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QSqlQuery>

#include <libpq-fe.h>
#include <poll.h>

#include <vector>

namespace rollup {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SessionProbe", text);
}

// A second connection with the same settings that opens a transaction and keeps it (and so
// its server session) until it is destroyed. Raw libpq: it must not prepare statements, and its
// wait for a free server is bounded.
class Pin
{
public:
    enum class Outcome { Pinned, Refused, Unknown };

    explicit Pin(const ConnectionSettings &s)
    {
        std::vector<QByteArray> keys, values;
        auto add = [&](const char *key, const QString &value) {
            if (!value.isEmpty()) {
                keys.emplace_back(key);
                values.push_back(value.toUtf8());
            }
        };
        add("host", s.host);
        add("port", s.port ? QString::number(s.port) : QString());
        add("dbname", s.database);
        add("user", s.user);
        add("password", s.password);
        add("sslmode", s.sslMode);
        add("sslrootcert", s.sslRootCert);
        add("application_name", Identity::applicationName());
        add("connect_timeout", QStringLiteral("10"));
        std::vector<const char *> k, v;
        for (size_t i = 0; i < keys.size(); ++i) {
            k.push_back(keys[i].constData());
            v.push_back(values[i].constData());
        }
        k.push_back(nullptr);
        v.push_back(nullptr);
        m_conn = PQconnectdbParams(k.data(), v.data(), 0);
    }
    ~Pin()
    {
        release();
        PQfinish(m_conn);
    }
    Pin(const Pin &) = delete;
    Pin &operator=(const Pin &) = delete;

    // Opens a transaction and reads the backend pid, waiting at most `waitMs` for the answer.
    Outcome pin(int waitMs)
    {
        m_pid = 0;
        if (PQstatus(m_conn) != CONNECTION_OK) {
            m_message = QString::fromUtf8(PQerrorMessage(m_conn)).simplified();
            return Outcome::Unknown;
        }
        if (!PQsendQuery(m_conn, "BEGIN; SELECT pg_backend_pid()")) {
            m_message = QString::fromUtf8(PQerrorMessage(m_conn)).simplified();
            return Outcome::Unknown;
        }
        const QDeadlineTimer deadline(waitMs);
        QString error;
        for (;;) {
            while (PQisBusy(m_conn)) {
                pollfd fd{PQsocket(m_conn), POLLIN, 0};
                const int left = int(deadline.remainingTime());
                if (left <= 0 || ::poll(&fd, 1, left) <= 0) {
                    m_message = tr("no server session within %1 ms").arg(waitMs);
                    return Outcome::Unknown;
                }
                if (!PQconsumeInput(m_conn))
                    break;
            }
            PGresult *r = PQgetResult(m_conn);
            if (!r)
                break;
            if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
                m_pid = QByteArray(PQgetvalue(r, 0, 0)).toInt();
            else if (PQresultStatus(r) == PGRES_FATAL_ERROR)
                error = QString::fromUtf8(PQresultErrorMessage(r)).simplified();
            PQclear(r);
        }
        // A pool may answer and then close the connection with a FATAL error (statement mode).
        if (PQstatus(m_conn) != CONNECTION_OK) {
            const QString lost = QString::fromUtf8(PQerrorMessage(m_conn)).simplified();
            if (!error.contains(lost))
                error = (error + QLatin1Char(' ') + lost).trimmed();
        }
        if (!error.isEmpty()) {
            // PgBouncer: "FATAL: transaction blocks not allowed in statement pooling mode".
            static const QRegularExpression refusal(QStringLiteral("[^.:]*pooling mode"));
            const QRegularExpressionMatch match = refusal.match(error);
            m_message = match.hasMatch() ? match.captured(0).trimmed() : error;
            return match.hasMatch() ? Outcome::Refused : Outcome::Unknown;
        }
        return m_pid > 0 ? Outcome::Pinned : Outcome::Unknown;
    }

    // Ends the pin's transaction (its server goes back to a transaction pool).
    void release()
    {
        if (PQstatus(m_conn) == CONNECTION_OK && PQtransactionStatus(m_conn) == PQTRANS_INTRANS)
            PQclear(PQexec(m_conn, "ROLLBACK"));
    }

    int pid() const { return m_pid; }
    QString message() const { return m_message; }

private:
    PGconn *m_conn = nullptr;
    int m_pid = 0;
    QString m_message;
};

} // namespace

DbError SessionProbe::poolingError(const QString &server, const QString &evidence)
{
    return DbError(tr("%1 pools transactions, not sessions (%2): the console needs one server session per connection for its "
                      "advisory lock, prepared statements and session settings; connect through a pool with pool_mode = session "
                      "(PgBouncer) or directly to PostgreSQL")
                       .arg(server, evidence),
                   kPoolingState);
}

void SessionProbe::requireOneSession(Connection &connection)
{
    const int pid = connection.backendPid();
    const QString server = connection.settings().toDisplayString();
    // The pin logs in first, so that no round waits for its login while the pool hands out
    // servers to others.
    Pin pin(connection.settings());
    auto check = [&]() {
        QSqlQuery q
            = connection.runSimple(QStringLiteral("SELECT pg_backend_pid(), current_setting('rollup_console.session', true)"),
                                   tr("checking the server session"));
        if (!q.next())
            return;
        const int now = q.value(0).toInt();
        if (now != pid)
            throw poolingError(server, tr("its transactions ran in different server sessions, pid %1 then %2").arg(pid).arg(now));
        if (q.value(1).toString() != QString::number(pid))
            throw poolingError(server, tr("a session setting of its first transaction was gone in a later one"));
    };
    for (int round = 0; round < kRounds; ++round) {
        // A pool that rotates its servers hands the next transaction another one.
        check();
        // A pool that reuses the server released last hands it to the pin.
        switch (pin.pin(kPinWaitMs)) {
        case Pin::Outcome::Refused:
            throw poolingError(server, tr("the pool refused a transaction block: %1").arg(pin.message()));
        case Pin::Outcome::Unknown:
            return; // proves nothing; begin() keeps watching the pid
        case Pin::Outcome::Pinned:
            break;
        }
        if (pin.pid() == pid)
            throw poolingError(server, tr("another connection was given this connection's server session, pid %1, between two of "
                                          "its transactions")
                                           .arg(pid));
        // The pin's server is now the one released last: a transaction pool hands it to us.
        pin.release();
        check();
    }
}

} // namespace rollup
