#include "clirun.h"
#include "fixtures.h"

#include "core/historyjournal.h"
#include "core/statedirectory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

#include <thread>
#include <vector>

using namespace rollup;

// The console's own history: a local, append-only JSON-lines journal per database of every
// write action, read back by `rollup-console history`.
class TestHistory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void recordsAndRuns();
    void cutLineIsSkippedAndDoesNotSwallowTheNext();
    void concurrentAppendsKeepEveryLine();
    void cliWritesAndPrintsTheHistory();
    void backfillKilledMidRunShowsNotFinished();
    void refusals();

private:
    static QString userAtHost();
    QString historyPath() const { return HistoryJournal::pathFor(m_db->settings()); }
    QList<QJsonObject> historyJson(const QStringList &extra = {});
    QTemporaryDir m_state;
    std::unique_ptr<TestDatabase> m_db;
};

void TestHistory::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    QVERIFY(m_state.isValid());
    qputenv("XDG_STATE_HOME", m_state.path().toUtf8()); // inherited by the CLI processes
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_history"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
}

void TestHistory::cleanupTestCase()
{
    m_db.reset();
}

QString TestHistory::userAtHost()
{
    const passwd *pw = getpwuid(geteuid());
    return QString::fromLocal8Bit(pw->pw_name) + QLatin1Char('@') + QSysInfo::machineHostName();
}

QList<QJsonObject> TestHistory::historyJson(const QStringList &extra)
{
    const CliRun r = CliRun::run(QStringList{"history", "--format", "json", "--database-url", m_db->url()} + extra);
    if (r.code != 0)
        qWarning("history: %s", qPrintable(r.err));
    QList<QJsonObject> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).array())
        out << v.toObject();
    return out;
}

