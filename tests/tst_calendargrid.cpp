#include "ui/calendargrid.h"

#include <QSignalSpy>
#include <QTest>

using namespace rollup;

class TestCalendarGrid : public QObject
{
    Q_OBJECT
private slots:
    void cellsAndHitTesting();
    void threeYearsPaintQuickly();
};

static date::local_days d(const char *text)
{
    return *parseLocalDate(QString::fromLatin1(text));
}

void TestCalendarGrid::cellsAndHitTesting()
{
    CalendarGrid grid;
    grid.setRange(d("2024-01-30"), d("2024-03-02"), Qt::gray);
    QCOMPARE(grid.dayCount(), 33);
    QVERIFY(grid.contains(d("2024-02-29")));
    QVERIFY(!grid.contains(d("2024-01-29")));
    grid.setCell(d("2024-02-29"), Qt::red, QStringLiteral("leap day"));
    grid.setCell(d("2024-05-01"), Qt::red); // outside: ignored
    QCOMPARE(grid.cellColor(d("2024-02-29")), QColor(Qt::red));
    QCOMPARE(grid.cellColor(d("2024-03-01")), QColor(Qt::gray));
    QVERIFY(!grid.cellColor(d("2024-05-01")).isValid());
    QCOMPARE(grid.cellToolTip(d("2024-02-29")), QStringLiteral("leap day"));
    // Each day maps to its own cell and back; rows are months.
    for (date::local_days day = d("2024-01-30"); day <= d("2024-03-02"); day += date::days{1})
        QCOMPARE(grid.dayAt(grid.cellRect(day).center()).value(), day);
    QVERIFY(grid.cellRect(d("2024-02-01")).top() > grid.cellRect(d("2024-01-31")).top());
    QCOMPARE(grid.cellRect(d("2024-02-01")).left(), grid.cellRect(d("2024-03-01")).left());
    QVERIFY(!grid.dayAt(QPoint(1, 1)));
    grid.resize(grid.sizeHint());
    grid.show();
    QSignalSpy clicked(&grid, &CalendarGrid::dayClicked);
    QTest::mouseClick(&grid, Qt::LeftButton, {}, grid.cellRect(d("2024-02-29")).center());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().first().value<date::local_days>(), d("2024-02-29"));

    // The selected day is outlined in the highlight colour; clearing removes the outline.
    const QPoint corner = grid.cellRect(d("2024-02-29")).topLeft() - QPoint(1, 1);
    const QColor before = grid.grab().toImage().pixelColor(corner);
    grid.setSelectedDay(d("2024-02-29"));
    QCOMPARE(grid.selectedDay().value(), d("2024-02-29"));
    QCOMPARE(grid.grab().toImage().pixelColor(corner), grid.palette().color(QPalette::Highlight));
    grid.setSelectedDay(std::nullopt);
    QCOMPARE(grid.grab().toImage().pixelColor(corner), before);
    grid.setSelectedDay(d("2025-01-01")); // outside the range: ignored
    QVERIFY(!grid.selectedDay());
}

void TestCalendarGrid::threeYearsPaintQuickly()
{
    CalendarGrid grid;
    grid.setRange(d("2023-01-01"), d("2025-12-31"));
    grid.setLegend({{QStringLiteral("done"), Qt::green}});
    QCOMPARE(grid.dayCount(), 1096);
    for (date::local_days day = d("2023-01-01"); day <= d("2025-12-31"); day += date::days{1})
        grid.setCell(day, (day.time_since_epoch().count() % 2) ? Qt::green : Qt::red, QStringLiteral("t"));
    grid.resize(grid.sizeHint());
    QVERIFY(grid.sizeHint().height() >= 36 * 14);
    const QImage image = grid.grab().toImage();
    for (const char *probe : {"2023-01-02", "2023-01-03", "2024-02-29", "2025-12-31"}) {
        const date::local_days day = d(probe);
        const QColor expected = (day.time_since_epoch().count() % 2) ? QColor(Qt::green) : QColor(Qt::red);
        QCOMPARE(image.pixelColor(grid.cellRect(day).center()), expected);
        QCOMPARE(grid.cellColor(day), expected);
    }
}

QTEST_MAIN(TestCalendarGrid)
#include "tst_calendargrid.moc"
