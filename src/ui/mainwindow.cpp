#include "ui/mainwindow.h"

#include "jobs/accountsjob.h"

#include "ui/accountsmodel.h"
#include "ui/accountsview.h"
#include "ui/backfillview.h"
#include "ui/connectiondialog.h"
#include "ui/fleetview.h"
#include "ui/helpmenu.h"
#include "ui/historyview.h"
#include "ui/verifyview.h"

#include <QAction>
#include <QCloseEvent>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace rollup {

MainWindow::MainWindow(const ConnectionSettings &settings, QWidget *parent) : MainWindow(parent)
{
    setConnectionSettings(settings);
}

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    m_tabs = new QTabWidget(this);
    m_accounts = new AccountsView(m_tabs);
    m_backfill = new BackfillView(m_tabs);
    m_verify = new VerifyView(m_tabs);
    m_history = new HistoryView(m_tabs);
    m_tabs->addTab(m_accounts, tr("&Accounts"));
    m_tabs->addTab(m_backfill, tr("&Backfill"));
    m_tabs->addTab(m_verify, tr("&Verify"));
    m_fleet = new FleetView(m_tabs);
    m_tabs->addTab(m_fleet, tr("&Many accounts"));
    m_tabs->addTab(m_history, tr("&History"));
    setCentralWidget(m_tabs);

    connect(m_accounts, &AccountsView::loaded, this, &MainWindow::onAccountsLoaded);
    connect(m_accounts, &AccountsView::backfillRequested, this, [this](qint64 id) { openBackfill(id); });
    connect(m_accounts, &AccountsView::verifyRequested, this, [this](qint64 id) { openVerify(id); });
    connect(m_accounts, &AccountsView::rebackfillAllRequested, this, [this](qint64 id) { openBackfill(id); });
    connect(this, &MainWindow::connectRequested, this, &MainWindow::openConnectionDialog);
    connect(m_backfill, &BackfillView::verifyRequested, this, &MainWindow::openVerify);
    connect(m_backfill, &BackfillView::finished, m_accounts, &AccountsView::refresh);
    // Every write is in the history once its job returns: show it at once.
    connect(m_backfill, &BackfillView::finished, m_history, &HistoryView::refresh);
    connect(m_accounts, &AccountsView::timezoneSaved, m_history, &HistoryView::refresh);
    connect(m_verify, &VerifyView::rebackfillRequested, this, [this](qint64 id, const QList<date::local_days> &days) {
        m_reverifyAccount = id; // once the backfill finishes, the verify view checks again
        openBackfill(id, days);
    });
    connect(m_verify, &VerifyView::verified, m_backfill, &BackfillView::setLastVerifyDifferences);
    // The health board: every verify (one account or many) updates the Accounts tab's columns.
    connect(m_verify, &VerifyView::verified, m_accounts, &AccountsView::reloadHealth);
    connect(m_fleet, &FleetView::finished, m_accounts, [this](const FleetResult &result) {
        if (result.accounts.isEmpty())
            return;
        m_accounts->reloadHealth();
        m_history->refresh();
        bool wrote = false;
        for (const FleetAccount &a : result.accounts)
            wrote = wrote || a.rowsWritten > 0;
        if (wrote)
            m_accounts->refresh(); // rollup dates changed
    });
    connect(m_accounts, &AccountsView::fleetRequested, this, [this](FleetMode mode, const QList<qint64> &ids) {
        m_tabs->setCurrentWidget(m_fleet);
        m_fleet->request(mode, ids);
    });
    connect(m_accounts, &AccountsView::historyRequested, this, &MainWindow::showHistory);
    connect(m_fleet, &FleetView::accountActivated, this, [this](qint64 id) { openVerify(id); });
    connect(m_backfill, &BackfillView::finished, this, [this](qint64 id) {
        if (id != m_reverifyAccount)
            return;
        m_reverifyAccount = 0;
        openVerify(id, m_lastVerifyFrom, m_lastVerifyTo);
    });
    // Opening the Backfill tab with no account planned yet takes the account selected in the
    // Accounts tab (planning only reads; nothing runs until Start).
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) != m_backfill || m_backfill->accountId() != 0 || m_settings.readOnly)
            return;
        if (const qint64 id = m_accounts->currentAccountId())
            m_backfill->planFor(id);
    });
    connect(m_backfill, &BackfillView::timezoneEditRequested, this, [this](qint64 id) {
        m_tabs->setCurrentWidget(m_accounts);
        m_accounts->selectAccount(id);
        m_accounts->editTimezone(id);
    });

    auto *console = menuBar()->addMenu(tr("&Console"));
    auto *connectAction = console->addAction(tr("&Connect…"), this, &MainWindow::connectRequested);
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    auto *refreshAction = console->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    refreshAction->setShortcut(QKeySequence::Refresh);
    auto *findAction = console->addAction(tr("&Find account"), this, [this]() {
        m_tabs->setCurrentWidget(m_accounts);
        m_accounts->focusFilter();
    });
    findAction->setShortcut(QKeySequence::Find);
    console->addSeparator();
    auto *quitAction = console->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);

    auto *account = menuBar()->addMenu(tr("&Account"));
    m_backfillAction = account->addAction(tr("&Backfill selected account…"), this, [this]() {
        if (const qint64 id = m_accounts->currentAccountId())
            openBackfill(id);
    });
    m_backfillAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    auto *verifyAction = account->addAction(tr("&Verify selected account…"), this, [this]() {
        if (const qint64 id = m_accounts->currentAccountId())
            openVerify(id);
    });
    verifyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Y));
    auto *historyAction
        = account->addAction(tr("&History of selected account"), this, [this]() { showHistory(m_accounts->currentAccountId()); });
    historyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));

    m_help = new HelpMenu(menuBar(), this, [this]() { return m_server; });

    connect(&m_replicaWatcher, &QFutureWatcher<ReplicaTest>::finished, this, &MainWindow::onReplicaChecked);
    m_status = new QLabel(tr("not connected"), this);
    statusBar()->addPermanentWidget(m_status);
    setWindowTitle(tr("Rollup Console"));
    resize(1200, 720);
}

