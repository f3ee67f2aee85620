#include "db/rollupwriter.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupsql.h"

#include <QHash>

#include <algorithm>

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
            out.transaction = ins.value(3).toLongLong();
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
                       "AND l.objsubid = 2 AND l.granted "
                       "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1"),
        {kLockClass, accountId}, tr("finding the lock holder"));
    if (h.next())
        return tr("another backfill of account %1 is running (pid %2, application_name '%3', from %4, session since %5)")
            .arg(accountId).arg(h.value(0).toInt()).arg(h.value(1).toString(), h.value(2).toString(), h.value(3).toString());
    return tr("another backfill of account %1 is running").arg(accountId);
}

QList<date::local_days> RollupWriter::daysChangedByOthers(qint64 accountId, const QList<ChunkWrite> &chunks)
{
    QHash<qint64, qint64> written; // day -> rows its chunk wrote
    QStringList xids;
    for (const ChunkWrite &c : chunks) {
        xids << QString::number(c.transaction);
        for (const DayWrite &d : c.days)
            written.insert(d.day.time_since_epoch().count(), d.rowsWritten);
    }
    QList<date::local_days> out;
    if (written.isEmpty())
        return out;
    qint64 first = written.constBegin().key(), last = first;
    for (auto it = written.constBegin(); it != written.constEnd(); ++it) {
        first = std::min(first, it.key());
        last = std::max(last, it.key());
    }
    const auto day = [](qint64 n) { return date::local_days{date::days{n}}; };
    // One pass over the account's rows of the span (0.10-0.13 s for 466,353 rows here). A row is the
    // chunk's own when its xmin is one of the chunks' transaction ids: a transaction writes rows
    // only on the days of its own chunk, another session's never carries one of these ids.
    QSqlQuery q = m_connection.run(
        QStringLiteral("SELECT r.date::text, count(*), count(*) FILTER (WHERE r.xmin = ANY(?::xid[])) FROM reporting_events_rollups r "
                       "WHERE r.account_id = ? AND r.date BETWEEN ?::date AND ?::date GROUP BY r.date"),
        {pgArray(xids), accountId, formatLocalDate(day(first)), formatLocalDate(day(last))},
        tr("checking the written days for other sessions' writes"));
    QHash<qint64, std::pair<qint64, qint64>> found; // day -> (rows, own rows)
    while (q.next())
        found.insert(parseLocalDate(q.value(0).toString())->time_since_epoch().count(),
                     {q.value(1).toLongLong(), q.value(2).toLongLong()});
    for (auto it = written.constBegin(); it != written.constEnd(); ++it) {
        const std::pair<qint64, qint64> rows = found.value(it.key(), {0, 0});
        if (rows.first != it.value() || rows.second != it.value())
            out.append(day(it.key()));
    }
    std::sort(out.begin(), out.end());
    return out;
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
