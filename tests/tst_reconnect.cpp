#include "fixtures.h"

#include "ui/accountsmodel.h"
#include "ui/mainwindow.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>

using namespace rollup;

// The server goes away while the console is open and comes back: the window reports the
// error instead of hanging, and a refresh (F5) reconnects — every load opens its own connection.
class TestReconnect : public QObject
{
    Q_OBJECT
private slots:
    void windowReconnectsAfterServerRestart();

private:
    static void pg(const QString &what)
    {
        QProcess::execute(QStringLiteral("bash"), {qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/scripts/pg.sh"),
                                                   what, qEnvironmentVariable("ROLLUP_TEST_PGDIR")});
    }
};

void TestReconnect::windowReconnectsAfterServerRestart()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("ROLLUP_TEST_PGDIR"), "run through scripts/test.sh");
    TestDatabase db(QStringLiteral("tst_reconnect"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    fx.accountWithZone(1, QStringLiteral("UTC"));
    fx.accountWithZone(2, QStringLiteral("Asia/Kolkata"));
    MainWindow window(db.settings());
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.accountsModel()->rowCount(), 2);

    struct Restart
    {
        bool stopped = true;
        ~Restart()
        {
            if (stopped)
                pg(QStringLiteral("server-start"));
        }
    } guard;
    pg(QStringLiteral("server-stop"));
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().startsWith(QLatin1String("Error:")), 20000);

    pg(QStringLiteral("server-start"));
    guard.stopped = false;
    db.reconnect();
    fx.accountWithZone(3, QStringLiteral("Europe/Berlin"));
    loaded.clear();
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.accountsModel()->rowCount(), 3);
}

QTEST_MAIN(TestReconnect)
#include "tst_reconnect.moc"
