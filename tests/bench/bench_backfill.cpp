// bench_backfill: times the backfill engine against a replay of Chatwoot's per-day
// BackfillService pattern and against a single grouped scan (the floor, in two forms), on
// generated data.
//
// Not a unit test (not registered with ctest): run it through scripts/bench.sh, which starts a
// throwaway PostgreSQL and exports PGHOST/PGPORT/PGUSER. The program creates its own database
// bench_<pid>, fills it server-side, times the contenders, checks that the engine and the
// replay wrote the same rows, prints the figures and drops the database again.
//
// Exit status: 0 when the tables agree (targets are reported, not enforced), 1 on a mismatch,
// 2 on a usage or database error.

#include "core/daywindow.h"
#include "core/localdate.h"
#include "core/metricregistry.h"
#include "core/zoneresolver.h"
#include "db/accountrepository.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupsql.h"
#include "db/schema.h"
#include "jobs/backfillengine.h"
#include "jobs/backfillplanner.h"
#include "jobs/job.h"
#include "jobs/verifyengine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTextStream>

#include <date/date.h>

#include <sys/resource.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace {

using namespace rollup;

constexpr qint64 kBenchAccount = 1;
const char *const kBenchZone = "America/New_York";
const char *const kOtherZone = "Asia/Kolkata";
constexpr int kSpanDays = 1096; // 2023-01-01 .. 2025-12-31 UTC
constexpr int kAgents = 50;
constexpr int kInboxes = 20;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; // Linux: kilobytes
}

double seconds(const QElapsedTimer &clock)
{
    return clock.nsecsElapsed() / 1e9;
}

QString fixed(double value, int decimals = 3)
{
    return QString::number(value, 'f', decimals);
}

ConnectionSettings serverSettings(const QString &database)
{
    ConnectionSettings s;
    s.host = qEnvironmentVariable("PGHOST");
    s.port = qEnvironmentVariableIntValue("PGPORT");
    s.user = qEnvironmentVariable("PGUSER");
    s.database = database;
    s.source = QStringLiteral("bench server");
    s.statementTimeoutMs = 0; // the floors run statements longer than a live primary's default
    return s;
}

// CREATE DATABASE bench_<pid> on construction, DROP ... WITH (FORCE) on destruction (unless
// kept). Every Connection to it must be gone before the destructor runs.
class BenchDatabase
{
public:
    explicit BenchDatabase(bool keep) : m_name(QStringLiteral("bench_%1").arg(QCoreApplication::applicationPid())), m_keep(keep)
    {
        Connection admin(serverSettings(QStringLiteral("postgres")));
        admin.runScript(QStringLiteral("SET client_min_messages = warning"));
        admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name)); // generated name
        admin.runScript(QStringLiteral("CREATE DATABASE %1").arg(m_name));
        m_created = true;
    }
    ~BenchDatabase()
    {
        if (!m_created || m_keep)
            return;
        try {
            Connection admin(serverSettings(QStringLiteral("postgres")));
            admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
        } catch (const DbError &e) {
            QTextStream(stderr) << "bench: could not drop " << m_name << ": " << e.message() << Qt::endl;
        }
    }
    BenchDatabase(const BenchDatabase &) = delete;
    BenchDatabase &operator=(const BenchDatabase &) = delete;

    QString name() const { return m_name; }
    ConnectionSettings settings() const { return serverSettings(m_name); }

private:
    QString m_name;
    bool m_keep = false;
    bool m_created = false;
};

qint64 scalar(Connection &c, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q = c.run(sql, values);
    return q.next() ? q.value(0).toLongLong() : -1;
}

// ---------------------------------------------------------------------------------------------
// Data: two accounts with `events` rows each, interleaved like a multi-tenant table, created_at
// increasing with the row number over kSpanDays days. Every attribute is derived from
// hashint8extended(row, account) (deterministic, well mixed): 1/8 unsupported names, 1/13
// NULL user_id, handoffs of 16 consecutive rows share a conversation (duplicates), ~1/97 NULL
// conversation ids, ~1/53 NULL values, ~1/17 NULL business-hours values.
// ---------------------------------------------------------------------------------------------
QString generateSql()
{
    return QStringLiteral(
        "INSERT INTO reporting_events (name, value, account_id, inbox_id, user_id, conversation_id, "
        "created_at, updated_at, value_in_business_hours) "
        "SELECT CASE WHEN h.k < 13 THEN (ARRAY['conversation_opened', 'conversation_captain_inference_resolved'])[1 + h.k % 2] "
        "ELSE (ARRAY['conversation_resolved', 'first_response', 'reply_time', 'conversation_bot_resolved', "
        "'conversation_bot_handoff'])[1 + ((h.h / 104) % 5)::int] END, "
        "v.value, a.acc, "
        "1 + (h.h / 6760) % ?::int + (a.acc - 1) * ?::int, "
        "CASE WHEN (h.h / 520) % 13 = 0 THEN NULL ELSE 1 + (h.h / 338000) % ?::int + (a.acc - 1) * ?::int END, "
        "CASE WHEN (h.h / 6760000) % 97 = 0 THEN NULL ELSE a.acc * 100000000 + a.i / 16 END, "
        "t.at, t.at, "
        "CASE WHEN v.value IS NULL OR (h.h / 657436000) % 17 = 0 THEN NULL ELSE v.value * 0.37 END "
        "FROM generate_series(0::bigint, 2 * ?::bigint - 1) AS g, "
        "LATERAL (SELECT g % 2 + 1 AS acc, g / 2 AS i) a, "
        "LATERAL (SELECT hashint8extended(a.i, a.acc) & 9223372036854775807 AS h) h0, "
        "LATERAL (SELECT h0.h AS h, (h0.h % 104)::int AS k) h, "
        "LATERAL (SELECT CASE WHEN (h.h / 35152000) % 53 = 0 THEN NULL "
        "ELSE ((h.h / 100000) % 86400000) / 7.0::float8 END AS value) v, "
        "LATERAL (SELECT timestamp '2023-01-01' + (a.i * ?::bigint + h.h % ?::bigint) * interval '1 microsecond' AS at) t");
}

