#include "fixtures.h"

#include "core/cancellation.h"
#include "core/zoneresolver.h"
#include "db/dberror.h"
#include "db/rollupwriter.h"
#include "jobs/backfillengine.h"
#include "jobs/job.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <thread>

using namespace rollup;

// Backfill engine against a real PostgreSQL with the Chatwoot schema. Expected rows come from
// Chatwoot's specs (docs/rollups.md §9.1) or from a per-day reference that replays Chatwoot's per-day SQL.
class TestBackfill : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void specB1NilValuesBecomeZero();
    void specB2FailureKeepsOldRows();
    void specB3GroupedRows();
    void specB4DistinctHandoffs();
    void dataSourceSpecDays();
    void dstEdges_data();
    void dstEdges();
    void nullDimensionsAndValues();
    void handoffsDuplicatedAcrossDays();
    void replaceScopeStaleTeamOtherAccounts();
    void matchesPerDayReference();
    void bothBucketingsMatchReference_data();
    void bothBucketingsMatchReference();
    void idempotent();
    void failureMidRunKeepsChunkOldRows();
    void liveRowBetweenDeleteAndInsert();
    void liveUpdateOfWrittenDayIsNamed();
    void lockContention();
    void cancelBetweenChunks();
    void cancelStatementInFlight();
    void refusals_data();
    void refusals();

private:
    BackfillResult backfill(qint64 account, const QString &from, const QString &to, int chunk = 7,
                            std::shared_ptr<CancelToken> cancel = {}, const BackfillEngine::ProgressFn &progress = {},
                            int workers = BackfillEngine::kDefaultWorkers);
    QStringList referenceRows(qint64 account, const QList<DayWindow> &windows);
    void generateEvents(const QString &from, int days, int count);
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<Fixtures> m_fx;
};

void TestBackfill::init()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_backfill"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    m_fx = std::make_unique<Fixtures>(Fixtures{*m_db});
}

void TestBackfill::cleanup()
{
    m_fx.reset();
    m_db.reset();
}

BackfillResult TestBackfill::backfill(qint64 account, const QString &from, const QString &to, int chunk,
                                      std::shared_ptr<CancelToken> cancel, const BackfillEngine::ProgressFn &progress,
                                      int workers)
{
    BackfillRequest request;
    request.accountId = account;
    request.range = RangeRequest{from, to, false};
    const BackfillPlan plan = BackfillPlanner::plan(m_db->connection(), request, instant(QStringLiteral("2026-11-29 12:00:00")));
    return BackfillEngine::run(JobContext(m_db->settings(), cancel), m_db->connection(), plan, progress, chunk, workers);
}

void TestBackfill::specB1NilValuesBecomeZero()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("America/New_York"));
    m_fx->event(a, QStringLiteral("first_response"), {}, {}, 11, 21, 31, QStringLiteral("2026-02-11 15:00:00"));
    const BackfillResult r = backfill(a, QStringLiteral("2026-02-11"), QStringLiteral("2026-02-11"));
    QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
    QCOMPARE(m_fx->rows(a), (QStringList{"2026-02-11|account|1|first_response|1|0|0", "2026-02-11|agent|11|first_response|1|0|0",
                                         "2026-02-11|inbox|21|first_response|1|0|0"}));
    QCOMPARE(r.rowsWritten, 3);
    QCOMPARE(r.eventsRead, 1);
}

void TestBackfill::specB2FailureKeepsOldRows()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("America/New_York"));
    m_fx->rollupRow(a, QStringLiteral("2026-02-11"), QStringLiteral("account"), a, QStringLiteral("first_response"), 7, 700, 350);
    m_fx->event(a, QStringLiteral("first_response"), 100, 50, 11, 21, 31, QStringLiteral("2026-02-11 15:00:00"));
    // The insert fails after the delete ran: the delete must be rolled back.
    m_db->exec(QStringLiteral("CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                              "RAISE EXCEPTION 'injected failure'; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER fail_insert BEFORE INSERT ON reporting_events_rollups FOR EACH ROW EXECUTE FUNCTION fail_insert()"));
    const BackfillResult r = backfill(a, QStringLiteral("2026-02-11"), QStringLiteral("2026-02-11"));
    QCOMPARE(r.outcome, BackfillResult::Outcome::Failed);
    QVERIFY2(r.error.contains(QLatin1String("injected failure")), qPrintable(r.error));
    QCOMPARE(r.failedDays.size(), 1);
    QCOMPARE(m_fx->rows(a), QStringList{"2026-02-11|account|1|first_response|7|700|350"});
}

void TestBackfill::specB3GroupedRows()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("America/New_York"));
    m_fx->event(a, QStringLiteral("first_response"), 100, 60, 11, 21, 31, QStringLiteral("2026-02-11 14:00:00"));
    m_fx->event(a, QStringLiteral("first_response"), 40, 20, 11, 21, 31, QStringLiteral("2026-02-11 15:00:00"));
    m_fx->event(a, QStringLiteral("conversation_resolved"), 200, 80, 12, 22, 32, QStringLiteral("2026-02-11 16:00:00"));
    m_fx->event(a, QStringLiteral("reply_time"), 500, 300, 11, 21, 31, QStringLiteral("2026-02-12 05:00:00")); // 00:00 EST 02-12
    backfill(a, QStringLiteral("2026-02-11"), QStringLiteral("2026-02-11"));
    QCOMPARE(m_fx->rows(a), (QStringList{
                                "2026-02-11|account|1|first_response|2|140|80",
                                "2026-02-11|account|1|resolution_time|1|200|80",
                                "2026-02-11|account|1|resolutions_count|1|0|0",
                                "2026-02-11|agent|11|first_response|2|140|80",
                                "2026-02-11|agent|12|resolution_time|1|200|80",
                                "2026-02-11|agent|12|resolutions_count|1|0|0",
                                "2026-02-11|inbox|21|first_response|2|140|80",
                                "2026-02-11|inbox|22|resolution_time|1|200|80",
                                "2026-02-11|inbox|22|resolutions_count|1|0|0",
                            }));
}

