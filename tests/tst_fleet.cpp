#include "clirun.h"
#include "fixtures.h"

#include "core/comparison.h"
#include "core/daywindow.h"
#include "core/zoneresolver.h"
#include "db/rollupsql.h"
#include "db/rollupwriter.h"
#include "db/verifyrepository.h"
#include "jobs/fleetplan.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

#include <date/tz.h>

using namespace rollup;

// The whole installation as the unit of work: a batch of accounts computed in one statement
// gives exactly the rows of one account at a time; the server-side verify counts agree with the
// client's classification; `verify --all` and `backfill --all` (modes, locks, duty cycle) as a
// script runs them; a fleet backfill killed at random moments resumes to an exact result and
// never leaves a day half written.
class TestFleet : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void batchWritesTheRowsOfOneAccountAtATime();
    void serverCountsAgreeWithTheClient();
    void othersWritesFoundOnEveryDayOfABatch();
    void verifyAll();
    void backfillAllModes();
    void lockedAccountIsSkipped();
    void othersWriteDuringFleetBackfillIsNamed();
    void liveRowDuringFleetChunkIsCounted();
    void dutyCycleThrottles();
    void resumeAfterKill();
    void planOfManyAccounts();

private:
    // Accounts 1..12 with events 2026-01-20 .. 2026-03-10 in several zones; 13 without a zone,
    // 14 with an invalid one, 15 without events.
    void populate(TestDatabase &db, int eventsPerAccount);
    QStringList dbArgs(TestDatabase &db) const { return {QStringLiteral("--database-url"), db.url()}; }
    QList<AccountDays> scopeOf(const QList<std::pair<qint64, QString>> &accountsAndZones,
                               const QList<QList<date::local_days>> &days);
    std::unique_ptr<TestDatabase> m_db;
    QTemporaryDir m_state; // the console's state directory (journals) for this test
};

namespace {
date::local_days day(const char *text)
{
    return *parseLocalDate(QString::fromLatin1(text));
}

const QList<std::pair<qint64, QString>> kZones = {
    {1, QStringLiteral("America/New_York")},
    {2, QStringLiteral("Asia/Kolkata")},
    {3, QStringLiteral("America/Havana")},
    {4, QStringLiteral("Australia/Lord_Howe")},
    {5, QStringLiteral("UTC")},
    {6, QStringLiteral("Eastern Time (US & Canada)")},
    {7, QStringLiteral("Asia/Kathmandu")},
    {8, QStringLiteral("Pacific/Chatham")},
    {9, QStringLiteral("Europe/Berlin")},
    {10, QStringLiteral("America/Santiago")},
    {11, QStringLiteral("Chennai")},
    {12, QStringLiteral("America/Sao_Paulo")},
};
} // namespace

void TestFleet::initTestCase()
{
    QVERIFY(m_state.isValid());
    qputenv("XDG_STATE_HOME", m_state.path().toUtf8()); // inherited by the CLI processes
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_fleet"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    populate(*m_db, 400);
}

void TestFleet::cleanupTestCase()
{
    m_db.reset();
}

void TestFleet::populate(TestDatabase &db, int eventsPerAccount)
{
    Fixtures fx{db};
    for (const auto &[id, zone] : kZones)
        fx.accountWithZone(id, zone);
    fx.account(13, QStringLiteral("No zone"), QStringLiteral("{}"));
    fx.account(14, QStringLiteral("Bad zone"), QStringLiteral("{\"reporting_timezone\": \"Mars/Olympus\"}"));
    fx.accountWithZone(15, QStringLiteral("UTC"));
    // Deterministic events: every name (also one the rollups ignore), NULL users, inboxes,
    // conversations and values, duplicate handoffs, times spread over the range and today.
    db.exec(
        QStringLiteral(
            "INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, conversation_id, "
            "created_at, updated_at) "
            "SELECT (ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved',"
            "'conversation_bot_handoff','conversation_opened'])[1 + (i * 7 + a) % 6], "
            "CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 37 + a * 13) % 5000) / 4.0 END, "
            "CASE WHEN i % 7 = 0 THEN NULL ELSE ((i * 17 + a) % 3000) / 8.0 END, a, "
            "CASE WHEN i % 9 = 0 THEN NULL ELSE 1 + (i + a) % 5 END, CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + (i * 3) % 4 END, "
            "CASE WHEN i % 17 = 0 THEN NULL ELSE 1 + (i * 5 + a) % 40 END, "
            "timestamp '2026-01-20 00:00:00' + ((i * 104729 + a * 7919) % (49 * 86400 + 43200)) * interval '1 second', now() "
            "FROM generate_series(1, 12) a, generate_series(1::bigint, ?::bigint) i"),
        {eventsPerAccount});
    db.exec(QStringLiteral("INSERT INTO reporting_events (name, value, account_id, created_at, updated_at) "
                           "SELECT 'first_response', 1, a, '2026-02-01 12:00:00', now() FROM unnest(ARRAY[13, 14]) a"));
    db.exec(QStringLiteral("ANALYZE reporting_events"));
}

