#include "fixtures.h"
#include "jobs/job.h"

#include "jobs/backfillengine.h"
#include "ui/calendargrid.h"
#include "ui/raweventsdialog.h"
#include "ui/verifychart.h"
#include "ui/verifyeventsmodel.h"
#include "ui/verifyfiltermodel.h"
#include "ui/verifyformat.h"
#include "ui/verifyview.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace rollup;

// The verify view against a real PostgreSQL: statuses, names, heatmap, filters, chart,
// drill-down, re-backfill, export, the read-path flag, and a 100,000-key result that never
// blocks the GUI thread.
class TestVerifyView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void verifyDrillDownRebackfillAndEnable();
    void errorsAreShown();
    void largeResultKeepsTheGuiResponsive();

private:
    QTemporaryDir m_config;
};

static date::local_days d(const char *text)
{
    return *parseLocalDate(QString::fromLatin1(text));
}

static void backfill(TestDatabase &db, qint64 account, const QList<date::local_days> &days = {})
{
    BackfillRequest br;
    br.accountId = account;
    br.days = days;
    const BackfillPlan plan = BackfillPlanner::plan(db.connection(), br, instant(QStringLiteral("2026-11-29 12:00:00")));
    QCOMPARE(BackfillEngine::run(JobContext(db.settings()), db.connection(), plan, {}).outcome,
             BackfillResult::Outcome::Completed);
}

// Proxy row of a key, searching with every filter off; -1 when absent.
static int proxyRow(VerifyView &view, const char *day, const char *type, qint64 id, const char *metric)
{
    for (int i = 0; i < view.proxy()->rowCount(); ++i) {
        const QModelIndex x = view.proxy()->index(i, 0);
        if (x.data(VerifyModel::DayRole).toInt() == d(day).time_since_epoch().count()
            && x.data(VerifyModel::DimensionTypeRole).toString() == QLatin1String(type)
            && x.data(VerifyModel::DimensionIdRole).toLongLong() == id
            && x.data(VerifyModel::MetricRole).toString() == QLatin1String(metric))
            return i;
    }
    return -1;
}

static void acceptNextMessageBox()
{
    QTimer::singleShot(0, []() {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (box)
            box->button(QMessageBox::Yes)->click();
    });
}

void TestVerifyView::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("rollup-console-test"));
}

