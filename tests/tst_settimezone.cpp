#include "fixtures.h"

#include "db/accountrepository.h"
#include "db/dberror.h"

#include <QProcess>
#include <QTest>

#include <atomic>
#include <thread>

using namespace rollup;

// `rollup-console set-timezone` as scripts use it: what is written, what survives, every refusal.
class TestSetTimezone : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void help();
    void setKeepsEveryOtherKey_data();
    void setKeepsEveryOtherKey();
    void clear_data();
    void clear();
    void refusals_data();
    void refusals();
    void rollupWarning_data();
    void rollupWarning();
    void concurrentWriterLosesNothing();
    void accountsListsStatistics();

private:
    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };
    Run run(const QStringList &args);
    QString snapshot();
    bool settingsEqual(qint64 id, const QString &json);
    std::unique_ptr<TestDatabase> m_db;
};

void TestSetTimezone::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_settimezone"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
}

void TestSetTimezone::cleanupTestCase()
{
    m_db.reset();
}

void TestSetTimezone::init()
{
    m_db->exec(QStringLiteral("TRUNCATE accounts, reporting_events, reporting_events_rollups"));
    Fixtures fx{*m_db};
    fx.account(
        1, QStringLiteral("Many Keys"),
        QString::fromUtf8(
            R"({"reporting_timezone": "Asia/Kolkata", "auto_resolve_after": 10080, "auto_resolve_message": "bye, \"friend\"", "nested": {"a": [1, 2, {"b": null}]}, "flag": true})"));
    fx.account(2, QStringLiteral("Null Settings"), QStringLiteral("NULL"));
    fx.account(3, QStringLiteral("Empty"), QStringLiteral("{}"));
    fx.account(4, QStringLiteral("Rails Stored"),
               QString::fromUtf8(R"j({"reporting_timezone": "Eastern Time (US & Canada)", "k": 1})j"));
    fx.account(5, QStringLiteral("Number Stored"), QString::fromUtf8(R"({"reporting_timezone": 5})"));
}

TestSetTimezone::Run TestSetTimezone::run(const QStringList &args)
{
    QProcess p;
    p.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"), args);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        p.kill();
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
               QString::fromUtf8(p.readAllStandardError())};
}

QString TestSetTimezone::snapshot()
{
    QSqlQuery q = m_db->connection().run(QStringLiteral("SELECT string_agg(id || ':' || COALESCE(settings::text, 'NULL') || ':' "
                                                        "|| updated_at::text, '|' ORDER BY id) FROM accounts"));
    return q.next() ? q.value(0).toString() : QString();
}

bool TestSetTimezone::settingsEqual(qint64 id, const QString &json)
{
    if (json == QLatin1String("NULL"))
        return m_db->scalar(QStringLiteral("SELECT (settings IS NULL)::int FROM accounts WHERE id = ?"), {id}) == 1;
    return m_db->scalar(QStringLiteral("SELECT (settings = ?::jsonb)::int FROM accounts WHERE id = ?"), {json, id}) == 1;
}

