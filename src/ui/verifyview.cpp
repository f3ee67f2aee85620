#include "ui/verifyview.h"

#include "ui/calendargrid.h"
#include "ui/palette.h"
#include "ui/readpathcontrol.h"
#include "ui/verifychart.h"
#include "ui/verifyfiltermodel.h"
#include "ui/verifyheatmappane.h"
#include "ui/verifyruncontrol.h"
#include "ui/verifytablepane.h"
#include "ui/viewhelp.h"

#include <QGroupBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace rollup {

VerifyView::VerifyView(QWidget *parent) : QWidget(parent)
{
    m_model = new VerifyModel(this);
    buildUi();
    connect(&m_watcher, &QFutureWatcher<VerifyLoad>::finished, this, &VerifyView::onFinished);
    clearResult(tr("Select an account on the Accounts tab and press Ctrl+Y to verify its rollups."));
}

VerifyView::~VerifyView()
{
    m_job.cancel();
    m_watcher.waitForFinished();
}

void VerifyView::buildUi()
{
    m_summary = new VerifySummary(this);
    m_run = new VerifyRunControl(this);
    m_summary->addToTitleRow(m_run);
    m_summary->addToTitleRow(ViewHelp::button(ViewHelp::Topic::Verify, this));
    m_readPath = new ReadPathControl(this);
    m_heatmap = new VerifyHeatmapPane(this);
    m_chart = new VerifyChart(this);
    m_tablePane = new VerifyTablePane(m_model, this);

    connect(m_run, &VerifyRunControl::verifyClicked, this, &VerifyView::verify);
    connect(m_run, &VerifyRunControl::cancelClicked, this, &VerifyView::cancel);
    connect(m_summary, &VerifySummary::rebackfillOutsideRequested, this, &VerifyView::requestRebackfill);
    connect(m_readPath, &ReadPathControl::readPathChanged, this, &VerifyView::onReadPathChanged);
    connect(m_readPath, &ReadPathControl::message, m_summary, &VerifySummary::setMessage);
    connect(m_heatmap, &VerifyHeatmapPane::dayClicked, this, &VerifyView::onDayClicked);
    connect(m_heatmap, &VerifyHeatmapPane::allDaysRequested, this, [this]() { setDayFilter(std::nullopt); });
    connect(m_tablePane, &VerifyTablePane::rebackfillRequested, this, &VerifyView::requestRebackfill);
    connect(m_tablePane, &VerifyTablePane::keySelected, m_chart, &VerifyChart::selectKey);
    connect(m_tablePane, &VerifyTablePane::message, m_summary, &VerifySummary::setMessage);
    connect(m_tablePane, &VerifyTablePane::exported, this, &VerifyView::exported);

    auto *chartBox = new QGroupBox(tr("Rollup vs raw per day"), this);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->addWidget(m_chart);
    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_heatmap);
    upper->addWidget(chartBox);
    upper->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(m_tablePane);
    split->setStretchFactor(1, 1);
    split->setSizes({300, 400});

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_readPath);
    layout->addWidget(split, 1);
}

VerifyFilterModel *VerifyView::proxy() const
{
    return m_tablePane->proxy();
}
QTableView *VerifyView::table() const
{
    return m_tablePane->table();
}
CalendarGrid *VerifyView::heatmap() const
{
    return m_heatmap->grid();
}
QAbstractButton *VerifyView::enableReadPathButton() const
{
    return m_readPath->enableButton();
}
QString VerifyView::summaryText() const
{
    return m_summary->text();
}
QString VerifyView::readPathText() const
{
    return m_readPath->text();
}
QList<CompareRow> VerifyView::filteredRows() const
{
    return m_tablePane->filteredRows();
}
QList<date::local_days> VerifyView::selectedDays() const
{
    return m_tablePane->selectedDays();
}
RawEventsDialog *VerifyView::openDrillDown(const QModelIndex &proxyIndex)
{
    return m_tablePane->openDrillDown(proxyIndex);
}
void VerifyView::enableReadPath()
{
    m_readPath->enableReadPath();
}
void VerifyView::exportTable()
{
    m_tablePane->exportTable();
}
void VerifyView::exportTo(const QString &path)
{
    m_tablePane->exportTo(path);
}

void VerifyView::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
    m_tablePane->setConnectionSettings(settings);
    m_readPath->setConnectionSettings(settings);
    ++m_generation; // a verify still in flight belongs to the old database
    m_pending.reset();
    m_job.cancel();
    m_accountId = 0;
    clearResult(tr("Select an account on the Accounts tab and press Ctrl+Y to verify its rollups."));
}