QList<AccountDays> TestFleet::scopeOf(const QList<std::pair<qint64, QString>> &accountsAndZones,
                                      const QList<QList<date::local_days>> &days)
{
    QList<AccountDays> scope;
    for (qsizetype i = 0; i < accountsAndZones.size(); ++i) {
        const ZoneResolution zone = ZoneResolver::resolveName(accountsAndZones.at(i).second);
        AccountDays a{accountsAndZones.at(i).first, {}};
        for (date::local_days d : days.at(i))
            a.windows.append(DayWindows::window(zone.zone, d));
        scope.append(a);
    }
    return scope;
}

void TestFleet::batchWritesTheRowsOfOneAccountAtATime()
{
    TestDatabase db(QStringLiteral("tst_fleet_batch"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    populate(db, 300);
    Fixtures fx{db};
    // Contiguous days over New York's and Havana's spring-forward, scattered days, one day,
    // a 30-minute-offset zone, and a zone whose shift differs on every day of none.
    QList<date::local_days> contiguous, scattered;
    for (date::local_days d = day("2026-03-01"); d <= day("2026-03-09"); d += date::days{1})
        contiguous.append(d);
    for (date::local_days d = day("2026-01-21"); d <= day("2026-03-09"); d += date::days{5})
        scattered.append(d);
    const QList<std::pair<qint64, QString>> accounts
        = {kZones.at(0), kZones.at(1), kZones.at(2), kZones.at(3), kZones.at(6), kZones.at(7)};
    const QList<QList<date::local_days>> days = {contiguous, scattered, contiguous, {day("2026-02-14")}, scattered, contiguous};
    const QList<AccountDays> scope = scopeOf(accounts, days);
    // Old rows: legacy team rows, inside some accounts' days (replaced) and outside others' (kept).
    auto oldRows = [&]() {
        for (const auto &[id, zone] : accounts)
            fx.rollupRow(id, QStringLiteral("2026-03-05"), QStringLiteral("team"), 1, QStringLiteral("first_response"), 9, 9, 9);
    };
    oldRows();

    const ChunkWrite batch = RollupWriter(db.connection()).replaceDays(scope);
    QHash<qint64, QStringList> batchRows;
    for (const auto &[id, zone] : accounts)
        batchRows.insert(id, fx.rows(id));
    db.exec(QStringLiteral("TRUNCATE reporting_events_rollups"));
    oldRows();
    qint64 rowsOneAtATime = 0;
    for (const AccountDays &a : scope) {
        const ChunkWrite one = RollupWriter(db.connection()).replaceDays(a.accountId, a.windows);
        for (const DayWrite &d : one.days)
            rowsOneAtATime += d.rowsWritten;
        QCOMPARE(fx.rows(a.accountId), batchRows.value(a.accountId));
        QVERIFY(!fx.rows(a.accountId).isEmpty());
    }
    qint64 rowsBatch = 0;
    for (const DayWrite &d : batch.days)
        rowsBatch += d.rowsWritten;
    QCOMPARE(rowsBatch, rowsOneAtATime);
    qsizetype pairs = 0;
    for (const AccountDays &a : scope)
        pairs += a.windows.size();
    QCOMPARE(batch.days.size(), pairs); // one report per (account, day), days without events included
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE dimension_type <> 'team'")),
             rowsBatch);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE dimension_type = 'team'")),
             3); // 2, 4, 7 keep theirs
}

