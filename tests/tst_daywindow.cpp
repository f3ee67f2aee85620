#include "core/daywindow.h"
#include "core/localdate.h"
#include "core/zoneresolver.h"

#include <QRandomGenerator>
#include <QTest>

#include <date/tz.h>

using namespace rollup;

class TestDayWindow : public QObject
{
    Q_OBJECT
private slots:
    void windows_data();
    void windows();
    void neverStartPlus24h();
    void liveDateAgreesWithWindows_data();
    void liveDateAgreesWithWindows();
    void rangeIsContiguous();
    void shiftPutsEveryInstantOnItsDay();
    void chunksFollowShiftRuns_data();
    void chunksFollowShiftRuns();
    void scatteredDaysHaveNoCommonShift();
    void datesAndTimestampsAsDateFormatsThem();
    void timestampsAreParsed_data();
    void timestampsAreParsed();
    void malformedDatesAreRefused_data();
    void malformedDatesAreRefused();
};

void TestDayWindow::windows_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("day");
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("end");
    QTest::addColumn<QString>("hours");
    // Windows measured with ActiveSupport 7.1.6 (docs/rollups.md §5.2) and more edge cases.
    QTest::newRow("ny-normal") << "America/New_York"
                               << "2026-03-07"
                               << "2026-03-07T05:00:00Z"
                               << "2026-03-08T05:00:00Z"
                               << "24";
    QTest::newRow("ny-spring") << "America/New_York"
                               << "2026-03-08"
                               << "2026-03-08T05:00:00Z"
                               << "2026-03-09T04:00:00Z"
                               << "23";
    QTest::newRow("ny-fall") << "America/New_York"
                             << "2026-11-01"
                             << "2026-11-01T04:00:00Z"
                             << "2026-11-02T05:00:00Z"
                             << "25";
    QTest::newRow("ny-spec-day") << "America/New_York"
                                 << "2026-02-11"
                                 << "2026-02-11T05:00:00Z"
                                 << "2026-02-12T05:00:00Z"
                                 << "24";
    QTest::newRow("saopaulo-gap") << "America/Sao_Paulo"
                                  << "2018-11-04"
                                  << "2018-11-04T03:00:00Z"
                                  << "2018-11-05T02:00:00Z"
                                  << "23";
    QTest::newRow("saopaulo-25h") << "America/Sao_Paulo"
                                  << "2019-02-16"
                                  << "2019-02-16T02:00:00Z"
                                  << "2019-02-17T03:00:00Z"
                                  << "25";
    QTest::newRow("santiago-before") << "America/Santiago"
                                     << "2024-09-07"
                                     << "2024-09-07T04:00:00Z"
                                     << "2024-09-08T04:00:00Z"
                                     << "24";
    QTest::newRow("santiago-gap") << "America/Santiago"
                                  << "2024-09-08"
                                  << "2024-09-08T04:00:00Z"
                                  << "2024-09-09T03:00:00Z"
                                  << "23";
    QTest::newRow("santiago-fall") << "America/Santiago"
                                   << "2024-04-06"
                                   << "2024-04-06T03:00:00Z"
                                   << "2024-04-07T04:00:00Z"
                                   << "25";
    QTest::newRow("havana-gap") << "America/Havana"
                                << "2024-03-10"
                                << "2024-03-10T05:00:00Z"
                                << "2024-03-11T04:00:00Z"
                                << "23";
    QTest::newRow("havana-ambiguous") << "America/Havana"
                                      << "2024-11-03"
                                      << "2024-11-03T04:00:00Z"
                                      << "2024-11-04T05:00:00Z"
                                      << "25";
    QTest::newRow("beirut-gap") << "Asia/Beirut"
                                << "2024-03-31"
                                << "2024-03-30T22:00:00Z"
                                << "2024-03-31T21:00:00Z"
                                << "23";
    QTest::newRow("apia-skipped") << "Pacific/Apia"
                                  << "2011-12-30"
                                  << "2011-12-30T10:00:00Z"
                                  << "2011-12-30T10:00:00Z"
                                  << "0";
    QTest::newRow("apia-after") << "Pacific/Apia"
                                << "2011-12-31"
                                << "2011-12-30T10:00:00Z"
                                << "2011-12-31T10:00:00Z"
                                << "24";
    QTest::newRow("kolkata") << "Asia/Kolkata"
                             << "2026-02-11"
                             << "2026-02-10T18:30:00Z"
                             << "2026-02-11T18:30:00Z"
                             << "24";
    QTest::newRow("utc") << "UTC"
                         << "2026-02-11"
                         << "2026-02-11T00:00:00Z"
                         << "2026-02-12T00:00:00Z"
                         << "24";
    QTest::newRow("etc-utc") << "Etc/UTC"
                             << "2026-02-11"
                             << "2026-02-11T00:00:00Z"
                             << "2026-02-12T00:00:00Z"
                             << "24";
    QTest::newRow("rails-chennai") << "Chennai"
                                   << "2026-02-11"
                                   << "2026-02-10T18:30:00Z"
                                   << "2026-02-11T18:30:00Z"
                                   << "24";
    // Chatham: +12:45 standard, +13:45 DST (from the last Sunday of September, 02:45 local).
    QTest::newRow("chatham-normal") << "Pacific/Chatham"
                                    << "2026-06-15"
                                    << "2026-06-14T11:15:00Z"
                                    << "2026-06-15T11:15:00Z"
                                    << "24";
    QTest::newRow("chatham-dst-start") << "Pacific/Chatham"
                                       << "2026-09-27"
                                       << "2026-09-26T11:15:00Z"
                                       << "2026-09-27T10:15:00Z"
                                       << "23";
    // Lord Howe: half-hour DST (+10:30 / +11:00), ending first Sunday of April at 02:00 local.
    QTest::newRow("lordhowe-dst-end") << "Australia/Lord_Howe"
                                      << "2026-04-05"
                                      << "2026-04-04T13:00:00Z"
                                      << "2026-04-05T13:30:00Z"
                                      << "24.5";
    QTest::newRow("lordhowe-dst-start") << "Australia/Lord_Howe"
                                        << "2026-10-04"
                                        << "2026-10-03T13:30:00Z"
                                        << "2026-10-04T13:00:00Z"
                                        << "23.5";
    // 30-minute gap at midnight: lands 30 minutes after the transition (ActiveSupport adds 1 h).
    QTest::newRow("pitcairn-30min-gap") << "Pacific/Pitcairn"
                                        << "1998-04-27"
                                        << "1998-04-27T09:00:00Z"
                                        << "1998-04-28T08:00:00Z"
                                        << "23";
}