void generate(Connection &c, qint64 events)
{
    const QString settingsJson = QStringLiteral("{\"reporting_timezone\": \"%1\"}");
    c.run(QStringLiteral("INSERT INTO accounts (id, name, created_at, updated_at, settings) VALUES "
                         "(?, ?, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', ?::jsonb), "
                         "(?, ?, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', ?::jsonb)"),
          {1, QStringLiteral("Bench New York"), settingsJson.arg(QLatin1String(kBenchZone)), 2, QStringLiteral("Bench Kolkata"),
           settingsJson.arg(QLatin1String(kOtherZone))});
    c.runScript(QStringLiteral("SELECT setval('accounts_id_seq', 2)"));

    // Bulk load without the secondary indexes, then rebuild them from their own definitions.
    QStringList indexDefs;
    QStringList indexNames;
    {
        QSqlQuery q = c.run(QStringLiteral(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'reporting_events' "
            "AND indexname <> 'reporting_events_pkey' ORDER BY indexname"));
        while (q.next()) {
            indexNames << q.value(0).toString();
            indexDefs << q.value(1).toString();
        }
    }
    for (const QString &name : indexNames)
        c.runScript(QStringLiteral("DROP INDEX %1").arg(name)); // catalog names
    const qint64 stepMicros = qint64(kSpanDays) * 86400 * 1000000 / events;
    c.run(generateSql(), {kInboxes, kInboxes, kAgents, kAgents, events, stepMicros, stepMicros},
          QStringLiteral("generating events"));
    c.runScript(QStringLiteral("SET maintenance_work_mem = '256MB'"));
    for (const QString &def : indexDefs)
        c.runScript(def, QStringLiteral("rebuilding an index"));
    c.runScript(QStringLiteral("VACUUM (ANALYZE) reporting_events"));
    c.runScript(QStringLiteral("ANALYZE accounts"));
    // Flush the load's dirty pages now, so no checkpoint triggered by it runs during the timings.
    try {
        c.runScript(QStringLiteral("CHECKPOINT"));
    } catch (const DbError &) {
        // needs superuser or pg_checkpoint; the throwaway server's user has it
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Chatwoot's BackfillService, one local day at a time, written into rollups_replay.
// ---------------------------------------------------------------------------------------------
const char *const kMetricMap = "(VALUES ('conversation_resolved', 'resolutions_count', false), "
                               "('conversation_resolved', 'resolution_time', true), "
                               "('first_response', 'first_response', true), "
                               "('reply_time', 'reply_time', true), "
                               "('conversation_bot_resolved', 'bot_resolutions_count', false)) AS m(event, metric, duration)";

const char *const kInsertColumns
    = "INSERT INTO rollups_replay (account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
      "sum_value_business_hours, created_at, updated_at) ";

// Standard events (COUNT(*), sums) of one dimension; `column` empty for the account dimension.
// Groups first, then skips NULL dimension ids, like the Ruby code.
QString replayStandardSql(const QString &dimensionType, const QString &column)
{
    const bool account = column.isEmpty();
    return QLatin1String(kInsertColumns)
           + QStringLiteral("SELECT ?::int, ?::date, '%1', %2, m.metric, g.n, "
                            "CASE WHEN m.duration THEN g.sv ELSE 0 END, CASE WHEN m.duration THEN g.sb ELSE 0 END, "
                            "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' "
                            "FROM (SELECT name%3, count(*) AS n, coalesce(sum(value), 0) AS sv, "
                            "coalesce(sum(value_in_business_hours), 0) AS sb FROM reporting_events "
                            "WHERE account_id = ?::int AND created_at >= ?::timestamp AND created_at < ?::timestamp "
                            "AND name IN ('conversation_resolved', 'first_response', 'reply_time', 'conversation_bot_resolved') "
                            "GROUP BY name%3) g JOIN %4 ON m.event = g.name %5"
                            "ON CONFLICT DO NOTHING")
                 .arg(dimensionType, account ? QStringLiteral("?::bigint") : QStringLiteral("g.") + column,
                      account ? QString() : QStringLiteral(", ") + column, QLatin1String(kMetricMap),
                      account ? QString() : QStringLiteral("WHERE g.%1 IS NOT NULL ").arg(column));
}

// conversation_bot_handoff of one dimension: COUNT(DISTINCT conversation_id), sums 0.
QString replayDistinctSql(const QString &dimensionType, const QString &column)
{
    const bool account = column.isEmpty();
    return QLatin1String(kInsertColumns)
           + QStringLiteral("SELECT ?::int, ?::date, '%1', %2, 'bot_handoffs_count', g.n, 0, 0, "
                            "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' "
                            "FROM (SELECT name%3, count(DISTINCT conversation_id) AS n FROM reporting_events "
                            "WHERE account_id = ?::int AND created_at >= ?::timestamp AND created_at < ?::timestamp "
                            "AND name = 'conversation_bot_handoff' GROUP BY name%3) g %4"
                            "ON CONFLICT DO NOTHING")
                 .arg(dimensionType, account ? QStringLiteral("?::bigint") : QStringLiteral("g.") + column,
                      account ? QString() : QStringLiteral(", ") + column,
                      account ? QString() : QStringLiteral("WHERE g.%1 IS NOT NULL ").arg(column));
}

struct ReplayResult
{
    qint64 rows = 0;
    qint64 statements = 0;
    int days = 0;
};

// Prepared once per statement (as ActiveRecord's statement cache does), executed per day.
ReplayResult replay(Connection &c, qint64 accountId, const QList<DayWindow> &windows)
{
    struct Statement
    {
        QSqlQuery query;
        bool accountDimension;
    };
    ReplayResult result;
    QSqlQuery del(c.db());
    del.setForwardOnly(true);
    if (!del.prepare(QStringLiteral("DELETE FROM rollups_replay WHERE account_id = ?::int AND date = ?::date")))
        throw DbError::fromSql(del.lastError(), QStringLiteral("preparing the replay delete"));
    std::vector<Statement> inserts;
    const QList<std::pair<QString, QString>> dimensions = {{QStringLiteral("account"), QString()},
                                                           {QStringLiteral("agent"), QStringLiteral("user_id")},
                                                           {QStringLiteral("inbox"), QStringLiteral("inbox_id")}};
    for (const auto &[type, column] : dimensions) {
        for (const QString &sql : {replayStandardSql(type, column), replayDistinctSql(type, column)}) {
            Statement s{QSqlQuery(c.db()), column.isEmpty()};
            s.query.setForwardOnly(true);
            if (!s.query.prepare(sql))
                throw DbError::fromSql(s.query.lastError(), QStringLiteral("preparing a replay insert"));
            inserts.push_back(std::move(s));
        }
    }
    for (const DayWindow &w : windows) {
        const QString day = formatLocalDate(w.day);
        const QString start = formatUtcMicros(SysMicros{w.start});
        const QString end = formatUtcMicros(SysMicros{w.end});
        c.begin();
        try {
            Connection::exec(del, {accountId, day}, QStringLiteral("replay delete"));
            ++result.statements;
            for (Statement &s : inserts) {
                const QVariantList values = s.accountDimension ? QVariantList{accountId, day, accountId, accountId, start, end}
                                                               : QVariantList{accountId, day, accountId, start, end};
                Connection::exec(s.query, values, QStringLiteral("replay insert"));
                result.rows += s.query.numRowsAffected();
                ++result.statements;
            }
            c.commit();
        } catch (...) {
            c.rollback();
            throw;
        }
        ++result.days;
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// (c old) The floor as first measured: one grouped pass (local day, name, user_id) over the same
// events under the server's defaults (work_mem, JIT, parallel workers), the day by AT TIME ZONE,
// every result row fetched by the client. Kept for one release of figures next to (c) below.
// ---------------------------------------------------------------------------------------------
qint64 floorPass(Connection &c, qint64 accountId, const QString &zone, const DayWindow &first, const DayWindow &last)
{
    QSqlQuery q = c.run(QStringLiteral("SELECT (created_at AT TIME ZONE 'UTC' AT TIME ZONE ?::text)::date AS day, name, user_id, "
                                       "count(*), sum(value), sum(value_in_business_hours) FROM reporting_events "
                                       "WHERE account_id = ?::int AND created_at >= ?::timestamp AND created_at < ?::timestamp "
                                       "AND name IN ('conversation_resolved', 'first_response', 'reply_time', "
                                       "'conversation_bot_resolved', 'conversation_bot_handoff') "
                                       "GROUP BY 1, 2, 3"),
                        {zone, accountId, formatUtcMicros(SysMicros{first.start}), formatUtcMicros(SysMicros{last.end})},
                        QStringLiteral("floor pass"));
    qint64 rows = 0;
    while (q.next())
        ++rows;
    return rows;
}

// ---------------------------------------------------------------------------------------------
// (c) The floor under the engine's conditions: one transaction with RollupSql::chunkSettings()
// (the engine's set_config values), the range cut by DayWindows::nextChunk() with no size limit
// (so each transition-free run of days is one chunk, shorter stretches around a fall-back day
// are bucketed by boundaries, exactly as the engine decides per chunk), and per chunk one
// statement grouping (day, name, user_id) over the chunk's events, counted on the server: one
// number per statement is fetched. The bucketing values (the run's shift, or the windows' UTC
// boundaries and dates, and the chunk's bounds) are RollupSql's own, taken from the statement it
// builds for the chunk; only the day expression around them is restated here. One statement per
// run rather than one over the whole range with width_bucket() over every window's bounds: the
// addition costs less per row than the binary search (the run form was 10-25% faster in paired
// timings on this data), and a range with transitions is never one chunk of the engine's.
// Throws DbError.
// ---------------------------------------------------------------------------------------------
struct EngineFloor
{
    qint64 groups = 0;
    int shiftStatements = 0;
    int boundaryStatements = 0;
};

EngineFloor engineFloorPass(Connection &c, qint64 accountId, const QList<DayWindow> &windows)
{
    const QString names = pgArray(MetricRegistry::standardEventNames() + MetricRegistry::distinctEventNames());
    auto bucketing = [](const QVariantMap &engine, const char *key) {
        const QString name = QLatin1String(key);
        if (!engine.contains(name))
            throw DbError(QStringLiteral("RollupSql no longer binds %1; update the floor (c)").arg(name), QString());
        return engine.value(name);
    };
    EngineFloor result;
    c.begin();
    try {
        c.run(RollupSql::chunkSettings(), {}, QStringLiteral("floor settings"));
        for (qsizetype i = 0; i < windows.size();) {
            const qsizetype count = DayWindows::nextChunk(windows, i, windows.size());
            const QList<DayWindow> chunk = windows.mid(i, count);
            i += count;
            const QVariantMap engine = RollupSql::compareDays(accountId, chunk).params;
            QVariantMap p{{QStringLiteral(":account"), accountId},
                          {QStringLiteral(":names"), names},
                          {QStringLiteral(":lo"), bucketing(engine, ":lo")},
                          {QStringLiteral(":hi"), bucketing(engine, ":hi")}};
            QString day;
            if (engine.contains(QStringLiteral(":shift"))) {
                day = QStringLiteral("(r.created_at + :shift::interval)::date");
                p.insert(QStringLiteral(":shift"), bucketing(engine, ":shift"));
                ++result.shiftStatements;
            } else {
                // NULL for events in a gap between non-contiguous windows (none here): not counted.
                day = QStringLiteral("(:dates::date[])[width_bucket(r.created_at, :bounds::timestamp[])]");
                p.insert(QStringLiteral(":dates"), bucketing(engine, ":dates"));
                p.insert(QStringLiteral(":bounds"), bucketing(engine, ":bounds"));
                ++result.boundaryStatements;
            }
            QSqlQuery q = c.runNamed(
                QStringLiteral(
                    "SELECT count(g.day) FROM (SELECT %1 AS day FROM reporting_events r "
                    "WHERE r.account_id = :account AND r.created_at >= :lo::timestamp AND r.created_at < :hi::timestamp "
                    "AND r.name = ANY(:names::text[]) GROUP BY 1, r.name, r.user_id) g")
                    .arg(day),
                p, QStringLiteral("floor pass"));
            if (q.next())
                result.groups += q.value(0).toLongLong();
        }
        c.commit();
    } catch (...) {
        c.rollback();
        throw;
    }
    return result;
}

// The rollup columns the write floors copy (every column but id).
const char *const kRollupColumns = "account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
                                   "sum_value_business_hours, created_at, updated_at";

// ---------------------------------------------------------------------------------------------
// (d) The write floor: the engine's rows inserted as they are into an empty table with the same
// indexes (ON CONFLICT DO NOTHING, like Chatwoot's insert_all), one transaction.
// What any implementation pays to store these rows, whatever its aggregation.
// ---------------------------------------------------------------------------------------------
qint64 writeFloor(Connection &c, qint64 accountId)
{
    c.begin();
    try {
        QSqlQuery q = c.run(QStringLiteral("INSERT INTO rollups_write_floor (%1) SELECT %1 FROM reporting_events_rollups "
                                           "WHERE account_id = ?::int ON CONFLICT DO NOTHING")
                                .arg(QLatin1String(kRollupColumns)),
                            {accountId}, QStringLiteral("write floor"));
        const qint64 rows = q.numRowsAffected();
        c.commit();
        return rows;
    } catch (...) {
        c.rollback();
        throw;
    }
}

// (d2) The same rows written the engine's way by two connections at once: plain INSERT in
// unique-key order, each connection one half of the days in one transaction. A lower bound for
// any two-connection writer of these rows on this server (the engine also aggregates).
qint64 parallelWriteFloor(const ConnectionSettings &settings, qint64 accountId, const QList<DayWindow> &windows)
{
    const qsizetype half = windows.size() / 2;
    const QList<std::pair<QString, QString>> halves
        = {{formatLocalDate(windows.first().day), formatLocalDate(windows.at(half - 1).day)},
           {formatLocalDate(windows.at(half).day), formatLocalDate(windows.last().day)}};
    std::vector<qint64> rows(2, 0);
    std::vector<QString> errors(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&, i]() {
            try {
                Connection c(settings);
                c.begin();
                QSqlQuery q
                    = c.run(QStringLiteral("INSERT INTO rollups_write_floor2 (%1) SELECT %1 FROM reporting_events_rollups "
                                           "WHERE account_id = ?::int AND date BETWEEN ?::date AND ?::date "
                                           "ORDER BY date, dimension_type, dimension_id, metric")
                                .arg(QLatin1String(kRollupColumns)),
                            {accountId, halves.at(i).first, halves.at(i).second}, QStringLiteral("parallel write floor"));
                rows[size_t(i)] = q.numRowsAffected();
                c.commit();
            } catch (const DbError &e) {
                errors[size_t(i)] = e.message();
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    for (const QString &e : errors)
        if (!e.isEmpty())
            throw DbError(e, QString());
    return rows[0] + rows[1];
}

// ---------------------------------------------------------------------------------------------
// Engine rows vs replay rows, compared on the server.
// ---------------------------------------------------------------------------------------------
struct Comparison
{
    qint64 compared = 0;
    qint64 mismatches = 0;
    qint64 engineRows = 0;
    qint64 replayRows = 0;
    QStringList samples;
};

Comparison compareTables(Connection &c, qint64 accountId)
{
    const QString joined = QStringLiteral(
        "WITH a AS (SELECT date, dimension_type, dimension_id, metric, count, sum_value AS sv, "
        "sum_value_business_hours AS sb FROM reporting_events_rollups WHERE account_id = ?::int), "
        "b AS (SELECT date, dimension_type, dimension_id, metric, count, sum_value AS sv, "
        "sum_value_business_hours AS sb FROM rollups_replay WHERE account_id = ?::int), "
        "j AS (SELECT coalesce(a.date, b.date) AS date, coalesce(a.dimension_type, b.dimension_type) AS dimension_type, "
        "coalesce(a.dimension_id, b.dimension_id) AS dimension_id, coalesce(a.metric, b.metric) AS metric, "
        "a.count AS ac, b.count AS bc, a.sv AS asv, b.sv AS bsv, a.sb AS asb, b.sb AS bsb, "
        "(a.date IS NULL OR b.date IS NULL OR a.count <> b.count "
        "OR abs(a.sv - b.sv) > 1e-6 * greatest(abs(a.sv), abs(b.sv)) "
        "OR abs(a.sb - b.sb) > 1e-6 * greatest(abs(a.sb), abs(b.sb))) AS bad "
        "FROM a FULL JOIN b ON a.date = b.date AND a.dimension_type = b.dimension_type "
        "AND a.dimension_id = b.dimension_id AND a.metric = b.metric) ");
    Comparison cmp;
    {
        QSqlQuery q = c.run(joined + QStringLiteral("SELECT count(*), count(*) FILTER (WHERE bad), count(ac), count(bc) FROM j"),
                            {accountId, accountId}, QStringLiteral("comparing engine and replay rows"));
        if (q.next()) {
            cmp.compared = q.value(0).toLongLong();
            cmp.mismatches = q.value(1).toLongLong();
            cmp.engineRows = q.value(2).toLongLong();
            cmp.replayRows = q.value(3).toLongLong();
        }
    }
    if (cmp.mismatches > 0) {
        QSqlQuery q
            = c.run(joined
                        + QStringLiteral("SELECT date::text, dimension_type, dimension_id, metric, ac, bc, asv, bsv, asb, bsb "
                                         "FROM j WHERE bad ORDER BY 1, 2, 3, 4 LIMIT 10"),
                    {accountId, accountId});
        while (q.next()) {
            QStringList cols;
            for (int i = 0; i < 10; ++i)
                cols << (q.isNull(i) ? QStringLiteral("-") : q.value(i).toString());
            cmp.samples << cols.join(QLatin1Char(' '));
        }
    }
    return cmp;
}

QString passFail(bool ok)
{
    return ok ? QStringLiteral("PASS") : QStringLiteral("FAIL");
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n == 0 ? 0.0 : n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

int runBench(qint64 events, bool keep, int workers, int repeats)
{
    QElapsedTimer total;
    total.start();
    const SysSeconds now{date::sys_days{date::year{2026} / 6 / 1}};
    const ZoneResolution zone = ZoneResolver::resolveName(QLatin1String(kBenchZone));
    if (!zone.usable()) {
        QTextStream(stderr) << "bench: time zone " << kBenchZone << " is not usable: " << zone.reason << Qt::endl;
        return 2;
    }

    BenchDatabase database(keep);
    out() << "database: " << database.name() << (keep ? " (kept)" : "") << Qt::endl;
    int status = 0;
    {
        Connection setup(database.settings());
        Schema::create(setup);
        setup.runScript(QStringLiteral("CREATE TABLE rollups_replay (LIKE reporting_events_rollups INCLUDING ALL)"));
        setup.runScript(QStringLiteral("CREATE TABLE rollups_write_floor (LIKE reporting_events_rollups INCLUDING ALL)"));
        setup.runScript(QStringLiteral("CREATE TABLE rollups_write_floor2 (LIKE reporting_events_rollups INCLUDING ALL)"));
        // The benchmark's own scratch tables: no autovacuum worker of theirs runs during the next
        // timing (the rollups table itself keeps the server's settings).
        setup.runScript(QStringLiteral("ALTER TABLE rollups_replay SET (autovacuum_enabled = false); "
                                       "ALTER TABLE rollups_write_floor SET (autovacuum_enabled = false); "
                                       "ALTER TABLE rollups_write_floor2 SET (autovacuum_enabled = false)"));

        // 1. data
        QElapsedTimer clock;
        clock.start();
        generate(setup, events);
        const double generationSeconds = seconds(clock);
        out() << "generation: " << 2 * events << " events (2 accounts) in " << fixed(generationSeconds, 1)
              << " s, incl. index rebuild, VACUUM ANALYZE, CHECKPOINT; reporting_events "
              << scalar(setup, QStringLiteral("SELECT pg_total_relation_size('reporting_events') / 1048576")) << " MB"
              << Qt::endl;

        // 2. plan: first .. last event's local date, explicit dates
        const EventSpan span = AccountRepository(setup).eventSpan(kBenchAccount);
        if (!span.first || !span.last) {
            QTextStream(stderr) << "bench: account 1 has no events" << Qt::endl;
            return 2;
        }
        BackfillRequest request;
        request.accountId = kBenchAccount;
        request.range.from = formatLocalDate(DayWindows::localDateOf(zone.zone, *span.first));
        request.range.to = formatLocalDate(DayWindows::localDateOf(zone.zone, *span.last));
        request.countEvents = true;
        clock.restart();
        const BackfillPlan plan = BackfillPlanner::plan(setup, request, now);
        const double planSeconds = seconds(clock);
        if (plan.empty()) {
            QTextStream(stderr) << "bench: empty plan: " << plan.note << Qt::endl;
            return 2;
        }
        const QList<DayWindow> windows = DayWindows::windows(zone.zone, plan.range.from, plan.range.to);
        out() << "account " << kBenchAccount << ": " << kBenchZone << ", " << request.range.from << " .. " << request.range.to
              << ", " << plan.eventsInRange << " events in range (all names), plan " << fixed(planSeconds) << " s" << Qt::endl;

        // warm-up: (c) and (c old) once each, untimed, so every contender finds the table and its
        // indexes in the cache
        clock.restart();
        qint64 floorRows = 0;
        EngineFloor engineFloor;
        {
            Connection warm(database.settings());
            engineFloor = engineFloorPass(warm, kBenchAccount, windows);
        }
        const double warmEngineFloor = seconds(clock);
        clock.restart();
        {
            Connection warm(database.settings());
            floorRows = floorPass(warm, kBenchAccount, QLatin1String(kBenchZone), windows.first(), windows.last());
        }
        out() << "warm-up: one untimed floor pass each, c " << fixed(warmEngineFloor) << " s, c_old " << fixed(seconds(clock))
              << " s; then " << repeats
              << " rounds of a, e, b, c, c_old, d, d2 in that order, each on fresh connections, after emptying the output tables "
                 "and a"
              << " CHECKPOINT; a, b, d, d2 write into empty tables with the same indexes; ratios use the medians" << Qt::endl;

        QList<double> aRuns, bRuns, cRuns, cOldRuns, dRuns, d2Runs, eRuns;
        qint64 parallelWriteFloorRows = 0;
        int chunks = 0;
        int maxChunk = 0;
        BackfillResult engine;
        VerifyResult verified;
        ReplayResult replayed;
        qint64 floorRowsTimed = 0;
        EngineFloor engineFloorTimed;
        qint64 writeFloorRows = 0;
        double rssAfterEngine = 0;
        double rssAfterVerify = 0;
        for (int round = 0; round < repeats; ++round) {
            setup.runScript(
                QStringLiteral("TRUNCATE reporting_events_rollups, rollups_replay, rollups_write_floor, rollups_write_floor2"));
            try {
                setup.runScript(QStringLiteral("CHECKPOINT"));
            } catch (const DbError &) {
                // needs superuser or pg_checkpoint; the throwaway server's user has it
            }
            // (a) the engine
            chunks = 0;
            maxChunk = 0;
            {
                Connection c(database.settings());
                clock.restart();
                engine = BackfillEngine::run(
                    JobContext(c.settings()), c, plan,
                    [&](const BackfillProgress &p) {
                        ++chunks;
                        maxChunk = std::max(maxChunk, int(p.chunkDays.size()));
                    },
                    7, workers);
            }
            aRuns << seconds(clock);
            if (round == 0)
                rssAfterEngine = peakRssMb();
            if (engine.outcome != BackfillResult::Outcome::Completed) {
                QTextStream(stderr) << "bench: engine did not complete: " << engine.error << Qt::endl;
                return 2;
            }

            // (e) verify of the whole range against the engine's rows (must be clean)
            {
                Connection c(database.settings());
                clock.restart();
                VerifyRequest vr;
                vr.accountId = kBenchAccount;
                vr.range = request.range;
                verified = VerifyEngine::run(JobContext(c.settings()), c, vr, now);
            }
            eRuns << seconds(clock);
            rssAfterVerify = peakRssMb();

            // (b) Chatwoot's per-day pattern
            {
                Connection c(database.settings());
                clock.restart();
                replayed = replay(c, kBenchAccount, windows);
            }
            bRuns << seconds(clock);

            // (c) the floor under the engine's settings and bucketing
            {
                Connection c(database.settings());
                clock.restart();
                engineFloorTimed = engineFloorPass(c, kBenchAccount, windows);
            }
            cRuns << seconds(clock);

            // (c old) the floor as first measured
            {
                Connection c(database.settings());
                clock.restart();
                floorRowsTimed = floorPass(c, kBenchAccount, QLatin1String(kBenchZone), windows.first(), windows.last());
            }
            cOldRuns << seconds(clock);

            // (d) the write floor
            {
                Connection c(database.settings());
                clock.restart();
                writeFloorRows = writeFloor(c, kBenchAccount);
            }
            dRuns << seconds(clock);

            // (d2) the write floor with two connections, the engine's way
            clock.restart();
            parallelWriteFloorRows = parallelWriteFloor(database.settings(), kBenchAccount, windows);
            d2Runs << seconds(clock);
            out() << "round " << round + 1 << ": a " << fixed(aRuns.last()) << " s, e " << fixed(eRuns.last()) << " s, b "
                  << fixed(bRuns.last()) << " s, c " << fixed(cRuns.last()) << " s, c_old " << fixed(cOldRuns.last()) << " s, d "
                  << fixed(dRuns.last()) << " s, d2 " << fixed(d2Runs.last()) << " s" << Qt::endl;
        }
        const double aSeconds = median(aRuns);
        const double bSeconds = median(bRuns);
        const double cSeconds = median(cRuns);
        const double cOldSeconds = median(cOldRuns);
        const double dSeconds = median(dRuns);
        const double d2Seconds = median(d2Runs);
        const double eSeconds = median(eRuns);
        if (floorRowsTimed != floorRows)
            QTextStream(stderr) << "bench: floor pass row counts differ (" << floorRows << " vs " << floorRowsTimed << ")"
                                << Qt::endl;
        if (engineFloorTimed.groups != engineFloor.groups || engineFloorTimed.groups != floorRowsTimed)
            QTextStream(stderr) << "bench: floor group counts differ (c " << engineFloor.groups << " vs "
                                << engineFloorTimed.groups << ", c_old " << floorRowsTimed << ")" << Qt::endl;

        // 4. identical tables?
        clock.restart();
        const Comparison cmp = compareTables(setup, kBenchAccount);
        const double compareSeconds = seconds(clock);

        // 5. report
        const double rss = peakRssMb();
        const double ab = aSeconds / bSeconds;
        const double ac = aSeconds / cSeconds;
        out() << "events per account: " << events << Qt::endl;
        out() << "days: " << plan.windows.size() << Qt::endl;
        out() << "rows written (a engine): " << engine.rowsWritten << Qt::endl;
        out() << "rows written (b replay): " << replayed.rows << Qt::endl;
        out() << "events read (a engine): " << engine.eventsRead << Qt::endl;
        out() << "engine chunks: " << chunks << " (largest " << maxChunk
              << " days; 3 statements each: settings, DELETE, INSERT … SELECT; plus lock/unlock)" << Qt::endl;
        out() << "replay statements: " << replayed.statements << " in " << replayed.days << " transactions" << Qt::endl;
        out() << "floor rows fetched (c_old): " << floorRowsTimed << Qt::endl;
        out() << "floor groups counted on the server (c): " << engineFloorTimed.groups << " in "
              << engineFloorTimed.shiftStatements + engineFloorTimed.boundaryStatements << " statements ("
              << engineFloorTimed.shiftStatements << " by shift, " << engineFloorTimed.boundaryStatements
              << " by boundaries), one transaction" << Qt::endl;
        out() << "a engine s (median): " << fixed(aSeconds) << Qt::endl;
        out() << "b chatwoot per-day replay s (median): " << fixed(bSeconds) << Qt::endl;
        out() << "c (old: initdb defaults, AT TIME ZONE, groups fetched) s (median): " << fixed(cOldSeconds) << Qt::endl;
        out() << "c (engine settings and bucketing, count only) s (median): " << fixed(cSeconds) << Qt::endl;
        out() << "d write floor (" << writeFloorRows << " engine rows into an empty indexed copy) s (median): " << fixed(dSeconds)
              << Qt::endl;
        out() << "d2 write floor, 2 connections at once (" << parallelWriteFloorRows
              << " rows, plain INSERT in key order, half the days each) s (median): " << fixed(d2Seconds) << Qt::endl;
        out() << "a/b: " << fixed(ab) << Qt::endl;
        out() << "a/c: " << fixed(ac) << Qt::endl;
        out() << "a/c_old: " << fixed(aSeconds / cOldSeconds) << " (informational: against the floor as first measured)"
              << Qt::endl;
        out() << "d/b: " << fixed(dSeconds / bSeconds) << ", d/c: " << fixed(dSeconds / cSeconds)
              << ", (a-d)/c: " << fixed((aSeconds - dSeconds) / cSeconds) << " (informational: the write share)" << Qt::endl;
        out() << "d2/b: " << fixed(d2Seconds / bSeconds) << ", d2/c: " << fixed(d2Seconds / cSeconds)
              << ", a/d2: " << fixed(aSeconds / d2Seconds) << " (informational: writing alone, as the engine writes)" << Qt::endl;
        out() << "e verify (whole range, " << verified.summary.keys << " keys, " << verified.summary.matches
              << " match) s (median): " << fixed(eSeconds) << Qt::endl;
        out() << "e/c: " << fixed(eSeconds / cSeconds) << Qt::endl;
        out() << "engine workers: " << workers << Qt::endl;
        out() << "peak RSS after a MB: " << fixed(rssAfterEngine, 1) << ", after e MB: " << fixed(rssAfterVerify, 1) << Qt::endl;
        out() << "peak RSS MB (whole program): " << fixed(rss, 1) << Qt::endl;
        out() << "identical tables: " << cmp.compared << " rows compared (engine " << cmp.engineRows << ", replay "
              << cmp.replayRows << "), " << cmp.mismatches << " mismatches (" << fixed(compareSeconds) << " s)" << Qt::endl;
        for (const QString &s : cmp.samples)
            out() << "  mismatch: " << s << Qt::endl;
        // a runs first, so the peak after a is the engine's; verify's own target is 300 MB.
        out() << "targets: a/b <= 0.2 (" << passFail(ab <= 0.2) << "), a/c <= 1.5 (" << passFail(ac <= 1.5)
              << "), engine peak RSS < 150 MB (" << passFail(rssAfterEngine < 150) << "), e/c <= 1.5 ("
              << passFail(eSeconds / cSeconds <= 1.5) << "), verify peak RSS < 300 MB (" << passFail(rssAfterVerify < 300)
              << "), verify clean (" << passFail(verified.summary.clean() && verified.summary.keys == engine.rowsWritten) << ")"
              << Qt::endl;
        if (cmp.mismatches > 0 || cmp.compared == 0 || !verified.summary.clean())
            status = 1;
    }
    out() << "total s: " << fixed(seconds(total), 1) << Qt::endl;
    return status;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_backfill"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times the backfill engine against Chatwoot's per-day pattern and a single grouped pass. "
                       "Needs PGHOST/PGPORT/PGUSER of a throwaway server (scripts/bench.sh)."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("events"), QStringLiteral("events per account (default 2000000)"), QStringLiteral("n"),
                      QStringLiteral("2000000")});
    parser.addOption({QStringLiteral("keep-database"), QStringLiteral("do not drop bench_<pid> at the end")});
    parser.addOption({QStringLiteral("workers"), QStringLiteral("engine worker connections (default 2)"), QStringLiteral("n"),
                      QStringLiteral("2")});
    parser.addOption({QStringLiteral("repeat"),
                      QStringLiteral("timed rounds of a, e, b, c, c_old, d, d2 (default 3; medians are reported)"),
                      QStringLiteral("n"), QStringLiteral("3")});
    parser.process(app);
    const int workers = parser.value(QStringLiteral("workers")).toInt();
    if (workers < 1 || workers > 8) {
        QTextStream(stderr) << "bench: --workers must be 1 to 8" << Qt::endl;
        return 2;
    }
    const int repeats = parser.value(QStringLiteral("repeat")).toInt();
    if (repeats < 1 || repeats > 20) {
        QTextStream(stderr) << "bench: --repeat must be 1 to 20" << Qt::endl;
        return 2;
    }
    bool ok = false;
    const qint64 events = parser.value(QStringLiteral("events")).toLongLong(&ok);
    if (!ok || events < 1000 || events > 100000000) {
        QTextStream(stderr) << "bench: --events must be an integer from 1000 to 100000000" << Qt::endl;
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("PGPORT")) {
        QTextStream(stderr) << "bench: PGHOST/PGPORT/PGUSER are not set: run scripts/bench.sh" << Qt::endl;
        return 2;
    }
    try {
        return runBench(events, parser.isSet(QStringLiteral("keep-database")), workers, repeats);
    } catch (const DbError &e) {
        QTextStream(stderr) << "bench: " << e.message() << Qt::endl;
    } catch (const PlanError &e) {
        QTextStream(stderr) << "bench: " << e.message() << Qt::endl;
    }
    return 2;
}
