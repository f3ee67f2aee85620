#include "fixtures.h"

#include "db/dberror.h"
#include "jobs/backfillplanner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace rollup;

// The server crashes in the middle of a backfill: pg_ctl's immediate shutdown and SIGKILL of
// the postmaster with all its processes, at random moments, on a server of this test's own with
// production durability (fsync, full_page_writes, synchronous_commit on). After crash recovery
// every day of the range holds all of its old rows or all of its new rows, the console has
// exited non-zero with one clear line, and a rerun is exact.
// ROLLUP_CRASH_SEED=N repeats the moments of an earlier run (the seed is printed).
class TestCrash : public QObject
{
    Q_OBJECT
public:
    ~TestCrash() override { cleanupTestCase(); } // also when initTestCase failed half-way

private slots:
    void initTestCase();
    void cleanupTestCase();
    void backfillSurvivesServerCrashes();

private:
    bool pg(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    QProcess *start(const QStringList &args);
    static int finish(QProcess *p, QString *err, int timeoutMs);
    QStringList db() const { return {QStringLiteral("--database-url"), m_db->url()}; }
    void resetToOldRows();
    qint64 scalar(const QString &sql) { return m_db->scalar(sql); }

    QTemporaryDir m_dir;
    QString m_pgDir;
    QString m_lastOutput; // stdout of the last pg.sh call (start prints the port)
    std::unique_ptr<TestDatabase> m_db;
    qint64 m_fullRunMs = 0;
    qint64 m_days = 0;
};

static const char *kNow = "2026-03-01T12:00:00Z";

bool TestCrash::pg(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("bash"),
            QStringList{qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh")} + args);
    if (!p.waitForFinished(180000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("pg.sh %s: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
        return false;
    }
    m_lastOutput = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    return true;
}

void TestCrash::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_SOURCE_DIR"));
    QVERIFY(m_dir.isValid());
    // As root the server runs as `postgres`, which must reach its directory.
    QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup
                                            | QFileDevice::ExeGroup);
    m_pgDir = m_dir.filePath(QStringLiteral("pg"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PG_DURABLE"), QStringLiteral("1"));
    QVERIFY(pg({QStringLiteral("start"), m_pgDir}, env));
    ConnectionSettings server;
    server.host = QStringLiteral("127.0.0.1");
    server.port = m_lastOutput.toInt();
    server.user = QStringLiteral("rollup");
    server.database = QStringLiteral("postgres");
    server.source = QStringLiteral("crash test server");
    QVERIFY(server.port > 0);
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_crash"), server);
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    QCOMPARE(scalar(QStringLiteral("SELECT (current_setting('fsync') = 'on' AND current_setting('full_page_writes') = 'on' "
                                   "AND current_setting('synchronous_commit') = 'on')::int")),
             1);

    Fixtures fx{*m_db};
    fx.accountWithZone(1, QStringLiteral("America/Sao_Paulo"));
    // 400,000 events over 2025-01-01 .. 2026-02-27: a backfill of a few seconds in many chunks.
    m_db->exec(QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, "
                              "inbox_id, conversation_id, created_at, updated_at) "
                              "SELECT "
                              "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','"
                              "conversation_bot_handoff','conversation_opened'])[1 + i % 6], "
                              "(i % 977) * 1.5, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 500) * 0.25 END, 1, "
                              "CASE WHEN i % 13 = 0 THEN NULL ELSE i % 40 END, i % 12, i % 5000, "
                              "timestamp '2025-01-01 06:00:00' + (i::bigint * 7919 % (422 * 86400)) * interval '1 second', now() "
                              "FROM generate_series(1, 400000) i"));
    m_db->exec(QStringLiteral("ANALYZE reporting_events"));

    // The new rows: one clean backfill by the console, kept aside (how long it takes sets the
    // range of the crash moments).
    QElapsedTimer t;
    t.start();
    QString err;
    QCOMPARE(finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db()), &err, 300000), 0);
    m_fullRunMs = t.elapsed();
    const qint64 chunks
        = scalar(QStringLiteral("SELECT count(DISTINCT xmin::text) FROM reporting_events_rollups WHERE account_id = 1"));
    qInfo("clean backfill: %lld ms, %lld chunks", m_fullRunMs, chunks);
    QVERIFY2(chunks >= 6, "too few chunks for crashes to land between and inside them");
    m_db->exec(QStringLiteral("CREATE TABLE new_rows AS SELECT date, dimension_type, dimension_id, metric, count, sum_value, "
                              "sum_value_business_hours FROM reporting_events_rollups WHERE account_id = 1"));
    // The old rows: every key of a day with other values, and a legacy team row on every day of
    // the range (also days without events), so a day with a mix of both is never old nor new.
    BackfillRequest request;
    request.accountId = 1;
    const BackfillPlan plan = BackfillPlanner::plan(m_db->connection(), request, instant(QStringLiteral("2026-03-01 12:00:00")));
    QVERIFY(plan.windows.size() > 400);
    m_days = plan.windows.size();
    m_db->exec(
        QStringLiteral("CREATE TABLE old_rows AS SELECT date, dimension_type, dimension_id, metric, count + 1000 AS count, "
                       "sum_value + 1 AS sum_value, sum_value_business_hours FROM new_rows"));
    m_db->exec(QStringLiteral("INSERT INTO old_rows SELECT d::date, 'team', 7, 'first_response', 5, 5, 5 "
                              "FROM generate_series(?::date, ?::date, interval '1 day') d"),
               {formatLocalDate(plan.windows.first().day), formatLocalDate(plan.windows.last().day)});
}

void TestCrash::cleanupTestCase()
{
    m_db.reset();
    if (!m_pgDir.isEmpty())
        pg({QStringLiteral("stop"), m_pgDir});
    m_pgDir.clear();
}

QProcess *TestCrash::start(const QStringList &args)
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

int TestCrash::finish(QProcess *p, QString *err, int timeoutMs)
{
    const bool done = p->state() == QProcess::NotRunning || p->waitForFinished(timeoutMs);
    if (!done) {
        p->kill();
        p->waitForFinished();
    }
    *err = QString::fromUtf8(p->readAllStandardError());
    const int code = done && p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    p->deleteLater();
    return code;
}

void TestCrash::resetToOldRows()
{
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 1"));
    m_db->exec(QStringLiteral(
        "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
        "sum_value_business_hours, created_at, updated_at) SELECT 1, date, dimension_type, dimension_id, metric, count, "
        "sum_value, sum_value_business_hours, now(), now() FROM old_rows"));
}

// Per day: whether its rows are exactly its new rows, and how many days are neither all old nor
// all new. Keys are unique within a day in all three sets, so a day equals a set when both
// have as many rows as match on every column (hash joins; a few hundred ms for 80,000 rows).
static const char *kDayStates
    = "WITH cur AS (SELECT date, dimension_type, dimension_id, metric, count, sum_value, sum_value_business_hours "
      "             FROM reporting_events_rollups WHERE account_id = 1), "
      "n_cur AS (SELECT date, count(*) AS n FROM cur GROUP BY date), "
      "n_old AS (SELECT date, count(*) AS n FROM old_rows GROUP BY date), "
      "n_new AS (SELECT date, count(*) AS n FROM new_rows GROUP BY date), "
      "m_old AS (SELECT date, count(*) AS n FROM cur JOIN old_rows USING (date, dimension_type, dimension_id, metric, count, "
      "sum_value, "
      "          sum_value_business_hours) GROUP BY date), "
      "m_new AS (SELECT date, count(*) AS n FROM cur JOIN new_rows USING (date, dimension_type, dimension_id, metric, count, "
      "sum_value, "
      "          sum_value_business_hours) GROUP BY date), "
      "state AS (SELECT d.date, "
      "  coalesce(c.n, 0) = coalesce(o.n, 0) AND coalesce(mo.n, 0) = coalesce(o.n, 0) AS is_old, "
      "  coalesce(c.n, 0) = coalesce(w.n, 0) AND coalesce(mw.n, 0) = coalesce(w.n, 0) AS is_new "
      "  FROM (SELECT date FROM n_cur UNION SELECT date FROM n_old UNION SELECT date FROM n_new) d "
      "  LEFT JOIN n_cur c USING (date) LEFT JOIN n_old o USING (date) LEFT JOIN n_new w USING (date) "
      "  LEFT JOIN m_old mo USING (date) LEFT JOIN m_new mw USING (date)) "
      "SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_old AND NOT is_new), "
      "       coalesce(string_agg(date::text, ' ') FILTER (WHERE NOT is_old AND NOT is_new), '') FROM state";

void TestCrash::backfillSurvivesServerCrashes()
{
    const quint32 seed = qEnvironmentVariableIsSet("ROLLUP_CRASH_SEED")
                             ? quint32(qEnvironmentVariableIntValue("ROLLUP_CRASH_SEED"))
                             : QRandomGenerator::global()->generate();
    qInfo("seed %u (ROLLUP_CRASH_SEED=%u repeats these crash moments)", seed, seed);
    QRandomGenerator rng(seed);
    struct Restart // the server comes back even when a check fails half-way
    {
        TestCrash *self;
        bool down = false;
        ~Restart()
        {
            if (down)
                self->pg({QStringLiteral("server-start"), self->m_pgDir});
        }
    } guard{this};
    // The console's error line after losing its server in the middle of work.
    const QRegularExpression lost(
        QStringLiteral("server closed the connection|terminating connection|connection to server|"
                       "no connection to the server|could not connect|Connection refused|could not receive data|"
                       "postmaster exited|the database system is"));
    const int runs = 8;
    int landed[2] = {0, 0}; // crashes that found the backfill still running: immediate, kill
    for (int run = 0; run < runs; ++run) {
        const bool kill = run % 2 == 1;
        resetToOldRows();
        QProcess *p = start(QStringList{"backfill", "--account", "1", "--yes"} + db());
        // Somewhere between 5% and 75% of a clean run's time: planning, inside chunks, between them.
        const int delay = int(m_fullRunMs / 20 + rng.bounded(qint64(std::max<qint64>(m_fullRunMs * 7 / 10, 20))));
        QTest::qWait(delay);
        QVERIFY(pg({QStringLiteral("server-crash"), m_pgDir, kill ? QStringLiteral("kill") : QStringLiteral("immediate")}));
        guard.down = true;
        QString err;
        const int code = finish(p, &err, 60000); // the console must notice, not hang
        QVERIFY(pg({QStringLiteral("server-start"), m_pgDir}));
        guard.down = false;
        m_db->reconnect();

        QSqlQuery q = m_db->connection().run(QString::fromLatin1(kDayStates));
        QVERIFY(q.next());
        const qint64 newDays = q.value(0).toLongLong();
        const qint64 partial = q.value(1).toLongLong();
        const QStringList errorLines
            = err.split(QLatin1Char('\n')).filter(QRegularExpression(QStringLiteral("^rollup-console ")));
        qInfo("run %d: %s after %d ms: exit %d, %lld of %lld days new; %s", run + 1, kill ? "SIGKILL" : "immediate shutdown",
              delay, code, newDays, m_days, qPrintable(errorLines.value(0, QStringLiteral("(no error line)"))));
        QVERIFY2(partial == 0, qPrintable(QStringLiteral("days neither all old nor all new: ") + q.value(2).toString()));
        QVERIFY2(code != -1, "the console did not exit within 60 s of the crash");
        if (code == 0) {
            // The crash came after the run's last statement: every day of the range holds its new rows.
            QVERIFY2(newDays == m_days, qPrintable(err));
            continue;
        }
        ++landed[kill ? 1 : 0];
        QVERIFY2(code == 1 || code == 2, qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(err)));
        QCOMPARE(errorLines.size(), 1);
        QVERIFY2(errorLines.first().contains(lost), qPrintable(errorLines.first()));
    }
    qInfo("crashes that hit a running backfill: %d of %d immediate shutdowns, %d of %d SIGKILLs", landed[0], runs / 2, landed[1],
          runs / 2);
    QVERIFY2(landed[0] >= 1 && landed[1] >= 1, "no crash of one kind hit a running backfill: the test checked nothing");

    // A rerun after the last recovery is exact: the new rows, and verify agrees.
    QString err;
    QCOMPARE(finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db()), &err, 300000), 0);
    QSqlQuery q = m_db->connection().run(QString::fromLatin1(kDayStates));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toLongLong(), m_days);
    QCOMPARE(scalar(QStringLiteral(
                 "SELECT count(*) FROM ((SELECT date, dimension_type, dimension_id, metric, count, sum_value, "
                 "sum_value_business_hours FROM reporting_events_rollups WHERE account_id = 1 EXCEPT SELECT * FROM new_rows) "
                 "UNION ALL (SELECT * FROM new_rows EXCEPT SELECT date, dimension_type, dimension_id, metric, count, "
                 "sum_value, sum_value_business_hours FROM reporting_events_rollups WHERE account_id = 1)) x")),
             0);
    QCOMPARE(finish(start(QStringList{"verify", "--account", "1", "--only-mismatches"} + db()), &err, 300000), 0);
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
