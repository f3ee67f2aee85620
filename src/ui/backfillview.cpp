#include "ui/backfillview.h"

#include "ui/backfillmonitor.h"
#include "ui/calendargrid.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTabWidget>
#include <QVBoxLayout>

#include <chrono>

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
        lines << (i == j ? formatLocalDate(days.at(i))
                         : BackfillView::tr("%1 … %2 (%3 days)").arg(formatLocalDate(days.at(i)), formatLocalDate(days.at(j))).arg(j - i + 1));
        i = j + 1;
    }
    return lines.join(QLatin1Char('\n'));
}

QString inHours(std::chrono::seconds s)
{
    if (s.count() <= 0)
        return BackfillView::tr("now");
    return BackfillView::tr("in %1 h %2 min").arg(s.count() / 3600).arg(s.count() / 60 % 60);
}
} // namespace

BackfillView::BackfillView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *planBox = new QGroupBox(tr("Plan"), this);
    auto *form = new QFormLayout(planBox);

    m_account = new QLabel(tr("Select an account in the Accounts tab, then open this tab (or press Ctrl+B there)."), planBox);
    m_account->setTextFormat(Qt::PlainText);
    form->addRow(tr("Account:"), m_account);

    auto *zoneRow = new QHBoxLayout;
    m_zone = new QLabel(planBox);
    m_zone->setWordWrap(true);
    m_zone->setTextFormat(Qt::RichText);
    m_zoneButton = new QPushButton(tr("Edit time zone…"), planBox);
    m_zoneButton->setObjectName(QStringLiteral("timezoneButton"));
    m_zoneButton->hide();
    zoneRow->addWidget(m_zone, 1);
    zoneRow->addWidget(m_zoneButton);
    form->addRow(tr("Time zone:"), zoneRow);

    auto *rangeRow = new QHBoxLayout;
    m_from = new QDateEdit(planBox);
    m_to = new QDateEdit(planBox);
    for (QDateEdit *e : {m_from, m_to}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        e->setEnabled(false);
        e->setMinimumDate(QDate(1900, 1, 1));
        e->setSpecialValueText(tr("—"));
        e->setDate(e->minimumDate());
    }
    m_from->setObjectName(QStringLiteral("fromEdit"));
    m_to->setObjectName(QStringLiteral("toEdit"));
    m_rangeDays = new QLabel(planBox);
    m_resetRange = new QPushButton(tr("Discovered range"), planBox);
    m_resetRange->setToolTip(tr("First event's local date … yesterday in the account's zone"));
    rangeRow->addWidget(m_from);
    rangeRow->addWidget(new QLabel(tr("…"), planBox));
    rangeRow->addWidget(m_to);
    rangeRow->addWidget(m_rangeDays);
    rangeRow->addWidget(m_resetRange);
    rangeRow->addSpacing(16);
    m_includeToday = new QCheckBox(tr("Include today"), planBox);
    m_includeToday->setObjectName(QStringLiteral("includeToday"));
    rangeRow->addWidget(m_includeToday);
    rangeRow->addStretch(1);
    form->addRow(tr("Local days:"), rangeRow);
    m_todayHint = new QLabel(planBox);
    m_todayHint->setObjectName(QStringLiteral("todayHint"));
    m_todayHint->setWordWrap(false); // a wrapped label in a form row reserves blank lines
    form->addRow(QString(), m_todayHint);

    auto *modeRow = new QHBoxLayout;
    m_mode = new QComboBox(planBox);
    m_mode->setObjectName(QStringLiteral("modeCombo"));
    m_mode->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    modeRow->addWidget(m_mode);
    modeRow->addStretch(1);
    form->addRow(tr("Rewrite:"), modeRow);

    m_confirmRow = new QWidget(planBox);
    auto *confirmLayout = new QHBoxLayout(m_confirmRow);
    confirmLayout->setContentsMargins(0, 0, 0, 0);
    m_confirmLabel = new QLabel(m_confirmRow);
    m_confirm = new QLineEdit(m_confirmRow);
    m_confirm->setObjectName(QStringLiteral("confirmEdit"));
    m_confirm->setMaximumWidth(120);
    confirmLayout->addWidget(m_confirmLabel);
    confirmLayout->addWidget(m_confirm);
    confirmLayout->addStretch(1);
    m_confirmRow->hide();
    form->addRow(QString(), m_confirmRow);

    auto *buttons = new QHBoxLayout;
    m_dryRun = new QPushButton(tr("&Dry run"), planBox);
    m_dryRun->setToolTip(tr("Show the plan; nothing is written"));
    m_start = new QPushButton(tr("&Start backfill"), planBox);
    m_cancel = new QPushButton(tr("Cancel (Esc)"), planBox);
    m_retry = new QPushButton(tr("&Retry failed days"), planBox);
    m_verify = new QPushButton(tr("&Verify this range"), planBox);
    m_dryRun->setObjectName(QStringLiteral("dryRunButton"));
    m_start->setObjectName(QStringLiteral("startButton"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_verify->setObjectName(QStringLiteral("verifyButton"));
    for (QPushButton *b : {m_dryRun, m_start, m_cancel, m_retry, m_verify})
        buttons->addWidget(b);
    buttons->addStretch(1);
    form->addRow(buttons);
    m_message = new QLabel(planBox);
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_message);
    layout->addWidget(planBox);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->hide();
    layout->addWidget(m_summary);

    m_monitor = new BackfillMonitor(this);
    m_planText = new QPlainTextEdit;
    m_planText->setObjectName(QStringLiteral("planText"));
    m_planText->setReadOnly(true);
    m_planText->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_planText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_monitor->sideTabs()->insertTab(0, m_planText, tr("&Plan"));
    m_monitor->sideTabs()->setCurrentIndex(0);
    layout->addWidget(m_monitor, 1);

    auto *esc = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    esc->setContext(Qt::WidgetWithChildrenShortcut);
    connect(esc, &QShortcut::activated, this, &BackfillView::cancel);

    connect(m_zoneButton, &QPushButton::clicked, this, [this]() { emit timezoneEditRequested(m_accountId); });
    connect(m_dryRun, &QPushButton::clicked, this, &BackfillView::dryRun);
    connect(m_start, &QPushButton::clicked, this, &BackfillView::startClicked);
    connect(m_cancel, &QPushButton::clicked, this, &BackfillView::cancel);
    connect(m_retry, &QPushButton::clicked, this, &BackfillView::retryFailed);
    connect(m_verify, &QPushButton::clicked, this, &BackfillView::verifyRange);
    connect(m_resetRange, &QPushButton::clicked, this, [this]() {
        if (m_discovered) {
            m_from->setDate(toQDate(m_discovered->from));
            m_to->setDate(toQDate(m_discovered->to));
        }
    });
    connect(m_from, &QDateEdit::dateChanged, this, &BackfillView::formEdited);
    connect(m_to, &QDateEdit::dateChanged, this, &BackfillView::formEdited);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &BackfillView::formEdited);
    connect(m_includeToday, &QCheckBox::toggled, this, &BackfillView::includeTodayToggled);
    connect(m_confirm, &QLineEdit::textChanged, this, &BackfillView::updateControls);
    connect(&m_planWatcher, &QFutureWatcher<BackfillPlanOutcome>::finished, this, &BackfillView::onPlanReady);
    connect(&m_runWatcher, &QFutureWatcherBase::resultsReadyAt, this, &BackfillView::onRunEvents);
    fillModes();
    updateControls();
}

