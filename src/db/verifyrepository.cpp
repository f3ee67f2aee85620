#include "db/verifyrepository.h"

#include "db/connection.h"
#include "db/rollupsql.h"

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
    QSqlQuery q = m_connection.runNamed(RollupSql::compareDays(), RollupSql::aggregateParams(accountId, windows),
                                        QStringLiteral("comparing rollups with raw events"));
    while (q.next()) {
        CompareRow r;
        r.date = *parseLocalDate(q.value(0).toString());
        r.dimensionType = q.value(1).toString();
        r.dimensionId = q.value(2).toLongLong();
        r.metric = q.value(3).toString();
        r.rollup = valuesAt(q, 4);
        r.raw = valuesAt(q, 7);
        r.status = Comparison::classify(r.rollup, r.raw);
        rows.append(r);
    }
    return rows;
}

} // namespace rollup