void TestSetTimezone::help()
{
    Run r = run({"set-timezone", "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("--timezone")));
    QVERIFY(r.out.contains(QLatin1String("--clear")));
    QVERIFY(r.out.contains(QLatin1String("--database-url")));
    r = run({"--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("set-timezone")));
}

void TestSetTimezone::setKeepsEveryOtherKey_data()
{
    QTest::addColumn<qint64>("account");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expectedSettings");
    QTest::addColumn<QString>("expectedLine");
    QTest::newRow("iana-many-keys")
        << qint64(1) << "America/New_York"
        << R"({"reporting_timezone": "America/New_York", "auto_resolve_after": 10080, "auto_resolve_message": "bye, \"friend\"", "nested": {"a": [1, 2, {"b": null}]}, "flag": true})"
        << "account 1 (Many Keys): reporting_timezone 'Asia/Kolkata' -> 'America/New_York'";
    QTest::newRow("null-settings") << qint64(2) << "Europe/Lisbon"
                                   << R"({"reporting_timezone": "Europe/Lisbon"})"
                                   << "account 2 (Null Settings): reporting_timezone (not set) -> 'Europe/Lisbon'";
    // "UTC" is a Rails name first (ActiveSupport maps it to Etc/UTC, as Chatwoot's setup rake writes).
    QTest::newRow("rails-utc") << qint64(2) << "UTC"
                               << R"({"reporting_timezone": "Etc/UTC"})"
                               << "account 2 (Null Settings): reporting_timezone (not set) -> 'Etc/UTC' (Rails name 'UTC')";
    QTest::newRow("empty") << qint64(3) << "Pacific/Chatham"
                           << R"({"reporting_timezone": "Pacific/Chatham"})"
                           << "account 3 (Empty): reporting_timezone (not set) -> 'Pacific/Chatham'";
    QTest::newRow("rails-name-writes-iana")
        << qint64(3) << "Eastern Time (US & Canada)"
        << R"({"reporting_timezone": "America/New_York"})"
        << "account 3 (Empty): reporting_timezone (not set) -> 'America/New_York' (Rails name 'Eastern Time (US & Canada)')";
    QTest::newRow("rails-chennai")
        << qint64(1) << "Chennai"
        << R"({"reporting_timezone": "Asia/Kolkata", "auto_resolve_after": 10080, "auto_resolve_message": "bye, \"friend\"", "nested": {"a": [1, 2, {"b": null}]}, "flag": true})"
        << "account 1 (Many Keys): reporting_timezone 'Asia/Kolkata' -> 'Asia/Kolkata' (Rails name 'Chennai') (unchanged)";
    QTest::newRow("rails-stored-to-iana")
        << qint64(4) << "America/New_York"
        << R"({"reporting_timezone": "America/New_York", "k": 1})"
        << "account 4 (Rails Stored): reporting_timezone 'Eastern Time (US & Canada)' -> 'America/New_York'";
    QTest::newRow("number-stored") << qint64(5) << "Etc/GMT+5"
                                   << R"({"reporting_timezone": "Etc/GMT+5"})"
                                   << "account 5 (Number Stored): reporting_timezone 5 -> 'Etc/GMT+5'";
    QTest::newRow("link-id") << qint64(3) << "Asia/Calcutta"
                             << R"({"reporting_timezone": "Asia/Calcutta"})"
                             << "account 3 (Empty): reporting_timezone (not set) -> 'Asia/Calcutta'";
}

void TestSetTimezone::setKeepsEveryOtherKey()
{
    QFETCH(qint64, account);
    QFETCH(QString, name);
    QFETCH(QString, expectedSettings);
    QFETCH(QString, expectedLine);
    const Run r = run({"set-timezone", "--account", QString::number(account), "--timezone", name, "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.out.trimmed(), expectedLine);
    QVERIFY2(settingsEqual(account, expectedSettings), qPrintable(snapshot()));
    QCOMPARE(r.err, QString()); // no rollups: no warning
}

void TestSetTimezone::clear_data()
{
    QTest::addColumn<qint64>("account");
    QTest::addColumn<QString>("expectedSettings");
    QTest::addColumn<QString>("expectedLine");
    QTest::newRow("many-keys")
        << qint64(1)
        << R"({"auto_resolve_after": 10080, "auto_resolve_message": "bye, \"friend\"", "nested": {"a": [1, 2, {"b": null}]}, "flag": true})"
        << "account 1 (Many Keys): reporting_timezone 'Asia/Kolkata' -> (not set)";
    QTest::newRow("null-settings-stay-null")
        << qint64(2) << "NULL"
        << "account 2 (Null Settings): reporting_timezone (not set) -> (not set) (unchanged)";
    QTest::newRow("absent") << qint64(3) << "{}"
                            << "account 3 (Empty): reporting_timezone (not set) -> (not set) (unchanged)";
}

