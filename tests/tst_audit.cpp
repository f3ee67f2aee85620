#include "clirun.h"
#include "fixtures.h"

#include "core/featurebits.h"
#include "core/historyjournal.h"
#include "db/accountaudit.h"
#include "db/accountrepository.h"
#include "db/dberror.h"
#include "db/featureflags.h"
#include "jobs/backfillengine.h"
#include "jobs/timezonechange.h"
#include "jobs/verifyjob.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSqlRecord>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace rollup;

// Chatwoot's audit log for the console's account changes: the row the audited gem (with
// Enterprise::AuditLog's after-save) writes for an ActiveRecord update of an Account, written by
// the console in the same transaction as its own UPDATE. The expected rows below are spelled out
// from the gem's rules, never taken from the code under test:
//   auditable_type 'Account', auditable_id = the account; associated_type 'Account',
//   associated_id = the account (Enterprise::AuditLog for account audits); action 'update';
//   audited_changes {"<column>": [old, new]} for each changed column, updated_at never
//   (ignored by the gem and excepted by Chatwoot); version = max(version) of that auditable + 1,
//   1 for the first; created_at the write's time (UTC, like Rails).
class TestAudit : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void timezoneChangeRow_data();
    void timezoneChangeRow();
    void clearRow();
    void flagEnableRow_data();
    void flagEnableRow();
    void versionsFollowTheGem();
    void noRowWhenRefusedOrRolledBack();
    void unchangedWritesNothing();
    void concurrentSetTimezoneGetDistinctVersions();
    void missingTableBreaksNothing();
    void readPathEnableIsAuditedAndInHistory();

private:
    struct AuditRow
    {
        QMap<QString, QVariant> columns;
        QVariant operator[](const QString &c) const { return columns.value(c); }
    };
    QList<AuditRow> audits(qint64 accountId);
    qint64 auditCount() { return m_db->scalar(QStringLiteral("SELECT count(*) FROM audits")); }
    // The console's audit username, spelled out independently of Identity.
    static QString expectedUsername();
    // True when `json` (a JSON text) equals audited_changes of audit `id`, as jsonb values.
    bool changesEqual(qint64 auditId, const QString &json);
    std::unique_ptr<TestDatabase> m_db;
    QTemporaryDir m_state;
};

void TestAudit::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("ROLLUP_CONSOLE_BIN"));
    QVERIFY(m_state.isValid());
    qputenv("XDG_STATE_HOME", m_state.path().toUtf8()); // the history stays out of the user's files
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_audit"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
}

void TestAudit::cleanupTestCase()
{
    m_db.reset();
}

void TestAudit::init()
{
    m_db->exec(QStringLiteral("TRUNCATE accounts, audits RESTART IDENTITY"));
}

QString TestAudit::expectedUsername()
{
    const passwd *pw = getpwuid(geteuid());
    return QStringLiteral("rollup-console: %1@%2").arg(QString::fromLocal8Bit(pw->pw_name), QSysInfo::machineHostName());
}

QList<TestAudit::AuditRow> TestAudit::audits(qint64 accountId)
{
    QSqlQuery q = m_db->connection().run(
        QStringLiteral(
            "SELECT id, auditable_id, auditable_type, associated_id, associated_type, user_id, user_type, username, action, "
            "audited_changes::text AS audited_changes, version, comment, remote_address, request_uuid, "
            "created_at::text AS created_at FROM audits WHERE auditable_id = ? ORDER BY id"),
        {accountId});
    QList<AuditRow> out;
    while (q.next()) {
        AuditRow r;
        const QSqlRecord rec = q.record();
        for (int i = 0; i < rec.count(); ++i)
            r.columns.insert(rec.fieldName(i), q.value(i));
        out.append(r);
    }
    return out;
}

bool TestAudit::changesEqual(qint64 auditId, const QString &json)
{
    return m_db->scalar(QStringLiteral("SELECT (audited_changes = ?::jsonb)::int FROM audits WHERE id = ?"), {json, auditId})
           == 1;
}

