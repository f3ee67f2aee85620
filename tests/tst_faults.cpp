#include "fixtures.h"
#include "jobs/job.h"

#include "db/dberror.h"
#include "jobs/backfillengine.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <atomic>
#include <deque>
#include <functional>
#include <thread>

using namespace rollup;

// Faults and concurrency against the real server . Each guarantee has a
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
    void liveUpsertsDuringBackfill();
    void deadlockWithLiveUpsertIsRetried();
    void passwordNeverInErrors();

private:
    QProcess *start(const QStringList &args);
    static int finish(QProcess *p, QString *err = nullptr, int timeoutMs = 120000, QString *out = nullptr);
    QStringList db() const { return {QStringLiteral("--database-url"), m_db->url()}; }
    void resetToOldRows();
    qint64 daysNeitherOldNorNew();
    bool pollUntil(const std::function<bool()> &done, QProcess *p, int deadlineMs);
    qint64 consoleBackendsBlockedBy(int pid);
    struct DayHold;
    QStringList daysDifferingFromEvents(const QString &from, const QString &to, const QString &alsoDay);
    void serverStop();
    void serverStart();
    std::unique_ptr<TestDatabase> m_db;
    QString m_lastDay; // the default range's last day (the last event's local day)
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
    m_db->exec(QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, "
                              "inbox_id, conversation_id, created_at, updated_at) "
                              "SELECT "
                              "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','"
                              "conversation_bot_handoff','conversation_opened'])[1 + i % 6], "
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
    m_lastDay = formatLocalDate(plan.windows.last().day);
    QCOMPARE(BackfillEngine::run(JobContext(m_db->settings()), m_db->connection(), plan, {}).outcome,
             BackfillResult::Outcome::Completed);
    m_db->exec(QStringLiteral("CREATE TABLE new_rows AS SELECT date, dimension_type, dimension_id, metric, count, "
                              "round(sum_value::numeric, 6) AS s, round(sum_value_business_hours::numeric, 6) AS sb "
                              "FROM reporting_events_rollups WHERE account_id = 1"));
    m_db->exec(QStringLiteral(
        "CREATE TABLE old_rows AS SELECT d::date AS date, 'account'::varchar AS dimension_type, 1::bigint AS dimension_id, "
        "'first_response'::varchar AS metric, 999::bigint AS count, 1.0::numeric AS s, 1.0::numeric AS sb "
        "FROM generate_series(date '2025-01-01', date '2026-02-28', interval '1 day') d"));
    resetToOldRows();
}

void TestFaults::cleanupTestCase()
{
    m_db.reset();
}

void TestFaults::resetToOldRows()
{
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 1"));
    m_db->exec(QStringLiteral(
        "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
        "sum_value_business_hours, created_at, updated_at) SELECT 1, date, dimension_type, dimension_id, metric, count, s, sb, "
        "now(), now() FROM old_rows"));
}

qint64 TestFaults::daysNeitherOldNorNew()
{
    // A day is consistent when its rows are exactly its old rows or exactly its new rows. Keys
    // are unique within a day in all three sets, so a day equals a set when both have as many
    // rows as match on every column (hash joins: well under a second, also on a loaded machine).
    return m_db->scalar(QStringLiteral(
        "WITH cur AS (SELECT date, dimension_type, dimension_id, metric, count, round(sum_value::numeric, 6) AS s, "
        "round(sum_value_business_hours::numeric, 6) AS sb FROM reporting_events_rollups WHERE account_id = 1), "
        "n_cur AS (SELECT date, count(*) AS n FROM cur GROUP BY date), "
        "n_old AS (SELECT date, count(*) AS n FROM old_rows GROUP BY date), "
        "n_new AS (SELECT date, count(*) AS n FROM new_rows GROUP BY date), "
        "m_old AS (SELECT date, count(*) AS n FROM cur JOIN old_rows USING (date, dimension_type, dimension_id, metric, count, "
        "s, sb) GROUP BY date), "
        "m_new AS (SELECT date, count(*) AS n FROM cur JOIN new_rows USING (date, dimension_type, dimension_id, metric, count, "
        "s, sb) GROUP BY date) "
        "SELECT count(*) FROM (SELECT date FROM n_cur UNION SELECT date FROM n_old UNION SELECT date FROM n_new) d "
        "LEFT JOIN n_cur c USING (date) LEFT JOIN n_old o USING (date) LEFT JOIN n_new w USING (date) "
        "LEFT JOIN m_old mo USING (date) LEFT JOIN m_new mw USING (date) "
        "WHERE NOT (coalesce(c.n, 0) = coalesce(o.n, 0) AND coalesce(mo.n, 0) = coalesce(o.n, 0)) "
        "AND NOT (coalesce(c.n, 0) = coalesce(w.n, 0) AND coalesce(mw.n, 0) = coalesce(w.n, 0))"));
}

