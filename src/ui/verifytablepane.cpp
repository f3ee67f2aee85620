#include "ui/verifytablepane.h"

#include "core/verifyexport.h"
#include "ui/raweventsdialog.h"
#include "ui/verifyfiltermodel.h"
#include "ui/verifyformat.h"
#include "ui/verifymodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace rollup {

VerifyTablePane::VerifyTablePane(VerifyModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    m_proxy = new VerifyFilterModel(this);
    m_proxy->setSourceModel(m_model);

    m_dimensionFilter = new QComboBox(this);
    m_metricFilter = new QComboBox(this);
    m_statusFilter = new QComboBox(this);
    m_statusFilter->addItem(tr("All statuses"), -1);
    for (CompareStatus s : {CompareStatus::Match, CompareStatus::Mismatch, CompareStatus::Missing, CompareStatus::Extra})
        m_statusFilter->addItem(VerifyFormat::statusText(s), int(s));
    m_onlyDifferences = new QCheckBox(tr("Only &differences"), this);
    m_onlyDifferences->setChecked(true);
    m_proxy->setOnlyDifferences(true);
    m_count = new QLabel(this);
    connect(m_dimensionFilter, &QComboBox::currentIndexChanged, this,
            [this]() { m_proxy->setDimensionType(m_dimensionFilter->currentData().toString()); });
    connect(m_metricFilter, &QComboBox::currentIndexChanged, this,
            [this]() { m_proxy->setMetric(m_metricFilter->currentData().toString()); });
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this]() {
        const int s = m_statusFilter->currentData().toInt();
        m_proxy->setStatus(s < 0 ? std::nullopt : std::optional<CompareStatus>(CompareStatus(s)));
    });
    connect(m_onlyDifferences, &QCheckBox::toggled, m_proxy, &VerifyFilterModel::setOnlyDifferences);
    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Filter:"), this));
    filters->addWidget(m_dimensionFilter);
    filters->addWidget(m_metricFilter);
    filters->addWidget(m_statusFilter);
    filters->addWidget(m_onlyDifferences);
    filters->addStretch(1);
    filters->addWidget(m_count);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(VerifyModel::Date, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Double click or Enter.
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) { openDrillDown(index); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &VerifyTablePane::updateActions);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (!current.isValid())
            return;
        const CompareRow &r = m_model->rowAt(m_proxy->mapToSource(current).row());
        emit keySelected(r.metric, r.dimensionType, r.dimensionId);
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &VerifyTablePane::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &VerifyTablePane::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &VerifyTablePane::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &VerifyTablePane::updateCount);

    m_rebackfillSelected = new QPushButton(tr("Re-backfill &selected days"), this);
    m_rebackfillDiffering = new QPushButton(tr("Re-backfill &all differing days"), this);
    m_export = new QPushButton(tr("&Export…"), this);
    m_export->setToolTip(tr("Save the filtered table as CSV or JSON (the CLI's columns)"));
    connect(m_rebackfillSelected, &QPushButton::clicked, this, [this]() {
        if (const QList<date::local_days> days = selectedDays(); !days.isEmpty())
            emit rebackfillRequested(days);
    });
    connect(m_rebackfillDiffering, &QPushButton::clicked, this, [this]() {
        if (!m_differingDays.isEmpty())
            emit rebackfillRequested(m_differingDays);
    });
    connect(m_export, &QPushButton::clicked, this, &VerifyTablePane::exportTable);
    connect(&m_exportWatcher, &QFutureWatcher<QString>::finished, this, &VerifyTablePane::onExported);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_rebackfillSelected);
    actions->addWidget(m_rebackfillDiffering);
    actions->addStretch(1);
    actions->addWidget(m_export);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    layout->addLayout(actions);
    showResult(VerifyOutcome{});
}

VerifyTablePane::~VerifyTablePane()
{
    m_exportWatcher.waitForFinished();
}

void VerifyTablePane::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
}

void VerifyTablePane::showResult(const VerifyOutcome &outcome)
{
    m_plan = outcome.result.plan;
    m_differingDays = outcome.differingDays();
    fillFilterCombos();
    if (!m_columnsFitted && m_model->rowCount() > 0) {
        fitColumns();
        m_columnsFitted = true;
    }
    updateActions();
    updateCount();
}

void VerifyTablePane::setRunning(bool running)
{
    m_running = running;
    updateActions();
}

void VerifyTablePane::fillFilterCombos()
{
    const QString dim = m_dimensionFilter->currentData().toString(), metric = m_metricFilter->currentData().toString();
    const QSignalBlocker b1(m_dimensionFilter), b2(m_metricFilter);
    m_dimensionFilter->clear();
    m_dimensionFilter->addItem(tr("All dimensions"), QString());
    for (const QString &t : m_model->data().dimensionTypes)
        m_dimensionFilter->addItem(VerifyFormat::dimensionText(t), t);
    m_metricFilter->clear();
    m_metricFilter->addItem(tr("All metrics"), QString());
    for (const QString &m : m_model->data().metrics)
        m_metricFilter->addItem(m, m);
    m_dimensionFilter->setCurrentIndex(std::max(0, m_dimensionFilter->findData(dim)));
    m_metricFilter->setCurrentIndex(std::max(0, m_metricFilter->findData(metric)));
    m_proxy->setDimensionType(m_dimensionFilter->currentData().toString());
    m_proxy->setMetric(m_metricFilter->currentData().toString());
}

