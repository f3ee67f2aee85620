#include "clirun.h"
#include "fixtures.h"

#include "db/dberror.h"
#include "db/rollupwriter.h"
#include "db/sessionprobe.h"
#include "jobs/backfilljob.h"
#include "jobs/connectioncheck.h"
#include "jobs/verifyjob.h"
#include "ui/accountsmodel.h"
#include "ui/backfillview.h"
#include "ui/mainwindow.h"
#include "ui/verifyview.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace rollup;

// The console behind PgBouncer (scripts/pg.sh pgbouncer: a real PgBouncer on a free loopback
// port and a Unix socket, clients logging in with scram-sha-256 from a userlist file), in front
// of the suite's server. In session pooling (pool_mode = session) everything works as on a
// direct connection: accounts, set-timezone, backfill with its per-account lock and cancel,
// verify, the GUI. In transaction and statement pooling every command stops before it reads or
// writes anything, with one line naming the cause and the remedy, and the check never misfires:
// hundreds of connections in each mode, also while other clients keep the pool busy.
class TestPgBouncer : public QObject
{
    Q_OBJECT
public:
    ~TestPgBouncer() override { cleanupTestCase(); } // also when initTestCase failed half-way

private slots:
    void initTestCase();
    void cleanupTestCase();
    void detectionNeverMisfires_data();
    void detectionNeverMisfires();
    void detectionWhileThePoolIsBusy_data();
    void detectionWhileThePoolIsBusy();
    void sessionPoolingEndToEnd();
    void sessionPoolingLockAndCancel();
    void transactionPoolingRefusesEveryCommand_data();
    void transactionPoolingRefusesEveryCommand();
    void guiThroughSessionPooling();
    void guiThroughTransactionPooling();

private:
    struct Bouncer
    {
        QString dir;
        int port = 0;
        QString password;
    };
    bool script(const QStringList &args, QString *out = nullptr);
    bool startBouncer(const QString &mode, Bouncer *bouncer);
    ConnectionSettings through(const Bouncer &b, bool unixSocket = false) const;
    QString url(const Bouncer &b) const;
    QStringList db(const Bouncer &b) const { return {QStringLiteral("--database-url"), url(b)}; }
    QProcess *startCli(const QStringList &args);
    static int finish(QProcess *p, QString *err, int timeoutMs = 120000);
    qint64 scalar(const QString &sql, const QVariantList &values = {}) { return m_db->scalar(sql, values); }
    QString storedZone(qint64 account);

    QTemporaryDir m_dir;
    std::unique_ptr<TestDatabase> m_db;
    QMap<QString, Bouncer> m_bouncers; // by pool mode
    QString m_lastDay;
};

static const char *kNow = "2026-03-10T12:00:00Z";

