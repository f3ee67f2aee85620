#include "fixtures.h"
#include "jobs/job.h"

#include "db/dberror.h"
#include "jobs/backfillengine.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <atomic>
#include <thread>

using namespace rollup;

// Faults and concurrency against the real server (issue: reliability). Each guarantee has a
// test that fails without it; the README's "Guarantees" section names them.
class TestFaults : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void terminateBackendAtRandomMoments();
    void serverStopsDuringBackfillAndVerify();
    void lockTimeoutAndStatementTimeout();
    void twoBackfillsOfOneAccount();
    void twoAccountsInParallel();
    void liveUpsertsForTodayDuringBackfill();
    void passwordNeverInErrors();

private:
    QProcess *start(const QStringList &args);
    static int finish(QProcess *p, QString *err = nullptr, int timeoutMs = 120000);
    QStringList db() const { return {QStringLiteral("--database-url"), m_db->url()}; }
    void resetToOldRows();
    qint64 daysNeitherOldNorNew();
    void serverStop();
    void serverStart();
    std::unique_ptr<TestDatabase> m_db;
};

static const char *kNow = "2026-03-01T12:00:00Z";

void TestFaults::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_faults"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    Fixtures fx{*m_db};
    fx.accountWithZone(1, QStringLiteral("America/New_York"));
    fx.accountWithZone(2, QStringLiteral("Asia/Kolkata"));
    // ~300,000 events per account over 2025-01-01 .. 2026-02-27 so a backfill runs a few seconds in many chunks.
    m_db->exec(QStringLiteral(
        "INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, conversation_id, created_at, updated_at) "
        "SELECT (ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','conversation_bot_handoff','conversation_opened'])[1 + i % 6], "
        "(i % 977) * 1.5, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 500) * 0.25 END, 1 + i % 2, "
        "CASE WHEN i % 13 = 0 THEN NULL ELSE i % 40 END, i % 12, i % 5000, "
        "timestamp '2025-01-01 06:00:00' + (i::bigint * 7919 % (422 * 86400)) * interval '1 second', now() "
        "FROM generate_series(1, 600000) i"));
    m_db->exec(QStringLiteral("ANALYZE reporting_events"));
    // The "new" rows: one complete backfill, kept aside; the "old" rows: one wrong row per day.
    BackfillRequest request;
    request.accountId = 1;
    const BackfillPlan plan = BackfillPlanner::plan(m_db->connection(), request, instant(QStringLiteral("2026-03-01 12:00:00")));
    QVERIFY(plan.windows.size() > 400);
    QCOMPARE(BackfillEngine::run(JobContext(m_db->settings()), m_db->connection(), plan, {}).outcome, BackfillResult::Outcome::Completed);
    m_db->exec(QStringLiteral("CREATE TABLE new_rows AS SELECT date, dimension_type, dimension_id, metric, count, "
                              "round(sum_value::numeric, 6) AS s, round(sum_value_business_hours::numeric, 6) AS sb "
                              "FROM reporting_events_rollups WHERE account_id = 1"));
    m_db->exec(QStringLiteral("CREATE TABLE old_rows AS SELECT d::date AS date, 'account'::varchar AS dimension_type, 1::bigint AS dimension_id, "
                              "'first_response'::varchar AS metric, 999::bigint AS count, 1.0::numeric AS s, 1.0::numeric AS sb "
                              "FROM generate_series(date '2025-01-01', date '2026-02-28', interval '1 day') d"));
    resetToOldRows();
}

void TestFaults::cleanupTestCase() { m_db.reset(); }

void TestFaults::resetToOldRows()
{
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 1"));
    m_db->exec(QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
                              "sum_value_business_hours, created_at, updated_at) SELECT 1, date, dimension_type, dimension_id, metric, count, s, sb, now(), now() FROM old_rows"));
}

qint64 TestFaults::daysNeitherOldNorNew()
{
    // A day is consistent when its rows are exactly its old rows or exactly its new rows.
    return m_db->scalar(QStringLiteral(
        "WITH cur AS (SELECT date, dimension_type, dimension_id, metric, count, round(sum_value::numeric, 6) AS s, "
        "round(sum_value_business_hours::numeric, 6) AS sb FROM reporting_events_rollups WHERE account_id = 1), "
        "days AS (SELECT date FROM old_rows UNION SELECT date FROM new_rows UNION SELECT date FROM cur) "
        "SELECT count(*) FROM days d WHERE "
        "EXISTS (SELECT * FROM (SELECT * FROM cur WHERE date = d.date EXCEPT SELECT * FROM old_rows WHERE date = d.date) x "
        "        UNION ALL SELECT * FROM (SELECT * FROM old_rows WHERE date = d.date EXCEPT SELECT * FROM cur WHERE date = d.date) y) "
        "AND EXISTS (SELECT * FROM (SELECT * FROM cur WHERE date = d.date EXCEPT SELECT * FROM new_rows WHERE date = d.date) x "
        "        UNION ALL SELECT * FROM (SELECT * FROM new_rows WHERE date = d.date EXCEPT SELECT * FROM cur WHERE date = d.date) y)"));
}