BackfillView::~BackfillView()
{
    // Cancel a run and wait for its thread before the widgets it reports to go away.
    m_run.cancel();
    m_runWatcher.waitForFinished();
    m_planWatcher.waitForFinished();
}

CalendarGrid *BackfillView::grid() const { return m_monitor->grid(); }

void BackfillView::setConnectionSettings(const ConnectionSettings &settings) { m_settings = settings; }

bool BackfillView::isRunning() const { return m_running; }

void BackfillView::onRunEvents(int begin, int end)
{
    for (int i = begin; i < end; ++i) {
        const BackfillEvent event = m_runWatcher.resultAt(i);
        if (const auto *progress = std::get_if<BackfillProgress>(&event)) {
            if (m_running)
                onProgress(*progress);
        } else {
            m_running = false;
            m_cancelling = false;
            onFinished(std::get<BackfillResult>(event));
        }
    }
}

void BackfillView::cancel()
{
    if (!m_running || m_cancelling)
        return;
    m_cancelling = true;
    m_run.cancel();
    m_monitor->log(tr("cancelling: the statement in flight is being cancelled on the server"));
    setMessage(tr("Cancelling…"));
    updateControls();
}

void BackfillView::planFor(qint64 accountId, const QList<date::local_days> &days)
{
    if (m_running) {
        m_monitor->log(tr("a backfill of account %1 is running: cancel it before planning another").arg(m_accountId));
        setMessage(tr("A backfill is running; cancel it first."), true);
        return;
    }
    if (accountId != m_accountId)
        m_confirm->clear();
    m_accountId = accountId;
    m_listedDays = days;
    std::sort(m_listedDays.begin(), m_listedDays.end());
    m_listedDays.erase(std::unique(m_listedDays.begin(), m_listedDays.end()), m_listedDays.end());
    m_outcome.reset();
    m_discovered.reset();
    m_result.reset();
    m_runPlan.reset();
    m_startWhenPlanned = false;
    m_account->setText(tr("%1").arg(accountId));
    m_zone->clear();
    m_zoneButton->hide();
    m_planText->clear();
    m_summary->hide();
    m_monitor->clear();
    m_todayHint->clear();
    m_updatingForm = true;
    m_from->setDate(m_from->minimumDate()); // shows "—" until the range is known
    m_to->setDate(m_to->minimumDate());
    m_includeToday->setChecked(false);
    fillModes();
    m_mode->setCurrentIndex(m_mode->findData(int(m_listedDays.isEmpty() ? BackfillMode::AllDays : BackfillMode::ListedDays)));
    m_updatingForm = false;
    requestPlan(true);
}