void TestSetTimezone::clear()
{
    QFETCH(qint64, account);
    QFETCH(QString, expectedSettings);
    QFETCH(QString, expectedLine);
    const Run r = run({"set-timezone", "--account", QString::number(account), "--clear", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.out.trimmed(), expectedLine);
    QVERIFY2(settingsEqual(account, expectedSettings), qPrintable(snapshot()));
}

void TestSetTimezone::refusals_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown-zone") << QStringList{"--account", "1", "--timezone", "Mars/Olympus"}
                                  << "neither a Rails time zone name nor an IANA zone id";
    QTest::newRow("wrong-case-iana") << QStringList{"--account", "1", "--timezone", "america/new_york"} << "has the wrong case";
    QTest::newRow("wrong-case-rails") << QStringList{"--account", "1", "--timezone", "eastern time (us & canada)"}
                                      << "has the wrong case";
    QTest::newRow("trailing-space") << QStringList{"--account", "1", "--timezone", "UTC "} << "neither a Rails time zone name";
    QTest::newRow("empty") << QStringList{"--account", "1", "--timezone", ""} << "use --clear";
    QTest::newRow("blank") << QStringList{"--account", "1", "--timezone", "   "} << "use --clear";
    QTest::newRow("posix-dir") << QStringList{"--account", "1", "--timezone", "posix/UTC"} << "neither";
    QTest::newRow("sql") << QStringList{"--account", "1", "--timezone", "UTC'); DROP TABLE accounts; --"} << "neither";
    QTest::newRow("unknown-account") << QStringList{"--account", "999", "--timezone", "UTC"} << "account 999 not found";
    QTest::newRow("unknown-account-clear") << QStringList{"--account", "999", "--clear"} << "account 999 not found";
    QTest::newRow("bad-id") << QStringList{"--account", "abc", "--timezone", "UTC"} << "not a positive account id";
    QTest::newRow("negative-id") << QStringList{"--account", "-1", "--timezone", "UTC"} << "not a positive account id";
    QTest::newRow("sql-id") << QStringList{"--account", "1; DROP TABLE accounts", "--clear"} << "not a positive account id";
    QTest::newRow("huge-id") << QStringList{"--account", "99999999999", "--clear"} << "not a positive account id";
    QTest::newRow("no-account") << QStringList{"--timezone", "UTC"} << "--account is required";
    QTest::newRow("both") << QStringList{"--account", "1", "--timezone", "UTC", "--clear"} << "exactly one of";
    QTest::newRow("neither") << QStringList{"--account", "1"} << "exactly one of";
    QTest::newRow("unknown-option") << QStringList{"--account", "1", "--zone", "UTC"} << "Unknown option";
}

void TestSetTimezone::refusals()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString before = snapshot();
    const Run r = run(QStringList{"set-timezone"} + args + QStringList{"--database-url", m_db->url()});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    QCOMPARE(r.out, QString());
    QCOMPARE(snapshot(), before);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM accounts")), 5);
}

void TestSetTimezone::rollupWarning_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("warning"); // empty: none
    QTest::newRow("change") << QStringList{"--timezone", "America/Sao_Paulo"}
                            << "warning: 3 rollup rows over 2 days (2026-03-01 .. 2026-03-02) were bucketed in Asia/Kolkata; "
                               "they keep those day boundaries until re-backfilled: rollup-console backfill --account 1";
    QTest::newRow("clear") << QStringList{"--clear"}
                           << "warning: 3 rollup rows over 2 days (2026-03-01 .. 2026-03-02) were bucketed in Asia/Kolkata; "
                              "with the zone cleared the live path stops writing rollups; existing rows stay";
    QTest::newRow("same-zone-by-rails-name") << QStringList{"--timezone", "Chennai"} << QString();
    QTest::newRow("same-zone-by-iana-id") << QStringList{"--timezone", "Asia/Kolkata"} << QString();
}

