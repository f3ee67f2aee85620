#pragma once

#include "core/localdate.h"
#include "core/connectionsettings.h"
#include "jobs/backfilljob.h"

#include <QFutureWatcher>
#include <QHash>
#include <QList>
#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace rollup {

class BackfillMonitor;
class CalendarGrid;

// Plan, dry run, run and watch a backfill of one account (issue 5). Planning and the run
// happen off the GUI thread, each on a connection of its own; this widget only shows results.
// GUI thread only. Destroying it during a run cancels the run and waits for its thread.
class BackfillView : public QWidget
{
    Q_OBJECT
public:
    explicit BackfillView(QWidget *parent = nullptr);
    ~BackfillView() override;

    void setConnectionSettings(const ConnectionSettings &settings);
    // Opens the plan for an account (discovers its range off-thread); `days` non-empty:
    // exactly those days. Ignored (with a log line) while a run is going on.
    void planFor(qint64 accountId, const QList<date::local_days> &days = {});
    // The days the last verify of `accountId` found different (for "only days that differ").
    void setLastVerifyDifferences(qint64 accountId, const QList<date::local_days> &days);
    bool isRunning() const;
    // Requests cancellation of a running backfill and returns at once; finished() follows.
    void cancel();

    qint64 accountId() const { return m_accountId; }
    // The last plan shown (dry run or the one being run); nullopt before the first.
    const std::optional<BackfillPlanOutcome> &lastPlan() const { return m_outcome; }
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
    void requestPlan(bool discover);
    void onPlanReady();
    void showOutcome(const BackfillPlanOutcome &outcome);
    void dryRun();
    void startClicked();
    void startRun(const BackfillPlan &plan);
    void retryFailed();
    void verifyRange();
    void onRunEvents(int begin, int end);
    void onProgress(const BackfillProgress &progress);
    void onFinished(const BackfillResult &result);
    void includeTodayToggled(bool on);
    void formEdited();
    void updateControls();
    void setMessage(const QString &text, bool error = false);
    int formRangeDays() const;
    bool needsConfirmation() const;
    BackfillMode currentMode() const;
    void fillModes();
    QString todayHint() const;

    ConnectionSettings m_settings;
    qint64 m_accountId = 0;
    QList<date::local_days> m_listedDays;
    QHash<qint64, QList<date::local_days>> m_differences;
    std::optional<BackfillPlanOutcome> m_outcome;
    std::optional<BackfillResult> m_result;
    std::optional<BackfillPlan> m_runPlan;
    std::optional<DateRange> m_discovered;
    bool m_planning = false;
    bool m_startWhenPlanned = false;
    bool m_formStale = false;
    bool m_updatingForm = false;
    QFutureWatcher<BackfillPlanOutcome> m_planWatcher;
    Job<BackfillEvent> m_run;
    QFutureWatcher<BackfillEvent> m_runWatcher;
    bool m_running = false;    // from the start of a run until its result arrived
    bool m_cancelling = false; // cancel() asked for, result not arrived yet

    QLabel *m_account = nullptr;
    QLabel *m_zone = nullptr;
    QPushButton *m_zoneButton = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QLabel *m_rangeDays = nullptr;
    QPushButton *m_resetRange = nullptr;
    QCheckBox *m_includeToday = nullptr;
    QLabel *m_todayHint = nullptr;
    QComboBox *m_mode = nullptr;
    QWidget *m_confirmRow = nullptr;
    QLabel *m_confirmLabel = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_verify = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_planText = nullptr;
    BackfillMonitor *m_monitor = nullptr;
};

} // namespace rollup
