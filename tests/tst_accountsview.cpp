#include "fixtures.h"

#include "ui/accountsmodel.h"
#include "ui/accountsview.h"
#include "ui/timezonedialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace rollup;

// The accounts view: model contract, the second (statistics) load, filter and sort, the timezone
// editor entry points, and 20,000 accounts staying responsive.
class TestAccountsView : public QObject
{
    Q_OBJECT
private slots:
    void modelContract();
    void filterModel_data();
    void filterModel();
    void statisticsLoadAfterTheList();
    void sortEveryColumn();
    void timezoneEditorEntryPoints();
    void twentyThousandAccounts();

private:
    static QList<AccountRow> sampleRows();
};

QList<AccountRow> TestAccountsView::sampleRows()
{
    auto row = [](qint64 id, const QString &name, const QJsonValue &zone) {
        AccountRow a;
        a.id = id;
        a.name = name;
        a.storedTimezone = zone;
        return a;
    };
    AccountRow nullSettings = row(5, QStringLiteral("Null"), QJsonValue(QJsonValue::Undefined));
    nullSettings.settingsNull = true;
    return {row(1, QStringLiteral("Acme India"), QStringLiteral("Asia/Kolkata")),
            row(2, QStringLiteral("Eastern"), QStringLiteral("Eastern Time (US & Canada)")),
            row(3, QStringLiteral("Typo"), QStringLiteral("america/new_york")),
            row(4, QStringLiteral("Number"), QJsonValue(5)),
            nullSettings,
            row(12, QStringLiteral("Twelve 1"), QStringLiteral("UTC")),
            row(120, QStringLiteral("Hundred twenty"), QJsonValue(QJsonValue::Undefined))};
}

void TestAccountsView::modelContract()
{
    AccountsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAccounts(sampleRows());
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(model.columnCount(), int(AccountsModel::ColumnCount));
    QCOMPARE(model.index(1, AccountsModel::State).data().toString(), QStringLiteral("Rails name"));
    QCOMPARE(model.index(1, AccountsModel::Resolved).data().toString(), QStringLiteral("America/New_York"));
    QCOMPARE(model.index(2, AccountsModel::State).data().toString(), QStringLiteral("invalid"));
    QVERIFY(model.index(2, AccountsModel::Resolved).data().toString().contains(QLatin1String("wrong case")));
    QCOMPARE(model.index(3, AccountsModel::StoredTimezone).data().toString(), QStringLiteral("5"));
    QVERIFY(model.index(3, AccountsModel::Resolved).data().toString().contains(QLatin1String("not a string")));
    QCOMPARE(model.index(4, AccountsModel::StoredTimezone).data().toString(), QStringLiteral("(settings NULL)"));
    QCOMPARE(model.index(6, AccountsModel::StoredTimezone).data().toString(), QStringLiteral("(absent)"));
    QCOMPARE(model.index(6, AccountsModel::State).data().toString(), QStringLiteral("not set"));
    // Statistics are "loading" until they arrive; then empty for accounts without any.
    QCOMPARE(model.index(0, AccountsModel::RollupCoverage).data().toString(), QStringLiteral("…"));
    QVERIFY(!model.statsAt(0));
    AccountStats s;
    s.accountId = 1;
    s.rollups.rows = 1234;
    s.rollups.days = 3;
    s.rollups.first = parseLocalDate(QStringLiteral("2026-03-01"));
    s.rollups.last = parseLocalDate(QStringLiteral("2026-03-05"));
    s.events.first = parseUtcTimestamp(QStringLiteral("2026-02-28 18:30:00")); // 03-01 in Kolkata
    s.events.last = parseUtcTimestamp(QStringLiteral("2026-03-05 10:00:00"));
    AccountStats bad;
    bad.accountId = 3;
    bad.events.first = parseUtcTimestamp(QStringLiteral("2026-03-02 03:00:00"));
    bad.events.last = bad.events.first;
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(AccountsModel::AccountIdRole).toLongLong());
    model.mergeStats(ids.mid(0, 2), {{1, s}}); // statistics arrive in batches
    QVERIFY(!model.hasStats());
    QVERIFY(model.statsAt(1) && !model.statsAt(2));
    model.mergeStats(ids.mid(2), {{3, bad}});
    QVERIFY(model.hasStats());
    QVERIFY(model.index(0, AccountsModel::RollupCoverage).data(AccountsModel::SortRole).toLongLong()
            > model.index(1, AccountsModel::RollupCoverage).data(AccountsModel::SortRole).toLongLong());
    QVERIFY(
        model.index(0, AccountsModel::RollupCoverage).data().toString().startsWith(QLatin1String("2026-03-01 .. 2026-03-05")));
    QCOMPARE(model.index(0, AccountsModel::FirstEventDay).data().toString(), QStringLiteral("2026-03-01"));
    QCOMPARE(model.index(0, AccountsModel::LastEventDay).data().toString(), QStringLiteral("2026-03-05"));
    QCOMPARE(model.index(2, AccountsModel::FirstEventDay).data().toString(), QStringLiteral("2026-03-02 UTC"));
    QCOMPARE(model.index(1, AccountsModel::RollupCoverage).data().toString(), QString());
    // Local time now follows the pinned instant.
    model.setNow(instant(QStringLiteral("2026-03-08 12:00:00")));
    QCOMPARE(model.index(0, AccountsModel::LocalNow).data().toString(), QStringLiteral("2026-03-08 17:30 IST"));
    QCOMPARE(model.index(1, AccountsModel::LocalNow).data().toString(), QStringLiteral("2026-03-08 08:00 EDT"));
    QCOMPARE(model.index(2, AccountsModel::LocalNow).data().toString(), QString());
    QCOMPARE(model.rowOf(120), 6);
    QCOMPARE(model.rowOf(999), -1);
    model.setAccounts({});
    QCOMPARE(model.rowCount(), 0);
}

