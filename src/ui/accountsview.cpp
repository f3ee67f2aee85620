#include "ui/accountsview.h"

#include "core/cancellation.h"
#include "ui/accountsfiltermodel.h"
#include "ui/accountsmodel.h"
#include "ui/timezonedialog.h"
#include "ui/viewhelp.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace rollup {

AccountsView::AccountsView(QWidget *parent) : QWidget(parent)
{
    m_model = new AccountsModel(this);
    m_proxy = new AccountsFilterModel(m_model, this);

    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("accountFilter"));
    m_filter->setPlaceholderText(tr("Filter accounts by id, name or time zone (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filter, &QLineEdit::textChanged, this, &AccountsView::updateStatus);
    bar->addWidget(m_filter, 1);

    m_editTimezone = new QAction(tr("Edit &time zone…"), this);
    m_editTimezone->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_editTimezone->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_editTimezone->setToolTip(tr("Change the selected account's reporting_timezone (Ctrl+T)"));
    m_editTimezone->setEnabled(false);
    connect(m_editTimezone, &QAction::triggered, this, [this]() { editTimezone(); });
    addAction(m_editTimezone);
    auto *editButton = new QToolButton(this);
    editButton->setObjectName(QStringLiteral("editTimezoneButton"));
    editButton->setDefaultAction(m_editTimezone);
    editButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addWidget(editButton);
    m_verifySelected = new QAction(tr("&Verify selected"), this);
    m_verifySelected->setObjectName(QStringLiteral("verifySelected"));
    m_verifySelected->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    m_verifySelected->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_verifySelected->setToolTip(tr("Compare the stored rollups of every selected account with its raw events, "
                                    "over each account's whole history (Ctrl+Shift+V)"));
    connect(m_verifySelected, &QAction::triggered, this,
            [this]() { emit fleetRequested(FleetMode::Verify, selectedAccountIds()); });
    m_backfillSelected = new QAction(tr("&Backfill selected…"), this);
    m_backfillSelected->setObjectName(QStringLiteral("backfillSelected"));
    m_backfillSelected->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    m_backfillSelected->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_backfillSelected->setToolTip(tr("Plan a backfill of every selected account's history; nothing is written before you "
                                      "confirm (Ctrl+Shift+B)"));
    connect(m_backfillSelected, &QAction::triggered, this,
            [this]() { emit fleetRequested(FleetMode::Backfill, selectedAccountIds()); });
    for (QAction *action : {m_verifySelected, m_backfillSelected}) {
        action->setEnabled(false);
        addAction(action);
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        bar->addWidget(button);
    }
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("accountsStatus"));
    bar->addWidget(m_status);
    bar->addWidget(ViewHelp::button(ViewHelp::Topic::Accounts, this));
    layout->addLayout(bar);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AccountsModel::Id, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // uniform rows: no per-row size hints
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setResizeContentsPrecision(200); // sizing to contents reads 200 rows, not 20,000
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &AccountsView::showContextMenu);
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        const int c = index.column();
        if (c == AccountsModel::StoredTimezone || c == AccountsModel::State || c == AccountsModel::Resolved
            || c == AccountsModel::LocalNow)
            editTimezone(index.data(AccountsModel::AccountIdRole).toLongLong());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AccountsView::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() {
        updateActions();
        updateStatus();
    });
    layout->addWidget(m_view);

    m_clock = new QTimer(this);
    m_clock->setInterval(30000);
    connect(m_clock, &QTimer::timeout, this, [this]() { m_model->setNow(currentTime()); });
    m_clock->start();

    connect(&m_watcher, &QFutureWatcher<AccountsLoad>::finished, this, &AccountsView::onLoaded);
    connect(&m_statsWatcher, &QFutureWatcherBase::resultsReadyAt, this, &AccountsView::onStatsBatches);
    connect(&m_healthWatcher, &QFutureWatcherBase::finished, this, [this]() {
        if (!m_healthWatcher.isCanceled() && m_healthWatcher.future().resultCount() > 0) {
            m_model->setHealth(m_healthWatcher.result());
            for (int c = AccountsModel::Health; c <= AccountsModel::CheckedAt; ++c)
                m_view->resizeColumnToContents(c);
        }
    });
}

