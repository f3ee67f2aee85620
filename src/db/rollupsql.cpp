#include "db/rollupsql.h"

#include "core/metricregistry.h"
#include "db/connection.h"

#include <algorithm>

namespace rollup {

namespace {

QString timestampText(SysSeconds t) { return formatUtcMicros(SysMicros{t}); }

QString boolArray(const QList<bool> &items)
{
    QStringList s;
    for (bool b : items)
        s << (b ? QStringLiteral("true") : QStringLiteral("false"));
    return QStringLiteral("{") + s.join(QLatin1Char(',')) + QStringLiteral("}");
}

// An event's (local day, name) as one bigint: the day's number since 2000-01-01 times 8 plus the
// name's position in :names; NULL for events outside the chunk's days. `dayExpr` is
// (created_at + shift)::date or the boundaries' bucket. Hashing and comparing this key costs
// less than a date and a name (about 3% of a whole backfill).
QString groupKey(const QString &dayExpr)
{
    return QStringLiteral("((%1) - date '2000-01-01')::bigint * 8 + array_position(:names::text[], r.name::text)").arg(dayExpr);
}

// Standard events: COUNT(*) and sums per (day, name) for the account, agent and inbox
// dimensions at once (GROUPING SETS; GROUPING() tells them apart even when ids are NULL).
QString standardPass(const QString &dayExpr)
{
    return QStringLiteral(
               "SELECT e.k, GROUPING(e.user_id, e.inbox_id) AS g, e.user_id, e.inbox_id, count(*) AS n, "
               "coalesce(sum(e.value), 0) AS sv, coalesce(sum(e.value_in_business_hours), 0) AS sb, count(*) AS events "
               "FROM (SELECT %1 AS k, r.user_id, r.inbox_id, r.value, r.value_in_business_hours "
               "FROM reporting_events r WHERE r.account_id = :account AND r.created_at >= :lo::timestamp "
               "AND r.created_at < :hi::timestamp AND r.name = ANY(:std_names::text[])) e "
               "GROUP BY GROUPING SETS ((e.k), (e.k, e.user_id), (e.k, e.inbox_id))")
        .arg(groupKey(dayExpr));
}

// Bot handoffs: COUNT(DISTINCT conversation_id) per (day, name, dimension), never summed
// from sub-groups; NULL conversation ids are not counted, so an all-NULL group counts 0.
QString distinctPass(const QString &dayExpr)
{
    return QStringLiteral(
               "SELECT e.k, GROUPING(e.user_id, e.inbox_id) AS g, e.user_id, e.inbox_id, "
               "count(DISTINCT e.conversation_id) AS n, 0::float8 AS sv, 0::float8 AS sb, count(*) AS events "
               "FROM (SELECT %1 AS k, r.user_id, r.inbox_id, r.conversation_id "
               "FROM reporting_events r WHERE r.account_id = :account AND r.created_at >= :lo::timestamp "
               "AND r.created_at < :hi::timestamp AND r.name = ANY(:distinct_names::text[])) e "
               "GROUP BY GROUPING SETS ((e.k), (e.k, e.user_id), (e.k, e.inbox_id))")
        .arg(groupKey(dayExpr));
}

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
                          "set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)");
}

