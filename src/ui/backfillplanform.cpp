#include "ui/backfillplanform.h"

#include "ui_backfillplanform.h"

#include "core/localdate.h"
#include "ui/localeformat.h"
#include "ui/viewhelp.h"

#include <QSignalBlocker>

namespace rollup {

namespace {
QString inHours(std::chrono::seconds s)
{
    if (s.count() <= 0)
        return BackfillPlanForm::tr("now");
    return BackfillPlanForm::tr("in %1 h %2 min").arg(s.count() / 3600).arg(s.count() / 60 % 60);
}
} // namespace

BackfillPlanForm::BackfillPlanForm(QWidget *parent) : QGroupBox(parent), m_ui(std::make_unique<Ui::BackfillPlanForm>())
{
    m_ui->setupUi(this);
    m_ui->buttonRow->addWidget(ViewHelp::button(ViewHelp::Topic::Backfill, this));
    for (QDateEdit *edit : {m_ui->fromEdit, m_ui->toEdit})
        edit->setDisplayFormat(LocaleFormat::dateFormat());
    connect(m_ui->fromEdit, &QDateEdit::dateChanged, this, &BackfillPlanForm::planEdited);
    connect(m_ui->toEdit, &QDateEdit::dateChanged, this, &BackfillPlanForm::planEdited);
    connect(m_ui->modeCombo, &QComboBox::currentIndexChanged, this, &BackfillPlanForm::planEdited);
    connect(m_ui->includeToday, &QCheckBox::toggled, this, &BackfillPlanForm::includeTodayToggled);
    connect(m_ui->resetRangeButton, &QPushButton::clicked, this, &BackfillPlanForm::resetRange);
    connect(m_ui->confirmEdit, &QLineEdit::textChanged, this, &BackfillPlanForm::confirmationEdited);
    connect(m_ui->timezoneButton, &QPushButton::clicked, this, &BackfillPlanForm::timezoneEditClicked);
    connect(m_ui->dryRunButton, &QPushButton::clicked, this, &BackfillPlanForm::dryRunClicked);
    connect(m_ui->startButton, &QPushButton::clicked, this, &BackfillPlanForm::startClicked);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &BackfillPlanForm::cancelClicked);
    connect(m_ui->retryButton, &QPushButton::clicked, this, &BackfillPlanForm::retryClicked);
    connect(m_ui->verifyButton, &QPushButton::clicked, this, &BackfillPlanForm::verifyClicked);
    fillModes();
}

BackfillPlanForm::~BackfillPlanForm() = default;

void BackfillPlanForm::reset(qint64 accountId, const QList<date::local_days> &listedDays,
                             const std::optional<QList<date::local_days>> &differingDays)
{
    const QSignalBlocker blockConfirm(m_ui->confirmEdit), blockFrom(m_ui->fromEdit), blockTo(m_ui->toEdit),
        blockToday(m_ui->includeToday), blockMode(m_ui->modeCombo);
    if (accountId != m_accountId)
        m_ui->confirmEdit->clear();
    m_accountId = accountId;
    m_listedDays = listedDays;
    m_differingDays = differingDays;
    m_shown.reset();
    m_discovered.reset();
    m_ui->accountLabel->setText(QString::number(accountId));
    m_ui->zoneLabel->clear();
    m_ui->timezoneButton->hide();
    m_ui->todayHint->clear();
    m_ui->todayHint->setStyleSheet(QString());
    m_ui->fromEdit->setDate(m_ui->fromEdit->minimumDate()); // shows "—" until the range is known
    m_ui->toEdit->setDate(m_ui->toEdit->minimumDate());
    m_ui->includeToday->setChecked(false);
    fillModes();
    m_ui->modeCombo->setCurrentIndex(
        m_ui->modeCombo->findData(int(m_listedDays.isEmpty() ? BackfillMode::AllDays : BackfillMode::ListedDays)));
}

void BackfillPlanForm::setDifferingDays(const QList<date::local_days> &days)
{
    m_differingDays = days;
    fillModes();
}