bool TestFaults::pollUntil(const std::function<bool()> &done, QProcess *p, int deadlineMs)
{
    // At most deadlineMs / 5 polls 5 ms apart (plus the queries' own time); stops early when the
    // process `p` (if any) has ended.
    for (int i = 0; i < deadlineMs / 5; ++i) {
        if (done())
            return true;
        if (p && p->state() != QProcess::Running)
            return done();
        QTest::qWait(5);
    }
    return done();
}

qint64 TestFaults::consoleBackendsBlockedBy(int pid)
{
    return m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND application_name LIKE 'rollup-console %' AND ?::int = ANY(pg_blocking_pids(pid))"),
                        {pid});
}

// Holds a row lock on a day's rollup row in its own session, so a backfill reaching that day
// waits (holding the account's advisory lock) until release() or the destructor.
struct TestFaults::DayHold
{
    Connection connection;
    DayHold(const ConnectionSettings &settings, const QString &day) : connection(settings)
    {
        connection.begin();
        QSqlQuery q
            = connection.run(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM reporting_events_rollups WHERE account_id = 1 "
                                            "AND date = ?::date FOR UPDATE) x"),
                             {day});
        locked = q.next() && q.value(0).toInt() > 0;
    }
    void release() { connection.rollback(); }
    ~DayHold() { connection.rollback(); }
    bool locked = false;
};

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

