#include "ui/verifyview.h"

#include "ui/readpathsettings.h"
#include "core/cancellation.h"
#include "ui/calendargrid.h"
#include "ui/verifychart.h"
#include "ui/verifyfiltermodel.h"
#include "ui/verifyformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace rollup {

namespace {
QString isoDate(const QDate &d) { return d.toString(Qt::ISODate); }
} // namespace

VerifyView::VerifyView(QWidget *parent) : QWidget(parent)
{
    m_model = new VerifyModel(this);
    m_proxy = new VerifyFilterModel(this);
    m_proxy->setSourceModel(m_model);
    buildUi();

    connect(&m_progress, &QFutureWatcher<VerifyOutcome>::progressValueChanged, m_busy, &QProgressBar::setValue);
    connect(&m_progress, &QFutureWatcher<VerifyOutcome>::progressTextChanged, m_busy, &QProgressBar::setFormat);
    connect(&m_watcher, &QFutureWatcher<VerifyLoad>::finished, this, &VerifyView::onFinished);
    connect(&m_flagWatcher, &QFutureWatcher<ReadPathChange>::finished, this, &VerifyView::onFlagChanged);
    connect(&m_exportWatcher, &QFutureWatcher<QString>::finished, this, &VerifyView::onExported);
    clearResult(tr("Select an account on the Accounts tab and press Ctrl+Y to verify its rollups."));
}

VerifyView::~VerifyView()
{
    m_job.cancel();
    m_watcher.waitForFinished();
    m_flagWatcher.waitForFinished();
    m_exportWatcher.waitForFinished();
}

void VerifyView::buildUi()
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::RichText);
    m_custom = new QCheckBox(tr("Chosen range:"), this);
    m_custom->setToolTip(tr("Off: the account's whole history (first event's day .. yesterday), like the backfill"));
    m_from = new QDateEdit(this);
    m_to = new QDateEdit(this);
    for (QDateEdit *e : {m_from, m_to}) {
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        e->setCalendarPopup(true);
        e->setEnabled(false);
        e->setDate(QDate::currentDate().addDays(-1));
    }
    connect(m_custom, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_custom, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    m_verifyButton = new QPushButton(tr("&Verify"), this);
    m_verifyButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, VerifyJob::kSteps);
    m_busy->setMaximumWidth(260);
    m_busy->setVisible(false);
    connect(m_verifyButton, &QPushButton::clicked, this, &VerifyView::verify);
    connect(m_cancelButton, &QPushButton::clicked, this, &VerifyView::cancel);

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_busy);
    top->addWidget(m_custom);
    top->addWidget(m_from);
    top->addWidget(new QLabel(tr("to"), this));
    top->addWidget(m_to);
    top->addWidget(m_verifyButton);
    top->addWidget(m_cancelButton);

    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    // The one link: re-backfill the days of stored rows outside the range (clears them).
    connect(m_summary, &QLabel::linkActivated, this, [this](const QString &link) {
        const QList<date::local_days> &days = m_outcome.result.outside.days;
        if (link == QLatin1String(kRebackfillOutsideLink) && m_accountId > 0 && !days.isEmpty())
            emit rebackfillRequested(m_accountId, days);
    });
    m_readPath = new QLabel(this);
    m_readPath->setTextFormat(Qt::RichText);
    m_readPath->setWordWrap(true);
    m_enableButton = new QPushButton(tr("Enable read path…"), this);
    connect(m_enableButton, &QPushButton::clicked, this, &VerifyView::enableReadPath);
    auto *flagRow = new QHBoxLayout;
    flagRow->addWidget(m_readPath, 1);
    flagRow->addWidget(m_enableButton);

    // Heatmap: one cell per day, worst status; a click filters the table to that day.
    m_heatmap = new CalendarGrid(this);
    m_heatmap->setLegend({{VerifyFormat::statusText(CompareStatus::Match), VerifyFormat::statusColor(CompareStatus::Match)},
                          {VerifyFormat::statusText(CompareStatus::Extra), VerifyFormat::statusColor(CompareStatus::Extra)},
                          {VerifyFormat::statusText(CompareStatus::Missing), VerifyFormat::statusColor(CompareStatus::Missing)},
                          {VerifyFormat::statusText(CompareStatus::Mismatch), VerifyFormat::statusColor(CompareStatus::Mismatch)},
                          {tr("no keys"), VerifyFormat::noKeysColor()}});
    connect(m_heatmap, &CalendarGrid::dayClicked, this, &VerifyView::onDayClicked);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_heatmap);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(m_heatmap->sizeHint().width() + 20);
    m_dayLabel = new QLabel(this);
    m_clearDay = new QPushButton(tr("Show all days"), this);
    connect(m_clearDay, &QPushButton::clicked, this, [this]() { setDayFilter(std::nullopt); });
    auto *heatBox = new QGroupBox(tr("Worst status per day (click a day to filter the table)"), this);
    auto *heatLayout = new QVBoxLayout(heatBox);
    heatLayout->addWidget(scroll, 1);
    auto *dayRow = new QHBoxLayout;
    dayRow->addWidget(m_dayLabel, 1);
    dayRow->addWidget(m_clearDay);
    heatLayout->addLayout(dayRow);

    m_chart = new VerifyChart(this);
    auto *chartBox = new QGroupBox(tr("Rollup vs raw per day"), this);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->addWidget(m_chart);

    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(heatBox);
    upper->addWidget(chartBox);
    upper->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(buildTablePane());
    split->setStretchFactor(1, 1);
    split->setSizes({300, 400});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addLayout(flagRow);
    layout->addWidget(split, 1);
}

