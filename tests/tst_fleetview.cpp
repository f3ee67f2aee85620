#include "fixtures.h"

#include "core/healthstore.h"
#include "jobs/fleet.h"
#include "ui/accountsmodel.h"
#include "ui/accountsview.h"
#include "ui/fleetmodel.h"
#include "ui/fleetview.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace rollup;

// The health board (each account's last verify, kept in the console's state directory) and
// verifying or backfilling many selected accounts from the GUI: typed confirmation, pause,
// resume, cancel, and an event loop that keeps running with 10,000 accounts.
class TestFleetView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void healthStoreMergesAndSurvivesGarbage();
    void healthColumns();
    void backfillSelectedNeedsTypedConfirmation();
    void liveTouchedDaysShown();
    void tenThousandAccountsPauseResumeCancel();

private:
    QTemporaryDir m_state;
};

void TestFleetView::initTestCase()
{
    QVERIFY(m_state.isValid());
    qputenv("XDG_STATE_HOME", m_state.path().toUtf8()); // the health board stays out of the user's files
    // Each account's default range ends yesterday: a week after the seeded events.
    qputenv("ROLLUP_CONSOLE_NOW", "2026-01-10T12:00:00Z");
}

namespace {

AccountHealth health(qint64 id, qint64 keys, qint64 matches, int days, const QString &at)
{
    AccountHealth h;
    h.accountId = id;
    h.summary.keys = keys;
    h.summary.matches = matches;
    h.summary.mismatches = keys - matches;
    h.summary.daysWithDifferences = days;
    h.checkedAt = QDateTime::fromString(at, Qt::ISODate);
    h.firstDay = QStringLiteral("2026-01-01");
    h.lastDay = QStringLiteral("2026-01-31");
    return h;
}

// Accounts 1..n with a zone (every 10th without one, every 25th invalid) and `perAccount` events
// each on a few days of January 2026; no rollup rows.
void seed(TestDatabase &db, int n, int perAccount)
{
    db.exec(QStringLiteral("INSERT INTO accounts (id, name, created_at, updated_at, settings) "
                           "SELECT g, 'Account ' || g, now(), now(), CASE WHEN g % 10 = 0 THEN '{}'::jsonb "
                           "WHEN g % 25 = 0 THEN '{\"reporting_timezone\": \"Mars/Olympus\"}'::jsonb "
                           "ELSE jsonb_build_object('reporting_timezone', (ARRAY['Asia/Kolkata', 'America/Sao_Paulo', "
                           "'Eastern Time (US & Canada)', 'UTC'])[1 + g % 4]) END FROM generate_series(1, ?::int) g"),
            {n});
    db.exec(
        QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, "
                       "created_at, updated_at) "
                       "SELECT 'first_response', 1 + e, e, a, NULL, NULL, timestamp '2026-01-03' + e * interval '7 hours', now() "
                       "FROM generate_series(1, ?::int) a, generate_series(1, ?::int) e"),
        {n, perAccount});
}

} // namespace

void TestFleetView::healthStoreMergesAndSurvivesGarbage()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("h.json"));
    HealthStore store(path);
    QVERIFY(store.load().isEmpty());
    QVERIFY(store.record({health(1, 10, 10, 0, QStringLiteral("2026-11-01T10:00:00Z")),
                          health(2, 10, 7, 2, QStringLiteral("2026-11-01T10:00:00Z"))}));
    QVERIFY(store.record({health(2, 12, 12, 0, QStringLiteral("2026-11-02T10:00:00Z"))})); // newer replaces older
    const QHash<qint64, AccountHealth> h = store.load();
    QCOMPARE(h.size(), 2);
    QCOMPARE(h.value(1).summary.keys, 10);
    QCOMPARE(h.value(2).summary.keys, 12);
    QVERIFY(h.value(2).clean());
    QCOMPARE(h.value(2).checkedAt, QDateTime::fromString(QStringLiteral("2026-11-02T10:00:00Z"), Qt::ISODate));
    // A damaged file reads as empty and is replaced by the next record, not appended to.
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{not json");
    f.close();
    QVERIFY(store.load().isEmpty());
    QVERIFY(store.record({health(3, 1, 0, 1, QStringLiteral("2026-11-03T10:00:00Z"))}));
    QCOMPARE(store.load().keys(), QList<qint64>{3});
}