int TestFaults::finish(QProcess *p, QString *err, int timeoutMs, QString *out)
{
    const bool done = p->state() == QProcess::NotRunning || p->waitForFinished(timeoutMs);
    if (!done) {
        p->kill();
        p->waitForFinished();
    }
    if (err)
        *err = QString::fromUtf8(p->readAllStandardError());
    if (out)
        *out = QString::fromUtf8(p->readAllStandardOutput());
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

    // Each round: a random pause, then the next moment a worker is inside a chunk's transaction
    // (it has an xid: DELETE or INSERT running, or between them) its backend is terminated. That
    // kill lands: the chunk rolls back and the run fails. Only when the pause outlasted the run
    // (or the kill met the run's last commit) does it end 0, and then every day is new.
    QRandomGenerator rng(1129);
    int landed = 0;
    for (int round = 0; round < 20; ++round) {
        QProcess *p = start(QStringList{"backfill", "--account", "1", "--yes"} + db());
        QTest::qWait(int(50 + rng.bounded(qint64(std::max<qint64>(full * 7 / 10, 100)))));
        int terminated = 0;
        pollUntil(
            [&] { // 60 s at most
                QSqlQuery q = m_db->connection().run(QStringLiteral(
                    "SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity WHERE datname = "
                    "current_database() "
                    "AND application_name LIKE 'rollup-console %' AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() "
                    "ORDER BY random() LIMIT 1) a"));
                terminated = q.next() ? q.value(0).toInt() : 0;
                return terminated > 0;
            },
            p, 60000);
        QString err;
        const int code = finish(p, &err, 60000);
        if (code != 0) {
            QVERIFY2(terminated, qPrintable(QStringLiteral("exit %1 without a kill: %2").arg(code).arg(err)));
            ++landed;
            QVERIFY2(code == 1, qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(err)));
            QVERIFY2(err.contains(QLatin1String("terminat")) || err.contains(QLatin1String("server closed")), qPrintable(err));
        } else {
            // Every day of the range holds its new rows.
            QCOMPARE(
                m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 1 AND count = 999 "
                                            "AND sum_value = 1 AND date <= (SELECT max(date) FROM new_rows)")),
                0);
        }
        QCOMPARE(daysNeitherOldNorNew(), 0);
        resetToOldRows();
    }
    qInfo("a terminated backend ended the run in %d of 20 rounds (the others ended before a chunk could be caught)", landed);
    QVERIFY2(landed > 0, "no kill landed in a chunk: the test checked nothing");
    // A rerun makes every day exact.
    QCOMPARE(finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db())), 0);
    // (Days after the last event's day are outside the default range and keep their rows.)
    QCOMPARE(m_db->scalar(QStringLiteral(
                 "SELECT count(*) FROM (SELECT date, dimension_type, dimension_id, metric, count, round(sum_value::numeric, 6), "
                 "round(sum_value_business_hours::numeric, 6) FROM reporting_events_rollups WHERE account_id = 1 "
                 "AND date <= (SELECT max(date) FROM new_rows) EXCEPT SELECT * FROM new_rows) x")),
             0);
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
        // The command is kept in flight by another session's lock: the backfill waits for a
        // row of the range's last day (holding the account's advisory lock, its other chunks
        // committed), verify (one statement) for the whole rollups table.
        std::unique_ptr<DayHold> dayHold;
        std::unique_ptr<Connection> tableHold;
        int holder = 0;
        if (cmd == QLatin1String("backfill")) {
            dayHold = std::make_unique<DayHold>(m_db->settings(), m_lastDay);
            QVERIFY(dayHold->locked);
            holder = dayHold->connection.backendPid();
        } else {
            tableHold = std::make_unique<Connection>(m_db->settings());
            tableHold->begin();
            tableHold->runScript(QStringLiteral("LOCK TABLE reporting_events_rollups IN ACCESS EXCLUSIVE MODE"));
            holder = tableHold->backendPid();
        }
        const QStringList extra = cmd == QLatin1String("backfill") ? QStringList{"--yes", "--lock-timeout", "600000"}
                                                                   : QStringList{"--lock-timeout", "600000"};
        QProcess *p = start(QStringList{cmd, "--account", "1"} + extra + db());
        // Stop the server while the command's statement waits (found within 60 s).
        const bool working = pollUntil([&] { return consoleBackendsBlockedBy(holder) > 0; }, p, 60000);
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
        dayHold.reset();
        tableHold.reset();
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
    // --lock-timeout, then fails cleanly and the rows are unchanged. Each wait is timed from the
    // moment the console's statement is seen waiting (or from its end, if it was over first), so
    // the process's start-up on a loaded machine does not count. Without the option the default
    // of 10 s would apply; 5 s tells them apart.
    // ACCESS EXCLUSIVE (a migration's lock) blocks every read too: the first statement that
    // meets it may be the plan's (exit 2, nothing written) or a chunk's (exit 1). EXCLUSIVE lets
    // the plan read and blocks the chunks' writes: exit 1.
    for (const QString &mode : {QStringLiteral("ACCESS EXCLUSIVE"), QStringLiteral("EXCLUSIVE")}) {
        resetToOldRows();
        Connection holder(m_db->settings());
        holder.begin();
        holder.runScript(QStringLiteral("LOCK TABLE reporting_events_rollups IN %1 MODE").arg(mode));
        QProcess *p = start(QStringList{"backfill", "--account", "1", "--yes", "--lock-timeout", "500"} + db());
        pollUntil([&] { return consoleBackendsBlockedBy(holder.backendPid()) > 0; }, p, 60000);
        QElapsedTimer t;
        t.start();
        QString err;
        const int code = finish(p, &err, 60000);
        const qint64 waited = t.elapsed();
        holder.rollback();
        QVERIFY2(code == 1 || (code == 2 && mode == QLatin1String("ACCESS EXCLUSIVE")),
                 qPrintable(QStringLiteral("%1: exit %2: %3").arg(mode).arg(code).arg(err)));
        QVERIFY2(err.contains(QLatin1String("lock timeout")), qPrintable(err));
        QVERIFY2(waited < 5000, qPrintable(QStringLiteral("%1: %2 ms").arg(mode).arg(waited)));
        QCOMPARE(daysNeitherOldNorNew(), 0);
        QCOMPARE(
            m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 1 AND count = 999")),
            m_db->scalar(QStringLiteral("SELECT count(*) FROM old_rows")));
    }

    // statement_timeout is configurable too.
    QString err;
    const int code2 = finish(start(QStringList{"verify", "--account", "1", "--statement-timeout", "1"} + db()), &err, 60000);
    QCOMPARE(code2, 2);
    QVERIFY2(err.contains(QLatin1String("statement timeout")), qPrintable(err));
}

