#include "cli/signalwatcher.h"
#include "db/connection.h"
#include "db/demodatabase.h"
#include "db/schema.h"
#include "jobs/democluster.h"
#include "ui/accountsmodel.h"
#include "ui/demoprogress.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <memory>

using namespace rollup;

// `rollup-console --demo` as main.cpp builds it (DemoCluster::start, then a MainWindow that
// DemoProgress::follow()s the start, then show()), against a real demo cluster in a temporary
// directory (under TMPDIR, which scripts/test.sh points at its work directory). The first start
// (initdb, server, schema, seed) takes from ~15 s to a few minutes on a loaded machine; the
// bounds below that are not about the window are generous for that reason.
class TestDemoStart : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void closingDuringInitdbLeavesNothing();
    void firstStartShowsProgressAtOnceThenConnects();
    void closingDuringSeedingStopsTheServer();
    void laterStartReusesTheData();

private:
    QTemporaryDir m_tmp;
    QString m_base;
    qint64 m_events = 0; // reporting_events after the first start
};

namespace {

constexpr int kSeedTimeoutMs = 900000; // the first start on a busy 2-core machine, with room

// Processes whose command line names `dir` (the postmaster runs as "postgres -D DIR/data ...").
QStringList processesUsing(const QString &dir)
{
    QStringList out;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        bool numeric = false;
        pid.toInt(&numeric);
        if (!numeric || pid.toLongLong() == QCoreApplication::applicationPid())
            continue;
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QByteArray cmd = f.readAll();
        cmd.replace('\0', ' ');
        if (cmd.contains(QFile::encodeName(dir)))
            out << pid + QStringLiteral(": ") + QString::fromLocal8Bit(cmd).trimmed();
    }
    return out;
}

// The signals a process blocks (/proc/PID/status SigBlk), -1 when it is gone.
qint64 blockedSignals(const QString &process)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(process.section(QLatin1Char(':'), 0, 0)));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("SigBlk:"))
            return line.mid(7).trimmed().toLongLong(nullptr, 16);
    return -1;
}

qint64 scalar(const ConnectionSettings &settings, const QString &sql)
{
    Connection c(settings);
    QSqlQuery q = c.run(sql);
    return q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

void TestDemoStart::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    // As root the server runs as `postgres`, which must be able to reach the directory.
    QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                            | QFileDevice::ExeOther);
    m_base = m_tmp.path() + QStringLiteral("/demo");
    if (DemoServer::serverBinDir().isEmpty())
        QFAIL("PostgreSQL server binaries not found under /usr/lib/postgresql");
}

void TestDemoStart::closingDuringInitdbLeavesNothing()
{
    // Closed at once, while initdb runs: the tool is stopped (runuser passes SIGTERM on, although
    // the console blocks it in its own threads), no process and no half-made cluster stay.
    const QString base = m_tmp.path() + QStringLiteral("/closed-early");
    {
        DemoCluster cluster(base);
        const Job<DemoStartEvent> job = cluster.start(false);
        auto window = std::make_unique<MainWindow>();
        const QPointer<DemoProgress> page = DemoProgress::follow(window.get(), job);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(page->stepText().contains(QStringLiteral("initdb")) || !job.isRunning(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!processesUsing(base).filter(QStringLiteral("/initdb ")).isEmpty() || !job.isRunning(), 30000);
        QVERIFY2(job.isRunning(), "initdb ended before the window could be closed");
        // initdb (and runuser, as root) can be stopped: they do not block SIGINT/SIGTERM/SIGHUP,
        // which the test's threads block like the console's.
        const qint64 hupIntTerm = (1 << (SIGHUP - 1)) | (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1));
        QCOMPARE(blockedSignals(QString::number(QCoreApplication::applicationPid())) & hupIntTerm, hupIntTerm); // as the console
        int checked = 0;
        for (const QString &process : processesUsing(base)) {
            if (!process.contains(QStringLiteral("/initdb ")) && !process.contains(QStringLiteral(": runuser ")))
                continue;
            const qint64 blocked = blockedSignals(process);
            if (blocked < 0)
                continue; // ended meanwhile
            QVERIFY2((blocked & hupIntTerm) == 0, qPrintable(QStringLiteral("%1 blocks %2").arg(process).arg(blocked, 0, 16)));
            ++checked;
        }
        QVERIFY(checked >= 1);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window->close());
        window.reset();
        cluster.stop();
        qInfo("closed during initdb: stopped %lld ms after the close", clock.elapsed());
        QVERIFY(DemoCluster::outcome(job.future).cancelled);
        // runuser waits 2 s after passing SIGTERM on; the bound is generous for a loaded machine.
        QVERIFY2(clock.elapsed() < 30000, qPrintable(QString::number(clock.elapsed())));
    }
    const QStringList left = processesUsing(base);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char('\n'))));
    QVERIFY(!QFile::exists(base + QStringLiteral("/data")));
    QVERIFY(!QFile::exists(base + QStringLiteral("/data.initdb")));
}