void TestFleet::serverCountsAgreeWithTheClient()
{
    TestDatabase db(QStringLiteral("tst_fleet_counts"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    populate(db, 300);
    QList<date::local_days> days;
    for (date::local_days d = day("2026-02-01"); d <= day("2026-03-09"); d += date::days{1})
        days.append(d);
    const QList<std::pair<qint64, QString>> accounts = {kZones.at(0), kZones.at(2), kZones.at(4), kZones.at(9)};
    const QList<AccountDays> scope = scopeOf(accounts, {days, days, days, days});
    RollupWriter(db.connection()).replaceDays(scope);
    // Every kind of difference, and one below the tolerance.
    db.exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 1 AND date = '2026-02-10'"));
    db.exec(QStringLiteral("UPDATE reporting_events_rollups SET count = count + 1 WHERE account_id = 3 AND date = '2026-02-11' "
                           "AND dimension_type = 'account'"));
    db.exec(QStringLiteral("UPDATE reporting_events_rollups SET sum_value = sum_value + 0.5 WHERE account_id = 5 "
                           "AND date = '2026-02-12' AND metric = 'first_response' AND dimension_type = 'agent'"));
    db.exec(QStringLiteral("UPDATE reporting_events_rollups SET sum_value = sum_value * (1 + 1e-9) WHERE account_id = 10 "
                           "AND date = '2026-02-13' AND sum_value > 0"));
    db.exec(QStringLiteral("UPDATE reporting_events_rollups SET sum_value_business_hours = sum_value_business_hours + 3 "
                           "WHERE account_id = 10 AND date = '2026-02-14' AND metric = 'reply_time'"));
    Fixtures{db}.rollupRow(5, QStringLiteral("2026-02-15"), QStringLiteral("inbox"), 999, QStringLiteral("reply_time"), 1, 1, 1);

    const QList<DayCounts> server = VerifyRepository(db.connection()).countDays(scope);
    QHash<std::pair<qint64, qint64>, DayCounts> byKey;
    for (const DayCounts &d : server)
        byKey.insert({d.accountId, d.day.time_since_epoch().count()}, d);
    qint64 differing = 0;
    for (const AccountDays &a : scope) {
        const QList<CompareRow> rows = VerifyRepository(db.connection()).compare(a.accountId, a.windows);
        QHash<qint64, DayCounts> client;
        for (const CompareRow &r : rows) {
            DayCounts &d = client[r.date.time_since_epoch().count()];
            ++d.keys;
            d.matches += r.status == CompareStatus::Match;
            d.mismatches += r.status == CompareStatus::Mismatch;
            d.missing += r.status == CompareStatus::Missing;
            d.extra += r.status == CompareStatus::Extra;
        }
        for (auto it = client.cbegin(); it != client.cend(); ++it) {
            const DayCounts s = byKey.value({a.accountId, it.key()});
            QCOMPARE(s.keys, it->keys);
            QCOMPARE(s.matches, it->matches);
            QCOMPARE(s.mismatches, it->mismatches);
            QCOMPARE(s.missing, it->missing);
            QCOMPARE(s.extra, it->extra);
            differing += it->matches != it->keys;
        }
        QCOMPARE(qsizetype(client.size()),
                 std::count_if(server.cbegin(), server.cend(), [&](const DayCounts &d) { return d.accountId == a.accountId; }));
    }
    QCOMPARE(differing, 5); // the sub-tolerance change is no difference
}

void TestFleet::othersWritesFoundOnEveryDayOfABatch()
{
    // A fleet batch keeps its chunks without the days that wrote nothing (dropEmptyDays); the
    // check for other sessions' writes still covers every day of the chunk's scope: a row on a day
    // without events (account 15 has none), a row changed and a day's rows gone on days with events.
    TestDatabase db(QStringLiteral("tst_fleet_others"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    populate(db, 300);
    QList<date::local_days> days, fewer;
    for (date::local_days d = day("2026-02-01"); d <= day("2026-02-10"); d += date::days{1})
        days.append(d);
    fewer = days.mid(0, 5);
    const QList<AccountDays> scope
        = scopeOf({kZones.at(4), {15, QStringLiteral("UTC")}, kZones.at(8)}, {days, fewer, fewer.mid(3)});
    ChunkWrite chunk = RollupWriter(db.connection()).replaceDays(scope);
    QCOMPARE(chunk.days.size(), 17); // every day, before the empty ones are dropped
    const ChunkWrite everyDay = chunk;
    chunk.dropEmptyDays();
    QCOMPARE(chunk.runs.size(), 3);
    QVERIFY(std::none_of(chunk.days.cbegin(), chunk.days.cend(), [](const DayWrite &d) { return d.accountId == 15; }));
    QVERIFY(std::all_of(chunk.days.cbegin(), chunk.days.cend(), [](const DayWrite &d) { return d.rowsWritten > 0; }));
    QCOMPARE(chunk.days.size(), 12); // accounts 5 and 9 have events on every day
    QVERIFY(RollupWriter(db.connection()).daysChangedByOthers({chunk}).isEmpty());

    Fixtures{db}.rollupRow(15, QStringLiteral("2026-02-03"), QStringLiteral("account"), 15, QStringLiteral("first_response"), 1,
                           1, 1);
    db.exec(QStringLiteral("UPDATE reporting_events_rollups SET count = count + 1 WHERE account_id = 5 AND date = '2026-02-04' "
                           "AND dimension_type = 'account'"));
    db.exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 9 AND date = '2026-02-05'"));
    Fixtures{db}.rollupRow(9, QStringLiteral("2026-02-06"), QStringLiteral("account"), 9, QStringLiteral("first_response"), 1, 1,
                           1);
    const QList<std::pair<qint64, date::local_days>> expected
        = {{5, day("2026-02-04")}, {9, day("2026-02-05")}, {15, day("2026-02-03")}};
    QCOMPARE(RollupWriter(db.connection()).daysChangedByOthers({chunk}), expected);
    QCOMPARE(RollupWriter(db.connection()).daysChangedByOthers({everyDay}), expected);

    // The runs are bound in slices, a chunk's runs in one: with one run per statement each chunk
    // is a slice of its own, and a later chunk's changed day is found as in one statement.
    ChunkWrite later = RollupWriter(db.connection()).replaceDays(scopeOf({kZones.at(8)}, {days.mid(6)}));
    later.dropEmptyDays();
    QCOMPARE(later.runs.size(), 1);
    db.exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 9 AND date = '2026-02-08'"));
    QList<std::pair<qint64, date::local_days>> both = expected;
    both.insert(2, {9, day("2026-02-08")});
    for (qsizetype runs : {qsizetype(1), qsizetype(3), RollupWriter::kCheckRunsPerStatement}) {
        QCOMPARE(RollupWriter(db.connection()).daysChangedByOthers({chunk, later}, runs), both);
        QCOMPARE(RollupWriter(db.connection()).daysChangedByOthers({later, everyDay}, runs), both);
    }
}

void TestFleet::verifyAll()
{
    CliRun r = CliRun::run(QStringList{"backfill", "--all", "--yes"} + dbArgs(*m_db));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = CliRun::run(QStringList{"verify", "--all", "--format", "csv"} + dbArgs(*m_db));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.first(),
             QStringLiteral("account_id,status,keys,match,mismatch,missing,extra,differing_days,first_day,last_day"));
    QCOMPARE(lines.size(), 1 + 15);
    int match = 0, skipped = 0;
    for (const QString &line : lines.mid(1)) {
        const QStringList f = line.split(QLatin1Char(','));
        match += f.at(1) == QLatin1String("match");
        skipped += f.at(1) == QLatin1String("skipped");
        if (f.at(1) == QLatin1String("match")) {
            QVERIFY(f.at(2).toLongLong() > 0);
            QCOMPARE(f.at(2), f.at(3));
        }
    }
    QCOMPARE(match, 12);
    QCOMPARE(skipped, 3);
    QVERIFY2(r.err.contains(QLatin1String("account 13: skipped: no reporting_timezone")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("account 14: skipped: invalid reporting_timezone")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("account 15: skipped")), qPrintable(r.err));

    // A difference: exit 1, the account's line says so, --only-mismatches keeps only it.
    m_db->exec(
        QStringLiteral("UPDATE reporting_events_rollups SET count = count + 2 WHERE account_id = 4 AND date = '2026-02-20' "
                       "AND dimension_type = 'account'"));
    r = CliRun::run(QStringList{"verify", "--all", "--format", "csv", "--only-mismatches"} + dbArgs(*m_db));
    QCOMPARE(r.code, 1);
    lines = r.out.trimmed().split(QLatin1Char('\n'));
    QVERIFY(
        std::none_of(lines.cbegin() + 1, lines.cend(), [](const QString &l) { return l.contains(QLatin1String(",match,")); }));
    QVERIFY2(lines.filter(QStringLiteral("4,differs,")).size() == 1, qPrintable(r.out));
    QVERIFY2(lines.filter(QStringLiteral("4,differs,")).first().contains(QLatin1String(",1,2026-")),
             qPrintable(r.out)); // one differing day
    // --accounts limits the run.
    r = CliRun::run(QStringList{"verify", "--all", "--accounts", "1,2-3", "--format", "csv"} + dbArgs(*m_db));
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out.trimmed().split(QLatin1Char('\n')).size(), 4);
    // Bad input: one line, exit 2, nothing run.
    for (const QStringList &bad :
         {QStringList{"verify", "--all", "--accounts", "5-1"}, QStringList{"verify", "--all", "--account", "1"},
          QStringList{"backfill", "--all", "--only", "some"}, QStringList{"backfill", "--all", "--duty-cycle", "0"},
          QStringList{"backfill", "--all", "--workers", "0"}, QStringList{"verify", "--accounts", "1"}}) {
        r = CliRun::run(bad + dbArgs(*m_db));
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    }
    // Repair the planted difference for the next tests.
    r = CliRun::run(QStringList{"backfill", "--all", "--accounts", "4", "--yes"} + dbArgs(*m_db));
    QCOMPARE(r.code, 0);
}

void TestFleet::backfillAllModes()
{
    // Which transaction wrote each row of a day; days other than the ones planted below must keep
    // theirs through both runs.
    auto writers = [&](const QString &days) {
        QSqlQuery q = m_db->connection().run(
            QStringLiteral("SELECT coalesce(string_agg(date || ':' || x, ',' ORDER BY date, x), '') FROM "
                           "(SELECT DISTINCT date, xmin::text AS x FROM reporting_events_rollups "
                           "WHERE account_id = 2 AND %1) s")
                .arg(days));
        return q.next() ? q.value(0).toString() : QString();
    };
    const QString planted = QStringLiteral("date IN ('2026-02-02', '2026-02-03', '2026-02-04')");
    const QString others = QStringLiteral("date NOT IN ('2026-02-02', '2026-02-03', '2026-02-04')");
    // Missing: only days without rows are written.
    m_db->exec(
        QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 2 AND date IN ('2026-02-02', '2026-02-03')"));
    m_db->exec(
        QStringLiteral("UPDATE reporting_events_rollups SET count = count + 5 WHERE account_id = 2 AND date = '2026-02-04'"));
    const QString untouched = writers(others);
    const QString changedDay = writers(QStringLiteral("date = '2026-02-04'"));
    CliRun r = CliRun::run(QStringList{"backfill", "--all", "--accounts", "2", "--only", "missing", "--yes"} + dbArgs(*m_db));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\n\\s*2\\s+done\\s+2\\s+2\\s"))),
             qPrintable(r.out)); // two days selected, done
    QCOMPARE(writers(others), untouched);
    QCOMPARE(writers(QStringLiteral("date = '2026-02-04'")), changedDay);
    QVERIFY(
        m_db->scalar(
            QStringLiteral("SELECT count(DISTINCT date) FROM reporting_events_rollups WHERE account_id = 2 AND %1").arg(planted))
        == 3);
    r = CliRun::run(QStringList{"verify", "--all", "--accounts", "2", "--format", "csv"} + dbArgs(*m_db));
    QCOMPARE(r.code, 1); // the changed count is not a missing day
    // Differing: exactly the differing day is rewritten.
    r = CliRun::run(QStringList{"backfill", "--all", "--accounts", "2", "--only", "differing", "--yes"} + dbArgs(*m_db));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(writers(others), untouched);
    QVERIFY(writers(QStringLiteral("date = '2026-02-04'")) != changedDay);
    r = CliRun::run(QStringList{"verify", "--all", "--accounts", "2", "--format", "csv"} + dbArgs(*m_db));
    QCOMPARE(r.code, 0);
    // A dry run writes nothing and lists the plan; without --yes and a terminal, a fleet of more
    // than 20 accounts or 730 days is refused, a small one runs.
    const qint64 rows = m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups"));
    r = CliRun::run(QStringList{"backfill", "--all", "--dry-run"} + dbArgs(*m_db));
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QLatin1String("dry run: 12 account")), qPrintable(r.out));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")), rows);
    r = CliRun::run(QStringList{"backfill", "--all", "--accounts", "1-3"} + dbArgs(*m_db));
    QCOMPARE(r.code, 0);
}