MainWindow::~MainWindow()
{
    m_replicaCheck.cancel();
    m_replicaWatcher.waitForFinished();
}

QString MainWindow::statusText() const
{
    return m_status->text();
}

void MainWindow::checkReplica()
{
    m_replicaCheck.cancel();
    m_replica.clear();
    if (!m_settings.hasReplica())
        return;
    m_replica = tr("replica: checking…");
    m_replicaCheck = ConnectionCheck::startReplica(m_settings);
    m_replicaWatcher.setFuture(m_replicaCheck.future);
}

void MainWindow::onReplicaChecked()
{
    const ReplicaTest result = m_replicaWatcher.result();
    m_replica = result.ok ? tr("reads: replica %1, %2").arg(result.replica, result.lag.describe())
                          : tr("replica not used: %1").arg(result.error);
    updateTitle();
}

AccountsModel *MainWindow::accountsModel() const
{
    return m_accounts->model();
}
QTableView *MainWindow::accountsView() const
{
    return m_accounts->view();
}

void MainWindow::setStartPage(QWidget *page)
{
    QWidget *previous = takeCentralWidget();
    if (previous == m_tabs) {
        m_tabs->setParent(this); // still the window's,
        m_tabs->hide(); // and hidden explicitly, or show() would show it over the menu bar
    } else if (previous) {
        previous->setParent(this);
        previous->deleteLater();
    }
    m_startPage = page;
    setCentralWidget(page);
}

void MainWindow::setConnectionSettings(const ConnectionSettings &settings)
{
    if (m_startPage) {
        // Deleted later: the call may come from one of the page's own signals.
        QWidget *page = takeCentralWidget();
        page->setParent(this);
        page->hide();
        page->deleteLater();
        m_startPage = nullptr;
        setCentralWidget(m_tabs);
        m_tabs->show();
    }
    m_settings = settings;
    m_server.clear();
    m_backfillAction->setEnabled(!settings.readOnly);
    m_backfillAction->setToolTip(settings.readOnly ? tr("Read-only connection: backfill writes rollups") : QString());
    updateTitle();
    statusBar()->showMessage(tr("Connecting to %1…").arg(settings.toDisplayString()));
    m_accounts->setConnectionSettings(settings);
    m_backfill->setConnectionSettings(settings);
    m_verify->setConnectionSettings(settings);
    m_fleet->setConnectionSettings(settings);
    m_history->setConnectionSettings(settings);
    checkReplica();
    updateTitle();
}