void TestDemoStart::firstStartShowsProgressAtOnceThenConnects()
{
    DemoCluster cluster(m_base);
    QElapsedTimer clock;
    clock.start();
    const Job<DemoStartEvent> job = cluster.start(false);
    MainWindow window;
    DemoProgress *page = DemoProgress::follow(&window, job);
    QSignalSpy progress(page, &DemoProgress::progressChanged);
    QSignalSpy finished(page, &DemoProgress::finished);
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qint64 shownAfterMs = clock.elapsed();
    // The window and its progress page are there while the start still runs (initdb alone takes
    // seconds), within one second of the start call.
    QVERIFY(job.isRunning());
    QVERIFY(window.isVisible());
    QCOMPARE(window.centralWidget(), page);
    QVERIFY(page->isVisible());
    QVERIFY(page->progressBar()->isVisible());
    const QList<QTabWidget *> tabs = window.findChildren<QTabWidget *>(QString(), Qt::FindDirectChildrenOnly);
    QCOMPARE(tabs.size(), 1);
    QVERIFY(!tabs.first()->isVisible()); // the views wait behind the page
    qInfo("window with progress shown %lld ms after the start call", shownAfterMs);
    QVERIFY2(shownAfterMs < 1000, qPrintable(QString::number(shownAfterMs)));

    // A second console on the same directory while the first seeds: a one-line error, and the
    // first start goes on undisturbed.
    QTRY_VERIFY_WITH_TIMEOUT(!job.isRunning() || page->stepText().contains(QStringLiteral("Seeding")), kSeedTimeoutMs);
    if (job.isRunning()) {
        DemoCluster second(m_base);
        QString error;
        QVERIFY(!second.start(false, &error));
        QVERIFY2(error.contains(QStringLiteral("rollup-console (process %1)").arg(QCoreApplication::applicationPid())),
                 qPrintable(error));
    }

    QVERIFY(finished.wait(kSeedTimeoutMs) || !finished.isEmpty());
    const DemoStart result = finished.first().first().value<DemoStart>();
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.seeded);
    qInfo("first start: seeded in %.1f s, %lld ms in all, %lld progress reports", result.seedSeconds, clock.elapsed(),
          qint64(progress.size()));

    // The value only grows, reaches the maximum, and passes through values in between while
    // the seed runs, with the step named in the text.
    QList<int> values;
    QStringList texts;
    for (const QList<QVariant> &report : progress) {
        values << report.at(0).toInt();
        texts << report.at(1).toString();
    }
    QVERIFY(!values.isEmpty());
    for (int i = 1; i < values.size(); ++i)
        QVERIFY2(values.at(i) >= values.at(i - 1),
                 qPrintable(QStringLiteral("%1 after %2").arg(values.at(i)).arg(values.at(i - 1))));
    QCOMPARE(values.last(), DemoCluster::kProgressMax);
    QCOMPARE(page->progressBar()->maximum(), DemoCluster::kProgressMax);
    int between = 0;
    for (int v : values)
        between += v > 0 && v < DemoCluster::kProgressMax;
    QVERIFY2(between >= 10, qPrintable(QString::number(between)));
    QVERIFY(texts.filter(QStringLiteral("initdb")).size() >= 1);
    QVERIFY(texts.filter(QStringLiteral("Starting the demo server")).size() >= 1);
    // Every step of the seed script is named, in order.
    const int seedSteps = int(DemoDatabase::seedSteps(Schema::demoSeedSql()).size());
    QVERIFY(seedSteps >= 5);
    int at = -1;
    for (int i = 1; i <= seedSteps; ++i) {
        const QString name = QStringLiteral("step %1 of %2").arg(i).arg(seedSteps);
        const auto it = std::find_if(texts.cbegin(), texts.cend(), [&name](const QString &t) { return t.contains(name); });
        QVERIFY2(it != texts.cend(), qPrintable(name));
        QVERIFY2(int(it - texts.cbegin()) > at, qPrintable(name));
        at = int(it - texts.cbegin());
    }

    // Then the window connects to the demo database and lists its accounts.
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() > 0, 60000);
    QVERIFY(!window.startPage());
    QCOMPARE(window.centralWidget(), tabs.first());
    QVERIFY(tabs.first()->isVisible());
    QCOMPARE(window.connectionSettings().database, QString::fromLatin1(DemoDatabase::kName));
    QCOMPARE(window.connectionSettings().source, QStringLiteral("demo"));
    const qint64 accounts = scalar(result.settings, QStringLiteral("SELECT count(*) FROM accounts"));
    QVERIFY(accounts >= 8);
    QCOMPARE(qint64(window.accountsModel()->rowCount()), accounts);
    m_events = scalar(result.settings, QStringLiteral("SELECT count(*) FROM reporting_events"));
    QVERIFY(m_events >= 500000);
    QVERIFY(cluster.running());

    // Once the data is ready a second console uses the same server and leaves it running.
    {
        DemoCluster second(m_base);
        QString error;
        QVERIFY2(second.start(false, &error), qPrintable(error));
        QVERIFY(!second.running());
        QCOMPARE(second.settings().port, result.settings.port);
        QCOMPARE(scalar(second.settings(), QStringLiteral("SELECT count(*) FROM reporting_events")), m_events);
    }
    QVERIFY(QFile::exists(m_base + QStringLiteral("/data/postmaster.pid")));
    QCOMPARE(scalar(result.settings, QStringLiteral("SELECT count(*) FROM accounts")), accounts);
}

