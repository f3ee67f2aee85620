// bench_scale: the console on a database of installation size. Generates (or reuses) a fleet of
// accounts with 10^2 .. 10^6 events each, interleaved in time (scale_data.h), and times the real
// rollup-console binary on it, each figure also as a ratio to one sequential scan of
// reporting_events measured in the same run:
//   s   SELECT count(*) FROM reporting_events, sequential scan, warm, median of 3 (the unit;
//       p and l are also divided by scans timed right before each of their runs);
//   p   backfill --account <largest> --dry-run (and the median-sized account);
//   l   accounts --format csv (all accounts with their statistics);
//   c   one grouped pass over all events (account, UTC day, name, user) under the engine's
//       session settings: the aggregation floor of a fleet backfill;
//   d   the rows of a full fleet backfill written with one INSERT … SELECT into an empty indexed
//       copy of reporting_events_rollups: the write floor;
//   fb  backfill --all --yes (then, untimed, VACUUM ANALYZE of the rollups);
//   fv  verify --all --format csv (when the binary has --all), with (c) again right before and
//       right after it.
// (l) and (fv) find the rollups table vacuumed, whether (fb) wrote it or the bench restored it.
//
// Not a unit test (not registered with ctest): run it through `scripts/bench.sh --scale`, which
// starts a PostgreSQL server and exports PGHOST/PGPORT/PGUSER. The database bench_scale is kept
// in the server and reused when it holds a generation of the same parameters.
//
// Exit status: 0 when everything ran (targets are reported, not enforced), 1 when a CLI run
// failed or a fleet backfill did not write the expected rows, 2 on a usage or database error.

#include "scale_cli.h"
#include "scale_data.h"

#include "core/metricregistry.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupsql.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <optional>