void TestFaults::twoBackfillsOfOneAccount()
{
    resetToOldRows();
    // The first backfill is held at the range's last day (a row lock of this session) while it
    // holds the account's advisory lock; the second starts only then, and must be refused while
    // the first still waits — so it cannot have waited for the first to finish.
    DayHold hold(m_db->settings(), m_lastDay);
    QVERIFY(hold.locked);
    // A session of another database on the server holding the same lock key (another Chatwoot
    // database's backfill of its account 1) neither blocks this one nor is named as its holder.
    TestDatabase other(QStringLiteral("tst_faults_other"), false);
    QVERIFY2(other.ok(), qPrintable(other.error()));
    other.connection().run(QStringLiteral("SELECT pg_advisory_lock(?::int, 1)"), {RollupWriter::kLockClass});
    QProcess *first = start(QStringList{"backfill", "--account", "1", "--yes", "--lock-timeout", "600000"} + db());
    QVERIFY2(pollUntil([&] { return consoleBackendsBlockedBy(hold.connection.backendPid()) > 0; }, first, 60000),
             qPrintable(QString::fromUtf8(first->readAllStandardError())));
    const qint64 firstPid
        = m_db->scalar(QStringLiteral("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = ?::int::oid "
                                      "AND objid = 1 AND granted "
                                      "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
                       {RollupWriter::kLockClass});
    QVERIFY(firstPid > 0);
    QString err;
    const int second = finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db()), &err, 60000);
    QCOMPARE(second, 2);
    QVERIFY2(err.contains(QStringLiteral("another backfill of account 1 is running (pid %1,").arg(firstPid)), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("rollup-console")), qPrintable(err));
    QVERIFY(first->state() == QProcess::Running);
    QCOMPARE(consoleBackendsBlockedBy(hold.connection.backendPid()), 1);
    hold.release();
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