void TestFleet::lockedAccountIsSkipped()
{
    Connection holder(m_db->settings());
    holder.run(QStringLiteral("SELECT pg_advisory_lock(?::int, ?::int)"), {RollupWriter::kLockClass, 7});
    CliRun r = CliRun::run(QStringList{"backfill", "--all", "--yes"} + dbArgs(*m_db), {}, 60000);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("account 7: locked: another backfill of account 7 is running (pid")),
             qPrintable(r.err));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\n\\s*7\\s+locked"))), qPrintable(r.out));
    QVERIFY2(r.out.count(QRegularExpression(QStringLiteral("\\n\\s*\\d+\\s+done"))) == 11, qPrintable(r.out));
}

// Another session writes a row on a day of a fleet batch while the batch's chunk waits for that
// day (a row lock holds its DELETE): the row survives the chunk, and the batch's check, run once
// the batch has ended, names that day for that account and no day of the other.
void TestFleet::othersWriteDuringFleetBackfillIsNamed()
{
    const CliRun first = CliRun::run(QStringList{"backfill", "--all", "--accounts", "3,5", "--yes"} + dbArgs(*m_db));
    QVERIFY2(first.code == 0, qPrintable(first.err)); // rows on every day to hold
    Connection holder(m_db->settings());
    holder.begin();
    QSqlQuery held = holder.run(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM reporting_events_rollups "
                                               "WHERE account_id = 3 AND date = '2026-02-10' FOR UPDATE) x"));
    QVERIFY(held.next() && held.value(0).toInt() > 0);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ROLLUP_CONSOLE_NOW"), QStringLiteral("2026-03-10T12:00:00Z"));
    p.setProcessEnvironment(env);
    // One account per batch: account 3's batch ends while account 5's runs.
    p.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"), QStringList{"backfill", "--all", "--accounts", "3,5", "--batch", "1",
                                                                    "--workers", "2", "--yes"}
                                                            + dbArgs(*m_db));
    QVERIFY(p.waitForStarted());
    // Until the chunk of 2026-02-10 waits for the held rows.
    const QString waiting = QStringLiteral("SELECT count(*) FROM pg_locks l JOIN pg_locks h ON h.pid = pg_backend_pid() "
                                           "AND h.granted AND l.transactionid = h.transactionid AND NOT l.granted");
    auto waiters = [&]() {
        QSqlQuery q = holder.run(waiting);
        return q.next() ? q.value(0).toInt() : -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(waiters() > 0, 60000);
    holder.run(QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, "
                              "count, sum_value, sum_value_business_hours, created_at, updated_at) "
                              "VALUES (3, '2026-02-10', 'team', 77, 'first_response', 1, 0, 0, now(), now())"));
    holder.commit();
    QVERIFY(p.waitForFinished(120000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE dimension_type = 'team' AND dimension_id = 77"));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(err));
    // Columns: account_id status days days_done rows_written events_read live_touched_days
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("\\n\\s*3\\s+done(\\s+\\d+){4}\\s+1\\b"))), qPrintable(out + err));
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("\\n\\s*5\\s+done(\\s+\\d+){4}\\s+0\\b"))), qPrintable(out + err));
}