QWidget *VerifyView::buildTablePane()
{
    auto *pane = new QWidget(this);
    m_dimensionFilter = new QComboBox(pane);
    m_metricFilter = new QComboBox(pane);
    m_statusFilter = new QComboBox(pane);
    m_statusFilter->addItem(tr("All statuses"), -1);
    for (CompareStatus s : {CompareStatus::Match, CompareStatus::Mismatch, CompareStatus::Missing, CompareStatus::Extra})
        m_statusFilter->addItem(VerifyFormat::statusText(s), int(s));
    m_onlyDifferences = new QCheckBox(tr("Only &differences"), pane);
    m_onlyDifferences->setChecked(true);
    m_proxy->setOnlyDifferences(true);
    m_count = new QLabel(pane);
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
    filters->addWidget(new QLabel(tr("Filter:"), pane));
    filters->addWidget(m_dimensionFilter);
    filters->addWidget(m_metricFilter);
    filters->addWidget(m_statusFilter);
    filters->addWidget(m_onlyDifferences);
    filters->addStretch(1);
    filters->addWidget(m_count);

    m_table = new QTableView(pane);
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
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &VerifyView::updateButtons);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (!current.isValid())
            return;
        const CompareRow &r = m_model->rowAt(m_proxy->mapToSource(current).row());
        m_chart->selectKey(r.metric, r.dimensionType, r.dimensionId);
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &VerifyView::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &VerifyView::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &VerifyView::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &VerifyView::updateCount);

    m_rebackfillSelected = new QPushButton(tr("Re-backfill &selected days"), pane);
    m_rebackfillDiffering = new QPushButton(tr("Re-backfill &all differing days"), pane);
    m_export = new QPushButton(tr("&Export…"), pane);
    m_export->setToolTip(tr("Save the filtered table as CSV or JSON (the CLI's columns)"));
    m_message = new QLabel(pane);
    connect(m_rebackfillSelected, &QPushButton::clicked, this, &VerifyView::rebackfillSelectedDays);
    connect(m_rebackfillDiffering, &QPushButton::clicked, this, &VerifyView::rebackfillDifferingDays);
    connect(m_export, &QPushButton::clicked, this, &VerifyView::exportTable);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_rebackfillSelected);
    actions->addWidget(m_rebackfillDiffering);
    actions->addWidget(m_message, 1);
    actions->addWidget(m_export);

    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    layout->addLayout(actions);
    return pane;
}

void VerifyView::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
    ++m_generation; // a verify still in flight belongs to the old database
    m_pending.reset();
    m_job.cancel();
    m_accountId = 0;
    clearResult(tr("Select an account on the Accounts tab and press Ctrl+Y to verify its rollups."));
}

bool VerifyView::isRunning() const { return m_running; }

void VerifyView::verifyAccount(qint64 accountId, const QString &from, const QString &to)
{
    VerifyRequest request;
    request.accountId = accountId;
    request.range.from = from;
    request.range.to = to;
    {
        const QSignalBlocker block(m_custom);
        m_custom->setChecked(!from.isEmpty() || !to.isEmpty());
        m_from->setEnabled(m_custom->isChecked());
        m_to->setEnabled(m_custom->isChecked());
    }
    if (!from.isEmpty())
        m_from->setDate(QDate::fromString(from, Qt::ISODate));
    if (!to.isEmpty())
        m_to->setDate(QDate::fromString(to, Qt::ISODate));
    if (accountId != m_accountId)
        clearResult(tr("Verifying account %1…").arg(accountId));
    m_accountId = accountId;
    start(request);
}

