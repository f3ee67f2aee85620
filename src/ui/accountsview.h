#pragma once

#include "db/connectionsettings.h"
#include "ui/accountloader.h"

#include <QFutureWatcher>
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace rollup {

class AccountsModel;

// The accounts table: filter, sort, refresh (loads off the GUI thread). GUI thread only.
class AccountsView : public QWidget
{
    Q_OBJECT
public:
    explicit AccountsView(QWidget *parent = nullptr);
    ~AccountsView() override;

    void setConnectionSettings(const ConnectionSettings &settings);
    AccountsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    qint64 currentAccountId() const; // 0 when none selected
    void focusFilter();

public slots:
    void refresh();

signals:
    void loaded(const AccountsLoad &result);
    void backfillRequested(qint64 accountId);
    void verifyRequested(qint64 accountId);

private:
    void onLoaded();

    ConnectionSettings m_settings;
    AccountsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QFutureWatcher<AccountsLoad> m_watcher;
    bool m_reloadQueued = false;
};

} // namespace rollup
