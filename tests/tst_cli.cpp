#include "fixtures.h"

#include <QProcess>
#include <QTest>

using namespace rollup;

// The rollup-console binary as scripts use it: exit codes, one-line errors, exact formats.
class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void helpEverywhere_data();
    void helpEverywhere();
    void dayBounds();
    void refusals_data();
    void refusals();
    void dryRunWritesNothing();
    void backfillThenVerify();
    void connectionSources();
    void missingTable();
    void accountsFormats();

private:
    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };
    Run run(const QStringList &args, const QProcessEnvironment &extra = {});
    QStringList dbArgs() const { return {QStringLiteral("--database-url"), m_db->url()}; }
    std::unique_ptr<TestDatabase> m_db;
};

void TestCli::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_cli"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    Fixtures fx{*m_db};
    fx.accountWithZone(1, QStringLiteral("America/New_York"));
    fx.account(2, QStringLiteral("No Zone"), QStringLiteral("{}"));
    fx.account(3, QStringLiteral("Bad Zone"), QStringLiteral("{\"reporting_timezone\": \"america/new_york\"}"));
    fx.account(4, QStringLiteral("Null Settings"), QStringLiteral("NULL"));
    fx.account(5, QStringLiteral("Number Zone"), QStringLiteral("{\"reporting_timezone\": 5}"));
    fx.account(6, QStringLiteral("Rails, \"quoted\""),
               QStringLiteral("{\"reporting_timezone\": \"Eastern Time (US & Canada)\"}"));
    for (int d = 1; d <= 5; ++d)
        fx.event(1, QStringLiteral("first_response"), 10 * d, 5 * d, 11, 21, 31, QStringLiteral("2026-03-0%1 15:00:00").arg(d));
    fx.rollupRow(1, QStringLiteral("2026-03-02"), QStringLiteral("account"), 1, QStringLiteral("first_response"), 9, 9, 9);
}

void TestCli::cleanupTestCase()
{
    m_db.reset();
}

TestCli::Run TestCli::run(const QStringList &args, const QProcessEnvironment &extra)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ROLLUP_CONSOLE_NOW"), QStringLiteral("2026-03-10T12:00:00Z"));
    for (const QString &k : extra.keys())
        env.insert(k, extra.value(k));
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"), args);
    p.closeWriteChannel(); // no terminal: never prompts
    if (!p.waitForFinished(120000))
        p.kill();
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
               QString::fromUtf8(p.readAllStandardError())};
}

void TestCli::helpEverywhere_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("top") << QStringList{"--help"};
    for (const char *c : {"accounts", "backfill", "verify", "day-bounds"})
        QTest::newRow(c) << QStringList{QString::fromLatin1(c), "--help"};
}

void TestCli::helpEverywhere()
{
    QFETCH(QStringList, args);
    const Run r = run(args);
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("rollup-console")) || r.out.contains(QLatin1String("Usage")));
}

