#include "db/accountrepository.h"
#include "fixtures.h"

#include "ui/timezonedialog.h"
#include "ui/zonecataloguemodel.h"
#include "ui/zonefiltermodel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFrame>
#include <QFuture>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include <date/tz.h>

using namespace rollup;

// The timezone editor offscreen against the throwaway server: search, offset filter, DST preview
// with a pinned "today", saving (other keys survive, NULL settings), the rollup warning with the
// re-backfill offer, read-only mode.
class TestTimezoneDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void catalogueModel();
    void search_data();
    void search();
    void offsetFilter_data();
    void offsetFilter();
    void previewPinnedToday_data();
    void previewPinnedToday();
    void findByOffsetAndSave();
    void nullSettingsSave();
    void railsNameIsReplacedByIanaId();
    void clearKeepsOtherKeys();
    void rollupWarningOffersRebackfill();
    void readOnlyGreysOutAndServerRefuses();

private:
    AccountRow account(qint64 id);
    QStringList visibleZones(TimezoneDialog &dialog);
    void clickZone(TimezoneDialog &dialog, const QString &zone);
    template <typename T> T *child(QWidget &w, const char *name)
    {
        T *c = w.findChild<T *>(QString::fromLatin1(name));
        if (!c)
            qFatal("no child %s", name);
        return c;
    }
    QPushButton *saveButton(TimezoneDialog &d) { return child<QDialogButtonBox>(d, "buttonBox")->button(QDialogButtonBox::Save); }
    std::unique_ptr<TestDatabase> m_db;
};

void TestTimezoneDialog::initTestCase()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("tst_timezonedialog"));
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
}

void TestTimezoneDialog::cleanupTestCase()
{
    m_db.reset();
}

void TestTimezoneDialog::init()
{
    m_db->exec(QStringLiteral("TRUNCATE accounts, reporting_events_rollups"));
    Fixtures fx{*m_db};
    fx.account(1, QStringLiteral("Keys"),
               QString::fromUtf8(R"({"reporting_timezone": "UTC", "auto_resolve_after": 1440, "x": {"y": [true, null]}})"));
    fx.account(2, QStringLiteral("Null"), QStringLiteral("NULL"));
    fx.account(3, QStringLiteral("Rails"), QString::fromUtf8(R"({"reporting_timezone": "Chennai", "k": "v"})"));
    fx.account(4, QStringLiteral("With Rollups"), QString::fromUtf8(R"({"reporting_timezone": "America/New_York"})"));
    for (const char *d : {"2026-03-01", "2026-03-02", "2026-03-04"})
        fx.rollupRow(4, QString::fromLatin1(d), QStringLiteral("account"), 4, QStringLiteral("first_response"), 1, 1, 1);
    fx.rollupRow(4, QStringLiteral("2026-03-01"), QStringLiteral("agent"), 9, QStringLiteral("first_response"), 1, 1, 1);
}

AccountRow TestTimezoneDialog::account(qint64 id)
{
    auto row = AccountRepository(m_db->connection()).find(id);
    if (!row)
        qFatal("no account %lld", id);
    return *row;
}

QStringList TestTimezoneDialog::visibleZones(TimezoneDialog &dialog)
{
    QStringList out;
    ZoneFilterModel *proxy = dialog.zoneProxy();
    for (int r = 0; r < proxy->rowCount(); ++r)
        out << proxy->index(r, ZoneCatalogueModel::Zone).data(ZoneCatalogueModel::ZoneIdRole).toString();
    return out;
}

void TestTimezoneDialog::clickZone(TimezoneDialog &dialog, const QString &zone)
{
    auto *view = child<QTableView>(dialog, "zoneView");
    const int sourceRow = dialog.zoneModel()->rowOf(zone);
    QVERIFY(sourceRow >= 0);
    const QModelIndex index = dialog.zoneProxy()->mapFromSource(dialog.zoneModel()->index(sourceRow, 0));
    QVERIFY2(index.isValid(), qPrintable(zone + QStringLiteral(" is filtered out")));
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
    QCOMPARE(dialog.selectedZone(), zone);
}