void TestBackfill::specB4DistinctHandoffs()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("America/New_York"));
    const QString h = QStringLiteral("conversation_bot_handoff");
    m_fx->event(a, h, 0, 0, 11, 21, 31, QStringLiteral("2026-02-11 14:00:00"));
    m_fx->event(a, h, 0, 0, 11, 21, 31, QStringLiteral("2026-02-11 15:00:00"));
    m_fx->event(a, h, 0, 0, 11, 21, 33, QStringLiteral("2026-02-11 16:00:00"));
    m_fx->event(a, h, 0, 0, 12, 22, 34, QStringLiteral("2026-02-11 17:00:00"));
    backfill(a, QStringLiteral("2026-02-11"), QStringLiteral("2026-02-11"));
    QCOMPARE(m_fx->rows(a), (QStringList{
                                "2026-02-11|account|1|bot_handoffs_count|3|0|0",
                                "2026-02-11|agent|11|bot_handoffs_count|2|0|0",
                                "2026-02-11|agent|12|bot_handoffs_count|1|0|0",
                                "2026-02-11|inbox|21|bot_handoffs_count|2|0|0",
                                "2026-02-11|inbox|22|bot_handoffs_count|1|0|0",
                            }));
}

void TestBackfill::dataSourceSpecDays()
{
    // Chatwoot's data-source spec (docs/rollups.md §9.1): Etc/UTC account, backfill for 01-06, 01-14, 01-15 — 12 rows a day.
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("Etc/UTC"));
    struct E
    {
        const char *at;
        const char *name;
        double v, bh;
        int user, inbox, conv;
    };
    const E events[] = {
        {"2026-01-06 10:00:00", "first_response", 20, 10, 1, 1, 1},
        {"2026-01-06 11:00:00", "reply_time", 10, 5, 1, 1, 1},
        {"2026-01-06 12:00:00", "conversation_resolved", 100, 80, 1, 1, 1},
        {"2026-01-14 10:00:00", "first_response", 40, 30, 1, 1, 2},
        {"2026-01-14 11:00:00", "reply_time", 30, 20, 1, 1, 2},
        {"2026-01-14 12:00:00", "conversation_resolved", 200, 150, 1, 1, 2},
        {"2026-01-15 10:00:00", "first_response", 60, 50, 2, 2, 3},
        {"2026-01-15 11:00:00", "reply_time", 50, 40, 2, 2, 3},
        {"2026-01-15 12:00:00", "conversation_resolved", 300, 250, 2, 2, 3},
    };
    for (const E &e : events)
        m_fx->event(a, QString::fromLatin1(e.name), e.v, e.bh, e.user, e.inbox, e.conv, QString::fromLatin1(e.at));
    // Non-contiguous days through the explicit-days path (like "retry failed days").
    BackfillRequest request;
    request.accountId = a;
    request.days = {*parseLocalDate(QStringLiteral("2026-01-15")), *parseLocalDate(QStringLiteral("2026-01-06")),
                    *parseLocalDate(QStringLiteral("2026-01-14"))};
    const BackfillPlan plan = BackfillPlanner::plan(m_db->connection(), request, instant(QStringLiteral("2026-11-29 12:00:00")));
    QCOMPARE(plan.windows.size(), 3);
    const BackfillResult r = BackfillEngine::run(JobContext(m_db->settings()), m_db->connection(), plan, {}, 7);
    QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
    QCOMPARE(r.rowsWritten, 36);
    for (const QString &day : {QStringLiteral("2026-01-06"), QStringLiteral("2026-01-14"), QStringLiteral("2026-01-15")})
        QCOMPARE(m_fx->rows(a, QStringLiteral("AND date = '%1'").arg(day)).size(), 12);
    // The spec's reads: avg first response over 01-14..01-15 = (40+60)/2 = 50, business hours 40.
    QSqlQuery q = m_db->connection().run(
        QStringLiteral("SELECT sum(sum_value)/sum(count), sum(sum_value_business_hours)/sum(count) FROM reporting_events_rollups "
                       "WHERE account_id = ? AND dimension_type = 'account' AND metric = 'first_response' AND date BETWEEN "
                       "'2026-01-14' AND '2026-01-15'"),
        {a});
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toDouble(), 50.0);
    QCOMPARE(q.value(1).toDouble(), 40.0);
    // Summary by inbox I1 over the range: resolved 2, avg resolution 150, avg frt 30, avg reply 20.
    QCOMPARE(m_fx->rows(a, QStringLiteral("AND dimension_type = 'inbox' AND dimension_id = 1 AND metric = 'resolution_time'")),
             (QStringList{"2026-01-06|inbox|1|resolution_time|1|100|80", "2026-01-14|inbox|1|resolution_time|1|200|150"}));
}

void TestBackfill::dstEdges_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("day");
    QTest::newRow("sao_paulo-gap") << "America/Sao_Paulo"
                                   << "2018-11-04";
    QTest::newRow("sao_paulo-25h") << "America/Sao_Paulo"
                                   << "2019-02-16";
    QTest::newRow("santiago-gap") << "America/Santiago"
                                  << "2024-09-08";
    QTest::newRow("new_york-fall") << "America/New_York"
                                   << "2026-11-01";
    QTest::newRow("havana-ambiguous") << "America/Havana"
                                      << "2024-11-03";
    QTest::newRow("lord_howe") << "Australia/Lord_Howe"
                               << "2026-04-05";
}

