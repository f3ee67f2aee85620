#include "fixtures.h"

#include "core/historyjournal.h"
#include "ui/accountsview.h"
#include "ui/historymodel.h"
#include "ui/historyview.h"
#include "ui/mainwindow.h"
#include "ui/palette.h"
#include "ui/timezonedialog.h"
#include "ui/zonecataloguemodel.h"
#include "ui/zonefiltermodel.h"

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace rollup;

// The History tab: the journal newest first, filtered by account from MainWindow::showHistory,
// read off the GUI thread; a time zone saved in the editor shows up in it (and in Chatwoot's
// audits).
class TestHistoryView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void modelContractAndFilter();
    void timezoneSavedInTheEditorShowsUp();

private:
    static bool waitLoaded(HistoryView *view);
    QTemporaryDir m_state;
    std::unique_ptr<TestDatabase> m_db;
};

void TestHistoryView::initTestCase()
{
    QVERIFY(m_state.isValid());
    qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_historyview"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    Fixtures fx{*m_db};
    fx.account(1, QStringLiteral("Acme"), QStringLiteral(R"({"reporting_timezone": "UTC", "k": 1})"));
    fx.accountWithZone(2, QStringLiteral("Europe/Lisbon"));
}

void TestHistoryView::cleanupTestCase()
{
    m_db.reset();
}

bool TestHistoryView::waitLoaded(HistoryView *view)
{
    QSignalSpy spy(view, &HistoryView::loaded);
    view->refresh(); // starts a load, or queues one after the load in progress
    while (view->isLoading() || spy.isEmpty())
        if (!spy.wait(10000))
            return false;
    return true;
}

void TestHistoryView::modelContractAndFilter()
{
    const HistoryJournal journal = HistoryJournal::forDatabase(m_db->settings());
    QFile::remove(journal.path());
    QStringList ids;
    for (int i = 0; i < 6; ++i) {
        HistoryRecord r = HistoryJournal::newRecord(m_db->settings(), QLatin1String(HistoryJournal::kSetTimezone), 1 + i % 2);
        r.summary = QStringLiteral("change %1").arg(i);
        r.outcome = QStringLiteral("done");
        r.wrote = true;
        QVERIFY(journal.append(r));
        ids << r.id;
    }
    HistoryRecord killed = HistoryJournal::newRecord(m_db->settings(), QLatin1String(HistoryJournal::kBackfill), 2);
    killed.phase = QStringLiteral("started");
    killed.pid = 0x7ffffffe; // no such process: the run never finished
    killed.summary = QStringLiteral("backfill 2026-01-01 .. 2026-01-02 (2 days)");
    QVERIFY(journal.append(killed));

    MainWindow window(m_db->settings());
    window.show();
    HistoryView *view = window.history();
    QAbstractItemModelTester tester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    window.showHistory(2);
    QCOMPARE(window.findChild<QTabWidget *>()->currentWidget(), view);
    QVERIFY(waitLoaded(view));
    QCOMPARE(view->accountId(), 2);
    QCOMPARE(view->model()->rowCount(), 7);
    QCOMPARE(view->proxy()->rowCount(), 4);
    // Newest first: the killed backfill, then changes 5, 3, 1.
    auto cell = [view](int row, int column) { return view->proxy()->index(row, column).data().toString(); };
    QCOMPARE(cell(0, HistoryModel::Action), QStringLiteral("Backfill"));
    QCOMPARE(cell(0, HistoryModel::Outcome), QStringLiteral("not finished"));
    QCOMPARE(view->proxy()->index(0, HistoryModel::Outcome).data(Qt::ForegroundRole).value<QColor>(), Palette::errorText());
    QCOMPARE(cell(1, HistoryModel::Change), QStringLiteral("change 5"));
    QCOMPARE(cell(2, HistoryModel::Change), QStringLiteral("change 3"));
    QCOMPARE(cell(3, HistoryModel::Change), QStringLiteral("change 1"));
    QCOMPARE(cell(1, HistoryModel::Account), QStringLiteral("2"));
    QCOMPARE(cell(1, HistoryModel::Who), HistoryJournal::newRecord(m_db->settings(), QStringLiteral("x"), 0).who);
    QVERIFY(view->proxy()
                ->index(1, HistoryModel::Change)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(HistoryJournal::serverName(m_db->settings())));

    // Typing another account, then every account.
    view->accountFilter()->setText(QStringLiteral("1"));
    QCOMPARE(view->proxy()->rowCount(), 3);
    QCOMPARE(cell(0, HistoryModel::Change), QStringLiteral("change 4"));
    window.showHistory(0);
    QVERIFY(waitLoaded(view));
    QCOMPARE(view->proxy()->rowCount(), 7);
    // Account 12 is not account 1 or 2: no prefix matches.
    window.showHistory(12);
    QVERIFY(waitLoaded(view));
    QCOMPARE(view->proxy()->rowCount(), 0);
}

void TestHistoryView::timezoneSavedInTheEditorShowsUp()
{
    MainWindow window(m_db->settings());
    QSignalSpy accountsLoaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(accountsLoaded.wait(20000));
    TimezoneDialog *dialog = window.accounts()->editTimezone(1);
    QVERIFY(dialog);
    QSignalSpy coverage(dialog, &TimezoneDialog::coverageReady);
    QSignalSpy saved(dialog, &TimezoneDialog::saved);
    QVERIFY(coverage.count() > 0 || coverage.wait(10000));
    dialog->findChild<QLineEdit *>(QStringLiteral("searchEdit"))->setText(QStringLiteral("Asia/Kolkata"));
    auto *zones = dialog->findChild<QTableView *>(QStringLiteral("zoneView"));
    const QModelIndex index = dialog->zoneProxy()->mapFromSource(
        dialog->zoneModel()->index(dialog->zoneModel()->rowOf(QStringLiteral("Asia/Kolkata")), 0));
    QVERIFY(index.isValid());
    zones->scrollTo(index);
    QTest::mouseClick(zones->viewport(), Qt::LeftButton, {}, zones->visualRect(index).center());
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Save),
                      Qt::LeftButton);
    QVERIFY(saved.wait(10000));

    window.showHistory(1);
    QVERIFY(waitLoaded(window.history()));
    QSortFilterProxyModel *proxy = window.history()->proxy();
    QVERIFY(proxy->rowCount() >= 1);
    QCOMPARE(proxy->index(0, HistoryModel::Action).data().toString(), QStringLiteral("Set time zone"));
    QCOMPARE(proxy->index(0, HistoryModel::Change).data().toString(), QStringLiteral("reporting_timezone UTC -> Asia/Kolkata"));
    QCOMPARE(proxy->index(0, HistoryModel::Outcome).data().toString(), QStringLiteral("done"));
    // The same change is the audit row Chatwoot's audit log lists.
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM audits WHERE auditable_type = 'Account' AND auditable_id = 1 "
                                         "AND associated_type = 'Account' AND associated_id = 1 AND action = 'update' "
                                         "AND comment = 'reporting_timezone UTC -> Asia/Kolkata' "
                                         "AND audited_changes = '{\"settings\": [{\"reporting_timezone\": \"UTC\", \"k\": 1}, "
                                         "{\"reporting_timezone\": \"Asia/Kolkata\", \"k\": 1}]}'::jsonb")),
             1);
}

QTEST_MAIN(TestHistoryView)
#include "tst_historyview.moc"
