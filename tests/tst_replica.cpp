#include "clirun.h"
#include "fixtures.h"

#include "core/replicalag.h"
#include "db/dberror.h"
#include "db/rollupwriter.h"
#include "jobs/backfilljob.h"
#include "jobs/connectioncheck.h"
#include "jobs/timezonechange.h"
#include "jobs/verifyjob.h"
#include "ui/connectiondialog.h"
#include "ui/connectionprofiles.h"
#include "ui/mainwindow.h"
#include "ui/verifyview.h"

#include <QComboBox>
#include <QFile>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rollup;

// A streaming replica next to the primary, on servers of this test's own: a primary started
// with scripts/pg.sh and a standby made from it with `pg_basebackup -R` (pg.sh standby).
// Planning's and verify's reads go to the replica (`--replica-url`, the connection's replica
// field); writes and the backfill's advisory lock always go to the primary; the console names
// both servers and the replica's lag, and verify warns when the lag exceeds what its range
// tolerates. A standby given as the primary is refused before any write.
class TestReplica : public QObject
{
    Q_OBJECT
public:
    ~TestReplica() override { cleanupTestCase(); } // also when initTestCase failed half-way

private slots:
    void initTestCase();
    void cleanupTestCase();
    void lagTolerance_data();
    void lagTolerance();
    void replicaSettings();
    void verifyReadsFromTheReplica();
    void writesAndLockStayOnThePrimary();
    void standbyGivenAsPrimaryRefusesWrites_data();
    void standbyGivenAsPrimaryRefusesWrites();
    void useCasesRefuseWritesOnAStandby();
    void replicaMustBeAStandbyOfThePrimary();
    void guiShowsBothServersAndTheLag();

private:
    bool pg(const QStringList &args, QString *out = nullptr);
    QStringList primary() const { return {QStringLiteral("--database-url"), m_db->url()}; }
    QStringList withReplica() const { return primary() + QStringList{QStringLiteral("--replica-url"), m_replicaUrl}; }
    ConnectionSettings standbySettings() const;
    ConnectionSettings settingsWithReplica() const;
    // Waits until the standby has replayed everything the primary wrote; returns the lag seen.
    bool waitCaughtUp(int timeoutMs = 60000);
    ReplicaLag lag();
    void pauseReplay(bool paused);
    QString storedZone(qint64 account);

    QTemporaryDir m_dir;
    QString m_primaryDir;
    QString m_standbyDir;
    int m_standbyPort = 0;
    std::unique_ptr<TestDatabase> m_db;
    QString m_replicaUrl; // postgres://127.0.0.1:PORT: the rest (user, database) is the primary's
};

static const char *kNow = "2026-03-10T12:00:00Z";