// Widths from the sampled contents, but never narrower than the widest value a column can show
// (the first rows need not contain "mismatch" or a "−23 h 59 min" delta).
void VerifyTablePane::fitColumns()
{
    m_table->resizeColumnsToContents();
    const QFontMetrics fm = m_table->fontMetrics();
    auto atLeast = [this, &fm](int column, const QString &sample, int extra = 16) {
        const int w = fm.horizontalAdvance(sample) + extra;
        if (m_table->columnWidth(column) < w)
            m_table->setColumnWidth(column, w);
    };
    atLeast(VerifyModel::Status, VerifyFormat::statusText(CompareStatus::Mismatch), 16 + m_table->iconSize().width() + 8);
    for (int c : {VerifyModel::RollupSum, VerifyModel::RawSum, VerifyModel::DeltaSum, VerifyModel::RollupSumBh,
                  VerifyModel::RawSumBh, VerifyModel::DeltaSumBh})
        atLeast(c, QStringLiteral("−1234567.891"));
    for (int c :
         {VerifyModel::RollupAvg, VerifyModel::RawAvg, VerifyModel::DeltaAvg, VerifyModel::RollupAvgBh, VerifyModel::RawAvgBh})
        atLeast(c, QStringLiteral("−23 h 59 min"));
    for (int c : {VerifyModel::RollupCount, VerifyModel::RawCount, VerifyModel::DeltaCount})
        atLeast(c, QStringLiteral("−123456"));
}

void VerifyTablePane::updateActions()
{
    const bool haveRows = m_model->rowCount() > 0;
    m_rebackfillSelected->setEnabled(!m_running && haveRows && m_table->selectionModel()->hasSelection());
    const int differing = int(m_differingDays.size());
    m_rebackfillDiffering->setEnabled(!m_running && differing > 0);
    m_rebackfillDiffering->setText(differing > 0 ? tr("Re-backfill &all %n differing day(s)", nullptr, differing)
                                                 : tr("Re-backfill &all differing days"));
    m_export->setEnabled(!m_running && haveRows && !m_exportWatcher.isRunning());
}

void VerifyTablePane::updateCount()
{
    m_count->setText(tr("%1 of %Ln key(s) shown", nullptr, m_model->rowCount()).arg(QLocale().toString(m_proxy->rowCount())));
}

QList<CompareRow> VerifyTablePane::filteredRows() const
{
    QList<CompareRow> rows;
    const int n = m_proxy->rowCount();
    rows.reserve(n);
    for (int i = 0; i < n; ++i)
        rows.append(m_model->rowAt(m_proxy->mapToSource(m_proxy->index(i, 0)).row()));
    return rows;
}

QList<date::local_days> VerifyTablePane::selectedDays() const
{
    QList<date::local_days> days;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        days.append(m_model->rowAt(m_proxy->mapToSource(index).row()).date);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
}

RawEventsDialog *VerifyTablePane::openDrillDown(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid() || proxyIndex.model() != m_proxy)
        return nullptr;
    const CompareRow &r = m_model->rowAt(m_proxy->mapToSource(proxyIndex).row());
    auto *dialog = new RawEventsDialog(m_settings, m_plan.account.id, m_plan.zone.zone, r,
                                       VerifyModel::nameOf(m_model->data(), r.dimensionType, r.dimensionId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void VerifyTablePane::exportTable()
{
    const QString suggested = m_plan.empty() ? QStringLiteral("verify.csv")
                                             : QStringLiteral("verify-account-%1-%2-%3.csv")
                                                   .arg(m_plan.account.id)
                                                   .arg(formatLocalDate(m_plan.range.from), formatLocalDate(m_plan.range.to));
    QString filter;
    QString path
        = QFileDialog::getSaveFileName(this, tr("Export verify table"), suggested, tr("CSV (*.csv);;JSON (*.json)"), &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter.contains(QLatin1String("json")) ? QStringLiteral(".json") : QStringLiteral(".csv");
    exportTo(path);
}

void VerifyTablePane::exportTo(const QString &path)
{
    if (m_exportWatcher.isRunning())
        return;
    const QList<CompareRow> rows = filteredRows();
    m_exportPath = path;
    // A local file, no database: Qt's global pool rather than a Job (no server-side statement to
    // cancel, no connection settings).
    m_exportWatcher.setFuture(QtConcurrent::run([path, rows]() {
        QString error;
        VerifyExport::writeFile(path, VerifyExport::formatForPath(path), rows, &error);
        return error;
    }));
    emit message(tr("Exporting %n row(s)…", nullptr, int(rows.size())));
    updateActions();
}

void VerifyTablePane::onExported()
{
    const QString error = m_exportWatcher.result();
    emit message(error.isEmpty() ? tr("Exported to %1.").arg(m_exportPath) : tr("Export failed: %1").arg(error));
    updateActions();
    emit exported(m_exportPath, error);
}

} // namespace rollup