QList<qint64> AccountsView::selectedAccountIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    ids.reserve(rows.size());
    for (const QModelIndex &index : rows)
        ids.append(index.data(AccountsModel::AccountIdRole).toLongLong());
    return ids;
}

void AccountsView::reselect(const QList<qint64> &accountIds)
{
    // One selection of contiguous row ranges: selecting row by row would signal each time.
    QList<int> rows;
    rows.reserve(accountIds.size());
    for (qint64 id : accountIds) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            if (const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0)); index.isValid())
                rows.append(index.row());
    }
    std::sort(rows.begin(), rows.end());
    QItemSelection selection;
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
            ++j;
        selection.select(m_proxy->index(rows.at(i), 0), m_proxy->index(rows.at(j), AccountsModel::ColumnCount - 1));
        i = j + 1;
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void AccountsView::updateActions()
{
    m_editTimezone->setEnabled(currentAccountId() != 0);
    const bool any = m_view->selectionModel()->hasSelection();
    m_verifySelected->setEnabled(any);
    m_backfillSelected->setEnabled(any && !m_settings.readOnly);
}

void AccountsView::reloadHealth()
{
    m_healthWatcher.waitForFinished(); // reading one small file
    m_healthLoad = AccountsJob::startLoadHealth(m_settings);
    m_healthWatcher.setFuture(m_healthLoad.future);
}

AccountsView::~AccountsView()
{
    cancelWork();
    m_watcher.waitForFinished();
    m_statsWatcher.waitForFinished();
    m_healthWatcher.waitForFinished();
}

QSortFilterProxyModel *AccountsView::proxy() const
{
    return m_proxy;
}

void AccountsView::cancelWork()
{
    m_load.cancel();
    m_statsLoad.cancel();
}

void AccountsView::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
    // A statement still running against the previous server is cancelled there.
    cancelWork();
    refresh();
}

qint64 AccountsView::currentAccountId() const
{
    const QModelIndex index = m_view->currentIndex();
    return index.isValid() ? index.data(AccountsModel::AccountIdRole).toLongLong() : 0;
}

void AccountsView::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

bool AccountsView::isLoading() const
{
    return m_watcher.isRunning() || m_statsWatcher.isRunning() || m_statsApplied < m_statsReady;
}

bool AccountsView::selectAccount(qint64 accountId)
{
    const int row = m_model->rowOf(accountId);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void AccountsView::refresh()
{
    if (m_watcher.isRunning()) {
        m_reloadQueued = true;
        return;
    }
    m_statsLoad.cancel(); // the list is about to change: old statistics are not wanted
    m_statsNote = tr("loading…");
    updateStatus();
    m_load = AccountsJob::startLoad(m_settings);
    m_watcher.setFuture(m_load.future);
}

void AccountsView::onLoaded()
{
    const AccountsLoad result = m_watcher.result();
    if (m_reloadQueued) {
        // Settings changed or F5 pressed while loading: this result is stale.
        m_reloadQueued = false;
        refresh();
        return;
    }
    if (result.cancelled)
        return;
    if (result.error.isEmpty() && result.schemaProblem.isEmpty()) {
        const qint64 current = currentAccountId();
        const QList<qint64> selected = selectedAccountIds();
        const bool first = m_model->rowCount() == 0;
        m_model->setHealth(result.health);
        m_model->setLastChanges(result.lastChanges);
        m_model->setAccounts(result.accounts);
        if (first) {
            m_view->resizeColumnsToContents();
            // Long invalid-zone reasons stay readable in the tooltip; keep the statistics in view.
            for (int c : {int(AccountsModel::Name), int(AccountsModel::StoredTimezone), int(AccountsModel::Resolved)})
                m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), 280));
        }
        if (current)
            selectAccount(current);
        if (selected.size() > 1)
            reselect(selected);
        updateActions();
        m_statsNote = tr("statistics loading…");
        QList<qint64> ids;
        ids.reserve(result.accounts.size());
        for (const AccountRow &a : result.accounts)
            ids.append(a.id);
        m_statsLoad = AccountsJob::startLoadStats(m_settings, ids);
        m_statsReady = m_statsApplied = 0;
        m_statsWatcher.setFuture(m_statsLoad.future);
    } else {
        m_model->setAccounts({});
        m_statsNote = result.error.isEmpty() ? result.schemaProblem : result.error;
    }
    updateStatus();
    emit loaded(result);
}