void TestHistory::recordsAndRuns()
{
    QTemporaryDir dir;
    const HistoryJournal journal(dir.filePath(QStringLiteral("h/one.jsonl")));
    ConnectionSettings settings;
    settings.host = QStringLiteral("db.example");
    settings.port = 5433;
    settings.database = QStringLiteral("chatwoot");
    QCOMPARE(journal.entries().size(), 0); // no file yet: an empty history

    HistoryRecord set = HistoryJournal::newRecord(settings, QLatin1String(HistoryJournal::kSetTimezone), 3);
    set.summary = QStringLiteral("reporting_timezone UTC -> Asia/Kolkata");
    set.outcome = QStringLiteral("done");
    set.wrote = true;
    set.details.insert(QStringLiteral("old"), QStringLiteral("UTC"));
    QVERIFY(journal.append(set));
    QCOMPARE(set.server, QStringLiteral("db.example:5433/chatwoot"));
    QCOMPARE(set.who, userAtHost());

    // A finished run: two records, one entry with the end's outcome and both records' details.
    HistoryRecord started = HistoryJournal::newRecord(settings, QLatin1String(HistoryJournal::kBackfill), 3);
    started.phase = QStringLiteral("started");
    started.summary = QStringLiteral("backfill 2026-01-01 .. 2026-01-31 (31 days)");
    started.details.insert(QStringLiteral("days"), 31);
    QVERIFY(journal.append(started));
    HistoryRecord unchanged = HistoryJournal::newRecord(settings, QLatin1String(HistoryJournal::kSetTimezone), 4);
    unchanged.outcome = QStringLiteral("unchanged");
    QVERIFY(journal.append(unchanged));
    HistoryRecord finished = started;
    finished.at = {};
    finished.phase = QStringLiteral("finished");
    finished.outcome = QStringLiteral("done");
    finished.wrote = true;
    finished.summary = QStringLiteral("backfill 2026-01-01 .. 2026-01-31: 31 of 31 days");
    finished.details = QJsonObject{{QStringLiteral("rows_written"), 1234}};
    QVERIFY(journal.append(finished));

    // A run of a process that is gone (a pid that cannot exist) and one of this process.
    HistoryRecord dead = HistoryJournal::newRecord(settings, QLatin1String(HistoryJournal::kBackfill), 4);
    dead.phase = QStringLiteral("started");
    dead.pid = 0x7ffffffe;
    QVERIFY(journal.append(dead));
    HistoryRecord alive = HistoryJournal::newRecord(settings, QLatin1String(HistoryJournal::kFleetBackfill), 0);
    alive.phase = QStringLiteral("started");
    QVERIFY(journal.append(alive));
    HistoryRecord elsewhere = dead;
    elsewhere.id = QStringLiteral("elsewhere");
    elsewhere.host = QStringLiteral("another-machine");
    elsewhere.pid = QCoreApplication::applicationPid();
    QVERIFY(journal.append(elsewhere));

    const QList<HistoryEntry> all = journal.entries();
    QCOMPARE(all.size(), 6);
    QCOMPARE(all.at(0).record.id, set.id);
    QCOMPARE(all.at(1).record.id, started.id); // a run sits where it started
    QCOMPARE(all.at(1).state, HistoryEntry::State::Finished);
    QCOMPARE(all.at(1).outcomeText(), QStringLiteral("done"));
    QCOMPARE(all.at(1).record.summary, finished.summary);
    QCOMPARE(all.at(1).record.details.value(QStringLiteral("days")).toInt(), 31);
    QCOMPARE(all.at(1).record.details.value(QStringLiteral("rows_written")).toInt(), 1234);
    QVERIFY(all.at(1).finishedAt.isValid() && all.at(1).finishedAt >= all.at(1).record.at);
    QCOMPARE(all.at(2).outcomeText(), QStringLiteral("unchanged"));
    QCOMPARE(all.at(3).state, HistoryEntry::State::NotFinished);
    QCOMPARE(all.at(3).outcomeText(), QStringLiteral("not finished"));
    QCOMPARE(all.at(4).state, HistoryEntry::State::Running);
    QCOMPARE(all.at(5).state, HistoryEntry::State::NotFinished); // a pid of another machine proves nothing
    QCOMPARE(all.at(0).record.details.value(QStringLiteral("old")).toString(), QStringLiteral("UTC"));

    QCOMPARE(journal.entries(4).size(), 3);
    QCOMPARE(journal.entries(99).size(), 0);
    // Last changes: account 3's backfill (after its time zone); account 4's unfinished run
    // (it may have written), never its unchanged time zone; no fleet run (no account).
    const QHash<qint64, HistoryEntry> last = journal.lastChanges();
    QCOMPARE(last.size(), 2);
    QCOMPARE(last.value(3).record.id, started.id);
    QCOMPARE(last.value(4).record.id, elsewhere.id);

    const QStringList cells = HistoryJournal::cells(all.at(0));
    QCOMPARE(HistoryJournal::columns().size(), cells.size());
    QCOMPARE(cells.at(HistoryJournal::columns().indexOf(QStringLiteral("server"))), QStringLiteral("db.example:5433/chatwoot"));
    QCOMPARE(cells.at(HistoryJournal::columns().indexOf(QStringLiteral("account"))), QStringLiteral("3"));
    QCOMPARE(cells.at(HistoryJournal::columns().indexOf(QStringLiteral("details"))), QStringLiteral(R"({"old":"UTC"})"));

    // One file per database; the demo has one whatever port its server gets.
    ConnectionSettings other = settings;
    other.database = QStringLiteral("other");
    QVERIFY(HistoryJournal::pathFor(other) != HistoryJournal::pathFor(settings));
    QVERIFY(HistoryJournal::pathFor(settings).startsWith(StateDirectory::path(QStringLiteral("history")) + QLatin1Char('/')));
    ConnectionSettings demo1, demo2;
    demo1.source = demo2.source = QStringLiteral("demo");
    demo1.database = demo2.database = QStringLiteral("chatwoot_demo");
    demo1.port = 40001;
    demo2.port = 40002;
    QCOMPARE(HistoryJournal::pathFor(demo1), HistoryJournal::pathFor(demo2));
}

void TestHistory::cutLineIsSkippedAndDoesNotSwallowTheNext()
{
    QTemporaryDir dir;
    const HistoryJournal journal(dir.filePath(QStringLiteral("cut.jsonl")));
    HistoryRecord a = HistoryJournal::newRecord({}, QLatin1String(HistoryJournal::kSetTimezone), 1);
    QVERIFY(journal.append(a));
    {
        QFile f(journal.path());
        QVERIFY(f.open(QIODevice::Append));
        f.write(R"({"v":1,"id":"cut-short","action":"set-time)"); // a write the machine never finished
    }
    HistoryRecord b = HistoryJournal::newRecord({}, QLatin1String(HistoryJournal::kSetTimezone), 2);
    QVERIFY(journal.append(b));
    const QList<HistoryEntry> entries = journal.entries();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).record.id, a.id);
    QCOMPARE(entries.at(1).record.id, b.id);
}

void TestHistory::concurrentAppendsKeepEveryLine()
{
    QTemporaryDir dir;
    const HistoryJournal journal(dir.filePath(QStringLiteral("many.jsonl")));
    constexpr int kThreads = 8, kEach = 100;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t]() {
            for (int i = 0; i < kEach; ++i) {
                HistoryRecord r = HistoryJournal::newRecord({}, QLatin1String(HistoryJournal::kBackfill), t + 1);
                r.summary = QString(500, QLatin1Char('x')); // long lines: a torn write would show
                if (!journal.append(r))
                    ++failures;
            }
        });
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(failures.load(), 0);
    const QList<HistoryEntry> entries = journal.entries();
    QCOMPARE(entries.size(), kThreads * kEach);
    for (int t = 1; t <= kThreads; ++t)
        QCOMPARE(journal.entries(t).size(), kEach);
}