bool TestReplica::pg(const QStringList &args, QString *out)
{
    QProcess p;
    p.start(QStringLiteral("bash"),
            QStringList{qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh")} + args);
    if (!p.waitForFinished(180000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("pg.sh %s: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
        return false;
    }
    if (out)
        *out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    return true;
}

ConnectionSettings TestReplica::standbySettings() const
{
    ConnectionSettings s = m_db->settings();
    s.port = m_standbyPort;
    s.source = QStringLiteral("standby");
    return s;
}

ConnectionSettings TestReplica::settingsWithReplica() const
{
    ConnectionSettings s = m_db->settings();
    s.replicaUrl = m_replicaUrl;
    return s;
}

ReplicaLag TestReplica::lag()
{
    Connection p(m_db->settings());
    Connection r(standbySettings());
    return ConnectionCheck::checkReplica(p, r);
}

bool TestReplica::waitCaughtUp(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (lag().caughtUp)
            return true;
        QTest::qWait(50);
    }
    return false;
}

void TestReplica::pauseReplay(bool paused)
{
    Connection standby(standbySettings());
    standby.runScript(paused ? QStringLiteral("SELECT pg_wal_replay_pause()") : QStringLiteral("SELECT pg_wal_replay_resume()"));
    for (int i = 0; i < 200; ++i) {
        QSqlQuery q = standby.run(QStringLiteral("SELECT pg_get_wal_replay_pause_state()"));
        if (q.next() && (q.value(0).toString() == QLatin1String("paused")) == paused)
            return;
        QTest::qWait(25);
    }
    QFAIL("the standby's replay did not change state");
}

QString TestReplica::storedZone(qint64 account)
{
    QSqlQuery q = m_db->connection().run(
        QStringLiteral("SELECT coalesce(settings->>'reporting_timezone', '') FROM accounts WHERE id = ?"), {account});
    return q.next() ? q.value(0).toString() : QStringLiteral("(no account)");
}

void TestReplica::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_SOURCE_DIR"));
    QStandardPaths::setTestModeEnabled(true); // profiles in a test file, never the user's
    QCoreApplication::setOrganizationName(QStringLiteral("rollup-console-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_replica"));
    QVERIFY(m_dir.isValid());
    // As root the servers run as `postgres`, which must reach their directories.
    QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup
                                            | QFileDevice::ExeGroup);
    m_primaryDir = m_dir.filePath(QStringLiteral("primary"));
    m_standbyDir = m_dir.filePath(QStringLiteral("standby"));
    QString port;
    QVERIFY(pg({QStringLiteral("start"), m_primaryDir}, &port));
    ConnectionSettings server;
    server.host = QStringLiteral("127.0.0.1");
    server.port = port.toInt();
    server.user = QStringLiteral("rollup");
    server.database = QStringLiteral("postgres");
    server.source = QStringLiteral("replica test primary");
    QVERIFY(server.port > 0);
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_replica"), server);
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    Fixtures fx{*m_db};
    fx.accountWithZone(1, QStringLiteral("America/New_York"));
    fx.accountWithZone(2, QStringLiteral("Asia/Kolkata"));
    // 60,000 events per account over 2025-11-01 .. 2026-03-10 12:00 (the pinned now): the
    // default range reaches yesterday, --include-today reaches today.
    m_db->exec(QStringLiteral(
        "INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, conversation_id, "
        "created_at, updated_at) "
        "SELECT "
        "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','conversation_bot_handoff','"
        "conversation_opened'])[1 + i % 6], "
        "(i % 977) * 1.5, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 500) * 0.25 END, 1 + i % 2, "
        "CASE WHEN i % 13 = 0 THEN NULL ELSE i % 40 END, i % 12, i % 5000, "
        "timestamp '2025-11-01 00:00:00' + (i::bigint * 7919 % (129 * 86400 + 43000)) * interval '1 second', now() "
        "FROM generate_series(1, 120000) i"));
    m_db->exec(QStringLiteral("ANALYZE reporting_events"));
    for (const char *account : {"1", "2"}) {
        const CliRun r = CliRun::run(QStringList{"backfill", "--account", account, "--include-today", "--yes"} + primary());
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    QVERIFY(pg({QStringLiteral("standby"), m_primaryDir, m_standbyDir}, &port));
    m_standbyPort = port.toInt();
    QVERIFY(m_standbyPort > 0);
    m_replicaUrl = QStringLiteral("postgres://127.0.0.1:%1").arg(m_standbyPort);
    QVERIFY2(waitCaughtUp(), "the standby did not catch up");
}

void TestReplica::cleanupTestCase()
{
    m_db.reset();
    if (!m_standbyDir.isEmpty())
        pg({QStringLiteral("stop"), m_standbyDir});
    if (!m_primaryDir.isEmpty())
        pg({QStringLiteral("stop"), m_primaryDir});
    m_standbyDir.clear();
    m_primaryDir.clear();
}

void TestReplica::lagTolerance_data()
{
    QTest::addColumn<QString>("lastDay");
    QTest::addColumn<bool>("caughtUp");
    QTest::addColumn<double>("seconds"); // < 0: unknown
    QTest::addColumn<bool>("warns");
    // today = 2026-03-10
    QTest::newRow("caught up, today") << "2026-03-10" << true << 5000.0 << false;
    QTest::newRow("today, 4 s") << "2026-03-10" << false << 4.0 << false;
    QTest::newRow("today, 6 s") << "2026-03-10" << false << 6.0 << true;
    QTest::newRow("yesterday, 59 s") << "2026-03-09" << false << 59.0 << false;
    QTest::newRow("yesterday, 61 s") << "2026-03-09" << false << 61.0 << true;
    QTest::newRow("two days ago, 61 s") << "2026-03-08" << false << 61.0 << false;
    QTest::newRow("last year, 14 min") << "2025-03-08" << false << 840.0 << false;
    QTest::newRow("last year, 16 min") << "2025-03-08" << false << 960.0 << true;
    QTest::newRow("unknown lag, old range") << "2025-03-08" << false << -1.0 << true;
}

void TestReplica::lagTolerance()
{
    QFETCH(QString, lastDay);
    QFETCH(bool, caughtUp);
    QFETCH(double, seconds);
    QFETCH(bool, warns);
    ReplicaLag lag;
    lag.server = QStringLiteral("u@replica:5432/db");
    lag.caughtUp = caughtUp;
    if (seconds >= 0)
        lag.seconds = seconds;
    const QString warning = lag.warningFor(*parseLocalDate(lastDay), *parseLocalDate(QStringLiteral("2026-03-10")));
    QCOMPARE(!warning.isEmpty(), warns);
    if (warns)
        QVERIFY2(warning.contains(lag.server) && !warning.contains(QLatin1Char('\n')), qPrintable(warning));
}

void TestReplica::replicaSettings()
{
    ConnectionSettings primarySettings;
    primarySettings.host = QStringLiteral("primary.example");
    primarySettings.user = QStringLiteral("chatwoot");
    primarySettings.password = QStringLiteral("p4ss");
    primarySettings.database = QStringLiteral("chatwoot_production");
    primarySettings.sslMode = QStringLiteral("verify-full");
    primarySettings.statementTimeoutMs = 1234;
    primarySettings.replicaUrl = QStringLiteral("postgres://replica.example:6543");
    const auto r = primarySettings.replica();
    QVERIFY(r);
    QCOMPARE(r->host, QStringLiteral("replica.example"));
    QCOMPARE(r->port, 6543);
    QCOMPARE(r->user, QStringLiteral("chatwoot"));
    QCOMPARE(r->password, QStringLiteral("p4ss"));
    QCOMPARE(r->database, QStringLiteral("chatwoot_production"));
    QCOMPARE(r->sslMode, QStringLiteral("verify-full"));
    QCOMPARE(r->statementTimeoutMs, 1234);
    QVERIFY(r->readOnly);
    QVERIFY(!r->hasReplica());
    // Another user does not get the primary's password; the URL's own wins.
    primarySettings.replicaUrl = QStringLiteral("postgres://reader@replica.example/other");
    QCOMPARE(primarySettings.replica()->password, QString());
    QCOMPARE(primarySettings.replica()->database, QStringLiteral("other"));
    primarySettings.replicaUrl = QStringLiteral("postgres://reader:s3cret@replica.example");
    QCOMPARE(primarySettings.replica()->password, QStringLiteral("s3cret"));
    QVERIFY(!primarySettings.replicaUrlWithoutPassword().contains(QLatin1String("s3cret")));
    QVERIFY(primarySettings.replicaUrlWithoutPassword().contains(QLatin1String("reader@replica.example")));
    QVERIFY(!primarySettings.toDisplayString().contains(QLatin1String("s3cret")));
    primarySettings.replicaUrl = QStringLiteral("mysql://x");
    QString error;
    QVERIFY(!primarySettings.replica(&error));
    QVERIFY2(error.contains(QLatin1String("scheme")), qPrintable(error));
    // The environment: ROLLUP_REPLICA_URL, checked like any URL.
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgres://u@primary/db"));
    env.insert(QStringLiteral("ROLLUP_REPLICA_URL"), QStringLiteral("postgres://replica:5433"));
    QCOMPARE(ConnectionSettings::fromEnvironment(env, &error)->replicaUrl, QStringLiteral("postgres://replica:5433"));
    env.insert(QStringLiteral("ROLLUP_REPLICA_URL"), QStringLiteral("postgres://replica:99999"));
    QVERIFY(!ConnectionSettings::fromEnvironment(env, &error));
    QVERIFY2(error.startsWith(QLatin1String("ROLLUP_REPLICA_URL: ")), qPrintable(error));
}

void TestReplica::verifyReadsFromTheReplica()
{
    // Caught up: the same answer on both sides, and the line that names them.
    CliRun r = CliRun::run(QStringList{"verify", "--account", "1", "--format", "csv"} + withReplica());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString replicaName = QStringLiteral("rollup@127.0.0.1:%1/%2").arg(m_standbyPort).arg(m_db->name());
    QVERIFY2(r.err.contains(
                 QStringLiteral("primary %1 (writes, lock) · replica %2 (planning and verify reads), caught up with the primary")
                     .arg(m_db->settings().toDisplayString(), replicaName)),
             qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("warning")), qPrintable(r.err));
    const QString replicaCsv = r.out;
    r = CliRun::run(QStringList{"verify", "--account", "1", "--format", "csv"} + primary());
    QCOMPARE(r.code, 0);
    QCOMPARE(replicaCsv, r.out);

    // The replica stops replaying; the primary's rollups change. Verify with the replica still
    // reads the old, clean rows: proof that its reads went there. The primary's verify sees it.
    m_db->exec(QStringLiteral("UPDATE accounts SET updated_at = now() WHERE id = 2")); // the last transaction the replica replays
    QVERIFY(waitCaughtUp());
    pauseReplay(true);
    struct Resume
    {
        TestReplica *self;
        ~Resume() { self->pauseReplay(false); }
    } resume{this};
    m_db->exec(
        QStringLiteral("UPDATE reporting_events_rollups SET count = count + 1 WHERE account_id = 1 AND date = '2026-02-10'"));
    r = CliRun::run(QStringList{"verify", "--account", "1", "--only-mismatches", "--format", "csv"} + primary());
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.contains(QLatin1String("2026-02-10")));
    r = CliRun::run(QStringList{"verify", "--account", "1", "--only-mismatches", "--format", "csv"} + withReplica());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("s behind the primary")), qPrintable(r.err));
    // A range that ends yesterday tolerates a minute; this lag is seconds: no warning.
    QVERIFY2(!r.err.contains(QLatin1String("warning")), qPrintable(r.err));
    // A range that reaches today tolerates 5 s: wait until the replica is further behind.
    QElapsedTimer waited;
    waited.start();
    while (lag().effectiveSeconds() <= double(ReplicaLag::kTodayTolerance.count()) + 0.5 && waited.elapsed() < 30000)
        QTest::qWait(200);
    r = CliRun::run(QStringList{"verify", "--account", "1", "--include-today", "--format", "csv"} + withReplica());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("warning: the replica %1 is ").arg(replicaName))
                 && r.err.contains(QLatin1String("a range reaching today")),
             qPrintable(r.err));
    // The warning is in the outcome the GUI shows too.
    VerifyRequest request;
    request.accountId = 1;
    request.range.includeToday = true;
    VerifyOutcome outcome
        = VerifyJob::run(JobContext(settingsWithReplica()), request, instant(QStringLiteral("2026-03-10 12:00:00")));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.readFrom, replicaName);
    QVERIFY(outcome.replicaLag && !outcome.replicaLag->caughtUp);
    QVERIFY2(outcome.lagWarning.contains(QLatin1String("a range reaching today")), qPrintable(outcome.lagWarning));

    // Replay resumes: the replica sees the difference too, and a backfill with the replica
    // (its writes on the primary) repairs it for both.
    pauseReplay(false);
    QVERIFY(waitCaughtUp());
    r = CliRun::run(QStringList{"verify", "--account", "1", "--only-mismatches", "--format", "csv"} + withReplica());
    QCOMPARE(r.code, 1);
    r = CliRun::run(QStringList{"backfill", "--account", "1", "--from", "2026-02-10", "--to", "2026-02-10"} + withReplica());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(waitCaughtUp());
    r = CliRun::run(QStringList{"verify", "--account", "1"} + withReplica());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // Fleet verify reads there as well.
    r = CliRun::run(QStringList{"verify", "--all", "--format", "csv"} + withReplica());
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
}

