#pragma once

#include "core/connectionsettings.h"
#include "jobs/accountsjob.h"
#include "jobs/fleet.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace rollup {

class AccountsFilterModel;
class AccountsModel;
class TimezoneDialog;

// The accounts table: filter (id or name), sort on any column, refresh. Loads in two steps off
// the GUI thread: the account list first, then the rollup/event statistics in one set-based
// query, so the list is usable while the statistics load. Opens the timezone editor (context
// menu, button, Ctrl+T). GUI thread only.
class AccountsView : public QWidget
{
    Q_OBJECT
public:
    explicit AccountsView(QWidget *parent = nullptr);
    ~AccountsView() override; // cancels statements in flight on the server, then waits for the workers

    void setConnectionSettings(const ConnectionSettings &settings);
    AccountsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const;
    qint64 currentAccountId() const; // 0 when none selected
    void focusFilter();
    bool isLoading() const; // the list or the statistics are loading
    QAction *editTimezoneAction() const { return m_editTimezone; }
    QAction *verifySelectedAction() const { return m_verifySelected; }
    QAction *backfillSelectedAction() const { return m_backfillSelected; }
    // The selected accounts' ids, in the table's order.
    QList<qint64> selectedAccountIds() const;

public slots:
    void refresh();
    // Re-reads the health board's columns (after a verify); the list itself stays.
    void reloadHealth();
    // Opens the (non-modal) timezone editor for `accountId` (0: the selected account); returns it,
    // or nullptr when the account is not in the table.
    TimezoneDialog *editTimezone(qint64 accountId = 0);
    bool selectAccount(qint64 accountId);

signals:
    void loaded(const AccountsLoad &result);
    void statsLoaded(const AccountStatsLoad &result);
    void backfillRequested(qint64 accountId);
    void verifyRequested(qint64 accountId);
    void historyRequested(qint64 accountId);
    // "Re-backfill all days now" after a timezone change: backfill over the whole history.
    void rebackfillAllRequested(qint64 accountId);
    void timezoneSaved(qint64 accountId, const QString &ianaId);
    // "Verify selected" / "Backfill selected": the whole-installation runner on these accounts.
    void fleetRequested(FleetMode mode, const QList<qint64> &accountIds);

private:
    void onLoaded();
    void onStatsBatches(int begin, int end);
    void applyNextStatsBatch();
    void showContextMenu(const QPoint &pos);
    void updateStatus();
    void updateActions();
    void reselect(const QList<qint64> &accountIds);
    void cancelWork();

    ConnectionSettings m_settings;
    AccountsModel *m_model = nullptr;
    AccountsFilterModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_status = nullptr;
    QAction *m_editTimezone = nullptr;
    QAction *m_verifySelected = nullptr;
    QAction *m_backfillSelected = nullptr;
    QTimer *m_clock = nullptr;
    Job<AccountsLoad> m_load;
    Job<AccountStatsLoad> m_statsLoad;
    QFutureWatcher<AccountsLoad> m_watcher;
    QFutureWatcher<AccountStatsLoad> m_statsWatcher;
    Job<QHash<qint64, AccountHealth>> m_healthLoad;
    QFutureWatcher<QHash<qint64, AccountHealth>> m_healthWatcher;
    bool m_reloadQueued = false;
    bool m_statsColumnsSized = false; // once: later loads keep the user's widths
    // Statistics batches arrived (m_statsReady) and applied (m_statsApplied), one per pass of the
    // event loop: a backlog of batches applied back to back would keep it from running.
    int m_statsReady = 0;
    int m_statsApplied = 0;
    bool m_statsStepQueued = false;
    QString m_statsNote;
};

} // namespace rollup
