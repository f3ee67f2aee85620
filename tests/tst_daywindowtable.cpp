#include "core/daywindow.h"

#include <QFile>
#include <QHash>
#include <QSet>
#include <QTest>

#include <date/tz.h>

using namespace rollup;

// Checks DayWindows against tests/data/day_windows.tsv: windows of the days around every
// transition of 2016-2026 in ~50 zones (plus a few older corner cases), computed once by
// tests/data/generate_day_windows.sh from PostgreSQL's AT TIME ZONE and the ActiveSupport
// tz.parse rule written out in SQL, never by this code. The test only reads the file.
class TestDayWindowTable : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void windows_data();
    void windows();
    void coversTheCorners();

private:
    struct Row
    {
        QString zone, day, start, end, hours, dateBeforeStart, dateAtStart, dateBeforeEnd, midnight;
    };
    QList<Row> m_rows;
    QString m_tzdata; // tzdata version the file was generated with
};

void TestDayWindowTable::initTestCase()
{
    const QByteArray sourceDir = qgetenv("ROLLUP_SOURCE_DIR");
    QVERIFY2(!sourceDir.isEmpty(), "ROLLUP_SOURCE_DIR is not set (ctest sets it)");
    QFile file(QString::fromLocal8Bit(sourceDir) + QStringLiteral("/tests/data/day_windows.tsv"));
    QVERIFY2(file.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(file.fileName()));
    int lineNo = 0;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        ++lineNo;
        if (line.startsWith(QLatin1String("# tzdata: ")))
            m_tzdata = line.mid(10);
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList f = line.split(QLatin1Char('\t'));
        QVERIFY2(f.size() == 9, qPrintable(QStringLiteral("line %1: %2 fields").arg(lineNo).arg(f.size())));
        m_rows.append(Row{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]});
    }
    QVERIFY2(m_rows.size() > 3000, qPrintable(QString::number(m_rows.size())));
    // date reports "unknown" for the OS database on Debian; tzdata.zi names the version.
    QString version = QString::fromStdString(date::get_tzdb().version);
    QFile zi(QStringLiteral("/usr/share/zoneinfo/tzdata.zi"));
    if (version == QLatin1String("unknown") && zi.open(QIODevice::ReadOnly | QIODevice::Text)) {
        const QString first = QString::fromUtf8(zi.readLine()).trimmed();
        if (first.startsWith(QLatin1String("# version ")))
            version = first.mid(10);
    }
    qInfo("%lld rows; table from tzdata %s, this machine has %s", qlonglong(m_rows.size()), qPrintable(m_tzdata),
          qPrintable(version));
    if (version != m_tzdata)
        qWarning("tzdata differs from the table's: rows of zones whose rules changed may fail; "
                 "regenerate with tests/data/generate_day_windows.sh and review the diff");
}

void TestDayWindowTable::windows_data()
{
    QTest::addColumn<int>("row");
    for (int i = 0; i < m_rows.size(); ++i)
        QTest::newRow(qPrintable(m_rows[i].zone + QLatin1Char(' ') + m_rows[i].day)) << i;
}

void TestDayWindowTable::windows()
{
    QFETCH(int, row);
    const Row &r = m_rows.at(row);
    const date::time_zone *zone = nullptr;
    try {
        zone = date::locate_zone(r.zone.toStdString());
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
    QString error;
    const std::optional<date::local_days> day = parseLocalDate(r.day, &error);
    QVERIFY2(day, qPrintable(error));

    const DayWindow w = DayWindows::window(zone, *day);
    QCOMPARE(formatUtcInstant(w.start), r.start);
    QCOMPARE(formatUtcInstant(w.end), r.end);
    QCOMPARE(w.hoursText(), r.hours);
    QCOMPARE(w.hours(), r.hours.toDouble());
    QCOMPARE(w.day, *day);
    // The range API (what backfill and verify use) gives the same window inside a range.
    const QList<DayWindow> range = DayWindows::windows(zone, *day - date::days{1}, *day + date::days{1});
    QCOMPARE(range.size(), 3);
    QCOMPARE(range.at(1).start, w.start);
    QCOMPARE(range.at(1).end, w.end);

    // The live path's date of the instants at the window's edges, as PostgreSQL reads them.
    // They differ from the day itself only on the rare days where a midnight is repeated
    // without DST (the later one is taken) or a gap is not a whole hour.
    constexpr std::chrono::microseconds us{1};
    QCOMPARE(formatLocalDate(DayWindows::localDateOf(zone, SysMicros{w.start} - us)), r.dateBeforeStart);
    QCOMPARE(formatLocalDate(DayWindows::localDateOf(zone, SysMicros{w.start})), r.dateAtStart);
    QCOMPARE(formatLocalDate(DayWindows::localDateOf(zone, w.start)), r.dateAtStart);
    QCOMPARE(formatLocalDate(DayWindows::localDateOf(zone, SysMicros{w.end} - us)), r.dateBeforeEnd);
}

void TestDayWindowTable::coversTheCorners()
{
    // The table keeps exercising every branch of the rule: whole-hour gaps, a skipped day,
    // repeated midnights resolved to the DST period and to the later instant, odd offsets.
    QSet<QString> zones;
    QHash<QString, int> kinds;
    int notWholeHours = 0;
    for (const Row &r : std::as_const(m_rows)) {
        zones.insert(r.zone);
        ++kinds[r.midnight];
        if (r.hours.contains(QLatin1Char('.')))
            ++notWholeHours;
    }
    qInfo("%lld zones; midnights: %d unique, %d gap+1h, %d gap+24h, %d ambiguous:dst-earlier, %d ambiguous:later",
          qlonglong(zones.size()), kinds.value(QStringLiteral("unique")), kinds.value(QStringLiteral("gap+1h")),
          kinds.value(QStringLiteral("gap+24h")), kinds.value(QStringLiteral("ambiguous:dst-earlier")),
          kinds.value(QStringLiteral("ambiguous:later")));
    QVERIFY(zones.size() >= 30);
    QVERIFY(kinds.value(QStringLiteral("gap+1h")) >= 10);
    QVERIFY(kinds.value(QStringLiteral("gap+24h")) >= 1);
    QVERIFY(kinds.value(QStringLiteral("ambiguous:dst-earlier")) >= 10);
    QVERIFY(kinds.value(QStringLiteral("ambiguous:later")) >= 3);
    QVERIFY(notWholeHours >= 10);
}

QTEST_GUILESS_MAIN(TestDayWindowTable)
#include "tst_daywindowtable.moc"