void BackfillPlanForm::fillModes()
{
    QComboBox *combo = m_ui->modeCombo;
    const QSignalBlocker block(combo);
    const BackfillMode current = combo->count() ? mode() : BackfillMode::AllDays;
    combo->clear();
    combo->addItem(tr("All days in the range"), int(BackfillMode::AllDays));
    combo->addItem(tr("Only days with no rollup rows"), int(BackfillMode::MissingDays));
    combo->addItem(m_differingDays
                       ? tr("Only days that differ in the last verify (%n day(s))", nullptr, int(m_differingDays->size()))
                       : tr("Only days that differ (no verify of this account yet)"),
                   int(BackfillMode::DifferingDays));
    if (!m_listedDays.isEmpty())
        combo->addItem(tr("Only the listed days (%n day(s))", nullptr, int(m_listedDays.size())), int(BackfillMode::ListedDays));
    const int i = combo->findData(int(current));
    combo->setCurrentIndex(i >= 0 ? i : 0);
}

void BackfillPlanForm::showOutcome(const BackfillPlanOutcome &o)
{
    m_shown = o;
    if (o.account) {
        m_ui->accountLabel->setText(tr("%1 — %2").arg(o.account->id).arg(o.account->name));
        const ZoneResolution z = o.account->zone();
        const QString stored = o.account->settingsNull                   ? tr("settings is NULL")
                               : o.account->storedTimezone.isUndefined() ? tr("no reporting_timezone key")
                                                                         : tr("stored '%1'").arg(o.account->storedTimezoneText());
        m_ui->zoneLabel->setText(
            z.usable()
                ? tr("%1, resolved %2 (%3)").arg(stored.toHtmlEscaped(), z.ianaId, z.stateName())
                : tr("<span style='color:#b71c1c'>%1: %2</span>").arg(stored.toHtmlEscaped(), z.describe().toHtmlEscaped()));
    }
    m_ui->timezoneButton->setVisible(o.zoneProblem);
    if (!o.ok())
        return;
    const BackfillPlan &plan = o.plan;
    const bool hasRange = o.rangeDays > 0;
    const QSignalBlocker blockFrom(m_ui->fromEdit), blockTo(m_ui->toEdit);
    const date::local_days lastClosed = o.today - date::days{1};
    m_ui->toEdit->setMaximumDate(toQDate(m_ui->includeToday->isChecked() ? o.today : lastClosed));
    if (hasRange && !m_discovered && o.request.range.from.isEmpty() && o.request.mode != BackfillMode::ListedDays)
        m_discovered = plan.range;
    if (hasRange) {
        m_ui->fromEdit->setDate(toQDate(plan.range.from));
        m_ui->toEdit->setDate(toQDate(plan.range.to));
    } else if (!m_discovered) {
        m_ui->fromEdit->setDate(toQDate(lastClosed));
        m_ui->toEdit->setDate(toQDate(lastClosed));
    }
    m_ui->todayHint->setText(todayHint());
}

QString BackfillPlanForm::todayHint() const
{
    if (!m_shown || !m_shown->ok())
        return {};
    const auto left = m_shown->todayClosesUtc - currentTime();
    return tr("Today (%1 in %2) is still open: it closes at %3 (%4). Including it races Chatwoot's live rollup upserts.")
        .arg(formatLocalDate(m_shown->today), m_shown->plan.zone.ianaId, formatUtcInstant(m_shown->todayClosesUtc),
             inHours(left));
}

BackfillPlanRequest BackfillPlanForm::request() const
{
    BackfillPlanRequest request;
    request.accountId = m_accountId;
    request.mode = mode();
    if (request.mode == BackfillMode::ListedDays)
        request.days = m_listedDays;
    else if (request.mode == BackfillMode::DifferingDays)
        request.days = m_differingDays.value_or(QList<date::local_days>{});
    request.range.includeToday = m_ui->includeToday->isChecked();
    if (m_discovered && request.mode != BackfillMode::ListedDays) {
        request.range.from = formatLocalDate(fromQDate(m_ui->fromEdit->date()));
        request.range.to = formatLocalDate(fromQDate(m_ui->toEdit->date()));
    }
    return request;
}

bool BackfillPlanForm::discoversRange() const
{
    return !m_discovered && mode() != BackfillMode::ListedDays;
}

BackfillMode BackfillPlanForm::mode() const
{
    return BackfillMode(m_ui->modeCombo->currentData().toInt());
}

QString BackfillPlanForm::modeText() const
{
    return m_ui->modeCombo->currentText();
}