void TestTimezoneDialog::catalogueModel()
{
    ZoneCatalogueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setInstant(instant(QStringLiteral("2026-07-01 12:00:00")));
    QVERIFY(model.rowCount() > 300);
    const int berlin = model.rowOf(QStringLiteral("Europe/Berlin"));
    QVERIFY(berlin >= 0);
    QCOMPARE(model.index(berlin, ZoneCatalogueModel::Offset).data().toString(), QStringLiteral("+02:00"));
    QCOMPARE(model.index(berlin, ZoneCatalogueModel::Abbreviation).data().toString(), QStringLiteral("CEST"));
    QCOMPARE(model.index(berlin, ZoneCatalogueModel::Dst).data().toString(), QStringLiteral("DST"));
    QCOMPARE(model.index(berlin, ZoneCatalogueModel::StandardOffset).data().toString(), QStringLiteral("+01:00"));
    QVERIFY(model.index(berlin, ZoneCatalogueModel::RailsNames).data().toString().contains(QLatin1String("Berlin")));
    ZoneFilterModel proxy(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setOffset(19800);
    proxy.setSearchText(QStringLiteral("kol"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setOffset(std::nullopt);
    proxy.setSearchText(QString());
    QCOMPARE(proxy.rowCount(), model.rowCount());
}

void TestTimezoneDialog::search_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mustContain");
    QTest::addColumn<QString>("mustNotContain");
    QTest::newRow("id") << "kolkata"
                        << "Asia/Kolkata"
                        << "Europe/Berlin";
    QTest::newRow("rails-name") << "Chennai"
                                << "Asia/Kolkata"
                                << "Asia/Tokyo";
    QTest::newRow("rails-name-eastern") << "Eastern Time"
                                        << "America/New_York"
                                        << "America/Chicago";
    QTest::newRow("space-for-underscore") << "new york"
                                          << "America/New_York"
                                          << "Europe/London";
    QTest::newRow("abbreviation") << "IST"
                                  << "Asia/Kolkata"
                                  << "America/Sao_Paulo";
    QTest::newRow("offset-typed-in-search") << "+5:30"
                                            << "Asia/Kolkata"
                                            << "Asia/Kathmandu";
    QTest::newRow("utc-offset-typed-in-search") << "UTC-3"
                                                << "America/Sao_Paulo"
                                                << "UTC";
    QTest::newRow("utc-is-text") << "UTC"
                                 << "Etc/UTC"
                                 << "Asia/Kolkata";
}

void TestTimezoneDialog::search()
{
    QFETCH(QString, text);
    QFETCH(QString, mustContain);
    QFETCH(QString, mustNotContain);
    TimezoneDialog dialog(m_db->settings(), account(1));
    dialog.setNow(instant(QStringLiteral("2026-01-15 12:00:00")));
    dialog.show();
    auto *search = child<QLineEdit>(dialog, "searchEdit");
    QTest::keyClicks(search, text);
    const QStringList zones = visibleZones(dialog);
    QVERIFY2(zones.contains(mustContain), qPrintable(zones.join(QLatin1Char(' '))));
    QVERIFY(!zones.contains(mustNotContain));
    QVERIFY(child<QLabel>(dialog, "zoneCountLabel")->text().contains(QString::number(zones.size())));
}

void TestTimezoneDialog::offsetFilter_data()
{
    QTest::addColumn<QString>("now");
    QTest::addColumn<QString>("offset");
    QTest::addColumn<QStringList>("mustContain");
    QTest::addColumn<QStringList>("mustNotContain");
    QTest::newRow("+5:30") << "2026-01-15 12:00:00"
                           << "+5:30" << QStringList{"Asia/Kolkata", "Asia/Colombo"} << QStringList{"Asia/Kathmandu", "UTC"};
    QTest::newRow("+05:45") << "2026-01-15 12:00:00"
                            << "+05:45" << QStringList{"Asia/Kathmandu"} << QStringList{"Asia/Kolkata"};
    QTest::newRow("-3") << "2026-01-15 12:00:00"
                        << "-3" << QStringList{"America/Sao_Paulo", "America/Santiago"} << QStringList{"America/New_York"};
    // Standard OR current offset: in July London is at +1 (BST) and Berlin's standard offset is +1.
    QTest::newRow("+1-summer") << "2026-07-01 12:00:00"
                               << "+1" << QStringList{"Europe/London", "Europe/Berlin", "Africa/Lagos"}
                               << QStringList{"UTC", "Europe/Athens"};
    QTest::newRow("utc-prefix") << "2026-01-15 12:00:00"
                                << "UTC-5" << QStringList{"America/New_York", "America/Bogota"} << QStringList{"America/Chicago"};
}

void TestTimezoneDialog::offsetFilter()
{
    QFETCH(QString, now);
    QFETCH(QString, offset);
    QFETCH(QStringList, mustContain);
    QFETCH(QStringList, mustNotContain);
    TimezoneDialog dialog(m_db->settings(), account(1));
    dialog.setNow(instant(now));
    dialog.show();
    QTest::keyClicks(child<QLineEdit>(dialog, "offsetEdit"), offset);
    const QStringList zones = visibleZones(dialog);
    for (const QString &z : mustContain)
        QVERIFY2(zones.contains(z), qPrintable(z + QStringLiteral(" missing from ") + zones.join(QLatin1Char(' '))));
    for (const QString &z : mustNotContain)
        QVERIFY2(!zones.contains(z), qPrintable(z));
    QVERIFY(child<QLabel>(dialog, "offsetHint")->text().contains(QLatin1String("UTC")));
    // Nonsense is flagged instead of silently showing everything or nothing.
    auto *edit = child<QLineEdit>(dialog, "offsetEdit");
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("abc"));
    QVERIFY(child<QLabel>(dialog, "offsetHint")->text().contains(QLatin1String("not a UTC offset")));
}

void TestTimezoneDialog::previewPinnedToday_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("now");
    QTest::addColumn<QStringList>("hours"); // today + 7 days
    QTest::addColumn<QString>("todayStartUtc"); // "2026-03-08 05:00"
    QTest::addColumn<QString>("closesZone");
    QTest::addColumn<QString>("closesUtc");
    QTest::addColumn<QString>("earliest");
    QTest::newRow("new-york-spring-forward")
        << "America/New_York"
        << "2026-03-08 12:00:00" << QStringList{"23", "24", "24", "24", "24", "24", "24", "24"} << "2026-03-08 05:00"
        << "2026-03-09 00:00 EDT"
        << "2026-03-09 04:00 UTC"
        << "2026-03-09 00:30 EDT = 2026-03-09 04:30 UTC";
    QTest::newRow("new-york-fall-back-ahead")
        << "America/New_York"
        << "2026-10-30 12:00:00" << QStringList{"24", "24", "25", "24", "24", "24", "24", "24"} << "2026-10-30 04:00"
        << "2026-10-31 00:00 EDT"
        << "2026-10-31 04:00 UTC"
        << "2026-10-31 00:30 EDT";
    QTest::newRow("kolkata") << "Asia/Kolkata"
                             << "2026-02-11 00:00:00" << QStringList{"24", "24", "24", "24", "24", "24", "24", "24"}
                             << "2026-02-10 18:30"
                             << "2026-02-12 00:00 IST"
                             << "2026-02-11 18:30 UTC"
                             << "2026-02-11 19:00 UTC";
}