void VerifyView::verify()
{
    if (m_accountId <= 0)
        return;
    VerifyRequest request;
    request.accountId = m_accountId;
    if (m_custom->isChecked()) {
        request.range.from = isoDate(m_from->date());
        request.range.to = isoDate(m_to->date());
    }
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
    m_progress.setFuture(run);
    m_watcher.setFuture(run.then([](const VerifyOutcome &outcome) {
        VerifyLoad load; // on the worker thread: the table is ready before the GUI sees it
        load.outcome = outcome;
        if (outcome.ok())
            load.table = VerifyModel::prepare(outcome);
        return load;
    }));
    m_busy->setValue(0);
    m_busy->setFormat(tr("Starting…"));
    m_busy->setVisible(true);
    setMessage(QString());
    updateButtons();
    updateReadPath();
}

void VerifyView::onFinished()
{
    VerifyLoad load = m_watcher.result();
    m_running = false;
    m_busy->setVisible(false);
    if (m_pending) {
        const VerifyRequest next = *m_pending;
        m_pending.reset();
        start(next);
        return;
    }
    if (m_runGeneration != m_generation) {
        updateButtons();
        updateReadPath();
        return;
    }
    if (load.outcome.cancelled) {
        setMessage(tr("Verify cancelled; the table shows the previous result."));
        updateButtons();
        updateReadPath();
        return;
    }
    if (!load.outcome.error.isEmpty()) {
        const QString error = load.outcome.error;
        clearResult(QStringLiteral("<span style='color:#c62828'>%1</span>").arg(tr("Verify failed: %1").arg(error.toHtmlEscaped())));
        m_outcome = load.outcome; // keeps the feature flags read before the failure
        updateReadPath();
        emit verifyFailed(load.outcome.request.accountId, error);
        return;
    }
    apply(std::move(load));
}

void VerifyView::apply(VerifyLoad load)
{
    m_outcome = std::move(load.outcome);
    m_proxy->setDay(std::nullopt);
    m_model->setData(std::move(load.table));
    fillFilterCombos();
    const BackfillPlan &plan = m_outcome.result.plan;
    if (!plan.empty() && !m_custom->isChecked()) {
        m_from->setDate(toQDate(plan.range.from));
        m_to->setDate(toQDate(plan.range.to));
    }
    updateHeatmap();
    m_chart->setSource(&m_model->data(), m_outcome.days);
    if (!m_columnsFitted && m_model->rowCount() > 0) {
        fitColumns();
        m_columnsFitted = true;
    }
    updateSummary();
    updateReadPath();
    updateButtons();
    updateCount();
    setDayFilter(std::nullopt);
    emit verified(m_outcome.request.accountId, m_outcome.differingDays());
}

// Widths from the sampled contents, but never narrower than the widest value a column can show
// (the first rows need not contain "mismatch" or a "−23 h 59 min" delta).
void VerifyView::fitColumns()
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
    for (int c : {VerifyModel::RollupAvg, VerifyModel::RawAvg, VerifyModel::DeltaAvg, VerifyModel::RollupAvgBh, VerifyModel::RawAvgBh})
        atLeast(c, QStringLiteral("−23 h 59 min"));
    for (int c : {VerifyModel::RollupCount, VerifyModel::RawCount, VerifyModel::DeltaCount})
        atLeast(c, QStringLiteral("−123456"));
}

void VerifyView::clearResult(const QString &message)
{
    m_outcome = VerifyOutcome{};
    m_outcome.request.accountId = m_accountId;
    m_model->clear();
    m_chart->clear();
    m_heatmap->setRange(date::local_days{date::days{1}}, date::local_days{date::days{0}});
    fillFilterCombos();
    m_title->setText(m_accountId > 0 ? tr("<b>Account %1</b>").arg(m_accountId) : tr("<b>Verify</b>"));
    m_summary->setText(message);
    m_proxy->setDay(std::nullopt);
    m_dayLabel->clear();
    m_clearDay->setEnabled(false);
    updateReadPath();
    updateButtons();
    updateCount();
}

void VerifyView::fillFilterCombos()
{
    const QString dim = m_dimensionFilter->currentData().toString(), metric = m_metricFilter->currentData().toString();
    const QSignalBlocker b1(m_dimensionFilter), b2(m_metricFilter);
    m_dimensionFilter->clear();
    m_dimensionFilter->addItem(tr("All dimensions"), QString());
    for (const QString &t : m_model->data().dimensionTypes)
        m_dimensionFilter->addItem(t, t);
    m_metricFilter->clear();
    m_metricFilter->addItem(tr("All metrics"), QString());
    for (const QString &m : m_model->data().metrics)
        m_metricFilter->addItem(m, m);
    m_dimensionFilter->setCurrentIndex(std::max(0, m_dimensionFilter->findData(dim)));
    m_metricFilter->setCurrentIndex(std::max(0, m_metricFilter->findData(metric)));
    m_proxy->setDimensionType(m_dimensionFilter->currentData().toString());
    m_proxy->setMetric(m_metricFilter->currentData().toString());
}

