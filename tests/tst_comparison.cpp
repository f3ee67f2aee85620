#include "core/comparison.h"

#include <QTest>

using namespace rollup;

class TestComparison : public QObject
{
    Q_OBJECT
private slots:
    void classify_data();
    void classify();
    void summarize();
};

using OV = std::optional<RollupValues>;

void TestComparison::classify_data()
{
    QTest::addColumn<int>("rollupCount"); // -1: no row
    QTest::addColumn<double>("rollupSum");
    QTest::addColumn<int>("rawCount");
    QTest::addColumn<double>("rawSum");
    QTest::addColumn<int>("status");
    QTest::newRow("equal") << 3 << 420.0 << 3 << 420.0 << int(CompareStatus::Match);
    QTest::newRow("float-noise") << 3 << 420.0000000001 << 3 << 420.0 << int(CompareStatus::Match);
    QTest::newRow("sum-off") << 3 << 420.01 << 3 << 420.0 << int(CompareStatus::Mismatch);
    QTest::newRow("count-off") << 4 << 420.0 << 3 << 420.0 << int(CompareStatus::Mismatch);
    QTest::newRow("missing") << -1 << 0.0 << 1 << 5.0 << int(CompareStatus::Missing);
    QTest::newRow("extra") << 1 << 5.0 << -1 << 0.0 << int(CompareStatus::Extra);
    QTest::newRow("zero-sums") << 0 << 0.0 << 0 << 0.0 << int(CompareStatus::Match);
    QTest::newRow("tiny-abs") << 1 << 1e-9 << 1 << 0.0 << int(CompareStatus::Match);
}

void TestComparison::classify()
{
    QFETCH(int, rollupCount);
    QFETCH(double, rollupSum);
    QFETCH(int, rawCount);
    QFETCH(double, rawSum);
    QFETCH(int, status);
    const OV rollup = rollupCount < 0 ? OV{} : OV{RollupValues{rollupCount, rollupSum, rollupSum / 2}};
    const OV raw = rawCount < 0 ? OV{} : OV{RollupValues{rawCount, rawSum, rawSum / 2}};
    QCOMPARE(int(Comparison::classify(rollup, raw)), status);
}

void TestComparison::summarize()
{
    auto row = [](int day, CompareStatus s) {
        CompareRow r;
        r.date = date::local_days{date::days{day}};
        r.status = s;
        return r;
    };
    const QList<CompareRow> rows = {row(1, CompareStatus::Match), row(1, CompareStatus::Mismatch), row(2, CompareStatus::Missing),
                                    row(2, CompareStatus::Extra), row(3, CompareStatus::Match)};
    const CompareSummary s = Comparison::summarize(rows);
    QCOMPARE(s.keys, 5);
    QCOMPARE(s.matches, 2);
    QCOMPARE(s.mismatches, 1);
    QCOMPARE(s.missing, 1);
    QCOMPARE(s.extra, 1);
    QCOMPARE(s.daysWithDifferences, 2);
    QVERIFY(!s.clean());
    QCOMPARE(s.matchRate(), 0.4);
    QVERIFY(Comparison::summarize(QList<CompareRow>{}).clean());
    QVERIFY(Comparison::summarize(QList<DayCounts>{}).clean());
}

QTEST_GUILESS_MAIN(TestComparison)
#include "tst_comparison.moc"