void TestTimezoneDialog::previewPinnedToday()
{
    QFETCH(QString, zone);
    QFETCH(QString, now);
    QFETCH(QStringList, hours);
    QFETCH(QString, todayStartUtc);
    QFETCH(QString, closesZone);
    QFETCH(QString, closesUtc);
    QFETCH(QString, earliest);
    TimezoneDialog dialog(m_db->settings(), account(1));
    dialog.setNow(instant(now));
    dialog.setLocalZone(date::locate_zone("Europe/Berlin"));
    dialog.show();
    clickZone(dialog, zone);
    auto *table = child<QTableWidget>(dialog, "previewTable");
    QCOMPARE(table->rowCount(), 8);
    QStringList shown;
    for (int r = 0; r < table->rowCount(); ++r)
        shown << table->item(r, 3)->text();
    QCOMPARE(shown, hours);
    QVERIFY(table->item(0, 0)->text().contains(QLatin1String("(today)")));
    QCOMPARE(table->item(0, 1)->text(), todayStartUtc);
    QVERIFY2(child<QLabel>(dialog, "closesZoneLabel")->text().startsWith(closesZone),
             qPrintable(child<QLabel>(dialog, "closesZoneLabel")->text()));
    QCOMPARE(child<QLabel>(dialog, "closesUtcLabel")->text(), closesUtc);
    QVERIFY(child<QLabel>(dialog, "closesLocalLabel")->text().contains(QLatin1String("CE"))); // this computer: Europe/Berlin
    QVERIFY2(child<QLabel>(dialog, "earliestLabel")->text().contains(earliest),
             qPrintable(child<QLabel>(dialog, "earliestLabel")->text()));
}

