#pragma once

#include "core/connectionsettings.h"
#include "core/localdate.h"
#include "jobs/accountsjob.h"
#include "jobs/connectioncheck.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>

class QInputDialog;

class QAction;
class QLabel;
class QTabWidget;
class QTableView;
class QCloseEvent;

namespace rollup {

class AccountsModel;
class AccountsView;
class BackfillView;
class FleetView;
class HistoryView;
class HelpMenu;
class VerifyView;

// Assembles the views and routes requests between them; no database work of its own.
// GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const ConnectionSettings &settings, QWidget *parent = nullptr);
    // A window with no connection yet (e.g. while the demo database starts): nothing loads until
    // setConnectionSettings().
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Connects the views; removes the start page first.
    void setConnectionSettings(const ConnectionSettings &settings);
    // Shows `page` in place of the tabs until setConnectionSettings() (e.g. the demo start's
    // progress, DemoProgress). The window takes ownership; the page is deleted when it goes.
    void setStartPage(QWidget *page);
    QWidget *startPage() const { return m_startPage; }
    const ConnectionSettings &connectionSettings() const { return m_settings; }
    // The session is read-only (default_transaction_read_only = on): write actions are greyed out.
    bool readOnly() const { return m_settings.readOnly; }

    AccountsView *accounts() const { return m_accounts; }
    BackfillView *backfill() const { return m_backfill; }
    VerifyView *verify() const { return m_verify; }
    FleetView *fleet() const { return m_fleet; }
    HistoryView *history() const { return m_history; }
    HelpMenu *help() const { return m_help; }
    AccountsModel *accountsModel() const;
    QTableView *accountsView() const;
    // The permanent status text: server, read-only state and, with a replica, which server each
    // side uses and the replica's lag (measured on connect and on refresh).
    QString statusText() const;

public slots:
    void refresh();
    void openBackfill(qint64 accountId, const QList<date::local_days> &days = {});
    void openVerify(qint64 accountId, const QString &from = {}, const QString &to = {});
    // Opens the History tab showing the changes this console made to `accountId` (0: to every
    // account). The link the accounts list gives for each account.
    void showHistory(qint64 accountId = 0);

signals:
    void accountsLoaded();
    void connectRequested(); // the connection dialog is opened by whoever owns it

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onAccountsLoaded(const AccountsLoad &result);
    void checkReplica();
    void onReplicaChecked();
    void updateTitle();
    static QString sourceText(const QString &source);
    void openConnectionDialog();
    void askPassword(const QString &error);

    ConnectionSettings m_settings;
    QTabWidget *m_tabs = nullptr;
    AccountsView *m_accounts = nullptr;
    BackfillView *m_backfill = nullptr;
    VerifyView *m_verify = nullptr;
    FleetView *m_fleet = nullptr;
    HistoryView *m_history = nullptr;
    HelpMenu *m_help = nullptr;
    QLabel *m_status = nullptr;
    QAction *m_backfillAction = nullptr;
    QString m_server;
    qint64 m_reverifyAccount = 0; // re-verify this account when its backfill finishes
    QString m_lastVerifyFrom;
    QString m_lastVerifyTo;
    QPointer<QInputDialog> m_passwordPrompt;
    QPointer<QWidget> m_startPage;
    Job<ReplicaTest> m_replicaCheck;
    QFutureWatcher<ReplicaTest> m_replicaWatcher;
    QString m_replica; // "replica host (caught up …)" or why it cannot be used; empty without one
};

} // namespace rollup