void TestDayWindow::windows()
{
    QFETCH(QString, zone);
    QFETCH(QString, day);
    QFETCH(QString, start);
    QFETCH(QString, end);
    QFETCH(QString, hours);
    const ZoneResolution z = ZoneResolver::resolveName(zone);
    QVERIFY2(z.usable(), qPrintable(z.reason));
    const DayWindow w = DayWindows::window(z.zone, *parseLocalDate(day));
    QCOMPARE(formatUtcInstant(w.start), start);
    QCOMPARE(formatUtcInstant(w.end), end);
    QCOMPARE(w.hoursText(), hours);
}

void TestDayWindow::neverStartPlus24h()
{
    // Santiago 2024-09-08: the old `start + 1.day` would end at 04:00Z and overlap the next day.
    const ZoneResolution z = ZoneResolver::resolveName(QStringLiteral("America/Santiago"));
    const DayWindow w = DayWindows::window(z.zone, *parseLocalDate(QStringLiteral("2024-09-08")));
    QVERIFY(w.end != w.start + std::chrono::hours{24});
    QCOMPARE(w.end, DayWindows::window(z.zone, *parseLocalDate(QStringLiteral("2024-09-09"))).start);
}

void TestDayWindow::liveDateAgreesWithWindows_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::newRow("new_york") << "America/New_York"
                              << "2025-01-01"
                              << "2026-12-31";
    QTest::newRow("sao_paulo") << "America/Sao_Paulo"
                               << "2017-01-01"
                               << "2019-12-31";
    QTest::newRow("santiago") << "America/Santiago"
                              << "2022-01-01"
                              << "2024-12-31";
    QTest::newRow("lord_howe") << "Australia/Lord_Howe"
                               << "2024-01-01"
                               << "2026-12-31";
    QTest::newRow("chatham") << "Pacific/Chatham"
                             << "2024-01-01"
                             << "2026-12-31";
    QTest::newRow("kolkata") << "Asia/Kolkata"
                             << "2024-01-01"
                             << "2024-12-31";
}