RollupStatement RollupSql::aggregate(qint64 accountId, const QList<DayWindow> &windows)
{
    QVariantMap p;
    QString dayExpr;
    if (const std::optional<std::chrono::seconds> shift = DayWindows::commonShift(windows)) {
        dayExpr = QStringLiteral("(r.created_at + :shift::interval)::date");
        p.insert(QStringLiteral(":shift"), QStringLiteral("%1 seconds").arg(shift->count()));
        p.insert(QStringLiteral(":lo"), timestampText(windows.first().start));
        p.insert(QStringLiteral(":hi"), timestampText(windows.last().end));
    } else {
        QStringList bounds;
        QStringList dates;
        for (const DayWindow &w : windows) {
            const QString start = timestampText(w.start);
            if (bounds.isEmpty()) {
                bounds << start;
            } else if (bounds.last() != start) {
                dates << QStringLiteral("NULL"); // gap bucket between non-contiguous windows
                bounds << start;
            }
            dates << formatLocalDate(w.day);
            bounds << timestampText(w.end);
        }
        dayExpr = QStringLiteral("(:dates::date[])[width_bucket(r.created_at, :bounds::timestamp[])]");
        p.insert(QStringLiteral(":bounds"), pgArray(bounds));
        p.insert(QStringLiteral(":dates"), QStringLiteral("{") + dates.join(QLatin1Char(',')) + QStringLiteral("}"));
        p.insert(QStringLiteral(":lo"), bounds.isEmpty() ? QStringLiteral("epoch") : bounds.first());
        p.insert(QStringLiteral(":hi"), bounds.isEmpty() ? QStringLiteral("epoch") : bounds.last());
    }
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
    p.insert(QStringLiteral(":account"), accountId);
    p.insert(QStringLiteral(":std_names"), pgArray(MetricRegistry::standardEventNames()));
    p.insert(QStringLiteral(":distinct_names"), pgArray(MetricRegistry::distinctEventNames()));
    p.insert(QStringLiteral(":names"), pgArray(names));
    p.insert(QStringLiteral(":map_event"), QStringLiteral("{") + mapEvent.join(QLatin1Char(',')) + QStringLiteral("}"));
    p.insert(QStringLiteral(":map_metric"), pgArray(mapMetric));
    p.insert(QStringLiteral(":map_duration"), boolArray(mapDuration));
    p.insert(QStringLiteral(":days"), dayArray(windows));

    const QString sql = QStringLiteral(
        "WITH grouped AS (%1 UNION ALL %2), "
        "keyed AS (SELECT date '2000-01-01' + (g.k >> 3)::int AS date, (g.k & 7)::int AS name_code, "
        "CASE g.g WHEN 3 THEN 'account' WHEN 1 THEN 'agent' ELSE 'inbox' END AS dimension_type, "
        "CASE g.g WHEN 3 THEN :account::bigint WHEN 1 THEN g.user_id::bigint ELSE g.inbox_id::bigint END AS dimension_id, "
        "CASE g.g WHEN 3 THEN 1 WHEN 1 THEN 2 ELSE 3 END AS dimension_rank, "
        "g.n, g.sv, g.sb, g.events FROM grouped g WHERE g.k IS NOT NULL "
        "AND (g.g = 3 OR (g.g = 1 AND g.user_id IS NOT NULL) OR (g.g = 2 AND g.inbox_id IS NOT NULL))), "
        "day_events AS (SELECT k.date, sum(k.events)::bigint AS events FROM keyed k "
        "WHERE k.dimension_type = 'account' GROUP BY k.date), "
        "rollup_rows AS (SELECT k.date, k.dimension_type, k.dimension_id, m.metric, k.n AS count, "
        "CASE WHEN m.duration THEN k.sv ELSE 0 END AS sum_value, "
        "CASE WHEN m.duration THEN k.sb ELSE 0 END AS sum_value_business_hours, "
        "(((k.date - date '2000-01-01')::bigint * 4 + k.dimension_rank) * 4294967296 + k.dimension_id) * 8 "
        "+ m.metric_rank AS sort_key "
        "FROM keyed k JOIN unnest(:map_event::int[], :map_metric::text[], :map_duration::boolean[]) "
        "WITH ORDINALITY AS m(event, metric, duration, metric_rank) ON m.event = k.name_code) ")
        .arg(standardPass(dayExpr), distinctPass(dayExpr));
    return {sql, p};
}

RollupStatement RollupSql::deleteDays(qint64 accountId, const QList<DayWindow> &windows)
{
    return {QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = :account AND date = ANY(:days::date[])"),
            {{QStringLiteral(":account"), accountId}, {QStringLiteral(":days"), dayArray(windows)}}};
}