void TestBackfill::dstEdges()
{
    // Events exactly at start(D) and one microsecond before start(D+1) belong to D; one
    // microsecond before start(D) belongs to D-1; start(D+1) belongs to D+1.
    QFETCH(QString, zone);
    QFETCH(QString, day);
    const qint64 a = m_fx->accountWithZone(1, zone);
    const ZoneResolution z = ZoneResolver::resolveName(zone);
    const date::local_days d = *parseLocalDate(day);
    const DayWindow w = DayWindows::window(z.zone, d);
    const auto micro = std::chrono::microseconds{1};
    m_fx->event(a, QStringLiteral("first_response"), 1, 1, 11, 21, 31, formatUtcMicros(SysMicros{w.start} - micro));
    m_fx->event(a, QStringLiteral("first_response"), 10, 10, 11, 21, 31, formatUtcMicros(SysMicros{w.start}));
    m_fx->event(a, QStringLiteral("first_response"), 100, 100, 11, 21, 31, formatUtcMicros(SysMicros{w.end} - micro));
    m_fx->event(a, QStringLiteral("first_response"), 1000, 1000, 11, 21, 31, formatUtcMicros(SysMicros{w.end}));
    const QString prev = formatLocalDate(d - date::days{1});
    const QString next = formatLocalDate(d + date::days{1});
    backfill(a, prev, next);
    QCOMPARE(m_fx->rows(a, QStringLiteral("AND dimension_type = 'account'")),
             (QStringList{QStringLiteral("%1|account|1|first_response|1|1|1").arg(prev),
                          QStringLiteral("%1|account|1|first_response|2|110|110").arg(day),
                          QStringLiteral("%1|account|1|first_response|1|1000|1000").arg(next)}));
}

void TestBackfill::nullDimensionsAndValues()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("Asia/Kolkata"));
    m_fx->event(a, QStringLiteral("reply_time"), 10, {}, {}, 21, 31, QStringLiteral("2026-03-01 06:00:00")); // no user
    m_fx->event(a, QStringLiteral("reply_time"), {}, 5, 11, {}, 31,
                QStringLiteral("2026-03-01 07:00:00")); // no inbox, NULL value
    m_fx->event(a, QStringLiteral("reply_time"), 20, 8, 11, 21, {}, QStringLiteral("2026-03-01 08:00:00")); // no conversation
    m_fx->event(a, QStringLiteral("conversation_opened"), 99, 99, 11, 21, 31,
                QStringLiteral("2026-03-01 09:00:00")); // unsupported
    m_fx->event(a, QStringLiteral("conversation_bot_resolved"), 5, 5, {}, {}, {}, QStringLiteral("2026-03-01 10:00:00"));
    backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-01"));
    QCOMPARE(m_fx->rows(a), (QStringList{
                                "2026-03-01|account|1|bot_resolutions_count|1|0|0",
                                "2026-03-01|account|1|reply_time|3|30|13",
                                "2026-03-01|agent|11|reply_time|2|20|13",
                                "2026-03-01|inbox|21|reply_time|2|30|8",
                            }));
}

void TestBackfill::handoffsDuplicatedAcrossDays()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    const QString h = QStringLiteral("conversation_bot_handoff");
    m_fx->event(a, h, 1, 1, 11, 21, 31, QStringLiteral("2026-03-01 06:00:00"));
    m_fx->event(a, h, 1, 1, 11, 21, 31, QStringLiteral("2026-03-01 07:00:00")); // duplicate same day
    m_fx->event(a, h, 1, 1, 11, 21, 31, QStringLiteral("2026-03-02 07:00:00")); // same conversation next day
    m_fx->event(a, h, 1, 1, 12, 22, {}, QStringLiteral("2026-03-02 08:00:00")); // NULL conversation only
    backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-02"));
    QCOMPARE(m_fx->rows(a), (QStringList{
                                "2026-03-01|account|1|bot_handoffs_count|1|0|0",
                                "2026-03-01|agent|11|bot_handoffs_count|1|0|0",
                                "2026-03-01|inbox|21|bot_handoffs_count|1|0|0",
                                "2026-03-02|account|1|bot_handoffs_count|1|0|0",
                                "2026-03-02|agent|11|bot_handoffs_count|1|0|0",
                                "2026-03-02|agent|12|bot_handoffs_count|0|0|0",
                                "2026-03-02|inbox|21|bot_handoffs_count|1|0|0",
                                "2026-03-02|inbox|22|bot_handoffs_count|0|0|0",
                            }));
}

void TestBackfill::replaceScopeStaleTeamOtherAccounts()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    const qint64 other = m_fx->accountWithZone(2, QStringLiteral("UTC"));
    m_fx->event(a, QStringLiteral("first_response"), 5, 5, 11, 21, 31, QStringLiteral("2026-03-02 10:00:00"));
    m_fx->rollupRow(a, QStringLiteral("2026-03-01"), QStringLiteral("agent"), 99, QStringLiteral("reply_time"), 4, 4,
                    4); // stale, empty day
    m_fx->rollupRow(a, QStringLiteral("2026-03-02"), QStringLiteral("team"), 7, QStringLiteral("first_response"), 1, 5,
                    5); // legacy team
    m_fx->rollupRow(a, QStringLiteral("2026-02-28"), QStringLiteral("team"), 7, QStringLiteral("first_response"), 1, 5,
                    5); // outside
    m_fx->rollupRow(a, QStringLiteral("2026-03-04"), QStringLiteral("agent"), 99, QStringLiteral("reply_time"), 4, 4,
                    4); // outside
    m_fx->rollupRow(other, QStringLiteral("2026-03-02"), QStringLiteral("account"), other, QStringLiteral("first_response"), 9, 9,
                    9);
    const BackfillResult r = backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-03"));
    QCOMPARE(r.rowsDeleted, 2);
    QCOMPARE(r.doneDays.size(), 3);
    QCOMPARE(m_fx->rows(a), (QStringList{
                                "2026-02-28|team|7|first_response|1|5|5",
                                "2026-03-02|account|1|first_response|1|5|5",
                                "2026-03-02|agent|11|first_response|1|5|5",
                                "2026-03-02|inbox|21|first_response|1|5|5",
                                "2026-03-04|agent|99|reply_time|4|4|4",
                            }));
    QCOMPARE(m_fx->rows(other), QStringList{"2026-03-02|account|2|first_response|9|9|9"});
}

