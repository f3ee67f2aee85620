#pragma once

#include "db/connectionsettings.h"
#include "ui/accountloader.h"

#include <QFutureWatcher>
#include <QMainWindow>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace rollup {

class AccountsModel;

// Assembles the views. Database work happens in AccountLoader (pool thread); this class only
// shows results. GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const ConnectionSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    AccountsModel *accountsModel() const { return m_model; }
    QTableView *accountsView() const { return m_view; }

public slots:
    void refresh();

signals:
    void accountsLoaded();

private:
    void onLoaded();
    void updateTitle();

    ConnectionSettings m_settings;
    AccountsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_status = nullptr;
    QFutureWatcher<AccountsLoad> m_watcher;
};

} // namespace rollup