void VerifyView::verifyAccount(qint64 accountId, const QString &from, const QString &to)
{
    VerifyRequest request;
    request.accountId = accountId;
    request.range.from = from;
    request.range.to = to;
    m_run->showRequest(from, to);
    if (accountId != m_accountId) {
        m_accountId = accountId;
        clearResult(tr("Verifying account %1…").arg(accountId));
    }
    start(request);
}

void VerifyView::verify()
{
    if (m_accountId <= 0)
        return;
    VerifyRequest request;
    request.accountId = m_accountId;
    request.range = m_run->range();
    start(request);
}

void VerifyView::cancel()
{
    m_pending.reset();
    m_job.cancel();
}

void VerifyView::start(const VerifyRequest &request)
{
    if (isRunning()) {
        m_pending = request; // runs when the cancelled one has returned
        m_job.cancel();
        return;
    }
    m_running = true;
    m_runGeneration = m_generation;
    m_job = VerifyJob::start(m_settings, request, currentTime());
    QFuture<VerifyOutcome> run = m_job.future;
    m_run->started(run);
    m_watcher.setFuture(run.then([](const VerifyOutcome &outcome) {
        VerifyLoad load; // on the worker thread: the table is ready before the GUI sees it
        load.outcome = outcome;
        if (outcome.ok())
            load.table = VerifyModel::prepare(outcome);
        return load;
    }));
    m_summary->setMessage(QString());
    updateState();
}

void VerifyView::onFinished()
{
    VerifyLoad load = m_watcher.result();
    m_running = false;
    m_run->finished();
    if (m_pending) {
        const VerifyRequest next = *m_pending;
        m_pending.reset();
        start(next);
        return;
    }
    if (m_runGeneration != m_generation) {
        updateState();
        return;
    }
    if (load.outcome.cancelled) {
        m_summary->setMessage(tr("Verify cancelled; the table shows the previous result."));
        updateState();
        return;
    }
    if (!load.outcome.error.isEmpty()) {
        const QString error = load.outcome.error;
        clearResult(QStringLiteral("<span style='color:%1'>%2</span>")
                        .arg(Palette::errorText().name(), tr("Verify failed: %1").arg(error.toHtmlEscaped())));
        m_outcome = load.outcome; // keeps the feature flags read before the failure
        m_readPath->setEvidence(m_outcome);
        emit verifyFailed(load.outcome.request.accountId, error);
        return;
    }
    apply(std::move(load));
}

void VerifyView::apply(VerifyLoad load)
{
    m_outcome = std::move(load.outcome);
    proxy()->setDay(std::nullopt);
    m_model->setData(std::move(load.table));
    m_tablePane->showResult(m_outcome);
    if (const BackfillPlan &plan = m_outcome.result.plan; !plan.empty())
        m_run->showPlannedRange(plan.range.from, plan.range.to);
    m_heatmap->showDays(m_outcome.days);
    m_chart->setSource(&m_model->data(), m_outcome.days);
    m_summary->showOutcome(m_outcome);
    m_readPath->setEvidence(m_outcome);
    updateState();
    setDayFilter(std::nullopt);
    emit verified(m_outcome.request.accountId, m_outcome.differingDays());
}

void VerifyView::clearResult(const QString &message)
{
    m_outcome = VerifyOutcome{};
    m_outcome.request.accountId = m_accountId;
    m_model->clear();
    m_chart->clear();
    m_heatmap->clear();
    proxy()->setDay(std::nullopt);
    m_tablePane->showResult(m_outcome);
    m_summary->showNoResult(m_accountId, message);
    m_readPath->setEvidence(m_outcome);
    updateState();
}

void VerifyView::updateState()
{
    m_run->setCanVerify(m_accountId > 0);
    m_tablePane->setRunning(m_running);
    m_readPath->setVerifyRunning(m_running);
}

void VerifyView::setDayFilter(std::optional<date::local_days> day)
{
    proxy()->setDay(day);
    m_heatmap->setDayFilter(day);
}

void VerifyView::onDayClicked(date::local_days day)
{
    setDayFilter(proxy()->day() == day ? std::nullopt : std::optional<date::local_days>(day));
}

void VerifyView::rebackfillSelectedDays()
{
    requestRebackfill(selectedDays());
}

void VerifyView::rebackfillDifferingDays()
{
    requestRebackfill(m_outcome.differingDays());
}

void VerifyView::requestRebackfill(const QList<date::local_days> &days)
{
    if (m_accountId > 0 && !days.isEmpty())
        emit rebackfillRequested(m_accountId, days);
}

void VerifyView::onReadPathChanged(const ReadPathChange &change)
{
    if (change.done() && change.accountId == m_outcome.request.accountId)
        m_outcome.featureFlags = change.after;
    emit readPathChanged(change);
}

} // namespace rollup
