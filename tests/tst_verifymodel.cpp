#include "core/verifyexport.h"
#include "ui/verifychartmodel.h"
#include "ui/verifyeventsmodel.h"
#include "ui/verifyfiltermodel.h"
#include "ui/verifyformat.h"
#include "ui/verifymodel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <date/tz.h>

using namespace rollup;

class TestVerifyModel : public QObject
{
    Q_OBJECT
private slots:
    void modelContracts();
    void duration_data();
    void duration();
    void cellsNamesAndStatuses();
    void filters();
    void sortIsNumeric_data();
    void sortIsNumeric();
    void chartPointsPerDay();
    void exportCsvAndJson();
};

static date::local_days d(const char *text)
{
    return *parseLocalDate(QString::fromLatin1(text));
}

static CompareRow row(const char *day, const char *type, qint64 id, const char *metric, std::optional<RollupValues> rollup,
                      std::optional<RollupValues> raw)
{
    CompareRow r;
    r.date = d(day);
    r.dimensionType = QString::fromLatin1(type);
    r.dimensionId = id;
    r.metric = QString::fromLatin1(metric);
    r.rollup = rollup;
    r.raw = raw;
    r.status = Comparison::classify(rollup, raw);
    return r;
}

// Account 1 over 2026-02-10 .. 2026-02-12: every status, a deleted agent (12), a team row.
static VerifyOutcome sample()
{
    VerifyOutcome o;
    o.request.accountId = 1;
    o.result.plan.account.id = 1;
    o.result.plan.account.name = QStringLiteral("Acme");
    for (const char *day : {"2026-02-10", "2026-02-11", "2026-02-12"})
        o.result.plan.windows.append(DayWindow{d(day), {}, {}});
    o.result.rows = {
        row("2026-02-10", "account", 1, "first_response", RollupValues{2, 140, 80}, RollupValues{2, 140, 80}),
        row("2026-02-11", "account", 1, "first_response", RollupValues{3, 200, 80}, RollupValues{2, 140, 80}),
        row("2026-02-11", "agent", 11, "first_response", RollupValues{2, 140, 80}, RollupValues{2, 140, 80}),
        row("2026-02-11", "agent", 12, "reply_time", std::nullopt, RollupValues{1, 4980, 4980}),
        row("2026-02-11", "inbox", 21, "resolutions_count", RollupValues{1, 0, 0}, RollupValues{1, 0, 0}),
        row("2026-02-12", "team", 5, "first_response", RollupValues{2, 140, 80}, std::nullopt),
    };
    o.result.summary = Comparison::summarize(o.result.rows);
    o.agentNames.insert(11, QStringLiteral("Alice"));
    o.inboxNames.insert(21, QStringLiteral("Web"));
    o.days = VerifyJob::summarizeDays(o.result.plan.windows, o.result.rows);
    return o;
}