void TestDayWindow::liveDateAgreesWithWindows()
{
    // docs/rollups.md §5.4: outside 11 rare zone/days, created_at.in_time_zone(tz).to_date == D
    // exactly when created_at is in [start(D), start(D+1)). Probe both edges of every day.
    QFETCH(QString, zone);
    QFETCH(QString, from);
    QFETCH(QString, to);
    const ZoneResolution z = ZoneResolver::resolveName(zone);
    for (const DayWindow &w : DayWindows::windows(z.zone, *parseLocalDate(from), *parseLocalDate(to))) {
        if (w.length().count() == 0)
            continue;
        QCOMPARE(DayWindows::localDateOf(z.zone, SysMicros{w.start}), w.day);
        QCOMPARE(DayWindows::localDateOf(z.zone, SysMicros{w.end} - std::chrono::microseconds{1}), w.day);
    }
}

void TestDayWindow::rangeIsContiguous()
{
    const ZoneResolution z = ZoneResolver::resolveName(QStringLiteral("America/Sao_Paulo"));
    const QList<DayWindow> ws = DayWindows::windows(z.zone, *parseLocalDate(QStringLiteral("2018-10-01")),
                                                    *parseLocalDate(QStringLiteral("2019-03-31")));
    QCOMPARE(ws.size(), 182);
    for (qsizetype i = 1; i < ws.size(); ++i) {
        QCOMPARE(ws.at(i).start, ws.at(i - 1).end);
        QCOMPARE(ws.at(i).day, ws.at(i - 1).day + date::days{1});
    }
    QVERIFY(
        DayWindows::windows(z.zone, *parseLocalDate(QStringLiteral("2019-01-02")), *parseLocalDate(QStringLiteral("2019-01-01")))
            .isEmpty());
}

void TestDayWindow::shiftPutsEveryInstantOnItsDay()
{
    // Every Rails zone, 2023..2026, plus the odd ones: where a window has a shift, both of its
    // edges land on its day after adding it (what the server computes); where it has none, the
    // window is longer than 24 hours.
    QStringList zones;
    for (const QString &iana : ZoneResolver::railsMapping())
        if (!zones.contains(iana))
            zones << iana;
    zones << QStringLiteral("America/Havana") << QStringLiteral("America/Santiago") << QStringLiteral("Australia/Lord_Howe");
    int withShift = 0;
    int without = 0;
    for (const QString &zone : zones) {
        const ZoneResolution z = ZoneResolver::resolveName(zone);
        QVERIFY2(z.usable(), qPrintable(zone));
        for (const auto &[from, to] : {std::pair{QStringLiteral("2023-01-01"), QStringLiteral("2026-12-31")},
                                       std::pair{QStringLiteral("2011-12-25"), QStringLiteral("2012-01-05")},
                                       std::pair{QStringLiteral("2018-10-28"), QStringLiteral("2018-11-10")}}) {
            for (const DayWindow &w : DayWindows::windows(z.zone, *parseLocalDate(from), *parseLocalDate(to))) {
                const std::optional<std::chrono::seconds> shift = w.shift();
                if (!shift) {
                    QVERIFY2(w.length() > std::chrono::hours{24} || w.length().count() <= 0, qPrintable(zone));
                    ++without;
                    continue;
                }
                ++withShift;
                const auto dayOf
                    = [&](SysMicros t) { return date::local_days{date::floor<date::days>(t + *shift).time_since_epoch()}; };
                QCOMPARE(dayOf(SysMicros{w.start}), w.day);
                QCOMPARE(dayOf(SysMicros{w.end} - std::chrono::microseconds{1}), w.day);
                QCOMPARE(dayOf(SysMicros{w.start} - std::chrono::microseconds{1}), w.day - date::days{1});
            }
        }
    }
    QVERIFY(withShift > 100000);
    QVERIFY(without > 100); // the fall-back days of the DST zones
}

void TestDayWindow::chunksFollowShiftRuns_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<int>("max");
    for (const char *zone : {"America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Apia"})
        for (int max : {1, 3, 7, 30, 120, 400})
            QTest::newRow((QByteArray(zone) + '-' + QByteArray::number(max)).constData()) << QString::fromLatin1(zone) << max;
}

