#include "fixtures.h"
#include "jobs/job.h"

#include "jobs/verifyengine.h"
#include "ui/backfillmonitor.h"
#include "ui/backfillview.h"
#include "ui/calendargrid.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace rollup;
using DayState = BackfillMonitor::DayState;

// The backfill view driven like a user would, offscreen, against a real PostgreSQL: plan,
// dry run, modes, confirmation, run, cancel, retry; the database is checked afterwards. The
// last two tests run a backfill of >= 200,000 generated events: a report after every chunk,
// and the GUI thread's event loop timed meanwhile.
class TestBackfillView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void completeBackfill();
    void dryRunAndModes();
    void longRangeNeedsAccountId();
    void zoneProblemOffersEditor();
    void cancelMidwayGridMatchesDatabase();
    void retryFailedDays();
    void destroyDuringRun();
    void progressAfterEveryChunk();
    void guiThreadNeverBlocked();

private:
    static void generate(TestDatabase &db, qint64 account, const QString &startUtc, int days, int events);
    static void markDays(TestDatabase &db, qint64 account, const QString &from, const QString &to);
    static QStringList markedDays(TestDatabase &db, qint64 account);
    static bool openPlan(BackfillView &view, qint64 account);
    static std::optional<BackfillResult> start(BackfillView &view, int timeoutMs = 60000);
    template <typename T> static T *child(BackfillView &view, const char *name)
    {
        return view.findChild<T *>(QString::fromLatin1(name));
    }
    static date::local_days day(const QString &text) { return *parseLocalDate(text); }
    static QStringList texts(const QList<date::local_days> &days)
    {
        QStringList out;
        for (date::local_days d : days)
            out << formatLocalDate(d);
        return out;
    }
    std::unique_ptr<TestDatabase> m_big; // >= 200,000 events, shared by the timing tests
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<Fixtures> m_fx;
};

void TestBackfillView::generate(TestDatabase &db, qint64 account, const QString &startUtc, int days, int events)
{
    db.exec(
        QStringLiteral(
            "INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, conversation_id, "
            "created_at, updated_at) "
            "SELECT "
            "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','conversation_bot_handoff']"
            ")[1 + i % 5], "
            "(i % 1000) * 1.25, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 700) * 0.5 END, ?, "
            "CASE WHEN i % 13 = 0 THEN NULL ELSE 100 + i % 9 END, 200 + i % 4, 1000 + i % 997, "
            "?::timestamp + (i::bigint * ?::bigint / ?::bigint) * interval '1 second', now() "
            "FROM generate_series(0, ?::int - 1) AS i"),
        {account, startUtc, qint64(days) * 86400, events, events});
}

// A stale legacy 'team' row on every day of [from, to]: a backfilled day loses it.
void TestBackfillView::markDays(TestDatabase &db, qint64 account, const QString &from, const QString &to)
{
    db.exec(QStringLiteral(
                "INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value, "
                "sum_value_business_hours, created_at, updated_at) SELECT ?, d::date, 'team', 999, 'first_response', 1, 1, 1, "
                "now(), now() FROM generate_series(?::date, ?::date, interval '1 day') AS d"),
            {account, from, to});
}

QStringList TestBackfillView::markedDays(TestDatabase &db, qint64 account)
{
    QSqlQuery q = db.connection().run(QStringLiteral("SELECT date::text FROM reporting_events_rollups WHERE account_id = ? "
                                                     "AND dimension_type = 'team' AND dimension_id = 999 ORDER BY 1"),
                                      {account});
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

bool TestBackfillView::openPlan(BackfillView &view, qint64 account)
{
    QSignalSpy shown(&view, &BackfillView::planShown);
    view.planFor(account);
    return shown.wait(15000);
}

std::optional<BackfillResult> TestBackfillView::start(BackfillView &view, int timeoutMs)
{
    QSignalSpy finished(&view, &BackfillView::runFinished);
    auto *button = child<QPushButton>(view, "startButton");
    if (!button->isEnabled())
        return std::nullopt;
    QTest::mouseClick(button, Qt::LeftButton);
    if (!finished.wait(timeoutMs))
        return std::nullopt;
    return finished.first().first().value<BackfillResult>();
}

void TestBackfillView::initTestCase()
{
    m_big = std::make_unique<TestDatabase>(QStringLiteral("tst_backfillview_big"));
    QVERIFY2(m_big->ok(), qPrintable(m_big->error()));
    Fixtures fx{*m_big};
    fx.accountWithZone(1, QStringLiteral("America/New_York"));
    // Three years of local days (a long range: the account id must be typed to start).
    generate(*m_big, 1, QStringLiteral("2023-06-01 05:00:00"), 1096, 210000);
    m_big->exec(QStringLiteral("ANALYZE reporting_events"));
    QVERIFY(m_big->scalar(QStringLiteral("SELECT count(*) FROM reporting_events WHERE account_id = 1")) >= 200000);
}

void TestBackfillView::cleanupTestCase()
{
    m_big.reset();
}

void TestBackfillView::init()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_backfillview"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    m_fx = std::make_unique<Fixtures>(Fixtures{*m_db});
}

