#pragma once

#include "core/connectionsettings.h"
#include "jobs/fleet.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QWidget;

namespace rollup {

class FleetModel;

// Verify or backfill many accounts (the accounts table's selection) with the fleet runner: a
// verify starts at once; a backfill is planned first (a dry run: nothing written) and starts
// only when confirmed, with the account count typed when the plan is large. While it runs: each
// account's state, overall progress, ETA, pause, resume and cancel. The work runs as a job on
// its own connections; the GUI thread only applies each progress report's changed lines.
// GUI thread only.
class FleetView : public QWidget
{
    Q_OBJECT
public:
    // Above either, a backfill asks for the number of accounts to be typed.
    static constexpr int kConfirmAccounts = 20;
    static constexpr qint64 kConfirmDays = 730;

    explicit FleetView(QWidget *parent = nullptr);
    ~FleetView() override; // cancels a run (its statements on the server), then waits for it

    void setConnectionSettings(const ConnectionSettings &settings);
    // Starts a verify of `accountIds`, or plans a backfill of them (days: which days of each).
    // Refused (false, with the reason shown) while a run is going on.
    bool request(FleetMode mode, const QList<qint64> &accountIds, FleetDays days = FleetDays::All);
    // Starts the planned backfill: false when there is no plan, or it needs a confirmation not typed.
    bool startPlanned();
    void setPaused(bool paused);
    void cancel();

    bool isRunning() const { return m_state == State::Running || m_state == State::Planning; }
    bool isPlanned() const { return m_state == State::Planned; }
    bool needsConfirmation() const;
    FleetModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *confirmEdit() const { return m_confirmEdit; }
    const FleetResult &lastResult() const { return m_result; }
    const FleetProgress &lastProgress() const { return m_progress; }
    bool isPaused() const { return m_job.isRunning() && (m_job.future.isSuspending() || m_job.future.isSuspended()); }
    QString statusText() const;

signals:
    // A run delivered its result (verify: the health board changed).
    void finished(const FleetResult &result);
    void accountActivated(qint64 accountId);

private:
    enum class State { Idle, Planning, Planned, Running, Finished };
    void start(const FleetRequest &request, State state);
    void onResults(int begin, int end);
    void onProgress(const FleetProgress &progress);
    void onResult(const FleetResult &result);
    void updateControls();

    ConnectionSettings m_settings;
    State m_state = State::Idle;
    FleetRequest m_request;
    FleetResult m_result;
    FleetProgress m_progress;
    qint64 m_plannedDays = 0;
    int m_plannedAccounts = 0;
    FleetModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QWidget *m_confirmRow = nullptr;
    QLabel *m_confirmLabel = nullptr;
    QLineEdit *m_confirmEdit = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_fixDiffering = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_rate = nullptr;
    QTableView *m_table = nullptr;
    Job<FleetEvent> m_job;
    QFutureWatcher<FleetEvent> m_watcher;
};

} // namespace rollup