void TestAccountsView::filterModel_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<qint64>>("ids");
    QTest::newRow("empty") << "" << QList<qint64>{1, 2, 3, 4, 5, 12, 120};
    QTest::newRow("exact-id") << "12" << QList<qint64>{12};
    QTest::newRow("id-or-name") << "1" << QList<qint64>{1, 12}; // id 1, and "Twelve 1" by name
    QTest::newRow("name-case-insensitive") << "acme" << QList<qint64>{1};
    QTest::newRow("stored-zone") << "kolkata" << QList<qint64>{1};
    QTest::newRow("resolved-zone") << "new_york" << QList<qint64>{2, 3};
    QTest::newRow("regex-chars-literal") << "(US" << QList<qint64>{2};
    QTest::newRow("nothing") << "zzz" << QList<qint64>{};
}

void TestAccountsView::filterModel()
{
    QFETCH(QString, text);
    QFETCH(QList<qint64>, ids);
    AccountsView view;
    view.model()->setAccounts(sampleRows());
    QAbstractItemModelTester tester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.proxy()->setFilterFixedString(text);
    QList<qint64> shown;
    for (int r = 0; r < view.proxy()->rowCount(); ++r)
        shown << view.proxy()->index(r, 0).data(AccountsModel::AccountIdRole).toLongLong();
    std::sort(shown.begin(), shown.end());
    QCOMPARE(shown, ids);
}