void TestReplica::writesAndLockStayOnThePrimary()
{
    // The account's lock held on the primary refuses a backfill that reads from the replica,
    // naming that session; held on the replica, it is nobody's business.
    {
        Connection holder(m_db->settings());
        holder.run(QStringLiteral("SELECT pg_advisory_lock(?::int, 1)"), {RollupWriter::kLockClass});
        const CliRun r = CliRun::run(QStringList{"backfill", "--account", "1", "--yes"} + withReplica());
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("another backfill of account 1 is running (pid %1").arg(holder.backendPid())),
                 qPrintable(r.err));
    }
    {
        Connection holder(standbySettings());
        holder.run(QStringLiteral("SELECT pg_advisory_lock(?::int, 1)"), {RollupWriter::kLockClass});
        const CliRun r = CliRun::run(QStringList{"backfill", "--account", "1", "--from", "2026-02-01", "--to", "2026-02-03"}
                                     + withReplica());
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    // A plan read on a replica that lags behind a time-zone change is never written in the old
    // zone: the run, on the primary, sees the zone changed and refuses before writing.
    QVERIFY(waitCaughtUp());
    pauseReplay(true);
    struct Resume
    {
        TestReplica *self;
        ~Resume() { self->pauseReplay(false); }
    } resume{this};
    CliRun r = CliRun::run(QStringList{"set-timezone", "--account", "2", "--timezone", "Europe/Berlin"} + withReplica());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(storedZone(2), QStringLiteral("Europe/Berlin")); // the write went to the primary
    const QStringList before = Fixtures{*m_db}.rows(2);
    r = CliRun::run(QStringList{"backfill", "--account", "2", "--yes"} + withReplica());
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("reporting_timezone is Europe/Berlin now, not Asia/Kolkata")), qPrintable(r.err));
    QCOMPARE(Fixtures{*m_db}.rows(2), before);
    pauseReplay(false);
    r = CliRun::run(QStringList{"set-timezone", "--account", "2", "--timezone", "Asia/Kolkata"} + primary());
    QVERIFY2(r.code == 0, qPrintable(r.err));
}