QProcess *TestFaults::start(const QStringList &args)
{
    auto *p = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ROLLUP_CONSOLE_NOW"), QString::fromLatin1(kNow));
    p->setProcessEnvironment(env);
    p->start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"), args);
    p->closeWriteChannel();
    p->waitForStarted();
    return p;
}

int TestFaults::finish(QProcess *p, QString *err, int timeoutMs)
{
    const bool done = p->state() == QProcess::NotRunning || p->waitForFinished(timeoutMs);
    if (!done) {
        p->kill();
        p->waitForFinished();
    }
    if (err)
        *err = QString::fromUtf8(p->readAllStandardError());
    const int code = done && p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    p->deleteLater();
    return code;
}

void TestFaults::terminateBackendAtRandomMoments()
{
    // How long does a full run take here?
    QElapsedTimer t;
    t.start();
    QCOMPARE(finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db())), 0);
    const qint64 full = t.elapsed();
    QCOMPARE(daysNeitherOldNorNew(), 0);
    qInfo("full backfill run: %lld ms", full);
    resetToOldRows();

    QRandomGenerator rng(1129);
    int killed = 0;
    for (int round = 0; round < 20; ++round) {
        QProcess *p = start(QStringList{"backfill", "--account", "1", "--yes"} + db());
        QTest::qWait(int(50 + rng.bounded(qint64(std::max<qint64>(full * 8 / 10, 100)))));
        int terminated = 0;
        for (int attempt = 0; attempt < 200 && !terminated && p->state() == QProcess::Running; ++attempt) {
            QSqlQuery q = m_db->connection().run(QStringLiteral(
                "SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = 'rollup-console' AND state = 'active' AND pid <> pg_backend_pid() "
                "ORDER BY random() LIMIT 1) a"));
            terminated = q.next() ? q.value(0).toInt() : 0;
            if (!terminated)
                QTest::qWait(5);
        }
        QString err;
        const int code = finish(p, &err, 60000);
        if (code != 0) {
            ++killed;
            // 1: a chunk failed; 2: the kill hit the planning queries before any write.
            QVERIFY2(terminated && (code == 1 || code == 2), qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(err)));
            QVERIFY2(err.contains(QLatin1String("terminat")) || err.contains(QLatin1String("server closed")), qPrintable(err));
        } else {
            // Finished before a backend could be caught working, or the kill landed after its
            // last statement: then every day of the range holds its new rows.
            QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 1 AND count = 999 "
                                                 "AND sum_value = 1 AND date <= (SELECT max(date) FROM new_rows)")),
                     0);
        }
        QCOMPARE(daysNeitherOldNorNew(), 0);
        resetToOldRows();
    }
    qInfo("a terminated backend ended the run in %d of 20 runs", killed);
    QVERIFY(killed >= 10);
    // A rerun makes every day exact.
    QCOMPARE(finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db())), 0);
    // (Days after the last event's day are outside the default range and keep their rows.)
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM (SELECT date, dimension_type, dimension_id, metric, count, round(sum_value::numeric, 6), "
                                         "round(sum_value_business_hours::numeric, 6) FROM reporting_events_rollups WHERE account_id = 1 "
                                         "AND date <= (SELECT max(date) FROM new_rows) EXCEPT SELECT * FROM new_rows) x")), 0);
    QCOMPARE(finish(start(QStringList{"verify", "--account", "1", "--only-mismatches"} + db())), 0);
}

void TestFaults::serverStop()
{
    QProcess::execute(QStringLiteral("bash"), {qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh"),
                                               QStringLiteral("server-stop"), qEnvironmentVariable("ROLLUP_TEST_PGDIR")});
}

void TestFaults::serverStart()
{
    QProcess::execute(QStringLiteral("bash"), {qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh"),
                                               QStringLiteral("server-start"), qEnvironmentVariable("ROLLUP_TEST_PGDIR")});
}

