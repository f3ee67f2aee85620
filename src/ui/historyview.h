#pragma once

#include "core/connectionsettings.h"
#include "jobs/historyjob.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace rollup {

class HistoryModel;

// The console's own history of the changes it made to the connected database, newest first,
// filterable by account. The journal is read by a job (HistoryJob), never in the GUI thread;
// the view reloads on refresh(), on showAccount() and whenever it is shown. GUI thread only.
class HistoryView : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryView(QWidget *parent = nullptr);
    ~HistoryView() override; // waits for a load in progress (a local file: short)

    void setConnectionSettings(const ConnectionSettings &settings);
    HistoryModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *accountFilter() const { return m_account; }
    qint64 accountId() const; // the filter; 0: every account
    bool isLoading() const { return m_load.isRunning(); }

public slots:
    void refresh();
    // Shows the history of `accountId` only (0: of every account), and reloads it.
    void showAccount(qint64 accountId);

signals:
    void loaded(const HistoryLoad &result);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onLoaded();
    void applyFilter();
    void updateStatus();

    ConnectionSettings m_settings;
    bool m_connected = false;
    HistoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_account = nullptr;
    QPushButton *m_all = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    HistoryLoad m_last;
    Job<HistoryLoad> m_load;
    QFutureWatcher<HistoryLoad> m_watcher;
    bool m_reloadQueued = false;
};

} // namespace rollup