// Days of account 1 whose stored rows differ from a recomputation from the raw events now:
// Chatwoot's per-day, per-dimension rules written out in SQL, local days in New York by the
// server's own time-zone rules (independent of the console's day windows; New York has no
// transition at midnight).
QStringList TestFaults::daysDifferingFromEvents(const QString &from, const QString &to, const QString &alsoDay)
{
    QSqlQuery q = m_db->connection().run(
        QStringLiteral(
            "WITH e AS (SELECT (created_at AT TIME ZONE 'UTC' AT TIME ZONE 'America/New_York')::date AS date, name, value, "
            "value_in_business_hours AS vbh, user_id, inbox_id, conversation_id FROM reporting_events WHERE account_id = 1), "
            "std AS (SELECT date, 'account'::text AS t, 1::bigint AS id, name, count(*) AS n, coalesce(sum(value), 0) AS s, "
            "coalesce(sum(vbh), 0) AS sb "
            "        FROM e WHERE name IN ('conversation_resolved','first_response','reply_time','conversation_bot_resolved') "
            "GROUP BY date, name "
            "  UNION ALL SELECT date, 'agent', user_id, name, count(*), coalesce(sum(value), 0), coalesce(sum(vbh), 0) "
            "        FROM e WHERE name IN ('conversation_resolved','first_response','reply_time','conversation_bot_resolved') "
            "AND user_id IS NOT NULL GROUP BY date, user_id, name "
            "  UNION ALL SELECT date, 'inbox', inbox_id, name, count(*), coalesce(sum(value), 0), coalesce(sum(vbh), 0) "
            "        FROM e WHERE name IN ('conversation_resolved','first_response','reply_time','conversation_bot_resolved') "
            "AND inbox_id IS NOT NULL GROUP BY date, inbox_id, name), "
            "handoffs AS (SELECT date, 'account'::text AS t, 1::bigint AS id, count(DISTINCT conversation_id) AS n FROM e WHERE "
            "name = 'conversation_bot_handoff' GROUP BY date "
            "  UNION ALL SELECT date, 'agent', user_id, count(DISTINCT conversation_id) FROM e WHERE name = "
            "'conversation_bot_handoff' AND user_id IS NOT NULL GROUP BY date, user_id "
            "  UNION ALL SELECT date, 'inbox', inbox_id, count(DISTINCT conversation_id) FROM e WHERE name = "
            "'conversation_bot_handoff' AND inbox_id IS NOT NULL GROUP BY date, inbox_id), "
            "ref AS (SELECT date, t, id, 'resolutions_count'::text AS metric, n, 0::float8 AS s, 0::float8 AS sb FROM std WHERE "
            "name = 'conversation_resolved' "
            "  UNION ALL SELECT date, t, id, 'resolution_time', n, s, sb FROM std WHERE name = 'conversation_resolved' "
            "  UNION ALL SELECT date, t, id, name::text, n, s, sb FROM std WHERE name IN ('first_response', 'reply_time') "
            "  UNION ALL SELECT date, t, id, 'bot_resolutions_count', n, 0, 0 FROM std WHERE name = 'conversation_bot_resolved' "
            "  UNION ALL SELECT date, t, id, 'bot_handoffs_count', n, 0, 0 FROM handoffs), "
            "cur AS (SELECT date, dimension_type::text, dimension_id, metric::text, count, sum_value, sum_value_business_hours "
            "        FROM reporting_events_rollups WHERE account_id = 1), "
            "diff AS ((SELECT * FROM cur EXCEPT SELECT * FROM ref) UNION ALL (SELECT * FROM ref EXCEPT SELECT * FROM cur)) "
            "SELECT DISTINCT date::text FROM diff WHERE date BETWEEN ?::date AND ?::date OR date = ?::date ORDER BY 1"),
        {from, to, alsoDay});
    QStringList days;
    while (q.next())
        days << q.value(0).toString();
    return days;
}

// The days a backfill's stderr note names ("… may differ from their events: D1, D2..D3; check …").
static QStringList daysInLiveNote(const QString &err)
{
    QStringList days;
    const QString marker = QStringLiteral("may differ from their events: ");
    for (const QString &line : err.split(QLatin1Char('\n'))) {
        const qsizetype at = line.indexOf(marker);
        if (!line.startsWith(QLatin1String("note: ")) || at < 0)
            continue;
        const QString list = line.mid(at + marker.size()).section(QLatin1Char(';'), 0, 0);
        for (const QString &span : list.split(QStringLiteral(", "))) {
            const std::optional<date::local_days> first = parseLocalDate(span.section(QStringLiteral(".."), 0, 0));
            const std::optional<date::local_days> last = parseLocalDate(span.section(QStringLiteral(".."), -1));
            if (!first || !last)
                return {QStringLiteral("unparsable: ") + span};
            for (date::local_days d = *first; d <= *last; d += date::days{1})
                days << formatLocalDate(d);
        }
    }
    return days;
}