void BackfillView::setLastVerifyDifferences(qint64 accountId, const QList<date::local_days> &days)
{
    m_differences.insert(accountId, days);
    if (accountId == m_accountId && !m_running) {
        m_updatingForm = true;
        fillModes();
        m_updatingForm = false;
        updateControls();
    }
}

void BackfillView::fillModes()
{
    const BackfillMode current = m_mode->count() ? currentMode() : BackfillMode::AllDays;
    m_mode->clear();
    m_mode->addItem(tr("All days in the range"), int(BackfillMode::AllDays));
    m_mode->addItem(tr("Only days with no rollup rows"), int(BackfillMode::MissingDays));
    const auto diff = m_differences.constFind(m_accountId);
    m_mode->addItem(diff == m_differences.cend()
                        ? tr("Only days that differ (no verify of this account yet)")
                        : tr("Only days that differ in the last verify (%1)").arg(BackfillMonitor::dayCount(diff->size())),
                    int(BackfillMode::DifferingDays));
    if (!m_listedDays.isEmpty())
        m_mode->addItem(tr("Only the listed days (%1)").arg(BackfillMonitor::dayCount(m_listedDays.size())), int(BackfillMode::ListedDays));
    const int i = m_mode->findData(int(current));
    m_mode->setCurrentIndex(i >= 0 ? i : 0);
}

BackfillMode BackfillView::currentMode() const { return BackfillMode(m_mode->currentData().toInt()); }

void BackfillView::requestPlan(bool discover)
{
    if (!m_accountId || m_running)
        return;
    BackfillPlanRequest request;
    request.accountId = m_accountId;
    request.mode = currentMode();
    if (request.mode == BackfillMode::ListedDays)
        request.days = m_listedDays;
    else if (request.mode == BackfillMode::DifferingDays)
        request.days = m_differences.value(m_accountId);
    request.range.includeToday = m_includeToday->isChecked();
    if (!discover && m_discovered && request.mode != BackfillMode::ListedDays) {
        request.range.from = formatLocalDate(fromQDate(m_from->date()));
        request.range.to = formatLocalDate(fromQDate(m_to->date()));
    }
    m_planning = true;
    setMessage(discover ? tr("Reading account %1 and its events…").arg(m_accountId) : tr("Planning…"));
    updateControls();
    const ConnectionSettings settings = m_settings;
    const SysSeconds now = currentTime();
    m_planWatcher.setFuture(BackfillJob::startPlan(settings, request, now).future);
}