void TestSetTimezone::rollupWarning()
{
    QFETCH(QStringList, args);
    QFETCH(QString, warning);
    Fixtures fx{*m_db};
    fx.rollupRow(1, QStringLiteral("2026-03-01"), QStringLiteral("account"), 1, QStringLiteral("first_response"), 1, 1, 1);
    fx.rollupRow(1, QStringLiteral("2026-03-01"), QStringLiteral("agent"), 7, QStringLiteral("first_response"), 1, 1, 1);
    fx.rollupRow(1, QStringLiteral("2026-03-02"), QStringLiteral("account"), 1, QStringLiteral("first_response"), 1, 1, 1);
    const Run r = run(QStringList{"set-timezone", "--account", "1"} + args + QStringList{"--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.err.trimmed(), warning);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")), 3); // never touched
}

// Another session keeps setting a key the console never touches (`counter`) to NEW values
// 1, 2, 3, ... while set-timezone runs again and again, through the CLI and through
// AccountRepository::setTimezone. Each of its writes is one transaction that first reads the
// stored counter under the row lock: it must still be the value this session committed last.
// A console that reads settings, changes them in the client and writes the whole object back
// (a client-side read-modify-write) puts an older counter back; the next write of the other
// session sees it, and the final value, read after the writer stopped, must be its last
// committed value. With jsonb_set on the row's current value neither side loses the other's key.
void TestSetTimezone::concurrentWriterLosesNothing()
{
    const ConnectionSettings settings = m_db->settings();
    std::atomic<bool> stop{false};
    std::atomic<int> lastCommitted{0};
    std::atomic<int> regressions{0}; // writes that found a counter other than the last committed one
    QString firstRegression; // written by the writer thread only, read after join
    std::atomic<bool> writerFailed{false};
    QString writerError; // written by the writer thread before writerFailed, read after join
    std::thread writerThread([&]() {
        try {
            Connection c(settings);
            for (int i = 1; !stop.load(); ++i) {
                c.begin();
                QSqlQuery q = c.run(QStringLiteral("SELECT (settings ->> 'counter')::int FROM accounts WHERE id = 1 FOR UPDATE"));
                const int stored = q.next() && !q.value(0).isNull() ? q.value(0).toInt() : 0;
                if (stored != i - 1 && regressions.fetch_add(1) == 0)
                    firstRegression
                        = QStringLiteral("before writing %1 the stored counter was %2, not %3").arg(i).arg(stored).arg(i - 1);
                c.run(QStringLiteral("UPDATE accounts SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{counter}', "
                                     "to_jsonb(?::int)) "
                                     "WHERE id = 1"),
                      {i});
                c.commit();
                lastCommitted.store(i);
            }
        } catch (const DbError &e) {
            writerError = e.message();
            writerFailed.store(true);
        }
    });
    struct Join // stop and join the writer also when a check below fails
    {
        std::atomic<bool> &stopFlag;
        std::thread &thread;
        ~Join()
        {
            stopFlag.store(true);
            if (thread.joinable())
                thread.join();
        }
    } join{stop, writerThread};
    for (int i = 0; i < 60000 && lastCommitted.load() == 0 && !writerFailed.load(); ++i) // 60 s at most
        QTest::qWait(1);
    QVERIFY2(lastCommitted.load() > 0, "the other session did not commit within 60 s");
    const int before = lastCommitted.load();

    const QStringList zones = {QStringLiteral("America/New_York"), QStringLiteral("Eastern Time (US & Canada)"),
                               QStringLiteral("Asia/Kolkata"), QStringLiteral("UTC"), QStringLiteral("Pacific/Chatham")};
    auto iana = [](const QString &zone) {
        return zone == QLatin1String("Eastern Time (US & Canada)") ? QStringLiteral("America/New_York")
               : zone == QLatin1String("UTC")                      ? QStringLiteral("Etc/UTC")
                                                                   : zone;
    };
    auto storedZone = [this]() {
        QSqlQuery q
            = m_db->connection().run(QStringLiteral("SELECT settings ->> 'reporting_timezone' FROM accounts WHERE id = 1"));
        return q.next() ? q.value(0).toString() : QString();
    };
    QString expectedZone;
    // The CLI, as scripts run it.
    for (int round = 0; round < 12; ++round) {
        const QString zone = zones.at(round % zones.size());
        const Run r = run({"set-timezone", "--account", "1", "--timezone", zone, "--database-url", m_db->url()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        expectedZone = iana(zone);
        QCOMPARE(storedZone(), expectedZone); // the other session never touches this key
    }
    // The repository the GUI uses, many times in a row (its write is the same statement).
    {
        Connection own(settings);
        AccountRepository accounts(own);
        const QStringList ids = {QStringLiteral("America/New_York"), QStringLiteral("Asia/Kolkata"), QStringLiteral("Etc/UTC"),
                                 QStringLiteral("Pacific/Chatham")};
        for (int round = 0; round < 400; ++round) {
            expectedZone = ids.at(round % ids.size());
            QVERIFY(accounts.setTimezone(1, expectedZone).has_value());
            QCOMPARE(storedZone(), expectedZone);
        }
    }
    const int duringConsole = lastCommitted.load() - before;
    stop.store(true);
    writerThread.join();
    QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
    qInfo("the other session committed %d new counter values while set-timezone ran 412 times", duringConsole);
    QVERIFY2(duringConsole >= 20, "the other session hardly ran: the test exercised no concurrency");
    QVERIFY2(regressions.load() == 0,
             qPrintable(QStringLiteral("%1 writes of the other session found its counter put back; first: %2")
                            .arg(regressions.load())
                            .arg(firstRegression)));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT (settings ->> 'counter')::int FROM accounts WHERE id = 1")),
             qint64(lastCommitted.load()));
    QVERIFY2(
        settingsEqual(
            1,
            QString::fromUtf8(
                R"({"reporting_timezone": "%1", "counter": %2, "auto_resolve_after": 10080, "auto_resolve_message": "bye, \"friend\"", "nested": {"a": [1, 2, {"b": null}]}, "flag": true})")
                .arg(expectedZone)
                .arg(lastCommitted.load())),
        qPrintable(snapshot()));
}