void TestFaults::serverStopsDuringBackfillAndVerify()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("ROLLUP_TEST_PGDIR"), "run through scripts/test.sh");
    resetToOldRows();
    struct Restart
    {
        TestFaults *self;
        bool stopped = false;
        ~Restart()
        {
            if (stopped)
                self->serverStart();
        }
    } guard{this};
    for (const QString &cmd : {QStringLiteral("backfill"), QStringLiteral("verify")}) {
        // verify reads in one statement; a held lock keeps it in flight until the server stops.
        std::unique_ptr<Connection> holder;
        if (cmd == QLatin1String("verify")) {
            holder = std::make_unique<Connection>(m_db->settings());
            holder->begin();
            holder->runScript(QStringLiteral("LOCK TABLE reporting_events_rollups IN ACCESS EXCLUSIVE MODE"));
        }
        const QStringList extra = cmd == QLatin1String("backfill") ? QStringList{"--yes"} : QStringList{};
        QProcess *p = start(QStringList{cmd, "--account", "1"} + extra + db());
        // Stop the server while the command's statement is running.
        bool working = false;
        for (int i = 0; i < 2000 && !working && p->state() == QProcess::Running; ++i) {
            working = m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                                  "AND application_name = 'rollup-console' AND state = 'active' AND pid <> pg_backend_pid() "
                                                  "AND query NOT LIKE '%pg_stat_activity%'")) > 0;
        }
        QVERIFY2(working && p->state() == QProcess::Running,
                 qPrintable(cmd + QStringLiteral(": ") + QString::fromUtf8(p->readAllStandardError())));
        serverStop();
        guard.stopped = true;
        QElapsedTimer t;
        t.start();
        p->waitForFinished(30000);
        const QByteArray out = p->readAllStandardOutput();
        QString err;
        const int code = finish(p, &err, 1000);
        QVERIFY2(t.elapsed() < 30000, "the console hung after the server went away");
        QVERIFY2(code == 1 || code == 2, qPrintable(QStringLiteral("%1: exit %2 %3").arg(cmd).arg(code).arg(err)));
        QVERIFY2(!err.trimmed().isEmpty(), qPrintable(cmd));
        if (cmd == QLatin1String("verify"))
            QVERIFY2(out.isEmpty(), "no partial verify result may be printed as if complete");
        holder.reset();
        serverStart();
        guard.stopped = false;
        m_db->reconnect();
        QCOMPARE(daysNeitherOldNorNew(), 0);
    }
    // Once the server is back, the same command works.
    QCOMPARE(finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db())), 0);
    QCOMPARE(finish(start(QStringList{"verify", "--account", "1", "--only-mismatches"} + db())), 0);
}

void TestFaults::lockTimeoutAndStatementTimeout()
{
    // Another session holds a lock on the rollups table: the backfill waits at most
    // --lock-timeout, then fails cleanly and the rows are unchanged.
    resetToOldRows();
    Connection holder(m_db->settings());
    holder.begin();
    holder.runScript(QStringLiteral("LOCK TABLE reporting_events_rollups IN ACCESS EXCLUSIVE MODE"));
    QElapsedTimer t;
    t.start();
    QString err;
    const int code = finish(start(QStringList{"backfill", "--account", "1", "--yes", "--lock-timeout", "500"} + db()), &err, 60000);
    const qint64 waited = t.elapsed();
    holder.rollback();
    QCOMPARE(code, 1);
    QVERIFY2(err.contains(QLatin1String("lock timeout")), qPrintable(err));
    QVERIFY2(waited < 10000, qPrintable(QString::number(waited)));
    QCOMPARE(daysNeitherOldNorNew(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 1 AND count = 999")),
             m_db->scalar(QStringLiteral("SELECT count(*) FROM old_rows")));

    // statement_timeout is configurable too.
    const int code2 = finish(start(QStringList{"verify", "--account", "1", "--statement-timeout", "1"} + db()), &err, 60000);
    QCOMPARE(code2, 2);
    QVERIFY2(err.contains(QLatin1String("statement timeout")), qPrintable(err));
}

void TestFaults::twoBackfillsOfOneAccount()
{
    resetToOldRows();
    QProcess *first = start(QStringList{"backfill", "--account", "1", "--yes"} + db());
    // Wait until the first run holds the account's advisory lock.
    bool locked = false;
    for (int i = 0; i < 400 && !locked; ++i) {
        locked = m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 1 AND granted")) > 0;
        if (!locked)
            QTest::qWait(10);
    }
    QVERIFY(locked);
    QElapsedTimer t;
    t.start();
    QString err;
    const int second = finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db()), &err);
    QCOMPARE(second, 2);
    QVERIFY2(err.contains(QLatin1String("another backfill of account 1 is running (pid")), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("rollup-console")), qPrintable(err));
    QVERIFY(t.elapsed() < 5000);
    QCOMPARE(finish(first), 0);
    QCOMPARE(daysNeitherOldNorNew(), 0);
}