bool TestPgBouncer::script(const QStringList &args, QString *out)
{
    QProcess p;
    p.start(QStringLiteral("bash"),
            QStringList{qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh")} + args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("pg.sh %s: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
        return false;
    }
    if (out)
        *out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    return true;
}

bool TestPgBouncer::startBouncer(const QString &mode, Bouncer *bouncer)
{
    bouncer->dir = m_dir.filePath(mode);
    QString port;
    if (!script({QStringLiteral("pgbouncer"), bouncer->dir, mode, QString::number(TestDatabase::serverSettings().port)}, &port))
        return false;
    bouncer->port = port.toInt();
    QFile password(bouncer->dir + QStringLiteral("/password"));
    if (!password.open(QIODevice::ReadOnly))
        return false;
    bouncer->password = QString::fromUtf8(password.readAll()).trimmed();
    return bouncer->port > 0 && !bouncer->password.isEmpty();
}

ConnectionSettings TestPgBouncer::through(const Bouncer &b, bool unixSocket) const
{
    ConnectionSettings s = m_db->settings();
    s.host = unixSocket ? b.dir : QStringLiteral("127.0.0.1");
    s.port = b.port;
    s.user = QStringLiteral("rollup");
    s.password = b.password;
    s.source = QStringLiteral("pgbouncer");
    return s;
}

QString TestPgBouncer::url(const Bouncer &b) const
{
    return QStringLiteral("postgres://rollup:%1@127.0.0.1:%2/%3").arg(b.password).arg(b.port).arg(m_db->name());
}

QProcess *TestPgBouncer::startCli(const QStringList &args)
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

int TestPgBouncer::finish(QProcess *p, QString *err, int timeoutMs)
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

QString TestPgBouncer::storedZone(qint64 account)
{
    QSqlQuery q = m_db->connection().run(
        QStringLiteral("SELECT coalesce(settings->>'reporting_timezone', '') FROM accounts WHERE id = ?"), {account});
    return q.next() ? q.value(0).toString() : QStringLiteral("(no account)");
}

void TestPgBouncer::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_SOURCE_DIR"));
    QVERIFY2(!qEnvironmentVariableIsEmpty("ROLLUP_TEST_PGDIR"), "the suite's server directory (scripts/test.sh sets it)");
    QVERIFY(m_dir.isValid());
    // As root PgBouncer runs as `postgres`, which must reach its directory.
    QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup
                                            | QFileDevice::ExeGroup);
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_pgbouncer"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    Fixtures fx{*m_db};
    fx.accountWithZone(1, QStringLiteral("America/Sao_Paulo"));
    fx.accountWithZone(2, QStringLiteral("Asia/Kolkata"));
    // 120,000 events per account over 2025-06-01 .. 2026-03-08: a backfill of many chunks.
    m_db->exec(QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, "
                              "inbox_id, conversation_id, created_at, updated_at) "
                              "SELECT "
                              "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','"
                              "conversation_bot_handoff','conversation_opened'])[1 + i % 6], "
                              "(i % 977) * 1.5, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 500) * 0.25 END, 1 + i % 2, "
                              "CASE WHEN i % 13 = 0 THEN NULL ELSE i % 40 END, i % 12, i % 5000, "
                              "timestamp '2025-06-01 06:00:00' + (i::bigint * 7919 % (280 * 86400)) * interval '1 second', now() "
                              "FROM generate_series(1, 240000) i"));
    m_db->exec(QStringLiteral("ANALYZE reporting_events"));
    for (const QString &mode : {QStringLiteral("session"), QStringLiteral("transaction"), QStringLiteral("statement")}) {
        Bouncer b;
        QVERIFY2(startBouncer(mode, &b), qPrintable(mode));
        m_bouncers.insert(mode, b);
    }
}

void TestPgBouncer::cleanupTestCase()
{
    m_db.reset();
    for (const Bouncer &b : std::as_const(m_bouncers))
        script({QStringLiteral("pgbouncer-stop"), b.dir});
    m_bouncers.clear();
}

void TestPgBouncer::detectionNeverMisfires_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<bool>("pooled"); // a pool that does not keep one server session per connection
    QTest::newRow("direct TCP") << "direct" << false;
    QTest::newRow("direct Unix socket") << "direct-unix" << false;
    QTest::newRow("session pool, TCP") << "session" << false;
    QTest::newRow("session pool, Unix socket") << "session-unix" << false;
    QTest::newRow("transaction pool, TCP") << "transaction" << true;
    QTest::newRow("transaction pool, Unix socket") << "transaction-unix" << true;
    QTest::newRow("statement pool, TCP") << "statement" << true;
}