bool BackfillPlanForm::differsFromShownPlan() const
{
    if (!m_shown || !m_shown->ok())
        return false;
    const BackfillPlanRequest &shown = m_shown->request;
    if (mode() != shown.mode || m_ui->includeToday->isChecked() != shown.range.includeToday)
        return true;
    if (mode() == BackfillMode::ListedDays || m_shown->rangeDays <= 0)
        return false; // the dates are not part of the plan, or were not shown
    return fromQDate(m_ui->fromEdit->date()) != m_shown->plan.range.from
           || fromQDate(m_ui->toEdit->date()) != m_shown->plan.range.to;
}

int BackfillPlanForm::rangeDays() const
{
    if (mode() == BackfillMode::ListedDays)
        return int(m_listedDays.size());
    if (!m_discovered && !(m_shown && m_shown->rangeDays > 0))
        return 0;
    const int days = int(m_ui->fromEdit->date().daysTo(m_ui->toEdit->date())) + 1;
    return days > 0 ? days : 0;
}

bool BackfillPlanForm::needsConfirmation() const
{
    return rangeDays() > RangePlanner::kLongRangeDays;
}

bool BackfillPlanForm::isConfirmed() const
{
    return !needsConfirmation() || m_ui->confirmEdit->text().trimmed() == QString::number(m_accountId);
}

void BackfillPlanForm::focusConfirmation()
{
    m_ui->confirmEdit->setFocus();
}

void BackfillPlanForm::includeTodayToggled(bool on)
{
    if (m_shown && m_shown->ok()) {
        const QSignalBlocker blockTo(m_ui->toEdit);
        const date::local_days today = m_shown->today;
        m_ui->toEdit->setMaximumDate(toQDate(on ? today : today - date::days{1}));
        if (on && fromQDate(m_ui->toEdit->date()) == today - date::days{1} && m_shown->plan.span.last
            && DayWindows::localDateOf(m_shown->plan.zone.zone, *m_shown->plan.span.last) >= today)
            m_ui->toEdit->setDate(toQDate(today));
    }
    m_ui->todayHint->setStyleSheet(on ? QStringLiteral("color: #b45f06") : QString());
    emit planEdited();
}

void BackfillPlanForm::resetRange()
{
    if (!m_discovered)
        return;
    m_ui->fromEdit->setDate(toQDate(m_discovered->from));
    m_ui->toEdit->setDate(toQDate(m_discovered->to));
}

void BackfillPlanForm::setActions(const Actions &a)
{
    const bool listed = mode() == BackfillMode::ListedDays;
    const bool planned = m_shown && m_shown->ok();
    const bool rangeEditable = a.editable && planned && (m_discovered || m_shown->rangeDays > 0) && !listed;
    m_ui->fromEdit->setEnabled(rangeEditable);
    m_ui->toEdit->setEnabled(rangeEditable);
    m_ui->resetRangeButton->setEnabled(rangeEditable && m_discovered);
    m_ui->includeToday->setEnabled(a.editable && planned && !listed);
    m_ui->modeCombo->setEnabled(a.editable && m_accountId);
    const int days = rangeDays();
    m_ui->rangeDaysLabel->setText(days ? tr("%n day(s)", nullptr, days) : QString());
    const bool confirm = needsConfirmation();
    m_ui->confirmRow->setVisible(confirm && m_accountId);
    if (confirm) // more than kLongRangeDays: always several days
        m_ui->confirmLabel->setText(tr("%n days is more than %1 days. Type the account id (%2) to confirm:", nullptr, days)
                                        .arg(RangePlanner::kLongRangeDays)
                                        .arg(m_accountId));
    m_ui->confirmEdit->setEnabled(a.editable);
    m_ui->dryRunButton->setEnabled(a.editable && m_accountId);
    m_ui->startButton->setEnabled(a.start);
    m_ui->cancelButton->setEnabled(a.cancel);
    m_ui->retryButton->setEnabled(a.retry);
    m_ui->retryButton->setText(a.retryText);
    m_ui->verifyButton->setEnabled(a.verify);
}

void BackfillPlanForm::setMessage(const QString &text, bool error)
{
    m_ui->messageLabel->setText(text);
    m_ui->messageLabel->setStyleSheet(error ? QStringLiteral("color: #b71c1c") : QString());
}

} // namespace rollup
