#pragma once

#include "core/comparison.h"
#include "core/daywindow.h"

#include <QList>

namespace rollup {

class Connection;

// Computes raw aggregates with the backfill's own SQL (RollupSql) and joins them with the
// stored rows, in one statement for the whole range. Runs on the caller's thread; throws DbError.
class VerifyRepository
{
public:
    explicit VerifyRepository(Connection &connection) : m_connection(connection) {}
    QList<CompareRow> compare(qint64 accountId, const QList<DayWindow> &windows);

private:
    Connection &m_connection;
};

} // namespace rollup