QStringList TestBackfill::referenceRows(qint64 account, const QList<DayWindow> &windows)
{
    // Chatwoot's per-day, per-dimension SQL (Chatwoot's BackfillService), one day at a time.
    QStringList expected;
    for (const DayWindow &w : windows) {
        const QVariantList range = {account, formatUtcMicros(SysMicros{w.start}), formatUtcMicros(SysMicros{w.end})};
        for (const QString &col : {QString(), QStringLiteral("user_id"), QStringLiteral("inbox_id")}) {
            const QString type = col.isEmpty()                     ? QStringLiteral("account")
                                 : col == QLatin1String("user_id") ? QStringLiteral("agent")
                                                                   : QStringLiteral("inbox");
            const QString idExpr = col.isEmpty() ? QString::number(account) : col;
            const QString group = col.isEmpty() ? QStringLiteral("name") : QStringLiteral("name, ") + col;
            const QString notNull = col.isEmpty() ? QString() : QStringLiteral(" AND %1 IS NOT NULL").arg(col);
            QSqlQuery s = m_db->connection().run(
                QStringLiteral(
                    "SELECT name, %1, COUNT(*), COALESCE(SUM(value),0), COALESCE(SUM(value_in_business_hours),0) FROM "
                    "reporting_events "
                    "WHERE account_id = ? AND created_at >= ?::timestamp AND created_at < ?::timestamp "
                    "AND name IN ('conversation_resolved','first_response','reply_time','conversation_bot_resolved')%2 GROUP BY "
                    "%3")
                    .arg(idExpr, notNull, group),
                range);
            while (s.next()) {
                const QString name = s.value(0).toString();
                const QString id = s.value(1).toString();
                auto add = [&](const QString &metric, bool duration) {
                    expected << QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
                                    .arg(formatLocalDate(w.day), type, id, metric, s.value(2).toString(),
                                         Fixtures::sumText(duration ? s.value(3).toDouble() : 0.0),
                                         Fixtures::sumText(duration ? s.value(4).toDouble() : 0.0));
                };
                if (name == QLatin1String("conversation_resolved")) {
                    add(QStringLiteral("resolutions_count"), false);
                    add(QStringLiteral("resolution_time"), true);
                } else if (name == QLatin1String("conversation_bot_resolved")) {
                    add(QStringLiteral("bot_resolutions_count"), false);
                } else {
                    add(name, true);
                }
            }
            QSqlQuery d = m_db->connection().run(
                QStringLiteral("SELECT %1, COUNT(DISTINCT conversation_id) FROM reporting_events WHERE account_id = ? AND "
                               "created_at >= ?::timestamp "
                               "AND created_at < ?::timestamp AND name = 'conversation_bot_handoff'%2 GROUP BY %3")
                    .arg(idExpr, notNull, group),
                range);
            while (d.next())
                expected << QStringLiteral("%1|%2|%3|bot_handoffs_count|%4|0|0")
                                .arg(formatLocalDate(w.day), type, d.value(0).toString(), d.value(1).toString());
        }
    }
    expected.sort();
    return expected;
}

// Generated events over [from, from + days), a fifth of them on or just before an hour or
// half-hour edge (where days start): names, NULL values,
// users, inboxes and conversations vary; accounts 1 and 2 alternate.
void TestBackfill::generateEvents(const QString &from, int days, int count)
{
    m_db->exec(
        QStringLiteral(
            "INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, conversation_id, "
            "created_at, updated_at) "
            "SELECT "
            "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','conversation_bot_handoff',"
            "'conversation_opened'])[1 + (i / 2) % 6], "
            "CASE WHEN i % 17 = 0 THEN NULL ELSE (i % 1000) * 1.25 END, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 700) * 0.5 END, "
            "1 + i % 2, CASE WHEN i % 13 = 0 THEN NULL ELSE 100 + (i / 2) % 7 END, CASE WHEN i % 29 = 0 THEN NULL ELSE 200 + (i "
            "/ 2) % 3 END, "
            "CASE WHEN i % 31 = 0 THEN NULL ELSE 1000 + i % 97 END, "
            "CASE WHEN i % 5 = 0 THEN date_trunc('hour', t) + ((i / 10) % 2) * interval '30 minutes' - (i % 3) * interval '1 "
            "microsecond' "
            "ELSE t END, now() "
            "FROM (SELECT i, ?::timestamp + (i::bigint * 397 % (?::bigint * 86400)) * interval '1 second' "
            "+ (i % 1000) * interval '1 microsecond' AS t FROM generate_series(1, ?::int) AS i) g"),
        {from, days, count});
}

