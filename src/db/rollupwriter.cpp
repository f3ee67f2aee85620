#include "db/rollupwriter.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupsql.h"

#include <QHash>
#include <QSet>
#include <QSqlQuery>
#include <QStringList>
#include <QThread>

#include <algorithm>
#include <functional>

namespace rollup {

ChunkWrite RollupWriter::replaceDays(const QList<AccountDays> &scope)
{
    bool any = false;
    for (const AccountDays &a : scope)
        any = any || !a.windows.isEmpty();
    if (!any)
        return {};
    bool onConflictDoNothing = false;
    for (int attempt = 1;; ++attempt) {
        try {
            ChunkWrite written = replaceOnce(scope, onConflictDoNothing);
            written.reruns = attempt - 1;
            return written;
        } catch (const DbError &e) {
            if (e.sqlState() == QLatin1String("23505") && !onConflictDoNothing) {
                // A live upsert landed between our DELETE and INSERT: redo the chunk the way
                // Chatwoot's insert_all does (ON CONFLICT DO NOTHING).
                onConflictDoNothing = true;
                continue;
            }
            // The chunk's transaction lost a deadlock (its DELETE and a live upsert lock a day's
            // rows in different orders) or a serialization race: it was rolled back whole, so it
            // runs again, as PostgreSQL advises, after a short pause that lets the other finish.
            if (!e.isRetryable() || attempt >= kAttempts)
                throw;
            QThread::msleep(50UL * attempt);
        }
    }
}

ChunkWrite RollupWriter::replaceOnce(const QList<AccountDays> &scope, bool onConflictDoNothing)
{
    ChunkWrite out;
    m_connection.begin();
    try {
        m_connection.run(RollupSql::chunkSettings());
        const RollupStatement deletion = RollupSql::deleteDays(scope);
        QSqlQuery del = m_connection.runNamed(deletion.sql, deletion.params, tr("deleting old rollup rows"));
        out.rowsDeleted = del.numRowsAffected();
        const RollupStatement insertion = RollupSql::insertDays(scope, onConflictDoNothing);
        QSqlQuery ins = m_connection.runNamed(insertion.sql, insertion.params, tr("writing rollup rows"));
        // Rows and events of the days that had events; every other day of the scope wrote none.
        QHash<std::pair<qint64, qint64>, std::pair<qint64, qint64>> counted;
        const date::local_days epoch{date::year{2000} / 1 / 1};
        while (ins.next()) {
            const qint64 day = (epoch + date::days{ins.value(1).toInt()}).time_since_epoch().count();
            counted.insert({ins.value(0).toLongLong(), day}, {ins.value(2).toLongLong(), ins.value(3).toLongLong()});
            out.transaction = ins.value(4).toLongLong();
        }
        m_connection.commit();
        qsizetype dayCount = 0;
        for (const AccountDays &a : scope)
            dayCount += a.windows.size();
        out.days.reserve(dayCount);
        for (const AccountDays &a : scope) {
            forEachRunOfDays(
                a.windows.size(),
                [&a](qsizetype i) {
                    return std::pair{a.accountId, a.windows.at(i).day};
                },
                [&](qsizetype first, qsizetype last) {
                    out.runs.append(DayRun{a.accountId, a.windows.at(first).day, a.windows.at(last).day});
                });
            for (const DayWindow &w : a.windows) {
                const std::pair<qint64, qint64> c = counted.value({a.accountId, w.day.time_since_epoch().count()});
                out.days.append(DayWrite{a.accountId, w.day, c.first, c.second});
            }
        }
    } catch (...) {
        m_connection.rollback();
        throw;
    }
    return out;
}

std::optional<QString> RollupWriter::tryLockAccount(qint64 accountId)
{
    QSqlQuery q = m_connection.run(QStringLiteral("SELECT pg_try_advisory_lock(?::int, ?::int)"), {kLockClass, accountId},
                                   tr("locking the account"));
    if (q.next() && q.value(0).toBool())
        return std::nullopt;
    return lockHolder(accountId);
}

QString RollupWriter::lockHolder(qint64 accountId)
{
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
            .arg(accountId)
            .arg(h.value(0).toInt())
            .arg(h.value(1).toString(), h.value(2).toString(), h.value(3).toString());
    return tr("another backfill of account %1 is running").arg(accountId);
}

QList<date::local_days> RollupWriter::daysChangedByOthers(qint64 accountId, const QList<ChunkWrite> &chunks)
{
    QList<date::local_days> out;
    for (const auto &[account, day] : daysChangedByOthers(chunks))
        if (account == accountId)
            out.append(day);
    return out;
}

void ChunkWrite::dropEmptyDays()
{
    days.removeIf([](const DayWrite &d) { return d.rowsWritten == 0 && d.events == 0; });
    days.squeeze();
}

namespace {

// The days of `chunks`' scopes as runs of consecutive days of one account, each with its chunk's
// index: arrays for unnest(chunk, acc, lo, hi). Each array is written straight into one string: a
// string per element, joined afterwards, held every element several times over.
void bindWrittenRuns(const QList<ChunkWrite> &chunks, const QList<qsizetype> &which, QVariantList &values)
{
    QString arrays[4];
    for (QString &a : arrays)
        a = QStringLiteral("{");
    for (qsizetype c : which)
        for (const DayRun &r : chunks.at(c).runs) {
            arrays[0] += QString::number(c + 1) + QLatin1Char(',');
            arrays[1] += QString::number(r.accountId) + QLatin1Char(',');
            arrays[2] += formatLocalDate(r.first) + QLatin1Char(',');
            arrays[3] += formatLocalDate(r.last) + QLatin1Char(',');
        }
    for (QString &a : arrays) {
        if (a.size() > 1)
            a.chop(1);
        a += QLatin1Char('}');
        values << a;
    }
}

// `which` in consecutive slices of about `runsPerStatement` runs, a chunk's runs never split.
void forEachSlice(const QList<ChunkWrite> &chunks, const QList<qsizetype> &which, qsizetype runsPerStatement,
                  const std::function<void(const QList<qsizetype> &)> &slice)
{
    for (qsizetype begin = 0; begin < which.size();) {
        qsizetype end = begin;
        qsizetype runs = 0;
        while (end < which.size() && (end == begin || runs + chunks.at(which.at(end)).runs.size() <= runsPerStatement))
            runs += chunks.at(which.at(end++)).runs.size();
        slice(which.mid(begin, end - begin));
        begin = end;
    }
}

QString xidArray(const QList<ChunkWrite> &chunks)
{
    QStringList xids;
    xids.reserve(chunks.size());
    for (const ChunkWrite &c : chunks)
        xids << QString::number(c.transaction);
    return QStringLiteral("{%1}").arg(xids.join(QLatin1Char(',')));
}

} // namespace

QList<std::pair<qint64, date::local_days>> RollupWriter::daysChangedByOthers(const QList<ChunkWrite> &chunks,
                                                                             qsizetype runsPerStatement)
{
    QList<std::pair<qint64, date::local_days>> out;
    QList<qsizetype> all;
    for (qsizetype c = 0; c < chunks.size(); ++c)
        if (!chunks.at(c).runs.isEmpty())
            all.append(c);
    if (all.isEmpty())
        return out;
    // A row is a chunk's own when its xmin is the chunk's transaction id: a transaction writes
    // rows only on the days of its own chunk, another session's never carries that id. First one
    // total per chunk (every row of its days through the rollup unique key's (account_id, date)
    // ranges, one small row per chunk back: 8 s for 15 million rows in 79,000 runs here); only a
    // chunk whose totals disagree is looked at day by day. Both bind the runs in slices.
    const QString runs
        = QStringLiteral("FROM reporting_events_rollups r JOIN unnest(?::int[], ?::int[], ?::date[], ?::date[]) "
                         "AS d(chunk, acc, lo, hi) ON r.account_id = d.acc AND r.date >= d.lo AND r.date <= d.hi ");
    const QString own = QStringLiteral("count(*) FILTER (WHERE r.xmin = (?::xid[])[d.chunk])");
    const QString xids = xidArray(chunks);
    // Bound in slices: the largest batch's runs at once made this check the run's peak of memory.
    QHash<qsizetype, std::pair<qint64, qint64>> totals;
    forEachSlice(chunks, all, runsPerStatement, [&](const QList<qsizetype> &slice) {
        QVariantList values{xids};
        bindWrittenRuns(chunks, slice, values);
        RollupSql::readAccountRows(
            m_connection, QStringLiteral("SELECT d.chunk, count(*), %1 %2 GROUP BY d.chunk").arg(own, runs), values,
            tr("checking the written days for other sessions' writes"),
            [&totals](QSqlQuery &q) {
                while (q.next())
                    totals.insert(q.value(0).toLongLong() - 1, {q.value(1).toLongLong(), q.value(2).toLongLong()});
            },
            true);
    });
    QList<qsizetype> suspect;
    for (qsizetype c : std::as_const(all)) {
        qint64 written = 0;
        for (const DayWrite &d : chunks.at(c).days)
            written += d.rowsWritten;
        const std::pair<qint64, qint64> rows = totals.value(c, {0, 0});
        if (rows.first != written || rows.second != written)
            suspect.append(c);
    }
    if (suspect.isEmpty())
        return out;
    using Key = std::pair<qint64, qint64>; // account, day number
    QHash<Key, std::pair<qint64, qint64>> found; // (rows, own rows)
    forEachSlice(chunks, suspect, runsPerStatement, [&](const QList<qsizetype> &slice) {
        QVariantList values{xids};
        bindWrittenRuns(chunks, slice, values);
        RollupSql::readAccountRows(
            m_connection, QStringLiteral("SELECT r.account_id, r.date::text, count(*), %1 %2 GROUP BY 1, 2").arg(own, runs),
            values, tr("checking the written days for other sessions' writes"),
            [&found](QSqlQuery &q) {
                while (q.next())
                    found.insert({q.value(0).toLongLong(), parseLocalDate(q.value(1).toString())->time_since_epoch().count()},
                                 {q.value(2).toLongLong(), q.value(3).toLongLong()});
            },
            true);
    });
    // A day changed when its rows (all, and the chunk's own) are not the rows the chunk wrote: a
    // day found with rows, or a day the chunk wrote rows on (days without either wrote and hold none).
    QHash<Key, qint64> wrote;
    for (qsizetype c : std::as_const(suspect))
        for (const DayWrite &d : chunks.at(c).days)
            wrote.insert({d.accountId, d.day.time_since_epoch().count()}, d.rowsWritten);
    const auto changed = [&out](const Key &k, std::pair<qint64, qint64> rows, qint64 written) {
        if (rows.first != written || rows.second != written)
            out.append({k.first, date::local_days{date::days{k.second}}});
    };
    for (auto it = found.cbegin(); it != found.cend(); ++it)
        changed(it.key(), it.value(), wrote.value(it.key(), 0));
    for (auto it = wrote.cbegin(); it != wrote.cend(); ++it)
        if (!found.contains(it.key()))
            changed(it.key(), {0, 0}, it.value());
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

namespace {

QString intArray(const QList<qint64> &ids)
{
    QStringList text;
    text.reserve(ids.size());
    for (qint64 id : ids)
        text << QString::number(id);
    return QStringLiteral("{%1}").arg(text.join(QLatin1Char(',')));
}

} // namespace

QHash<qint64, QString> RollupWriter::tryLockAccounts(const QList<qint64> &accountIds)
{
    QSqlQuery q
        = m_connection.run(QStringLiteral("SELECT a.id, pg_try_advisory_lock(?::int, a.id) FROM unnest(?::int[]) AS a(id)"),
                           {kLockClass, intArray(accountIds)}, tr("locking the accounts"));
    QList<qint64> held;
    while (q.next())
        if (!q.value(1).toBool())
            held.append(q.value(0).toLongLong());
    QHash<qint64, QString> out;
    for (qint64 id : std::as_const(held))
        out.insert(id, lockHolder(id));
    return out;
}

void RollupWriter::unlockAccounts(const QList<qint64> &accountIds) noexcept
{
    try {
        m_connection.run(QStringLiteral("SELECT pg_advisory_unlock(?::int, a.id) FROM unnest(?::int[]) AS a(id)"),
                         {kLockClass, intArray(accountIds)});
    } catch (...) {
        // The session ending releases the locks anyway.
    }
}

} // namespace rollup