void TestFaults::twoAccountsInParallel()
{
    QProcess *a = start(QStringList{"backfill", "--account", "1", "--yes"} + db());
    QProcess *b = start(QStringList{"backfill", "--account", "2", "--yes"} + db());
    QCOMPARE(finish(a), 0);
    QCOMPARE(finish(b), 0);
    QCOMPARE(finish(start(QStringList{"verify", "--account", "1", "--only-mismatches"} + db())), 0);
    QCOMPARE(finish(start(QStringList{"verify", "--account", "2", "--only-mismatches"} + db())), 0);
}

void TestFaults::liveUpsertsForTodayDuringBackfill()
{
    // Chatwoot's live RollupService keeps writing today's events and upserting today's rows
    // while the past days are backfilled: the past comes out exact, today's rows untouched.
    resetToOldRows();
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    QString liveError;
    const ConnectionSettings settings = m_db->settings();
    std::thread live([&]() {
        try {
            Connection c(settings);
            while (!stop.load()) {
                const int n = written.load() + 1;
                const QString at = QStringLiteral("2026-03-01 %1:%2:00").arg(10 + n / 60 % 10, 2, 10, QLatin1Char('0')).arg(n % 60, 2, 10, QLatin1Char('0'));
                c.begin();
                c.run(QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, "
                                     "conversation_id, created_at, updated_at) VALUES ('first_response', 10, 5, 1, 7, 3, 99, ?::timestamp, ?::timestamp)"),
                      {at, at});
                for (const auto &dim : {std::pair<QString, int>{QStringLiteral("account"), 1}, {QStringLiteral("agent"), 7}, {QStringLiteral("inbox"), 3}})
                    c.run(QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
                                         "sum_value_business_hours, created_at, updated_at) VALUES (1, DATE '2026-03-01', ?, ?, 'first_response', 1, 10, 5, now(), now()) "
                                         "ON CONFLICT (account_id, date, dimension_type, dimension_id, metric) DO UPDATE SET "
                                         "count = reporting_events_rollups.count + EXCLUDED.count, "
                                         "sum_value = reporting_events_rollups.sum_value + EXCLUDED.sum_value, "
                                         "sum_value_business_hours = reporting_events_rollups.sum_value_business_hours + EXCLUDED.sum_value_business_hours, "
                                         "updated_at = EXCLUDED.updated_at"),
                          {dim.first, dim.second});
                c.commit();
                written.fetch_add(1);
            }
        } catch (const DbError &e) {
            liveError = e.message();
        }
    });
    QString err;
    const int code = finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db()), &err);
    stop.store(true);
    live.join();
    QVERIFY2(liveError.isEmpty(), qPrintable(liveError));
    QCOMPARE(code, 0);
    QVERIFY(written.load() > 10);
    // Past days exact (the range ends yesterday, 2026-02-28 in New York).
    QCOMPARE(finish(start(QStringList{"verify", "--account", "1", "--only-mismatches", "--to", "2026-02-28"} + db())), 0);
    // Today's rows hold exactly what the live path wrote.
    for (const QString &dim : {QStringLiteral("account"), QStringLiteral("agent"), QStringLiteral("inbox")})
        QCOMPARE(m_db->scalar(QStringLiteral("SELECT count FROM reporting_events_rollups WHERE account_id = 1 AND date = '2026-03-01' "
                                             "AND metric = 'first_response' AND dimension_type = ?"), {dim}),
                 qint64(written.load()));
    m_db->exec(QStringLiteral("DELETE FROM reporting_events WHERE conversation_id = 99 AND created_at >= '2026-03-01'"));
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE date = '2026-03-01'"));
}

void TestFaults::passwordNeverInErrors()
{
    const ConnectionSettings s = m_db->settings();
    for (const QString &url : {QStringLiteral("postgres://%1:Sup3rSecretPw@127.0.0.1:1/x").arg(s.user),
                               QStringLiteral("postgres://%1:Sup3rSecretPw@127.0.0.1:%2/no_such_db").arg(s.user).arg(s.port),
                               QStringLiteral("postgres://%1:Sup3rSecretPw@127.0.0.1:%2/x?sslmode=bogus").arg(s.user).arg(s.port)}) {
        QString err;
        const int code = finish(start({"accounts", "--database-url", url}), &err);
        QCOMPARE(code, 2);
        QVERIFY(!err.isEmpty());
        QVERIFY2(!err.contains(QLatin1String("Sup3rSecretPw")), qPrintable(err));
    }
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