void TestAccountsView::statisticsLoadAfterTheList()
{
    TestDatabase db(QStringLiteral("tst_accountsview_stats"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    fx.accountWithZone(1, QStringLiteral("America/New_York"));
    fx.account(2, QStringLiteral("Typo"), QStringLiteral("{\"reporting_timezone\": \"america/new_york\"}"));
    fx.account(3, QStringLiteral("Nothing"), QStringLiteral("{}"));
    fx.event(1, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-02 03:00:00")); // 03-01 local
    fx.event(1, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-09 03:59:59")); // 03-08 local (EDT)
    fx.event(2, QStringLiteral("first_response"), 1, 1, 11, 21, 31, QStringLiteral("2026-03-02 03:00:00"));
    for (const char *d : {"2026-03-01", "2026-03-05", "2026-03-08"})
        fx.rollupRow(1, QString::fromLatin1(d), QStringLiteral("account"), 1, QStringLiteral("first_response"), 1, 1, 1);

    AccountsView view;
    QSignalSpy loaded(&view, &AccountsView::loaded);
    QSignalSpy stats(&view, &AccountsView::statsLoaded);
    view.setConnectionSettings(db.settings());
    QVERIFY(view.isLoading());
    QVERIFY(loaded.wait(10000));
    AccountsModel *model = view.model();
    QCOMPARE(model->rowCount(), 3);
    // The list is there before (or at the latest with) the statistics.
    QVERIFY(stats.count() > 0 || stats.wait(10000));
    QVERIFY(model->hasStats());
    QVERIFY(
        model->index(0, AccountsModel::RollupCoverage).data().toString().startsWith(QLatin1String("2026-03-01 .. 2026-03-08")));
    QCOMPARE(model->index(0, AccountsModel::FirstEventDay).data().toString(), QStringLiteral("2026-03-01"));
    QCOMPARE(model->index(0, AccountsModel::LastEventDay).data().toString(), QStringLiteral("2026-03-08"));
    QCOMPARE(model->index(1, AccountsModel::FirstEventDay).data().toString(), QStringLiteral("2026-03-02 UTC"));
    QCOMPARE(model->index(2, AccountsModel::RollupCoverage).data().toString(), QString());
    QCOMPARE(model->index(2, AccountsModel::FirstEventDay).data().toString(), QString());

    // Refresh keeps the selected account selected.
    QVERIFY(view.selectAccount(2));
    fx.accountWithZone(4, QStringLiteral("UTC"));
    view.refresh();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(view.currentAccountId(), 2);
    QVERIFY(stats.wait(10000));
}

void TestAccountsView::sortEveryColumn()
{
    AccountsView view;
    view.model()->setAccounts(sampleRows());
    AccountStats s;
    s.rollups.first = s.rollups.last = parseLocalDate(QStringLiteral("2026-03-05"));
    AccountStats t;
    t.rollups.first = t.rollups.last = parseLocalDate(QStringLiteral("2026-03-01"));
    QList<qint64> ids;
    for (int row = 0; row < view.model()->rowCount(); ++row)
        ids.append(view.model()->index(row, 0).data(AccountsModel::AccountIdRole).toLongLong());
    view.model()->mergeStats(ids, {{2, s}, {120, t}});
    QAbstractItemModelTester tester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int c = 0; c < AccountsModel::ColumnCount; ++c) {
        view.view()->sortByColumn(c, Qt::AscendingOrder);
        QCOMPARE(view.proxy()->rowCount(), 7);
        view.view()->sortByColumn(c, Qt::DescendingOrder);
        QCOMPARE(view.proxy()->rowCount(), 7);
    }
    view.view()->sortByColumn(AccountsModel::RollupCoverage, Qt::DescendingOrder);
    QCOMPARE(view.proxy()->index(0, 0).data(AccountsModel::AccountIdRole).toLongLong(), 2);
    QCOMPARE(view.proxy()->index(1, 0).data(AccountsModel::AccountIdRole).toLongLong(), 120);
    view.view()->sortByColumn(AccountsModel::Id, Qt::DescendingOrder); // numeric, not text
    QCOMPARE(view.proxy()->index(0, 0).data(AccountsModel::AccountIdRole).toLongLong(), 120);
    QCOMPARE(view.proxy()->index(1, 0).data(AccountsModel::AccountIdRole).toLongLong(), 12);
}

void TestAccountsView::timezoneEditorEntryPoints()
{
    TestDatabase db(QStringLiteral("tst_accountsview_edit"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures{db}.accountWithZone(7, QStringLiteral("Asia/Kolkata"));
    AccountsView view;
    QSignalSpy loaded(&view, &AccountsView::loaded);
    view.setConnectionSettings(db.settings());
    view.show();
    QVERIFY(loaded.wait(10000));
    QVERIFY(!view.editTimezoneAction()->isEnabled()); // nothing selected
    QVERIFY(view.selectAccount(7));
    QVERIFY(view.editTimezoneAction()->isEnabled());
    // Ctrl+T in the table opens the editor for the selected account.
    view.view()->setFocus();
    QTest::keyClick(view.view(), Qt::Key_T, Qt::ControlModifier);
    auto *dialog = view.findChild<TimezoneDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->selectedZone(), QStringLiteral("Asia/Kolkata"));
    // The editor's re-backfill offer reaches the view's signal (MainWindow opens the backfill).
    QSignalSpy rebackfill(&view, &AccountsView::rebackfillAllRequested);
    emit dialog->rebackfillAllRequested(7);
    QCOMPARE(rebackfill.count(), 1);
    QCOMPARE(rebackfill.at(0).at(0).toLongLong(), 7);
    // A save through the editor refreshes the list.
    QSignalSpy saved(&view, &AccountsView::timezoneSaved);
    QSignalSpy coverage(dialog, &TimezoneDialog::coverageReady);
    QVERIFY(coverage.count() > 0 || coverage.wait(10000));
    dialog->selectZone(QStringLiteral("UTC"));
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Save)->click();
    QVERIFY(saved.wait(10000));
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view.model()->index(0, AccountsModel::StoredTimezone).data().toString(), QStringLiteral("UTC"));
    // The (non-modal) editor can also be opened programmatically; unknown ids give none.
    QVERIFY(!view.editTimezone(999));
}

// Tens of thousands of accounts: the list and the statistics load off the GUI thread, the event
// loop keeps turning, sort and filter finish quickly.
void TestAccountsView::twentyThousandAccounts()
{
    TestDatabase db(QStringLiteral("tst_accountsview_big"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    constexpr int kAccounts = 20000;
    db.exec(QStringLiteral("INSERT INTO accounts (id, name, created_at, updated_at, settings) "
                           "SELECT g, 'Account ' || g, now(), now(), jsonb_build_object('reporting_timezone', "
                           "(ARRAY['Asia/Kolkata', 'America/New_York', 'Eastern Time (US & Canada)', 'america/new_york', 'UTC', "
                           "'Europe/Berlin'])[1 + g % 6]) "
                           "FROM generate_series(1, ?::int) g"),
            {kAccounts});
    db.exec(
        QStringLiteral("INSERT INTO reporting_events (name, value, account_id, created_at, updated_at) "
                       "SELECT 'first_response', 1, 1 + (g % ?::int), timestamp '2026-01-01' + g * interval '37 seconds', now() "
                       "FROM generate_series(1, 200000) g"),
        {kAccounts});
    db.exec(QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
                           "sum_value, sum_value_business_hours, created_at, updated_at) "
                           "SELECT a, date '2026-01-01' + d, 'account', a, 'first_response', 1, 1, 1, now(), now() "
                           "FROM generate_series(1, ?::int, 7) a, generate_series(0, 9) d"),
            {kAccounts});

    AccountsView view;
    view.resize(1200, 700);
    view.show();
    QSignalSpy loaded(&view, &AccountsView::loaded);
    QSignalSpy stats(&view, &AccountsView::statsLoaded);
    // Measure how long the GUI thread is ever away from its event loop while loading.
    QElapsedTimer sinceTick;
    qint64 worstGap = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&]() { worstGap = std::max(worstGap, sinceTick.restart()); });
    QElapsedTimer total;
    total.start();
    sinceTick.start();
    ticker.start();
    view.setConnectionSettings(db.settings());
    QVERIFY(loaded.wait(30000));
    const qint64 listMs = total.elapsed();
    QCOMPARE(view.model()->rowCount(), kAccounts);
    QVERIFY(stats.count() > 0 || stats.wait(60000));
    const qint64 statsMs = total.elapsed();
    ticker.stop();
    QVERIFY(stats.at(0).at(0).value<AccountStatsLoad>().error.isEmpty());
    const int row = view.model()->rowOf(8);
    QVERIFY(view.model()
                ->index(row, AccountsModel::RollupCoverage)
                .data()
                .toString()
                .startsWith(QLatin1String("2026-01-01 .. 2026-01-10")));
    QCOMPARE(view.model()->index(row, AccountsModel::FirstEventDay).data(AccountsModel::SortRole).toLongLong() > 0, true);

    QElapsedTimer t;
    t.start();
    view.view()->sortByColumn(AccountsModel::Name, Qt::DescendingOrder);
    QCoreApplication::processEvents();
    const qint64 sortNameMs = t.restart();
    QCOMPARE(view.proxy()->index(0, AccountsModel::Name).data().toString(), QStringLiteral("Account 9999"));
    view.view()->sortByColumn(AccountsModel::RollupCoverage, Qt::DescendingOrder);
    view.view()->sortByColumn(AccountsModel::LocalNow, Qt::AscendingOrder);
    view.view()->sortByColumn(AccountsModel::LastEventDay, Qt::AscendingOrder);
    QCoreApplication::processEvents();
    const qint64 sortOthersMs = t.restart();
    view.proxy()->setFilterFixedString(QStringLiteral("Account 1999"));
    QCoreApplication::processEvents();
    const qint64 filterMs = t.restart();
    QCOMPARE(view.proxy()->rowCount(), 11); // 1999, 19990 .. 19999
    view.proxy()->setFilterFixedString(QStringLiteral("12345"));
    QCOMPARE(view.proxy()->rowCount(), 1);
    view.proxy()->setFilterFixedString(QString());
    QCOMPARE(view.proxy()->rowCount(), kAccounts);
    const qint64 unfilterMs = t.restart();
    // Clock tick with 20,000 rows sorted by local time.
    view.model()->setNow(instant(QStringLiteral("2026-07-01 12:00:00")));
    QCoreApplication::processEvents();
    const qint64 clockMs = t.restart();
    qInfo("20k accounts: list %lld ms, stats %lld ms, worst GUI gap %lld ms, sort name %lld ms, 3 sorts %lld ms, filter %lld ms, "
          "unfilter %lld ms, clock %lld ms",
          listMs, statsMs, worstGap, sortNameMs, sortOthersMs, filterMs, unfilterMs, clockMs);
    QVERIFY2(listMs < 15000, "account list too slow");
    QVERIFY2(worstGap < 1500, "the GUI thread was blocked while loading");
    QVERIFY2(sortNameMs < 2000, "sorting 20k rows too slow");
    QVERIFY2(sortOthersMs < 4000, "sorting 20k rows too slow");
    QVERIFY2(filterMs < 1500, "filtering 20k rows too slow");
    QVERIFY2(unfilterMs < 3000, "filtering 20k rows too slow");
    QVERIFY2(clockMs < 2000, "clock update too slow");
}

QTEST_MAIN(TestAccountsView)
#include "tst_accountsview.moc"