void TestBackfill::matchesPerDayReference()
{
    // A few thousand generated events around New York's DST switch; expected rows from the
    // Chatwoot's per-day SQL.
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("America/New_York"));
    m_fx->accountWithZone(2, QStringLiteral("America/New_York"));
    generateEvents(QStringLiteral("2026-03-05 00:00:00"), 13, 6000);
    m_fx->rollupRow(a, QStringLiteral("2026-03-08"), QStringLiteral("team"), 1, QStringLiteral("first_response"), 1, 1, 1);
    const ZoneResolution z = ZoneResolver::resolveName(QStringLiteral("America/New_York"));
    const QList<DayWindow> windows = DayWindows::windows(z.zone, *parseLocalDate(QStringLiteral("2026-03-04")),
                                                         *parseLocalDate(QStringLiteral("2026-03-18")));
    // The range's own edges: its first and last instant are in it, the instants just outside
    // it (1 µs before its start, its end) are not, whichever way the chunk at that end is bucketed.
    const auto micro = std::chrono::microseconds{1};
    for (const SysMicros at : {SysMicros{windows.first().start} - micro, SysMicros{windows.first().start},
                               SysMicros{windows.last().end} - micro, SysMicros{windows.last().end}})
        m_fx->event(a, QStringLiteral("reply_time"), 7, 3, 105, 201, 1001, formatUtcMicros(at));
    const QStringList expected = referenceRows(a, windows);
    QVERIFY(expected.size() > 300);
    const BackfillResult r = backfill(a, QStringLiteral("2026-03-04"), QStringLiteral("2026-03-18"), 2);
    QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
    QStringList got = m_fx->rows(a);
    got.sort();
    QCOMPARE(got, expected);
    QCOMPARE(r.rowsWritten, expected.size());
    QCOMPARE(m_fx->rows(2).size(), 0);
}

void TestBackfill::bothBucketingsMatchReference_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("from");
    QTest::newRow("new_york-fall") << "America/New_York"
                                   << "2026-10-20";
    QTest::newRow("new_york-spring") << "America/New_York"
                                     << "2026-02-28";
    QTest::newRow("lord_howe-30min") << "Australia/Lord_Howe"
                                     << "2026-03-25";
    QTest::newRow("sao_paulo-midnight-gap") << "America/Sao_Paulo"
                                            << "2018-10-24";
    QTest::newRow("havana-midnight-overlap") << "America/Havana"
                                             << "2024-10-24";
    QTest::newRow("apia-skipped-day") << "Pacific/Apia"
                                      << "2011-12-20";
    QTest::newRow("kolkata-no-dst") << "Asia/Kolkata"
                                    << "2026-01-01";
}

void TestBackfill::bothBucketingsMatchReference()
{
    // The server buckets a chunk by a single shift where the days allow it and by boundaries
    // elsewhere (RollupSql). Over 25 days around a transition: a contiguous run (long shift
    // chunks either side of the transition) and the same days written scattered (every other
    // day, boundaries only) both give the reference rows exactly.
    QFETCH(QString, zone);
    QFETCH(QString, from);
    const qint64 a = m_fx->accountWithZone(1, zone);
    m_fx->accountWithZone(2, zone);
    const ZoneResolution z = ZoneResolver::resolveName(zone);
    const date::local_days first = *parseLocalDate(from);
    const QList<DayWindow> windows = DayWindows::windows(z.zone, first, first + date::days{24});
    generateEvents(formatUtcMicros(SysMicros{windows.first().start} - std::chrono::hours{2}).left(19), 26, 20000);
    const QStringList expected = referenceRows(a, windows);
    QVERIFY2(expected.size() > 1000, qPrintable(QString::number(expected.size())));
    int shiftChunks = 0; // the engine's chunks (at most 25 days) that the server buckets by shift
    for (qsizetype i = 0; i < windows.size();) {
        const qsizetype n = DayWindows::nextChunk(windows, i, 25);
        shiftChunks += DayWindows::commonShift(windows.mid(i, n)) ? 1 : 0;
        i += n;
    }
    QVERIFY(shiftChunks >= 1);

    const BackfillResult r
        = backfill(a, formatLocalDate(windows.first().day), formatLocalDate(windows.last().day), 25, nullptr, {}, 1);
    QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
    QStringList contiguous = m_fx->rows(a);
    contiguous.sort();
    QCOMPARE(contiguous, expected);

    m_db->exec(QStringLiteral("DELETE FROM reporting_events_rollups"));
    QList<DayWindow> odd, even;
    for (qsizetype i = 0; i < windows.size(); ++i)
        (i % 2 ? odd : even).append(windows.at(i));
    QVERIFY(!DayWindows::commonShift(odd) && !DayWindows::commonShift(even));
    RollupWriter writer(m_db->connection());
    writer.replaceDays(a, odd);
    writer.replaceDays(a, even);
    QStringList scattered = m_fx->rows(a);
    scattered.sort();
    QCOMPARE(scattered, expected);
    QCOMPARE(m_fx->rows(2).size(), 0);
}

void TestBackfill::idempotent()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("America/Santiago"));
    for (int i = 0; i < 50; ++i)
        m_fx->event(a, i % 2 ? QStringLiteral("reply_time") : QStringLiteral("conversation_bot_handoff"), i, i / 2.0, 10 + i % 3,
                    20 + i % 2, 30 + i % 5,
                    QStringLiteral("2024-09-0%1 %2:15:00").arg(6 + i % 4).arg(i % 24, 2, 10, QLatin1Char('0')));
    backfill(a, QStringLiteral("2024-09-05"), QStringLiteral("2024-09-10"), 1);
    const QStringList first = m_fx->rows(a);
    QVERIFY(!first.isEmpty());
    const BackfillResult again = backfill(a, QStringLiteral("2024-09-05"), QStringLiteral("2024-09-10"), 3);
    QCOMPARE(m_fx->rows(a), first);
    QCOMPARE(again.rowsDeleted, first.size());
    QCOMPARE(again.rowsWritten, first.size());
}