void TestCli::dayBounds()
{
    Run r = run({"day-bounds", "--timezone", "America/Sao_Paulo", "--from", "2018-11-03", "--to", "2018-11-04"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QStringLiteral("zone,date,start_utc,end_utc,hours\n"
                                   "America/Sao_Paulo,2018-11-03,2018-11-03T03:00:00Z,2018-11-04T03:00:00Z,24\n"
                                   "America/Sao_Paulo,2018-11-04,2018-11-04T03:00:00Z,2018-11-05T02:00:00Z,23\n"));
    r = run({"day-bounds", "--timezone", "Pacific/Apia", "--from", "2011-12-30"});
    QCOMPARE(r.out.split(QLatin1Char('\n')).at(1),
             QStringLiteral("Pacific/Apia,2011-12-30,2011-12-30T10:00:00Z,2011-12-30T10:00:00Z,0"));
    r = run({"day-bounds", "--timezone", "Mars/Olympus", "--from", "2026-01-01"});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    r = run({"day-bounds", "--timezone", "UTC", "--from", "2024-13-01"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("2024-13-01")));
    r = run({"day-bounds", "--timezone", "UTC", "--from", "2024-01-01", "--format", "table"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QLatin1String("zone")));
}

void TestCli::refusals_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("not-a-number") << QStringList{"backfill", "--account", "abc"} << "not a positive account id";
    QTest::newRow("negative") << QStringList{"backfill", "--account", "-3"} << "not a positive account id";
    QTest::newRow("sql-meta") << QStringList{"backfill", "--account", "1; DROP TABLE accounts; --"}
                              << "not a positive account id";
    QTest::newRow("unknown") << QStringList{"backfill", "--account", "999"} << "account 999 not found";
    QTest::newRow("no-zone") << QStringList{"backfill", "--account", "2"} << "has no reporting_timezone";
    QTest::newRow("null-settings") << QStringList{"backfill", "--account", "4"} << "has no reporting_timezone";
    QTest::newRow("wrong-case") << QStringList{"backfill", "--account", "3"} << "'america/new_york' has the wrong case";
    QTest::newRow("number") << QStringList{"backfill", "--account", "5"} << "not a string";
    QTest::newRow("feb-30") << QStringList{"backfill", "--account", "1", "--from", "2024-02-30"}
                            << "impossible date '2024-02-30'";
    QTest::newRow("month-13") << QStringList{"backfill", "--account", "1", "--to", "2024-13-01"}
                              << "impossible date '2024-13-01'";
    QTest::newRow("from-after-to") << QStringList{"backfill", "--account", "1", "--from", "2026-03-05", "--to", "2026-03-01"}
                                   << "is after";
    QTest::newRow("today") << QStringList{"backfill", "--account", "1", "--to", "2026-03-10"} << "not a closed day";
    QTest::newRow("no-account") << QStringList{"backfill"} << "--account is required";
    QTest::newRow("100-years") << QStringList{"backfill", "--account", "1", "--from", "1926-01-01", "--to", "2025-12-31"}
                               << "the range has 36525 days, more than 730; pass --yes to confirm it";
    QTest::newRow("verify-unknown") << QStringList{"verify", "--account", "999"} << "account 999 not found";
    QTest::newRow("verify-format") << QStringList{"verify", "--account", "1", "--format", "xml"} << "--format must be";
    QTest::newRow("unknown-option") << QStringList{"backfill", "--acount", "1"} << "Unknown option";
}

void TestCli::refusals()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const qint64 before = m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups"));
    const Run r = run(args + dbArgs());
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")), before);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM accounts")), 6);
}

void TestCli::dryRunWritesNothing()
{
    const QStringList before = Fixtures{*m_db}.rows(1);
    const Run r = run(QStringList{"backfill", "--account", "1", "--dry-run"} + dbArgs());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QLatin1String("2026-03-01 .. 2026-03-05 (5 days)")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("events in range: 5")));
    QVERIFY(r.out.contains(QLatin1String("America/New_York")));
    QVERIFY(r.out.contains(QLatin1String("first event:    2026-03-01 10:00:00 EST")));
    QCOMPARE(Fixtures{*m_db}.rows(1), before);
}