void TestBackfillView::cleanup()
{
    m_fx.reset();
    m_db.reset();
}

void TestBackfillView::completeBackfill()
{
    m_fx->accountWithZone(1, QStringLiteral("Asia/Kolkata"));
    m_fx->accountWithZone(2, QStringLiteral("Asia/Kolkata"));
    generate(*m_db, 1, QStringLiteral("2026-01-01 00:00:00"), 60, 30000);
    generate(*m_db, 2, QStringLiteral("2026-01-01 00:00:00"), 5, 50);
    markDays(*m_db, 1, QStringLiteral("2026-01-01"), QStringLiteral("2026-03-01"));
    markDays(*m_db, 1, QStringLiteral("2026-06-01"), QStringLiteral("2026-06-01")); // outside the range: stays
    markDays(*m_db, 2, QStringLiteral("2026-01-01"), QStringLiteral("2026-01-03")); // other account: stays
    const QString first = QStringLiteral("2026-01-01");
    QSqlQuery lastQ
        = m_db->connection().run(QStringLiteral("SELECT ((max(created_at) AT TIME ZONE 'UTC') AT TIME ZONE "
                                                "'Asia/Kolkata')::date::text FROM reporting_events WHERE account_id = 1"));
    QVERIFY(lastQ.next());
    const QString lastDay = lastQ.value(0).toString();

    BackfillView view;
    view.setConnectionSettings(m_db->settings());
    view.resize(1300, 850);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy verify(&view, &BackfillView::verifyRequested);
    QSignalSpy finished(&view, &BackfillView::finished);
    QVERIFY(openPlan(view, 1));
    // The discovered range: first event's local date .. last event's (before yesterday).
    QCOMPARE(child<QDateEdit>(view, "fromEdit")->date(), QDate::fromString(first, Qt::ISODate));
    QCOMPARE(child<QDateEdit>(view, "toEdit")->date(), QDate::fromString(lastDay, Qt::ISODate));
    QVERIFY(!child<QCheckBox>(view, "includeToday")->isChecked());
    QVERIFY(child<QLabel>(view, "todayHint")->text().contains(QLatin1String("closes at")));
    const QString plan = child<QPlainTextEdit>(view, "planText")->toPlainText();
    QVERIFY2(plan.contains(QLatin1String("events in range: 30000")), qPrintable(plan));
    QVERIFY(plan.contains(QLatin1String("dry run: nothing written")));
    QVERIFY(plan.contains(QLatin1String("resolved Asia/Kolkata")));
    const int days = int((day(lastDay) - day(first)).count()) + 1;
    QCOMPARE(view.grid()->dayCount(), days);
    QCOMPARE(view.grid()->cellColor(day(first)), BackfillMonitor::colorOf(DayState::Pending));
    QCOMPARE(markedDays(*m_db, 1).size(), 61); // planning wrote nothing

    const std::optional<BackfillResult> r = start(view);
    QVERIFY(r);
    QCOMPARE(r->outcome, BackfillResult::Outcome::Completed);
    QCOMPARE(r->doneDays.size(), days);
    QCOMPARE(r->eventsRead, 30000);
    QVERIFY(!view.isRunning());
    QCOMPARE(view.monitor()->daysIn(DayState::Done).size(), days);
    QVERIFY(view.grid()->cellToolTip(day(lastDay)).contains(QLatin1String("events read")));
    QVERIFY(view.grid()->cellToolTip(day(first)).contains(QLatin1String("UTC 2025-12-31T18:30:00Z")));
    auto *bar = child<QProgressBar>(view, "progressBar");
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(child<QLabel>(view, "summaryLabel")->text().startsWith(QStringLiteral("Backfill complete: %1 of %1 days").arg(days)));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toLongLong(), 1);

    // The database: stale rows gone in the range only, other account untouched, per-day
    // account counts equal the raw events per local day, and verify finds no difference.
    QCOMPARE(markedDays(*m_db, 1), QStringList{"2026-06-01"});
    QCOMPARE(markedDays(*m_db, 2).size(), 3);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 2")), 3);
    auto perDay = [this](const QString &sql) {
        QSqlQuery q = m_db->connection().run(sql);
        QStringList out;
        while (q.next())
            out << q.value(0).toString() + QLatin1Char('=') + q.value(1).toString();
        return out;
    };
    const QStringList raw = perDay(QStringLiteral(
        "SELECT ((created_at AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata')::date::text, count(*) FROM reporting_events "
        "WHERE account_id = 1 AND name IN ('first_response','reply_time','conversation_resolved','conversation_bot_resolved') "
        "GROUP BY 1 ORDER BY 1"));
    const QStringList rolled = perDay(QStringLiteral(
        "SELECT date::text, sum(count) FROM reporting_events_rollups WHERE account_id = 1 AND dimension_type = 'account' "
        "AND metric IN ('first_response','reply_time','resolutions_count','bot_resolutions_count') GROUP BY 1 ORDER BY 1"));
    QCOMPARE(rolled.size(), days);
    QCOMPARE(rolled, raw);
    VerifyRequest vr;
    vr.accountId = 1;
    const VerifyResult check = VerifyEngine::run(JobContext(m_db->settings()), m_db->connection(), vr,
                                                 std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    QVERIFY(check.summary.keys > 1000);
    QVERIFY(check.summary.clean());

    auto *verifyButton = child<QPushButton>(view, "verifyButton");
    QVERIFY(verifyButton->isEnabled());
    QTest::mouseClick(verifyButton, Qt::LeftButton);
    QCOMPARE(verify.size(), 1);
    QCOMPARE(verify.first(), (QList<QVariant>{qint64(1), first, lastDay}));
    QVERIFY(!child<QPushButton>(view, "retryButton")->isEnabled());
}

