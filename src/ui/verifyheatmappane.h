#pragma once

#include "core/localdate.h"
#include "jobs/verifyjob.h"

#include <QGroupBox>

#include <optional>

class QLabel;
class QPushButton;

namespace rollup {

class CalendarGrid;

// The verify page's heatmap: one cell per verified day in the colour of its worst status, a
// tooltip with the day's counts, and the table's day filter under it. A click on a day or on
// "Show all days" is passed on to the page, which filters the table and calls setDayFilter().
// Starts no work. GUI thread only.
class VerifyHeatmapPane : public QGroupBox
{
    Q_OBJECT
public:
    explicit VerifyHeatmapPane(QWidget *parent = nullptr);

    CalendarGrid *grid() const { return m_grid; }
    // One cell per day of `days` (sorted); none when empty. Clears the outlined day.
    void showDays(const QList<VerifyDay> &days);
    // No cells, no filter line.
    void clear();
    // The table's day filter: the day outlined and named; nullopt: every day.
    void setDayFilter(std::optional<date::local_days> day);

signals:
    void dayClicked(date::local_days day);
    void allDaysRequested();

private:
    CalendarGrid *m_grid = nullptr;
    QLabel *m_dayLabel = nullptr;
    QPushButton *m_clearDay = nullptr;
};

} // namespace rollup
