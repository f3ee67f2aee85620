#pragma once

#include "core/daywindow.h"

#include <QList>
#include <QString>
#include <QVariantMap>

namespace rollup {

// The one SQL builder for rollup aggregation, shared by backfill and verify (so verify is
// never a second implementation). Statements use Qt named placeholders; every value is bound.
//
// Day windows come from core (ActiveSupport rules) as arrays of UTC boundaries; the server
// assigns each event to its window with width_bucket() and never applies time-zone rules of
// its own. Windows may be non-contiguous: gaps between them become buckets with a NULL date
// whose events are ignored.
class RollupSql
{
public:
    // Parameters of aggregateCte() for one account and a set of windows sorted by day.
    static QVariantMap aggregateParams(qint64 accountId, const QList<DayWindow> &windows);

    // "WITH ... rollup_rows AS (...)": columns date, dimension_type, dimension_id, metric,
    // count, sum_value, sum_value_business_hours — exactly Chatwoot's BackfillService rows —
    // plus CTE day_events(date, events): events read per day.
    static QString aggregateCte();

    // DELETE of every row of (account, :days) — all dimension types, legacy team rows too.
    static QString deleteDays();
    // aggregateCte + INSERT; returns (date, rows_written, events) per day of the chunk (days
    // without events included). With `onConflictDoNothing` it is Rails' insert_all; without, a
    // row inserted concurrently by Chatwoot's live path raises unique_violation (23505).
    static QString insertDays(bool onConflictDoNothing);
    // aggregateCte full-outer-joined with the stored rows of :from..:to. Columns: date,
    // dimension_type, dimension_id, metric, rollup count/sum/sum_bh (NULL when absent),
    // raw count/sum/sum_bh (NULL when absent). Unordered: the caller sorts.
    static QString compareDays();
    // Stored rows of one (date, dimension) key's raw events, for drill-down.
    static QString rawEventsOfDay();
    // pg array text of the windows' dates
    static QString dayArray(const QList<DayWindow> &windows);
};

} // namespace rollup
