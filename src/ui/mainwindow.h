#pragma once

#include "core/localdate.h"
#include "db/connectionsettings.h"
#include "ui/accountloader.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;
class QTableView;
class QCloseEvent;

namespace rollup {

class AccountsModel;
class AccountsView;
class BackfillView;
class VerifyView;

// Assembles the views and routes requests between them; no database work of its own.
// GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const ConnectionSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setConnectionSettings(const ConnectionSettings &settings);
    const ConnectionSettings &connectionSettings() const { return m_settings; }

    AccountsView *accounts() const { return m_accounts; }
    BackfillView *backfill() const { return m_backfill; }
    VerifyView *verify() const { return m_verify; }
    AccountsModel *accountsModel() const;
    QTableView *accountsView() const;

public slots:
    void refresh();
    void openBackfill(qint64 accountId, const QList<date::local_days> &days = {});
    void openVerify(qint64 accountId, const QString &from = {}, const QString &to = {});

signals:
    void accountsLoaded();
    void connectRequested(); // the connection dialog is opened by whoever owns it

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onAccountsLoaded(const AccountsLoad &result);
    void updateTitle();

    ConnectionSettings m_settings;
    QTabWidget *m_tabs = nullptr;
    AccountsView *m_accounts = nullptr;
    BackfillView *m_backfill = nullptr;
    VerifyView *m_verify = nullptr;
    QLabel *m_status = nullptr;
    QString m_server;
};

} // namespace rollup
