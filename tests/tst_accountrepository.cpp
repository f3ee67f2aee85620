#include "fixtures.h"

#include "db/accountrepository.h"
#include "db/dberror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <date/tz.h>

using namespace rollup;

// AccountRepository's statistics query and timezone writes against a real server.
class TestAccountRepository : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void statsFromIndexEnds();
    void countEventsEitherWay();
    void eventDayText_data();
    void eventDayText();
    void setTimezoneKeepsOtherKeys_data();
    void setTimezoneKeepsOtherKeys();
    void clearTimezoneKeepsOtherKeys_data();
    void clearTimezoneKeepsOtherKeys();
    void unknownAccountWritesNothing();
    void nonIanaNameIsRefused_data();
    void nonIanaNameIsRefused();
    void readOnlySessionIsRefusedByServer();

private:
    QString snapshot(); // every account row as text
    std::unique_ptr<TestDatabase> m_db;
};

void TestAccountRepository::initTestCase()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_accountrepository"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    Fixtures fx{*m_db};
    fx.accountWithZone(1, QStringLiteral("America/New_York"));
    fx.account(2, QStringLiteral("Nothing"), QStringLiteral("{}"));
    fx.account(3, QStringLiteral("Events only, bad zone"), QStringLiteral("{\"reporting_timezone\": \"america/new_york\"}"));
    fx.accountWithZone(4, QStringLiteral("Asia/Kolkata")); // rollups only
    // 03:00Z on 03-02 is still 03-01 in New York (EST, -5).
    fx.event(1, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-02 03:00:00.250000"));
    fx.event(1, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-05 15:00:00"));
    fx.event(3, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-02 03:00:00"));
    for (const char *d : {"2026-03-01", "2026-03-02"})
        for (const char *dim : {"account", "agent"})
            fx.rollupRow(1, QString::fromLatin1(d), QString::fromLatin1(dim), 1, QStringLiteral("first_response"), 1, 1, 1);
    fx.rollupRow(4, QStringLiteral("2025-12-31"), QStringLiteral("account"), 4, QStringLiteral("first_response"), 1, 1, 1);
}

void TestAccountRepository::cleanupTestCase()
{
    m_db.reset();
}

QString TestAccountRepository::snapshot()
{
    QSqlQuery q = m_db->connection().run(QStringLiteral("SELECT string_agg(id || ':' || COALESCE(settings::text, 'NULL') || ':' "
                                                        "|| updated_at::text, '|' ORDER BY id) FROM accounts"));
    return q.next() ? q.value(0).toString() : QString();
}

void TestAccountRepository::statsFromIndexEnds()
{
    const QHash<qint64, AccountStats> stats = AccountRepository(m_db->connection()).stats({1, 2, 3, 4, 77});
    QCOMPARE(stats.size(), 3); // account 2 has neither rollups nor events, 77 does not exist
    QVERIFY(!stats.contains(2));
    const AccountStats a = stats.value(1);
    QCOMPARE(a.rollups.rows, -1); // not counted: only the first and last date are read
    QCOMPARE(a.rollups.days, -1);
    QCOMPARE(AccountStats::coverageText(a.rollups), QStringLiteral("2026-03-01 .. 2026-03-02"));
    QVERIFY(a.events.first && a.events.last);
    QCOMPARE(formatUtcMicros(*a.events.first), QStringLiteral("2026-03-02 03:00:00.250000"));
    const ZoneResolution ny = ZoneResolver::resolveName(QStringLiteral("America/New_York"));
    QCOMPARE(AccountStats::eventDayText(a.events.first, ny), QStringLiteral("2026-03-01"));
    QCOMPARE(AccountStats::eventDayText(a.events.last, ny), QStringLiteral("2026-03-05"));
    const AccountStats c = stats.value(3);
    QVERIFY(!c.rollups.first);
    QVERIFY(c.events.first);
    const AccountStats d = stats.value(4);
    QCOMPARE(AccountStats::coverageText(d.rollups), QStringLiteral("2025-12-31 .. 2025-12-31"));
    QVERIFY(!d.events.first);
    // The per-account query the timezone editor uses counts, and agrees on the dates.
    const RollupCoverage one = AccountRepository(m_db->connection()).rollupCoverage(1);
    QCOMPARE(one.rows, 4);
    QCOMPARE(one.days, 2);
    QCOMPARE(AccountStats::coverageText(one), AccountStats::coverageText(a.rollups));
    // The event span of one account agrees with the batch statement, NULL names included.
    m_db->exec(QStringLiteral("INSERT INTO reporting_events (name, account_id, created_at, updated_at) VALUES "
                              "(NULL, 3, '2026-01-01 00:00:00', now()), ('zzz_other', 3, '2026-04-01 00:00:00', now())"));
    const EventSpan span = AccountRepository(m_db->connection()).eventSpan(3);
    QCOMPARE(formatUtcMicros(*span.first), QStringLiteral("2026-01-01 00:00:00.000000"));
    QCOMPARE(formatUtcMicros(*span.last), QStringLiteral("2026-04-01 00:00:00.000000"));
    QCOMPARE(AccountRepository(m_db->connection()).stats({3}).value(3).events.first, span.first);
    QCOMPARE(AccountRepository(m_db->connection())
                 .countEvents(3, instant(QStringLiteral("2026-01-01 00:00:00")), instant(QStringLiteral("2026-04-01 00:00:00"))),
             2);
    m_db->exec(QStringLiteral("DELETE FROM reporting_events WHERE account_id = 3 AND (name IS NULL OR name = 'zzz_other')"));
}

void TestAccountRepository::countEventsEitherWay()
{
    // Account 5: events of three names and without a name, on both sides of every range below,
    // two of them exactly on a bound (the range holds its start, not its end).
    Fixtures fx{*m_db};
    fx.accountWithZone(5, QStringLiteral("UTC"));
    const QStringList at = {"2026-01-01 00:00:00",        "2026-01-02 10:00:00", "2026-01-03 00:00:00", "2026-01-05 12:00:00",
                            "2026-01-09 23:59:59.999999", "2026-01-10 00:00:00", "2026-01-15 08:00:00", "2026-01-20 00:00:00"};
    const QList<QVariant> names = {QStringLiteral("a_first"), QStringLiteral("first_response"),
                                   QVariant(QMetaType::fromType<QString>()), QStringLiteral("zzz_other")};
    for (qsizetype i = 0; i < at.size(); ++i)
        for (qsizetype j = 0; j <= i % names.size(); ++j)
            m_db->connection().run(QStringLiteral("INSERT INTO reporting_events (name, account_id, created_at, updated_at) "
                                                  "VALUES (?, 5, ?::timestamp, now())"),
                                   {names.at(j), at.at(i)});
    AccountRepository accounts(m_db->connection());
    const EventSpan span = accounts.eventSpan(5);
    QVERIFY(span.first && span.last);
    const QList<std::pair<QString, QString>> ranges = {
        {"2025-12-01 00:00:00", "2026-02-01 00:00:00"}, // the whole span
        {"2026-01-01 00:00:00", "2026-01-20 00:00:00"}, // all but the last event
        {"2026-01-02 10:00:00", "2026-01-15 08:00:00"}, // most of it, events on both sides
        {"2026-01-03 00:00:00", "2026-01-10 00:00:00"}, // under half of it
        {"2026-01-05 12:00:00", "2026-01-05 12:00:01"}, // one instant
        {"2026-02-01 00:00:00", "2026-03-01 00:00:00"}, // after the last event
    };
    for (const auto &[from, to] : ranges) {
        QSqlQuery q = m_db->connection().run(
            QStringLiteral("SELECT count(*) FROM reporting_events WHERE account_id = 5 AND created_at >= ?::timestamp "
                           "AND created_at < ?::timestamp"),
            {from, to});
        QVERIFY(q.next());
        const qint64 expected = q.value(0).toLongLong();
        const SysSeconds lo = instant(from), hi = instant(to);
        QCOMPARE(accounts.countEvents(5, lo, hi), expected);
        QCOMPARE(accounts.countEvents(5, lo, hi, span), expected);
    }
    m_db->exec(QStringLiteral("DELETE FROM reporting_events WHERE account_id = 5"));
    m_db->exec(QStringLiteral("DELETE FROM accounts WHERE id = 5"));
}

void TestAccountRepository::eventDayText_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("instant");
    QTest::addColumn<QString>("expected");
    QTest::newRow("kolkata-next-day") << "Asia/Kolkata"
                                      << "2026-02-10 18:30:00"
                                      << "2026-02-11";
    QTest::newRow("kolkata-same-day") << "Asia/Kolkata"
                                      << "2026-02-10 18:29:59.999999"
                                      << "2026-02-10";
    QTest::newRow("rails-name") << "Eastern Time (US & Canada)"
                                << "2026-03-08 04:59:59"
                                << "2026-03-07";
    QTest::newRow("invalid-zone-utc") << "america/new_york"
                                      << "2026-03-08 04:59:59"
                                      << "2026-03-08 UTC";
    QTest::newRow("not-set-utc") << ""
                                 << "2026-03-08 23:59:59"
                                 << "2026-03-08 UTC";
}

void TestAccountRepository::eventDayText()
{
    QFETCH(QString, zone);
    QFETCH(QString, instant);
    QFETCH(QString, expected);
    QCOMPARE(AccountStats::eventDayText(parseUtcTimestamp(instant), ZoneResolver::resolveName(zone)), expected);
    QCOMPARE(AccountStats::eventDayText(std::nullopt, ZoneResolver::resolveName(zone)), QString());
}

void TestAccountRepository::setTimezoneKeepsOtherKeys_data()
{
    QTest::addColumn<QString>("before"); // settings JSON or NULL
    QTest::addColumn<QString>("oldValue"); // JSON text of the returned old value, "" for undefined
    QTest::addColumn<QString>("after");
    QTest::newRow("replace") << R"({"reporting_timezone": "UTC", "auto_resolve_after": 1440, "x": {"y": [1, true]}})"
                             << R"("UTC")"
                             << R"({"reporting_timezone": "Asia/Kolkata", "auto_resolve_after": 1440, "x": {"y": [1, true]}})";
    QTest::newRow("absent") << R"({"auto_resolve_label": "closed"})"
                            << ""
                            << R"({"reporting_timezone": "Asia/Kolkata", "auto_resolve_label": "closed"})";
    QTest::newRow("empty-object") << "{}"
                                  << ""
                                  << R"({"reporting_timezone": "Asia/Kolkata"})";
    QTest::newRow("null-settings") << "NULL"
                                   << ""
                                   << R"({"reporting_timezone": "Asia/Kolkata"})";
    QTest::newRow("json-null") << R"({"reporting_timezone": null, "a": 1})"
                               << "null"
                               << R"({"reporting_timezone": "Asia/Kolkata", "a": 1})";
    QTest::newRow("number") << R"({"reporting_timezone": 5.5})"
                            << "5.5"
                            << R"({"reporting_timezone": "Asia/Kolkata"})";
}

void TestAccountRepository::setTimezoneKeepsOtherKeys()
{
    QFETCH(QString, before);
    QFETCH(QString, oldValue);
    QFETCH(QString, after);
    Fixtures{*m_db}.account(100, QStringLiteral("Edit me"), before);
    m_db->exec(QStringLiteral("UPDATE accounts SET updated_at = '2020-01-01' WHERE id = ?"), {100});
    const std::optional<QJsonValue> old = AccountRepository(m_db->connection()).setTimezone(100, QStringLiteral("Asia/Kolkata"));
    QVERIFY(old.has_value());
    const QString oldText
        = old->isUndefined()
              ? QString()
              : QString::fromUtf8(QJsonDocument(QJsonArray{*old}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    QCOMPARE(oldText, oldValue);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT (settings = ?::jsonb)::int FROM accounts WHERE id = 100"), {after}), 1);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT (updated_at > '2020-01-02')::int FROM accounts WHERE id = 100")), 1);
    m_db->exec(QStringLiteral("DELETE FROM accounts WHERE id = ?"), {100});
}