void TestHistory::cliWritesAndPrintsTheHistory()
{
    QFile::remove(historyPath());
    Fixtures fx{*m_db};
    m_db->exec(QStringLiteral("TRUNCATE accounts, reporting_events, reporting_events_rollups, audits"));
    fx.account(1, QStringLiteral("Acme"), QStringLiteral(R"({"reporting_timezone": "Asia/Kolkata"})"));
    fx.account(2, QStringLiteral("Loja"), QStringLiteral("{}"));
    fx.event(1, QStringLiteral("first_response"), 100, 60, 11, 21, 31, QStringLiteral("2026-03-01 10:00:00"));
    fx.event(1, QStringLiteral("conversation_resolved"), 500, 300, 11, 21, 31, QStringLiteral("2026-03-03 10:00:00"));

    CliRun r = CliRun::run({"set-timezone", "--account", "1", "--timezone", "America/Sao_Paulo", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = CliRun::run({"set-timezone", "--account", "2", "--timezone", "Chennai", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = CliRun::run({"set-timezone", "--account", "2", "--clear", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = CliRun::run({"backfill", "--account", "1", "--yes", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // Refused before touching the database: not recorded.
    QCOMPARE(CliRun::run({"set-timezone", "--account", "1", "--timezone", "Mars/Olympus", "--database-url", m_db->url()}).code,
             2);

    const QList<QJsonObject> all = historyJson();
    QCOMPARE(all.size(), 4);
    const QString server = QStringLiteral("%1:%2/%3").arg(m_db->settings().host).arg(m_db->settings().port).arg(m_db->name());
    for (const QJsonObject &o : all) {
        QCOMPARE(o.value(QStringLiteral("who")).toString(), userAtHost());
        QCOMPARE(o.value(QStringLiteral("server")).toString(), server);
        QVERIFY(QDateTime::fromString(o.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs).isValid());
    }
    QCOMPARE(all.at(0).value(QStringLiteral("action")).toString(), QStringLiteral("set-timezone"));
    QCOMPARE(all.at(0).value(QStringLiteral("account")).toInt(), 1);
    QCOMPARE(all.at(0).value(QStringLiteral("change")).toString(),
             QStringLiteral("reporting_timezone Asia/Kolkata -> America/Sao_Paulo"));
    QCOMPARE(all.at(0).value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
    const QJsonObject details0 = QJsonDocument::fromJson(all.at(0).value(QStringLiteral("details")).toString().toUtf8()).object();
    QCOMPARE(details0.value(QStringLiteral("old")).toString(), QStringLiteral("Asia/Kolkata"));
    QCOMPARE(details0.value(QStringLiteral("new")).toString(), QStringLiteral("America/Sao_Paulo"));
    // The history names the Chatwoot audit row written with the change.
    QCOMPARE(details0.value(QStringLiteral("audit_version")).toInt(), 1);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM audits WHERE request_uuid = ?"),
                          {details0.value(QStringLiteral("audit_request_uuid")).toString()}),
             1);
    QCOMPARE(all.at(1).value(QStringLiteral("change")).toString(),
             QStringLiteral("reporting_timezone (not set) -> Asia/Kolkata"));
    QCOMPARE(all.at(2).value(QStringLiteral("action")).toString(), QStringLiteral("clear-timezone"));
    QCOMPARE(all.at(2).value(QStringLiteral("change")).toString(),
             QStringLiteral("reporting_timezone Asia/Kolkata -> (not set)"));
    const QJsonObject backfill = all.at(3);
    QCOMPARE(backfill.value(QStringLiteral("action")).toString(), QStringLiteral("backfill"));
    QCOMPARE(backfill.value(QStringLiteral("account")).toInt(), 1);
    QCOMPARE(backfill.value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
    const QJsonObject bd = QJsonDocument::fromJson(backfill.value(QStringLiteral("details")).toString().toUtf8()).object();
    // Sao Paulo: 2026-03-01 07:00 .. 2026-03-03 07:00 local, "now" pinned to 2026-03-10.
    QCOMPARE(bd.value(QStringLiteral("from")).toString(), QStringLiteral("2026-03-01"));
    QCOMPARE(bd.value(QStringLiteral("to")).toString(), QStringLiteral("2026-03-03"));
    QCOMPARE(bd.value(QStringLiteral("days")).toInt(), 3);
    QCOMPARE(bd.value(QStringLiteral("days_done")).toInt(), 3);
    QCOMPARE(bd.value(QStringLiteral("rows_deleted")).toInt(), 0);
    QCOMPARE(bd.value(QStringLiteral("rows_written")).toInteger(),
             m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")));
    QVERIFY(bd.contains(QStringLiteral("seconds")));
    // Backfills write no Chatwoot audit rows: the three time-zone changes are all there is.
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM audits")), 3);

    // --account; csv and table name the same columns.
    const QList<QJsonObject> two = historyJson({"--account", "2"});
    QCOMPARE(two.size(), 2);
    r = CliRun::run({"history", "--format", "csv", "--account", "1", "--database-url", m_db->url()});
    QCOMPARE(r.code, 0);
    const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), HistoryJournal::columns().join(QLatin1Char(',')));
    r = CliRun::run({"history", "--database-url", m_db->url()});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QLatin1String("reporting_timezone Asia/Kolkata -> America/Sao_Paulo")), qPrintable(r.out));
    QVERIFY(!r.out.contains(QLatin1String("audit_request_uuid"))); // the table leaves the details out
    // Another database has its own (empty) history.
    r = CliRun::run({"history", "--database-url", QStringLiteral("postgres://x@elsewhere.example:5432/other")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains(QLatin1String("no history")), qPrintable(r.err));
}

// A backfill killed (SIGKILL) in the middle of its run: the history keeps its "started" record,
// shows the run as not finished, and goes on being written and read.
void TestHistory::backfillKilledMidRunShowsNotFinished()
{
    QFile::remove(historyPath());
    Fixtures fx{*m_db};
    m_db->exec(QStringLiteral("TRUNCATE accounts, reporting_events, reporting_events_rollups, audits"));
    fx.accountWithZone(3, QStringLiteral("Europe/Lisbon"));
    for (int d = 1; d <= 9; ++d)
        fx.event(3, QStringLiteral("first_response"), 100, 60, 11, 21, 31, QStringLiteral("2026-02-0%1 12:00:00").arg(d));

    // The test holds a lock that lets the backfill read but not write its first chunk: the run
    // is reliably in the middle when it is killed, whatever the machine's speed.
    Connection holder(m_db->settings());
    holder.begin();
    holder.runScript(QStringLiteral("LOCK TABLE reporting_events_rollups IN SHARE MODE"));
    QProcess backfill;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ROLLUP_CONSOLE_NOW"), QStringLiteral("2026-03-10T12:00:00Z"));
    backfill.setProcessEnvironment(env);
    backfill.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"),
                   {"backfill", "--account", "3", "--yes", "--lock-timeout", "0", "--database-url", m_db->url()});
    QVERIFY(backfill.waitForStarted(30000));
    qint64 waiting = 0;
    for (int i = 0; i < 1200 && waiting == 0; ++i) { // 120 s at most
        waiting = m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                              "AND application_name LIKE 'rollup-console%' AND wait_event_type = 'Lock'"));
        if (!waiting)
            QTest::qWait(100);
    }
    QVERIFY2(waiting > 0, "the backfill never reached its first write");
    backfill.kill(); // SIGKILL: no chance to record anything
    QVERIFY(backfill.waitForFinished(30000));
    holder.rollback();

    QList<QJsonObject> all = historyJson();
    QCOMPARE(all.size(), 1);
    QCOMPARE(all.at(0).value(QStringLiteral("action")).toString(), QStringLiteral("backfill"));
    QCOMPARE(all.at(0).value(QStringLiteral("account")).toInt(), 3);
    QCOMPARE(all.at(0).value(QStringLiteral("outcome")).toString(), QStringLiteral("not finished"));
    QCOMPARE(all.at(0).value(QStringLiteral("change")).toString(), QStringLiteral("backfill 2026-02-01 .. 2026-02-09 (9 days)"));

    // The journal goes on: a rerun finishes and is recorded next to the killed one.
    const CliRun r = CliRun::run({"backfill", "--account", "3", "--yes", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    all = historyJson({"--account", "3"});
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).value(QStringLiteral("outcome")).toString(), QStringLiteral("not finished"));
    QCOMPARE(all.at(1).value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
    // Every line of the file is a whole record.
    QFile f(historyPath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    int lines = 0;
    while (!f.atEnd()) {
        QJsonParseError e{};
        QJsonDocument::fromJson(f.readLine(), &e);
        QCOMPARE(e.error, QJsonParseError::NoError);
        ++lines;
    }
    QCOMPARE(lines, 3); // started (killed), started, finished
}

void TestHistory::refusals()
{
    CliRun r = CliRun::run({"history", "--format", "xml", "--database-url", m_db->url()});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("--format")));
    r = CliRun::run({"history", "--account", "abc", "--database-url", m_db->url()});
    QCOMPARE(r.code, 2);
    r = CliRun::run({"history", "--database-url", "mysql://nope"});
    QCOMPARE(r.code, 2);
    r = CliRun::run({"history", "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("--account")));
    r = CliRun::run({"--help"});
    QVERIFY(r.out.contains(QLatin1String("history")));
}

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
