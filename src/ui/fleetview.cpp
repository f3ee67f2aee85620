#include "ui/fleetview.h"

#include "core/accountselection.h"
#include "core/localdate.h"
#include "ui/fleetmodel.h"
#include "ui/palette.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace rollup {

namespace {

QString durationText(double seconds)
{
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return FleetView::tr("%1 s").arg(s);
    if (s < 3600)
        return FleetView::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return FleetView::tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
}

} // namespace

FleetView::FleetView(QWidget *parent) : QWidget(parent)
{
    m_model = new FleetModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(FleetModel::SortRole);

    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("Select accounts in the Accounts tab, then Verify selected (Ctrl+Shift+V) or "
                            "Backfill selected (Ctrl+Shift+B)."),
                         this);
    m_title->setObjectName(QStringLiteral("fleetTitle"));
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("fleetSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    layout->addWidget(m_summary);

    m_confirmRow = new QWidget(this);
    auto *confirm = new QHBoxLayout(m_confirmRow);
    confirm->setContentsMargins(0, 0, 0, 0);
    m_confirmLabel = new QLabel(m_confirmRow);
    m_confirmEdit = new QLineEdit(m_confirmRow);
    m_confirmEdit->setObjectName(QStringLiteral("fleetConfirm"));
    m_confirmEdit->setMaximumWidth(120);
    confirm->addWidget(m_confirmLabel);
    confirm->addWidget(m_confirmEdit);
    confirm->addStretch(1);
    connect(m_confirmEdit, &QLineEdit::textChanged, this, &FleetView::updateControls);
    connect(m_confirmEdit, &QLineEdit::returnPressed, this, &FleetView::startPlanned);
    layout->addWidget(m_confirmRow);

    auto *buttons = new QHBoxLayout;
    m_start = new QPushButton(tr("&Start backfill"), this);
    m_start->setObjectName(QStringLiteral("fleetStart"));
    connect(m_start, &QPushButton::clicked, this, &FleetView::startPlanned);
    m_pause = new QPushButton(tr("&Pause"), this);
    m_pause->setObjectName(QStringLiteral("fleetPause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause between chunks: every finished chunk stays committed (Ctrl+P)"));
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    connect(m_pause, &QPushButton::toggled, this, &FleetView::setPaused);
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("fleetCancel"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancel->setToolTip(tr("Cancel: statements in flight are cancelled on the server; finished days keep their new rows (Esc)"));
    connect(m_cancel, &QPushButton::clicked, this, &FleetView::cancel);
    m_fixDiffering = new QPushButton(tr("Backfill the &differing days…"), this);
    m_fixDiffering->setObjectName(QStringLiteral("fleetFixDiffering"));
    connect(m_fixDiffering, &QPushButton::clicked, this,
            [this]() { request(FleetMode::Backfill, m_model->accountIds(FleetStatus::Differs), FleetDays::Differing); });
    for (QPushButton *b : {m_start, m_pause, m_cancel, m_fixDiffering})
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    auto *progress = new QHBoxLayout;
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("fleetProgress"));
    m_rate = new QLabel(this);
    m_rate->setObjectName(QStringLiteral("fleetRate"));
    progress->addWidget(m_bar, 1);
    progress->addWidget(m_rate);
    layout->addLayout(progress);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("fleetTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FleetModel::Id, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // uniform rows: no per-row size hints
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setResizeContentsPrecision(200); // sizing to contents reads 200 rows, not 10,000
    connect(m_table, &QAbstractItemView::doubleClicked, this,
            [this](const QModelIndex &index) { emit accountActivated(index.data(FleetModel::AccountIdRole).toLongLong()); });
    layout->addWidget(m_table, 1);

    connect(&m_watcher, &QFutureWatcherBase::resultsReadyAt, this, &FleetView::onResults);
    updateControls();
}

FleetView::~FleetView()
{
    m_job.setPaused(false);
    m_job.cancel();
    m_watcher.waitForFinished();
}

void FleetView::setConnectionSettings(const ConnectionSettings &settings)
{
    cancel();
    m_settings = settings;
    updateControls();
}

bool FleetView::request(FleetMode mode, const QList<qint64> &accountIds, FleetDays days)
{
    if (m_state == State::Running || m_state == State::Planning) {
        m_summary->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                               .arg(Palette::errorText().name(), tr("A run is going on: cancel it or wait for it to finish.")));
        return false;
    }
    if (accountIds.isEmpty())
        return false;
    FleetRequest r;
    r.mode = mode;
    r.days = days;
    r.accounts = AccountSelection::ofIds(accountIds);
    r.now = currentTime();
    const int n = int(accountIds.size());
    if (mode == FleetMode::Verify) {
        m_title->setText(tr("Verify %n account(s): stored rollups against raw events, each over its whole history", nullptr, n));
        start(r, State::Running);
    } else {
        if (m_settings.readOnly) {
            m_summary->setText(tr("Read-only connection: nothing can be backfilled."));
            return false;
        }
        m_title->setText(days == FleetDays::Differing ? tr("Backfill the differing days of %n account(s)", nullptr, n)
                                                      : tr("Backfill %n account(s) over their whole history", nullptr, n));
        r.dryRun = true;
        start(r, State::Planning);
    }
    return true;
}