void TestSetTimezone::accountsListsStatistics()
{
    Fixtures fx{*m_db};
    fx.accountWithZone(6, QStringLiteral("America/New_York"));
    fx.rollupRow(6, QStringLiteral("2026-03-01"), QStringLiteral("account"), 6, QStringLiteral("first_response"), 1, 1, 1);
    fx.rollupRow(6, QStringLiteral("2026-03-03"), QStringLiteral("account"), 6, QStringLiteral("first_response"), 1, 1, 1);
    fx.event(6, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-02 03:00:00")); // 03-01 in New York
    fx.event(6, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-04 12:00:00"));
    fx.event(5, QStringLiteral("first_response"), 1, 1, 11, 21, 31,
             QStringLiteral("2026-03-02 03:00:00")); // invalid zone: UTC date
    Run r = run({"accounts", "--format", "csv", "--database-url", m_db->url()});
    QCOMPARE(r.code, 0);
    const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.first(), QStringLiteral("id,name,stored_timezone,state,resolved,local_now,rollup_first,"
                                           "rollup_last,first_event_day,last_event_day"));
    QCOMPARE(lines.size(), 7);
    QVERIFY2(lines.at(6).endsWith(QLatin1String(",2026-03-01,2026-03-03,2026-03-01,2026-03-04")), qPrintable(lines.at(6)));
    QVERIFY2(lines.at(5).endsWith(QLatin1String(",,,2026-03-02 UTC,2026-03-02 UTC")), qPrintable(lines.at(5)));
    QVERIFY2(lines.at(3).endsWith(QLatin1String(",,,,")), qPrintable(lines.at(3)));
    r = run({"accounts", "--format", "json", "--database-url", m_db->url()});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("\"rollup_last\": \"2026-03-03\"")));
    QVERIFY(r.out.contains(QLatin1String("\"first_event_day\": \"2026-03-01\"")));
    r = run({"accounts", "--database-url", m_db->url()});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QLatin1String("id")));
    QVERIFY(r.out.contains(QLatin1String("rollup_first")));
}

QTEST_GUILESS_MAIN(TestSetTimezone)
#include "tst_settimezone.moc"