void TestFleetView::healthColumns()
{
    AccountsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<AccountRow> rows;
    for (qint64 id : {1, 2, 3}) {
        AccountRow a;
        a.id = id;
        a.name = QStringLiteral("A%1").arg(id);
        a.storedTimezone = QStringLiteral("UTC");
        rows.append(a);
    }
    model.setHealth({{1, health(1, 200, 200, 0, QStringLiteral("2026-11-01T10:00:00Z"))},
                     {2, health(2, 200, 150, 4, QStringLiteral("2026-11-01T11:00:00Z"))}});
    model.setAccounts(rows);
    QCOMPARE(model.index(0, AccountsModel::Health).data().toString(), QStringLiteral("100 %"));
    QCOMPARE(model.index(1, AccountsModel::Health).data().toString(), QStringLiteral("75.0 %"));
    QCOMPARE(model.index(1, AccountsModel::DifferingDays).data().toString(), QStringLiteral("4"));
    QCOMPARE(model.index(2, AccountsModel::Health).data().toString(), QStringLiteral("—"));
    QVERIFY(!model.healthAt(2));
    // Sorting: never verified < differs < all match.
    QVERIFY(model.index(2, AccountsModel::Health).data(AccountsModel::SortRole).toDouble()
            < model.index(1, AccountsModel::Health).data(AccountsModel::SortRole).toDouble());
    QVERIFY(model.index(1, AccountsModel::Health).data(AccountsModel::SortRole).toDouble()
            < model.index(0, AccountsModel::Health).data(AccountsModel::SortRole).toDouble());
    QVERIFY(model.index(1, AccountsModel::Health).data(Qt::ToolTipRole).toString().contains(QLatin1String("150 match")));
    // The board survives a reload of the list.
    model.setAccounts(rows);
    QVERIFY(model.healthAt(1) && model.healthAt(1)->summary.matches == 150);
}

void TestFleetView::backfillSelectedNeedsTypedConfirmation()
{
    TestDatabase db(QStringLiteral("tst_fleetview_confirm"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    seed(db, 30, 6);
    MainWindow window(db.settings());
    window.show();
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    QVERIFY(loaded.wait(30000));
    QTableView *table = window.accountsView();
    table->selectAll();
    QVERIFY(window.accounts()->backfillSelectedAction()->isEnabled());
    FleetView *fleet = window.fleet();
    window.accounts()->backfillSelectedAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(fleet->isPlanned(), 30000);
    // 30 accounts, 3 without a zone, 1 invalid (25): 26 planned, more than 20: type 26.
    QVERIFY(fleet->needsConfirmation());
    QCOMPARE(fleet->model()->count(FleetStatus::Skipped), 4);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")), 0); // the plan wrote nothing
    QVERIFY(!fleet->startPlanned());
    fleet->confirmEdit()->setText(QStringLiteral("25"));
    QVERIFY(!fleet->startPlanned());
    QSignalSpy finished(fleet, &FleetView::finished);
    fleet->confirmEdit()->setText(QStringLiteral("26"));
    QVERIFY(fleet->startPlanned());
    QVERIFY(finished.wait(60000));
    QCOMPARE(fleet->model()->count(FleetStatus::Done), 26);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(DISTINCT account_id) FROM reporting_events_rollups")), 26);
    // Verify selected: every backfilled account matches, and the health board says so.
    window.accounts()->verifySelectedAction()->trigger();
    QVERIFY(finished.wait(60000));
    QCOMPARE(fleet->model()->count(FleetStatus::Match), 26);
    AccountsModel *accounts = window.accountsModel();
    QTRY_VERIFY_WITH_TIMEOUT(accounts->healthAt(accounts->rowOf(1)) != nullptr, 10000);
    for (qint64 id = 1; id <= 30; ++id) {
        const AccountHealth *h = accounts->healthAt(accounts->rowOf(id));
        const bool planned = id % 10 != 0 && id % 25 != 0;
        QCOMPARE(h != nullptr, planned);
        if (h)
            QVERIFY2(h->clean() && h->summary.keys > 0, qPrintable(QString::number(id)));
    }
}

void TestFleetView::liveTouchedDaysShown()
{
    // A backfilled account with days another session wrote while the run went on: the result
    // says how many, the tooltip which (the CLI's live_touched_days column).
    FleetModel model;
    FleetAccount touched;
    touched.accountId = 7;
    touched.status = FleetStatus::Done;
    touched.days = 3;
    touched.daysDone = 3;
    touched.rowsWritten = 9;
    touched.liveTouchedDays = {*parseLocalDate(QStringLiteral("2026-02-10")), *parseLocalDate(QStringLiteral("2026-02-12"))};
    FleetAccount clean = touched;
    clean.accountId = 8;
    clean.liveTouchedDays.clear();
    model.setAccounts({touched, clean});
    const QString text = model.index(0, FleetModel::Outcome).data().toString();
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral("· 2 day(\\(s\\)|s) also written by another session: verify$"))),
             qPrintable(text));
    const QString tip = model.index(0, FleetModel::Outcome).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("2026-02-10, 2026-02-12")), qPrintable(tip));
    QVERIFY(!model.index(1, FleetModel::Outcome).data().toString().contains(QLatin1String("another session")));
    QVERIFY(model.index(1, FleetModel::Outcome).data(Qt::ToolTipRole).isNull());
}