void TestBackfill::failureMidRunKeepsChunkOldRows()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    for (int d = 1; d <= 10; ++d) {
        const QString day = QStringLiteral("2026-03-%1").arg(d, 2, 10, QLatin1Char('0'));
        m_fx->event(a, QStringLiteral("first_response"), d, d, 11, 21, 31, day + QStringLiteral(" 12:00:00"));
        m_fx->rollupRow(a, day, QStringLiteral("account"), a, QStringLiteral("first_response"), 100, 100, 100); // old, wrong
    }
    m_db->exec(QStringLiteral(
        "CREATE FUNCTION fail_on_day() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.date = DATE '2026-03-06' THEN RAISE EXCEPTION 'injected failure on %', NEW.date; END IF; RETURN NEW; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER fail_on_day BEFORE INSERT ON reporting_events_rollups FOR EACH ROW EXECUTE FUNCTION fail_on_day()"));
    const BackfillResult r = backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-10"), 2);
    QCOMPARE(r.outcome, BackfillResult::Outcome::Failed);
    QVERIFY(r.failedDays.contains(*parseLocalDate(QStringLiteral("2026-03-06"))));
    QVERIFY(!r.doneDays.isEmpty());
    // Every day holds all old rows or all new rows; the failed chunk's days keep their old rows.
    for (int d = 1; d <= 10; ++d) {
        const date::local_days day = *parseLocalDate(QStringLiteral("2026-03-%1").arg(d, 2, 10, QLatin1Char('0')));
        const QStringList rows = m_fx->rows(a, QStringLiteral("AND date = '%1'").arg(formatLocalDate(day)));
        bool done = false;
        for (const DayWrite &w : r.doneDays)
            done = done || w.day == day;
        if (done) {
            QCOMPARE(rows.size(), 3);
            QVERIFY(rows.first().endsWith(QStringLiteral("|1|%1|%1").arg(d)));
        } else {
            QCOMPARE(rows, QStringList{QStringLiteral("%1|account|1|first_response|100|100|100").arg(formatLocalDate(day))});
        }
    }
    QCOMPARE(r.doneDays.size() + r.failedDays.size() + r.pendingDays.size(), 10);
}

void TestBackfill::liveRowBetweenDeleteAndInsert()
{
    // Chatwoot's live path inserting a row of a day between the chunk's DELETE and INSERT
    // (here: a trigger right after the DELETE) makes the plain INSERT fail on the unique key;
    // the chunk is redone like insert_all (ON CONFLICT DO NOTHING): the live row stays, the
    // other rows are written, and the counts and the result's liveTouchedDays say so.
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    for (int d = 1; d <= 3; ++d)
        m_fx->event(a, QStringLiteral("first_response"), d, d, 11, 21, 31, QStringLiteral("2026-03-0%1 12:00:00").arg(d));
    m_db->exec(
        QStringLiteral("CREATE FUNCTION live_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
                       "sum_value, sum_value_business_hours, created_at, updated_at) VALUES (1, DATE '2026-03-02', 'account', 1, "
                       "'first_response', 42, 42, 42, now(), now()) ON CONFLICT DO NOTHING; RETURN NULL; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER live_row AFTER DELETE ON reporting_events_rollups FOR EACH STATEMENT EXECUTE FUNCTION live_row()"));
    const BackfillResult r = backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-03"), 3);
    m_db->exec(QStringLiteral("DROP TRIGGER live_row ON reporting_events_rollups"));
    m_db->exec(QStringLiteral("DROP FUNCTION live_row()"));
    QVERIFY2(r.outcome == BackfillResult::Outcome::Completed, qPrintable(r.error));
    QCOMPARE(m_fx->rows(a, QStringLiteral("AND date = '2026-03-02'")),
             (QStringList{"2026-03-02|account|1|first_response|42|42|42", "2026-03-02|agent|11|first_response|1|2|2",
                          "2026-03-02|inbox|21|first_response|1|2|2"}));
    QCOMPARE(m_fx->rows(a, QStringLiteral("AND date = '2026-03-03'")),
             (QStringList{"2026-03-03|account|1|first_response|1|3|3", "2026-03-03|agent|11|first_response|1|3|3",
                          "2026-03-03|inbox|21|first_response|1|3|3"}));
    QCOMPARE(r.doneDays.size(), 3);
    QCOMPARE(r.doneDays.at(1).rowsWritten, 2);
    QCOMPARE(r.doneDays.at(2).rowsWritten, 3);
    QCOMPARE(r.rowsWritten, 8);
    QCOMPARE(r.eventsRead, 3);
    // The day whose backfill row the live row displaced is reported, the others are exact.
    QCOMPARE(r.liveTouchedDays, QList<date::local_days>{*parseLocalDate(QStringLiteral("2026-03-02"))});
    // The chunk's transaction ran twice, and the summary says so.
    QCOMPARE(r.reruns, 1);
    // (no translator here: the English plural form comes with the CLI's and the GUI's catalogue)
    QVERIFY2(r.summary().contains(QRegularExpression(QStringLiteral(", 1 chunk(\\(s\\))? ran again after colliding with live writes$"))),
             qPrintable(r.summary()));
}