void TestPgBouncer::detectionNeverMisfires()
{
    QFETCH(QString, route);
    QFETCH(bool, pooled);
    ConnectionSettings s = m_db->settings();
    if (route == QLatin1String("direct-unix"))
        s.host = qEnvironmentVariable("ROLLUP_TEST_PGDIR"); // the suite's server listens there too (pg.sh)
    else if (route != QLatin1String("direct"))
        s = through(m_bouncers.value(route.section(QLatin1Char('-'), 0, 0)), route.endsWith(QLatin1String("-unix")));
    const int rounds = 60;
    int refused = 0, opened = 0;
    qint64 openNs = 0;
    QStringList other;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer t;
        t.start();
        try {
            Connection c(s);
            openNs += t.nsecsElapsed();
            ++opened;
            QCOMPARE(c.direct(), route == QLatin1String("direct"));
            QCOMPARE(c.throughProxy(), !route.startsWith(QLatin1String("direct")));
            // Session state holds across transactions on every route that is let through.
            c.begin();
            QSqlQuery q = c.run(QStringLiteral("SELECT pg_backend_pid(), current_setting('statement_timeout'), "
                                               "current_setting('idle_in_transaction_session_timeout')"));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), c.backendPid());
            QCOMPARE(q.value(1).toString(), QStringLiteral("5min"));
            QCOMPARE(q.value(2).toString(), QStringLiteral("1min"));
            c.commit();
        } catch (const DbError &e) {
            openNs += t.nsecsElapsed();
            if (SessionProbe::isPoolingError(e)) {
                ++refused;
                if (i == 0)
                    qInfo("%s", qPrintable(e.message()));
                QVERIFY2(e.message().contains(QLatin1String("pool_mode = session")) && !e.message().contains(QLatin1Char('\n')),
                         qPrintable(e.message()));
            } else {
                other << e.message();
            }
        }
    }
    qInfo("%s: %d connections, %.1f ms each to open (or refuse)", qPrintable(route), rounds, openNs / 1e6 / rounds);
    QVERIFY2(other.isEmpty(), qPrintable(other.join(QLatin1Char('\n'))));
    QCOMPARE(refused, pooled ? rounds : 0);
    QCOMPARE(opened, pooled ? 0 : rounds);
}

void TestPgBouncer::detectionWhileThePoolIsBusy_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("session") << "session";
    QTest::newRow("transaction") << "transaction";
}

void TestPgBouncer::detectionWhileThePoolIsBusy()
{
    // Eight other clients run short transactions back to back through the same pool (pgbench,
    // simple protocol) while the console opens connection after connection: servers are
    // released and taken all the time, so PgBouncer's reuse of the server released last no
    // longer hands the console's probe a predictable one.
    QFETCH(QString, mode);
    const Bouncer b = m_bouncers.value(mode);
    // pgbench comes with the server package (postgresql-15), like pg_ctl.
    const QStringList candidates
        = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(!candidates.isEmpty());
    const QString bin = QStringLiteral("/usr/lib/postgresql/%1/bin/pgbench").arg(candidates.last());
    QVERIFY2(QFile::exists(bin), qPrintable(bin));
    QFile noiseScript(m_dir.filePath(QStringLiteral("noise-%1.sql").arg(mode)));
    QVERIFY(noiseScript.open(QIODevice::WriteOnly));
    noiseScript.write("BEGIN;\nSELECT count(*) FROM pg_class;\nCOMMIT;\nSELECT 1;\n");
    noiseScript.close();
    QProcess noise;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), b.password);
    noise.setProcessEnvironment(env);
    noise.start(bin,
                {QStringLiteral("-n"), QStringLiteral("-c"), QStringLiteral("8"), QStringLiteral("-j"), QStringLiteral("2"),
                 QStringLiteral("-T"), QStringLiteral("600"), QStringLiteral("-M"), QStringLiteral("simple"),
                 QStringLiteral("-f"), noiseScript.fileName(), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                 QStringLiteral("-p"), QString::number(b.port), QStringLiteral("-U"), QStringLiteral("rollup"), m_db->name()});
    QVERIFY(noise.waitForStarted());
    struct Stop
    {
        QProcess &p;
        ~Stop()
        {
            p.terminate();
            if (!p.waitForFinished(10000)) {
                p.kill();
                p.waitForFinished();
            }
        }
    } stop{noise};
    QTest::qWait(1000); // the noise is running
    QCOMPARE(noise.state(), QProcess::Running);
    const bool pooled = mode == QLatin1String("transaction");
    const int rounds = 150;
    int refused = 0, opened = 0;
    QStringList other;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < rounds; ++i) {
        try {
            Connection c(through(b));
            ++opened;
        } catch (const DbError &e) {
            if (SessionProbe::isPoolingError(e))
                ++refused;
            else
                other << e.message();
        }
    }
    qInfo("%d connections opened through the %s pool while 8 clients kept it busy: %d refused, %d let through, %.1f ms each",
          rounds, qPrintable(mode), refused, opened, double(t.elapsed()) / rounds);
    QCOMPARE(noise.state(), QProcess::Running); // the pool stayed busy until the end
    QVERIFY2(other.isEmpty(), qPrintable(other.join(QLatin1Char('\n'))));
    QCOMPARE(refused, pooled ? rounds : 0);
}