void TestBackfillView::dryRunAndModes()
{
    m_fx->accountWithZone(1, QStringLiteral("UTC"));
    for (int d = 1; d <= 10; ++d)
        m_fx->event(1, QStringLiteral("first_response"), d, d, 11, 21, 31,
                    QStringLiteral("2026-03-%1 12:00:00").arg(d, 2, 10, QLatin1Char('0')));
    markDays(*m_db, 1, QStringLiteral("2026-03-02"), QStringLiteral("2026-03-02"));
    markDays(*m_db, 1, QStringLiteral("2026-03-04"), QStringLiteral("2026-03-04"));
    BackfillView view;
    view.setConnectionSettings(m_db->settings());
    view.show();
    QVERIFY(openPlan(view, 1));
    QCOMPARE(view.lastPlan()->selectedDays().size(), 10);
    auto *mode = child<QComboBox>(view, "modeCombo");
    auto dryRun = [&]() {
        QSignalSpy shown(&view, &BackfillView::planShown);
        QTest::mouseClick(child<QPushButton>(view, "dryRunButton"), Qt::LeftButton);
        return shown.wait(10000);
    };
    mode->setCurrentIndex(mode->findData(int(BackfillMode::MissingDays)));
    QVERIFY(dryRun());
    QCOMPARE(texts(view.lastPlan()->selectedDays()), (QStringList{"2026-03-01", "2026-03-03", "2026-03-05", "2026-03-06",
                                                                  "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"}));
    QCOMPARE(view.grid()->cellColor(day(QStringLiteral("2026-03-02"))), BackfillMonitor::colorOf(DayState::Skipped));
    QCOMPARE(view.grid()->cellColor(day(QStringLiteral("2026-03-03"))), BackfillMonitor::colorOf(DayState::Pending));
    QVERIFY(child<QPlainTextEdit>(view, "planText")->toPlainText().contains(QStringLiteral("2026-03-05 … 2026-03-10 (6 days)")));

    view.setLastVerifyDifferences(1, {day(QStringLiteral("2026-03-03")), day(QStringLiteral("2026-03-04"))});
    mode->setCurrentIndex(mode->findData(int(BackfillMode::DifferingDays)));
    QVERIFY(mode->currentText().contains(QLatin1String("(2 day")));
    QVERIFY(dryRun());
    QCOMPARE(texts(view.lastPlan()->selectedDays()), (QStringList{"2026-03-03", "2026-03-04"}));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")), 2); // dry runs wrote nothing

    // An edited range is planned as edited.
    child<QDateEdit>(view, "fromEdit")->setDate(QDate(2026, 3, 4));
    mode->setCurrentIndex(mode->findData(int(BackfillMode::AllDays)));
    QVERIFY(dryRun());
    QCOMPARE(view.lastPlan()->selectedDays().size(), 7);

    mode->setCurrentIndex(mode->findData(int(BackfillMode::DifferingDays)));
    child<QDateEdit>(view, "fromEdit")->setDate(QDate(2026, 3, 1));
    const std::optional<BackfillResult> r = start(view);
    QVERIFY(r);
    QCOMPARE(texts(view.lastPlan()->selectedDays()), (QStringList{"2026-03-03", "2026-03-04"}));
    QCOMPARE(r->doneDays.size(), 2);
    QCOMPARE(markedDays(*m_db, 1), QStringList{"2026-03-02"}); // 03-04 rewritten, 03-02 not selected
    QCOMPARE(m_db->scalar(
                 QStringLiteral("SELECT count(DISTINCT date) FROM reporting_events_rollups WHERE dimension_type = 'account'")),
             2);
}

