#include "fixtures.h"
#include "jobs/job.h"

#include "jobs/backfillengine.h"
#include "jobs/verifyengine.h"

#include <QTest>

using namespace rollup;

class TestVerify : public QObject
{
    Q_OBJECT
private slots:
    void statuses();
    void cleanAfterBackfill();
    void handoffDuplicatesAreMismatches();
    void plantedCorruptions_data();
    void plantedCorruptions();
};

static QString key(const CompareRow &r)
{
    return QStringLiteral("%1|%2|%3|%4|%5")
        .arg(formatLocalDate(r.date), r.dimensionType)
        .arg(r.dimensionId)
        .arg(r.metric, Comparison::statusName(r.status));
}

static VerifyResult verify(TestDatabase &db, qint64 account, const QString &from, const QString &to)
{
    VerifyRequest request;
    request.accountId = account;
    request.range = RangeRequest{from, to, false};
    return VerifyEngine::run(JobContext(db.settings()), db.connection(), request, instant(QStringLiteral("2026-11-29 12:00:00")));
}

void TestVerify::statuses()
{
    TestDatabase db(QStringLiteral("tst_verify"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    const qint64 a = fx.accountWithZone(1, QStringLiteral("America/New_York"));
    fx.event(a, QStringLiteral("first_response"), 100, 60, 11, 21, 31, QStringLiteral("2026-02-11 14:00:00"));
    fx.event(a, QStringLiteral("first_response"), 40, 20, 11, 21, 31, QStringLiteral("2026-02-11 15:00:00"));
    // Stored: account row right; agent row count off; inbox row missing; a team row and a
    // row on an empty day are extra; inbox sum off by 1e-3 relative is a mismatch.
    fx.rollupRow(a, QStringLiteral("2026-02-11"), QStringLiteral("account"), a, QStringLiteral("first_response"), 2, 140, 80);
    fx.rollupRow(a, QStringLiteral("2026-02-11"), QStringLiteral("agent"), 11, QStringLiteral("first_response"), 3, 140, 80);
    fx.rollupRow(a, QStringLiteral("2026-02-11"), QStringLiteral("team"), 5, QStringLiteral("first_response"), 2, 140, 80);
    fx.rollupRow(a, QStringLiteral("2026-02-12"), QStringLiteral("account"), a, QStringLiteral("reply_time"), 1, 1, 1);
    fx.rollupRow(a, QStringLiteral("2026-02-13"), QStringLiteral("account"), a, QStringLiteral("reply_time"), 1, 1,
                 1); // outside range
    const VerifyResult r = verify(db, a, QStringLiteral("2026-02-11"), QStringLiteral("2026-02-12"));
    QStringList keys;
    for (const CompareRow &row : r.rows)
        keys << key(row);
    QCOMPARE(keys, (QStringList{"2026-02-11|account|1|first_response|match", "2026-02-11|agent|11|first_response|mismatch",
                                "2026-02-11|inbox|21|first_response|missing", "2026-02-11|team|5|first_response|extra",
                                "2026-02-12|account|1|reply_time|extra"}));
    QCOMPARE(r.summary.keys, 5);
    QCOMPARE(r.summary.matches, 1);
    QCOMPARE(r.summary.mismatches, 1);
    QCOMPARE(r.summary.missing, 1);
    QCOMPARE(r.summary.extra, 2);
    QCOMPARE(r.summary.daysWithDifferences, 2);
    const CompareRow &agent = r.rows.at(1);
    QCOMPARE(agent.rollup->count, 3);
    QCOMPARE(agent.raw->count, 2);
    QCOMPARE(agent.raw->sumValue, 140.0);
    QVERIFY(!r.rows.at(2).rollup && r.rows.at(2).raw);
    QVERIFY(r.rows.at(3).rollup && !r.rows.at(3).raw);
}

void TestVerify::cleanAfterBackfill()
{
    // Verify and backfill share one SQL builder: right after a backfill everything matches,
    // and a single changed raw value shows up as exactly the keys it feeds.
    TestDatabase db(QStringLiteral("tst_verify"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    const qint64 a = fx.accountWithZone(1, QStringLiteral("America/Sao_Paulo"));
    db.exec(QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, "
                           "conversation_id, created_at, updated_at) "
                           "SELECT "
                           "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','"
                           "conversation_bot_handoff'])[1 + i % 5], "
                           "(i % 100) * 1.5, CASE WHEN i % 9 = 0 THEN NULL ELSE i % 50 END, 1, CASE WHEN i % 13 = 0 THEN NULL "
                           "ELSE i % 4 END, i % 3, i % 40, "
                           "timestamp '2018-11-01 00:00:00' + (i * 523 % (8 * 86400)) * interval '1 second', now() FROM "
                           "generate_series(1, 3000) i"));
    BackfillRequest request;
    request.accountId = a;
    request.range = RangeRequest{QStringLiteral("2018-10-31"), QStringLiteral("2018-11-08"), false};
    const BackfillPlan plan = BackfillPlanner::plan(db.connection(), request, instant(QStringLiteral("2026-11-29 12:00:00")));
    QCOMPARE(BackfillEngine::run(JobContext(db.settings()), db.connection(), plan, {}).outcome,
             BackfillResult::Outcome::Completed);
    VerifyResult r = verify(db, a, QStringLiteral("2018-10-31"), QStringLiteral("2018-11-08"));
    QVERIFY(r.summary.keys > 100);
    QVERIFY(r.summary.clean());
    QCOMPARE(r.summary.keys, db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")));
    // Change one reply_time event's value (P7: raw rows updated after the fact).
    db.exec(QStringLiteral(
        "UPDATE reporting_events SET value = value + 1 WHERE id = (SELECT min(id) FROM reporting_events "
        "WHERE name = 'reply_time' AND user_id IS NOT NULL AND inbox_id IS NOT NULL AND created_at > '2018-11-02')"));
    r = verify(db, a, QStringLiteral("2018-10-31"), QStringLiteral("2018-11-08"));
    QCOMPARE(r.summary.mismatches, 3); // account, agent, inbox rows of that day
    QCOMPARE(r.summary.daysWithDifferences, 1);
}

void TestVerify::handoffDuplicatesAreMismatches()
{
    // P3: the live path counts every handoff event; the backfill counts distinct conversations.
    TestDatabase db(QStringLiteral("tst_verify"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    const qint64 a = fx.accountWithZone(1, QStringLiteral("UTC"));
    fx.event(a, QStringLiteral("conversation_bot_handoff"), 0, 0, 11, 21, 31, QStringLiteral("2026-03-01 10:00:00"));
    fx.event(a, QStringLiteral("conversation_bot_handoff"), 0, 0, 11, 21, 31, QStringLiteral("2026-03-01 10:00:01"));
    for (const QString &dim : {QStringLiteral("account"), QStringLiteral("agent"), QStringLiteral("inbox")})
        fx.rollupRow(a, QStringLiteral("2026-03-01"), dim,
                     dim == QLatin1String("account") ? a
                     : dim == QLatin1String("agent") ? 11
                                                     : 21,
                     QStringLiteral("bot_handoffs_count"), 2, 0, 0);
    const VerifyResult r = verify(db, a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-01"));
    QCOMPARE(r.summary.mismatches, 3);
    for (const CompareRow &row : r.rows) {
        QCOMPARE(row.rollup->count, 2);
        QCOMPARE(row.raw->count, 1);
    }
}

void TestVerify::plantedCorruptions_data()
{
    QTest::addColumn<QString>("corruption"); // SQL run after a clean backfill
    QTest::addColumn<QStringList>("expected"); // the keys reported as different, "date|type|id|metric|status"
    QTest::newRow("deleted-day") << "DELETE FROM reporting_events_rollups WHERE date = '2026-03-02'"
                                 << QStringList{"2026-03-02|account|1|first_response|missing",
                                                "2026-03-02|agent|11|first_response|missing",
                                                "2026-03-02|inbox|21|first_response|missing"};
    QTest::newRow("count-off-by-one")
        << "UPDATE reporting_events_rollups SET count = count + 1 WHERE date = '2026-03-01' AND dimension_type = 'agent'"
        << QStringList{"2026-03-01|agent|11|first_response|mismatch"};
    QTest::newRow("sum-changed") << "UPDATE reporting_events_rollups SET sum_value = sum_value + 0.5 WHERE date = '2026-03-03' "
                                    "AND dimension_type = 'inbox'"
                                 << QStringList{"2026-03-03|inbox|21|first_response|mismatch"};
    QTest::newRow("bh-sum-changed")
        << "UPDATE reporting_events_rollups SET sum_value_business_hours = sum_value_business_hours * 1.01 "
           "WHERE date = '2026-03-01' AND dimension_type = 'account'"
        << QStringList{"2026-03-01|account|1|first_response|mismatch"};
    QTest::newRow("below-tolerance")
        << "UPDATE reporting_events_rollups SET sum_value = sum_value * (1 + 1e-9) WHERE date = '2026-03-01'" << QStringList{};
    QTest::newRow("team-row")
        << "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
           "sum_value_business_hours, created_at, updated_at) VALUES (1, '2026-03-02', 'team', 4, 'first_response', 1, 1, 1, "
           "now(), now())"
        << QStringList{"2026-03-02|team|4|first_response|extra"};
    QTest::newRow("agent-without-events")
        << "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
           "sum_value, sum_value_business_hours, created_at, updated_at) VALUES (1, '2026-03-03', 'agent', 77, "
           "'reply_time', 2, 20, 10, now(), now())"
        << QStringList{"2026-03-03|agent|77|reply_time|extra"};
    QTest::newRow("just-outside-range")
        << "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
           "sum_value, sum_value_business_hours, created_at, updated_at) VALUES (1, '2026-03-04', 'account', 1, "
           "'reply_time', 2, 20, 10, now(), now())"
        << QStringList{};
    QTest::newRow("stale-row-before-range")
        << "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
           "sum_value, sum_value_business_hours, created_at, updated_at) VALUES (1, '2026-02-27', 'agent', 11, "
           "'first_response', 1, 5, 5, now(), now()), (1, '2026-02-28', 'account', 1, 'first_response', 1, 5, 5, now(), now())"
        << QStringList{};
    QTest::newRow("todays-live-row")
        << "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
           "sum_value, sum_value_business_hours, created_at, updated_at) VALUES (1, '2026-11-29', 'account', 1, "
           "'reply_time', 2, 20, 10, now(), now())"
        << QStringList{};
}

void TestVerify::plantedCorruptions()
{
    QFETCH(QString, corruption);
    QFETCH(QStringList, expected);
    TestDatabase db(QStringLiteral("tst_verify"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    const qint64 a = fx.accountWithZone(1, QStringLiteral("America/New_York"));
    for (int d = 1; d <= 3; ++d) {
        fx.event(a, QStringLiteral("first_response"), 100.25 * d, 40.5 * d, 11, 21, 31,
                 QStringLiteral("2026-03-0%1 15:00:00").arg(d));
        fx.event(a, QStringLiteral("first_response"), 10.0 * d, 4.0 * d, 11, 21, 31,
                 QStringLiteral("2026-03-0%1 16:00:00").arg(d));
    }
    BackfillRequest request;
    request.accountId = a;
    request.range = RangeRequest{QStringLiteral("2026-03-01"), QStringLiteral("2026-03-03"), false};
    const BackfillPlan plan = BackfillPlanner::plan(db.connection(), request, instant(QStringLiteral("2026-11-29 12:00:00")));
    QCOMPARE(BackfillEngine::run(JobContext(db.settings()), db.connection(), plan, {}).outcome,
             BackfillResult::Outcome::Completed);
    QVERIFY(verify(db, a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-03")).summary.clean());
    db.exec(corruption);
    const VerifyResult r = verify(db, a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-03"));
    QStringList different;
    for (const CompareRow &row : r.rows)
        if (row.status != CompareStatus::Match)
            different << key(row);
    QCOMPARE(different, expected);
    // Rows outside the range are not compared, only counted (today's, the live path's, not even that).
    const QString row = QString::fromLatin1(QTest::currentDataTag());
    const qint64 outside = row == QLatin1String("just-outside-range")       ? 1
                           : row == QLatin1String("stale-row-before-range") ? 2
                                                                            : 0;
    QCOMPARE(r.outside.rows, outside);
    if (row == QLatin1String("just-outside-range"))
        QCOMPARE(formatLocalDate(*r.outside.first) + QLatin1Char('/') + formatLocalDate(*r.outside.last),
                 QStringLiteral("2026-03-04/2026-03-04"));
    if (row == QLatin1String("stale-row-before-range"))
        QCOMPARE(formatLocalDate(*r.outside.first) + QLatin1Char('/') + formatLocalDate(*r.outside.last),
                 QStringLiteral("2026-02-27/2026-02-28"));
    // A backfill of the range makes it clean again (rows outside the range stay as they are).
    QCOMPARE(BackfillEngine::run(JobContext(db.settings()), db.connection(), plan, {}).outcome,
             BackfillResult::Outcome::Completed);
    QVERIFY(verify(db, a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-03")).summary.clean());
}

QTEST_GUILESS_MAIN(TestVerify)
#include "tst_verify.moc"
