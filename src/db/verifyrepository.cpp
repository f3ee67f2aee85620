#include "db/verifyrepository.h"

#include "db/connection.h"
#include "db/rollupsql.h"

#include <QHash>

#include <algorithm>

namespace rollup {

namespace {
std::optional<RollupValues> valuesAt(const QSqlQuery &q, int column)
{
    if (q.value(column).isNull())
        return std::nullopt;
    return RollupValues{q.value(column).toLongLong(), q.value(column + 1).toDouble(), q.value(column + 2).toDouble()};
}
} // namespace

QList<CompareRow> VerifyRepository::compare(qint64 accountId, const QList<DayWindow> &windows)
{
    QList<CompareRow> rows;
    if (windows.isEmpty())
        return rows;
    // Share one string per dimension type / metric instead of one per row (hundreds of thousands).
    QHash<QString, QString> interned;
    auto intern = [&interned](const QString &s) {
        auto it = interned.constFind(s);
        if (it == interned.cend())
            it = interned.insert(s, s);
        return *it;
    };
    m_connection.begin();
    try {
        m_connection.run(RollupSql::chunkSettings());
        const RollupStatement comparison = RollupSql::compareDays(accountId, windows);
        QSqlQuery q = m_connection.runNamed(comparison.sql, comparison.params, tr("comparing rollups with raw events"));
        rows = readRows(q, intern);
        m_connection.commit();
    } catch (...) {
        m_connection.rollback();
        throw;
    }
    std::sort(rows.begin(), rows.end(), [](const CompareRow &a, const CompareRow &b) {
        if (a.date != b.date)
            return a.date < b.date;
        if (a.dimensionType != b.dimensionType)
            return a.dimensionType < b.dimensionType;
        if (a.dimensionId != b.dimensionId)
            return a.dimensionId < b.dimensionId;
        return a.metric < b.metric;
    });
    return rows;
}

QList<DayCounts> VerifyRepository::countDays(const QList<AccountDays> &scope)
{
    QList<DayCounts> out;
    m_connection.begin();
    try {
        m_connection.run(RollupSql::chunkSettings());
        const RollupStatement summary = RollupSql::compareSummary(scope, Comparison::kRelativeTolerance);
        QSqlQuery q = m_connection.runNamed(summary.sql, summary.params, tr("comparing rollups with raw events"));
        while (q.next()) {
            DayCounts d;
            d.accountId = q.value(0).toLongLong();
            d.day = *parseLocalDate(q.value(1).toString());
            d.keys = q.value(2).toLongLong();
            const qint64 stored = q.value(3).toLongLong(), recomputed = q.value(4).toLongLong();
            d.mismatches = q.value(5).toLongLong();
            d.missing = d.keys - stored; // recomputed, not stored
            d.extra = d.keys - recomputed; // stored, not recomputed
            d.matches = stored + recomputed - d.keys - d.mismatches;
            out.append(d);
        }
        m_connection.commit();
    } catch (...) {
        m_connection.rollback();
        throw;
    }
    return out;
}

OutsideRows VerifyRepository::storedOutside(qint64 accountId, date::local_days from, date::local_days to, date::local_days today)
{
    OutsideRows out;
    RollupSql::readAccountRows(
        m_connection,
        QStringLiteral(
            "SELECT date::text, count(*) FROM reporting_events_rollups "
            "WHERE account_id = ? AND (date < ?::date OR (date > ?::date AND date <> ?::date)) GROUP BY date ORDER BY date"),
        {accountId, formatLocalDate(from), formatLocalDate(to), formatLocalDate(today)},
        tr("counting stored rows outside the range"), [&out](QSqlQuery &q) {
            while (q.next()) {
                out.days.append(*parseLocalDate(q.value(0).toString()));
                out.rows += q.value(1).toLongLong();
            }
        });
    if (!out.days.isEmpty()) {
        out.first = out.days.first();
        out.last = out.days.last();
    }
    return out;
}

template <typename Intern> QList<CompareRow> VerifyRepository::readRows(QSqlQuery &q, Intern &intern)
{
    QList<CompareRow> rows;
    QHash<QString, date::local_days> days; // a few hundred distinct dates, parsed once each
    while (q.next()) {
        CompareRow r; // columns: account_id, date, dimension_type, dimension_id, metric, stored c/s/b, raw c/s/b
        const QString dayText = q.value(1).toString();
        auto day = days.constFind(dayText);
        if (day == days.cend())
            day = days.insert(dayText, *parseLocalDate(dayText));
        r.date = *day;
        r.dimensionType = intern(q.value(2).toString());
        r.dimensionId = q.value(3).toLongLong();
        r.metric = intern(q.value(4).toString());
        r.rollup = valuesAt(q, 5);
        r.raw = valuesAt(q, 8);
        r.status = Comparison::classify(r.rollup, r.raw);
        rows.append(r);
    }
    return rows;
}

} // namespace rollup