void TestBackfillView::longRangeNeedsAccountId()
{
    m_fx->accountWithZone(12, QStringLiteral("UTC"));
    m_fx->event(12, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2023-01-01 12:00:00"));
    m_fx->event(12, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2025-06-01 12:00:00"));
    BackfillView view;
    view.setConnectionSettings(m_db->settings());
    view.show();
    QVERIFY(openPlan(view, 12));
    auto *confirm = child<QLineEdit>(view, "confirmEdit");
    auto *startButton = child<QPushButton>(view, "startButton");
    QVERIFY(confirm->isVisible());
    QVERIFY(!startButton->isEnabled());
    QTest::keyClicks(confirm, QStringLiteral("1"));
    QVERIFY(!startButton->isEnabled());
    QTest::keyClicks(confirm, QStringLiteral("2"));
    QVERIFY(startButton->isEnabled());
    confirm->clear();
    child<QDateEdit>(view, "fromEdit")->setDate(QDate(2024, 1, 1)); // 518 days: no confirmation
    QVERIFY(!confirm->isVisible());
    QVERIFY(startButton->isEnabled());
}

void TestBackfillView::zoneProblemOffersEditor()
{
    m_fx->account(3, QStringLiteral("No Zone"), QStringLiteral("{}"));
    m_fx->event(3, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-01 12:00:00"));
    BackfillView view;
    view.setConnectionSettings(m_db->settings());
    view.show();
    QSignalSpy edit(&view, &BackfillView::timezoneEditRequested);
    QVERIFY(openPlan(view, 3));
    QVERIFY(!view.lastPlan()->ok());
    QVERIFY(child<QLabel>(view, "messageLabel")->text().contains(QLatin1String("has no reporting_timezone")));
    QVERIFY(!child<QPushButton>(view, "startButton")->isEnabled());
    QCOMPARE(view.grid()->dayCount(), 0);
    auto *button = child<QPushButton>(view, "timezoneButton");
    QVERIFY(button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(edit.size(), 1);
    QCOMPARE(edit.first().first().toLongLong(), 3);
    // Once a zone is set, planning again works and hides the button.
    m_db->exec(QStringLiteral("UPDATE accounts SET settings = ?::jsonb WHERE id = ?"),
               {QStringLiteral("{\"reporting_timezone\": \"UTC\"}"), 3});
    QVERIFY(openPlan(view, 3));
    QVERIFY(view.lastPlan()->ok());
    QVERIFY(!button->isVisible());
}

void TestBackfillView::cancelMidwayGridMatchesDatabase()
{
    m_fx->accountWithZone(1, QStringLiteral("UTC"));
    generate(*m_db, 1, QStringLiteral("2026-03-01 00:00:00"), 40, 4000);
    markDays(*m_db, 1, QStringLiteral("2026-03-01"), QStringLiteral("2026-04-09"));
    // Every chunk's INSERT takes >= 0.3 s, so the run lasts several seconds.
    m_db->exec(QStringLiteral(
        "CREATE FUNCTION slow_chunk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER slow_chunk AFTER INSERT ON reporting_events_rollups FOR EACH STATEMENT EXECUTE FUNCTION slow_chunk()"));
    BackfillView view;
    view.setConnectionSettings(m_db->settings());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(openPlan(view, 1));
    QSignalSpy progress(&view, &BackfillView::progressed);
    QSignalSpy finished(&view, &BackfillView::runFinished);
    QTest::mouseClick(child<QPushButton>(view, "startButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 10000);
    QVERIFY(view.isRunning());
    QVERIFY(!view.monitor()->daysIn(DayState::Running).isEmpty());
    QTest::qWait(150); // the next chunk's statement is in flight
    view.activateWindow();
    child<QPushButton>(view, "cancelButton")->setFocus();
    QTest::keyClick(child<QPushButton>(view, "cancelButton"), Qt::Key_Escape); // Esc cancels
    QCOMPARE(view.state(), BackfillView::State::Cancelling);
    QVERIFY(!child<QPushButton>(view, "cancelButton")->isEnabled());
    QElapsedTimer t;
    t.start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    const auto r = finished.first().first().value<BackfillResult>();
    QCOMPARE(r.outcome, BackfillResult::Outcome::Cancelled);
    QVERIFY(!view.isRunning());
    QVERIFY(r.doneDays.size() >= 2 && r.doneDays.size() < 40);

    QStringList resultDone;
    for (const DayWrite &w : r.doneDays)
        resultDone << formatLocalDate(w.day);
    const QStringList gridDone = texts(view.monitor()->daysIn(DayState::Done));
    QStringList gridPending = texts(view.monitor()->daysIn(DayState::Pending));
    QCOMPARE(gridDone, resultDone);
    QCOMPARE(gridDone.size() + gridPending.size(), 40);
    QVERIFY(view.monitor()->daysIn(DayState::Running).isEmpty());
    // The database agrees: exactly the grid's done days lost their stale row.
    QCOMPARE(markedDays(*m_db, 1), gridPending);
    for (const QString &d : gridDone)
        QCOMPARE(view.grid()->cellColor(day(d)), BackfillMonitor::colorOf(DayState::Done));
    QVERIFY(child<QLabel>(view, "summaryLabel")->text().startsWith(QLatin1String("Cancelled:")));
    QVERIFY(child<QPushButton>(view, "retryButton")->isEnabled());
    QVERIFY2(
        child<QPushButton>(view, "retryButton")->text().startsWith(QStringLiteral("&Resume (%1 day").arg(gridPending.size())),
        qPrintable(child<QPushButton>(view, "retryButton")->text()));
    QVERIFY(child<QPlainTextEdit>(view, "logPane")->toPlainText().contains(QLatin1String("cancelling")));
}

void TestBackfillView::retryFailedDays()
{
    m_fx->accountWithZone(1, QStringLiteral("UTC"));
    generate(*m_db, 1, QStringLiteral("2026-03-01 00:00:00"), 12, 1200);
    markDays(*m_db, 1, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-12"));
    m_db->exec(QStringLiteral(
        "CREATE FUNCTION fail_on_day() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.date = DATE '2026-03-06' THEN RAISE EXCEPTION 'injected failure on %', NEW.date; END IF; RETURN NEW; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER fail_on_day BEFORE INSERT ON reporting_events_rollups FOR EACH ROW EXECUTE FUNCTION fail_on_day()"));
    BackfillView view;
    view.setConnectionSettings(m_db->settings());
    view.show();
    QVERIFY(openPlan(view, 1));
    const std::optional<BackfillResult> failed = start(view);
    QVERIFY(failed);
    QCOMPARE(failed->outcome, BackfillResult::Outcome::Failed);
    QVERIFY(failed->failedDays.contains(day(QStringLiteral("2026-03-06"))));
    QVERIFY(!failed->doneDays.isEmpty());
    QCOMPARE(view.monitor()->daysIn(DayState::Failed), failed->failedDays);
    QCOMPARE(view.monitor()->daysIn(DayState::Pending), failed->pendingDays);
    QCOMPARE(view.grid()->cellColor(day(QStringLiteral("2026-03-06"))), BackfillMonitor::colorOf(DayState::Failed));
    QVERIFY(child<QLabel>(view, "summaryLabel")->text().contains(QLatin1String("injected failure")));
    QList<date::local_days> retry = failed->failedDays + failed->pendingDays;
    std::sort(retry.begin(), retry.end());
    QCOMPARE(markedDays(*m_db, 1), texts(retry)); // failed and unprocessed days keep their old rows

    m_db->exec(QStringLiteral("DROP TRIGGER fail_on_day ON reporting_events_rollups"));
    auto *retryButton = child<QPushButton>(view, "retryButton");
    QVERIFY(retryButton->isEnabled());
    QSignalSpy finished(&view, &BackfillView::runFinished);
    QVERIFY2(retryButton->text().startsWith(QStringLiteral("&Retry failed days (%1 day").arg(retry.size())),
             qPrintable(retryButton->text()));
    QTest::mouseClick(retryButton, Qt::LeftButton);
    QCOMPARE(view.state(), BackfillView::State::PlanningToStart); // it runs once the plan of those days arrives
    QVERIFY(finished.wait(30000));
    QCOMPARE(view.state(), BackfillView::State::Finished);
    const auto r = finished.first().first().value<BackfillResult>();
    QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
    QCOMPARE(view.lastPlan()->selectedDays(), retry); // only those days
    QCOMPARE(r.doneDays.size(), retry.size());
    QCOMPARE(view.monitor()->daysIn(DayState::Done), retry);
    QVERIFY(markedDays(*m_db, 1).isEmpty());
    QVERIFY(!retryButton->isEnabled());
}

void TestBackfillView::destroyDuringRun()
{
    m_fx->accountWithZone(1, QStringLiteral("UTC"));
    generate(*m_db, 1, QStringLiteral("2026-03-01 00:00:00"), 5, 100);
    markDays(*m_db, 1, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-05"));
    m_db->exec(QStringLiteral(
        "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$"));
    m_db->exec(QStringLiteral(
        "CREATE TRIGGER slow_insert BEFORE INSERT ON reporting_events_rollups FOR EACH ROW EXECUTE FUNCTION slow_insert()"));
    auto view = std::make_unique<BackfillView>();
    view->setConnectionSettings(m_db->settings());
    view->show();
    QVERIFY(openPlan(*view, 1));
    QTest::mouseClick(child<QPushButton>(*view, "startButton"), Qt::LeftButton);
    QTRY_VERIFY(view->isRunning());
    QTest::qWait(300);
    QElapsedTimer t;
    t.start();
    view.reset();
    QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(markedDays(*m_db, 1).size(), 5);
}

// This thread's CPU time and time spent runnable but waiting for a CPU, in ms (Linux
// schedstat; zeros when absent).
static std::pair<qint64, qint64> schedMs()
{
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly))
        return {0, 0};
    const QList<QByteArray> fields = f.readAll().simplified().split(' ');
    return fields.size() >= 2 ? std::pair{fields.at(0).toLongLong() / 1000000, fields.at(1).toLongLong() / 1000000}
                              : std::pair<qint64, qint64>{0, 0};
}

// Times the GUI thread's event loop: a 10 ms timer on this thread records the longest interval
// between two ticks by wall clock (maxGap) and the same without the time the thread was ready
// but waited for a CPU (maxOwnGap). `onTick` (optional) runs at every tick.
struct EventLoopProbe
{
    QElapsedTimer clock;
    QTimer timer;
    qint64 last = 0, maxGap = 0, maxOwnGap = 0, ticks = 0;
    std::pair<qint64, qint64> lastSched;
    std::function<void(qint64 tick)> onTick;

    EventLoopProbe()
    {
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(10);
        QObject::connect(&timer, &QTimer::timeout, &timer, [this]() {
            const qint64 now = clock.elapsed();
            const auto sched = schedMs();
            const qint64 gap = now - last, cpu = sched.first - lastSched.first, runQueue = sched.second - lastSched.second;
            maxGap = std::max(maxGap, gap);
            maxOwnGap = std::max(maxOwnGap, gap - runQueue);
            if (gap > 100)
                qInfo("gap of %lld ms at %lld ms: GUI thread CPU %lld ms, waiting for a CPU %lld ms", gap, now, cpu, runQueue);
            last = now;
            lastSched = sched;
            if (onTick)
                onTick(++ticks);
            else
                ++ticks;
        });
    }
    void start()
    {
        lastSched = schedMs();
        clock.start();
        timer.start();
    }
    void stop() { timer.stop(); }
};

// A report after every committed chunk, shown as it arrives. The chunks are read back from the
// database, which names them independently of the engine's reports: every row a chunk writes
// carries its transaction id (xmin), so the days sharing an xmin are one chunk. Each report must
// be exactly one chunk's days, and every chunk must have its report — deterministic, whatever
// the machine's speed. How soon a report is shown is the GUI thread's responsiveness, bounded
// below by wall clock.
void TestBackfillView::progressAfterEveryChunk()
{
    BackfillView view;
    view.setConnectionSettings(m_big->settings());
    view.show();
    QVERIFY(openPlan(view, 1));
    QTest::keyClicks(child<QLineEdit>(view, "confirmEdit"), QStringLiteral("1"));
    QSignalSpy progress(&view, &BackfillView::progressed);
    QSignalSpy finished(&view, &BackfillView::runFinished);
    // When a report is forwarded, the view already shows it: its days done in the grid, the bar
    // at its count.
    auto *bar = child<QProgressBar>(view, "progressBar");
    QStringList notShown;
    connect(&view, &BackfillView::progressed, this, [&](const BackfillProgress &p) {
        for (const DayWrite &w : p.chunkDays)
            if (view.monitor()->state(w.day) != DayState::Done)
                notShown << formatLocalDate(w.day);
        if (bar->value() != p.daysDone)
            notShown << QStringLiteral("bar %1 for %2 days done").arg(bar->value()).arg(p.daysDone);
    });
    EventLoopProbe probe;
    probe.start();
    QTest::mouseClick(child<QPushButton>(view, "startButton"), Qt::LeftButton);
    QVERIFY(finished.wait(120000));
    probe.stop();
    const auto r = finished.first().first().value<BackfillResult>();
    qInfo("progress: %d reports over %.2f s of backfill (%lld events, %d days); event loop: longest gap %lld ms "
          "(%lld ms without CPU run-queue waits) over %lld ticks",
          int(progress.size()), r.seconds, r.eventsRead, int(r.doneDays.size()), probe.maxGap, probe.maxOwnGap, probe.ticks);
    QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
    QVERIFY(r.eventsRead >= 200000);
    QVERIFY(progress.size() >= 3);
    QVERIFY2(notShown.isEmpty(), qPrintable(notShown.join(QLatin1String(", "))));

    // The chunks as committed: day -> transaction id. Every day of this account has events,
    // hence rows.
    QHash<QString, QString> chunkOf;
    QHash<QString, QStringList> daysOf;
    QSqlQuery q = m_big->connection().run(QStringLiteral("SELECT DISTINCT date::text, xmin::text FROM reporting_events_rollups "
                                                         "WHERE account_id = ? ORDER BY 1"),
                                          {1});
    while (q.next()) {
        QVERIFY2(!chunkOf.contains(q.value(0).toString()), qPrintable(q.value(0).toString())); // one transaction per day
        chunkOf.insert(q.value(0).toString(), q.value(1).toString());
        daysOf[q.value(1).toString()] << q.value(0).toString();
    }
    QCOMPARE(chunkOf.size(), r.doneDays.size());
    QVERIFY(daysOf.size() >= 3);

    // Every report is one chunk, all of its days; no chunk is reported twice; every chunk is
    // reported; the counts add up in order of arrival.
    QSet<QString> reported;
    int days = 0;
    for (const QList<QVariant> &args : std::as_const(progress)) {
        const auto p = args.first().value<BackfillProgress>();
        QVERIFY(!p.chunkDays.isEmpty());
        QStringList reportDays;
        for (const DayWrite &w : p.chunkDays)
            reportDays << formatLocalDate(w.day);
        const QString chunk = chunkOf.value(reportDays.first());
        QVERIFY2(!chunk.isEmpty(), qPrintable(reportDays.first()));
        QVERIFY2(!reported.contains(chunk), qPrintable(reportDays.join(QLatin1Char(' '))));
        reported.insert(chunk);
        std::sort(reportDays.begin(), reportDays.end());
        QCOMPARE(reportDays, daysOf.value(chunk));
        days += int(p.chunkDays.size());
        QCOMPARE(p.daysDone, days);
    }
    QCOMPARE(reported.size(), daysOf.size());
    QCOMPARE(days, int(r.doneDays.size()));
    // Each report reaches the view at the GUI thread's next event loop iteration; that loop must
    // never stall for more than 500 ms by wall clock during the run. Generous on purpose: on a
    // loaded 2-core CI machine this thread shares the CPUs with the engine's two writer threads
    // and their PostgreSQL backends, and the scheduler keeps it waiting for a CPU for a while:
    // at a load average of 13 on 2 cores the longest gap measured here was 99 ms, and 235 ms in
    // guiThreadNeverBlocked (which also resizes the window), both mostly run-queue waits. A view
    // that waited on the GUI thread for the run, or spent over half a second on a report, fails here.
    QVERIFY2(probe.maxGap <= 500,
             qPrintable(QStringLiteral("the GUI thread's event loop stalled for %1 ms (%2 ms not counting run-queue waits)")
                            .arg(probe.maxGap)
                            .arg(probe.maxOwnGap)));
}

void TestBackfillView::guiThreadNeverBlocked()
{
    BackfillView view;
    view.setConnectionSettings(m_big->settings());
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *scroll = view.findChild<QScrollArea *>();
    QVERIFY(scroll);
    EventLoopProbe probe;
    probe.onTick = [&](qint64 tick) {
        // Meanwhile the user resizes the window and scrolls the grid.
        if (tick % 25 == 0) {
            view.resize(tick % 50 ? 1100 : 1250, tick % 50 ? 760 : 820);
            QScrollBar *bar = scroll->verticalScrollBar();
            bar->setValue(bar->value() >= bar->maximum() ? 0 : bar->value() + 40);
        }
    };
    QSignalSpy finished(&view, &BackfillView::runFinished);
    QSignalSpy shown(&view, &BackfillView::planShown);
    probe.start();
    view.planFor(1); // planning, too, is off the GUI thread
    QVERIFY(shown.wait(15000));
    QTest::keyClicks(child<QLineEdit>(view, "confirmEdit"), QStringLiteral("1"));
    QTest::mouseClick(child<QPushButton>(view, "startButton"), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    probe.stop();
    const auto r = finished.first().first().value<BackfillResult>();
    qInfo("event loop: %lld ticks of 10 ms over %lld ms, longest gap %lld ms (%lld ms without CPU run-queue waits); %lld events, "
          "%d days",
          probe.ticks, probe.clock.elapsed(), probe.maxGap, probe.maxOwnGap, r.eventsRead, int(r.doneDays.size()));
    QCOMPARE(r.outcome, BackfillResult::Outcome::Completed);
    QVERIFY(r.eventsRead >= 200000);
    // The wall-clock gap is the criterion; on a machine so loaded that the GUI thread waited
    // for a CPU, the gap it caused itself (work or waits) must still stay within 100 ms.
    QVERIFY2(probe.maxGap <= 100 || probe.maxOwnGap <= 100,
             qPrintable(QStringLiteral("the GUI thread was blocked for %1 ms (%2 ms not counting run-queue waits)")
                            .arg(probe.maxGap)
                            .arg(probe.maxOwnGap)));
}

QTEST_MAIN(TestBackfillView)
#include "tst_backfillview.moc"
