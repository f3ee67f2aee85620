#include "core/connectionsettings.h"
#include "core/localdate.h"
#include "core/zonecatalogue.h"
#include "core/zoneresolver.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace rollup;

// Randomized inputs for the parsers that take user text: at least 100,000 each, no crash, no
// hang, and answers that are consistent with themselves.
class TestFuzz : public QObject
{
    Q_OBJECT
private slots:
    void zoneResolver();
    void dates();
    void offsets();

private:
    static QString mutate(QRandomGenerator &rng, const QStringList &seeds, const QString &alphabet);
};

QString TestFuzz::mutate(QRandomGenerator &rng, const QStringList &seeds, const QString &alphabet)
{
    QString s = seeds.at(int(rng.bounded(qint64(seeds.size()))));
    const int edits = int(rng.bounded(5));
    for (int e = 0; e < edits; ++e) {
        const int pos = int(rng.bounded(qint64(s.size() + 1)));
        const QChar c = alphabet.at(int(rng.bounded(qint64(alphabet.size()))));
        switch (rng.bounded(4)) {
        case 0:
            s.insert(pos, c);
            break;
        case 1:
            if (pos < s.size())
                s.remove(pos, 1);
            break;
        case 2:
            if (pos < s.size())
                s[pos] = c;
            break;
        default:
            if (pos < s.size())
                s[pos] = s.at(pos).isUpper() ? s.at(pos).toLower() : s.at(pos).toUpper();
            break;
        }
    }
    if (rng.bounded(50) == 0)
        s = QString(int(rng.bounded(2000)), alphabet.at(int(rng.bounded(qint64(alphabet.size())))));
    return s;
}

void TestFuzz::zoneResolver()
{
    QRandomGenerator rng(42);
    const QStringList seeds = {QStringLiteral("America/New_York"),
                               QStringLiteral("Eastern Time (US & Canada)"),
                               QStringLiteral("UTC"),
                               QStringLiteral("Asia/Kolkata"),
                               QStringLiteral("Etc/GMT+5"),
                               QStringLiteral("posix/Europe/Berlin"),
                               QStringLiteral("../../etc/passwd"),
                               QString()};
    const QString alphabet = QStringLiteral("abcXYZ/_-+0 9.()&'\";\\\t\n\x00e9\x2212");
    QElapsedTimer t;
    t.start();
    int usable = 0;
    for (int i = 0; i < 100000; ++i) {
        const QString s = mutate(rng, seeds, alphabet);
        const ZoneResolution r = ZoneResolver::resolveName(s);
        if (r.usable()) {
            ++usable;
            QVERIFY(!r.ianaId.isEmpty());
            QVERIFY2(ZoneResolver::zoneIds().contains(r.ianaId) || ZoneResolver::railsMapping().values().contains(r.ianaId),
                     qPrintable(s));
        } else if (r.state == ZoneResolution::State::Invalid) {
            QVERIFY(!r.reason.isEmpty() && !r.reason.contains(QLatin1Char('\n')) && r.reason.size() < 300);
        } else {
            QVERIFY(s.trimmed().isEmpty());
        }
    }
    QVERIFY(usable > 100);
    QVERIFY2(t.elapsed() < 60000, "resolver too slow");
}

void TestFuzz::dates()
{
    QRandomGenerator rng(7);
    const QStringList seeds = {QStringLiteral("2024-02-29"), QStringLiteral("2023-12-31"), QStringLiteral("0001-01-01"),
                               QStringLiteral("9999-12-31"), QStringLiteral("2026-11-29 12:00:00.123456")};
    const QString alphabet = QStringLiteral("0123456789-: T.Z\x0660");
    int valid = 0;
    for (int i = 0; i < 100000; ++i) {
        const QString s = mutate(rng, seeds, alphabet);
        QString error;
        const auto d = parseLocalDate(s, &error);
        if (d) {
            ++valid;
            QCOMPARE(formatLocalDate(*d), s); // only canonical text is accepted
        } else {
            QVERIFY(!error.isEmpty() && !error.contains(QLatin1Char('\n')));
        }
        if (const auto ts = parseUtcTimestamp(s))
            QVERIFY(parseLocalDate(formatUtcMicros(*ts).left(10)).has_value());
    }
    QVERIFY(valid > 100);
}

void TestFuzz::offsets()
{
    QRandomGenerator rng(9);
    const QStringList seeds = {QStringLiteral("+5:30"), QStringLiteral("-3"), QStringLiteral("UTC+12:45"), QStringLiteral("0"),
                               QStringLiteral("-0330")};
    const QString alphabet = QStringLiteral("+-:0123456789UTCGM \x2212");
    for (int i = 0; i < 100000; ++i) {
        const QString s = mutate(rng, seeds, alphabet);
        if (const auto secs = ZoneCatalogue::parseOffset(s)) {
            QVERIFY(*secs >= -14 * 3600 - 3540 && *secs <= 14 * 3600 + 3540);
            QCOMPARE(ZoneCatalogue::parseOffset(ZoneCatalogue::formatOffset(*secs)).value(), *secs);
        }
    }
}

QTEST_GUILESS_MAIN(TestFuzz)
#include "tst_fuzz.moc"