void TestBackfill::liveUpdateOfWrittenDayIsNamed()
{
    // Chatwoot's live path updates a row of a day after the chunk that wrote the day committed
    // (ON CONFLICT … DO UPDATE): the day keeps its number of rows, only a row's values and the
    // transaction that wrote it change. The backfill names that day (liveTouchedDays) and no other.
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    for (int d = 1; d <= 6; ++d)
        m_fx->event(a, QStringLiteral("first_response"), d, d, 11, 21, 31, QStringLiteral("2026-03-0%1 12:00:00").arg(d));
    const date::local_days touched = *parseLocalDate(QStringLiteral("2026-03-02"));
    // One worker: it runs on this thread, so the progress callback (after each chunk's commit)
    // may use a connection opened here.
    Connection live(m_db->settings());
    bool updated = false;
    const BackfillResult r = backfill(
        a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-06"), 1, {},
        [&](const BackfillProgress &p) {
            for (const DayWrite &w : p.chunkDays)
                if (w.day == touched && !updated) {
                    live.run(
                        QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, "
                                       "metric, count, sum_value, sum_value_business_hours, created_at, updated_at) "
                                       "VALUES (?, ?::date, 'account', ?, 'first_response', 1, 5, 5, now(), now()) "
                                       "ON CONFLICT (account_id, date, dimension_type, dimension_id, metric) DO UPDATE SET "
                                       "count = reporting_events_rollups.count + EXCLUDED.count, "
                                       "sum_value = reporting_events_rollups.sum_value + EXCLUDED.sum_value, "
                                       "sum_value_business_hours = reporting_events_rollups.sum_value_business_hours "
                                       "+ EXCLUDED.sum_value_business_hours, updated_at = EXCLUDED.updated_at"),
                        {a, formatLocalDate(touched), a});
                    updated = true;
                }
        },
        1);
    QVERIFY2(r.outcome == BackfillResult::Outcome::Completed, qPrintable(r.error));
    QVERIFY(updated);
    QCOMPARE(m_fx->rows(a, QStringLiteral("AND date = '2026-03-02'")).size(), 3); // as many rows as the chunk wrote
    QCOMPARE(r.liveTouchedDays, QList<date::local_days>{touched});
}

