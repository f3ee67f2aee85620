#pragma once

#include "core/comparison.h"
#include "core/daywindow.h"
#include "db/rollupsql.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlQuery>

#include <optional>

namespace rollup {

class Connection;

// Computes raw aggregates with the backfill's own SQL (RollupSql) and joins them with the
// stored rows, one statement for the given windows (VerifyEngine splits long ranges over
// several connections). Rows come back sorted by (date, dimension_type, dimension_id, metric).
// Runs on the caller's thread; throws DbError.
class VerifyRepository
{
    Q_DECLARE_TR_FUNCTIONS(VerifyRepository)

public:
    explicit VerifyRepository(Connection &connection) : m_connection(connection) { }
    QList<CompareRow> compare(qint64 accountId, const QList<DayWindow> &windows);
    // Keys by status per (account, day) of `scope`, counted on the server (RollupSql::compareSummary);
    // (account, day)s without any key are absent.
    QList<DayCounts> countDays(const QList<AccountDays> &scope);
    OutsideRows storedOutside(qint64 accountId, date::local_days from, date::local_days to, date::local_days today);

private:
    template <typename Intern> static QList<CompareRow> readRows(QSqlQuery &q, Intern &intern);
    Connection &m_connection;
};

} // namespace rollup
