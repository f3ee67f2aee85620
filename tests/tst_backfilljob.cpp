#include "fixtures.h"

#include "jobs/backfilljob.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>

using namespace rollup;

// BackfillJob: the plan step's modes and refusals, and the run as a job (progress, result,
// cancel, cancel-and-wait as a view's destructor does, connection and lock failures) against a
// real PostgreSQL.

namespace {

// A started backfill job watched the way the views watch one: a QFutureWatcher on this thread.
struct WatchedRun
{
    Job<BackfillEvent> job;
    QFutureWatcher<BackfillEvent> watcher;
    QSignalSpy finished{&watcher, &QFutureWatcherBase::finished};

    WatchedRun(const ConnectionSettings &settings, const BackfillPlan &plan, int initialChunkDays = 1)
        : job(BackfillJob::start(settings, plan, initialChunkDays))
    {
        watcher.setFuture(job.future);
    }
    ~WatchedRun()
    {
        job.cancel();
        watcher.waitForFinished();
    }
    QList<BackfillProgress> progress() const
    {
        QList<BackfillProgress> out;
        for (const BackfillEvent &e : job.future.results())
            if (const auto *p = std::get_if<BackfillProgress>(&e))
                out.append(*p);
        return out;
    }
    // The result, which is the last event.
    BackfillResult result() const { return std::get<BackfillResult>(job.future.results().last()); }
    int results() const
    {
        int n = 0;
        for (const BackfillEvent &e : job.future.results())
            n += std::holds_alternative<BackfillResult>(e) ? 1 : 0;
        return n;
    }
};

} // namespace
class TestBackfillJob : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void prepareModes_data();
    void prepareModes();
    void prepareRefusals_data();
    void prepareRefusals();
    void prepareNoEvents();
    void runReportsProgressAndResult();
    void cancelStopsStatementInFlight();
    void destroyDuringRunCancelsAndWaits();
    void lockHeldFailsWithoutWriting();
    void connectionFailure();

private:
    void tenDays(); // account 1 (UTC), one event on each of 2026-03-01 .. 2026-03-10
    BackfillPlan planOf(BackfillMode mode, const QList<date::local_days> &days = {});
    void slowInserts(); // every INSERT into rollups sleeps 30 s
    static date::local_days day(int d) { return *parseLocalDate(QStringLiteral("2026-03-%1").arg(d, 2, 10, QLatin1Char('0'))); }
    static SysSeconds now() { return instant(QStringLiteral("2026-11-29 12:00:00")); }
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<Fixtures> m_fx;
};

void TestBackfillJob::init()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_backfilljob"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    m_fx = std::make_unique<Fixtures>(Fixtures{*m_db});
}

void TestBackfillJob::cleanup()
{
    m_fx.reset();
    m_db.reset();
}

void TestBackfillJob::tenDays()
{
    m_fx->accountWithZone(1, QStringLiteral("UTC"));
    for (int d = 1; d <= 10; ++d)
        m_fx->event(1, QStringLiteral("first_response"), d, d, 11, 21, 31, formatLocalDate(day(d)) + QStringLiteral(" 12:00:00"));
}

BackfillPlan TestBackfillJob::planOf(BackfillMode mode, const QList<date::local_days> &days)
{
    BackfillPlanRequest r;
    r.accountId = 1;
    r.mode = mode;
    r.days = days;
    const BackfillPlanOutcome o = BackfillJob::prepare(JobContext(m_db->settings()), r, now());
    if (!o.ok())
        qWarning() << o.error;
    return o.plan;
}

void TestBackfillJob::slowInserts()
{
    m_db->exec(QStringLiteral(
        "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER slow_insert BEFORE INSERT ON reporting_events_rollups FOR EACH ROW EXECUTE FUNCTION slow_insert()"));
}

void TestBackfillJob::prepareModes_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QList<int>>("given");
    QTest::addColumn<QList<int>>("expected");
    QTest::addColumn<int>("rangeDays");
    QTest::addColumn<int>("daysWithRows");
    QTest::newRow("all") << int(BackfillMode::AllDays) << QList<int>{} << QList<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} << 10 << -1;
    QTest::newRow("missing") << int(BackfillMode::MissingDays) << QList<int>{} << QList<int>{1, 3, 5, 6, 7, 8, 9, 10} << 10 << 2;
    QTest::newRow("differing") << int(BackfillMode::DifferingDays) << QList<int>{3, 5, 20} << QList<int>{3, 5} << 10 << -1;
    QTest::newRow("differing-none") << int(BackfillMode::DifferingDays) << QList<int>{} << QList<int>{} << 10 << -1;
    QTest::newRow("listed") << int(BackfillMode::ListedDays) << QList<int>{9, 7} << QList<int>{7, 9} << 3 << -1;
}

