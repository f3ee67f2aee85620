#pragma once

#include "core/daywindow.h"

#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QVariantMap>

#include <functional>
#include <utility>

namespace rollup {

class Connection;

// A statement with its bound values (Qt named placeholders).
struct RollupStatement
{
    QString sql;
    QVariantMap params;
};

// The days of one account a statement covers: the account and the windows of those days,
// sorted by day (docs/rollups.md §6.3).
struct AccountDays
{
    qint64 accountId = 0;
    QList<DayWindow> windows;
};

// Runs of consecutive days of one account in `count` items sorted by account, then day:
// `dayAt(i)` gives item i's (account, day); `run(first, last)` is called with the index range of
// each run. Statements find an account's rollup rows with one range of the unique key's
// (account_id, date) prefix per run.
template <typename DayAt, typename Run> void forEachRunOfDays(qsizetype count, DayAt dayAt, Run run)
{
    for (qsizetype i = 0; i < count;) {
        const std::pair<qint64, date::local_days> first = dayAt(i);
        qsizetype j = i + 1;
        for (std::pair<qint64, date::local_days> previous = first; j < count; ++j) {
            const std::pair<qint64, date::local_days> next = dayAt(j);
            if (next.first != first.first || next.second != previous.second + date::days{1})
                break;
            previous = next;
        }
        run(i, j - 1);
        i = j;
    }
}

// The one SQL builder for rollup aggregation, shared by backfill and verify, for one account
// or a batch of accounts (so verify is never a second implementation and a fleet run is never
// a third). Every value is bound.
//
// Day windows come from core (ActiveSupport rules). The server never applies time-zone rules of
// its own; it buckets an account's events in one of two ways (docs/rollups.md §6.4):
//  - shift: when the account's windows are contiguous and share one DayWindow::shift() (no
//    transition inside), an event's day is (created_at + shift)::date — exact for such windows,
//    and the cheapest per-row expression;
//  - boundaries: otherwise (a 25-hour day, scattered days) width_bucket() over the array of the
//    windows' UTC boundaries; gaps between non-contiguous windows become buckets with a NULL
//    date whose events are ignored.
// With one account the shift or the boundaries are bound values of the statement. With several,
// each account's shift or boundaries come from a small table of the accounts, materialised once
// per statement and hash-joined to the events; the events of all of them are read in one pass
// over the statement's UTC span (the table is in created_at order, so a batch of accounts reads
// each page of that span once instead of once per account).
class RollupSql
{
public:
    // Transaction-local settings for the statements below: memory to hash-aggregate a chunk
    // in one pass; bitmap scans (an index scan on created_at alone would read every account's
    // events of the range); no parallel workers (the engines already run one connection per core);
    // no JIT (compiling costs more than it saves on a chunk).
    static QString chunkSettings();
    // Runs a read of one account's (or a batch's) rows in a transaction of its own with the
    // planner told never to scan either table whole (enable_seqscan off: an account that holds
    // most of a table would otherwise get a sequential scan that reads every account's rows);
    // `read` consumes the result before the transaction ends. `byRuns`: the statement joins
    // thousands of runs of days (unnest(...) AS d(acc, lo, hi)) to the rollups; each run must be
    // a range of the unique key's (account_id, date) prefix (a nested loop of bitmap scans, as
    // chunkSettings() asks), never a merge or hash join that filters every row of the accounts
    // (seen: 180 s instead of 8 s for 79,000 runs). Throws DbError.
    static void readAccountRows(Connection &connection, const QString &sql, const QVariantList &values, const QString &context,
                                const std::function<void(QSqlQuery &)> &read, bool byRuns = false);

    // DELETE of every row of the scope's (account, day)s — all dimension types, legacy team rows too.
    static RollupStatement deleteDays(const QList<AccountDays> &scope);
    // Aggregation + INSERT; returns (account_id, date, rows_written, events, transaction id) per
    // (account, day) of the scope (days without events included); the transaction id is the
    // xmin of the rows written. With `onConflictDoNothing` it is Rails' insert_all; without, a
    // row inserted concurrently by Chatwoot's live path raises unique_violation (23505).
    static RollupStatement insertDays(const QList<AccountDays> &scope, bool onConflictDoNothing);
    // Aggregation full-outer-joined with the stored rows of the scope. Columns: account_id, date,
    // dimension_type, dimension_id, metric, rollup count/sum/sum_bh (NULL when absent),
    // raw count/sum/sum_bh (NULL when absent). Unordered: the caller sorts.
    static RollupStatement compareDays(const QList<AccountDays> &scope);
    // compareDays counted on the server, for many accounts at once: per (account, day) that has
    // keys, (account_id, date, keys, match, mismatch, missing, extra). A key matches when both
    // sides exist, the counts are equal and each sum is within `relativeTolerance` of the other
    // relative to max(|a|, |b|, 1) — Comparison::classify's rule, written in SQL (a test holds
    // the two to the same answer).
    static RollupStatement compareSummary(const QList<AccountDays> &scope, double relativeTolerance);

    // One account's forms.
    static RollupStatement deleteDays(qint64 accountId, const QList<DayWindow> &windows)
    {
        return deleteDays({{accountId, windows}});
    }
    static RollupStatement insertDays(qint64 accountId, const QList<DayWindow> &windows, bool onConflictDoNothing)
    {
        return insertDays({{accountId, windows}}, onConflictDoNothing);
    }
    static RollupStatement compareDays(qint64 accountId, const QList<DayWindow> &windows)
    {
        return compareDays({{accountId, windows}});
    }

    // Stored rows of one (date, dimension) key's raw events, for drill-down.
    static QString rawEventsOfDay();
    // pg array text of the windows' dates
    static QString dayArray(const QList<DayWindow> &windows);

private:
    // "WITH ... rollup_rows AS (...)": columns account_id, date, dimension_type, dimension_id,
    // metric, count, sum_value, sum_value_business_hours — exactly Chatwoot's BackfillService
    // rows — and `keyed`, the groups they come from (with the events each group read).
    static RollupStatement aggregate(const QList<AccountDays> &scope);
    // Binds :ids, the scope's accounts.
    static void bindScope(const QList<AccountDays> &scope, QVariantMap &params);
    // Binds :run_ids/:run_from/:run_to, one element per run of consecutive days of an account.
    static void bindRuns(const QList<AccountDays> &scope, QVariantMap &params);
};

} // namespace rollup