void BackfillView::onPlanReady()
{
    const BackfillPlanOutcome outcome = m_planWatcher.result();
    m_planning = false;
    if (outcome.request.accountId != m_accountId || m_running) {
        updateControls();
        return;
    }
    showOutcome(outcome);
    const bool start = std::exchange(m_startWhenPlanned, false);
    if (start && outcome.ok() && !outcome.plan.empty()) {
        if (needsConfirmation() && m_confirm->text().trimmed() != QString::number(m_accountId))
            setMessage(tr("Type the account id to confirm a range of more than %1 days, then Start.").arg(RangePlanner::kLongRangeDays), true);
        else
            startRun(outcome.plan);
    }
    updateControls();
}

void BackfillView::showOutcome(const BackfillPlanOutcome &o)
{
    m_outcome = o;
    m_formStale = false;
    if (o.account) {
        m_account->setText(tr("%1 — %2").arg(o.account->id).arg(o.account->name));
        const ZoneResolution z = o.account->zone();
        const QString stored = o.account->settingsNull              ? tr("settings is NULL")
            : o.account->storedTimezone.isUndefined()                ? tr("no reporting_timezone key")
                                                                     : tr("stored '%1'").arg(o.account->storedTimezoneText());
        m_zone->setText(z.usable() ? tr("%1, resolved %2 (%3)").arg(stored.toHtmlEscaped(), z.ianaId, z.stateName())
                                   : tr("<span style='color:#b71c1c'>%1: %2</span>").arg(stored.toHtmlEscaped(), z.describe().toHtmlEscaped()));
    }
    m_zoneButton->setVisible(o.zoneProblem);
    if (!o.ok()) {
        m_monitor->clear();
        m_planText->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        m_planText->setPlainText(o.error);
        setMessage(o.zoneProblem ? tr("%1\nThis account cannot be planned until it has a usable time zone: use “Edit time zone…”.").arg(o.error)
                                 : o.error,
                   true);
        m_monitor->log(tr("plan refused: %1").arg(o.error));
        emit planShown();
        return;
    }
    const BackfillPlan &plan = o.plan;
    const bool hasRange = o.rangeDays > 0;
    m_updatingForm = true;
    const date::local_days lastClosed = o.today - date::days{1};
    m_to->setMaximumDate(toQDate(m_includeToday->isChecked() ? o.today : lastClosed));
    if (hasRange && !m_discovered && o.request.range.from.isEmpty() && o.request.mode != BackfillMode::ListedDays)
        m_discovered = plan.range;
    if (hasRange) {
        m_from->setDate(toQDate(plan.range.from));
        m_to->setDate(toQDate(plan.range.to));
    } else if (!m_discovered) {
        m_from->setDate(toQDate(lastClosed));
        m_to->setDate(toQDate(lastClosed));
    }
    m_updatingForm = false;
    m_todayHint->setText(todayHint());

    QStringList text{plan.describe()};
    text << tr("mode:           %1").arg(m_mode->currentText());
    if (o.daysWithRows >= 0)
        text << tr("days with rows: %1 of %2 (left out)").arg(o.daysWithRows).arg(o.rangeDays);
    text << QString() << tr("dry run: nothing written") << QString();
    const QList<date::local_days> selected = o.selectedDays();
    text << tr("selected: %1").arg(BackfillMonitor::dayCount(selected.size())) << dayRuns(selected);
    m_planText->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_planText->setPlainText(text.join(QLatin1Char('\n')));
    m_monitor->showPlan(plan, hasRange);
    m_monitor->sideTabs()->setCurrentWidget(m_planText);
    if (plan.empty())
        setMessage(tr("Nothing to do: %1").arg(plan.note));
    else
        setMessage(tr("%1 to rewrite; nothing has been written. Start writes them, one transaction per chunk of days.")
                       .arg(BackfillMonitor::dayCount(selected.size())));
    m_monitor->log(plan.empty() ? tr("plan: account %1, nothing to do: %2").arg(m_accountId).arg(plan.note)
                                : tr("plan: account %1, %2 selected, %3 … %4")
                                      .arg(m_accountId)
                                      .arg(BackfillMonitor::dayCount(selected.size()), formatLocalDate(selected.first()),
                                           formatLocalDate(selected.last())));
    emit planShown();
}

