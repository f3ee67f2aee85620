#include "ui/accountsview.h"

#include "ui/accountsmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace rollup {

AccountsView::AccountsView(QWidget *parent) : QWidget(parent)
{
    m_model = new AccountsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AccountsModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    auto *layout = new QVBoxLayout(this);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter accounts by id, name or time zone (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    layout->addWidget(m_filter);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AccountsModel::Id, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const qint64 id = currentAccountId();
        if (!id)
            return;
        QMenu menu(this);
        menu.addAction(tr("Backfill account %1…").arg(id), this, [this, id]() { emit backfillRequested(id); });
        menu.addAction(tr("Verify account %1…").arg(id), this, [this, id]() { emit verifyRequested(id); });
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    layout->addWidget(m_view);
    connect(&m_watcher, &QFutureWatcher<AccountsLoad>::finished, this, &AccountsView::onLoaded);
}

AccountsView::~AccountsView() { m_watcher.waitForFinished(); }

void AccountsView::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
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

void AccountsView::refresh()
{
    if (m_watcher.isRunning()) {
        m_reloadQueued = true;
        return;
    }
    m_watcher.setFuture(AccountLoader::load(m_settings));
}

void AccountsView::onLoaded()
{
    const AccountsLoad result = m_watcher.result();
    if (result.error.isEmpty() && result.schemaProblem.isEmpty()) {
        m_model->setAccounts(result.accounts);
        m_view->resizeColumnsToContents();
    }
    emit loaded(result);
    if (m_reloadQueued) {
        m_reloadQueued = false;
        refresh();
    }
}

} // namespace rollup
