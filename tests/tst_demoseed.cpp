#include "db/connection.h"
#include "db/schema.h"
#include "jobs/democluster.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace rollup;

// The --demo cluster: initdb + pg_ctl of its own, schema, deterministic seed, reuse, reset.
class TestDemoSeed : public QObject
{
    Q_OBJECT
private slots:
    void startSeedReuseReset();
};

static qint64 scalar(Connection &c, const QString &sql)
{
    QSqlQuery q = c.run(sql);
    return q.next() ? q.value(0).toLongLong() : -1;
}

void TestDemoSeed::startSeedReuseReset()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // As root the server runs as `postgres`, which must be able to reach the directory.
    QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                          | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ExeGroup
                                          | QFileDevice::ReadGroup);
    const QString base = tmp.path() + QStringLiteral("/demo");
    QString fingerprint;
    {
        DemoCluster cluster(base);
        QString error;
        QVERIFY2(cluster.start(false, &error), qPrintable(error));
        QVERIFY(cluster.running());
        qInfo("demo seed: %.1f s", cluster.seedSeconds());
        // Seeded now (not reused). The bound only catches a seed that stalls: ~15 s on a quiet
        // 2-core machine, 72 s measured while four builds shared the cores.
        QVERIFY2(cluster.seedSeconds() > 0 && cluster.seedSeconds() < 600, qPrintable(QString::number(cluster.seedSeconds())));
        QVERIFY(cluster.settings().password.size() >= 16);
        QCOMPARE(cluster.settings().host, QStringLiteral("127.0.0.1"));
        Connection c(cluster.settings());
        QCOMPARE(Schema::check(c), QStringList{});
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM accounts")) >= 8);
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events")) >= 500000);
        QVERIFY(scalar(c, QStringLiteral("SELECT max(created_at)::date - min(created_at)::date FROM reporting_events")) >= 730);
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events WHERE user_id IS NULL")) > 0);
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events WHERE inbox_id IS NULL")) > 0);
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events WHERE value IS NULL")) > 0);
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events WHERE value_in_business_hours IS NULL")) > 0);
        QVERIFY(scalar(c, QStringLiteral(
                              "SELECT count(*) FROM reporting_events WHERE name NOT IN ('conversation_resolved','first_response',"
                              "'reply_time','conversation_bot_resolved','conversation_bot_handoff')"))
                > 0);
        QVERIFY(
            scalar(
                c,
                QStringLiteral(
                    "SELECT count(*) FROM (SELECT conversation_id FROM reporting_events WHERE name = 'conversation_bot_handoff' "
                    "AND conversation_id IS NOT NULL GROUP BY conversation_id HAVING count(*) > 1) d"))
            > 0);
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE dimension_type = 'team'")), 1);
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM accounts WHERE settings IS NULL")), 1);
        QCOMPARE(
            scalar(c, QStringLiteral(
                          "SELECT count(*) FROM accounts WHERE settings->>'reporting_timezone' = 'Eastern Time (US & Canada)'")),
            1);
        for (const QString &zone :
             {QStringLiteral("Asia/Kolkata"), QStringLiteral("America/Sao_Paulo"), QStringLiteral("America/Santiago"),
              QStringLiteral("Australia/Lord_Howe"), QStringLiteral("Pacific/Chatham")}) {
            QSqlQuery q
                = c.run(QStringLiteral("SELECT count(*) FROM accounts WHERE settings->>'reporting_timezone' = ?"), {zone});
            QVERIFY(q.next());
            QVERIFY2(q.value(0).toInt() == 1, qPrintable(zone));
        }
        QSqlQuery f = c.run(QStringLiteral(
            "SELECT md5(string_agg(id::text || name || created_at::text, ',' ORDER BY id)) FROM reporting_events"));
        QVERIFY(f.next());
        fingerprint = f.value(0).toString();
    }
    {
        // Second start: reuses the data, no reseed.
        DemoCluster cluster(base);
        QString error;
        QVERIFY2(cluster.start(false, &error), qPrintable(error));
        QCOMPARE(cluster.seedSeconds(), 0.0);
        Connection c(cluster.settings());
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events")) >= 500000);
        c.run(QStringLiteral("DELETE FROM reporting_events_rollups"));
    }
    {
        // Reset: re-seeds, deterministically.
        DemoCluster cluster(base);
        QString error;
        QVERIFY2(cluster.start(true, &error), qPrintable(error));
        QVERIFY(cluster.seedSeconds() > 0);
        Connection c(cluster.settings());
        QVERIFY(scalar(c, QStringLiteral("SELECT count(*) FROM reporting_events_rollups")) > 0);
        QSqlQuery f = c.run(QStringLiteral(
            "SELECT md5(string_agg(id::text || name || created_at::text, ',' ORDER BY id)) FROM reporting_events"));
        QVERIFY(f.next());
        QCOMPARE(f.value(0).toString(), fingerprint);
    }
    // Every server it started is stopped again.
    QVERIFY(!QFile::exists(base + QStringLiteral("/data/postmaster.pid")));
}

QTEST_GUILESS_MAIN(TestDemoSeed)
#include "tst_demoseed.moc"