void TestPgBouncer::sessionPoolingEndToEnd()
{
    const Bouncer b = m_bouncers.value(QStringLiteral("session"));
    CliRun r = CliRun::run(QStringList{"accounts", "--format", "csv"} + db(b));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("America/Sao_Paulo")), qPrintable(r.out));

    r = CliRun::run(QStringList{"set-timezone", "--account", "2", "--timezone", "Europe/Lisbon"} + db(b));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(storedZone(2), QStringLiteral("Europe/Lisbon"));
    r = CliRun::run(QStringList{"set-timezone", "--account", "2", "--timezone", "Asia/Kolkata"} + db(b));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(storedZone(2), QStringLiteral("Asia/Kolkata"));

    // The same rows as a backfill on a direct connection.
    r = CliRun::run(QStringList{"backfill", "--account", "1", "--yes", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList direct = Fixtures{*m_db}.rows(1);
    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 1"));
    r = CliRun::run(QStringList{"backfill", "--account", "1", "--yes"} + db(b));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("backfill complete")), qPrintable(r.out));
    QCOMPARE(Fixtures{*m_db}.rows(1), direct);
    QVERIFY(direct.size() > 1000);
    m_lastDay = direct.last().section(QLatin1Char('|'), 0, 0);

    r = CliRun::run(QStringList{"verify", "--account", "1", "--format", "csv"} + db(b));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // A planted difference is found through the pool too.
    m_db->exec(QStringLiteral("UPDATE reporting_events_rollups SET count = count + 1 WHERE account_id = 1 AND date = ?::date"),
               {m_lastDay});
    r = CliRun::run(QStringList{"verify", "--account", "1", "--only-mismatches", "--format", "csv"} + db(b));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains(m_lastDay), qPrintable(r.out));
    r = CliRun::run(QStringList{"backfill", "--account", "1", "--from", m_lastDay, "--to", m_lastDay} + db(b));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(Fixtures{*m_db}.rows(1), direct);

    // Fleet runs through the pool as well.
    r = CliRun::run(QStringList{"verify", "--all", "--format", "csv"} + db(b));
    QVERIFY2(r.code == 0 || r.code == 1, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("\n1,match,")), qPrintable(r.out));
}