void TestFleetView::tenThousandAccountsPauseResumeCancel()
{
    TestDatabase db(QStringLiteral("tst_fleetview_big"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    constexpr int kAccounts = 10000;
    seed(db, kAccounts, 12);
    MainWindow window(db.settings());
    window.resize(1300, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Probe: a 10 ms timer on the GUI thread; how late its ticks come by the wall clock is how
    // long the event loop could not run (its own work or a wait that uses no CPU alike).
    constexpr qint64 kTickMs = 10;
    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    const char *phase = "loading the list";
    const char *worstPhase = phase;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(int(kTickMs));
    connect(&probe, &QTimer::timeout, this, [&]() {
        const qint64 now = clock.elapsed();
        if (now - last - kTickMs > worst) {
            worst = now - last - kTickMs;
            worstPhase = phase;
        }
        last = now;
    });
    clock.start();
    probe.start();
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    QVERIFY(loaded.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!window.accounts()->isLoading(), 120000);
    QCOMPARE(window.accountsModel()->rowCount(), kAccounts);
    const qint64 loadWorst = worst;

    window.accountsView()->selectAll();
    FleetView *fleet = window.fleet();
    QSignalSpy finished(fleet, &FleetView::finished);
    // Backfill all: planned (nothing written), 8,800 accounts to type, then paused at once.
    // 10,000 accounts: 1,000 without a zone and 200 with an invalid one (every 25th that is not
    // every 50th) are skipped.
    constexpr int kPlanned = kAccounts - 1000 - 200;
    phase = "planning the backfill";
    window.accounts()->backfillSelectedAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(fleet->isPlanned(), 120000);
    phase = "starting and pausing the backfill";
    QVERIFY(fleet->needsConfirmation());
    fleet->confirmEdit()->setText(QString::number(kPlanned));
    QVERIFY(fleet->startPlanned());
    fleet->setPaused(true);
    QVERIFY(fleet->isPaused());
    // While paused nothing is written (the chunks that began before the pause end first).
    QTest::qWait(4000);
    const qint64 pausedRows = db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups"));
    QTest::qWait(1500);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups")), pausedRows);
    QVERIFY(fleet->statusText().contains(QLatin1String("Paused")));
    phase = "the backfill";
    fleet->setPaused(false);
    QVERIFY(finished.wait(600000));
    phase = "after the backfill";
    const FleetResult backfill = fleet->lastResult();
    QVERIFY2(backfill.error.isEmpty() && !backfill.cancelled, qPrintable(backfill.error));
    QCOMPARE(fleet->model()->rowCount(), kAccounts);
    QCOMPARE(fleet->model()->count(FleetStatus::Done), kPlanned);
    const qint64 rows = db.scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups"));
    QVERIFY2(pausedRows < rows, qPrintable(QStringLiteral("%1 rows when paused, %2 at the end").arg(pausedRows).arg(rows)));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(DISTINCT account_id) FROM reporting_events_rollups")), kPlanned);

    // Verify all: every backfilled account matches; the health board shows it.
    phase = "the verify";
    window.accounts()->verifySelectedAction()->trigger();
    QVERIFY(finished.wait(600000));
    phase = "after the verify";
    const FleetResult result = fleet->lastResult();
    QVERIFY2(result.error.isEmpty() && !result.cancelled, qPrintable(result.error));
    QCOMPARE(fleet->model()->count(FleetStatus::Match), kPlanned);
    QCOMPARE(fleet->model()->count(FleetStatus::Skipped), kAccounts - kPlanned);
    AccountsModel *accounts = window.accountsModel();
    QTRY_VERIFY_WITH_TIMEOUT(accounts->healthAt(accounts->rowOf(kAccounts - 1)) != nullptr, 10000);
    QVERIFY(accounts->healthAt(accounts->rowOf(kAccounts - 1))->clean());

    // Cancel at once: the run stops, says so, and nothing of it is taken for a finished verify.
    const qsizetype runs = finished.size();
    phase = "the cancelled verify";
    window.accounts()->verifySelectedAction()->trigger();
    QVERIFY(fleet->isRunning());
    fleet->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() > runs, 60000);
    QVERIFY(fleet->lastResult().cancelled);
    QVERIFY(fleet->statusText().startsWith(QLatin1String("Cancelled")));
    QVERIFY(fleet->model()->count(FleetStatus::Match) < kPlanned);
    probe.stop();
    qInfo("10,000 accounts: GUI-thread timer ticks late by at most %lld ms while the list and statistics loaded, "
          "%lld ms overall, during %s (backfill of %d accounts in %.1f s, verify in %.1f s)",
          loadWorst, worst, worstPhase, kPlanned, backfill.seconds, result.seconds);
    // The allowance: 100 ms is the aim on an idle machine; 400 ms allows for a 2-core machine
    // shared with a parallel test run (a thread that waited for the database would stand still
    // for whole seconds and fail).
    QVERIFY2(
        worst < 400,
        qPrintable(
            QStringLiteral("the GUI thread's event loop stood still for %1 ms (%2)").arg(worst).arg(QLatin1String(worstPhase))));
}

QTEST_MAIN(TestFleetView)
#include "tst_fleetview.moc"