// The connection's source (ConnectionSettings::source, kept in English for logs and tests) as
// the title shows it.
QString MainWindow::sourceText(const QString &source)
{
    static const QString profile = QStringLiteral("profile ");
    if (source == QLatin1String("demo"))
        return tr("demo");
    if (source == QLatin1String("connection dialog"))
        return tr("connection dialog");
    if (source == QLatin1String("libpq environment"))
        return tr("libpq environment");
    if (source.startsWith(profile))
        return tr("profile %1").arg(source.mid(profile.size()));
    return source; // URL, DATABASE_URL, POSTGRES_*: names
}

void MainWindow::updateTitle()
{
    const QString mode = m_settings.readOnly ? tr("read-only") : tr("read-write");
    setWindowTitle(tr("Rollup Console — %1 [%2, %3]").arg(m_settings.toDisplayString(), sourceText(m_settings.source), mode));
    QString text = m_server.isEmpty() ? tr("%1 · %2").arg(m_settings.toDisplayString(), mode)
                                      : tr("%1 · %2 · %3").arg(m_settings.toDisplayString(), m_server, mode);
    if (!m_replica.isEmpty())
        text = tr("writes: primary %1 · %2").arg(text, m_replica);
    m_status->setText(text);
}

void MainWindow::openConnectionDialog()
{
    auto *dialog = new ConnectionDialog(m_settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() { setConnectionSettings(dialog->settings()); });
    dialog->open();
}

void MainWindow::askPassword(const QString &error)
{
    // The server wants a password this connection lacks (a saved profile keeps none): ask for
    // it and connect again. It stays in memory for this window only; Cancel leaves the error.
    if (m_passwordPrompt)
        return;
    auto *dialog = new QInputDialog(this);
    m_passwordPrompt = dialog;
    dialog->setObjectName(QStringLiteral("passwordPrompt"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Password"));
    dialog->setInputMode(QInputDialog::TextInput);
    dialog->setTextEchoMode(QLineEdit::Password);
    const bool wrong = error.contains(QLatin1String("password authentication failed"));
    dialog->setLabelText((wrong ? tr("The server refused the password for %1.") : tr("The server asks for a password for %1."))
                             .arg(m_settings.toDisplayString())
                         + QLatin1Char('\n') + tr("Password (kept for this window only, never saved):"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &password) {
        ConnectionSettings s = m_settings;
        s.password = password;
        setConnectionSettings(s);
    });
    dialog->open();
}

void MainWindow::refresh()
{
    if (m_startPage) // nothing to refresh before there is a connection
        return;
    m_accounts->refresh();
    m_history->refresh();
    checkReplica();
    updateTitle();
}

void MainWindow::openBackfill(qint64 accountId, const QList<date::local_days> &days)
{
    m_tabs->setCurrentWidget(m_backfill);
    m_backfill->planFor(accountId, days);
}

void MainWindow::openVerify(qint64 accountId, const QString &from, const QString &to)
{
    m_lastVerifyFrom = from;
    m_lastVerifyTo = to;
    m_tabs->setCurrentWidget(m_verify);
    m_verify->verifyAccount(accountId, from, to);
}

void MainWindow::showHistory(qint64 accountId)
{
    m_tabs->setCurrentWidget(m_history);
    m_history->showAccount(accountId);
}

void MainWindow::onAccountsLoaded(const AccountsLoad &result)
{
    if (!result.error.isEmpty()) {
        statusBar()->showMessage(tr("Error: %1").arg(result.error));
        m_server = tr("not connected");
        updateTitle();
        if (result.passwordNeeded)
            askPassword(result.error);
        return;
    }
    m_server = result.server;
    updateTitle();
    if (!result.schemaProblem.isEmpty()) {
        statusBar()->showMessage(tr("Schema: %1").arg(result.schemaProblem));
        return;
    }
    statusBar()->showMessage(tr("%n account(s)", nullptr, int(result.accounts.size())), 5000);
    emit accountsLoaded();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if ((m_backfill->isRunning() || m_fleet->isRunning())
        && QMessageBox::question(this, tr("Work running"),
                                 tr("A backfill or verify is running. Cancel it and quit? Finished days keep their new rows."))
               != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    m_backfill->cancel(); // the statement in flight is cancelled on the server
    m_fleet->cancel();
    event->accept();
}

} // namespace rollup