void TestCli::backfillThenVerify()
{
    Run r = run(QStringList{"verify", "--account", "1", "--format", "csv"} + dbArgs());
    QCOMPARE(r.code, 1);
    const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.first(),
             QStringLiteral("date,dimension_type,dimension_id,metric,status,rollup_count,raw_count,rollup_sum_value,"
                            "raw_sum_value,rollup_sum_value_business_hours,raw_sum_value_business_hours"));
    QVERIFY(lines.contains(QStringLiteral("2026-03-02,account,1,first_response,mismatch,9,1,9,20,9,10")));
    QVERIFY(lines.contains(QStringLiteral("2026-03-01,agent,11,first_response,missing,,1,,10,,5")));
    QVERIFY2(r.err.contains(QLatin1String("15 keys compared, 0 match, 1 mismatch, 14 missing, 0 extra")), qPrintable(r.err));

    r = run(QStringList{"verify", "--account", "1", "--format", "json", "--only-mismatches", "--from", "2026-03-02", "--to",
                        "2026-03-02"}
            + dbArgs());
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.contains(QLatin1String("\"status\": \"mismatch\"")));
    QVERIFY(r.out.contains(QLatin1String("\"rollup_count\": 9")));

    r = run(QStringList{"backfill", "--account", "1"} + dbArgs());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QLatin1String("backfill complete: 5 of 5 days, 1 rows deleted, 15 rows written, 5 events read")),
             qPrintable(r.out));

    r = run(QStringList{"verify", "--account", "1", "--only-mismatches", "--format", "csv"} + dbArgs());
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out.trimmed().count(QLatin1Char('\n')), 0); // header only
    QVERIFY(r.err.contains(QLatin1String("15 keys compared, 15 match")));
    QVERIFY2(!r.err.contains(QLatin1String("outside the range")), qPrintable(r.err));

    // A stale row after the last event day: the range stays clean (exit 0), the note names it.
    Fixtures{*m_db}.rollupRow(1, QStringLiteral("2026-03-09"), QStringLiteral("agent"), 11, QStringLiteral("reply_time"), 1, 1,
                              1);
    r = run(QStringList{"verify", "--account", "1", "--only-mismatches", "--format", "csv"} + dbArgs());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains(
                 QLatin1String("note: 1 stored rollup row outside the range was not compared (dated 2026-03-09 .. 2026-03-09")),
             qPrintable(r.err));
}

void TestCli::connectionSources()
{
    const ConnectionSettings s = m_db->settings();
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), m_db->url());
    Run r = run({"accounts", "--format", "csv"}, env);
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith(QLatin1String("id,name,stored_timezone,state,resolved,local_now")), qPrintable(r.out));

    QProcessEnvironment chatwoot;
    chatwoot.insert(QStringLiteral("POSTGRES_HOST"), s.host);
    chatwoot.insert(QStringLiteral("POSTGRES_PORT"), QString::number(s.port));
    chatwoot.insert(QStringLiteral("POSTGRES_USERNAME"), s.user);
    chatwoot.insert(QStringLiteral("POSTGRES_DATABASE"), m_db->name());
    r = run({"accounts", "--format", "csv"}, chatwoot);
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out.trimmed().count(QLatin1Char('\n')), 6);

    QProcessEnvironment libpq;
    libpq.insert(QStringLiteral("PGDATABASE"), m_db->name());
    r = run({"accounts"}, libpq);
    QCOMPARE(r.code, 0);

    // No server on that port: libpq's own message, one line, exit 2.
    r = run({"accounts", "--database-url", QStringLiteral("postgres://%1@127.0.0.1:1/x").arg(s.user)});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("Connection refused")), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    r = run({"accounts", "--database-url", "postgres://u@h/db%zz"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("bad percent-encoding")));
}

void TestCli::missingTable()
{
    TestDatabase db(QStringLiteral("tst_cli_missing"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    db.exec(QStringLiteral("DROP TABLE reporting_events_rollups"));
    const Run r = run({"backfill", "--account", "1", "--database-url", db.url()});
    QCOMPARE(r.code, 2);
    QVERIFY2(
        r.err.contains(QLatin1String("table reporting_events_rollups not found: run Chatwoot's migrations (PR #13796) first")),
        qPrintable(r.err));
}

void TestCli::accountsFormats()
{
    Run r = run(QStringList{"accounts", "--format", "csv"} + dbArgs());
    QCOMPARE(r.code, 0);
    const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 7);
    QVERIFY(lines.at(1).startsWith(QLatin1String("1,Account 1,America/New_York,iana,America/New_York,2026-03-10 08:00 EDT")));
    QVERIFY2(lines.at(2).startsWith(QLatin1String("2,No Zone,,not set,")), qPrintable(r.out));
    QVERIFY(lines.at(3).startsWith(QLatin1String("3,Bad Zone,america/new_york,invalid,")));
    QVERIFY(lines.at(5).startsWith(QLatin1String("5,Number Zone,5,invalid,stored value 5 is not a string")));
    QVERIFY(
        lines.at(6).startsWith(QLatin1String("6,\"Rails, \"\"quoted\"\"\",Eastern Time (US & Canada),rails,America/New_York")));
    r = run(QStringList{"accounts", "--format", "json"} + dbArgs());
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("\"id\": 1")));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
