#include "db/serverstatus.h"

#include "db/connection.h"

#include <QSqlQuery>

namespace rollup {

bool ServerStatus::inRecovery(Connection &connection)
{
    QSqlQuery q = connection.run(QStringLiteral("SELECT pg_is_in_recovery()"), {}, tr("asking whether the server is a standby"));
    return q.next() && q.value(0).toBool();
}

void ServerStatus::requirePrimary(Connection &connection)
{
    if (inRecovery(connection))
        throw DbError(tr("%1 is a standby in recovery (read-only): writes and the backfill's lock go to the primary; give the "
                         "primary's address (a replica belongs in --replica-url, or the connection's replica field)")
                          .arg(connection.settings().toDisplayString()),
                      QStringLiteral("25006"));
}

QString ServerStatus::systemIdentifier(Connection &connection)
{
    QSqlQuery q = connection.run(QStringLiteral("SELECT system_identifier::text FROM pg_control_system()"), {},
                                 tr("reading the system identifier"));
    return q.next() ? q.value(0).toString() : QString();
}

QString ServerStatus::currentWalLsn(Connection &primary)
{
    // The insert position: with asynchronous commit a committed transaction may not be written yet.
    QSqlQuery q
        = primary.run(QStringLiteral("SELECT pg_current_wal_insert_lsn()::text"), {}, tr("reading the primary's WAL position"));
    return q.next() ? q.value(0).toString() : QString();
}

ServerStatus::Replay ServerStatus::replay(Connection &standby, const QString &lsn)
{
    QSqlQuery q = standby.run(QStringLiteral("SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false), "
                                             "extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"),
                              {lsn}, tr("reading the replica's replay position"));
    Replay out;
    if (q.next()) {
        out.reached = q.value(0).toBool();
        if (!q.value(1).isNull())
            out.seconds = q.value(1).toDouble();
    }
    return out;
}

} // namespace rollup