void TestFleet::liveRowDuringFleetChunkIsCounted()
{
    // A live row of a day lands between a chunk's DELETE and INSERT (a trigger after each
    // DELETE writes it): the chunk runs again like insert_all, the day is named, and the summary
    // counts the chunk that ran again, once.
    const CliRun first = CliRun::run(QStringList{"backfill", "--all", "--accounts", "3", "--yes"} + dbArgs(*m_db));
    QVERIFY2(first.code == 0, qPrintable(first.err));
    QVERIFY2(!first.err.contains(QLatin1String("ran again")), qPrintable(first.err));
    QSqlQuery key = m_db->connection().run(QStringLiteral(
        "SELECT date::text, dimension_id, metric FROM reporting_events_rollups WHERE account_id = 3 AND dimension_type = 'account' "
        "ORDER BY date, metric LIMIT 1 OFFSET 5"));
    QVERIFY(key.next());
    const QString day = key.value(0).toString(), metric = key.value(2).toString();
    const qint64 dimensionId = key.value(1).toLongLong();
    m_db->exec(QStringLiteral("CREATE FUNCTION live_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                              "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
                              "sum_value, sum_value_business_hours, created_at, updated_at) VALUES (3, DATE '%1', 'account', %2, "
                              "'%3', 424242, 0, 0, now(), now()) ON CONFLICT DO NOTHING; RETURN NULL; END $$")
                   .arg(day)
                   .arg(dimensionId)
                   .arg(metric));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER live_row AFTER DELETE ON reporting_events_rollups FOR EACH STATEMENT EXECUTE FUNCTION live_row()"));
    const CliRun r = CliRun::run(QStringList{"backfill", "--all", "--accounts", "3", "--yes"} + dbArgs(*m_db));
    m_db->exec(QStringLiteral("DROP TRIGGER live_row ON reporting_events_rollups"));
    m_db->exec(QStringLiteral("DROP FUNCTION live_row()"));
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE count = 424242"));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // Columns: account_id status days days_done rows_written events_read live_touched_days
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\n\\s*3\\s+done(\\s+\\d+){4}\\s+1\\b"))), qPrintable(r.out + r.err));
    QVERIFY2(r.err.contains(QLatin1String("\n1 chunk ran again after colliding with live writes")), qPrintable(r.err));
}

