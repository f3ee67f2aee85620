#include "ui/historyview.h"

#include "ui/historymodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace rollup {

HistoryView::HistoryView(QWidget *parent) : QWidget(parent)
{
    m_model = new HistoryModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(HistoryModel::AccountIdRole);
    m_proxy->setFilterKeyColumn(0);

    m_title = new QLabel(tr("History: not connected"), this);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_account = new QLineEdit(this);
    m_account->setObjectName(QStringLiteral("historyAccount"));
    m_account->setPlaceholderText(tr("all accounts"));
    m_account->setValidator(new QIntValidator(1, 2147483647, m_account));
    m_account->setClearButtonEnabled(true);
    m_account->setMaximumWidth(160);
    m_all = new QPushButton(tr("All accounts"), this);
    auto *refreshButton = new QPushButton(tr("Refresh"), this);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(false); // newest first, as recorded
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(HistoryModel::Change, QHeaderView::Stretch);
    m_status = new QLabel(this);

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(new QLabel(tr("Account:"), this));
    top->addWidget(m_account);
    top->addWidget(m_all);
    top->addWidget(refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_account, &QLineEdit::textChanged, this, &HistoryView::applyFilter);
    connect(m_all, &QPushButton::clicked, this, [this]() { showAccount(0); });
    connect(refreshButton, &QPushButton::clicked, this, &HistoryView::refresh);
    connect(&m_watcher, &QFutureWatcher<HistoryLoad>::finished, this, &HistoryView::onLoaded);
}

HistoryView::~HistoryView()
{
    m_watcher.disconnect(this);
    m_load.future.waitForFinished();
}

void HistoryView::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
    m_connected = true;
    m_model->setEntries({});
    m_last = HistoryLoad{};
    refresh();
}

qint64 HistoryView::accountId() const
{
    return m_account->text().toLongLong();
}

void HistoryView::showAccount(qint64 accountId)
{
    m_account->setText(accountId > 0 ? QString::number(accountId) : QString());
    refresh();
}

void HistoryView::refresh()
{
    if (!m_connected)
        return;
    if (m_load.isRunning()) {
        m_reloadQueued = true; // the file may have grown since that load started
        return;
    }
    m_status->setText(tr("Reading the history…"));
    m_load = HistoryJob::start(m_settings);
    m_watcher.setFuture(m_load.future);
}

void HistoryView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void HistoryView::onLoaded()
{
    if (m_load.future.resultCount() > 0) {
        m_last = m_load.future.result();
        m_model->setEntries(m_last.entries);
        m_title->setText(tr("History of the changes this console made to %1").arg(m_last.server));
        m_title->setToolTip(m_last.path);
        m_view->resizeColumnsToContents();
        m_view->horizontalHeader()->setSectionResizeMode(HistoryModel::Change, QHeaderView::Stretch);
        applyFilter();
        emit loaded(m_last);
    }
    if (m_reloadQueued) {
        m_reloadQueued = false;
        refresh();
    }
}

void HistoryView::applyFilter()
{
    const qint64 id = accountId();
    m_proxy->setFilterRegularExpression(id > 0 ? QRegularExpression(QStringLiteral("^%1$").arg(id)) : QRegularExpression());
    updateStatus();
}

void HistoryView::updateStatus()
{
    if (!m_last.error.isEmpty()) {
        m_status->setText(tr("Error: %1").arg(m_last.error));
        return;
    }
    const int shown = m_proxy->rowCount();
    const qint64 id = accountId();
    m_status->setText(id > 0 ? tr("%n action(s) on account %1", nullptr, shown).arg(id) : tr("%n action(s)", nullptr, shown));
}

} // namespace rollup