void TestBackfillJob::prepareModes()
{
    QFETCH(int, mode);
    QFETCH(QList<int>, given);
    QFETCH(QList<int>, expected);
    QFETCH(int, rangeDays);
    QFETCH(int, daysWithRows);
    tenDays();
    m_fx->rollupRow(1, QStringLiteral("2026-03-02"), QStringLiteral("account"), 1, QStringLiteral("first_response"), 5, 5, 5);
    m_fx->rollupRow(1, QStringLiteral("2026-03-04"), QStringLiteral("agent"), 11, QStringLiteral("first_response"), 5, 5, 5);
    m_fx->rollupRow(1, QStringLiteral("2026-03-12"), QStringLiteral("agent"), 11, QStringLiteral("first_response"), 5, 5,
                    5); // outside
    BackfillPlanRequest r;
    r.accountId = 1;
    r.mode = BackfillMode(mode);
    for (int d : given)
        r.days.append(day(d));
    const BackfillPlanOutcome o = BackfillJob::prepare(JobContext(m_db->settings()), r, now());
    QVERIFY2(o.ok(), qPrintable(o.error));
    QList<date::local_days> want;
    for (int d : expected)
        want.append(day(d));
    QCOMPARE(o.selectedDays(), want);
    QCOMPARE(o.rangeDays, rangeDays);
    QCOMPARE(o.daysWithRows, daysWithRows);
    QCOMPARE(o.plan.eventsInRange, BackfillMode(mode) == BackfillMode::ListedDays ? 3 : 10);
    QCOMPARE(o.plan.empty(), want.isEmpty());
    QCOMPARE(o.plan.note.isEmpty(), !want.isEmpty());
    QCOMPARE(o.today, *parseLocalDate(QStringLiteral("2026-11-29")));
    QCOMPARE(o.todayClosesUtc, instant(QStringLiteral("2026-11-30 00:00:00")));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = ?"), {1}),
             3); // nothing written
}

void TestBackfillJob::prepareRefusals_data()
{
    QTest::addColumn<QString>("settings");
    QTest::addColumn<qint64>("account");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("zoneProblem");
    QTest::newRow("no-zone") << "{}" << qint64(1) << "has no reporting_timezone" << true;
    QTest::newRow("null-settings") << "NULL" << qint64(1) << "has no reporting_timezone" << true;
    QTest::newRow("wrong-case") << "{\"reporting_timezone\": \"asia/kolkata\"}" << qint64(1) << "wrong case" << true;
    QTest::newRow("unknown-account") << "{\"reporting_timezone\": \"UTC\"}" << qint64(7) << "account 7 not found" << false;
    QTest::newRow("bad-id") << "{\"reporting_timezone\": \"UTC\"}" << qint64(0) << "out of range" << false;
}

