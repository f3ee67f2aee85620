#include "core/daywindow.h"
#include "core/zonecatalogue.h"

#include <QTest>

using namespace rollup;

class TestZoneCatalogue : public QObject
{
    Q_OBJECT
private slots:
    void parseOffset_data();
    void parseOffset();
    void entryAtInstant_data();
    void entryAtInstant();
    void offsetLookup();
};

void TestZoneCatalogue::parseOffset_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("seconds"); // INT_MIN = not an offset
    QTest::newRow("+5:30") << "+5:30" << 19800;
    QTest::newRow("-3") << "-3" << -10800;
    QTest::newRow("0") << "0" << 0;
    QTest::newRow("+05:45") << "+05:45" << 20700;
    QTest::newRow("UTC+2") << "UTC+2" << 7200;
    QTest::newRow("-0330") << "-0330" << -12600;
    QTest::newRow("+12:45") << "+12:45" << 45900;
    QTest::newRow("minus-sign") << QString(QChar(0x2212)) + "8" << -28800;
    QTest::newRow("garbage") << "abc" << INT_MIN;
    QTest::newRow("too-big") << "+25" << INT_MIN;
    QTest::newRow("bad-minutes") << "+5:75" << INT_MIN;
    QTest::newRow("empty") << "" << INT_MIN;
}

void TestZoneCatalogue::parseOffset()
{
    QFETCH(QString, text);
    QFETCH(int, seconds);
    const auto got = ZoneCatalogue::parseOffset(text);
    if (seconds == INT_MIN)
        QVERIFY(!got);
    else
        QCOMPARE(got.value_or(INT_MIN), seconds);
}

void TestZoneCatalogue::entryAtInstant_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("instant");
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("standard");
    QTest::addColumn<bool>("dst");
    QTest::addColumn<QString>("abbrev");
    QTest::newRow("ny-winter") << "America/New_York"
                               << "2026-01-15 12:00:00" << -18000 << -18000 << false << "EST";
    QTest::newRow("ny-summer") << "America/New_York"
                               << "2026-07-15 12:00:00" << -14400 << -18000 << true << "EDT";
    QTest::newRow("chatham-summer") << "Pacific/Chatham"
                                    << "2026-01-15 12:00:00" << 49500 << 45900 << true << "+1345";
    QTest::newRow("lordhowe-summer") << "Australia/Lord_Howe"
                                     << "2026-01-15 12:00:00" << 39600 << 37800 << true << "+11";
    QTest::newRow("kolkata") << "Asia/Kolkata"
                             << "2026-01-15 12:00:00" << 19800 << 19800 << false << "IST";
}

void TestZoneCatalogue::entryAtInstant()
{
    QFETCH(QString, zone);
    QFETCH(QString, instant);
    QFETCH(int, offset);
    QFETCH(int, standard);
    QFETCH(bool, dst);
    QFETCH(QString, abbrev);
    const ZoneEntry e = ZoneCatalogue::entry(zone, date::floor<std::chrono::seconds>(*parseUtcTimestamp(instant)));
    QCOMPARE(e.offsetSeconds, offset);
    QCOMPARE(e.standardOffsetSeconds, standard);
    QCOMPARE(e.dst, dst);
    QCOMPARE(e.abbreviation, abbrev);
    if (zone != QLatin1String("Asia/Kolkata"))
        QVERIFY(e.nextTransition.has_value());
}

void TestZoneCatalogue::offsetLookup()
{
    const SysSeconds summer = date::floor<std::chrono::seconds>(*parseUtcTimestamp(QStringLiteral("2026-07-15 12:00:00")));
    const QList<ZoneEntry> all = ZoneCatalogue::entries(summer);
    QVERIFY(all.size() > 300);
    auto ids = [](const QList<ZoneEntry> &list) {
        QStringList out;
        for (const ZoneEntry &e : list)
            out << e.id;
        return out;
    };
    const QStringList kolkata = ids(ZoneCatalogue::matchingOffset(all, *ZoneCatalogue::parseOffset(QStringLiteral("+5:30"))));
    QVERIFY(kolkata.contains(QStringLiteral("Asia/Kolkata")));
    // -5 matches New York by its standard offset in July and Bogota by its current one.
    const QStringList minus5 = ids(ZoneCatalogue::matchingOffset(all, -5 * 3600));
    QVERIFY(minus5.contains(QStringLiteral("America/New_York")));
    QVERIFY(minus5.contains(QStringLiteral("America/Bogota")));
    QVERIFY(!minus5.contains(QStringLiteral("Asia/Kolkata")));
    QVERIFY(ids(ZoneCatalogue::matchingOffset(all, 20700)).contains(QStringLiteral("Asia/Kathmandu")));
    QCOMPARE(ZoneCatalogue::formatOffset(-12600), QStringLiteral("-03:30"));
    QCOMPARE(ZoneCatalogue::formatOffset(45900), QStringLiteral("+12:45"));
}

QTEST_GUILESS_MAIN(TestZoneCatalogue)
#include "tst_zonecatalogue.moc"