void TestPgBouncer::sessionPoolingLockAndCancel()
{
    // A backfill through the pool holds the account's lock (on its server session) while it
    // waits for a row another session holds: a second backfill, through the pool or directly,
    // is refused naming that session; SIGINT cancels the waiting statement on the server
    // (PgBouncer forwards the cancel) and the rows are unchanged.
    const Bouncer b = m_bouncers.value(QStringLiteral("session"));
    QVERIFY(!m_lastDay.isEmpty());
    const QStringList before = Fixtures{*m_db}.rows(1);
    Connection hold(m_db->settings());
    hold.begin();
    QSqlQuery q = hold.run(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM reporting_events_rollups WHERE account_id = 1 "
                                          "AND date = ?::date FOR UPDATE) x"),
                           {m_lastDay});
    QVERIFY(q.next() && q.value(0).toInt() > 0);
    QProcess *first = startCli(QStringList{"backfill", "--account", "1", "--yes", "--lock-timeout", "600000"} + db(b));
    // Its server session waits for our row lock, holding the advisory lock.
    qint64 waiting = 0;
    for (int i = 0; i < 6000 && waiting == 0 && first->state() == QProcess::Running; ++i) {
        waiting = scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND application_name LIKE 'rollup-console %' AND ?::int = ANY(pg_blocking_pids(pid))"),
                         {hold.backendPid()});
        if (waiting == 0)
            QTest::qWait(10);
    }
    QVERIFY2(waiting > 0, qPrintable(QString::fromUtf8(first->readAllStandardError())));
    const qint64 holder = scalar(QStringLiteral("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = ?::int::oid "
                                                "AND objid = 1 AND granted AND database = (SELECT oid FROM pg_database "
                                                "WHERE datname = current_database())"),
                                 {RollupWriter::kLockClass});
    QVERIFY(holder > 0);
    // The server sessions behind the pool name the console (application_name passes through).
    QCOMPARE(
        scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND application_name LIKE 'rollup-console %'"),
               {holder}),
        1);
    for (const QStringList &second : {QStringList{"backfill", "--account", "1", "--yes"} + db(b),
                                      QStringList{"backfill", "--account", "1", "--yes", "--database-url", m_db->url()}}) {
        const CliRun r = CliRun::run(second);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("another backfill of account 1 is running (pid %1").arg(holder)),
                 qPrintable(r.err));
    }
    QElapsedTimer t;
    t.start();
    ::kill(pid_t(first->processId()), SIGINT);
    QString err;
    const int code = finish(first, &err, 60000);
    qInfo("cancelled through the pool in %lld ms", t.elapsed());
    QCOMPARE(code, 130);
    QVERIFY2(t.elapsed() < 10000, "the cancel did not reach the statement on the server");
    QVERIFY2(err.contains(QLatin1String("cancelled")), qPrintable(err));
    hold.rollback();
    QCOMPARE(Fixtures{*m_db}.rows(1), before);
    // The lock went with the session: a new backfill through the pool runs.
    const CliRun again = CliRun::run(QStringList{"backfill", "--account", "1", "--from", m_lastDay, "--to", m_lastDay} + db(b));
    QVERIFY2(again.code == 0, qPrintable(again.err));
    // In-process too: the job's cancel reaches a statement in flight through the pool.
    hold.begin();
    q = hold.run(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM reporting_events_rollups WHERE account_id = 1 "
                                "AND date = ?::date FOR UPDATE) x"),
                 {m_lastDay});
    ConnectionSettings s = through(b);
    s.lockTimeoutMs = 600000;
    BackfillPlanRequest request;
    request.accountId = 1;
    const BackfillPlanOutcome planned
        = BackfillJob::prepare(JobContext(s), request, instant(QStringLiteral("2026-03-10 12:00:00")));
    QVERIFY2(planned.ok(), qPrintable(planned.error));
    const Job<BackfillEvent> job = BackfillJob::start(s, planned.plan, 7);
    waiting = 0;
    for (int i = 0; i < 6000 && waiting == 0 && !job.future.isFinished(); ++i) {
        waiting = scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND ?::int = ANY(pg_blocking_pids(pid))"),
                         {hold.backendPid()});
        if (waiting == 0)
            QTest::qWait(10);
    }
    QVERIFY(waiting > 0);
    t.restart();
    job.cancel();
    BackfillResult result;
    Jobs::wait<BackfillEvent>(job, [&result](const BackfillEvent &e) {
        if (const auto *r = std::get_if<BackfillResult>(&e))
            result = *r;
    });
    QVERIFY2(t.elapsed() < 10000, "the cancel did not reach the statement on the server");
    QCOMPARE(result.outcome, BackfillResult::Outcome::Cancelled);
    hold.rollback();
    QCOMPARE(Fixtures{*m_db}.rows(1), before);
}

void TestPgBouncer::transactionPoolingRefusesEveryCommand_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QStringList>("args");
    for (const QString &mode : {QStringLiteral("transaction"), QStringLiteral("statement")}) {
        const QByteArray m = mode.toLatin1();
        QTest::addRow("%s: accounts", m.constData()) << mode << QStringList{"accounts"};
        QTest::addRow("%s: set-timezone", m.constData())
            << mode << QStringList{"set-timezone", "--account", "2", "--timezone", "Europe/Paris"};
        QTest::addRow("%s: backfill", m.constData()) << mode << QStringList{"backfill", "--account", "1", "--yes"};
        QTest::addRow("%s: backfill --dry-run", m.constData()) << mode << QStringList{"backfill", "--account", "1", "--dry-run"};
        QTest::addRow("%s: verify", m.constData()) << mode << QStringList{"verify", "--account", "1"};
        QTest::addRow("%s: backfill --all", m.constData()) << mode << QStringList{"backfill", "--all", "--yes"};
        QTest::addRow("%s: verify --all", m.constData()) << mode << QStringList{"verify", "--all"};
    }
}