void TestTimezoneDialog::findByOffsetAndSave()
{
    TimezoneDialog dialog(m_db->settings(), account(1));
    QSignalSpy coverage(&dialog, &TimezoneDialog::coverageReady);
    QSignalSpy saved(&dialog, &TimezoneDialog::saved);
    dialog.show();
    QVERIFY(coverage.count() > 0 || coverage.wait(10000));
    QCOMPARE(dialog.selectedZone(), QStringLiteral("UTC")); // the stored zone is preselected
    QVERIFY(!saveButton(dialog)->isEnabled()); // ... and unchanged
    QTest::keyClicks(child<QLineEdit>(dialog, "offsetEdit"), QStringLiteral("+5:30"));
    // Enter in a search box moves to the list and never saves (Save is the button box's default).
    QTest::keyClick(child<QLineEdit>(dialog, "offsetEdit"), Qt::Key_Return);
    QTest::keyClick(child<QTableView>(dialog, "zoneView"), Qt::Key_Enter);
    QTest::qWait(200);
    QCOMPARE(saved.count(), 0);
    QVERIFY(dialog.isVisible());
    clickZone(dialog, QStringLiteral("Asia/Kolkata"));
    QVERIFY(child<QFrame>(dialog, "warningFrame")->isHidden()); // no rollups: no warning
    QVERIFY(saveButton(dialog)->isEnabled());
    QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
    QVERIFY(saved.wait(10000));
    QCOMPARE(saved.at(0).at(0).toLongLong(), 1);
    QCOMPARE(saved.at(0).at(1).toString(), QStringLiteral("Asia/Kolkata"));
    QCOMPARE(dialog.lastSave().oldValue.toString(), QStringLiteral("UTC"));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT (settings = ?::jsonb)::int FROM accounts WHERE id = 1"),
                     {QString::fromUtf8(
                         R"({"reporting_timezone": "Asia/Kolkata", "auto_resolve_after": 1440, "x": {"y": [true, null]}})")}),
        1);
}

void TestTimezoneDialog::nullSettingsSave()
{
    TimezoneDialog dialog(m_db->settings(), account(2));
    QSignalSpy coverage(&dialog, &TimezoneDialog::coverageReady);
    QSignalSpy saved(&dialog, &TimezoneDialog::saved);
    dialog.show();
    QVERIFY(child<QLabel>(dialog, "accountLabel")->text().contains(QLatin1String("(settings NULL)")));
    QVERIFY(coverage.count() > 0 || coverage.wait(10000));
    QVERIFY(!child<QPushButton>(dialog, "clearButton")->isEnabled()); // nothing to clear
    QTest::keyClicks(child<QLineEdit>(dialog, "searchEdit"), QStringLiteral("Pacific/Chatham"));
    clickZone(dialog, QStringLiteral("Pacific/Chatham"));
    QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
    QVERIFY(saved.wait(10000));
    QVERIFY(dialog.lastSave().oldValue.isUndefined());
    QCOMPARE(m_db->scalar(QStringLiteral(
                 "SELECT (settings = '{\"reporting_timezone\": \"Pacific/Chatham\"}'::jsonb)::int FROM accounts WHERE id = 2")),
             1);
}

void TestTimezoneDialog::railsNameIsReplacedByIanaId()
{
    TimezoneDialog dialog(m_db->settings(), account(3));
    QSignalSpy coverage(&dialog, &TimezoneDialog::coverageReady);
    QSignalSpy saved(&dialog, &TimezoneDialog::saved);
    dialog.show();
    QVERIFY(coverage.count() > 0 || coverage.wait(10000));
    QCOMPARE(dialog.selectedZone(), QStringLiteral("Asia/Kolkata")); // 'Chennai' resolved
    QVERIFY(saveButton(dialog)->isEnabled()); // stored text differs from the IANA id
    QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
    QVERIFY(saved.wait(10000));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT (settings = '{\"reporting_timezone\": \"Asia/Kolkata\", \"k\": "
                                         "\"v\"}'::jsonb)::int FROM accounts WHERE id = 3")),
             1);
}