void TestReplica::standbyGivenAsPrimaryRefusesWrites_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("backfill") << QStringList{"backfill", "--account", "1", "--yes"};
    QTest::newRow("set-timezone") << QStringList{"set-timezone", "--account", "1", "--timezone", "Europe/Paris"};
    QTest::newRow("backfill --all") << QStringList{"backfill", "--all", "--yes"};
    QTest::newRow("backfill --all, asking first") << QStringList{"backfill", "--all"};
}

void TestReplica::standbyGivenAsPrimaryRefusesWrites()
{
    QFETCH(QStringList, args);
    const QString standbyUrl = QStringLiteral("postgres://rollup@127.0.0.1:%1/%2").arg(m_standbyPort).arg(m_db->name());
    const CliRun r = CliRun::run(args + QStringList{"--database-url", standbyUrl});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    const QStringList lines = r.err.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 1); // before any work: no plan, no progress
    QVERIFY2(lines.first().contains(QStringLiteral("127.0.0.1:%1").arg(m_standbyPort))
                 && lines.first().contains(QLatin1String("is a standby in recovery"))
                 && lines.first().contains(QLatin1String("primary")),
             qPrintable(lines.first()));
    // Reads work there: a dry run plans, verify compares.
    CliRun read = CliRun::run(QStringList{"backfill", "--account", "1", "--dry-run", "--database-url", standbyUrl});
    QVERIFY2(read.code == 0, qPrintable(read.err));
    read = CliRun::run(QStringList{"verify", "--account", "1", "--database-url", standbyUrl});
    QVERIFY2(read.code == 0, qPrintable(read.err));
}