void TestAudit::timezoneChangeRow_data()
{
    QTest::addColumn<QString>("before"); // accounts.settings, JSON or NULL
    QTest::addColumn<QString>("zone"); // what set-timezone is given
    QTest::addColumn<QString>("changes"); // the audited_changes the gem writes
    QTest::addColumn<QString>("comment");
    QTest::newRow("iana-to-iana") << R"({"reporting_timezone": "Asia/Kolkata", "auto_resolve_after": 10080})"
                                  << "America/Sao_Paulo"
                                  << R"({"settings": [{"reporting_timezone": "Asia/Kolkata", "auto_resolve_after": 10080},
                            {"reporting_timezone": "America/Sao_Paulo", "auto_resolve_after": 10080}]})"
                                  << "reporting_timezone Asia/Kolkata -> America/Sao_Paulo";
    QTest::newRow("null-settings") << "NULL"
                                   << "Europe/Lisbon"
                                   << R"({"settings": [null, {"reporting_timezone": "Europe/Lisbon"}]})"
                                   << "reporting_timezone (not set) -> Europe/Lisbon";
    QTest::newRow("rails-name-stored")
        << R"j({"reporting_timezone": "Eastern Time (US & Canada)"})j"
        << "Chennai"
        << R"j({"settings": [{"reporting_timezone": "Eastern Time (US & Canada)"}, {"reporting_timezone": "Asia/Kolkata"}]})j"
        << "reporting_timezone Eastern Time (US & Canada) -> Asia/Kolkata";
    QTest::newRow("number-stored") << R"({"reporting_timezone": 5, "x": [1, {"y": null}]})"
                                   << "Etc/UTC"
                                   << R"({"settings": [{"reporting_timezone": 5, "x": [1, {"y": null}]},
                                                       {"reporting_timezone": "Etc/UTC", "x": [1, {"y": null}]}]})"
                                   << "reporting_timezone 5 -> Etc/UTC";
}

void TestAudit::timezoneChangeRow()
{
    QFETCH(QString, before);
    QFETCH(QString, zone);
    QFETCH(QString, changes);
    QFETCH(QString, comment);
    Fixtures{*m_db}.account(7, QStringLiteral("Audited"), before);
    m_db->exec(QStringLiteral("UPDATE accounts SET updated_at = '2020-01-01' WHERE id = 7"));
    const CliRun r = CliRun::run({"set-timezone", "--account", "7", "--timezone", zone, "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));

    const QList<AuditRow> rows = audits(7);
    QCOMPARE(rows.size(), 1);
    const AuditRow &a = rows.first();
    QCOMPARE(a["auditable_type"].toString(), QStringLiteral("Account"));
    QCOMPARE(a["auditable_id"].toLongLong(), 7);
    QCOMPARE(a["associated_type"].toString(), QStringLiteral("Account"));
    QCOMPARE(a["associated_id"].toLongLong(), 7);
    QVERIFY(a["user_id"].isNull());
    QVERIFY(a["user_type"].isNull());
    QCOMPARE(a["username"].toString(), expectedUsername());
    QCOMPARE(a["action"].toString(), QStringLiteral("update"));
    QVERIFY2(changesEqual(a["id"].toLongLong(), changes), qPrintable(a["audited_changes"].toString()));
    QCOMPARE(a["version"].toInt(), 1); // the account's first audit
    QCOMPARE(a["comment"].toString(), comment);
    QVERIFY(a["remote_address"].isNull());
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                 .match(a["request_uuid"].toString())
                 .hasMatch(),
             qPrintable(a["request_uuid"].toString()));
    // created_at and updated_at: the same transaction's time, in UTC (as Rails writes both).
    QCOMPARE(m_db->scalar(QStringLiteral(
                 "SELECT (a.created_at = c.updated_at)::int FROM audits a JOIN accounts c ON c.id = a.auditable_id "
                 "WHERE a.auditable_id = 7")),
             1);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT (abs(extract(epoch FROM created_at - (now() AT TIME ZONE 'UTC'))) < 300)::int "
                                         "FROM audits WHERE auditable_id = 7")),
             1);
    // Exactly the columns the gem fills: nothing else in the row.
    QCOMPARE(m_db->scalar(
                 QStringLiteral("SELECT count(*) FROM audits WHERE auditable_id = 7 AND jsonb_typeof(audited_changes) = 'object' "
                                "AND (SELECT array_agg(k) FROM jsonb_object_keys(audited_changes) k) = ARRAY['settings']")),
             1);
}