void TestVerifyModel::modelContracts()
{
    VerifyModel model;
    VerifyFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester t1(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setData(VerifyModel::prepare(sample()));
    QCOMPARE(model.rowCount(), 6);
    proxy.setOnlyDifferences(true);
    proxy.sort(VerifyModel::RawAvg, Qt::DescendingOrder);
    QCOMPARE(proxy.rowCount(), 3);
    model.clear();
    QCOMPARE(proxy.rowCount(), 0);

    VerifyChartModel chart;
    QAbstractItemModelTester t3(&chart, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const VerifyOutcome o = sample();
    chart.setPoints(VerifyChartModel::points(o.result.rows, o.days, QStringLiteral("first_response"), QStringLiteral("account"),
                                             1, ChartMeasure::Average));
    QCOMPARE(chart.rowCount(), 3);

    VerifyEventsModel events;
    QAbstractItemModelTester t4(&events, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RawEvent e;
    e.id = 7;
    e.name = QStringLiteral("first_response");
    e.value = 100;
    e.userId = 11;
    e.createdAt = *parseUtcTimestamp(QStringLiteral("2026-02-11 14:00:00.5"));
    events.setEvents({e, RawEvent{}}, date::locate_zone("America/New_York"));
    QCOMPARE(events.index(0, VerifyEventsModel::CreatedLocal).data().toString(), QStringLiteral("2026-02-11 09:00:00 EST"));
    QCOMPARE(events.index(0, VerifyEventsModel::ValueBusinessHours).data().toString(), QStringLiteral("NULL"));
    QCOMPARE(events.index(0, VerifyEventsModel::CreatedUtc).data().toString(), QStringLiteral("2026-02-11 14:00:00.500000"));
}

void TestVerifyModel::duration_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<bool>("plus");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0.0 << false << QStringLiteral("0 s");
    QTest::newRow("tenths") << 0.44 << false << QStringLiteral("0.4 s");
    QTest::newRow("seconds") << 42.4 << false << QStringLiteral("42 s");
    QTest::newRow("minute") << 60.0 << false << QStringLiteral("1 min");
    QTest::newRow("min s") << 83.0 << false << QStringLiteral("1 min 23 s");
    QTest::newRow("issue example") << 4980.0 << false << QStringLiteral("1 h 23 min");
    QTest::newRow("hour") << 3600.0 << false << QStringLiteral("1 h");
    QTest::newRow("days") << 90061.0 << false << QStringLiteral("1 d 1 h");
    QTest::newRow("negative") << -4980.0 << false << QStringLiteral("−1 h 23 min");
    QTest::newRow("plus") << 300.0 << true << QStringLiteral("+5 min");
}

void TestVerifyModel::duration()
{
    QFETCH(double, seconds);
    QFETCH(bool, plus);
    QFETCH(QString, text);
    QCOMPARE(VerifyFormat::duration(seconds, plus), text);
}

void TestVerifyModel::cellsNamesAndStatuses()
{
    VerifyModel model;
    model.setData(VerifyModel::prepare(sample()));
    auto cell = [&model](int r, int c, int role = Qt::DisplayRole) { return model.index(r, c).data(role); };
    QCOMPARE(cell(0, VerifyModel::Status).toString(), QStringLiteral("match"));
    QCOMPARE(cell(1, VerifyModel::Status).toString(), QStringLiteral("mismatch"));
    QCOMPARE(cell(3, VerifyModel::Status).toString(), QStringLiteral("missing"));
    QCOMPARE(cell(5, VerifyModel::Status).toString(), QStringLiteral("extra"));
    QCOMPARE(cell(1, VerifyModel::Status, Qt::DecorationRole).value<QColor>(),
             VerifyFormat::statusColor(CompareStatus::Mismatch));
    // Names: the account's own, a users row, the id when the row is gone, inbox, team id.
    QCOMPARE(cell(0, VerifyModel::Name).toString(), QStringLiteral("Acme"));
    QCOMPARE(cell(2, VerifyModel::Name).toString(), QStringLiteral("Alice"));
    QCOMPARE(cell(3, VerifyModel::Name).toString(), QStringLiteral("12"));
    QVERIFY(cell(3, VerifyModel::Name, VerifyModel::NameMissingRole).toBool());
    QVERIFY(!cell(2, VerifyModel::Name, VerifyModel::NameMissingRole).toBool());
    QCOMPARE(cell(4, VerifyModel::Name).toString(), QStringLiteral("Web"));
    QCOMPARE(cell(5, VerifyModel::Name).toString(), QStringLiteral("5"));
    // Counts, sums, deltas (rollup − raw, a missing side is 0), averages as durations.
    QCOMPARE(cell(1, VerifyModel::RollupCount).toString(), QStringLiteral("3"));
    QCOMPARE(cell(1, VerifyModel::RawCount).toString(), QStringLiteral("2"));
    QCOMPARE(cell(1, VerifyModel::DeltaCount).toString(), QStringLiteral("+1"));
    QCOMPARE(cell(1, VerifyModel::DeltaSum).toString(), QStringLiteral("+60"));
    QCOMPARE(cell(1, VerifyModel::DeltaSumBh).toString(), QString());
    QCOMPARE(cell(3, VerifyModel::RollupCount).toString(), QString());
    QCOMPARE(cell(3, VerifyModel::DeltaCount).toString(), QStringLiteral("−1"));
    QCOMPARE(cell(3, VerifyModel::RawAvg).toString(), QStringLiteral("1 h 23 min"));
    QCOMPARE(cell(3, VerifyModel::RollupAvg).toString(), QString());
    QCOMPARE(cell(1, VerifyModel::RollupAvg).toString(), QStringLiteral("1 min 7 s"));
    QCOMPARE(cell(1, VerifyModel::DeltaAvg).toString(), QStringLiteral("−3 s"));
    QCOMPARE(cell(4, VerifyModel::RawAvg).toString(), QString()); // count-only metric: no average
    QCOMPARE(model.data().dimensionTypes, (QStringList{"account", "agent", "inbox", "team"}));
    QCOMPARE(model.data().metrics, (QStringList{"resolutions_count", "first_response", "reply_time"}));
}

void TestVerifyModel::filters()
{
    VerifyModel model;
    VerifyFilterModel proxy;
    proxy.setSourceModel(&model);
    model.setData(VerifyModel::prepare(sample()));
    QCOMPARE(proxy.rowCount(), 6);
    proxy.setOnlyDifferences(true);
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setDimensionType(QStringLiteral("account"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setDimensionType(QString());
    proxy.setMetric(QStringLiteral("first_response"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setMetric(QString());
    proxy.setStatus(CompareStatus::Missing);
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, VerifyModel::DimensionId).data().toString(), QStringLiteral("12"));
    proxy.setStatus(std::nullopt);
    proxy.setOnlyDifferences(false);
    proxy.setDay(d("2026-02-11"));
    QCOMPARE(proxy.rowCount(), 4);
    for (int i = 0; i < proxy.rowCount(); ++i)
        QCOMPARE(proxy.index(i, VerifyModel::Date).data().toString(), QStringLiteral("2026-02-11"));
    proxy.setDay(std::nullopt);
    QCOMPARE(proxy.rowCount(), 6);
}

void TestVerifyModel::sortIsNumeric_data()
{
    QTest::addColumn<int>("column");
    for (int c = 0; c < VerifyModel::ColumnCount; ++c)
        QTest::newRow(qPrintable(QStringLiteral("column %1").arg(c))) << c;
}

void TestVerifyModel::sortIsNumeric()
{
    QFETCH(int, column);
    VerifyModel model;
    VerifyFilterModel proxy;
    proxy.setSourceModel(&model);
    model.setData(VerifyModel::prepare(sample()));
    for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        proxy.sort(column, order);
        for (int i = 1; i < proxy.rowCount(); ++i) {
            const double a = proxy.index(i - 1, column).data(VerifyModel::SortRole).toDouble();
            const double b = proxy.index(i, column).data(VerifyModel::SortRole).toDouble();
            QVERIFY2(order == Qt::AscendingOrder ? a <= b : a >= b, qPrintable(QStringLiteral("row %1").arg(i)));
        }
    }
    // Ten is more than nine: numbers, not text.
    proxy.sort(VerifyModel::RawSum, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, VerifyModel::RawSum).data().toString(), QStringLiteral("4980"));
}

void TestVerifyModel::chartPointsPerDay()
{
    const VerifyOutcome o = sample();
    const QList<ChartPoint> points = VerifyChartModel::points(o.result.rows, o.days, QStringLiteral("first_response"),
                                                              QStringLiteral("account"), 1, ChartMeasure::Count);
    QCOMPARE(points.size(), o.days.size());
    QCOMPARE(points.at(0).rollup, 2.0);
    QVERIFY(!points.at(0).differs);
    QCOMPARE(points.at(1).rollup, 3.0);
    QCOMPARE(points.at(1).raw, 2.0);
    QVERIFY(points.at(1).differs);
    QCOMPARE(points.at(2).rollup, 0.0); // no row that day
    // Averages in minutes.
    const QList<ChartPoint> avg = VerifyChartModel::points(o.result.rows, o.days, QStringLiteral("reply_time"),
                                                           QStringLiteral("agent"), 12, ChartMeasure::Average);
    QCOMPARE(avg.at(1).raw, 83.0);
    // Heatmap input: worst status per day.
    QCOMPARE(o.days.at(0).worst, CompareStatus::Match);
    QCOMPARE(o.days.at(1).worst, CompareStatus::Mismatch);
    QCOMPARE(o.days.at(2).worst, CompareStatus::Extra);
    QCOMPARE(o.differingDays(), (QList<date::local_days>{d("2026-02-11"), d("2026-02-12")}));
}

void TestVerifyModel::exportCsvAndJson()
{
    const VerifyOutcome o = sample();
    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    QVERIFY(VerifyExport::write(csv, VerifyExport::Format::Csv, o.result.rows));
    const QStringList lines = QString::fromUtf8(csv.data()).split(QLatin1Char('\n'));
    QCOMPARE(lines.at(0), QStringLiteral("date,dimension_type,dimension_id,metric,status,rollup_count,raw_count,rollup_sum_value,"
                                         "raw_sum_value,rollup_sum_value_business_hours,raw_sum_value_business_hours"));
    QCOMPARE(lines.at(2), QStringLiteral("2026-02-11,account,1,first_response,mismatch,3,2,200,140,80,80"));
    QCOMPARE(lines.at(4), QStringLiteral("2026-02-11,agent,12,reply_time,missing,,1,,4980,,4980"));
    QCOMPARE(lines.size(), 8); // header, 6 rows, trailing newline
    QBuffer json;
    json.open(QIODevice::WriteOnly);
    QVERIFY(VerifyExport::write(json, VerifyExport::Format::Json, o.result.rows));
    QJsonParseError error;
    const QJsonArray array = QJsonDocument::fromJson(json.data(), &error).array();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(array.size(), 6);
    const QJsonObject missing = array.at(3).toObject();
    QCOMPARE(missing.value(QStringLiteral("status")).toString(), QStringLiteral("missing"));
    QVERIFY(missing.value(QStringLiteral("rollup_count")).isNull());
    QCOMPARE(missing.value(QStringLiteral("raw_sum_value")).toDouble(), 4980.0);
    QCOMPARE(missing.value(QStringLiteral("dimension_id")).toInteger(), 12);
    QBuffer empty;
    empty.open(QIODevice::WriteOnly);
    QVERIFY(VerifyExport::write(empty, VerifyExport::Format::Json, {}));
    QCOMPARE(QJsonDocument::fromJson(empty.data()).array().size(), 0);
}

QTEST_MAIN(TestVerifyModel)
#include "tst_verifymodel.moc"