RollupStatement RollupSql::insertDays(qint64 accountId, const QList<DayWindow> &windows, bool onConflictDoNothing)
{
    // Rows go in in the unique index's order: btree inserts then stay local (about 2x faster
    // than hash-aggregate order for hundreds of thousands of rows). One bigint sort key stands for
    // (date, dimension type, dimension id, metric) — ranks in name order, ids of integer columns
    // below 2^32 — and sorts several times faster than the four columns. Order only matters for
    // speed, never for the rows written. The timestamps are taken once (InitPlans), not per row.
    // Rows written per day: a plain INSERT writes every row or fails, so they are counted from
    // the aggregation (a group yields one row per metric its event name maps to), which spares
    // RETURNING a tuple per row; ON CONFLICT DO NOTHING may skip rows, so it counts them.
    RollupStatement s = aggregate(accountId, windows);
    s.sql += QStringLiteral(
                 ", ins AS (INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, "
                 "count, sum_value, sum_value_business_hours, created_at, updated_at) "
                 "SELECT :account, r.date, r.dimension_type, r.dimension_id, r.metric, r.count, r.sum_value, "
                 "r.sum_value_business_hours, (SELECT now() AT TIME ZONE 'UTC'), (SELECT now() AT TIME ZONE 'UTC') "
                 "FROM rollup_rows r ORDER BY r.sort_key %1), ")
                 .arg(onConflictDoNothing ? QStringLiteral("ON CONFLICT DO NOTHING RETURNING date") : QString());
    s.sql += onConflictDoNothing
        ? QStringLiteral("written AS (SELECT date, count(*) AS n FROM ins GROUP BY date) ")
        : QStringLiteral("written AS (SELECT k.date, count(*) AS n FROM keyed k "
                         "JOIN unnest(:map_event::int[]) AS m(event) ON m.event = k.name_code GROUP BY k.date) ");
    s.sql += QStringLiteral("SELECT d.day::text, coalesce(w.n, 0), coalesce(de.events, 0), pg_current_xact_id()::xid::text "
                            "FROM unnest(:days::date[]) AS d(day) LEFT JOIN written w ON w.date = d.day "
                            "LEFT JOIN day_events de ON de.date = d.day ORDER BY d.day");
    return s;
}

RollupStatement RollupSql::compareDays(qint64 accountId, const QList<DayWindow> &windows)
{
    RollupStatement s = aggregate(accountId, windows);
    s.sql += QStringLiteral(
        ", stored AS (SELECT s.date, s.dimension_type, s.dimension_id, s.metric, s.count, s.sum_value, "
        "s.sum_value_business_hours FROM reporting_events_rollups s "
        "WHERE s.account_id = :account AND s.date = ANY(:days::date[])) "
        "SELECT coalesce(s.date, r.date)::text, coalesce(s.dimension_type, r.dimension_type), "
        "coalesce(s.dimension_id, r.dimension_id), coalesce(s.metric, r.metric), "
        "s.count, s.sum_value, s.sum_value_business_hours, r.count, r.sum_value, r.sum_value_business_hours "
        "FROM stored s FULL JOIN rollup_rows r ON s.date = r.date AND s.dimension_type = r.dimension_type "
        "AND s.dimension_id = r.dimension_id AND s.metric = r.metric");
    return s;
}

QString RollupSql::rawEventsOfDay()
{
    return QStringLiteral(
        "SELECT id, name, value, value_in_business_hours, user_id, inbox_id, conversation_id, created_at::text "
        "FROM reporting_events WHERE account_id = :account AND created_at >= :lo::timestamp AND created_at < :hi::timestamp "
        "AND name = ANY(:names::text[]) "
        "AND (:dimension_type = 'account' OR (:dimension_type = 'agent' AND user_id = :dimension_id) "
        "OR (:dimension_type = 'inbox' AND inbox_id = :dimension_id)) ORDER BY created_at, id LIMIT 10000");
}

} // namespace rollup
