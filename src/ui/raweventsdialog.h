#pragma once

#include "jobs/verifyjob.h"

#include <QDialog>
#include <QFutureWatcher>

#include <memory>

class QSortFilterProxyModel;
class QTableView;

namespace Ui {
class RawEventsDialog;
}

namespace date {
class time_zone;
}

namespace rollup {

class VerifyEventsModel;

// Drill-down of one verify key (form: ui/raweventsdialog.ui): its raw events inside that day's UTC window, loaded off the GUI
// thread (VerifyJob::loadEvents, its own connection). GUI thread only; closing the dialog
// cancels a load in flight on the server.
class RawEventsDialog : public QDialog
{
    Q_OBJECT
public:
    // `zone` (the account's, owned by the tz database) gives the window and local times;
    // `name` is the agent/inbox/account name shown in the title.
    RawEventsDialog(const ConnectionSettings &settings, qint64 accountId, const date::time_zone *zone, const CompareRow &row,
                    const QString &name, QWidget *parent = nullptr);
    ~RawEventsDialog() override;

    VerifyEventsModel *model() const { return m_model; }
    QTableView *view() const;
    QString statusText() const;
    bool isLoading() const { return m_watcher.isRunning(); }

signals:
    void loaded(const RawEventsLoad &result);

private:
    void onLoaded();

    const std::unique_ptr<Ui::RawEventsDialog> m_ui;
    const date::time_zone *m_zone = nullptr;
    CompareRow m_row;
    VerifyEventsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    Job<RawEventsLoad> m_job;
    QFutureWatcher<RawEventsLoad> m_watcher;
};

} // namespace rollup