void FleetView::start(const FleetRequest &request, State state)
{
    m_request = request;
    m_state = state;
    m_result = FleetResult{};
    m_progress = FleetProgress{};
    m_confirmEdit->clear();
    m_pause->setChecked(false);
    m_model->setAccounts({});
    m_rate->clear();
    m_bar->setValue(0);
    m_summary->setText(state == State::Planning ? tr("Planning: finding each account's days (nothing is written)…")
                                                : tr("Planning…"));
    m_job = FleetRunner::start(m_settings, request);
    m_watcher.setFuture(m_job.future);
    updateControls();
}

bool FleetView::needsConfirmation() const
{
    return m_plannedAccounts > kConfirmAccounts || m_plannedDays > kConfirmDays;
}

bool FleetView::startPlanned()
{
    if (m_state != State::Planned || m_plannedAccounts == 0)
        return false;
    if (needsConfirmation() && m_confirmEdit->text().trimmed() != QString::number(m_plannedAccounts))
        return false;
    FleetRequest r = m_request;
    r.dryRun = false;
    r.now = currentTime();
    start(r, State::Running);
    return true;
}

void FleetView::setPaused(bool paused)
{
    if (m_state != State::Running)
        return;
    m_job.setPaused(paused);
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
    updateControls();
}

void FleetView::cancel()
{
    if (!m_job.isRunning())
        return;
    m_job.setPaused(false); // a paused run must reach its next pause point to see the cancel
    m_job.cancel();
    m_summary->setText(tr("Cancelling…"));
}

void FleetView::onResults(int begin, int end)
{
    // Only the latest progress counts; the changed lines of every report do.
    for (int i = begin; i < end; ++i) {
        const FleetEvent event = m_watcher.resultAt(i);
        if (const auto *p = std::get_if<FleetProgress>(&event))
            onProgress(*p);
        else
            onResult(std::get<FleetResult>(event));
    }
}

void FleetView::onProgress(const FleetProgress &p)
{
    if (p.phase == QLatin1String("planning")) {
        m_summary->setText(tr("Planning: reading each account's event span…"));
        return;
    }
    m_model->update(p.changed); // the run's first report names every account it will work on
    m_progress = p;
    m_bar->setRange(0, 1000);
    m_bar->setValue(p.daysTotal ? int(1000 * p.daysDone / p.daysTotal) : 0);
    const QLocale locale;
    m_rate->setText(tr("accounts %1/%2 · days %3/%4 · %5 events/s · ETA %6")
                        .arg(locale.toString(p.accountsDone), locale.toString(p.accountsTotal), locale.toString(p.daysDone),
                             locale.toString(p.daysTotal), locale.toString(qint64(p.eventsPerSecond)),
                             p.etaSeconds > 0 ? durationText(p.etaSeconds) : QStringLiteral("—")));
    m_summary->setText(statusText());
}

