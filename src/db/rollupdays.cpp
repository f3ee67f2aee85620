#include "db/rollupdays.h"

#include "db/connection.h"
#include "db/rollupsql.h"

namespace rollup {

QList<date::local_days> RollupDays::daysWithRows(Connection &connection, qint64 accountId, date::local_days from,
                                                 date::local_days to)
{
    QList<date::local_days> out;
    if (from > to)
        return out;
    // index_rollup_unique_key (account_id, date, ...) serves the range scan.
    RollupSql::readAccountRows(connection,
                               QStringLiteral("SELECT DISTINCT date::text FROM reporting_events_rollups "
                                              "WHERE account_id = ? AND date BETWEEN ?::date AND ?::date ORDER BY 1"),
                               {accountId, formatLocalDate(from), formatLocalDate(to)},
                               tr("reading the days that have rollup rows"), [&out](QSqlQuery &q) {
                                   while (q.next())
                                       if (const auto d = parseLocalDate(q.value(0).toString()))
                                           out.append(*d);
                               });
    return out;
}

QHash<qint64, QList<date::local_days>> RollupDays::daysWithRows(Connection &connection, const QList<qint64> &accountIds)
{
    QStringList ids;
    for (qint64 id : accountIds)
        ids << QString::number(id);
    // A walk of index_rollup_unique_key (account_id, date, ...) per account.
    QHash<qint64, QList<date::local_days>> out;
    RollupSql::readAccountRows(connection,
                               QStringLiteral("SELECT DISTINCT account_id, date::text FROM reporting_events_rollups "
                                              "WHERE account_id = ANY(?::int[]) ORDER BY 1, 2"),
                               {QStringLiteral("{%1}").arg(ids.join(QLatin1Char(',')))},
                               tr("reading the days that have rollup rows"), [&out](QSqlQuery &q) {
                                   while (q.next())
                                       if (const auto d = parseLocalDate(q.value(1).toString()))
                                           out[q.value(0).toLongLong()].append(*d);
                               });
    return out;
}

} // namespace rollup