void TestAccountRepository::clearTimezoneKeepsOtherKeys_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<bool>("hadKey");
    QTest::addColumn<QString>("after"); // JSON or NULL
    QTest::newRow("remove") << R"({"reporting_timezone": "Asia/Kolkata", "a": {"b": 2}})" << true << R"({"a": {"b": 2}})";
    QTest::newRow("absent") << R"({"a": 1})" << false << R"({"a": 1})";
    QTest::newRow("null-settings") << "NULL" << false << "NULL";
}

void TestAccountRepository::clearTimezoneKeepsOtherKeys()
{
    QFETCH(QString, before);
    QFETCH(bool, hadKey);
    QFETCH(QString, after);
    Fixtures{*m_db}.account(101, QStringLiteral("Clear me"), before);
    const std::optional<QJsonValue> old = AccountRepository(m_db->connection()).clearTimezone(101);
    QVERIFY(old.has_value());
    QCOMPARE(!old->isUndefined(), hadKey);
    if (after == QLatin1String("NULL"))
        QCOMPARE(m_db->scalar(QStringLiteral("SELECT (settings IS NULL)::int FROM accounts WHERE id = 101")), 1);
    else
        QCOMPARE(m_db->scalar(QStringLiteral("SELECT (settings = ?::jsonb)::int FROM accounts WHERE id = 101"), {after}), 1);
    m_db->exec(QStringLiteral("DELETE FROM accounts WHERE id = ?"), {101});
}

