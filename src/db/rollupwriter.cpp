#include "db/rollupwriter.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupsql.h"

namespace rollup {

ChunkWrite RollupWriter::replaceDays(qint64 accountId, const QList<DayWindow> &windows)
{
    if (windows.isEmpty())
        return {};
    try {
        return replaceOnce(accountId, windows, false);
    } catch (const DbError &e) {
        if (e.sqlState() != QLatin1String("23505"))
            throw;
        // A live upsert landed between our DELETE and INSERT: redo the chunk the way Chatwoot's
        // insert_all does (ON CONFLICT DO NOTHING).
        return replaceOnce(accountId, windows, true);
    }
}

ChunkWrite RollupWriter::replaceOnce(qint64 accountId, const QList<DayWindow> &windows, bool onConflictDoNothing)
{
    ChunkWrite out;
    m_connection.begin();
    try {
        m_connection.run(RollupSql::chunkSettings());
        const RollupStatement deletion = RollupSql::deleteDays(accountId, windows);
        QSqlQuery del = m_connection.runNamed(deletion.sql, deletion.params, tr("deleting old rollup rows"));
        out.rowsDeleted = del.numRowsAffected();
        const RollupStatement insertion = RollupSql::insertDays(accountId, windows, onConflictDoNothing);
        QSqlQuery ins = m_connection.runNamed(insertion.sql, insertion.params, tr("writing rollup rows"));
        while (ins.next()) {
            DayWrite d;
            d.day = *parseLocalDate(ins.value(0).toString());
            d.rowsWritten = ins.value(1).toLongLong();
            d.events = ins.value(2).toLongLong();
            out.days.append(d);
        }
        m_connection.commit();
    } catch (...) {
        m_connection.rollback();
        throw;
    }
    return out;
}

std::optional<QString> RollupWriter::tryLockAccount(qint64 accountId)
{
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT pg_try_advisory_lock(?::int, ?::int)"),
                                   {kLockClass, accountId}, tr("locking the account"));
    if (q.next() && q.value(0).toBool())
        return std::nullopt;
    QSqlQuery h = m_connection.run(
        QStringLiteral("SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, 'local'), "
                       "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                       "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                       "WHERE l.locktype = 'advisory' AND l.classid = ?::int::oid AND l.objid = ?::int::oid "
                       "AND l.objsubid = 2 AND l.granted LIMIT 1"),
        {kLockClass, accountId}, tr("finding the lock holder"));
    if (h.next())
        return tr("another backfill of account %1 is running (pid %2, application_name '%3', from %4, session since %5)")
            .arg(accountId).arg(h.value(0).toInt()).arg(h.value(1).toString(), h.value(2).toString(), h.value(3).toString());
    return tr("another backfill of account %1 is running").arg(accountId);
}

void RollupWriter::unlockAccount(qint64 accountId) noexcept
{
    try {
        m_connection.run(QStringLiteral("SELECT pg_advisory_unlock(?::int, ?::int)"), {kLockClass, accountId});
    } catch (...) {
        // The session ending releases the lock anyway.
    }
}

} // namespace rollup
