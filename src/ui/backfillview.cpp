#include "ui/backfillview.h"

#include "ui/backfillmonitor.h"
#include "ui/backfillplanform.h"

#include <QLabel>
#include <QShortcut>
#include <QVBoxLayout>

#include <algorithm>

namespace rollup {

namespace {
constexpr int kFirstChunkDays = 1; // the first report arrives after one day; the engine then adapts

// "2026-01-01 … 2026-01-31 (31 days)" per run of consecutive days, one per line.
QString dayRuns(const QList<date::local_days> &days)
{
    QStringList lines;
    for (qsizetype i = 0; i < days.size();) {
        qsizetype j = i;
        while (j + 1 < days.size() && days.at(j + 1) == days.at(j) + date::days{1})
            ++j;
        // A run of one day is its date alone, so the count here is always two or more.
        lines << (i == j ? formatLocalDate(days.at(i))
                         : BackfillView::tr("%1 … %2 (%n days)", nullptr, int(j - i + 1))
                               .arg(formatLocalDate(days.at(i)), formatLocalDate(days.at(j))));
        i = j + 1;
    }
    return lines.join(QLatin1Char('\n'));
}

// The Plan tab's text for a plan that was not refused.
QString planText(const BackfillPlanOutcome &o, const QString &modeText)
{
    QStringList text{o.plan.describe()};
    text << BackfillView::tr("mode:           %1").arg(modeText);
    if (o.daysWithRows >= 0)
        text << BackfillView::tr("days with rows: %1 of %2 (left out)").arg(o.daysWithRows).arg(o.rangeDays);
    text << QString() << BackfillView::tr("dry run: nothing written") << QString();
    const QList<date::local_days> selected = o.selectedDays();
    text << BackfillView::tr("selected: %n day(s)", nullptr, int(selected.size())) << dayRuns(selected);
    return text.join(QLatin1Char('\n'));
}
} // namespace

BackfillView::BackfillView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_form = new BackfillPlanForm(this);
    layout->addWidget(m_form);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->hide();
    layout->addWidget(m_summary);
    m_monitor = new BackfillMonitor(this);
    layout->addWidget(m_monitor, 1);

    auto *esc = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    esc->setContext(Qt::WidgetWithChildrenShortcut);
    connect(esc, &QShortcut::activated, this, &BackfillView::cancel);

    connect(m_form, &BackfillPlanForm::timezoneEditClicked, this, [this]() { emit timezoneEditRequested(m_accountId); });
    connect(m_form, &BackfillPlanForm::dryRunClicked, this, &BackfillView::dryRun);
    connect(m_form, &BackfillPlanForm::startClicked, this, &BackfillView::startClicked);
    connect(m_form, &BackfillPlanForm::cancelClicked, this, &BackfillView::cancel);
    connect(m_form, &BackfillPlanForm::retryClicked, this, &BackfillView::retryFailedDays);
    connect(m_form, &BackfillPlanForm::verifyClicked, this, &BackfillView::verifyRange);
    connect(m_form, &BackfillPlanForm::planEdited, this, &BackfillView::planEdited);
    connect(m_form, &BackfillPlanForm::confirmationEdited, this, &BackfillView::updateControls);
    connect(&m_planWatcher, &QFutureWatcher<BackfillPlanOutcome>::finished, this, &BackfillView::onPlanReady);
    connect(&m_runWatcher, &QFutureWatcherBase::resultsReadyAt, this, &BackfillView::onRunEvents);
    setState(State::Idle);
}

BackfillView::~BackfillView()
{
    // Cancel on the server and wait for the threads before the widgets they report to go away.
    m_run.cancel();
    m_plan.cancel();
    m_runWatcher.waitForFinished();
    m_planWatcher.waitForFinished();
}

const std::optional<BackfillPlanOutcome> &BackfillView::lastPlan() const
{
    return m_form->shownPlan();
}

CalendarGrid *BackfillView::grid() const
{
    return m_monitor->grid();
}

void BackfillView::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
}

void BackfillView::setState(State state)
{
    m_state = state;
    updateControls();
}

void BackfillView::updateControls()
{
    const bool idle = m_state == State::Idle || m_state == State::Planned || m_state == State::Finished;
    const std::optional<BackfillPlanOutcome> &shown = m_form->shownPlan();
    const QList<date::local_days> left = daysLeft();
    BackfillPlanForm::Actions a;
    a.editable = idle;
    a.start = idle && shown && shown->ok() && m_form->isConfirmed() && (m_form->differsFromShownPlan() || !shown->plan.empty());
    a.cancel = m_state == State::Running;
    a.retry = idle && !left.isEmpty();
    a.retryText = !a.retry                         ? tr("&Retry failed days")
                  : m_result->failedDays.isEmpty() ? tr("&Resume (%n day(s) not processed)", nullptr, int(left.size()))
                                                   : tr("&Retry failed days (%n day(s))", nullptr, int(left.size()));
    a.verify = idle && m_result && m_runPlan;
    m_form->setActions(a);
}