void TestAccountRepository::unknownAccountWritesNothing()
{
    const QString before = snapshot();
    AccountRepository accounts(m_db->connection());
    QVERIFY(!accounts.setTimezone(999, QStringLiteral("UTC")).has_value());
    QVERIFY(!accounts.clearTimezone(999).has_value());
    QCOMPARE(snapshot(), before);
    // The connection is usable afterwards (no transaction left open).
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM accounts")), 4);
}

void TestAccountRepository::nonIanaNameIsRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("rails-name") << "Chennai"; // callers resolve Rails names first
    QTest::newRow("wrong-case") << "america/new_york";
    QTest::newRow("unknown") << "Mars/Olympus";
    QTest::newRow("empty") << "";
    QTest::newRow("quote") << "UTC'; DROP TABLE accounts; --";
}

void TestAccountRepository::nonIanaNameIsRefused()
{
    QFETCH(QString, name);
    const QString before = snapshot();
    QVERIFY_THROWS_EXCEPTION(DbError, AccountRepository(m_db->connection()).setTimezone(1, name));
    QCOMPARE(snapshot(), before);
}

void TestAccountRepository::readOnlySessionIsRefusedByServer()
{
    ConnectionSettings s = m_db->settings();
    s.readOnly = true;
    Connection readOnly(s);
    const QString before = snapshot();
    try {
        AccountRepository(readOnly).setTimezone(1, QStringLiteral("UTC"));
        QFAIL("a read-only session wrote");
    } catch (const DbError &e) {
        QCOMPARE(e.sqlState(), QStringLiteral("25006")); // read_only_sql_transaction
        QVERIFY2(e.message().contains(QLatin1String("read-only transaction")), qPrintable(e.message()));
    }
    try {
        AccountRepository(readOnly).clearTimezone(1);
        QFAIL("a read-only session wrote");
    } catch (const DbError &e) {
        QCOMPARE(e.sqlState(), QStringLiteral("25006"));
    }
    // Even the bare statement, outside the repository's FOR UPDATE, is refused by the server.
    QVERIFY_THROWS_EXCEPTION(
        DbError, readOnly.run(QStringLiteral("UPDATE accounts SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), "
                                             "'{reporting_timezone}', to_jsonb(?::text)), updated_at = now() WHERE id = ?"),
                              {QStringLiteral("UTC"), 1}));
    QCOMPARE(snapshot(), before);
    // Reads still work on the read-only session.
    QCOMPARE(AccountRepository(readOnly).list().size(), 4);
}

QTEST_GUILESS_MAIN(TestAccountRepository)
#include "tst_accountrepository.moc"