namespace {

using namespace rollup;
using scale::checkpoint;
using scale::ChildRun;
using scale::CliRunner;
using scale::CsvSummary;
using scale::median;
using scale::summarizeCsv;
using scale::timeCli;
using scale::Timed;

const char *const kDatabase = "bench_scale";
const QStringList kMeasurements = {QStringLiteral("s"), QStringLiteral("p"),  QStringLiteral("l"), QStringLiteral("c"),
                                   QStringLiteral("d"), QStringLiteral("fb"), QStringLiteral("fv")};

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double seconds(const QElapsedTimer &clock)
{
    return clock.nsecsElapsed() / 1e9;
}
QString fixed(double value, int decimals = 3)
{
    return QString::number(value, 'f', decimals);
}
QString passFail(bool ok)
{
    return ok ? QStringLiteral("PASS") : QStringLiteral("FAIL");
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

qint64 scalar(Connection &c, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q = c.run(sql, values);
    return q.next() ? q.value(0).toLongLong() : -1;
}

QString setting(Connection &c, const char *name)
{
    QSqlQuery q = c.run(QStringLiteral("SELECT current_setting(?)"), {QLatin1String(name)});
    return q.next() ? q.value(0).toString() : QString();
}

// ---------------------------------------------------------------------------------------------
// The measurements on the database side.
// ---------------------------------------------------------------------------------------------

// (s) One sequential scan by one process (no index, bitmap or index-only scans, no parallel
// workers, no JIT), on a connection of its own kept open so that a scan can also be timed right
// beside another figure. The first scan (in the constructor) warms the cache up and is not timed.
class SequentialScan
{
public:
    explicit SequentialScan(const ConnectionSettings &settings) : m_connection(settings)
    {
        m_connection.runScript(
            QStringLiteral("SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off; "
                           "SET max_parallel_workers_per_gather = 0; SET jit = off"));
        m_rows = scalar(m_connection, kSql);
    }
    double once()
    {
        QElapsedTimer clock;
        clock.start();
        m_rows = scalar(m_connection, kSql);
        return seconds(clock);
    }
    qint64 rows() const { return m_rows; }

private:
    inline static const QString kSql = QStringLiteral("SELECT count(*) FROM reporting_events");
    Connection m_connection;
    qint64 m_rows = 0;
};

// (c) Groups of (account, UTC day, name, user) over every rolled-up event, counted on the server,
// one connection, one transaction with RollupSql::chunkSettings() (work_mem 64MB, no JIT, no
// parallel workers). A UTC day, not each account's local day: the floor of the aggregation.
qint64 aggregatePass(const ConnectionSettings &settings, double *elapsed)
{
    Connection c(settings);
    QElapsedTimer clock;
    clock.start();
    c.begin();
    qint64 groups = -1;
    try {
        c.run(RollupSql::chunkSettings(), {}, QStringLiteral("floor settings"));
        groups = scalar(c,
                        QStringLiteral("SELECT count(*) FROM (SELECT account_id, created_at::date AS day, name, user_id "
                                       "FROM reporting_events WHERE name = ANY(?::text[]) GROUP BY 1, 2, 3, 4) g"),
                        {pgArray(MetricRegistry::eventNames())});
        c.commit();
    } catch (...) {
        c.rollback();
        throw;
    }
    *elapsed = seconds(clock);
    return groups;
}

// (d) The full fleet's rollup rows (bench_fleet_rows, in unique-key order) inserted into an empty
// copy of reporting_events_rollups with the same indexes, one statement, one transaction
// (ON CONFLICT DO NOTHING, like Chatwoot's insert_all). Leaves the copy empty again.
qint64 writeFloor(Connection &setup, const ConnectionSettings &settings, double *elapsed, qint64 *copyBytes)
{
    setup.runScript(QStringLiteral("TRUNCATE rollups_write_floor"));
    checkpoint(setup);
    qint64 rows = 0;
    {
        Connection c(settings);
        QElapsedTimer clock;
        clock.start();
        c.begin();
        try {
            QSqlQuery q
                = c.run(QStringLiteral("INSERT INTO rollups_write_floor (%1, created_at, updated_at) "
                                       "SELECT %1, ?::timestamp, ?::timestamp FROM bench_fleet_rows ON CONFLICT DO NOTHING")
                            .arg(scale::rollupColumns()),
                        {QLatin1String(scale::kSpanEnd), QLatin1String(scale::kSpanEnd)}, QStringLiteral("write floor"));
            rows = q.numRowsAffected();
            c.commit();
        } catch (...) {
            c.rollback();
            throw;
        }
        *elapsed = seconds(clock);
    }
    *copyBytes = scalar(setup, QStringLiteral("SELECT pg_total_relation_size('rollups_write_floor')"));
    setup.runScript(QStringLiteral("TRUNCATE rollups_write_floor"));
    return rows;
}

// reporting_events_rollups against bench_fleet_rows, key by key (counts equal, sums within 1e-6
// relative): the number of keys that differ.
qint64 differencesFromFleetRows(Connection &c)
{
    return scalar(c, QStringLiteral("SELECT count(*) FROM (SELECT %1 FROM reporting_events_rollups) a "
                                    "FULL JOIN bench_fleet_rows b USING (account_id, date, dimension_type, dimension_id, metric) "
                                    "WHERE a.count IS DISTINCT FROM b.count "
                                    "OR abs(a.sum_value - b.sum_value) > 1e-6 * greatest(abs(a.sum_value), abs(b.sum_value), 1) "
                                    "OR abs(a.sum_value_business_hours - b.sum_value_business_hours) > "
                                    "1e-6 * greatest(abs(a.sum_value_business_hours), abs(b.sum_value_business_hours), 1) "
                                    "OR a.sum_value IS NULL OR b.sum_value IS NULL")
                         .arg(scale::rollupColumns()));
}

QString ratio(double value, double unit)
{
    return unit > 0 ? fixed(value / unit) : QStringLiteral("n/a");
}

struct Options
{
    int accounts = 10000;
    qint64 events = 20000000;
    QSet<QString> only;
    QString cli;
    bool regenerate = false;
};

int runScale(const Options &o)
{
    QElapsedTimer total;
    total.start();
    QString error;
    const scale::Fleet fleet = scale::planFleet(o.accounts, o.events, &error);
    if (!error.isEmpty()) {
        QTextStream(stderr) << "bench_scale: " << error << Qt::endl;
        return 2;
    }
    auto wanted = [&](const char *key) { return o.only.isEmpty() || o.only.contains(QLatin1String(key)); };
    const ConnectionSettings settings = serverSettings(QLatin1String(kDatabase));

    // 1. the database: reuse a complete generation of the same parameters, else generate
    bool reuse = false;
    {
        Connection admin(serverSettings(QStringLiteral("postgres")));
        admin.runScript(QStringLiteral("SET client_min_messages = warning"));
        const bool exists
            = scalar(admin, QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = ?"), {QLatin1String(kDatabase)}) > 0;
        if (exists && !o.regenerate) {
            Connection probe(settings);
            reuse = scale::matchesParameters(probe, o.accounts, o.events);
        }
        if (!reuse) {
            admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(kDatabase)));
            admin.runScript(QStringLiteral("CREATE DATABASE %1").arg(QLatin1String(kDatabase)));
        }
    }
    Connection setup(settings);
    out() << "server: PostgreSQL " << setup.serverVersion() << ", database " << kDatabase << " on " << settings.host << ":"
          << settings.port << "; shared_buffers " << setting(setup, "shared_buffers") << ", fsync " << setting(setup, "fsync")
          << ", synchronous_commit " << setting(setup, "synchronous_commit") << Qt::endl;
    scale::printFleet(out(), fleet);
    if (reuse) {
        out() << "generation: reused (generated in " << scale::parameter(setup, QStringLiteral("generation_seconds"))
              << " s by an earlier run; --regenerate to rebuild)" << Qt::endl;
    } else {
        QElapsedTimer clock;
        clock.start();
        scale::generate(setup, fleet, [&](const QString &line) {
            QTextStream(stderr) << "generation: " << line << " (" << fixed(seconds(clock), 1) << " s)" << Qt::endl;
        });
        const double generationSeconds = seconds(clock);
        scale::setParameter(setup, QStringLiteral("generation_seconds"), fixed(generationSeconds, 1));
        out() << "generation: " << o.events << " events in " << fixed(generationSeconds, 1)
              << " s (server-side, time-ordered batches; indexes built after the load, VACUUM ANALYZE, CHECKPOINT; "
                 "full-fleet and live-path rollup rows)"
              << Qt::endl;
    }

    // 2. what the data looks like
    {
        QSqlQuery q = setup.run(QStringLiteral(
            "SELECT attname, correlation FROM pg_stats WHERE schemaname = 'public' AND tablename = 'reporting_events' "
            "AND attname IN ('created_at', 'account_id', 'id') ORDER BY attname"));
        QStringList parts;
        while (q.next())
            parts << QStringLiteral("%1 %2").arg(q.value(0).toString(), fixed(q.value(1).toDouble()));
        out() << "physical order (pg_stats correlation): " << parts.join(QStringLiteral(", ")) << Qt::endl;
    }
    const qint64 fleetRows = scalar(setup, QStringLiteral("SELECT count(*) FROM bench_fleet_rows"));
    const qint64 liveRows = scalar(setup, QStringLiteral("SELECT count(*) FROM bench_live_rollups"));
    const qint64 eventBytes = scalar(setup, QStringLiteral("SELECT pg_total_relation_size('reporting_events')"));
    const qint64 tableBytes = scalar(setup, QStringLiteral("SELECT pg_relation_size('reporting_events')"));
    const double perMillion = 1e6 / double(o.events) / 1048576.0;
    out() << "reporting_events: " << eventBytes / 1048576 << " MB with indexes (table " << tableBytes / 1048576
          << " MB) = " << fixed(double(eventBytes) * perMillion, 1) << " MB per million events (table "
          << fixed(double(tableBytes) * perMillion, 1) << "); rollup rows of a full fleet backfill: " << fleetRows
          << "; live-path rows: " << liveRows << Qt::endl;

    if (o.events < 5000000)
        out() << "note: below a few million events the CLI's fixed costs (process start, connection, schema check) "
                 "outweigh a scan of the table: the ratios and targets mean something at installation size only"
              << Qt::endl;

    QTemporaryDir scratch;
    if (!scratch.isValid()) {
        QTextStream(stderr) << "bench_scale: no temporary directory" << Qt::endl;
        return 2;
    }
    CliRunner cli(o.cli, settings.toUrl(), scratch.path());
    int status = 0;
    std::optional<double> sSeconds, pSeconds, lSeconds, cSeconds, dSeconds, fbSeconds, fvSeconds;
    std::optional<double> fbRss, fvRss;

    // (s) the unit
    SequentialScan scan(settings);
    {
        const QList<double> runs = {scan.once(), scan.once(), scan.once()};
        sSeconds = median(runs);
        out() << "s  sequential scan, SELECT count(*) FROM reporting_events (" << scan.rows()
              << " rows; one process: no index/bitmap/index-only scans, no parallel workers, no JIT; warm, median of 3): "
              << fixed(*sSeconds) << " s [" << fixed(runs.at(0)) << ", " << fixed(runs.at(1)) << ", " << fixed(runs.at(2)) << "]"
              << Qt::endl;
    }
    const double unit = *sSeconds;
    // The machine's speed moves within minutes, so a short figure is also divided by the scans
    // timed right before each of its runs (their median): the ratio to a unit measured beside it.
    // The targets are judged on that ratio; the ratio to the run's s is printed too.
    std::optional<double> pBeside, lBeside;
    auto timedBesideScans = [&](const QStringList &args, std::optional<double> *besideUnit) {
        QList<double> scans;
        const Timed t = timeCli(cli, args, 3, [&]() { scans << scan.once(); });
        if (t.ok)
            *besideUnit = median(scans);
        return t;
    };
    auto besideText = [](double figure, const std::optional<double> &besideUnit) {
        return besideUnit ? QStringLiteral("%1 of the scans beside its runs (median %2 s)")
                                .arg(ratio(figure, *besideUnit), fixed(*besideUnit))
                          : QStringLiteral("n/a");
    };

    // (p) dry runs: live-path rollups in place, as before a backfill
    if (wanted("p")) {
        scale::ensureRollupState(setup, scale::RollupState::Live);
        for (const scale::AccountPlan *a : {&fleet.largest(), &fleet.medianUsable()}) {
            const bool largest = a == &fleet.largest();
            std::optional<double> besideUnit;
            const Timed t = timedBesideScans(
                {QStringLiteral("backfill"), QStringLiteral("--account"), QString::number(a->id), QStringLiteral("--dry-run")},
                &besideUnit);
            const QString label = largest ? QStringLiteral("p ") : QStringLiteral("p_median ");
            if (!t.ok) {
                out() << label << "backfill --account " << a->id << " --dry-run failed (exit " << t.last.exitCode
                      << "): " << t.last.lastErrorLine() << Qt::endl;
                status = 1;
                continue;
            }
            if (largest) {
                pSeconds = t.seconds;
                pBeside = besideUnit;
            }
            out() << label << "backfill --account " << a->id << " --dry-run (" << (largest ? "largest" : "median-sized") << ", "
                  << a->events << " events): " << fixed(t.seconds) << " s = " << ratio(t.seconds, unit) << " s-units, "
                  << besideText(t.seconds, besideUnit) << " (wall clock, median of 3 after a warm-up run), peak RSS "
                  << fixed(t.peakRssMb, 1) << " MB" << Qt::endl;
        }
    }

    // (c) the aggregation floor
    if (wanted("c")) {
        double elapsed = 0;
        const qint64 groups = aggregatePass(settings, &elapsed);
        cSeconds = elapsed;
        out() << "c  one grouped pass over all events of the five rolled-up names: " << groups
              << " groups of (account, UTC day created_at::date, name, user_id), counted on the server, one connection, "
                 "RollupSql::chunkSettings(): "
              << fixed(elapsed) << " s = " << ratio(elapsed, unit) << " s-units" << Qt::endl;
    }

    // (d) the write floor
    if (wanted("d")) {
        double elapsed = 0;
        qint64 copyBytes = 0;
        const qint64 rows = writeFloor(setup, settings, &elapsed, &copyBytes);
        dSeconds = elapsed;
        out() << "d  " << rows
              << " rollup rows (a full fleet backfill's) into an empty indexed copy, one INSERT … SELECT: " << fixed(elapsed)
              << " s = " << ratio(elapsed, unit) << " s-units; the copy took " << copyBytes / 1048576 << " MB with its indexes"
              << Qt::endl;
    }

    // (fb) the fleet backfill, from the live-path state
    bool fbAvailable = true;
    bool fvAvailable = true;
    if (wanted("fb")) {
        scale::ensureRollupState(setup, scale::RollupState::Live);
        scale::forgetRollupState(setup);
        checkpoint(setup);
        const ChildRun r = cli.run({QStringLiteral("backfill"), QStringLiteral("--all"), QStringLiteral("--yes")});
        if (r.unknownOption()) {
            fbAvailable = false;
            scale::rememberRollupState(setup, scale::RollupState::Live); // nothing was written
            out() << "fb backfill --all --yes: not available (" << r.lastErrorLine() << ")" << Qt::endl;
        } else {
            const qint64 accounts
                = scalar(setup, QStringLiteral("SELECT count(DISTINCT account_id) FROM reporting_events_rollups"));
            const qint64 rows = scalar(setup, QStringLiteral("SELECT count(*) FROM reporting_events_rollups"));
            const qint64 differences = differencesFromFleetRows(setup);
            if (r.exitCode == 0 && differences == 0)
                scale::rememberRollupState(setup, scale::RollupState::FullFleet);
            if (r.exitCode != 0 || differences != 0)
                status = 1;
            fbSeconds = r.seconds;
            fbRss = r.peakRssMb;
            out() << "fb backfill --all --yes: exit " << r.exitCode << ", " << fixed(r.seconds)
                  << " s = " << ratio(r.seconds, unit) << " s-units, peak RSS " << fixed(r.peakRssMb, 1) << " MB; " << accounts
                  << " accounts with rollups (expected " << fleet.usableAccounts() << "), " << rows << " rows (expected "
                  << fleetRows << "), " << differences << " keys differ from the expected rows"
                  << (r.exitCode != 0 ? QStringLiteral("; ") + r.lastErrorLine() : QString()) << Qt::endl;
            // Untimed: autovacuum of the table just written may still be running, or start, beside
            // the next timings; a VACUUM now waits for it or does its work. (l) and (fv) then find
            // the table as they do when this run restores it rather than backfilling it.
            QElapsedTimer settle;
            settle.start();
            scale::settleRollups(setup);
            out() << "   (untimed) VACUUM (ANALYZE) reporting_events_rollups and CHECKPOINT after the fleet backfill: "
                  << fixed(settle.elapsed() / 1000.0) << " s" << Qt::endl;
        }
    }

    // (l) the accounts list, with a full fleet's rollups in place (the heavier, adopted state)
    if (wanted("l")) {
        scale::ensureRollupState(setup, scale::RollupState::FullFleet);
        const Timed t
            = timedBesideScans({QStringLiteral("accounts"), QStringLiteral("--format"), QStringLiteral("csv")}, &lBeside);
        if (!t.ok) {
            out() << "l  accounts --format csv failed (exit " << t.last.exitCode << "): " << t.last.lastErrorLine() << Qt::endl;
            status = 1;
        } else {
            lSeconds = t.seconds;
            out() << "l  accounts --format csv (" << summarizeCsv(t.last.stdoutPath).lines - 1
                  << " accounts, full-fleet rollups in place): " << fixed(t.seconds) << " s = " << ratio(t.seconds, unit)
                  << " s-units, " << besideText(t.seconds, lBeside) << " (wall clock, median of 3 after a warm-up run), peak RSS "
                  << fixed(t.peakRssMb, 1) << " MB" << Qt::endl;
        }
    }

    // (fv) the fleet verify, against a full fleet's rollups (everything should match), between two
    // more aggregation floors (when (c) is wanted): its ratio to c measured right beside it.
    std::optional<double> cBeside;
    if (wanted("fv")) {
        scale::ensureRollupState(setup, scale::RollupState::FullFleet);
        std::optional<double> cBefore;
        if (wanted("c")) {
            double elapsed = 0;
            aggregatePass(settings, &elapsed);
            cBefore = elapsed;
        }
        checkpoint(setup);
        const ChildRun r
            = cli.run({QStringLiteral("verify"), QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv")});
        if (r.unknownOption()) {
            fvAvailable = false;
            out() << "fv verify --all --format csv: not available (" << r.lastErrorLine() << ")" << Qt::endl;
        } else {
            const CsvSummary csv = summarizeCsv(r.stdoutPath);
            if (r.exitCode != 0)
                status = 1;
            fvSeconds = r.seconds;
            fvRss = r.peakRssMb;
            out() << "fv verify --all --format csv: exit " << r.exitCode << ", " << fixed(r.seconds)
                  << " s = " << ratio(r.seconds, unit) << " s-units, peak RSS " << fixed(r.peakRssMb, 1) << " MB; " << csv.lines
                  << " output lines, accounts in the output: "
                  << (csv.accounts >= 0 ? QString::number(csv.accounts) : QStringLiteral("no account column")) << " (expected "
                  << fleet.usableAccounts() << ")" << (r.exitCode != 0 ? QStringLiteral("; ") + r.lastErrorLine() : QString())
                  << Qt::endl;
        }
        QFile::remove(r.stdoutPath);
        if (cBefore && fvAvailable) {
            double after = 0;
            aggregatePass(settings, &after);
            cBeside = (*cBefore + after) / 2;
            out() << "c  beside fv: " << fixed(*cBefore) << " s right before it, " << fixed(after) << " s right after it (mean "
                  << fixed(*cBeside) << " s)" << Qt::endl;
        }
    }

    // report
    out() << "database " << kDatabase << ": "
          << scalar(setup, QStringLiteral("SELECT pg_database_size(current_database()) / 1048576")) << " MB (events, the bench's "
          << "own copies of the fleet and live rollup rows, reporting_events_rollups as left by this run: "
          << scalar(setup, QStringLiteral("SELECT pg_total_relation_size('reporting_events_rollups') / 1048576")) << " MB)"
          << Qt::endl;
    auto target = [](const QString &name, const std::optional<double> &value, bool ok) {
        return value ? QStringLiteral("%1 %2 (%3)").arg(name, fixed(*value), passFail(ok)) : QStringLiteral("%1 n/a").arg(name);
    };
    std::optional<double> p, l, fbRatio, fvRatio;
    if (pSeconds && pBeside)
        p = *pSeconds / *pBeside;
    if (lSeconds && lBeside)
        l = *lSeconds / *lBeside;
    if (fbSeconds && cSeconds && dSeconds)
        fbRatio = *fbSeconds / (*cSeconds + *dSeconds);
    if (fvSeconds && cBeside)
        fvRatio = *fvSeconds / *cBeside;
    auto shown = [](const std::optional<double> &value, bool available) {
        return value ? fixed(*value) : available ? QStringLiteral("n/a") : QStringLiteral("not available");
    };
    out() << "to the run's s and c: p/s " << (pSeconds ? ratio(*pSeconds, unit) : QStringLiteral("n/a")) << ", l/s "
          << (lSeconds ? ratio(*lSeconds, unit) : QStringLiteral("n/a")) << ", fv/c "
          << (fvSeconds && cSeconds ? ratio(*fvSeconds, *cSeconds) : QStringLiteral("n/a")) << Qt::endl;
    out() << "fb/(c+d): " << shown(fbRatio, fbAvailable) << ", fv/c beside it: " << shown(fvRatio, fvAvailable) << Qt::endl;
    out() << "targets (p and l to the scans beside them, fv to the c beside it): "
          << target(QStringLiteral("p/s <= 0.15:"), p, p && *p <= 0.15) << ", "
          << target(QStringLiteral("l/s <= 0.4:"), l, l && *l <= 0.4) << ", "
          << target(QStringLiteral("fb/(c+d) <= 0.75:"), fbRatio, fbRatio && *fbRatio <= 0.75) << ", "
          << target(QStringLiteral("fv/c <= 1.5:"), fvRatio, fvRatio && *fvRatio <= 1.5) << ", "
          << target(QStringLiteral("fb peak RSS MB < 150:"), fbRss, fbRss && *fbRss < 150) << ", "
          << target(QStringLiteral("fv peak RSS MB < 150:"), fvRss, fvRss && *fvRss < 150) << Qt::endl;
    out() << "total s: " << fixed(seconds(total), 1) << Qt::endl;
    return status;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_scale"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Times rollup-console on a database of installation size (generated once, reused when the parameters match). "
        "Needs PGHOST/PGPORT/PGUSER of a bench server (scripts/bench.sh --scale)."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("accounts"), QStringLiteral("accounts (default 10000)"), QStringLiteral("n"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("events"), QStringLiteral("events in all (default 20000000)"), QStringLiteral("n"),
                      QStringLiteral("20000000")});
    parser.addOption({QStringLiteral("only"),
                      QStringLiteral("comma-separated subset of p,l,c,d,fb,fv (s always runs: it is the unit of the ratios)"),
                      QStringLiteral("list")});
    parser.addOption({QStringLiteral("cli"),
                      QStringLiteral("the rollup-console binary (default: the one built with this program)"),
                      QStringLiteral("path"), QStringLiteral(ROLLUP_CONSOLE_PATH)});
    parser.addOption({QStringLiteral("regenerate"), QStringLiteral("generate the database even when a matching one exists")});
    parser.process(app);

    Options o;
    bool ok = false;
    o.accounts = parser.value(QStringLiteral("accounts")).toInt(&ok);
    if (!ok || o.accounts < 2 || o.accounts > 1000000) {
        QTextStream(stderr) << "bench_scale: --accounts must be an integer from 2 to 1000000" << Qt::endl;
        return 2;
    }
    o.events = parser.value(QStringLiteral("events")).toLongLong(&ok);
    if (!ok || o.events < 1000 || o.events > 2000000000) {
        QTextStream(stderr) << "bench_scale: --events must be an integer from 1000 to 2000000000" << Qt::endl;
        return 2;
    }
    if (parser.isSet(QStringLiteral("only"))) {
        for (const QString &key : parser.value(QStringLiteral("only")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!kMeasurements.contains(key.trimmed())) {
                QTextStream(stderr) << "bench_scale: --only takes " << kMeasurements.join(QLatin1Char(',')) << ", not '" << key
                                    << "'" << Qt::endl;
                return 2;
            }
            o.only.insert(key.trimmed());
        }
    }
    o.cli = parser.value(QStringLiteral("cli"));
    o.regenerate = parser.isSet(QStringLiteral("regenerate"));
    if (qEnvironmentVariableIsEmpty("PGPORT")) {
        QTextStream(stderr) << "bench_scale: PGHOST/PGPORT/PGUSER are not set: run scripts/bench.sh --scale" << Qt::endl;
        return 2;
    }
    try {
        return runScale(o);
    } catch (const DbError &e) {
        QTextStream(stderr) << "bench_scale: " << e.message() << Qt::endl;
    }
    return 2;
}