QList<date::local_days> BackfillView::daysLeft() const
{
    if (!m_result || m_result->outcome == BackfillResult::Outcome::Completed)
        return {};
    QList<date::local_days> days = m_result->failedDays + m_result->pendingDays;
    std::sort(days.begin(), days.end());
    return days;
}

void BackfillView::planFor(qint64 accountId, const QList<date::local_days> &days)
{
    if (isRunning()) {
        m_monitor->log(tr("a backfill of account %1 is running: cancel it before planning another").arg(m_accountId));
        m_form->setMessage(tr("A backfill is running; cancel it first."), true);
        return;
    }
    openAccount(accountId, days);
    requestPlan(State::Planning, tr("Reading account %1 and its events…").arg(accountId));
}

void BackfillView::retryFailedDays()
{
    const QList<date::local_days> days = daysLeft();
    if ((m_state != State::Planned && m_state != State::Finished) || days.isEmpty())
        return;
    const qint64 account = m_runPlan ? m_runPlan->account.id : m_accountId;
    m_monitor->log(tr("retrying %n day(s)", nullptr, int(days.size())));
    openAccount(account, days);
    requestPlan(State::PlanningToStart, tr("Reading account %1 and its events…").arg(account));
}

// Starts over for an account: the form, the monitor and the last result are cleared.
void BackfillView::openAccount(qint64 accountId, const QList<date::local_days> &days)
{
    QList<date::local_days> listed = days;
    std::sort(listed.begin(), listed.end());
    listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
    m_accountId = accountId;
    m_result.reset();
    m_runPlan.reset();
    m_summary->hide();
    m_monitor->clear();
    m_monitor->showPlanText(QString());
    const auto differences = m_differences.constFind(accountId);
    m_form->reset(accountId, listed, differences == m_differences.cend() ? std::nullopt : std::make_optional(*differences));
}

void BackfillView::setLastVerifyDifferences(qint64 accountId, const QList<date::local_days> &days)
{
    m_differences.insert(accountId, days);
    if (accountId == m_accountId) {
        m_form->setDifferingDays(days);
        updateControls();
    }
}

void BackfillView::dryRun()
{
    if (!m_accountId || isRunning())
        return;
    requestPlan(State::Planning,
                m_form->discoversRange() ? tr("Reading account %1 and its events…").arg(m_accountId) : tr("Planning…"));
}

void BackfillView::startClicked()
{
    if (!m_accountId || isRunning())
        return;
    if (!m_form->isConfirmed()) {
        m_form->setMessage(
            tr("Type the account id to confirm a range of more than %n days.", nullptr, RangePlanner::kLongRangeDays), true);
        m_form->focusConfirmation();
        return;
    }
    requestPlan(State::PlanningToStart,
                m_form->discoversRange() ? tr("Reading account %1 and its events…").arg(m_accountId) : tr("Planning…"));
}

// `intent`: Planning (show the plan) or PlanningToStart (run it when it arrives). A plan still in
// flight is replaced: its statements are cancelled on the server and its outcome never shown.
void BackfillView::requestPlan(State intent, const QString &message)
{
    if (m_plan.isRunning())
        m_plan.cancel();
    m_plan = BackfillJob::startPlan(m_settings, m_form->request(), currentTime());
    m_planWatcher.setFuture(m_plan.future);
    m_form->setMessage(message);
    setState(intent);
}

void BackfillView::onPlanReady()
{
    const BackfillPlanOutcome outcome = m_planWatcher.result();
    const bool toStart = m_state == State::PlanningToStart;
    if ((m_state != State::Planning && !toStart) || outcome.request.accountId != m_accountId)
        return;
    showOutcome(outcome);
    if (toStart && outcome.ok() && !outcome.plan.empty() && m_form->isConfirmed()) {
        startRun(outcome.plan);
    } else {
        if (toStart && outcome.ok() && !outcome.plan.empty())
            m_form->setMessage(tr("Type the account id to confirm a range of more than %n days, then Start.", nullptr,
                                  RangePlanner::kLongRangeDays),
                               true);
        setState(State::Planned);
    }
    emit planShown();
}