void TestAudit::clearRow()
{
    Fixtures{*m_db}.account(3, QStringLiteral("Clear"),
                            QStringLiteral(R"({"reporting_timezone": "Pacific/Chatham", "k": true})"));
    const CliRun r = CliRun::run({"set-timezone", "--account", "3", "--clear", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QList<AuditRow> rows = audits(3);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(changesEqual(rows.first()["id"].toLongLong(),
                          QStringLiteral(R"({"settings": [{"reporting_timezone": "Pacific/Chatham", "k": true}, {"k": true}]})")),
             qPrintable(rows.first()["audited_changes"].toString()));
    QCOMPARE(rows.first()["comment"].toString(), QStringLiteral("reporting_timezone Pacific/Chatham -> (not set)"));
    QCOMPARE(rows.first()["action"].toString(), QStringLiteral("update"));
    QCOMPARE(rows.first()["version"].toInt(), 1);
    QCOMPARE(rows.first()["username"].toString(), expectedUsername());
}

void TestAudit::flagEnableRow_data()
{
    QTest::addColumn<qint64>("before");
    QTest::addColumn<QString>("after"); // decimal, as Ruby writes the Integer
    QTest::newRow("first 18 features") << qint64(262143) << "786431";
    QTest::newRow("none") << qint64(0) << "524288";
    // A bigint beyond double precision: the pair must keep every digit.
    QTest::newRow("sign bit and low bits") << (std::numeric_limits<qint64>::min() | 5) << "-9223372036854251515";
}

void TestAudit::flagEnableRow()
{
    QFETCH(qint64, before);
    QFETCH(QString, after);
    Fixtures{*m_db}.accountWithZone(4, QStringLiteral("UTC"));
    m_db->exec(QStringLiteral("UPDATE accounts SET feature_flags = ?, updated_at = '2020-01-01' WHERE id = 4"), {before});
    Connection c(m_db->settings());
    qint64 old = 0;
    AccountChange change;
    const std::optional<qint64> now
        = FeatureFlags(c).enable(4, FeatureBits::kDefaultReportRollupBit, QStringLiteral("report_rollup"), &old, &change);
    QCOMPARE(QString::number(now.value()), after);
    QCOMPARE(old, before);
    QVERIFY(change.changed);
    QCOMPARE(change.auditVersion, 1);

    const QList<AuditRow> rows = audits(4);
    QCOMPARE(rows.size(), 1);
    const AuditRow &a = rows.first();
    QCOMPARE(a["auditable_type"].toString(), QStringLiteral("Account"));
    QCOMPARE(a["associated_type"].toString(), QStringLiteral("Account"));
    QCOMPARE(a["associated_id"].toLongLong(), 4);
    QCOMPARE(a["action"].toString(), QStringLiteral("update"));
    QCOMPARE(a["version"].toInt(), 1);
    QCOMPARE(a["username"].toString(), expectedUsername());
    QCOMPARE(a["request_uuid"].toString(), change.requestUuid);
    QVERIFY(a["user_id"].isNull() && a["user_type"].isNull() && a["remote_address"].isNull());
    // [old, new] as JSON integers, every digit kept.
    QCOMPARE(a["audited_changes"].toString(), QStringLiteral(R"({"feature_flags": [%1, %2]})").arg(before).arg(after));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM audits WHERE auditable_id = 4 "
                                         "AND jsonb_typeof(audited_changes -> 'feature_flags' -> 0) = 'number' "
                                         "AND jsonb_typeof(audited_changes -> 'feature_flags' -> 1) = 'number'")),
             1);
    QCOMPARE(a["comment"].toString(), QStringLiteral("feature_flags %1 -> %2 (report_rollup on, bit 19)").arg(before).arg(after));
    // ActiveRecord's side effect: updated_at is set by the flag change too, to the audit's time.
    QCOMPARE(m_db->scalar(QStringLiteral(
                 "SELECT (a.created_at = c.updated_at)::int FROM audits a JOIN accounts c ON c.id = a.auditable_id "
                 "WHERE a.auditable_id = 4")),
             1);
}