void TestReplica::useCasesRefuseWritesOnAStandby()
{
    // The GUI's path: the use cases refuse on their own, before writing.
    const ConnectionSettings standby = standbySettings();
    const SysSeconds now = instant(QStringLiteral("2026-03-10 12:00:00"));
    BackfillPlanRequest request;
    request.accountId = 1;
    const BackfillPlanOutcome planned = BackfillJob::prepare(JobContext(standby), request, now);
    QVERIFY2(planned.ok(), qPrintable(planned.error)); // planning only reads
    const BackfillResult result = BackfillJob::run(JobContext(standby), planned.plan, {});
    QVERIFY(result.refused);
    QVERIFY2(result.error.contains(QLatin1String("is a standby in recovery")), qPrintable(result.error));
    QCOMPARE(result.doneDays.size(), 0);
    QCOMPARE(result.pendingDays.size(), planned.plan.windows.size());

    const TimezoneSave saved = TimezoneChange::save(JobContext(standby), 1, QStringLiteral("Europe/Paris"));
    QVERIFY2(saved.error.contains(QLatin1String("is a standby in recovery")), qPrintable(saved.error));

    VerifyRequest verify;
    verify.accountId = 1;
    const VerifyOutcome outcome = VerifyJob::run(JobContext(standby), verify, now);
    QVERIFY2(outcome.ok() && outcome.result.summary.clean(), qPrintable(outcome.error));
    QString reason;
    QVERIFY2(VerifyJob::readPathEligible(outcome, &reason), qPrintable(reason));
    const ReadPathChange change = Jobs::result(VerifyJob::enableReadPath(standby, outcome, 19));
    QVERIFY2(change.error.contains(QLatin1String("is a standby in recovery")), qPrintable(change.error));

    const ConnectionTest test = ConnectionCheck::run(JobContext(standby));
    QVERIFY(test.ok && test.inRecovery);
    QVERIFY2(test.message.contains(QLatin1String("a standby in recovery")), qPrintable(test.message));
    QVERIFY(!ConnectionCheck::run(JobContext(m_db->settings())).inRecovery);
}

