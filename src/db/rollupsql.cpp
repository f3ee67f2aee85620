#include "db/rollupsql.h"

#include "core/metricregistry.h"
#include "db/bucketing.h"
#include "db/connection.h"

#include <algorithm>

namespace rollup {

namespace {

QString boolArray(const QList<bool> &items)
{
    QStringList s;
    for (bool b : items)
        s << (b ? QStringLiteral("true") : QStringLiteral("false"));
    return QStringLiteral("{") + s.join(QLatin1Char(',')) + QStringLiteral("}");
}

QString arrayLiteral(const QStringList &items)
{
    return QStringLiteral("{") + items.join(QLatin1Char(',')) + QStringLiteral("}");
}

// An event's (local day, name) as one bigint: the day's number since 2000-01-01 times 8 plus the
// name's position in :names; NULL for events outside the chunk's days. `dayExpr` is
// (created_at + shift)::date or the boundaries' bucket. Hashing and comparing this key costs
// less than a date and a name (about 3% of a whole backfill).
QString groupKey(const QString &dayExpr)
{
    return QStringLiteral("((%1) - date '2000-01-01')::bigint * 8 + array_position(:names::text[], r.name::text)").arg(dayExpr);
}

// The FROM and WHERE of the events the passes read. One account: its id and UTC span are bound
// values. A batch: one scan of every account of :ids in the batch's UTC span, then joined to each
// account's own span and bucketing in `acct`. The accounts' events are interleaved in the table,
// so a scan per account (the plan the planner picks when it may push the join into the scan)
// visits a heap page once for each of its accounts: one batch of 362 accounts visited 424,290
// pages for 720,845 events, one bitmap over all of them 14,726. OFFSET 0 keeps the join out.
// The account ids reach the planner as a sub-select's value, not a constant it can look up in
// the column's statistics: for an account that holds most of the table those would make an index
// on name or created_at alone look cheaper than the account's own entries of
// (account_id, name, created_at), and such an index reads every account's rows.
QString eventSource(bool batch, const QString &namesParam)
{
    if (!batch)
        return QStringLiteral(
                   "FROM reporting_events r WHERE r.account_id = (SELECT :account::int) AND r.created_at >= :lo::timestamp "
                   "AND r.created_at < :hi::timestamp AND r.name = ANY(%1::text[])")
            .arg(namesParam);
    return QStringLiteral("FROM (SELECT r.account_id, r.name, r.created_at, r.user_id, r.inbox_id, r.value, "
                          "r.value_in_business_hours, r.conversation_id FROM reporting_events r "
                          "WHERE r.account_id = ANY(ARRAY(SELECT unnest(:ids::int[]))) "
                          "AND r.created_at >= :lo::timestamp AND r.created_at < :hi::timestamp AND r.name = ANY(%1::text[]) "
                          "OFFSET 0) r JOIN acct a ON a.id = r.account_id WHERE r.created_at >= a.lo AND r.created_at < a.hi")
        .arg(namesParam);
}

// Standard events: COUNT(*) and sums per (account, day, name) for the account, agent and inbox
// dimensions at once (GROUPING SETS; GROUPING() tells them apart even when ids are NULL).
QString standardPass(bool batch, const QString &dayExpr)
{
    const QString acc = batch ? QStringLiteral("e.acc, ") : QString();
    return QStringLiteral(
               "SELECT %3e.k, GROUPING(e.user_id, e.inbox_id) AS g, e.user_id, e.inbox_id, count(*) AS n, "
               "coalesce(sum(e.value), 0) AS sv, coalesce(sum(e.value_in_business_hours), 0) AS sb, count(*) AS events "
               "FROM (SELECT %4%1 AS k, r.user_id, r.inbox_id, r.value, r.value_in_business_hours %2) e "
               "GROUP BY GROUPING SETS ((%3e.k), (%3e.k, e.user_id), (%3e.k, e.inbox_id))")
        .arg(groupKey(dayExpr), eventSource(batch, QStringLiteral(":std_names")), acc,
             batch ? QStringLiteral("r.account_id AS acc, ") : QString());
}

// Bot handoffs: COUNT(DISTINCT conversation_id) per (account, day, name, dimension), never
// summed from sub-groups; NULL conversation ids are not counted, so an all-NULL group counts 0.
QString distinctPass(bool batch, const QString &dayExpr)
{
    const QString acc = batch ? QStringLiteral("e.acc, ") : QString();
    return QStringLiteral("SELECT %3e.k, GROUPING(e.user_id, e.inbox_id) AS g, e.user_id, e.inbox_id, "
                          "count(DISTINCT e.conversation_id) AS n, 0::float8 AS sv, 0::float8 AS sb, count(*) AS events "
                          "FROM (SELECT %4%1 AS k, r.user_id, r.inbox_id, r.conversation_id %2) e "
                          "GROUP BY GROUPING SETS ((%3e.k), (%3e.k, e.user_id), (%3e.k, e.inbox_id))")
        .arg(groupKey(dayExpr), eventSource(batch, QStringLiteral(":distinct_names")), acc,
             batch ? QStringLiteral("r.account_id AS acc, ") : QString());
}

// The scope's runs of consecutive days, as a FROM item d(acc, lo, hi): rows of the rollups are
// found with one range of the unique key's (account_id, date) prefix per run, not one probe per
// day (a fleet batch holds hundreds of accounts with years of mostly empty days each).
const QString kRuns = QStringLiteral("unnest(:run_ids::int[], :run_from::date[], :run_to::date[]) AS d(acc, lo, hi)");

} // namespace

QString RollupSql::dayArray(const QList<DayWindow> &windows)
{
    QStringList days;
    for (const DayWindow &w : windows)
        days << formatLocalDate(w.day);
    return pgArray(days);
}

QString RollupSql::chunkSettings()
{
    return QStringLiteral("SELECT set_config('work_mem', '64MB', true), set_config('enable_indexscan', 'off', true), "
                          "set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true), "
                          "set_config('jit', 'off', true)");
}

void RollupSql::readAccountRows(Connection &connection, const QString &sql, const QVariantList &values, const QString &context,
                                const std::function<void(QSqlQuery &)> &read, bool byRuns)
{
    connection.begin();
    try {
        if (byRuns) {
            connection.run(chunkSettings());
            connection.run(
                QStringLiteral("SELECT set_config('enable_mergejoin', 'off', true), set_config('enable_hashjoin', 'off', true)"));
        } else {
            connection.run(QStringLiteral("SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"));
        }
        QSqlQuery q = connection.run(sql, values, context);
        read(q);
        connection.commit();
    } catch (...) {
        connection.rollback();
        throw;
    }
}

void RollupSql::bindScope(const QList<AccountDays> &scope, QVariantMap &p)
{
    QStringList ids;
    ids.reserve(scope.size());
    for (const AccountDays &a : scope)
        ids << QString::number(a.accountId);
    p.insert(QStringLiteral(":ids"), arrayLiteral(ids));
}

void RollupSql::bindRuns(const QList<AccountDays> &scope, QVariantMap &p)
{
    QStringList ids, from, to;
    for (const AccountDays &a : scope)
        forEachRunOfDays(
            a.windows.size(),
            [&a](qsizetype i) {
                return std::pair{a.accountId, a.windows.at(i).day};
            },
            [&](qsizetype first, qsizetype last) {
                ids << QString::number(a.accountId);
                from << formatLocalDate(a.windows.at(first).day);
                to << formatLocalDate(a.windows.at(last).day);
            });
    p.insert(QStringLiteral(":run_ids"), arrayLiteral(ids));
    p.insert(QStringLiteral(":run_from"), arrayLiteral(from));
    p.insert(QStringLiteral(":run_to"), arrayLiteral(to));
}

RollupStatement RollupSql::aggregate(const QList<AccountDays> &scope)
{
    QVariantMap p;
    QString dayExpr;
    QString accounts; // the batch's table of accounts, their spans and bucketing
    const bool batch = scope.size() > 1;
    if (!batch) {
        const AccountDays &one = scope.value(0);
        const Bucketing b = bucketingOf(one.windows);
        if (b.shift) {
            dayExpr = QStringLiteral("(r.created_at + :shift::interval)::date");
            p.insert(QStringLiteral(":shift"), QStringLiteral("%1 seconds").arg(b.shift->count()));
        } else {
            dayExpr = QStringLiteral("(:dates::date[])[width_bucket(r.created_at, :bounds::timestamp[])]");
            p.insert(QStringLiteral(":bounds"), pgArray(b.bounds));
            p.insert(QStringLiteral(":dates"), arrayLiteral(b.dates));
        }
        p.insert(QStringLiteral(":lo"), b.lo);
        p.insert(QStringLiteral(":hi"), b.hi);
        p.insert(QStringLiteral(":account"), one.accountId);
    } else {
        // Arrays arrive as text and are parsed once, in the materialised table, never per event.
        QStringList ids, shifts, bounds, dates, los, his;
        QString lo, hi;
        for (const AccountDays &a : scope) {
            const Bucketing b = bucketingOf(a.windows);
            ids << QString::number(a.accountId);
            shifts << (b.shift ? QStringLiteral("%1 seconds").arg(b.shift->count()) : QString());
            bounds << (b.shift ? QString() : arrayLiteral(b.bounds));
            dates << (b.shift ? QString() : arrayLiteral(b.dates));
            los << b.lo;
            his << b.hi;
            if (!a.windows.isEmpty()) {
                lo = lo.isEmpty() ? b.lo : std::min(lo, b.lo);
                hi = hi.isEmpty() ? b.hi : std::max(hi, b.hi);
            }
        }
        accounts
            = QStringLiteral("acct AS MATERIALIZED (SELECT a.id::int AS id, NULLIF(a.shift, '')::interval AS shift, "
                             "NULLIF(a.bounds, '')::timestamp[] AS bounds, NULLIF(a.dates, '')::date[] AS dates, "
                             "a.lo::timestamp AS lo, a.hi::timestamp AS hi "
                             "FROM unnest(:acct_ids::bigint[], :acct_shifts::text[], :acct_bounds::text[], :acct_dates::text[], "
                             ":acct_los::text[], :acct_his::text[]) AS a(id, shift, bounds, dates, lo, hi)), ");
        dayExpr = QStringLiteral("CASE WHEN a.shift IS NOT NULL THEN (r.created_at + a.shift)::date "
                                 "ELSE a.dates[width_bucket(r.created_at, a.bounds)] END");
        p.insert(QStringLiteral(":acct_ids"), arrayLiteral(ids));
        p.insert(QStringLiteral(":acct_shifts"), pgArray(shifts));
        p.insert(QStringLiteral(":acct_bounds"), pgArray(bounds));
        p.insert(QStringLiteral(":acct_dates"), pgArray(dates));
        p.insert(QStringLiteral(":acct_los"), pgArray(los));
        p.insert(QStringLiteral(":acct_his"), pgArray(his));
        p.insert(QStringLiteral(":lo"), lo.isEmpty() ? QStringLiteral("epoch") : lo);
        p.insert(QStringLiteral(":hi"), hi.isEmpty() ? QStringLiteral("epoch") : hi);
    }
    bindScope(scope, p);
    // In metric-name order, so the mapping's ordinality sorts rows like the unique index does.
    QList<MetricMapping> mappings = MetricRegistry::mappings();
    std::stable_sort(mappings.begin(), mappings.end(),
                     [](const MetricMapping &a, const MetricMapping &b) { return a.metric < b.metric; });
    // :names for groupKey(); the mapping refers to event names by their position there.
    const QStringList names = MetricRegistry::standardEventNames() + MetricRegistry::distinctEventNames();
    Q_ASSERT(names.size() < 8);
    QStringList mapEvent, mapMetric;
    QList<bool> mapDuration;
    for (const MetricMapping &m : mappings) {
        mapEvent << QString::number(names.indexOf(m.eventName) + 1);
        mapMetric << m.metric;
        mapDuration << (m.payload == Payload::Duration);
    }
    p.insert(QStringLiteral(":std_names"), pgArray(MetricRegistry::standardEventNames()));
    p.insert(QStringLiteral(":distinct_names"), pgArray(MetricRegistry::distinctEventNames()));
    p.insert(QStringLiteral(":names"), pgArray(names));
    p.insert(QStringLiteral(":map_event"), arrayLiteral(mapEvent));
    p.insert(QStringLiteral(":map_metric"), pgArray(mapMetric));
    p.insert(QStringLiteral(":map_duration"), boolArray(mapDuration));
    p.insert(QStringLiteral(":days"), batch ? QStringLiteral("{}") : dayArray(scope.value(0).windows));

    const QString account = batch ? QStringLiteral("g.acc") : QStringLiteral(":account::int");
    const QString sql
        = QStringLiteral(
              "WITH %3grouped AS (%1 UNION ALL %2), "
              "keyed AS (SELECT %4 AS account_id, date '2000-01-01' + (g.k >> 3)::int AS date, (g.k & 7)::int AS name_code, "
              "CASE g.g WHEN 3 THEN 'account' WHEN 1 THEN 'agent' ELSE 'inbox' END AS dimension_type, "
              "CASE g.g WHEN 3 THEN %4::bigint WHEN 1 THEN g.user_id::bigint ELSE g.inbox_id::bigint END AS dimension_id, "
              "CASE g.g WHEN 3 THEN 1 WHEN 1 THEN 2 ELSE 3 END AS dimension_rank, "
              "g.n, g.sv, g.sb, g.events FROM grouped g WHERE g.k IS NOT NULL "
              "AND (g.g = 3 OR (g.g = 1 AND g.user_id IS NOT NULL) OR (g.g = 2 AND g.inbox_id IS NOT NULL))), "
              "rollup_rows AS (SELECT k.account_id, k.date, k.dimension_type, k.dimension_id, m.metric, k.n AS count, "
              "CASE WHEN m.duration THEN k.sv ELSE 0 END AS sum_value, "
              "CASE WHEN m.duration THEN k.sb ELSE 0 END AS sum_value_business_hours, "
              "(((k.date - date '2000-01-01')::bigint * 4 + k.dimension_rank) * 4294967296 + k.dimension_id) * 8 "
              "+ m.metric_rank AS sort_key "
              "FROM keyed k JOIN unnest(:map_event::int[], :map_metric::text[], :map_duration::boolean[]) "
              "WITH ORDINALITY AS m(event, metric, duration, metric_rank) ON m.event = k.name_code) ")
              .arg(standardPass(batch, dayExpr), distinctPass(batch, dayExpr), accounts, account);
    return {sql, p};
}

RollupStatement RollupSql::deleteDays(const QList<AccountDays> &scope)
{
    if (scope.size() == 1)
        return {
            QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = :account AND date = ANY(:days::date[])"),
            {{QStringLiteral(":account"), scope.first().accountId}, {QStringLiteral(":days"), dayArray(scope.first().windows)}}};
    // Each run of days finds its rows through the unique key's (account_id, date) prefix. No
    // `account_id = ANY(:ids)` besides the run's own account: the planner would add it to every
    // run's index probe, one descent per account of the batch (about 20x slower).
    QVariantMap p;
    bindRuns(scope, p);
    return {QStringLiteral("DELETE FROM reporting_events_rollups r USING %1 "
                           "WHERE r.account_id = d.acc AND r.date >= d.lo AND r.date <= d.hi")
                .arg(kRuns),
            p};
}

RollupStatement RollupSql::insertDays(const QList<AccountDays> &scope, bool onConflictDoNothing)
{
    // Rows go in in the unique index's order: btree inserts then stay local (about 2x faster
    // than hash-aggregate order for hundreds of thousands of rows). One bigint sort key stands for
    // (date, dimension type, dimension id, metric) — ranks in name order, ids of integer columns
    // below 2^32 — and sorts several times faster than the four columns. Order only matters for
    // speed, never for the rows written. The timestamps are taken once (InitPlans), not per row.
    // Rows written per (account, day): a plain INSERT writes every row or fails, so they are
    // counted from the aggregation (a group yields one row per metric its event name maps to),
    // which spares RETURNING a tuple per row; ON CONFLICT DO NOTHING may skip rows, so it counts
    // them.
    const bool batch = scope.size() > 1;
    RollupStatement s = aggregate(scope);
    // Events per (account, day), for progress: only the writer reads `keyed` twice (a comparison
    // reads it once, so there it is inlined, never materialised).
    s.sql += QStringLiteral(
                 ", day_events AS (SELECT k.account_id, k.date, sum(k.events)::bigint AS events FROM keyed k "
                 "WHERE k.dimension_type = 'account' GROUP BY k.account_id, k.date)"
                 ", ins AS (INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, "
                 "count, sum_value, sum_value_business_hours, created_at, updated_at) "
                 "SELECT r.account_id, r.date, r.dimension_type, r.dimension_id, r.metric, r.count, r.sum_value, "
                 "r.sum_value_business_hours, (SELECT now() AT TIME ZONE 'UTC'), (SELECT now() AT TIME ZONE 'UTC') "
                 "FROM rollup_rows r ORDER BY %2r.sort_key %1), ")
                 .arg(onConflictDoNothing ? QStringLiteral("ON CONFLICT DO NOTHING RETURNING account_id, date") : QString(),
                      batch ? QStringLiteral("r.account_id, ") : QString());
    s.sql += onConflictDoNothing
                 ? QStringLiteral("written AS (SELECT account_id, date, count(*) AS n FROM ins GROUP BY account_id, date) ")
                 : QStringLiteral(
                     "written AS (SELECT k.account_id, k.date, count(*) AS n FROM keyed k "
                     "JOIN unnest(:map_event::int[]) AS m(event) ON m.event = k.name_code GROUP BY k.account_id, k.date) ");
    // Only the days that had events (every other day of the scope wrote no row): no array of
    // (account, day) pairs goes to the server or comes back. Days as numbers since 2000-01-01.
    s.sql += QStringLiteral("SELECT de.account_id, de.date - date '2000-01-01', coalesce(w.n, 0), de.events, "
                            "(SELECT pg_current_xact_id()::xid::text) FROM day_events de "
                            "LEFT JOIN written w ON w.account_id = de.account_id AND w.date = de.date");
    return s;
}

namespace {

// The stored rows of the scope, as CTE `stored`.
QString storedRows(bool batch)
{
    return batch
               ? QStringLiteral(", stored AS (SELECT s.account_id, s.date, s.dimension_type, s.dimension_id, s.metric, s.count, "
                                "s.sum_value, s.sum_value_business_hours FROM reporting_events_rollups s JOIN %1 "
                                "ON s.account_id = d.acc AND s.date >= d.lo AND s.date <= d.hi) ")
                     .arg(kRuns)
               : QStringLiteral(", stored AS (SELECT s.account_id, s.date, s.dimension_type, s.dimension_id, s.metric, s.count, "
                                "s.sum_value, s.sum_value_business_hours FROM reporting_events_rollups s "
                                "WHERE s.account_id = :account AND s.date = ANY(:days::date[])) ");
}

// Stored rows full-outer-joined with the recomputed ones, one row per key.
const QString kCompareJoin
    = QStringLiteral("FROM stored s FULL JOIN rollup_rows r ON s.account_id = r.account_id AND s.date = r.date "
                     "AND s.dimension_type = r.dimension_type AND s.dimension_id = r.dimension_id AND s.metric = r.metric");
const QString kCompareSelect
    = QStringLiteral(
          "SELECT coalesce(s.account_id, r.account_id) AS acc, coalesce(s.date, r.date)::text AS day, "
          "coalesce(s.dimension_type, r.dimension_type) AS dimension_type, coalesce(s.dimension_id, r.dimension_id) AS "
          "dimension_id, "
          "coalesce(s.metric, r.metric) AS metric, s.count AS rc, s.sum_value AS rs, s.sum_value_business_hours AS rb, "
          "r.count AS xc, r.sum_value AS xs, r.sum_value_business_hours AS xb %1")
          .arg(kCompareJoin);

} // namespace

RollupStatement RollupSql::compareDays(const QList<AccountDays> &scope)
{
    RollupStatement s = aggregate(scope);
    if (scope.size() > 1)
        bindRuns(scope, s.params);
    s.sql += storedRows(scope.size() > 1) + kCompareSelect;
    return s;
}

RollupStatement RollupSql::compareSummary(const QList<AccountDays> &scope, double relativeTolerance)
{
    RollupStatement s = aggregate(scope);
    s.params.insert(QStringLiteral(":tolerance"), relativeTolerance);
    if (scope.size() > 1)
        bindRuns(scope, s.params);
    s.sql += storedRows(scope.size() > 1)
             // Per day: every key, the stored ones, the recomputed ones, and the keys on both sides
             // whose values differ; the client derives missing, extra and matching keys from these.
             // Plain counts of present columns cost less than a status per key counted five times.
             + QStringLiteral("SELECT coalesce(s.account_id, r.account_id), coalesce(s.date, r.date)::text, count(*), "
                              "count(s.account_id), count(r.account_id), count(*) FILTER (WHERE s.account_id IS NOT NULL "
                              "AND r.account_id IS NOT NULL AND (s.count = r.count "
                              "AND abs(s.sum_value - r.sum_value) <= :tolerance::float8 * "
                              "greatest(abs(s.sum_value), abs(r.sum_value), 1.0) "
                              "AND abs(s.sum_value_business_hours - r.sum_value_business_hours) <= :tolerance::float8 * "
                              "greatest(abs(s.sum_value_business_hours), abs(r.sum_value_business_hours), 1.0)) IS NOT TRUE) "
                              "%1 GROUP BY 1, coalesce(s.date, r.date)")
                   .arg(kCompareJoin);
    return s;
}

QString RollupSql::rawEventsOfDay()
{
    return QStringLiteral("SELECT id, name, value, value_in_business_hours, user_id, inbox_id, conversation_id, created_at::text "
                          "FROM reporting_events WHERE account_id = (SELECT :account::int) AND created_at >= :lo::timestamp AND "
                          "created_at < :hi::timestamp "
                          "AND name = ANY(:names::text[]) "
                          "AND (:dimension_type = 'account' OR (:dimension_type = 'agent' AND user_id = :dimension_id) "
                          "OR (:dimension_type = 'inbox' AND inbox_id = :dimension_id)) ORDER BY created_at, id LIMIT 10000");
}

} // namespace rollup
