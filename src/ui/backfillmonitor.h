#pragma once

#include "jobs/backfillengine.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QScrollArea;
class QTabWidget;

namespace rollup {

class CalendarGrid;

// The live side of the backfill view: progress bar, counters (days n/N, events, rows, rate,
// elapsed, ETA), the per-day CalendarGrid coloured by state and, beside it, the "Plan" and "Log"
// tabs. Holds no connection and runs no SQL: it is fed plans, plan text, progress reports,
// results and log lines. GUI thread only.
class BackfillMonitor : public QWidget
{
    Q_OBJECT
public:
    enum class DayState { Skipped, Pending, Running, Done, Failed };

    explicit BackfillMonitor(QWidget *parent = nullptr);

    static QColor colorOf(DayState state);
    static QString nameOf(DayState state);
    static QString dayCount(qsizetype n); // "%n day(s)"

    // Paints the plan: its range in the grid, selected days pending, the rest skipped; resets
    // the counters. Used for a dry run and before a run.
    // `hasRange` false: the plan found no range (nothing to show).
    void showPlan(const BackfillPlan &plan, bool hasRange = true);
    void clear();
    // A run of the shown plan starts; the first `firstChunkDays` days are marked running.
    void runStarted(int firstChunkDays);
    void applyProgress(const BackfillProgress &progress);
    // Final states from the result: done days exactly as committed, failed days, the rest
    // pending (not attempted). Stops the clock.
    void applyResult(const BackfillResult &result);
    void log(const QString &line);
    // The Plan tab: `text` unwrapped in a fixed font (a plan), or `error` wrapped (a refusal).
    // Both bring the Plan tab to the front; an empty text clears it.
    void showPlanText(const QString &text);
    void showPlanError(const QString &error);
    // Brings the Log tab to the front (a run started).
    void showLog();

    DayState state(date::local_days day) const;
    QList<date::local_days> daysIn(DayState state) const;
    CalendarGrid *grid() const { return m_grid; }

private:
    struct Day
    {
        DayWindow window;
        DayState state = DayState::Skipped;
        qint64 events = -1;
        qint64 rows = -1;
    };
    void setState(date::local_days day, DayState state, qint64 events = -1, qint64 rows = -1);
    void paintDay(const Day &day);
    void updateCounters();
    void tick();
    static int keyOf(date::local_days day) { return int(day.time_since_epoch().count()); }

    QProgressBar *m_progress = nullptr;
    QLabel *m_counters = nullptr;
    QScrollArea *m_scroll = nullptr;
    CalendarGrid *m_grid = nullptr;
    QPlainTextEdit *m_planText = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTimer m_heartbeat; // refreshes elapsed/ETA between reports
    QElapsedTimer m_clock; // since runStarted()
    QElapsedTimer m_sinceReport; // since the last report
    QHash<int, Day> m_days;
    BackfillProgress m_last;
    int m_daysTotal = 0;
    bool m_running = false;
};

} // namespace rollup