void TestDayWindow::chunksFollowShiftRuns()
{
    // The chunks partition the windows in order, none longer than `max`; every run of at least
    // kMinShiftRun days with one shift is covered by shift chunks, except where `max` cuts.
    QFETCH(QString, zone);
    QFETCH(int, max);
    const ZoneResolution z = ZoneResolver::resolveName(zone);
    const QList<DayWindow> ws = DayWindows::windows(z.zone, *parseLocalDate(QStringLiteral("2010-06-01")),
                                                    *parseLocalDate(QStringLiteral("2019-06-01")));
    qsizetype at = 0;
    int shiftChunks = 0;
    int boundaryChunks = 0;
    qsizetype boundaryDays = 0;
    while (at < ws.size()) {
        const qsizetype n = DayWindows::nextChunk(ws, at, max);
        QVERIFY(n >= 1);
        QVERIFY(n <= max);
        const QList<DayWindow> chunk = ws.mid(at, n);
        if (DayWindows::commonShift(chunk)) {
            ++shiftChunks;
        } else {
            ++boundaryChunks;
            boundaryDays += n;
            // A boundary chunk never swallows the start of a long run.
            for (qsizetype i = at + 1; i < at + n; ++i)
                QVERIFY(DayWindows::shiftRun(ws, i, DayWindows::kMinShiftRun) < DayWindows::kMinShiftRun
                        || DayWindows::shiftRun(ws, i - 1, 2) == 2);
        }
        at += n;
    }
    QCOMPARE(at, ws.size());
    QVERIFY(shiftChunks > 0);
    if (zone == QLatin1String("Asia/Kolkata"))
        QCOMPARE(boundaryChunks, 0); // no transitions since 1945
    // Days bucketed by boundaries are the transition days and few around them, never most days.
    QVERIFY2(boundaryDays * 20 < ws.size(), qPrintable(QString::number(boundaryDays)));
}

void TestDayWindow::scatteredDaysHaveNoCommonShift()
{
    const ZoneResolution z = ZoneResolver::resolveName(QStringLiteral("Europe/Berlin"));
    const QList<DayWindow> ws = DayWindows::windows(z.zone, *parseLocalDate(QStringLiteral("2026-01-01")),
                                                    *parseLocalDate(QStringLiteral("2026-01-31")));
    QVERIFY(DayWindows::commonShift(ws).has_value());
    QCOMPARE(DayWindows::commonShift(ws)->count(), 3600); // UTC+1: t + 1 h
    const QList<DayWindow> scattered = {ws.at(1), ws.at(3), ws.at(4)};
    QVERIFY(!DayWindows::commonShift(scattered).has_value());
    QCOMPARE(DayWindows::shiftRun(scattered, 0, 3), 1);
    QCOMPARE(DayWindows::shiftRun(scattered, 1, 3), 2);
    // Across the spring-forward day (23 h, still on winter's shift) the shift changes after it.
    const QList<DayWindow> march = DayWindows::windows(z.zone, *parseLocalDate(QStringLiteral("2026-03-20")),
                                                       *parseLocalDate(QStringLiteral("2026-04-05")));
    QCOMPARE(DayWindows::shiftRun(march, 0, 100), 10); // 03-20 .. 03-29, the 23-hour day included
    QCOMPARE(march.at(9).hoursText(), QStringLiteral("23"));
    QCOMPARE(DayWindows::shiftRun(march, 10, 100), 7);
    QVERIFY(!DayWindows::commonShift({}).has_value());
    QCOMPARE(DayWindows::nextChunk(march, 17, 5), 0);
    QCOMPARE(DayWindows::nextChunk(march, 0, 0), 1);
}

// The formatters write the digits themselves (for speed): every day of 1900..2199 and random
// instants must come out as date::format writes them, and parse back to the same day.
void TestDayWindow::datesAndTimestampsAsDateFormatsThem()
{
    const date::local_days first{date::year{1900} / 1 / 1};
    const date::local_days last{date::year{2199} / 12 / 31};
    for (date::local_days d = first; d <= last; d += date::days{1}) {
        const QString text = formatLocalDate(d);
        QCOMPARE(text, QString::fromStdString(date::format("%F", d)));
        QCOMPARE(parseLocalDate(text), std::optional<date::local_days>(d));
    }
    QRandomGenerator random(20261202);
    const qint64 lo = date::sys_days{date::year{1970} / 1 / 1}.time_since_epoch().count() * 86400000000LL;
    const qint64 hi = date::sys_days{date::year{2100} / 1 / 1}.time_since_epoch().count() * 86400000000LL;
    for (int i = 0; i < 200000; ++i) {
        const SysMicros t{std::chrono::microseconds{lo + qint64(random.bounded(quint64(hi - lo)))}};
        QCOMPARE(formatUtcMicros(t), QString::fromStdString(date::format("%F %T", t)));
        QCOMPARE(parseUtcTimestamp(formatUtcMicros(t)), std::optional<SysMicros>(t));
    }
    for (const qint64 us : {0LL, 999999LL, 86399999999LL, 86400000000LL}) {
        const SysMicros t{std::chrono::microseconds{us}};
        QCOMPARE(formatUtcMicros(t), QString::fromStdString(date::format("%F %T", t)));
    }
}