void TestAudit::versionsFollowTheGem()
{
    Fixtures fx{*m_db};
    fx.accountWithZone(1, QStringLiteral("UTC"));
    fx.accountWithZone(2, QStringLiteral("UTC"));
    // Audits Chatwoot wrote before: account 1's create (version 1) and two updates; another
    // auditable type with the same id and account 2 with higher versions, which must not count.
    m_db->exec(
        QStringLiteral("INSERT INTO audits (auditable_id, auditable_type, action, audited_changes, version, created_at) VALUES "
                       "(1, 'Account', 'create', '{}', 1, now()), (1, 'Account', 'update', '{}', 2, now()), (1, 'Account', "
                       "'update', '{}', 3, now()), "
                       "(1, 'Inbox', 'update', '{}', 40, now()), (2, 'Account', 'update', '{}', 17, now())"));
    Connection c(m_db->settings());
    AccountRepository accounts(c);
    AccountChange change;
    QVERIFY(accounts.setTimezone(1, QStringLiteral("Asia/Kolkata"), &change).has_value());
    QCOMPARE(change.auditVersion, 4);
    QVERIFY(accounts.clearTimezone(1, &change).has_value());
    QCOMPARE(change.auditVersion, 5);
    qint64 old = 0;
    QVERIFY(FeatureFlags(c).enable(1, 19, QStringLiteral("report_rollup"), &old, &change).has_value());
    QCOMPARE(change.auditVersion, 6);
    QVERIFY(accounts.setTimezone(2, QStringLiteral("Asia/Kolkata"), &change).has_value());
    QCOMPARE(change.auditVersion, 18);
    // Only the console's rows were added, one per change, each version once.
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(DISTINCT version) FROM audits WHERE auditable_type = 'Account' "
                                         "AND auditable_id = 1 AND username = ? AND version IN (4, 5, 6)"),
                          {expectedUsername()}),
             3);
    QCOMPARE(auditCount(), 9);
}