void TestPgBouncer::transactionPoolingRefusesEveryCommand()
{
    QFETCH(QString, mode);
    QFETCH(QStringList, args);
    const Bouncer b = m_bouncers.value(mode);
    const QStringList before = Fixtures{*m_db}.rows(1);
    const qint64 rowsBefore = scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups"));
    const QString zoneBefore = storedZone(2);
    // Five times each: the refusal is the same every time, never a failure half-way.
    for (int i = 0; i < 5; ++i) {
        const CliRun r = CliRun::run(args + db(b));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        const QStringList lines = r.err.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QLatin1String("pools transactions, not sessions"))
                     && lines.first().contains(QLatin1String("pool_mode = session"))
                     && lines.first().contains(QLatin1String("directly to PostgreSQL")),
                 qPrintable(lines.first()));
        QVERIFY2(!lines.first().contains(b.password), "the password appears in the message");
    }
    QCOMPARE(Fixtures{*m_db}.rows(1), before);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")), rowsBefore);
    QCOMPARE(storedZone(2), zoneBefore);
}

void TestPgBouncer::guiThroughSessionPooling()
{
    const ConnectionSettings s = through(m_bouncers.value(QStringLiteral("session")));
    qputenv("ROLLUP_CONSOLE_NOW", kNow);
    MainWindow window(s);
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    QVERIFY(loaded.wait(30000));
    QVERIFY2(window.statusText().contains(QLatin1String("PostgreSQL")), qPrintable(window.statusText()));

    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE account_id = 2"));
    BackfillView *backfill = window.backfill();
    QSignalSpy shown(backfill, &BackfillView::planShown);
    window.openBackfill(2);
    QVERIFY(shown.wait(30000));
    QSignalSpy finished(backfill, &BackfillView::runFinished);
    auto *start = backfill->findChild<QPushButton *>(QStringLiteral("startButton"));
    QVERIFY(start && start->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(finished.wait(120000));
    const BackfillResult result = finished.first().first().value<BackfillResult>();
    QVERIFY2(result.outcome == BackfillResult::Outcome::Completed, qPrintable(result.error));
    QVERIFY(scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 2")) > 1000);

    VerifyView *verify = window.verify();
    QSignalSpy verified(verify, &VerifyView::verified);
    window.openVerify(2);
    QVERIFY(verified.wait(60000));
    QVERIFY2(verified.first().at(1).value<QList<date::local_days>>().isEmpty(), qPrintable(verify->summaryText()));
    qunsetenv("ROLLUP_CONSOLE_NOW");
}

void TestPgBouncer::guiThroughTransactionPooling()
{
    // The window says why it cannot work there, in its status bar, and loads nothing.
    MainWindow window(through(m_bouncers.value(QStringLiteral("transaction"))));
    QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains(QLatin1String("pools transactions, not sessions")),
                             30000);
    QVERIFY(window.statusBar()->currentMessage().contains(QLatin1String("pool_mode = session")));
    QCOMPARE(window.accountsModel()->rowCount(), 0);

    // Verify refuses the same way (never a random failure half-way).
    VerifyRequest request;
    request.accountId = 1;
    const VerifyOutcome outcome = VerifyJob::run(JobContext(through(m_bouncers.value(QStringLiteral("transaction")))), request,
                                                 instant(QStringLiteral("2026-03-10 12:00:00")));
    QVERIFY2(outcome.error.contains(QLatin1String("pools transactions, not sessions")), qPrintable(outcome.error));
}

QTEST_MAIN(TestPgBouncer)
#include "tst_pgbouncer.moc"