void VerifyView::updateHeatmap()
{
    const QList<VerifyDay> &days = m_outcome.days;
    if (days.isEmpty()) {
        m_heatmap->setRange(date::local_days{date::days{1}}, date::local_days{date::days{0}});
        return;
    }
    m_heatmap->setRange(days.first().day, days.last().day, VerifyFormat::noKeysColor());
    for (const VerifyDay &d : days) {
        if (d.keys == 0) {
            m_heatmap->setCell(d.day, VerifyFormat::noKeysColor(), tr("%1: no keys").arg(formatLocalDate(d.day)));
            continue;
        }
        QString tip = tr("%1: %n key(s)", nullptr, int(d.keys)).arg(formatLocalDate(d.day));
        QStringList parts;
        if (d.matches)
            parts << tr("%1 match").arg(d.matches);
        if (d.mismatches)
            parts << tr("%1 mismatch").arg(d.mismatches);
        if (d.missing)
            parts << tr("%1 missing").arg(d.missing);
        if (d.extra)
            parts << tr("%1 extra").arg(d.extra);
        m_heatmap->setCell(d.day, VerifyFormat::statusColor(d.worst), tip + QStringLiteral(" — ") + parts.join(QStringLiteral(", ")));
    }
}

void VerifyView::updateSummary()
{
    const BackfillPlan &plan = m_outcome.result.plan;
    const CompareSummary &s = m_outcome.result.summary;
    const QLocale locale;
    m_title->setText(tr("<b>Account %1 — %2</b> · %3")
                         .arg(plan.account.id)
                         .arg(plan.account.name.toHtmlEscaped(), plan.zone.ianaId.toHtmlEscaped()));
    if (plan.empty()) {
        m_summary->setText(tr("Nothing to verify: %1").arg(plan.note.toHtmlEscaped()));
        return;
    }
    auto swatch = [](CompareStatus st, qint64 n) {
        return QStringLiteral("<span style='color:%1'>■</span> %2 %3")
            .arg(VerifyFormat::statusColor(st).name())
            .arg(QLocale().toString(n), VerifyFormat::statusText(st));
    };
    const QString range = tr("%1 .. %2 (%n day(s), %3)", nullptr, int(plan.windows.size()))
                              .arg(formatLocalDate(plan.range.from), formatLocalDate(plan.range.to),
                                   m_outcome.wholeHistory() ? tr("whole history") : tr("chosen range"));
    m_summary->setText(tr("%1 · <b>%2</b> keys compared · match rate <b>%3 %</b> · %4 · %5 · %6 · %7 · %8 day(s) with differences · %9 s")
                           .arg(range, locale.toString(s.keys), locale.toString(s.matchRate() * 100.0, 'f', 2),
                                swatch(CompareStatus::Match, s.matches), swatch(CompareStatus::Mismatch, s.mismatches),
                                swatch(CompareStatus::Missing, s.missing), swatch(CompareStatus::Extra, s.extra),
                                locale.toString(s.daysWithDifferences), locale.toString(m_outcome.result.seconds, 'f', 2)));
    const OutsideRows &outside = m_outcome.result.outside;
    if (outside.rows > 0)
        m_summary->setText(m_summary->text() + QStringLiteral("<br><span style='color:%1'>%2</span> <a href='%3'>%4</a>")
                               .arg(VerifyFormat::statusColor(CompareStatus::Extra).darker(170).name(),
                                    tr("%n stored row(s) outside the range, dated %1 .. %2, were not compared.", nullptr,
                                       int(outside.rows))
                                        .arg(formatLocalDate(*outside.first), formatLocalDate(*outside.last)),
                                    QLatin1String(kRebackfillOutsideLink),
                                    tr("Re-backfill those %n day(s)", nullptr, int(outside.days.size()))));
}

void VerifyView::updateCount()
{
    m_count->setText(tr("%1 of %2 keys shown").arg(QLocale().toString(m_proxy->rowCount()), QLocale().toString(m_model->rowCount())));
}

void VerifyView::setDayFilter(std::optional<date::local_days> day)
{
    m_proxy->setDay(day);
    m_heatmap->setSelectedDay(day);
    m_dayLabel->setText(day ? tr("Table shows %1 only").arg(formatLocalDate(*day)) : tr("Table shows every day"));
    m_clearDay->setEnabled(day.has_value());
}

void VerifyView::onDayClicked(date::local_days day)
{
    setDayFilter(m_proxy->day() == day ? std::nullopt : std::optional<date::local_days>(day));
}

QString VerifyView::summaryText() const { return m_title->text() + QLatin1Char('\n') + m_summary->text(); }

void VerifyView::setMessage(const QString &text) { m_message->setText(text); }

} // namespace rollup
