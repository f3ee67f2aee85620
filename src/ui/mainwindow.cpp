#include "ui/mainwindow.h"

#include "ui/accountsmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace rollup {

MainWindow::MainWindow(const ConnectionSettings &settings, QWidget *parent)
    : QMainWindow(parent), m_settings(settings)
{
    m_model = new AccountsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AccountsModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_filter = new QLineEdit(central);
    m_filter->setPlaceholderText(tr("Filter accounts by id, name or time zone (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    layout->addWidget(m_filter);

    m_view = new QTableView(central);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AccountsModel::Id, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_view);
    setCentralWidget(central);

    auto *fileMenu = menuBar()->addMenu(tr("&Console"));
    auto *refreshAction = fileMenu->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    refreshAction->setShortcut(QKeySequence::Refresh);
    auto *findAction = fileMenu->addAction(tr("&Find account"), m_filter, qOverload<>(&QWidget::setFocus));
    findAction->setShortcut(QKeySequence::Find);
    fileMenu->addSeparator();
    auto *quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);

    m_status = new QLabel(this);
    statusBar()->addPermanentWidget(m_status);
    connect(&m_watcher, &QFutureWatcher<AccountsLoad>::finished, this, &MainWindow::onLoaded);
    updateTitle();
    resize(1100, 600);
    refresh();
}

MainWindow::~MainWindow()
{
    m_watcher.waitForFinished();
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("Rollup Console — %1 (%2, read-only view)").arg(m_settings.toDisplayString(), m_settings.source));
}

void MainWindow::refresh()
{
    if (m_watcher.isRunning())
        return;
    statusBar()->showMessage(tr("Loading accounts…"));
    m_watcher.setFuture(AccountLoader::load(m_settings));
}

void MainWindow::onLoaded()
{
    const AccountsLoad result = m_watcher.result();
    if (!result.error.isEmpty()) {
        statusBar()->showMessage(tr("Error: %1").arg(result.error));
        m_status->setText(tr("not connected"));
        return;
    }
    if (!result.schemaProblem.isEmpty()) {
        statusBar()->showMessage(tr("Schema: %1").arg(result.schemaProblem));
        m_status->setText(result.server);
        return;
    }
    m_model->setAccounts(result.accounts);
    m_view->resizeColumnsToContents();
    m_status->setText(tr("%1 · %2").arg(m_settings.toDisplayString(), result.server));
    statusBar()->showMessage(tr("%n account(s)", nullptr, int(result.accounts.size())), 5000);
    emit accountsLoaded();
}

} // namespace rollup