// What the console guarantees when Chatwoot's live path writes days of the range while the
// backfill runs: every day of the range ends either exactly equal to a recomputation from its
// raw events, or named by the backfill (BackfillResult::liveTouchedDays, the CLI's "note: …
// written by another session …" line) as written by another session while or after its chunk
// ran, for the user to verify or backfill again. This holds for live writes that finished before
// the backfill did; a live upsert committed after the backfill ended (for an event the backfill
// already counted) is beyond what one run can see, and `verify` finds it. Each chunk still keeps
// all old or all new rows.
//
// Chatwoot's live path: the raw event committed on its own, later its upsert (ON CONFLICT … DO
// UPDATE adding count and sums) for the account, agent and inbox rows in a transaction of its
// own. Here one thread with its own connection writes such events on 8 days spread over the range
// (users and inboxes that have rows and ones that have none) and on today (outside the range), and
// upserts each event 24 events after committing it, as a queue of pending live jobs would. A
// day whose chunk reads events whose upserts come later counts those events twice — the race
// every replace-by-day backfill has with this live path — so some days do end wrong, and the
// test fails if one of them is not named. The last day of the range is held (a row lock) until
// the live thread has stopped and flushed its queue, so every live write ends before the
// backfill does.
void TestFaults::liveUpsertsDuringBackfill()
{
    resetToOldRows();
    BackfillRequest request;
    request.accountId = 1;
    const BackfillPlan plan = BackfillPlanner::plan(m_db->connection(), request, instant(QStringLiteral("2026-03-01 12:00:00")));
    const QList<DayWindow> &windows = plan.windows;
    QVERIFY(windows.size() > 400);
    QList<DayWindow> targets;
    for (int k = 0; k < 8; ++k)
        targets << windows.at(3 + k * (windows.size() * 9 / 10) / 8);
    const QString today = QStringLiteral("2026-03-01"); // kNow's day in New York, outside the range
    const qint64 liveConversation = 424242; // marks the live events, removed at the end

    DayHold hold(m_db->settings(), formatLocalDate(windows.last().day));
    QVERIFY(hold.locked);

    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::atomic<int> retried{0};
    std::atomic<bool> liveFailed{false};
    QString liveError; // written by the live thread before liveFailed, read after join
    const ConnectionSettings settings = m_db->settings();
    std::thread live([&]() {
        struct Pending
        {
            QString date;
            QString name;
            double value, vbh;
            int user, inbox;
        };
        std::deque<Pending> queue;
        QRandomGenerator rng(4711);
        const QStringList names = {QStringLiteral("first_response"), QStringLiteral("reply_time"),
                                   QStringLiteral("conversation_resolved"), QStringLiteral("conversation_bot_resolved")};
        try {
            Connection c(settings);
            auto upsert = [&](const Pending &p) {
                QStringList metrics;
                bool duration = true;
                if (p.name == QLatin1String("conversation_resolved"))
                    metrics = {QStringLiteral("resolutions_count"), QStringLiteral("resolution_time")};
                else if (p.name == QLatin1String("conversation_bot_resolved")) {
                    metrics = {QStringLiteral("bot_resolutions_count")};
                    duration = false;
                } else
                    metrics = {p.name};
                QStringList tuples;
                QVariantList values;
                for (const auto &dim : {std::pair<QString, int>{QStringLiteral("account"), 1},
                                        {QStringLiteral("agent"), p.user},
                                        {QStringLiteral("inbox"), p.inbox}}) {
                    for (const QString &metric : metrics) {
                        const bool sums = duration && metric != QLatin1String("resolutions_count");
                        tuples << QStringLiteral("(1, ?::date, ?, ?, ?, 1, ?::float8, ?::float8, now(), now())");
                        values << p.date << dim.first << dim.second << metric << (sums ? p.value : 0.0) << (sums ? p.vbh : 0.0);
                    }
                }
                for (;;) { // a live job that loses a deadlock or a serialization race runs again
                    try {
                        c.begin();
                        c.run(QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, "
                                             "dimension_id, metric, count, "
                                             "sum_value, sum_value_business_hours, created_at, updated_at) VALUES %1 "
                                             "ON CONFLICT (account_id, date, dimension_type, dimension_id, metric) DO UPDATE SET "
                                             "count = reporting_events_rollups.count + EXCLUDED.count, "
                                             "sum_value = reporting_events_rollups.sum_value + EXCLUDED.sum_value, "
                                             "sum_value_business_hours = reporting_events_rollups.sum_value_business_hours + "
                                             "EXCLUDED.sum_value_business_hours, "
                                             "updated_at = EXCLUDED.updated_at")
                                  .arg(tuples.join(QStringLiteral(", "))),
                              values);
                        c.commit();
                        return;
                    } catch (const DbError &e) {
                        c.rollback();
                        if (e.sqlState() != QLatin1String("40P01") && e.sqlState() != QLatin1String("40001"))
                            throw;
                        retried.fetch_add(1);
                    }
                }
            };
            while (!stop.load()) {
                const bool forToday = rng.bounded(9) == 0;
                const DayWindow &day = targets.at(int(rng.bounded(qint64(targets.size()))));
                const SysSeconds at
                    = forToday ? instant(QStringLiteral("2026-03-01 15:00:00")) + std::chrono::seconds(rng.bounded(3600))
                               : day.start + std::chrono::seconds(rng.bounded(qint64((day.end - day.start).count())));
                Pending p{forToday ? today : formatLocalDate(day.day),
                          names.at(int(rng.bounded(qint64(names.size())))),
                          10 + rng.bounded(1000) + 0.25,
                          0,
                          rng.bounded(2) ? int(rng.bounded(40)) : 700 + int(rng.bounded(5)),
                          rng.bounded(2) ? int(rng.bounded(12)) : 50 + int(rng.bounded(3))};
                p.vbh = p.value / 2;
                const QString createdAt = formatUtcMicros(SysMicros{at});
                c.run(QStringLiteral(
                          "INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, "
                          "conversation_id, created_at, updated_at) VALUES (?, ?::float8, ?::float8, 1, ?, ?, ?, ?::timestamp, "
                          "?::timestamp)"),
                      {p.name, p.value, p.vbh, p.user, p.inbox, liveConversation, createdAt, createdAt});
                queue.push_back(p);
                if (queue.size() > 24) {
                    upsert(queue.front());
                    queue.pop_front();
                }
                written.fetch_add(1);
            }
            for (; !queue.empty(); queue.pop_front()) // the pending jobs finish
                upsert(queue.front());
        } catch (const DbError &e) {
            liveError = e.message();
            liveFailed.store(true);
        }
    });
    struct Join // stop and join the live thread also when a check below fails
    {
        std::atomic<bool> &stopFlag;
        std::thread &thread;
        ~Join()
        {
            stopFlag.store(true);
            if (thread.joinable())
                thread.join();
        }
    } join{stop, live};
    pollUntil([&] { return written.load() >= 100 || liveFailed.load(); }, nullptr, 60000);
    QVERIFY2(written.load() >= 100 && !liveFailed.load(), "the live thread did not get going within 60 s");

    QProcess *p = start(QStringList{"backfill", "--account", "1", "--yes", "--lock-timeout", "600000"} + db());
    // Every day but the last is written while the live thread runs; wait (up to 10 minutes) until
    // the last day's chunk waits for the held row.
    const bool held
        = pollUntil([&] { return liveFailed.load() || consoleBackendsBlockedBy(hold.connection.backendPid()) > 0; }, p, 600000);
    QVERIFY2(held && !liveFailed.load(), qPrintable(QString::fromUtf8(p->readAllStandardError())));
    stop.store(true);
    live.join();
    QVERIFY2(liveError.isEmpty(), qPrintable(liveError));
    hold.release();
    QString err;
    const int code = finish(p, &err);
    QVERIFY2(code == 0, qPrintable(err));

    const QString first = formatLocalDate(windows.first().day);
    const QString last = formatLocalDate(windows.last().day);
    const QStringList reported = daysInLiveNote(err);
    const QStringList wrong = daysDifferingFromEvents(first, last, today);
    QStringList targetDays;
    for (const DayWindow &w : targets)
        targetDays << formatLocalDate(w.day);
    qInfo("live path: %d events on %lld days (%d upserts retried); days not equal to their events: %s; the backfill said: %s",
          written.load(), qlonglong(targets.size()), retried.load(), qPrintable(wrong.join(QLatin1Char(' '))),
          qPrintable(err.split(QLatin1Char('\n')).filter(QStringLiteral("note: ")).join(QLatin1Char(' '))));
    // The race did happen (days counting events twice), or the test could not fail.
    QVERIFY2(!wrong.isEmpty(), "no day ended wrong: the live writes never raced a chunk");
    for (const QString &day : wrong)
        QVERIFY2(reported.contains(day),
                 qPrintable(QStringLiteral("%1 differs from its events and was not reported: %2").arg(day, err)));
    // Only days the live path wrote are named; today is outside the range and holds exactly
    // what the live path wrote.
    for (const QString &day : reported)
        QVERIFY2(targetDays.contains(day), qPrintable(QStringLiteral("%1 reported, but the live path never wrote it").arg(day)));
    QVERIFY(!wrong.contains(today));
    QVERIFY(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 1 AND date = ?::date"),
                         {today})
            > 0);
    // A backfill run after the live writes stopped makes every day exact and names none.
    QCOMPARE(finish(start(QStringList{"backfill", "--account", "1", "--yes"} + db()), &err), 0);
    QVERIFY2(daysInLiveNote(err).isEmpty(), qPrintable(err));
    QCOMPARE(daysDifferingFromEvents(first, last, today), QStringList{});

    m_db->exec(QStringLiteral("DELETE FROM reporting_events WHERE account_id = 1 AND conversation_id = ?"), {liveConversation});
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 1 AND date = ?::date"), {today});
    resetToOldRows();
}