// The server's text for timestamp values (and ROLLUP_CONSOLE_NOW): a space or 'T', up to six
// fraction digits, an optional 'Z', surrounding blanks ignored; anything else is refused.
void TestDayWindow::timestampsAreParsed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // formatUtcMicros of the result; empty: refused
    QTest::newRow("plain") << "2026-03-08 07:00:00" << "2026-03-08 07:00:00.000000";
    QTest::newRow("iso") << "2026-03-08T07:00:00Z" << "2026-03-08 07:00:00.000000";
    QTest::newRow("one digit") << "2026-03-08 07:00:00.5" << "2026-03-08 07:00:00.500000";
    QTest::newRow("six digits") << "2026-03-08 07:00:00.000001" << "2026-03-08 07:00:00.000001";
    QTest::newRow("blanks") << "  2024-02-29 23:59:59.25Z\n" << "2024-02-29 23:59:59.250000";
    QTest::newRow("leap second") << "2016-12-31 23:59:60" << "2017-01-01 00:00:00.000000";
    QTest::newRow("seven digits") << "2026-03-08 07:00:00.1234567" << "";
    QTest::newRow("no digits") << "2026-03-08 07:00:00." << "";
    QTest::newRow("hour 24") << "2026-03-08 24:00:00" << "";
    QTest::newRow("minute 60") << "2026-03-08 07:60:00" << "";
    QTest::newRow("february 30") << "2026-02-30 07:00:00" << "";
    QTest::newRow("no seconds") << "2026-03-08 07:00" << "";
    QTest::newRow("offset") << "2026-03-08 07:00:00+01" << "";
    QTest::newRow("slash") << "2026/03/08 07:00:00" << "";
    QTest::newRow("two Z") << "2026-03-08 07:00:00ZZ" << "";
    QTest::newRow("arabic-indic digits") << QString::fromUtf8("٢٠٢٦-03-08 07:00:00") << "";
    QTest::newRow("sign") << "-026-03-08 07:00:00" << "";
    QTest::newRow("empty") << "" << "";
}

void TestDayWindow::timestampsAreParsed()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::optional<SysMicros> t = parseUtcTimestamp(text);
    QCOMPARE(t ? formatUtcMicros(*t) : QString(), expected);
}

void TestDayWindow::malformedDatesAreRefused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("short month") << "2026-1-01"
                                 << "malformed date";
    QTest::newRow("no dashes") << "20260101"
                               << "malformed date";
    QTest::newRow("slashes") << "2026/01/01"
                             << "malformed date";
    QTest::newRow("trailing space") << "2026-01-01 "
                                    << "malformed date";
    QTest::newRow("letters") << "2026-0a-01"
                             << "malformed date";
    QTest::newRow("sign") << "-026-01-01"
                          << "malformed date";
    QTest::newRow("arabic-indic digits") << QString::fromUtf8("٢٠٢٦-01-01") << "malformed date";
    QTest::newRow("fullwidth digits") << QString::fromUtf8("２０２６-01-01") << "malformed date";
    QTest::newRow("empty") << ""
                           << "malformed date";
    QTest::newRow("february 30") << "2024-02-30"
                                 << "impossible date";
    QTest::newRow("month 13") << "2024-13-01"
                              << "impossible date";
    QTest::newRow("month 0") << "2024-00-10"
                             << "impossible date";
    QTest::newRow("day 0") << "2024-01-00"
                           << "impossible date";
    QTest::newRow("not a leap year") << "2023-02-29"
                                     << "impossible date";
}

void TestDayWindow::malformedDatesAreRefused()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!parseLocalDate(text, &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
    QCOMPARE(parseLocalDate(QStringLiteral("2024-02-29")), std::optional<date::local_days>(date::year{2024} / 2 / 29));
}

QTEST_GUILESS_MAIN(TestDayWindow)
#include "tst_daywindow.moc"
