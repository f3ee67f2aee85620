#include "core/localdate.h"
#include "core/rangeplan.h"
#include "core/zoneresolver.h"

#include <QTest>

using namespace rollup;

class TestRangePlan : public QObject
{
    Q_OBJECT
private slots:
    void decide_data();
    void decide();
    void parseDates_data();
    void parseDates();
};

static std::optional<SysMicros> ts(const QString &s)
{
    if (s.isEmpty())
        return std::nullopt;
    return parseUtcTimestamp(s);
}

void TestRangePlan::decide_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("last");
    QTest::addColumn<QString>("now");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("includeToday");
    QTest::addColumn<QString>("expect"); // "FROM..TO", "error:<part>", "note:<part>"
    // First event's local date .. min(last event's local date, yesterday local).
    QTest::newRow("default-closed") << "America/New_York"
                                    << "2026-01-10 04:59:59"
                                    << "2026-02-01 12:00:00"
                                    << "2026-03-01 12:00:00"
                                    << ""
                                    << "" << false << "2026-01-09..2026-02-01";
    QTest::newRow("default-stops-yesterday") << "America/New_York"
                                             << "2026-01-10 12:00:00"
                                             << "2026-03-01 12:00:00"
                                             << "2026-03-01 12:00:00"
                                             << ""
                                             << "" << false << "2026-01-10..2026-02-28";
    QTest::newRow("include-today") << "America/New_York"
                                   << "2026-01-10 12:00:00"
                                   << "2026-03-01 12:00:00"
                                   << "2026-03-01 12:00:00"
                                   << ""
                                   << "" << true << "2026-01-10..2026-03-01";
    QTest::newRow("kolkata-local-today") << "Asia/Kolkata"
                                         << "2026-01-10 12:00:00"
                                         << "2026-03-01 20:00:00"
                                         << "2026-03-01 20:00:00"
                                         << ""
                                         << "" << false << "2026-01-10..2026-03-01";
    QTest::newRow("explicit") << "UTC"
                              << "2025-01-01 00:00:00"
                              << "2026-01-01 00:00:00"
                              << "2026-03-01 12:00:00"
                              << "2025-06-01"
                              << "2025-06-30" << false << "2025-06-01..2025-06-30";
    QTest::newRow("no-events") << "UTC"
                               << ""
                               << ""
                               << "2026-03-01 12:00:00"
                               << ""
                               << "" << false << "note:no reporting events";
    QTest::newRow("only-today") << "UTC"
                                << "2026-03-01 01:00:00"
                                << "2026-03-01 02:00:00"
                                << "2026-03-01 12:00:00"
                                << ""
                                << "" << false << "note:no closed days";
    QTest::newRow("from-after-to") << "UTC"
                                   << ""
                                   << ""
                                   << "2026-03-01 12:00:00"
                                   << "2025-02-01"
                                   << "2025-01-01" << false << "error:after";
    QTest::newRow("bad-date") << "UTC"
                              << ""
                              << ""
                              << "2026-03-01 12:00:00"
                              << "2024-02-30"
                              << "" << false << "error:impossible";
    QTest::newRow("bad-month") << "UTC"
                               << ""
                               << ""
                               << "2026-03-01 12:00:00"
                               << "2024-13-01"
                               << "" << false << "error:impossible";
    QTest::newRow("malformed") << "UTC"
                               << ""
                               << ""
                               << "2026-03-01 12:00:00"
                               << ""
                               << "yesterday" << false << "error:malformed";
    QTest::newRow("to-today-refused") << "UTC"
                                      << "2026-01-01 00:00:00"
                                      << "2026-03-01 00:00:00"
                                      << "2026-03-01 12:00:00"
                                      << ""
                                      << "2026-03-01" << false << "error:not a closed day";
    QTest::newRow("long-range") << "UTC"
                                << "2020-01-01 00:00:00"
                                << "2026-01-01 00:00:00"
                                << "2026-03-01 12:00:00"
                                << ""
                                << "" << false << "2020-01-01..2026-01-01";
}

void TestRangePlan::decide()
{
    QFETCH(QString, zone);
    QFETCH(QString, first);
    QFETCH(QString, last);
    QFETCH(QString, now);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, includeToday);
    QFETCH(QString, expect);
    const ZoneResolution z = ZoneResolver::resolveName(zone);
    const RangeDecision d = RangePlanner::decide(z.zone, RangeRequest{from, to, includeToday}, ts(first), ts(last),
                                                 date::floor<std::chrono::seconds>(*ts(now)));
    if (expect.startsWith(QLatin1String("error:"))) {
        QVERIFY(!d.range);
        QVERIFY2(d.error.contains(expect.mid(6)), qPrintable(d.error));
        QVERIFY(!d.error.contains(QLatin1Char('\n')));
    } else if (expect.startsWith(QLatin1String("note:"))) {
        QVERIFY(!d.range);
        QVERIFY(d.error.isEmpty());
        QVERIFY2(d.note.contains(expect.mid(5)), qPrintable(d.note));
    } else {
        QVERIFY2(d.range.has_value(), qPrintable(d.error + d.note));
        QCOMPARE(formatLocalDate(d.range->from) + QStringLiteral("..") + formatLocalDate(d.range->to), expect);
        QCOMPARE(d.includesToday, includeToday);
        QCOMPARE(d.longRange, d.range->days() > 730);
    }
}

void TestRangePlan::parseDates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::newRow("ok") << "2024-02-29" << true;
    QTest::newRow("not-leap") << "2023-02-29" << false;
    QTest::newRow("feb-30") << "2024-02-30" << false;
    QTest::newRow("month-13") << "2024-13-01" << false;
    QTest::newRow("day-0") << "2024-01-00" << false;
    QTest::newRow("short") << "2024-1-01" << false;
    QTest::newRow("trailing") << "2024-01-01x" << false;
    QTest::newRow("sql") << "2024-01-01'; DROP TABLE accounts; --" << false;
    QTest::newRow("empty") << "" << false;
}

void TestRangePlan::parseDates()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QString error;
    const auto d = parseLocalDate(text, &error);
    QCOMPARE(d.has_value(), ok);
    QCOMPARE(error.isEmpty(), ok);
    if (ok)
        QCOMPARE(formatLocalDate(*d), text);
}

QTEST_GUILESS_MAIN(TestRangePlan)
#include "tst_rangeplan.moc"
