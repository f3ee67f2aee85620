#include "fixtures.h"

#include "ui/accountsmodel.h"
#include "ui/accountsview.h"
#include "ui/backfillview.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace rollup;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void modelContract();
    void listsAccountsOffTheGuiThread();
    void connectionErrorIsShown();
    void sqlMetacharactersAreJustText();
    void backfillTabTakesSelectedAccount();
};

void TestMainWindow::modelContract()
{
    AccountsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    AccountRow a;
    a.id = 7;
    a.name = QStringLiteral("Seven");
    a.storedTimezone = QJsonValue(QStringLiteral("Chennai"));
    AccountRow b;
    b.id = 8;
    b.name = QStringLiteral("Eight");
    model.setAccounts({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, AccountsModel::State).data().toString(), QStringLiteral("Rails name"));
    QCOMPARE(model.index(0, AccountsModel::Resolved).data().toString(), QStringLiteral("Asia/Kolkata"));
    QCOMPARE(model.index(1, AccountsModel::State).data().toString(), QStringLiteral("not set"));
    QCOMPARE(model.index(1, AccountsModel::Id).data(AccountsModel::SortRole).toLongLong(), 8);
    model.setAccounts({});
    QCOMPARE(model.rowCount(), 0);
}

void TestMainWindow::listsAccountsOffTheGuiThread()
{
    TestDatabase db(QStringLiteral("tst_mainwindow"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    fx.accountWithZone(1, QStringLiteral("Asia/Kolkata"));
    fx.account(2, QStringLiteral("No Zone Yet"), QStringLiteral("{}"));
    fx.account(3, QStringLiteral("Typo Zone"), QStringLiteral("{\"reporting_timezone\": \"america/new_york\"}"));
    fx.account(4, QStringLiteral("Null Settings"), QStringLiteral("NULL"));
    MainWindow window(db.settings());
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(loaded.wait(10000));
    AccountsModel *model = window.accountsModel();
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(model->index(0, AccountsModel::Resolved).data().toString(), QStringLiteral("Asia/Kolkata"));
    QCOMPARE(model->index(1, AccountsModel::State).data().toString(), QStringLiteral("not set"));
    QCOMPARE(model->index(2, AccountsModel::State).data().toString(), QStringLiteral("invalid"));
    QCOMPARE(model->index(3, AccountsModel::StoredTimezone).data().toString(), QStringLiteral("(settings NULL)"));
    QVERIFY(window.windowTitle().contains(db.name()));
    // Filter through the proxy; the table shows only matching rows.
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(window.accountsView()->model());
    QVERIFY(proxy);
    proxy->setFilterFixedString(QStringLiteral("typo"));
    QCOMPARE(proxy->rowCount(), 1);
    proxy->setFilterFixedString(QString());
    // F5 reloads what another session changed.
    fx.accountWithZone(5, QStringLiteral("UTC"));
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model->rowCount(), 5);
}

void TestMainWindow::connectionErrorIsShown()
{
    ConnectionSettings bad = TestDatabase::serverSettings();
    bad.port = 1;
    MainWindow window(bad);
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains(QLatin1String("Connection refused")), 10000);
    QCOMPARE(window.accountsModel()->rowCount(), 0);
}

void TestMainWindow::sqlMetacharactersAreJustText()
{
    // The account filter never reaches SQL, and connection fields are libpq parameters: typing
    // SQL into them finds nothing and changes nothing.
    TestDatabase db(QStringLiteral("tst_mainwindow"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    fx.accountWithZone(1, QStringLiteral("UTC"));
    MainWindow window(db.settings());
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(loaded.wait(10000));
    window.accounts()->focusFilter();
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("'; DROP TABLE accounts; --"));
    QCOMPARE(window.accountsView()->model()->rowCount(), 0);
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM accounts")), 1);

    ConnectionSettings evil = db.settings();
    evil.database = QStringLiteral("x'; DROP TABLE accounts; --");
    evil.user = QStringLiteral("rollup' OR '1'='1");
    MainWindow other(evil);
    other.show();
    QTRY_VERIFY_WITH_TIMEOUT(other.statusBar()->currentMessage().startsWith(QLatin1String("Error:")), 10000);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM accounts")), 1);
}

void TestMainWindow::backfillTabTakesSelectedAccount()
{
    // Select an account, open the Backfill tab: it plans that account. A plan already shown is
    // kept when another account is selected later.
    TestDatabase db(QStringLiteral("tst_mainwindow"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    fx.accountWithZone(1, QStringLiteral("Asia/Kolkata"));
    fx.accountWithZone(2, QStringLiteral("UTC"));
    MainWindow window(db.settings());
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(loaded.wait(10000));
    auto *tabs = qobject_cast<QTabWidget *>(window.centralWidget());
    QVERIFY(tabs);
    QCOMPARE(window.backfill()->accountId(), 0);
    window.accounts()->selectAccount(2);
    QCOMPARE(window.accounts()->currentAccountId(), 2);
    tabs->setCurrentWidget(window.backfill());
    QCOMPARE(window.backfill()->accountId(), 2);
    tabs->setCurrentWidget(window.accounts());
    window.accounts()->selectAccount(1);
    tabs->setCurrentWidget(window.backfill());
    QCOMPARE(window.backfill()->accountId(), 2);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