void TestTimezoneDialog::clearKeepsOtherKeys()
{
    TimezoneDialog dialog(m_db->settings(), account(1));
    QSignalSpy coverage(&dialog, &TimezoneDialog::coverageReady);
    QSignalSpy saved(&dialog, &TimezoneDialog::saved);
    dialog.show();
    QVERIFY(coverage.count() > 0 || coverage.wait(10000));
    QTest::mouseClick(child<QPushButton>(dialog, "clearButton"), Qt::LeftButton);
    QVERIFY(saved.wait(10000));
    QCOMPARE(saved.at(0).at(1).toString(), QString());
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT (settings = '{\"auto_resolve_after\": 1440, \"x\": {\"y\": [true, "
                                         "null]}}'::jsonb)::int FROM accounts WHERE id = 1")),
             1);
}

void TestTimezoneDialog::rollupWarningOffersRebackfill()
{
    TimezoneDialog dialog(m_db->settings(), account(4));
    QSignalSpy coverage(&dialog, &TimezoneDialog::coverageReady);
    QSignalSpy saved(&dialog, &TimezoneDialog::saved);
    QSignalSpy rebackfill(&dialog, &TimezoneDialog::rebackfillAllRequested);
    dialog.show();
    QVERIFY(coverage.count() > 0 || coverage.wait(10000));
    QCOMPARE(dialog.coverage().rows, 4);
    auto *warning = child<QLabel>(dialog, "warningLabel");
    auto *check = child<QCheckBox>(dialog, "rebackfillCheck");
    QVERIFY(!child<QFrame>(dialog, "warningFrame")->isHidden());
    QVERIFY2(warning->text().contains(
                 QLatin1String("4 rollup rows over 3 days (2026-03-01 .. 2026-03-04), bucketed in America/New_York")),
             qPrintable(warning->text()));
    QVERIFY(!check->isEnabled()); // same zone selected: nothing to re-bucket
    QTest::keyClicks(child<QLineEdit>(dialog, "searchEdit"), QStringLiteral("Chicago"));
    clickZone(dialog, QStringLiteral("America/Chicago"));
    QVERIFY(warning->text().contains(QLatin1String("Saving America/Chicago does not move them")));
    QVERIFY(check->isEnabled());
    QTRY_VERIFY(check->isVisible() && check->width() > 0); // laid out after the coverage arrived
    QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(8, check->height() / 2));
    QVERIFY(check->isChecked());
    QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
    QVERIFY(saved.wait(10000));
    QCOMPARE(rebackfill.count(), 1);
    QCOMPARE(rebackfill.at(0).at(0).toLongLong(), 4);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM reporting_events_rollups WHERE account_id = 4")), 4);
}

void TestTimezoneDialog::readOnlyGreysOutAndServerRefuses()
{
    ConnectionSettings readOnly = m_db->settings();
    readOnly.readOnly = true;
    TimezoneDialog dialog(readOnly, account(4));
    QSignalSpy coverage(&dialog, &TimezoneDialog::coverageReady);
    dialog.show();
    QVERIFY(coverage.count() > 0 || coverage.wait(10000)); // reads work on a read-only session
    QCOMPARE(dialog.coverage().rows, 4);
    clickZone(dialog, QStringLiteral("UTC"));
    QVERIFY(!saveButton(dialog)->isEnabled());
    QVERIFY(!child<QPushButton>(dialog, "clearButton")->isEnabled());
    QVERIFY(!child<QCheckBox>(dialog, "rebackfillCheck")->isEnabled());
    QVERIFY(child<QLabel>(dialog, "statusLabel")->text().contains(QLatin1String("Read-only")));
    // The worker the Save button would use: the server itself refuses the write.
    QFuture<TimezoneSave> future = TimezoneChange::startSave(readOnly, 4, QStringLiteral("UTC")).future;
    future.waitForFinished();
    const TimezoneSave result = future.result();
    QVERIFY2(result.error.contains(QLatin1String("read-only transaction")), qPrintable(result.error));
    QCOMPARE(m_db->scalar(QStringLiteral(
                 "SELECT (settings ->> 'reporting_timezone' = 'America/New_York')::int FROM accounts WHERE id = 4")),
             1);
}

QTEST_MAIN(TestTimezoneDialog)
#include "tst_timezonedialog.moc"