void TestDemoStart::closingDuringSeedingStopsTheServer()
{
    // --demo --reset, closed by the user while the seed runs. main.cpp's order on leaving:
    // app.exec() returns when the last window closes, then the window goes (its page cancels the
    // start) and then the cluster (stop(): waits for the job, stops the server).
    auto cluster = std::make_unique<DemoCluster>(m_base);
    const Job<DemoStartEvent> job = cluster->start(true);
    auto window = std::make_unique<MainWindow>();
    const QPointer<DemoProgress> page = DemoProgress::follow(window.get(), job);
    bool seeding = false;
    connect(page, &DemoProgress::progressChanged, this,
            [&seeding](int, const QString &text) { seeding = seeding || text.contains(QStringLiteral("step 2 of")); });
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    // Wait until the seed script itself runs (past the schema), so the cancel hits a statement.
    QTRY_VERIFY_WITH_TIMEOUT(seeding || !job.isRunning(), kSeedTimeoutMs);
    QVERIFY2(job.isRunning(), "the reset finished before it could be closed");
    QVERIFY(page && page->isVisible());
    QVERIFY(!processesUsing(m_base).isEmpty()); // the server runs

    QElapsedTimer clock;
    clock.start();
    QVERIFY(window->close());
    window.reset();
    cluster.reset();
    const qint64 stoppedAfterMs = clock.elapsed();
    qInfo("closed during seeding: job ended and server stopped %lld ms after the close", stoppedAfterMs);
    QVERIFY(job.future.isFinished());
    const DemoStart result = DemoCluster::outcome(job.future);
    QVERIFY(!result.ok);
    QVERIFY(result.cancelled);
    QVERIFY(!QFile::exists(m_base + QStringLiteral("/data/postmaster.pid")));
    const QStringList left = processesUsing(m_base);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char('\n'))));
    // A cancel stops the statement in flight on the server and pg_ctl stops the server: seconds,
    // not the rest of the seed (bound generous for a loaded machine).
    QVERIFY2(stoppedAfterMs < 60000, qPrintable(QString::number(stoppedAfterMs)));
}

void TestDemoStart::laterStartReusesTheData()
{
    // After the cancelled reset the previous data is still there and a start reuses it.
    DemoCluster cluster(m_base);
    QElapsedTimer clock;
    clock.start();
    const Job<DemoStartEvent> job = cluster.start(false);
    MainWindow window;
    DemoProgress *page = DemoProgress::follow(&window, job);
    QSignalSpy loaded(&window, &MainWindow::accountsLoaded);
    window.show();
    QVERIFY(loaded.wait(120000));
    const DemoStart result = DemoCluster::outcome(job.future);
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(!result.seeded);
    QCOMPARE(result.seedSeconds, 0.0);
    qInfo("later start: connected %lld ms after the start call", clock.elapsed());
    QCOMPARE(scalar(result.settings, QStringLiteral("SELECT count(*) FROM reporting_events")), m_events);
    QVERIFY(!window.startPage());
    Q_UNUSED(page);
    cluster.stop();
    QVERIFY(!cluster.running());
    QVERIFY(!QFile::exists(m_base + QStringLiteral("/data/postmaster.pid")));
}

// As main.cpp: the signal watcher first (it blocks SIGINT/SIGTERM/SIGHUP in every thread created
// afterwards, and processes started from them inherit that), then the application.
int main(int argc, char *argv[])
{
    SignalWatcher::install([]() { QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection); });
    QApplication app(argc, argv);
    TestDemoStart test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_demostart.moc"