void TestVerifyView::verifyDrillDownRebackfillAndEnable()
{
    TestDatabase db(QStringLiteral("tst_verifyview"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    const qint64 a = fx.accountWithZone(1, QStringLiteral("America/New_York")); // EST = UTC-5 in February
    const qint64 initialFlags = 262143 | (qint64(1) << 40);
    db.exec(QStringLiteral("UPDATE accounts SET feature_flags = ? WHERE id = 1"), {initialFlags});
    db.exec(QStringLiteral("INSERT INTO users (id, name, uid, email, created_at, updated_at) VALUES (11, 'Alice', 'alice', "
                           "'alice@x', now(), now())"));
    db.exec(QStringLiteral(
        "INSERT INTO inboxes (id, channel_id, account_id, name, created_at, updated_at) VALUES (21, 1, 1, 'Web', now(), now())"));
    const QString fr = QStringLiteral("first_response");
    fx.event(a, fr, 100, 60, 11, 21, 31, QStringLiteral("2026-02-10 15:00:00")); // Feb 10
    fx.event(a, fr, 40, 20, 11, 21, 31, QStringLiteral("2026-02-11 14:00:00")); // Feb 11
    fx.event(a, fr, 60, 30, 11, 21, 32, QStringLiteral("2026-02-11 16:00:00")); // Feb 11
    fx.event(a, fr, 10, 10, 11, 22, 33, QStringLiteral("2026-02-11 04:30:00")); // local Feb 10 23:30
    fx.event(a, fr, 20, QVariant(), 11, 21, 34, QStringLiteral("2026-02-12 04:59:59.5")); // local Feb 11 23:59:59
    fx.event(a, QStringLiteral("reply_time"), 4980, 4980, 12, 21, 35, QStringLiteral("2026-02-12 15:00:00")); // user 12 is gone
    fx.event(a, QStringLiteral("reply_time"), 30, 30, 11, 21, 31, QStringLiteral("2026-02-11 15:00:00"));
    backfill(db, a);
    // Corrupt: Feb 11 account count off by one, Feb 11 inbox 21 row deleted, a team row on Feb 12.
    db.exec(QStringLiteral(
        "UPDATE reporting_events_rollups SET count = count + 1 WHERE date = '2026-02-11' AND dimension_type = 'account' "
        "AND metric = 'first_response'"));
    db.exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE date = '2026-02-11' AND dimension_type = 'inbox' "
                           "AND dimension_id = 21 AND metric = 'first_response'"));
    fx.rollupRow(a, QStringLiteral("2026-02-12"), QStringLiteral("team"), 5, fr, 1, 1, 1);

    VerifyView view;
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setConnectionSettings(db.settings());
    view.resize(1300, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy verified(&view, &VerifyView::verified);
    view.verifyAccount(a);
    QVERIFY(view.isRunning());
    QVERIFY(verified.wait(15000));
    QCOMPARE(verified.first().at(0).toLongLong(), a);
    QCOMPARE(verified.first().at(1).value<QList<date::local_days>>(),
             (QList<date::local_days>{d("2026-02-11"), d("2026-02-12")}));

    // Header: range, keys, rate, counts per status.
    const CompareSummary &s = view.outcome().result.summary;
    QCOMPARE(s.mismatches, 1);
    QCOMPARE(s.missing, 1);
    QCOMPARE(s.extra, 1);
    QVERIFY(view.summaryText().contains(QLatin1String("2026-02-10 .. 2026-02-12")));
    QVERIFY(view.summaryText().contains(QStringLiteral("<b>%1</b> keys compared").arg(s.keys)));
    QVERIFY(view.summaryText().contains(QLatin1String("1 mismatch")));

    // "Only differences" is on by default: exactly the three differing keys.
    QCOMPARE(view.proxy()->rowCount(), 3);
    view.proxy()->setOnlyDifferences(false);
    QCOMPARE(view.proxy()->rowCount(), int(s.keys));
    QCOMPARE(view.model()->rowCount(), int(s.keys));

    // Names, statuses, durations.
    auto cell = [&view](int row, int column, int role = Qt::DisplayRole) { return view.proxy()->index(row, column).data(role); };
    int r = proxyRow(view, "2026-02-12", "agent", 12, "reply_time");
    QVERIFY(r >= 0);
    QCOMPARE(cell(r, VerifyModel::Name).toString(), QStringLiteral("12"));
    QVERIFY(cell(r, VerifyModel::Name, VerifyModel::NameMissingRole).toBool());
    QCOMPARE(cell(r, VerifyModel::RawAvg).toString(), QStringLiteral("1 h 23 min"));
    QCOMPARE(cell(r, VerifyModel::Status).toString(), QStringLiteral("match"));
    r = proxyRow(view, "2026-02-11", "inbox", 21, "first_response");
    QCOMPARE(cell(r, VerifyModel::Name).toString(), QStringLiteral("Web"));
    QCOMPARE(cell(r, VerifyModel::Status).toString(), QStringLiteral("missing"));
    QCOMPARE(cell(r, VerifyModel::RawCount).toString(), QStringLiteral("3"));
    r = proxyRow(view, "2026-02-11", "account", a, "first_response");
    QCOMPARE(cell(r, VerifyModel::Status).toString(), QStringLiteral("mismatch"));
    QCOMPARE(cell(r, VerifyModel::DeltaCount).toString(), QStringLiteral("+1"));
    QCOMPARE(cell(r, VerifyModel::Name).toString(), QStringLiteral("Account 1"));
    QCOMPARE(cell(proxyRow(view, "2026-02-12", "team", 5, "first_response"), VerifyModel::Status).toString(),
             QStringLiteral("extra"));

    // Heatmap: each day coloured by its worst status.
    CalendarGrid *grid = view.heatmap();
    QCOMPARE(grid->dayCount(), 3);
    QCOMPARE(grid->cellColor(d("2026-02-10")), VerifyFormat::statusColor(CompareStatus::Match));
    QCOMPARE(grid->cellColor(d("2026-02-11")), VerifyFormat::statusColor(CompareStatus::Mismatch));
    QCOMPARE(grid->cellColor(d("2026-02-12")), VerifyFormat::statusColor(CompareStatus::Extra));
    QVERIFY(grid->cellToolTip(d("2026-02-11")).contains(QLatin1String("1 missing")));
    // Clicking a day filters the table to it; clicking it again shows every day.
    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(d("2026-02-11")).center());
    QCOMPARE(view.proxy()->day(), std::optional<date::local_days>(d("2026-02-11")));
    QVERIFY(view.proxy()->rowCount() > 0);
    for (int i = 0; i < view.proxy()->rowCount(); ++i)
        QCOMPARE(cell(i, VerifyModel::Date).toString(), QStringLiteral("2026-02-11"));
    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(d("2026-02-11")).center());
    QCOMPARE(view.proxy()->rowCount(), int(s.keys));
    view.proxy()->setMetric(QStringLiteral("reply_time"));
    view.proxy()->setDimensionType(QStringLiteral("agent"));
    QCOMPARE(view.proxy()->rowCount(), 2);
    view.proxy()->setMetric(QString());
    view.proxy()->setDimensionType(QString());

    // Chart: one point per day and series; the differing day marked.
    QVERIFY(view.chart()->selectKey(fr, QStringLiteral("account"), a));
    QCOMPARE(view.chart()->rollupSeries()->count(), 3);
    QCOMPARE(view.chart()->rawSeries()->count(), 3);
    QCOMPARE(view.chart()->differingSeries()->count(), 1);
    QCOMPARE(view.chart()->differingSeries()->at(0).x(), VerifyChartModel::xOf(d("2026-02-11")));
    QVERIFY(view.chart()->selectKey(QStringLiteral("reply_time"), QStringLiteral("agent"), 11));
    QCOMPARE(view.chart()->rollupSeries()->count(), 3);
    QCOMPARE(view.chart()->differingSeries()->count(), 0);

    // Drill-down by double click: exactly the key's events in the day's UTC window.
    r = proxyRow(view, "2026-02-11", "agent", 11, "first_response");
    QVERIFY(r >= 0);
    const QModelIndex index = view.proxy()->index(r, VerifyModel::Metric);
    view.table()->scrollTo(index);
    QTest::qWait(20); // layout
    const QPoint at = view.table()->visualRect(index).center();
    QVERIFY(view.table()->viewport()->rect().contains(at));
    QTest::mouseClick(view.table()->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view.table()->viewport(), Qt::LeftButton, {}, at);
    auto *dialog = view.findChild<RawEventsDialog *>();
    QVERIFY(dialog);
    QSignalSpy loaded(dialog, &RawEventsDialog::loaded);
    QVERIFY(loaded.wait(10000));
    QList<qint64> ids;
    for (const RawEvent &e : dialog->model()->events())
        ids << e.id;
    QList<qint64> expected;
    QSqlQuery q = db.connection().run(QStringLiteral(
        "SELECT id FROM reporting_events WHERE name = 'first_response' AND user_id = 11 AND created_at >= '2026-02-11 05:00' "
        "AND created_at < '2026-02-12 05:00' ORDER BY created_at"));
    while (q.next())
        expected << q.value(0).toLongLong();
    QCOMPARE(expected.size(), 3);
    QCOMPARE(ids, expected);
    QCOMPARE(dialog->model()->index(2, VerifyEventsModel::CreatedLocal).data().toString(),
             QStringLiteral("2026-02-11 23:59:59 EST"));
    QCOMPARE(dialog->model()->index(2, VerifyEventsModel::ValueBusinessHours).data().toString(), QStringLiteral("NULL"));
    QVERIFY(dialog->statusText().contains(QLatin1String("3 event")));
    dialog->close();

    // Export the filtered table (CSV, the CLI's header).
    view.proxy()->setOnlyDifferences(true);
    QTemporaryDir out;
    QSignalSpy exported(&view, &VerifyView::exported);
    view.exportTo(out.filePath(QStringLiteral("verify.csv")));
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.first().at(1).toString(), QString());
    QFile csv(out.filePath(QStringLiteral("verify.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(),
             QStringLiteral("date,dimension_type,dimension_id,metric,status,rollup_count,raw_count,rollup_sum_value,"
                            "raw_sum_value,rollup_sum_value_business_hours,raw_sum_value_business_hours"));
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines.contains(QStringLiteral("2026-02-11,inbox,21,first_response,missing,,3,,120,,50")));

    // Not clean: the read path cannot be switched on.
    QVERIFY(!view.enableReadPathButton()->isEnabled());
    QVERIFY(view.readPathText().contains(QLatin1String("off")));

    // Re-backfill: the selected rows' days, and all differing days.
    QSignalSpy rebackfill(&view, &VerifyView::rebackfillRequested);
    view.table()->selectRow(0);
    view.rebackfillSelectedDays();
    QCOMPARE(rebackfill.size(), 1);
    QCOMPARE(rebackfill.at(0).at(1).value<QList<date::local_days>>(), (QList<date::local_days>{d("2026-02-11")}));
    view.rebackfillDifferingDays();
    const QList<date::local_days> days = rebackfill.at(1).at(1).value<QList<date::local_days>>();
    QCOMPARE(days, (QList<date::local_days>{d("2026-02-11"), d("2026-02-12")}));
    // What the backfill view does with them; then the view re-verifies and ends clean.
    backfill(db, a, days);
    view.verifyAccount(a);
    QVERIFY(verified.wait(15000));
    QVERIFY(verified.last().at(1).value<QList<date::local_days>>().isEmpty());
    QVERIFY(view.outcome().result.summary.clean());
    QCOMPARE(view.proxy()->rowCount(), 0);
    QCOMPARE(grid->cellColor(d("2026-02-11")), VerifyFormat::statusColor(CompareStatus::Match));

    // Stale rows outside the account's event days: named under the summary, no read-path offer;
    // the summary's link asks for a re-backfill of exactly those days, which clears them.
    fx.rollupRow(a, QStringLiteral("2026-02-07"), QStringLiteral("agent"), 11, QStringLiteral("first_response"), 1, 1, 1);
    fx.rollupRow(a, QStringLiteral("2026-02-08"), QStringLiteral("account"), a, QStringLiteral("first_response"), 1, 1, 1);
    fx.rollupRow(a, QStringLiteral("2026-02-20"), QStringLiteral("inbox"), 21, QStringLiteral("reply_time"), 1, 1, 1);
    view.verifyAccount(a);
    QVERIFY(verified.wait(15000));
    QVERIFY(view.outcome().result.summary.clean());
    QVERIFY2(view.summaryText().contains(QLatin1String("3 stored row(s) outside the range, dated 2026-02-07 .. 2026-02-20")),
             qPrintable(view.summaryText()));
    QVERIFY(!view.enableReadPathButton()->isEnabled());
    QLabel *summary = nullptr;
    for (QLabel *label : view.findChildren<QLabel *>())
        if (label->text().contains(QLatin1String(VerifyView::kRebackfillOutsideLink)))
            summary = label;
    QVERIFY(summary);
    QVERIFY(summary->textInteractionFlags() & Qt::LinksAccessibleByMouse);
    QVERIFY(
        QMetaObject::invokeMethod(summary, "linkActivated", Q_ARG(QString, QLatin1String(VerifyView::kRebackfillOutsideLink))));
    QCOMPARE(rebackfill.size(), 3);
    const QList<date::local_days> outsideDays = rebackfill.at(2).at(1).value<QList<date::local_days>>();
    QCOMPARE(outsideDays, (QList<date::local_days>{d("2026-02-07"), d("2026-02-08"), d("2026-02-20")}));
    backfill(db, a, outsideDays);
    view.verifyAccount(a);
    QVERIFY(verified.wait(15000));
    QCOMPARE(view.outcome().result.outside.rows, 0);
    QVERIFY(!view.summaryText().contains(QLatin1String("outside the range")));

    // A chosen range is not the whole history: no offer.
    view.verifyAccount(a, QStringLiteral("2026-02-10"), QStringLiteral("2026-02-12"));
    QVERIFY(verified.wait(15000));
    QVERIFY(!view.enableReadPathButton()->isEnabled());
    // The whole history, clean: offered; confirmed; only bit 19 set.
    view.verifyAccount(a);
    QVERIFY(verified.wait(15000));
    QVERIFY(view.enableReadPathButton()->isEnabled());
    QSignalSpy changed(&view, &VerifyView::readPathChanged);
    acceptNextMessageBox();
    view.enableReadPathButton()->click();
    QVERIFY(changed.wait(10000));
    QCOMPARE(db.scalar(QStringLiteral("SELECT feature_flags FROM accounts WHERE id = 1")), initialFlags | (qint64(1) << 19));
    QVERIFY(view.readPathText().contains(QLatin1String("<b>on</b>")));
    QVERIFY(!view.enableReadPathButton()->isEnabled());
}