void TestFaults::deadlockWithLiveUpsertIsRetried()
{
    // A chunk's DELETE locks a day's rows in the order it finds them; a live upsert locks the
    // rows of its VALUES in its own order. Here another session holds the day's last row, the
    // DELETE locks the first and waits for the last, and the other session then asks for the
    // first: a deadlock, which the server breaks by failing the chunk's transaction (the other
    // session waits longer before it looks for deadlocks). The chunk runs again and succeeds.
    const QString day = QStringLiteral("2025-03-10");
    const QStringList backfill = QStringList{"backfill", "--account", "1", "--from", day, "--to", day, "--yes"} + db();
    QCOMPARE(finish(start(backfill)), 0); // the day's rows, in the order the chunk writes them
    QSqlQuery rows = m_db->connection().run(
        QStringLiteral(
            "SELECT min(ctid)::text, max(ctid)::text FROM reporting_events_rollups WHERE account_id = 1 AND date = ?::date"),
        {day});
    QVERIFY(rows.next());
    const QString first = rows.value(0).toString(), last = rows.value(1).toString();
    QVERIFY2(!first.isEmpty() && first != last, "the day needs two rows");

    // The chunk's session looks for the deadlock 5 s after it starts waiting (the other session
    // is waiting by then, also on a loaded machine); the other session only after 60 s.
    m_db->exec(QStringLiteral(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET deadlock_timeout = ''5s''', current_database()); END $$"));
    struct Reset // also when a check below fails
    {
        TestDatabase &db;
        ~Reset()
        {
            try {
                db.exec(QStringLiteral(
                    "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET deadlock_timeout', current_database()); END $$"));
            } catch (const DbError &) {
                // the database goes with the test program
            }
        }
    } reset{*m_db};
    Connection live(m_db->settings());
    live.run(QStringLiteral("SELECT set_config('deadlock_timeout', '60s', false)"));
    live.begin();
    live.run(QStringLiteral("UPDATE reporting_events_rollups SET count = count + 1 WHERE ctid = ?::tid"), {last});
    QProcess *p = start(backfill);
    QVERIFY2(pollUntil([&] { return consoleBackendsBlockedBy(live.backendPid()) > 0; }, p, 60000),
             qPrintable(QString::fromUtf8(p->readAllStandardError())));
    QElapsedTimer waited;
    waited.start();
    live.run(QStringLiteral("UPDATE reporting_events_rollups SET count = count + 1 WHERE ctid = ?::tid"), {first});
    // The update waited for the chunk's transaction, which could only end by losing the deadlock.
    QVERIFY2(waited.elapsed() >= 500, qPrintable(QStringLiteral("no deadlock: waited %1 ms").arg(waited.elapsed())));
    live.commit();
    QString err, out;
    QCOMPARE(finish(p, &err, 120000, &out), 0);
    QVERIFY2(!err.contains(QLatin1String("deadlock")), qPrintable(err));
    // The summary names the chunk that ran again.
    QVERIFY2(out.contains(QLatin1String(", 1 chunk ran again after colliding with live writes")), qPrintable(out));
    QCOMPARE(finish(start(QStringList{"verify", "--account", "1", "--from", day, "--to", day} + db()), &err), 0);
    resetToOldRows();
}

void TestFaults::passwordNeverInErrors()
{
    const ConnectionSettings s = m_db->settings();
    for (const QString &url :
         {QStringLiteral("postgres://%1:Sup3rSecretPw@127.0.0.1:1/x").arg(s.user),
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