void TestReplica::replicaMustBeAStandbyOfThePrimary()
{
    // The primary itself as its replica: not in recovery.
    CliRun r = CliRun::run(QStringList{"verify", "--account", "1", "--replica-url",
                                       QStringLiteral("postgres://127.0.0.1:%1").arg(m_db->settings().port)}
                           + primary());
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("is not a standby in recovery")), qPrintable(r.err));
    // A standby of another cluster: the suite's server as primary, this test's standby as its replica.
    TestDatabase other(QStringLiteral("tst_replica_other"));
    QVERIFY2(other.ok(), qPrintable(other.error()));
    r = CliRun::run(QStringList{"verify", "--account", "1", "--database-url", other.url(), "--replica-url",
                                QStringLiteral("postgres://127.0.0.1:%1/%2").arg(m_standbyPort).arg(m_db->name())});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("is not a standby of the primary")), qPrintable(r.err));
    // Malformed: one line, exit 2, nothing written.
    r = CliRun::run(QStringList{"backfill", "--account", "1", "--yes", "--replica-url", "postgres://h:99999"} + primary());
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith(QLatin1String("rollup-console backfill: --replica-url: invalid database URL")), qPrintable(r.err));
    QProcessEnvironment env;
    env.insert(QStringLiteral("ROLLUP_REPLICA_URL"), QStringLiteral("http://nope"));
    r = CliRun::run(QStringList{"verify", "--account", "1"} + primary(), env);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("ROLLUP_REPLICA_URL: invalid database URL")), qPrintable(r.err));
    // ROLLUP_REPLICA_URL works like --replica-url.
    QVERIFY(waitCaughtUp());
    env.insert(QStringLiteral("ROLLUP_REPLICA_URL"), m_replicaUrl);
    r = CliRun::run(QStringList{"verify", "--account", "1"} + primary(), env);
    QVERIFY2(r.code == 0 && r.err.contains(QLatin1String("(planning and verify reads)")), qPrintable(r.err));
}