void TestAudit::noRowWhenRefusedOrRolledBack()
{
    Fixtures fx{*m_db};
    fx.account(5, QStringLiteral("Guarded"), QStringLiteral(R"({"reporting_timezone": "Asia/Kolkata", "k": 1})"));
    const QString before = QStringLiteral(R"({"reporting_timezone": "Asia/Kolkata", "k": 1})");
    auto unchanged = [&]() {
        return m_db->scalar(QStringLiteral("SELECT (settings = ?::jsonb AND feature_flags = 0)::int FROM accounts WHERE id = 5"),
                            {before})
               == 1;
    };

    // Refused before anything is sent: not an IANA id, an unknown zone, an unknown account.
    {
        Connection c(m_db->settings());
        QVERIFY_THROWS_EXCEPTION(DbError, AccountRepository(c).setTimezone(5, QStringLiteral("Chennai")));
        QVERIFY(!AccountRepository(c).setTimezone(404, QStringLiteral("Etc/UTC")).has_value());
        QVERIFY(!FeatureFlags(c).enable(404, 19).has_value());
    }
    QCOMPARE(CliRun::run({"set-timezone", "--account", "5", "--timezone", "Mars/Olympus", "--database-url", m_db->url()}).code,
             2);
    QCOMPARE(CliRun::run({"set-timezone", "--account", "404", "--timezone", "Etc/UTC", "--database-url", m_db->url()}).code, 2);
    QCOMPARE(auditCount(), 0);
    QVERIFY(unchanged());

    // Refused by the server: a read-only session.
    ConnectionSettings ro = m_db->settings();
    ro.readOnly = true;
    {
        Connection c(ro);
        try {
            AccountRepository(c).setTimezone(5, QStringLiteral("Etc/UTC"));
            QFAIL("a read-only session wrote");
        } catch (const DbError &e) {
            QCOMPARE(e.sqlState(), QStringLiteral("25006"));
        }
        try {
            FeatureFlags(c).enable(5, 19);
            QFAIL("a read-only session wrote");
        } catch (const DbError &e) {
            QCOMPARE(e.sqlState(), QStringLiteral("25006"));
        }
    }
    QCOMPARE(auditCount(), 0);
    QVERIFY(unchanged());

    // Rolled back at COMMIT (a deferred check of the accounts row fails): the audit row goes
    // with the change, because it was written in the same transaction.
    Connection &admin = m_db->connection();
    admin.runScript(QStringLiteral("CREATE FUNCTION tst_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                                   "$$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$"));
    admin.runScript(QStringLiteral("CREATE CONSTRAINT TRIGGER tst_refuse_at_commit AFTER UPDATE ON accounts "
                                   "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tst_refuse()"));
    CliRun r = CliRun::run({"set-timezone", "--account", "5", "--timezone", "Etc/UTC", "--database-url", m_db->url()});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("refused at commit")), qPrintable(r.err));
    {
        Connection c(m_db->settings());
        QVERIFY_THROWS_EXCEPTION(DbError, FeatureFlags(c).enable(5, 19, QStringLiteral("report_rollup")));
        QVERIFY_THROWS_EXCEPTION(DbError, AccountRepository(c).clearTimezone(5));
    }
    admin.runScript(QStringLiteral("DROP TRIGGER tst_refuse_at_commit ON accounts"));
    QCOMPARE(auditCount(), 0);
    QVERIFY(unchanged());

    // The audit row cannot be written: the change is rolled back with it.
    admin.runScript(
        QStringLiteral("CREATE TRIGGER tst_refuse_audit BEFORE INSERT ON audits FOR EACH ROW EXECUTE FUNCTION tst_refuse()"));
    r = CliRun::run({"set-timezone", "--account", "5", "--timezone", "Etc/UTC", "--database-url", m_db->url()});
    QCOMPARE(r.code, 2);
    {
        Connection c(m_db->settings());
        QVERIFY_THROWS_EXCEPTION(DbError, FeatureFlags(c).enable(5, 19, QStringLiteral("report_rollup")));
    }
    admin.runScript(QStringLiteral("DROP TRIGGER tst_refuse_audit ON audits"));
    admin.runScript(QStringLiteral("DROP FUNCTION tst_refuse()"));
    QCOMPARE(auditCount(), 0);
    QVERIFY(unchanged());

    // And with nothing in the way, one row each.
    r = CliRun::run({"set-timezone", "--account", "5", "--timezone", "Etc/UTC", "--database-url", m_db->url()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(auditCount(), 1);
}

void TestAudit::unchangedWritesNothing()
{
    Fixtures fx{*m_db};
    fx.account(6, QStringLiteral("Same"), QStringLiteral(R"({"reporting_timezone": "Asia/Kolkata"})"));
    fx.account(8, QStringLiteral("No zone"), QStringLiteral("NULL"));
    m_db->exec(QStringLiteral("UPDATE accounts SET updated_at = '2020-01-01', feature_flags = 524288"));
    // The same zone (also given by its Rails name), a clear of nothing, a bit already on: an
    // ActiveRecord save without changes writes nothing, no audit and no updated_at.
    for (const QStringList &args :
         {QStringList{"--account", "6", "--timezone", "Asia/Kolkata"}, QStringList{"--account", "6", "--timezone", "Chennai"},
          QStringList{"--account", "8", "--clear"}}) {
        const CliRun r = CliRun::run(QStringList{"set-timezone"} + args + QStringList{"--database-url", m_db->url()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("(unchanged)")), qPrintable(r.out));
    }
    Connection c(m_db->settings());
    AccountChange change;
    change.changed = true;
    QCOMPARE(FeatureFlags(c).enable(6, 19, QStringLiteral("report_rollup"), nullptr, &change).value(), 524288);
    QVERIFY(!change.changed);
    QCOMPARE(change.auditVersion, 0);
    QCOMPARE(auditCount(), 0);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM accounts WHERE updated_at = '2020-01-01'")), 2);
}

// Two `set-timezone` runs of one account at the same moment. Both are made to reach the account
// row while a third session holds its lock, so both have read everything they read before the
// lock, then they go one after the other. A console that computed the version before taking the
// row lock would give both the same version; the versions must be the next two.
void TestAudit::concurrentSetTimezoneGetDistinctVersions()
{
    Fixtures{*m_db}.accountWithZone(9, QStringLiteral("UTC"));
    m_db->exec(QStringLiteral("INSERT INTO audits (auditable_id, auditable_type, action, audited_changes, version, created_at) "
                              "VALUES (9, 'Account', 'update', '{}', 5, now())"));
    Connection holder(m_db->settings());
    holder.begin();
    holder.run(QStringLiteral("SELECT 1 FROM accounts WHERE id = 9 FOR UPDATE"));

    QProcess first, second;
    const QStringList zones = {QStringLiteral("Asia/Kolkata"), QStringLiteral("America/Sao_Paulo")};
    QProcess *processes[] = {&first, &second};
    for (int i = 0; i < 2; ++i) {
        processes[i]->start(
            qEnvironmentVariable("ROLLUP_CONSOLE_BIN"),
            {"set-timezone", "--account", "9", "--timezone", zones.at(i), "--lock-timeout", "0", "--database-url", m_db->url()});
        QVERIFY(processes[i]->waitForStarted(30000));
    }
    // Both wait for the row lock (120 s at most: generous for a loaded machine).
    qint64 waiting = 0;
    for (int i = 0; i < 1200 && waiting < 2; ++i) {
        waiting = m_db->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                              "AND application_name LIKE 'rollup-console%' AND wait_event_type = 'Lock'"));
        if (waiting < 2)
            QTest::qWait(100);
    }
    QCOMPARE(waiting, 2);
    holder.commit();
    for (QProcess *p : processes) {
        QVERIFY(p->waitForFinished(120000));
        QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
    }

    QSqlQuery q = m_db->connection().run(
        QStringLiteral("SELECT version, audited_changes -> 'settings' -> 0 ->> 'reporting_timezone', "
                       "audited_changes -> 'settings' -> 1 ->> 'reporting_timezone' FROM audits "
                       "WHERE auditable_type = 'Account' AND auditable_id = 9 AND username = ? ORDER BY version"),
        {expectedUsername()});
    QList<int> versions;
    QStringList chain;
    while (q.next()) {
        versions << q.value(0).toInt();
        chain << q.value(1).toString() << q.value(2).toString();
    }
    QCOMPARE(versions, (QList<int>{6, 7}));
    // They went one after the other: the second saw the first's value as the old one.
    QCOMPARE(chain.at(0), QStringLiteral("UTC"));
    QCOMPARE(chain.at(2), chain.at(1));

    // And without a lock holder, as they come: every version once.
    for (int round = 0; round < 4; ++round) {
        QProcess a, b;
        a.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"),
                {"set-timezone", "--account", "9", "--timezone", "Europe/Lisbon", "--database-url", m_db->url()});
        b.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"),
                {"set-timezone", "--account", "9", "--timezone", "Asia/Tokyo", "--database-url", m_db->url()});
        QVERIFY(a.waitForFinished(120000) && b.waitForFinished(120000));
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);
    }
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM audits WHERE auditable_id = 9")),
             m_db->scalar(QStringLiteral("SELECT count(DISTINCT version) FROM audits WHERE auditable_id = 9")));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT max(version) FROM audits WHERE auditable_id = 9")),
             m_db->scalar(QStringLiteral("SELECT count(*) + 4 FROM audits WHERE auditable_id = 9")));
}