void TestBackfillJob::prepareRefusals()
{
    QFETCH(QString, settings);
    QFETCH(qint64, account);
    QFETCH(QString, message);
    QFETCH(bool, zoneProblem);
    m_fx->account(1, QStringLiteral("Refused"), settings);
    m_fx->event(1, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-01 12:00:00"));
    BackfillPlanRequest r;
    r.accountId = account;
    const BackfillPlanOutcome o = BackfillJob::prepare(JobContext(m_db->settings()), r, now());
    QVERIFY(!o.ok());
    QVERIFY2(o.error.contains(message), qPrintable(o.error));
    QCOMPARE(o.zoneProblem, zoneProblem);
    QCOMPARE(o.account.has_value(), zoneProblem);
    if (zoneProblem)
        QCOMPARE(o.account->name, QStringLiteral("Refused"));
}

void TestBackfillJob::prepareNoEvents()
{
    m_fx->accountWithZone(1, QStringLiteral("Asia/Kolkata"));
    BackfillPlanRequest r;
    r.accountId = 1;
    const BackfillPlanOutcome o = BackfillJob::prepare(JobContext(m_db->settings()), r, now());
    QVERIFY2(o.ok(), qPrintable(o.error));
    QVERIFY(o.plan.empty());
    QCOMPARE(o.rangeDays, 0);
    QVERIFY(o.plan.note.contains(QLatin1String("no reporting events")));
    QCOMPARE(o.todayClosesUtc, instant(QStringLiteral("2026-11-29 18:30:00"))); // 00:00 IST
}

void TestBackfillJob::runReportsProgressAndResult()
{
    tenDays();
    m_fx->rollupRow(1, QStringLiteral("2026-03-02"), QStringLiteral("team"), 1, QStringLiteral("first_response"), 5, 5, 5);
    const BackfillPlan plan = planOf(BackfillMode::AllDays);
    QCOMPARE(plan.windows.size(), 10);
    {
        WatchedRun run(m_db->settings(), plan, 1);
        QVERIFY(run.job.isRunning() || run.job.future.isFinished());
        QVERIFY(run.finished.wait(20000));
        QVERIFY(!run.job.isRunning());
        QCOMPARE(run.finished.size(), 1);
        QCOMPARE(run.results(), 1); // exactly one result, the last event
        const BackfillResult r = run.result();
        QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
        QCOMPARE(r.doneDays.size(), 10);
        QCOMPARE(r.rowsWritten, 30);
        QCOMPARE(r.rowsDeleted, 1);
        const QList<BackfillProgress> progress = run.progress();
        QVERIFY(progress.size() >= 2); // the first chunk is one day
        int days = 0;
        for (const BackfillProgress &p : progress)
            days += int(p.chunkDays.size());
        QCOMPARE(days, 10);
        QCOMPARE(progress.last().daysDone, 10);
        QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 1")), 30);
    }
    // A second run of the same plan works.
    WatchedRun again(m_db->settings(), plan, 7);
    QVERIFY(again.finished.wait(20000));
    QCOMPARE(again.result().rowsDeleted, 30);
}

void TestBackfillJob::cancelStopsStatementInFlight()
{
    tenDays();
    m_fx->rollupRow(1, QStringLiteral("2026-03-01"), QStringLiteral("team"), 1, QStringLiteral("first_response"), 5, 5, 5);
    slowInserts();
    WatchedRun run(m_db->settings(), planOf(BackfillMode::AllDays), 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_db->scalar(
            QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"))
            > 0,
        10000); // the first chunk's INSERT is sleeping on the server
    QElapsedTimer t;
    t.start();
    run.job.cancel();
    QVERIFY(run.job.cancelToken->isCancelled());
    // cancel() only sets the flag and queues the server-side cancels: it returns without a
    // network round trip (a generous bound for a loaded machine).
    QVERIFY2(t.elapsed() < 500, qPrintable(QString::number(t.elapsed())));
    QVERIFY(run.finished.wait(10000));
    QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed()))); // not the trigger's 30 s
    const BackfillResult r = run.result();
    QVERIFY2(r.outcome == BackfillResult::Outcome::Cancelled, qPrintable(r.error));
    QCOMPARE(r.doneDays.size(), 0);
    QCOMPARE(r.pendingDays.size(), 10);
    QCOMPARE(m_fx->rows(1), QStringList{"2026-03-01|team|1|first_response|5|5|5"});
}

void TestBackfillJob::destroyDuringRunCancelsAndWaits()
{
    tenDays();
    slowInserts();
    auto run = std::make_unique<WatchedRun>(m_db->settings(), planOf(BackfillMode::AllDays), 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_db->scalar(
            QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"))
            > 0,
        10000);
    QElapsedTimer t;
    t.start();
    run.reset(); // what a view's destructor does: cancel, then wait for the job
    QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(m_fx->rows(1).size(), 0);
    // The worker's session is gone, so the account lock is free again.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 1 "
                                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")),
        0, 5000);
}

void TestBackfillJob::lockHeldFailsWithoutWriting()
{
    tenDays();
    Connection holder(m_db->settings());
    holder.run(QStringLiteral("SELECT pg_advisory_lock(?::int, ?::int)"), {RollupWriter::kLockClass, 1});
    WatchedRun run(m_db->settings(), planOf(BackfillMode::AllDays));
    QVERIFY(run.finished.wait(10000));
    const BackfillResult r = run.result();
    QCOMPARE(r.outcome, BackfillResult::Outcome::Failed);
    QVERIFY(r.refused);
    QVERIFY2(r.error.contains(QLatin1String("another backfill of account 1")), qPrintable(r.error));
    QCOMPARE(r.pendingDays.size(), 10);
    QCOMPARE(r.daysTotal, 10);
    QCOMPARE(m_fx->rows(1).size(), 0);
}

void TestBackfillJob::connectionFailure()
{
    tenDays();
    const BackfillPlan plan = planOf(BackfillMode::AllDays);
    ConnectionSettings bad = m_db->settings();
    bad.port = 1;
    WatchedRun run(bad, plan);
    QVERIFY(run.finished.wait(10000));
    const BackfillResult r = run.result();
    QCOMPARE(r.outcome, BackfillResult::Outcome::Failed);
    QVERIFY(!r.refused);
    QVERIFY2(r.error.contains(QLatin1String("refused")), qPrintable(r.error));
    QCOMPARE(r.pendingDays.size(), 10);
    BackfillPlanRequest req;
    req.accountId = 1;
    const BackfillPlanOutcome o = BackfillJob::prepare(JobContext(bad), req, now());
    QVERIFY(!o.ok());
    QVERIFY(!o.zoneProblem);
}

QTEST_GUILESS_MAIN(TestBackfillJob)
#include "tst_backfilljob.moc"