void TestReplica::guiShowsBothServersAndTheLag()
{
    QVERIFY(waitCaughtUp());
    qputenv("ROLLUP_CONSOLE_NOW", kNow);
    {
        MainWindow window(settingsWithReplica());
        const QString replicaName = QStringLiteral("rollup@127.0.0.1:%1/%2").arg(m_standbyPort).arg(m_db->name());
        QTRY_VERIFY_WITH_TIMEOUT(window.statusText().contains(QStringLiteral("reads: replica %1, caught up").arg(replicaName)),
                                 30000);
        QVERIFY2(window.statusText().startsWith(QStringLiteral("writes: primary %1").arg(m_db->settings().toDisplayString())),
                 qPrintable(window.statusText()));
        QSignalSpy verified(window.verify(), &VerifyView::verified);
        window.openVerify(1);
        QVERIFY(verified.wait(60000));
        QVERIFY2(window.verify()->summaryText().contains(QStringLiteral("Read from the replica %1").arg(replicaName)),
                 qPrintable(window.verify()->summaryText()));
    }
    qunsetenv("ROLLUP_CONSOLE_NOW");

    // The connection dialog keeps the replica (and the statement timeout) in the profile, never
    // a password, also not the replica's own.
    ConnectionProfiles().sync();
    QFile::remove(ConnectionProfiles().fileName());
    ConnectionSettings s = m_db->settings();
    s.replicaUrl = QStringLiteral("postgres://reader:Repl1caS3cret@127.0.0.1:%1").arg(m_standbyPort);
    s.statementTimeoutMs = 900000;
    {
        ConnectionDialog dialog(s);
        dialog.show();
        QCOMPARE(dialog.settings().replicaUrl, s.replicaUrl); // usable for this session
        QCOMPARE(dialog.settings().statementTimeoutMs, 900000);
        dialog.findChild<QComboBox *>(QStringLiteral("profileCombo"))->setEditText(QStringLiteral("with replica"));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("saveProfileButton")), Qt::LeftButton);
    }
    ConnectionProfiles profiles;
    profiles.sync();
    QFile file(profiles.fileName());
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(profiles.fileName()));
    const QByteArray stored = file.readAll();
    QVERIFY2(stored.contains(QStringLiteral("reader@127.0.0.1:%1").arg(m_standbyPort).toUtf8()), stored.constData());
    QVERIFY(!stored.contains("Repl1caS3cret"));
    const std::optional<ConnectionSettings> loaded = profiles.load(QStringLiteral("with replica"));
    QVERIFY(loaded);
    QCOMPARE(loaded->replicaUrl, QStringLiteral("postgres://reader@127.0.0.1:%1/").arg(m_standbyPort));
    QCOMPARE(loaded->statementTimeoutMs, 900000);
    profiles.remove(QStringLiteral("with replica"));
}

QTEST_MAIN(TestReplica)
#include "tst_replica.moc"
