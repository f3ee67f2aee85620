#pragma once

#include "core/daywindow.h"

#include <QList>
#include <QString>
#include <QVariantMap>

namespace rollup {

// A statement with its bound values (Qt named placeholders).
struct RollupStatement
{
    QString sql;
    QVariantMap params;
};

// The one SQL builder for rollup aggregation, shared by backfill and verify (so verify is
// never a second implementation). Every value is bound.
//
// Day windows come from core (ActiveSupport rules). The server never applies time-zone rules of
// its own; it buckets events in one of two ways, chosen per chunk:
//  - shift: when the windows are contiguous and share one DayWindow::shift() (no transition
//    inside), an event's day is (created_at + shift)::date — exact for such windows, and the
//    cheapest per-row expression;
//  - boundaries: otherwise (a 25-hour day, scattered days) width_bucket() over the array of the
//    windows' UTC boundaries; gaps between non-contiguous windows become buckets with a NULL
//    date whose events are ignored.
class RollupSql
{
public:
    // Transaction-local settings for the statements below: memory to hash-aggregate a chunk
    // in one pass; bitmap scans (an index scan on created_at alone would read every account's
    // events of the range); no parallel workers (the engines already run one connection per core);
    // no JIT (compiling costs more than it saves on a chunk).
    static QString chunkSettings();

    // DELETE of every row of (account, days) — all dimension types, legacy team rows too.
    static RollupStatement deleteDays(qint64 accountId, const QList<DayWindow> &windows);
    // Aggregation + INSERT; returns (date, rows_written, events, transaction id) per day of the
    // chunk (days without events included); the transaction id is the xmin of the rows written. With `onConflictDoNothing` it is Rails' insert_all; without, a
    // row inserted concurrently by Chatwoot's live path raises unique_violation (23505).
    static RollupStatement insertDays(qint64 accountId, const QList<DayWindow> &windows, bool onConflictDoNothing);
    // Aggregation full-outer-joined with the stored rows of the days. Columns: date,
    // dimension_type, dimension_id, metric, rollup count/sum/sum_bh (NULL when absent),
    // raw count/sum/sum_bh (NULL when absent). Unordered: the caller sorts.
    static RollupStatement compareDays(qint64 accountId, const QList<DayWindow> &windows);
    // Stored rows of one (date, dimension) key's raw events, for drill-down.
    static QString rawEventsOfDay();
    // pg array text of the windows' dates
    static QString dayArray(const QList<DayWindow> &windows);

private:
    // "WITH ... rollup_rows AS (...)": columns date, dimension_type, dimension_id, metric,
    // count, sum_value, sum_value_business_hours — exactly Chatwoot's BackfillService rows —
    // plus CTE day_events(date, events): events read per day.
    static RollupStatement aggregate(qint64 accountId, const QList<DayWindow> &windows);
};

} // namespace rollup