void TestVerifyView::errorsAreShown()
{
    TestDatabase db(QStringLiteral("tst_verifyview"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures{db}.account(3, QStringLiteral("No Zone"), QStringLiteral("{}"));
    VerifyView view;
    view.setConnectionSettings(db.settings());
    QSignalSpy failed(&view, &VerifyView::verifyFailed);
    view.verifyAccount(3);
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().at(1).toString().contains(QLatin1String("no reporting_timezone")));
    QVERIFY(view.summaryText().contains(QLatin1String("Verify failed")));
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY(!view.enableReadPathButton()->isEnabled());
}

void TestVerifyView::largeResultKeepsTheGuiResponsive()
{
    TestDatabase db(QStringLiteral("tst_verifyview"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    const qint64 a = fx.accountWithZone(1, QStringLiteral("UTC"));
    // 200 days x (1 account + 70 agents + 20 inboxes) x 6 metrics = 109,200 keys from 70,000 events.
    db.exec(QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, "
                           "conversation_id, created_at, updated_at) "
                           "SELECT "
                           "(ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','"
                           "conversation_bot_handoff'])[1 + (i % 350) % 5], "
                           "(i % 977) * 3.5, (i % 613) * 1.25, 1, 1000 + (i % 350) / 5, 2000 + ((i % 350) / 5) % 20, i, "
                           "timestamp '2025-01-01' + (i / 350) * interval '1 day' + (i % 350) * 200 * interval '1 second', now() "
                           "FROM generate_series(0, 69999) i"));
    db.exec(
        QStringLiteral("INSERT INTO users (id, name, uid, email, created_at, updated_at) "
                       "SELECT 1000 + k, 'Agent ' || k, 'u' || k, 'u' || k || '@x', now(), now() FROM generate_series(0, 59) k"));
    QElapsedTimer setup;
    setup.start();
    backfill(db, a);
    db.exec(QStringLiteral("UPDATE reporting_events_rollups SET count = count + 1 WHERE id % 53 = 0"));
    db.exec(QStringLiteral("DELETE FROM reporting_events_rollups WHERE id % 97 = 0"));
    qInfo("backfill and corruption: %.2f s", setup.elapsed() / 1000.0);

    VerifyView view;
    view.setConnectionSettings(db.settings());
    view.resize(1300, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // Probe: a 10 ms timer on the GUI thread. How late its ticks come by the wall clock is how
    // long the event loop could not run, whatever the thread did meanwhile: its own work, or a
    // wait for the database that uses no CPU. Allowance: 500 ms. The longest steps on the GUI
    // thread here (the table taking 109,200 rows, a sort of all of them, the chart) made ticks
    // 200-310 ms late on a 2-core machine with a load average of 12 (other builds and database
    // servers sharing the cores), where the verify took 2.4-4 s. A GUI thread that waited for
    // the verify would stand still for all of the verify's time, so the allowance is also capped
    // at half that time: the check fails such a thread however fast the machine.
    constexpr qint64 kTickMs = 10, kMaxLatenessMs = 500;
    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(int(kTickMs));
    connect(&probe, &QTimer::timeout, this, [&]() {
        const qint64 now = clock.elapsed();
        worst = std::max(worst, now - last - kTickMs);
        last = now;
    });
    clock.start();
    probe.start();
    QSignalSpy verified(&view, &VerifyView::verified);
    view.verifyAccount(a);
    QVERIFY(verified.wait(30000));
    const qint64 verifyMs = clock.elapsed();
    const qint64 allowedMs = std::min(kMaxLatenessMs, verifyMs / 2);
    QVERIFY(view.model()->rowCount() >= 100000);
    QTest::qWait(50);
    const qint64 loadGap = worst;
    // Sort by several columns through the proxy, toggle filters; each step is one event.
    QElapsedTimer step;
    qint64 slowestStep = 0;
    auto timed = [&](auto action) {
        step.start();
        action();
        slowestStep = std::max(slowestStep, step.elapsed());
        QTest::qWait(30);
    };
    timed([&]() { view.proxy()->setOnlyDifferences(false); });
    for (int column : {int(VerifyModel::RawSum), int(VerifyModel::Name), int(VerifyModel::Status), int(VerifyModel::DeltaAvg),
                       int(VerifyModel::Date)})
        for (Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder})
            timed([&]() { view.table()->sortByColumn(column, order); });
    timed([&]() { view.proxy()->setOnlyDifferences(true); });
    timed([&]() { view.setDayFilter(d("2025-03-01")); });
    timed([&]() { view.setDayFilter(std::nullopt); });
    timed([&]() { view.table()->scrollToBottom(); });
    probe.stop();
    // The sorted order is numeric: raw sums descending.
    view.proxy()->setOnlyDifferences(false);
    view.table()->sortByColumn(VerifyModel::RawSum, Qt::DescendingOrder);
    for (int i = 1; i < 2000; ++i)
        QVERIFY(view.proxy()->index(i - 1, VerifyModel::RawSum).data(VerifyModel::SortRole).toDouble()
                >= view.proxy()->index(i, VerifyModel::RawSum).data(VerifyModel::SortRole).toDouble());
    // Cancel: the statement is cancelled on the server; the previous result stays.
    const int rows = view.model()->rowCount();
    view.verify();
    QVERIFY(view.isRunning());
    view.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
    QCOMPARE(view.model()->rowCount(), rows);
    QCOMPARE(verified.size(), 1);
    // A second request while one runs: the first is cancelled, the second delivers.
    view.verifyAccount(a);
    view.verifyAccount(a);
    QVERIFY(verified.wait(30000));
    QTest::qWait(50);
    QCOMPARE(verified.size(), 2);
    QVERIFY(!view.isRunning());
    qInfo("%lld keys (%lld differing); verify %.2f s; GUI-thread timer ticks late by at most %lld ms while loading, %lld ms "
          "overall; "
          "slowest sort/filter step %lld ms",
          qint64(view.model()->rowCount()), view.outcome().result.summary.keys - view.outcome().result.summary.matches,
          verifyMs / 1000.0, loadGap, worst, slowestStep);
    QVERIFY2(worst < allowedMs,
             qPrintable(
                 QStringLiteral("the GUI thread's event loop stood still for %1 ms (allowed: %2 ms)").arg(worst).arg(allowedMs)));
}

QTEST_MAIN(TestVerifyView)
#include "tst_verifyview.moc"
