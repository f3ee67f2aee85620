#pragma once

#include "core/localdate.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>

namespace rollup {

class Connection;

// Read-only: which local days of an account hold rollup rows. Runs in the calling thread on
// `connection` (bound values only); throws DbError.
class RollupDays
{
    Q_DECLARE_TR_FUNCTIONS(RollupDays)

public:
    // The distinct dates in [from, to] (inclusive) that have at least one row in
    // reporting_events_rollups for the account, sorted ascending.
    static QList<date::local_days> daysWithRows(Connection &connection, qint64 accountId, date::local_days from,
                                                date::local_days to);
    // The same for many accounts at once: every (account, date) that has rows.
    static QHash<qint64, QList<date::local_days>> daysWithRows(Connection &connection, const QList<qint64> &accountIds);
};

} // namespace rollup