void BackfillView::showOutcome(const BackfillPlanOutcome &o)
{
    m_form->showOutcome(o);
    if (!o.ok()) {
        m_monitor->clear();
        m_monitor->showPlanError(o.error);
        m_form->setMessage(
            o.zoneProblem
                ? tr("%1\nThis account cannot be planned until it has a usable time zone: use “Edit time zone…”.").arg(o.error)
                : o.error,
            true);
        m_monitor->log(tr("plan refused: %1").arg(o.error));
        return;
    }
    m_monitor->showPlan(o.plan, o.rangeDays > 0);
    m_monitor->showPlanText(planText(o, m_form->modeText()));
    const QList<date::local_days> selected = o.selectedDays();
    if (o.plan.empty()) {
        m_form->setMessage(tr("Nothing to do: %1").arg(o.plan.note));
        m_monitor->log(tr("plan: account %1, nothing to do: %2").arg(m_accountId).arg(o.plan.note));
        return;
    }
    const int n = int(selected.size());
    m_form->setMessage(
        tr("%n day(s) to rewrite; nothing has been written. Start writes them, one transaction per chunk of days.", nullptr, n));
    m_monitor->log(tr("plan: account %1, %n day(s) selected, %2 … %3", nullptr, n)
                       .arg(m_accountId)
                       .arg(formatLocalDate(selected.first()), formatLocalDate(selected.last())));
}

void BackfillView::startRun(const BackfillPlan &plan)
{
    m_runPlan = plan;
    m_result.reset();
    m_summary->hide();
    m_monitor->showPlan(plan);
    m_run = BackfillJob::start(m_settings, plan, kFirstChunkDays);
    m_runWatcher.setFuture(m_run.future);
    m_monitor->runStarted(kFirstChunkDays);
    m_monitor->showLog();
    m_monitor->log(tr("backfill of account %1 started: %n day(s), %2 … %3", nullptr, int(plan.windows.size()))
                       .arg(plan.account.id)
                       .arg(formatLocalDate(plan.windows.first().day), formatLocalDate(plan.windows.last().day)));
    m_form->setMessage(tr("Running… Esc or Cancel stops it; finished days keep their new rows."));
    setState(State::Running);
}

void BackfillView::cancel()
{
    if (m_state != State::Running)
        return;
    m_run.cancel();
    m_monitor->log(tr("cancelling: the statement in flight is being cancelled on the server"));
    m_form->setMessage(tr("Cancelling…"));
    setState(State::Cancelling);
}

void BackfillView::onRunEvents(int begin, int end)
{
    for (int i = begin; i < end; ++i) {
        const BackfillEvent event = m_runWatcher.resultAt(i);
        if (const auto *progress = std::get_if<BackfillProgress>(&event)) {
            if (isRunning()) {
                m_monitor->applyProgress(*progress);
                emit progressed(*progress);
            }
        } else {
            onFinished(std::get<BackfillResult>(event));
        }
    }
}

void BackfillView::onFinished(const BackfillResult &r)
{
    m_result = r;
    m_monitor->applyResult(r);
    QString text;
    switch (r.outcome) {
    case BackfillResult::Outcome::Completed:
        text = tr("Backfill complete: %1.").arg(r.summary());
        m_form->setMessage(tr("Done. Next: verify this range against the raw events."));
        break;
    case BackfillResult::Outcome::Cancelled:
        text = tr("Cancelled: %1; %n day(s) not processed.", nullptr, int(r.pendingDays.size())).arg(r.summary());
        m_form->setMessage(tr("Cancelled. The green days are committed; the others keep their old rows."));
        break;
    case BackfillResult::Outcome::Failed:
        text = tr("Failed: %1\nDone before the failure: %2; those days keep their new rows, the failed days keep their old rows.")
                   .arg(r.error, r.summary());
        m_form->setMessage(tr("Failed. “Retry failed days” reruns the failed and unprocessed days."), true);
        break;
    }
    m_summary->setText(text);
    m_summary->show();
    m_monitor->log(text);
    setState(State::Finished);
    emit runFinished(r);
    emit finished(m_runPlan ? m_runPlan->account.id : m_accountId);
}

void BackfillView::verifyRange()
{
    const std::optional<BackfillPlanOutcome> &shown = m_form->shownPlan();
    const BackfillPlan *plan = m_runPlan ? &*m_runPlan : (shown && shown->ok() ? &shown->plan : nullptr);
    if (!plan || plan->windows.isEmpty())
        return;
    emit verifyRequested(plan->account.id, formatLocalDate(plan->range.from), formatLocalDate(plan->range.to));
}

void BackfillView::planEdited()
{
    m_form->setMessage(tr("The plan changed: Dry run shows it; Start plans and runs it."));
    updateControls();
}

} // namespace rollup