void FleetView::onResult(const FleetResult &result)
{
    m_result = result;
    m_model->setAccounts(result.accounts);
    const State was = m_state;
    if (was == State::Planning && result.error.isEmpty() && !result.cancelled) {
        m_state = State::Planned;
        m_plannedAccounts = 0;
        m_plannedDays = 0;
        for (const FleetAccount &a : result.accounts)
            if (!a.finished() && a.days > 0) {
                ++m_plannedAccounts;
                m_plannedDays += a.days;
            }
        const QLocale locale;
        // The number to type is shown as it must be typed: digits only.
        m_confirmLabel->setText(tr("%Ln account(s) and %1 days is more than %2 accounts or %3 days. Type the number of "
                                   "accounts (%4) to confirm:",
                                   nullptr, m_plannedAccounts)
                                    .arg(locale.toString(m_plannedDays))
                                    .arg(kConfirmAccounts)
                                    .arg(kConfirmDays)
                                    .arg(m_plannedAccounts));
    } else {
        m_state = State::Finished;
    }
    m_summary->setText(statusText());
    updateControls();
    if (was == State::Planned || was == State::Running)
        emit finished(result);
    m_table->resizeColumnsToContents();
}

QString FleetView::statusText() const
{
    const QLocale locale;
    switch (m_state) {
    case State::Idle:
        return {};
    case State::Planning:
        return tr("Planning…");
    case State::Planned:
        if (m_plannedAccounts == 0)
            return tr("Nothing to backfill: %n account(s) skipped (see the Note column).", nullptr,
                      m_model->count(FleetStatus::Skipped));
        if (m_request.days == FleetDays::Differing)
            return tr("Plan: %Ln account(s), %1 days to compare; only the days that differ are rewritten; %2 skipped. Nothing "
                      "has been written yet.",
                      nullptr, m_plannedAccounts)
                .arg(locale.toString(m_plannedDays), locale.toString(m_model->count(FleetStatus::Skipped)));
        return tr("Plan: %Ln account(s), %1 days; %2 skipped. Nothing has been written yet.", nullptr, m_plannedAccounts)
            .arg(locale.toString(m_plannedDays), locale.toString(m_model->count(FleetStatus::Skipped)));
    case State::Running:
        return isPaused() ? tr("Paused: the finished chunks are committed; Resume goes on from here.")
                          : tr("Running on %n connection(s)…", nullptr, m_request.workers);
    case State::Finished:
        break;
    }
    QString text;
    if (m_request.mode == FleetMode::Verify)
        text = tr("%1 match, %2 differ, %3 skipped, %4 failed")
                   .arg(m_model->count(FleetStatus::Match))
                   .arg(m_model->count(FleetStatus::Differs))
                   .arg(m_model->count(FleetStatus::Skipped))
                   .arg(m_model->count(FleetStatus::Failed));
    else
        text = tr("%1 done, %2 locked by another session, %3 skipped, %4 failed")
                   .arg(m_model->count(FleetStatus::Done))
                   .arg(m_model->count(FleetStatus::Locked))
                   .arg(m_model->count(FleetStatus::Skipped))
                   .arg(m_model->count(FleetStatus::Failed));
    text += tr(" · %1").arg(durationText(m_result.seconds));
    if (m_result.reruns > 0)
        text += tr(" · %n chunk(s) ran again after colliding with live writes", nullptr, m_result.reruns);
    if (m_result.cancelled)
        text = tr("Cancelled: ") + text;
    if (!m_result.error.isEmpty())
        text += QStringLiteral(" · <span style='color:%1'>%2</span>")
                    .arg(Palette::errorText().name(), m_result.error.toHtmlEscaped());
    return text;
}

void FleetView::updateControls()
{
    const bool running = m_state == State::Running || m_state == State::Planning;
    const bool planned = m_state == State::Planned && m_plannedAccounts > 0;
    m_confirmRow->setVisible(planned && needsConfirmation());
    m_start->setVisible(planned);
    m_start->setEnabled(planned && !m_settings.readOnly
                        && (!needsConfirmation() || m_confirmEdit->text().trimmed() == QString::number(m_plannedAccounts)));
    m_pause->setEnabled(m_state == State::Running);
    m_cancel->setEnabled(running);
    const bool differs
        = m_state == State::Finished && m_request.mode == FleetMode::Verify && m_model->count(FleetStatus::Differs) > 0;
    m_fixDiffering->setVisible(differs);
    m_fixDiffering->setEnabled(differs && !m_settings.readOnly);
    m_bar->setVisible(m_state == State::Running || m_state == State::Finished);
}

} // namespace rollup