void TestFleet::dutyCycleThrottles()
{
    // With F = 0.25 the workers rest three times as long as they work after every statement:
    // the run takes at least about 4x the statements' own time. Compared with its own busy time,
    // so the machine's speed does not matter.
    CliRun r = CliRun::run(QStringList{"backfill", "--all", "--yes", "--workers", "1", "--duty-cycle", "0.25"} + dbArgs(*m_db));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("busy ([0-9.]+) s of ([0-9.]+) s")).match(r.err);
    QVERIFY2(m.hasMatch(), qPrintable(r.err));
    const double busy = m.captured(1).toDouble(), wall = m.captured(2).toDouble();
    QVERIFY2(busy > 0 && busy <= 0.25 * wall * 1.05 + 0.05, qPrintable(r.err));
}

void TestFleet::resumeAfterKill()
{
    TestDatabase db(QStringLiteral("tst_fleet_resume"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    populate(db, 25000);
    // An old marker row on every (account, day) of the ranges: a day that a chunk committed has
    // lost its marker and has new rows; a day it did not has its marker and nothing else.
    db.exec(QStringLiteral(
        "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
        "sum_value, sum_value_business_hours, created_at, updated_at) "
        "SELECT a, d::date, 'team', 0, 'first_response', 999, 0, 0, now(), now() "
        "FROM generate_series(1, 12) a, generate_series(date '2026-01-20', date '2026-03-09', interval '1 day') d"));
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("resumeAfterKill seed %u", seed);
    QRandomGenerator random(seed);
    // Batches of 3 accounts, so the journal fills during the run; a duty cycle of 0.15 stretches
    // the run to several seconds, so the kills land while it works.
    const QStringList args
        = QStringList{"backfill", "--all", "--yes", "--workers", "2", "--batch", "3", "--duty-cycle", "0.15"} + dbArgs(db);
    int resumed = 0, landed = 0;
    for (int attempt = 0; attempt < 4; ++attempt) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ROLLUP_CONSOLE_NOW"), QStringLiteral("2026-03-10T12:00:00Z"));
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"), args + (attempt ? QStringList{"--resume"} : QStringList{}));
        QVERIFY(p.waitForStarted());
        // A random moment after the run has committed its first chunk (a marker row gone), not
        // after a fixed time: however fast the machine, the first kill lands while the run works.
        const QString markers
            = QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE count = 999 AND dimension_type = 'team'");
        const qint64 before = db.scalar(markers);
        QElapsedTimer begun;
        begun.start();
        while (p.state() == QProcess::Running && db.scalar(markers) == before && begun.elapsed() < 60000)
            QTest::qWait(10);
        QTest::qWait(int(random.bounded(attempt == 0 ? 800 : 1500)));
        if (p.state() == QProcess::Running && p.processId() > 0) { // never kill(0): that is our own process group
            ::kill(pid_t(p.processId()), SIGKILL);
            ++landed;
        }
        QVERIFY(p.state() == QProcess::NotRunning || p.waitForFinished(60000));
        // Never a half-written day: marker and new rows never share an (account, day).
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM (SELECT account_id, date FROM reporting_events_rollups "
                                          "GROUP BY 1, 2 HAVING bool_or(count = 999 AND dimension_type = 'team') "
                                          "AND bool_or(NOT (count = 999 AND dimension_type = 'team'))) x")),
                 0);
        // The killed session's locks are released with it.
        QTRY_COMPARE_WITH_TIMEOUT(
            db.scalar(QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                     "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")),
            0, 10000);
    }
    QVERIFY2(landed > 0, "no kill landed while the run was going on");
    const CliRun r = CliRun::run(args + QStringList{"--resume"});
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    resumed = int(r.out.count(QLatin1String("finished before the interruption")));
    qInfo("resumeAfterKill: %d kills landed; %d accounts were finished before the last one", landed, resumed);
    const CliRun v = CliRun::run(QStringList{"verify", "--all", "--format", "csv"} + dbArgs(db));
    QVERIFY2(v.code == 0, qPrintable(v.out + v.err));
    QCOMPARE(
        db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE count = 999 AND dimension_type = 'team' "
                                 "AND account_id <= 12")),
        0);
    // A resumed run lists every account once.
    QCOMPARE(r.out.count(QRegularExpression(QStringLiteral("\\n\\s*\\d+\\s+(done|skipped)"))), 15);
}


