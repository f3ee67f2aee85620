#include "testdatabase.h"

#include "db/schema.h"

#include <QTest>

using namespace rollup;

class TestSchema : public QObject
{
    Q_OBJECT
private slots:
    void schemaLoadsAndChecksClean();
    void chatwootIndexes();
    void missing_data();
    void missing();
    void settingsNullableAndDefaults();
};

void TestSchema::schemaLoadsAndChecksClean()
{
    TestDatabase db(QStringLiteral("tst_schema"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    QCOMPARE(Schema::check(db.connection()), QStringList{});
    TestDatabase empty(QStringLiteral("tst_schema_empty"), false);
    QVERIFY2(empty.ok(), qPrintable(empty.error()));
    const QStringList problems = Schema::check(empty.connection());
    QVERIFY(problems.contains(
        QStringLiteral("table reporting_events_rollups not found: run Chatwoot's migrations (PR #13796) first")));
    QVERIFY(problems.contains(QStringLiteral("table accounts not found: is this a Chatwoot database?")));
}

void TestSchema::chatwootIndexes()
{
    TestDatabase db(QStringLiteral("tst_schema"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    QCOMPARE(
        db.scalar(QStringLiteral(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'reporting_events' AND indexname <> 'reporting_events_pkey'")),
        8);
    QSqlQuery q = db.connection().run(QStringLiteral("SELECT indexdef FROM pg_indexes WHERE tablename = "
                                                     "'reporting_events_rollups' AND indexname = 'index_rollup_unique_key'"));
    QVERIFY(q.next());
    QVERIFY2(
        q.value(0).toString().contains(QLatin1String("UNIQUE INDEX index_rollup_unique_key ON public.reporting_events_rollups "
                                                     "USING btree (account_id, date, dimension_type, dimension_id, metric)")),
        qPrintable(q.value(0).toString()));
    for (const QString &name : {QStringLiteral("index_rollup_timeseries"), QStringLiteral("index_rollup_summary")})
        QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = ?"), {name}), 1);
    QSqlQuery c = db.connection().run(QStringLiteral("SELECT data_type, datetime_precision FROM information_schema.columns WHERE "
                                                     "table_name = 'reporting_events' AND column_name = 'created_at'"));
    QVERIFY(c.next());
    QCOMPARE(c.value(0).toString(), QStringLiteral("timestamp without time zone"));
    QCOMPARE(c.value(1).toInt(), 6);
}

void TestSchema::missing_data()
{
    QTest::addColumn<QString>("ddl");
    QTest::addColumn<QString>("message");
    QTest::newRow("rollups-table") << "DROP TABLE reporting_events_rollups"
                                   << "table reporting_events_rollups not found: run Chatwoot's migrations (PR #13796) first";
    QTest::newRow("events-table") << "DROP TABLE reporting_events"
                                  << "table reporting_events not found: is this a Chatwoot database?";
    QTest::newRow("bh-column") << "ALTER TABLE reporting_events DROP COLUMN value_in_business_hours"
                               << "column reporting_events.value_in_business_hours not found: is this a Chatwoot database?";
    QTest::newRow("settings-column") << "ALTER TABLE accounts DROP COLUMN settings"
                                     << "column accounts.settings not found: is this a Chatwoot database?";
}

void TestSchema::missing()
{
    QFETCH(QString, ddl);
    QFETCH(QString, message);
    TestDatabase db(QStringLiteral("tst_schema"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    db.exec(ddl);
    QCOMPARE(Schema::check(db.connection()), QStringList{message});
}

void TestSchema::settingsNullableAndDefaults()
{
    TestDatabase db(QStringLiteral("tst_schema"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    db.exec(QStringLiteral("INSERT INTO accounts (name, created_at, updated_at) VALUES ('a', now(), now())"));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM accounts WHERE settings = '{}'::jsonb AND feature_flags = 0")), 1);
    db.exec(QStringLiteral("UPDATE accounts SET settings = NULL"));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM accounts WHERE settings IS NULL")), 1);
}

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