QString BackfillView::todayHint() const
{
    if (!m_outcome || !m_outcome->ok())
        return {};
    const auto left = m_outcome->todayClosesUtc - currentTime();
    return tr("Today (%1 in %2) is still open: it closes at %3 (%4). Including it races Chatwoot's live rollup upserts.")
        .arg(formatLocalDate(m_outcome->today), m_outcome->plan.zone.ianaId, formatUtcInstant(m_outcome->todayClosesUtc), inHours(left));
}

void BackfillView::dryRun()
{
    m_startWhenPlanned = false;
    requestPlan(!m_discovered && currentMode() != BackfillMode::ListedDays);
}

void BackfillView::startClicked()
{
    if (needsConfirmation() && m_confirm->text().trimmed() != QString::number(m_accountId)) {
        setMessage(tr("Type the account id to confirm a range of more than %1 days.").arg(RangePlanner::kLongRangeDays), true);
        m_confirm->setFocus();
        return;
    }
    m_startWhenPlanned = true;
    requestPlan(!m_discovered && currentMode() != BackfillMode::ListedDays);
}

void BackfillView::startRun(const BackfillPlan &plan)
{
    m_runPlan = plan;
    m_result.reset();
    m_summary->hide();
    m_monitor->showPlan(plan);
    if (m_running || plan.empty())
        return;
    m_running = true;
    m_run = BackfillJob::start(m_settings, plan, kFirstChunkDays);
    m_runWatcher.setFuture(m_run.future);
    m_monitor->runStarted(kFirstChunkDays);
    m_monitor->sideTabs()->setCurrentWidget(m_monitor->logPane());
    m_monitor->log(tr("backfill of account %1 started: %2, %3 … %4")
                       .arg(plan.account.id)
                       .arg(BackfillMonitor::dayCount(plan.windows.size()))
                       .arg(formatLocalDate(plan.windows.first().day), formatLocalDate(plan.windows.last().day)));
    setMessage(tr("Running… Esc or Cancel stops it; finished days keep their new rows."));
    updateControls();
}

void BackfillView::onProgress(const BackfillProgress &progress)
{
    m_monitor->applyProgress(progress);
    emit progressed(progress);
}

void BackfillView::onFinished(const BackfillResult &r)
{
    m_result = r;
    m_monitor->applyResult(r);
    QString text;
    switch (r.outcome) {
    case BackfillResult::Outcome::Completed:
        text = tr("Backfill complete: %1.").arg(r.summary());
        setMessage(tr("Done. Next: verify this range against the raw events."));
        break;
    case BackfillResult::Outcome::Cancelled:
        text = tr("Cancelled: %1; %2 not processed.").arg(r.summary(), BackfillMonitor::dayCount(r.pendingDays.size()));
        setMessage(tr("Cancelled. The green days are committed; the others keep their old rows."));
        break;
    case BackfillResult::Outcome::Failed:
        text = tr("Failed: %1\nDone before the failure: %2; those days keep their new rows, the failed days keep their old rows.")
                   .arg(r.error, r.summary());
        setMessage(tr("Failed. “Retry failed days” reruns the failed and unprocessed days."), true);
        break;
    }
    m_summary->setText(text);
    m_summary->show();
    m_monitor->log(text);
    updateControls();
    emit runFinished(r);
    emit finished(m_runPlan ? m_runPlan->account.id : m_accountId);
}

void BackfillView::retryFailed()
{
    if (!m_result || m_running)
        return;
    QList<date::local_days> days = m_result->failedDays;
    days += m_result->pendingDays;
    if (days.isEmpty())
        return;
    const qint64 account = m_runPlan ? m_runPlan->account.id : m_accountId;
    m_monitor->log(tr("retrying %1").arg(BackfillMonitor::dayCount(days.size())));
    planFor(account, days);
    m_startWhenPlanned = true;
}