// More accounts than one probe statement takes, so the planning probes run on several
// connections: every account's count and first day, and the order, as the events say.
void TestFleet::planOfManyAccounts()
{
    TestDatabase db(QStringLiteral("tst_fleet_many"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    const int accounts = int(FleetPlanner::kProbeBatch) * FleetPlanner::kProbeConnections + 101;
    db.exec(QStringLiteral("INSERT INTO accounts (id, name, created_at, updated_at, settings) "
                           "SELECT a, 'A' || a, now(), now(), jsonb_build_object('reporting_timezone', "
                           "(ARRAY['UTC', 'Asia/Kolkata', 'America/New_York', 'Pacific/Chatham'])[1 + a % 4]) "
                           "FROM generate_series(1, ?) a"),
            {accounts});
    // Every 50th account has no events; the others 1..13 events from a day of their own.
    db.exec(QStringLiteral("INSERT INTO reporting_events (name, value, account_id, created_at, updated_at) "
                           "SELECT 'first_response', 1, a, timestamp '2026-01-01 06:00:00' + (a % 40) * interval '1 day' "
                           "+ i * interval '5 hours', now() "
                           "FROM generate_series(1, ?) a, generate_series(1, 13) i WHERE a % 50 <> 0 AND i <= 1 + a % 13"),
            {accounts});
    db.exec(QStringLiteral("ANALYZE reporting_events"));
    const CliRun r = CliRun::run(QStringList{"backfill", "--all", "--dry-run", "--database-url", db.url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));

    struct Expected
    {
        qint64 events;
        QString firstDay;
    };
    QHash<qint64, Expected> expected;
    {
        QSqlQuery q = db.connection().run(QStringLiteral(
            "SELECT e.account_id, count(*), min((e.created_at AT TIME ZONE 'UTC') AT TIME ZONE "
            "(a.settings ->> 'reporting_timezone'))::date::text FROM reporting_events e JOIN accounts a ON a.id = e.account_id "
            "GROUP BY e.account_id"));
        while (q.next())
            expected.insert(q.value(0).toLongLong(), {q.value(1).toLongLong(), q.value(2).toString()});
    }
    QCOMPARE(expected.size(), accounts - accounts / 50);

    // Rows: account_id name events first_day last_day days [note]; runnable ones have no note.
    QList<std::pair<qint64, qint64>> order; // (events, id) of the runnable rows, as printed
    for (const QString &line : r.out.split(QLatin1Char('\n'))) {
        const QStringList f = line.simplified().split(QLatin1Char(' '));
        bool isId = false;
        const qint64 id = f.value(0).toLongLong(&isId);
        if (!isId || f.size() != 6)
            continue;
        QVERIFY2(expected.contains(id), qPrintable(line));
        QCOMPARE(f.at(2).toLongLong(), expected.value(id).events);
        QCOMPARE(f.at(3), expected.value(id).firstDay);
        order.append({f.at(2).toLongLong(), id});
    }
    QCOMPARE(order.size(), expected.size());
    QVERIFY(std::is_sorted(order.cbegin(), order.cend(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    }));
}

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