void AccountsView::onStatsBatches(int, int end)
{
    m_statsReady = std::max(m_statsReady, end);
    if (!std::exchange(m_statsStepQueued, true))
        QMetaObject::invokeMethod(this, &AccountsView::applyNextStatsBatch, Qt::QueuedConnection);
}

void AccountsView::applyNextStatsBatch()
{
    m_statsStepQueued = false;
    if (m_statsApplied >= m_statsReady || m_statsApplied >= m_statsWatcher.future().resultCount())
        return;
    const AccountStatsLoad batch = m_statsWatcher.resultAt(m_statsApplied++);
    if (batch.cancelled || m_watcher.isRunning())
        return; // superseded by a newer load
    if (!batch.error.isEmpty()) {
        m_statsNote = tr("statistics failed: %1").arg(batch.error);
    } else {
        m_model->mergeStats(batch.accountIds, batch.stats);
        m_statsNote = batch.finished()
                          ? tr("statistics in %1 s").arg(QLocale().toString(batch.seconds, 'f', 1))
                          : tr("statistics %1 of %2…").arg(QLocale().toString(batch.done), QLocale().toString(batch.total));
        if (batch.finished() && !std::exchange(m_statsColumnsSized, true))
            for (int c = AccountsModel::RollupCoverage; c <= AccountsModel::LastEventDay; ++c)
                m_view->resizeColumnToContents(c);
    }
    updateStatus();
    if (batch.finished())
        emit statsLoaded(batch);
    if (m_statsApplied < m_statsReady && !std::exchange(m_statsStepQueued, true))
        QMetaObject::invokeMethod(this, &AccountsView::applyNextStatsBatch, Qt::QueuedConnection);
}

void AccountsView::updateStatus()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    const QLocale locale;
    QString text = shown != total ? tr("%1 of %2 accounts").arg(locale.toString(shown), locale.toString(total))
                   : total == 1   ? tr("1 account")
                                  : tr("%1 accounts").arg(locale.toString(total));
    if (const qsizetype selected = m_view->selectionModel()->selectedRows().size(); selected > 1)
        text += QStringLiteral(" · ") + tr("%n selected", nullptr, int(selected));
    if (!m_statsNote.isEmpty())
        text += QStringLiteral(" · ") + m_statsNote;
    if (m_settings.readOnly)
        text += QStringLiteral(" · ") + tr("read-only");
    m_status->setText(text);
}

void AccountsView::showContextMenu(const QPoint &pos)
{
    const qint64 id = currentAccountId();
    if (!id)
        return;
    QMenu menu(this);
    menu.addAction(m_editTimezone);
    menu.addSeparator();
    QAction *backfill = menu.addAction(tr("Backfill account %1…").arg(id), this, [this, id]() { emit backfillRequested(id); });
    backfill->setEnabled(!m_settings.readOnly);
    if (m_settings.readOnly)
        backfill->setToolTip(tr("Read-only connection"));
    menu.addAction(tr("Verify account %1…").arg(id), this, [this, id]() { emit verifyRequested(id); });
    menu.addAction(tr("History of account %1").arg(id), this, [this, id]() { emit historyRequested(id); });
    if (m_view->selectionModel()->selectedRows().size() > 1) {
        menu.addSeparator();
        menu.addAction(m_verifySelected);
        menu.addAction(m_backfillSelected);
    }
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

TimezoneDialog *AccountsView::editTimezone(qint64 accountId)
{
    if (!accountId)
        accountId = currentAccountId();
    const AccountRow *account = m_model->accountAt(m_model->rowOf(accountId));
    if (!account)
        return nullptr;
    auto *dialog = new TimezoneDialog(m_settings, *account, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TimezoneDialog::saved, this, [this](qint64 id, const QString &ianaId) {
        emit timezoneSaved(id, ianaId);
        refresh();
    });
    connect(dialog, &TimezoneDialog::rebackfillAllRequested, this, &AccountsView::rebackfillAllRequested);
    dialog->open();
    return dialog;
}

} // namespace rollup