// Community edition: no audits table. Changes go through, nothing else is written. A table
// named audits that is not Chatwoot's (other columns) is left alone as well.
void TestAudit::missingTableBreaksNothing()
{
    for (const bool foreignTable : {false, true}) {
        TestDatabase db(QStringLiteral("tst_audit_ce"));
        QVERIFY2(db.ok(), qPrintable(db.error()));
        db.connection().runScript(QStringLiteral("DROP TABLE audits"));
        if (foreignTable)
            db.connection().runScript(QStringLiteral("CREATE TABLE audits (id serial PRIMARY KEY, note text)"));
        Fixtures{db}.account(1, QStringLiteral("Community"), QStringLiteral(R"({"reporting_timezone": "UTC", "k": 1})"));
        CliRun r = CliRun::run({"set-timezone", "--account", "1", "--timezone", "Asia/Kolkata", "--database-url", db.url()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.err, QString());
        QCOMPARE(db.scalar(QStringLiteral(
                     "SELECT (settings = '{\"reporting_timezone\": \"Asia/Kolkata\", \"k\": 1}'::jsonb)::int FROM accounts")),
                 1);
        r = CliRun::run({"set-timezone", "--account", "1", "--clear", "--database-url", db.url()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        Connection c(db.settings());
        QVERIFY(!AccountAudit(c).available());
        AccountChange change;
        QCOMPARE(FeatureFlags(c).enable(1, 19, QStringLiteral("report_rollup"), nullptr, &change).value(), 524288);
        QVERIFY(change.changed);
        QCOMPARE(change.auditVersion, 0);
        QVERIFY(AccountRepository(c).setTimezone(1, QStringLiteral("Etc/UTC"), &change).has_value());
        QVERIFY(change.changed);
        QCOMPARE(change.auditVersion, 0);
        QCOMPARE(db.scalar(QStringLiteral("SELECT (settings = '{\"reporting_timezone\": \"Etc/UTC\", \"k\": 1}'::jsonb "
                                          "AND feature_flags = 524288)::int FROM accounts")),
                 1);
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'audits'")), foreignTable ? 1 : 0);
        if (foreignTable)
            QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM audits")), 0);
    }
    // The main test database has the table: there it is found.
    Connection c(m_db->settings());
    QVERIFY(AccountAudit(c).available());
}

// Enabling the read path after a clean whole-history verify, as the Verify tab does: one audit
// row for the flag, and the same change in the console's history.
void TestAudit::readPathEnableIsAuditedAndInHistory()
{
    m_db->exec(QStringLiteral("TRUNCATE reporting_events, reporting_events_rollups"));
    Fixtures fx{*m_db};
    const qint64 a = fx.accountWithZone(11, QStringLiteral("America/New_York"));
    m_db->exec(QStringLiteral("UPDATE accounts SET feature_flags = 262143 WHERE id = 11"));
    fx.event(a, QStringLiteral("first_response"), 100, 60, 11, 21, 31, QStringLiteral("2026-02-10 14:00:00"));
    fx.event(a, QStringLiteral("conversation_resolved"), 500, 300, 11, 21, 31, QStringLiteral("2026-02-12 15:00:00"));
    const SysSeconds now = instant(QStringLiteral("2026-11-29 12:00:00"));
    BackfillRequest br;
    br.accountId = a;
    QCOMPARE(BackfillEngine::run(JobContext(m_db->settings()), m_db->connection(),
                                 BackfillPlanner::plan(m_db->connection(), br, now), {})
                 .outcome,
             BackfillResult::Outcome::Completed);
    VerifyRequest request;
    request.accountId = a;
    const VerifyOutcome outcome = VerifyJob::run(JobContext(m_db->settings()), request, now);
    QString reason;
    QVERIFY2(VerifyJob::readPathEligible(outcome, &reason), qPrintable(reason));
    QFuture<ReadPathChange> future = VerifyJob::enableReadPath(m_db->settings(), outcome, 19).future;
    future.waitForFinished();
    const ReadPathChange change = future.result();
    QVERIFY2(change.done(), qPrintable(change.error));
    QCOMPARE(change.before.value(), 262143);
    QCOMPARE(change.after.value(), 786431);
    QVERIFY(change.historyError.isEmpty());

    const QList<AuditRow> rows = audits(11);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first()["audited_changes"].toString(), QStringLiteral(R"({"feature_flags": [262143, 786431]})"));
    QCOMPARE(rows.first()["comment"].toString(), QStringLiteral("feature_flags 262143 -> 786431 (report_rollup on, bit 19)"));
    QCOMPARE(rows.first()["associated_type"].toString(), QStringLiteral("Account"));
    QCOMPARE(rows.first()["associated_id"].toLongLong(), 11);

    const QList<HistoryEntry> history = HistoryJournal::forDatabase(m_db->settings()).entries(11);
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().record.action, QStringLiteral("enable-read-path"));
    QCOMPARE(history.first().record.outcome, QStringLiteral("done"));
    QCOMPARE(history.first().record.summary, rows.first()["comment"].toString());
    QCOMPARE(history.first().record.details.value(QStringLiteral("audit_request_uuid")).toString(),
             rows.first()["request_uuid"].toString());
    QCOMPARE(history.first().record.details.value(QStringLiteral("new")).toInteger(), 786431);
}

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