void TestBackfill::lockContention()
{
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    m_fx->event(a, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-01 12:00:00"));
    Connection holder(m_db->settings());
    holder.run(QStringLiteral("SELECT pg_advisory_lock(?::int, ?::int)"), {RollupWriter::kLockClass, a});
    QElapsedTimer t;
    t.start();
    try {
        backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-01"));
        QFAIL("a second backfill of the same account must be refused");
    } catch (const PlanError &e) {
        QVERIFY2(e.message().contains(QStringLiteral("pid %1").arg(holder.backendPid())), qPrintable(e.message()));
        QVERIFY(e.message().contains(QLatin1String("rollup-console")));
    }
    QVERIFY(t.elapsed() < 2000); // refused at once, not after waiting
    QCOMPARE(m_fx->rows(a).size(), 0);
    // Another account is not blocked.
    const qint64 b = m_fx->accountWithZone(2, QStringLiteral("UTC"));
    m_fx->event(b, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-01 12:00:00"));
    QCOMPARE(backfill(b, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-01")).outcome, BackfillResult::Outcome::Completed);
    holder.run(QStringLiteral("SELECT pg_advisory_unlock(?::int, ?::int)"), {RollupWriter::kLockClass, a});
    QCOMPARE(backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-01")).outcome, BackfillResult::Outcome::Completed);
}

void TestBackfill::cancelBetweenChunks()
{
    // 60 days; chunks grow 1, 4, 16, 64 days, so a cancel after the second report always
    // leaves days that were never handed out.
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    const date::local_days first = *parseLocalDate(QStringLiteral("2026-01-01"));
    for (int d = 0; d < 60; ++d) {
        const QString day = formatLocalDate(first + date::days{d});
        m_fx->event(a, QStringLiteral("first_response"), d, d, 11, 21, 31, day + QStringLiteral(" 12:00:00"));
        m_fx->rollupRow(a, day, QStringLiteral("account"), a, QStringLiteral("first_response"), 100, 100, 100);
    }
    auto rowsOn = [this, a](date::local_days d) {
        return m_fx->rows(a, QStringLiteral("AND date = '%1'").arg(formatLocalDate(d))).size();
    };
    auto cancel = std::make_shared<CancelToken>();
    int reports = 0;
    const BackfillResult r = backfill(
        a, QStringLiteral("2026-01-01"), QStringLiteral("2026-03-01"), 1, cancel,
        [&](const BackfillProgress &) {
            if (++reports == 2)
                cancel->cancel();
        },
        1);
    QCOMPARE(r.outcome, BackfillResult::Outcome::Cancelled);
    QVERIFY(reports >= 2);
    QVERIFY(r.doneDays.size() >= 5 && r.doneDays.size() < 60);
    QVERIFY(!r.pendingDays.isEmpty());
    QCOMPARE(r.doneDays.size() + r.pendingDays.size(), 60);
    for (const DayWrite &w : r.doneDays)
        QCOMPARE(rowsOn(w.day), 3);
    for (date::local_days d : r.pendingDays)
        QCOMPARE(rowsOn(d), 1);

    // Two workers: whatever was in flight, every day is wholly old or wholly new.
    auto cancel2 = std::make_shared<CancelToken>();
    int reports2 = 0;
    const BackfillResult r2 = backfill(
        a, QStringLiteral("2026-01-01"), QStringLiteral("2026-03-01"), 1, cancel2,
        [&](const BackfillProgress &) {
            if (++reports2 == 1)
                cancel2->cancel();
        },
        2);
    QCOMPARE(r2.doneDays.size() + r2.pendingDays.size(), 60);
    for (const DayWrite &w : r2.doneDays)
        QCOMPARE(rowsOn(w.day), 3);
    for (date::local_days d : r2.pendingDays) {
        const auto n = rowsOn(d);
        QVERIFY(n == 1 || n == 3); // old (1 row) or new from the first run (3 rows), never empty or mixed
    }
}

void TestBackfill::cancelStatementInFlight()
{
    // A trigger makes every insert take 30 s. Two days, two workers: each worker's chunk is one
    // day, so both workers' statements (the engine's own connection and the second worker's) are
    // in flight when the cancel comes; it must stop both on the server within seconds.
    const qint64 a = m_fx->accountWithZone(1, QStringLiteral("UTC"));
    for (const QString &day : {QStringLiteral("2026-03-01"), QStringLiteral("2026-03-02")}) {
        m_fx->event(a, QStringLiteral("first_response"), 1, 1, 11, 21, 31, day + QStringLiteral(" 12:00:00"));
        m_fx->rollupRow(a, day, QStringLiteral("account"), a, QStringLiteral("first_response"), 100, 100, 100);
    }
    m_db->exec(QStringLiteral(
        "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER slow_insert BEFORE INSERT ON reporting_events_rollups FOR EACH ROW EXECUTE FUNCTION slow_insert()"));
    auto cancel = std::make_shared<CancelToken>();
    const ConnectionSettings settings = m_db->settings();
    std::atomic<qint64> sleeping{0};
    const auto nowMs = []() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
    std::atomic<qint64> cancelledAt{0};
    std::thread canceller([&]() {
        // Once both inserts sleep in the trigger (or after 20 s at most), cancel.
        Connection watch(settings);
        for (int i = 0; i < 400 && sleeping.load() < 2; ++i) {
            QSqlQuery q = watch.run(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                                   "AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()"));
            sleeping.store(q.next() ? q.value(0).toLongLong() : 0);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        cancelledAt.store(nowMs());
        cancel->cancel();
    });
    const BackfillResult r = backfill(a, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-02"), 1, cancel, {}, 2);
    const qint64 returnedAt = nowMs();
    canceller.join();
    const qint64 afterCancel = returnedAt - cancelledAt.load();
    QCOMPARE(sleeping.load(), 2); // both statements were in flight
    QVERIFY2(afterCancel < 5000, qPrintable(QString::number(afterCancel)));
    QCOMPARE(r.outcome, BackfillResult::Outcome::Cancelled);
    QCOMPARE(r.pendingDays.size(), 2);
    QCOMPARE(m_fx->rows(a),
             (QStringList{"2026-03-01|account|1|first_response|100|100|100", "2026-03-02|account|1|first_response|100|100|100"}));
}

void TestBackfill::refusals_data()
{
    QTest::addColumn<QString>("settings");
    QTest::addColumn<qint64>("account");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown-account") << "{\"reporting_timezone\": \"UTC\"}" << qint64(42) << ""
                                     << ""
                                     << "account 42 not found";
    QTest::newRow("negative") << "{\"reporting_timezone\": \"UTC\"}" << qint64(-1) << ""
                              << ""
                              << "out of range";
    QTest::newRow("no-zone") << "{}" << qint64(1) << ""
                             << ""
                             << "has no reporting_timezone";
    QTest::newRow("null-settings") << "NULL" << qint64(1) << ""
                                   << ""
                                   << "has no reporting_timezone";
    QTest::newRow("json-null") << "{\"reporting_timezone\": null}" << qint64(1) << ""
                               << ""
                               << "has no reporting_timezone";
    QTest::newRow("empty") << "{\"reporting_timezone\": \"\"}" << qint64(1) << ""
                           << ""
                           << "has no reporting_timezone";
    QTest::newRow("blank") << "{\"reporting_timezone\": \"  \"}" << qint64(1) << ""
                           << ""
                           << "has no reporting_timezone";
    QTest::newRow("wrong-case") << "{\"reporting_timezone\": \"america/new_york\"}" << qint64(1) << ""
                                << ""
                                << "'america/new_york' has the wrong case";
    QTest::newRow("unknown-zone") << "{\"reporting_timezone\": \"Mars/Olympus\"}" << qint64(1) << ""
                                  << ""
                                  << "'Mars/Olympus'";
    QTest::newRow("number") << "{\"reporting_timezone\": 5}" << qint64(1) << ""
                            << ""
                            << "not a string";
    QTest::newRow("long") << QStringLiteral("{\"reporting_timezone\": \"%1\"}").arg(QString(500, QLatin1Char('x'))) << qint64(1)
                          << ""
                          << ""
                          << "invalid reporting_timezone";
    QTest::newRow("from-after-to") << "{\"reporting_timezone\": \"UTC\"}" << qint64(1) << "2026-03-02"
                                   << "2026-03-01"
                                   << "is after";
    QTest::newRow("feb-30") << "{\"reporting_timezone\": \"UTC\"}" << qint64(1) << "2024-02-30"
                            << "2024-03-01"
                            << "impossible date";
}

void TestBackfill::refusals()
{
    QFETCH(QString, settings);
    QFETCH(qint64, account);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    m_fx->account(1, QStringLiteral("Refused"), settings);
    m_fx->event(1, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-01 12:00:00"));
    m_fx->rollupRow(1, QStringLiteral("2026-03-01"), QStringLiteral("account"), 1, QStringLiteral("first_response"), 100, 100,
                    100);
    try {
        backfill(account, from, to);
        QFAIL("expected a refusal");
    } catch (const PlanError &e) {
        QVERIFY2(e.message().contains(message), qPrintable(e.message()));
        QVERIFY(!e.message().contains(QLatin1Char('\n')));
    }
    QCOMPARE(m_fx->rows(1), QStringList{"2026-03-01|account|1|first_response|100|100|100"});
}

QTEST_GUILESS_MAIN(TestBackfill)
#include "tst_backfill.moc"
