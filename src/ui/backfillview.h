#pragma once

#include "core/connectionsettings.h"
#include "core/localdate.h"
#include "jobs/backfilljob.h"

#include <QFutureWatcher>
#include <QHash>
#include <QList>
#include <QWidget>

#include <optional>

class QLabel;

namespace rollup {

class BackfillMonitor;
class BackfillPlanForm;
class CalendarGrid;

// Plan, dry run, run and watch a backfill of one account: the plan form (BackfillPlanForm) above
// the result summary and the monitor (grid, counters, plan text and log). Planning and the run
// are jobs (BackfillJob::startPlan, BackfillJob::start) off the GUI thread, each on connections
// of its own; this widget only shows their results. GUI thread only. Destroying it during a run
// cancels the run on the server and waits for its thread.
class BackfillView : public QWidget
{
    Q_OBJECT
public:
    // What the view is doing. Every change goes through setState(), which derives the controls
    // from it; the transitions (and the only functions that make them):
    //   Idle, Planned, Finished, Planning, PlanningToStart
    //                       -> Planning         planFor(), dryRun()  (a newer plan replaces one in flight)
    //   Planned, Finished   -> PlanningToStart  startClicked(); retryFailedDays() (the last result left days)
    //   Planning            -> Planned          onPlanReady()
    //   PlanningToStart     -> Running          onPlanReady() via startRun(): the plan has days and is confirmed
    //                       -> Planned          onPlanReady(): refused, nothing to do, or not confirmed
    //   Running             -> Cancelling       cancel()
    //   Running, Cancelling -> Finished         onFinished(): the run's result arrived
    enum class State {
        Idle, // no account chosen yet
        Planning, // a plan (discovery or dry run) is being made; it is only shown
        PlanningToStart, // a plan is being made and runs when it arrives (Start, Retry/Resume)
        Planned, // a plan is shown (or its refusal); nothing in flight
        Running, // a backfill job runs; progress arrives
        Cancelling, // cancel() asked for; the result (what was done) has not arrived yet
        Finished, // a run's result is shown; Retry/Resume and Verify are available
    };
    Q_ENUM(State)

    explicit BackfillView(QWidget *parent = nullptr);
    ~BackfillView() override;

    void setConnectionSettings(const ConnectionSettings &settings);
    // Opens the plan for an account (discovers its range off-thread); `days` non-empty:
    // exactly those days. Ignored (with a log line) while a run is going on.
    void planFor(qint64 accountId, const QList<date::local_days> &days = {});
    // The days the last verify of `accountId` found different (for "only days that differ").
    void setLastVerifyDifferences(qint64 accountId, const QList<date::local_days> &days);
    // Plans exactly the failed and unprocessed days of the last result ("Only the listed days")
    // and starts the run when that plan arrives. Does nothing unless the last result left days.
    void retryFailedDays();
    // Requests cancellation of a running backfill and returns at once; finished() follows.
    void cancel();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running || m_state == State::Cancelling; }
    qint64 accountId() const { return m_accountId; }
    // The last plan shown (dry run or the one being run); nullopt before the first.
    const std::optional<BackfillPlanOutcome> &lastPlan() const;
    const std::optional<BackfillResult> &lastResult() const { return m_result; }
    BackfillMonitor *monitor() const { return m_monitor; }
    CalendarGrid *grid() const;

signals:
    void verifyRequested(qint64 accountId, const QString &from, const QString &to);
    void finished(qint64 accountId);
    // The account has no usable reporting_timezone and the user asked to set one.
    void timezoneEditRequested(qint64 accountId);
    // A plan (discovery, dry run or the plan about to run) is shown.
    void planShown();
    // Forwarded from the running job, after the view updated itself.
    void progressed(const rollup::BackfillProgress &progress);
    void runFinished(const rollup::BackfillResult &result);

private:
    void setState(State state);
    void updateControls();
    void openAccount(qint64 accountId, const QList<date::local_days> &days);
    void requestPlan(State intent, const QString &message);
    void onPlanReady();
    void showOutcome(const BackfillPlanOutcome &outcome);
    void dryRun();
    void startClicked();
    void startRun(const BackfillPlan &plan);
    void verifyRange();
    void onRunEvents(int begin, int end);
    void onFinished(const BackfillResult &result);
    void planEdited();
    QList<date::local_days> daysLeft() const; // failed + pending days of the last result

    ConnectionSettings m_settings;
    State m_state = State::Idle;
    qint64 m_accountId = 0;
    QHash<qint64, QList<date::local_days>> m_differences;
    std::optional<BackfillResult> m_result;
    std::optional<BackfillPlan> m_runPlan; // the plan of the last run started
    Job<BackfillPlanOutcome> m_plan;
    QFutureWatcher<BackfillPlanOutcome> m_planWatcher;
    Job<BackfillEvent> m_run;
    QFutureWatcher<BackfillEvent> m_runWatcher;

    BackfillPlanForm *m_form = nullptr;
    QLabel *m_summary = nullptr;
    BackfillMonitor *m_monitor = nullptr;
};

} // namespace rollup