void BackfillView::verifyRange()
{
    const BackfillPlan *plan = m_runPlan ? &*m_runPlan : (m_outcome && m_outcome->ok() ? &m_outcome->plan : nullptr);
    if (!plan || plan->windows.isEmpty())
        return;
    emit verifyRequested(plan->account.id, formatLocalDate(plan->range.from), formatLocalDate(plan->range.to));
}

void BackfillView::includeTodayToggled(bool on)
{
    if (m_outcome && m_outcome->ok()) {
        const date::local_days today = m_outcome->today;
        m_updatingForm = true;
        m_to->setMaximumDate(toQDate(on ? today : today - date::days{1}));
        if (on && fromQDate(m_to->date()) == today - date::days{1} && m_outcome->plan.span.last
            && DayWindows::localDateOf(m_outcome->plan.zone.zone, *m_outcome->plan.span.last) >= today)
            m_to->setDate(toQDate(today));
        m_updatingForm = false;
    }
    m_todayHint->setStyleSheet(on ? QStringLiteral("color: #b45f06") : QString());
    formEdited();
}

void BackfillView::formEdited()
{
    if (m_updatingForm)
        return;
    if (m_outcome)
        m_formStale = true;
    setMessage(tr("The plan changed: Dry run shows it; Start plans and runs it."));
    updateControls();
}

int BackfillView::formRangeDays() const
{
    if (currentMode() == BackfillMode::ListedDays)
        return int(m_listedDays.size());
    if (!m_discovered && !(m_outcome && m_outcome->rangeDays > 0))
        return 0;
    const int days = int(m_from->date().daysTo(m_to->date())) + 1;
    return days > 0 ? days : 0;
}

bool BackfillView::needsConfirmation() const { return formRangeDays() > RangePlanner::kLongRangeDays; }

void BackfillView::updateControls()
{
    const bool running = m_running;
    const bool idle = !running && !m_planning;
    const bool listed = currentMode() == BackfillMode::ListedDays;
    const bool planned = m_outcome && m_outcome->ok();
    const bool rangeKnown = planned && (m_discovered || m_outcome->rangeDays > 0);
    for (QWidget *w : std::initializer_list<QWidget *>{m_from, m_to, m_resetRange})
        w->setEnabled(idle && rangeKnown && !listed);
    m_resetRange->setEnabled(m_resetRange->isEnabled() && m_discovered.has_value());
    m_includeToday->setEnabled(idle && planned && !listed);
    m_mode->setEnabled(idle && m_accountId);
    const int days = formRangeDays();
    m_rangeDays->setText(days ? tr("(%1)").arg(BackfillMonitor::dayCount(days)) : QString());
    const bool confirm = needsConfirmation();
    m_confirmRow->setVisible(confirm && m_accountId);
    m_confirmLabel->setText(tr("%1 days is more than %2 days. Type the account id (%3) to confirm:")
                                .arg(days).arg(RangePlanner::kLongRangeDays).arg(m_accountId));
    m_confirm->setEnabled(idle);
    const bool confirmed = !confirm || m_confirm->text().trimmed() == QString::number(m_accountId);
    m_dryRun->setEnabled(idle && m_accountId);
    m_start->setEnabled(idle && planned && confirmed && (m_formStale || !m_outcome->plan.empty()));
    m_cancel->setEnabled(running && !m_cancelling);
    m_retry->setEnabled(idle && m_result && m_result->outcome != BackfillResult::Outcome::Completed
                        && !(m_result->failedDays.isEmpty() && m_result->pendingDays.isEmpty()));
    if (m_result && m_retry->isEnabled() && m_result->failedDays.isEmpty())
        m_retry->setText(tr("&Resume (%1 not processed)").arg(BackfillMonitor::dayCount(m_result->pendingDays.size())));
    else if (m_result && m_retry->isEnabled())
        m_retry->setText(tr("&Retry failed days (%1)").arg(BackfillMonitor::dayCount(m_result->failedDays.size() + m_result->pendingDays.size())));
    else
        m_retry->setText(tr("&Retry failed days"));
    m_verify->setEnabled(idle && m_result.has_value() && m_runPlan.has_value());
}

void BackfillView::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b71c1c") : QString());
}

} // namespace rollup
