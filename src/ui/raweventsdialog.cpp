#include "ui/raweventsdialog.h"

#include "ui_raweventsdialog.h"

#include "core/cancellation.h"
#include "core/metricregistry.h"
#include "ui/verifyeventsmodel.h"
#include "ui/verifyformat.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace rollup {

namespace {
QString side(const std::optional<RollupValues> &v)
{
    if (!v)
        return QCoreApplication::translate("RawEventsDialog", "no row");
    return QCoreApplication::translate("RawEventsDialog", "count %1, sum %2, sum (BH) %3")
        .arg(v->count)
        .arg(VerifyFormat::shortNumber(v->sumValue), VerifyFormat::shortNumber(v->sumValueBusinessHours));
}
} // namespace

RawEventsDialog::RawEventsDialog(const ConnectionSettings &settings, qint64 accountId, const date::time_zone *zone,
                                 const CompareRow &row, const QString &name, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::RawEventsDialog>()), m_zone(zone), m_row(row)
{
    const QString day = formatLocalDate(row.date);
    const DayWindow window = zone ? DayWindows::window(zone, row.date) : DayWindow{row.date, {}, {}};

    m_ui->setupUi(this);
    setWindowTitle(tr("Raw events — %1 %2 · %3 · %4").arg(row.dimensionType).arg(row.dimensionId).arg(row.metric, day));
    QStringList lines;
    lines << tr("<b>%1 %2</b> (%3) · <b>%4</b> · local day <b>%5</b> · status <b>%6</b>")
                 .arg(row.dimensionType.toHtmlEscaped())
                 .arg(row.dimensionId)
                 .arg(name.toHtmlEscaped(), row.metric.toHtmlEscaped(), day, VerifyFormat::statusText(row.status));
    if (zone)
        lines << tr("UTC window %1 .. %2 (%3 h)")
                     .arg(formatUtcInstant(window.start), formatUtcInstant(window.end), window.hoursText());
    lines << tr("Rollup: %1 · Raw: %2").arg(side(row.rollup), side(row.raw));
    if (MetricRegistry::isKnownMetric(row.metric)) {
        for (const MetricMapping &m : MetricRegistry::mappings())
            if (m.metric == row.metric && m.distinctConversations)
                lines << tr("This metric counts distinct conversations, not events.");
    }
    m_ui->keyLabel->setText(lines.join(QStringLiteral("<br>")));

    m_model = new VerifyEventsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(VerifyEventsModel::SortRole);
    m_ui->eventsView->setModel(m_proxy);
    m_ui->eventsView->sortByColumn(VerifyEventsModel::CreatedUtc, Qt::AscendingOrder);
    m_ui->eventsView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(&m_watcher, &QFutureWatcher<RawEventsLoad>::finished, this, &RawEventsDialog::onLoaded);
    if (!zone || !MetricRegistry::isKnownMetric(row.metric) || !MetricRegistry::dimensionTypes().contains(row.dimensionType)) {
        m_ui->statusLabel->setText(
            tr("No raw events feed this key: the backfill never writes %1 rows for %2.").arg(row.dimensionType, row.metric));
        return;
    }
    m_ui->statusLabel->setText(tr("Loading raw events…"));
    m_job = VerifyJob::loadEvents(settings, accountId, window, row.dimensionType, row.dimensionId, row.metric);
    m_watcher.setFuture(m_job.future);
}

RawEventsDialog::~RawEventsDialog()
{
    m_job.cancel();
    m_watcher.waitForFinished();
}

QString RawEventsDialog::statusText() const
{
    return m_ui->statusLabel->text();
}

QTableView *RawEventsDialog::view() const
{
    return m_ui->eventsView;
}

void RawEventsDialog::onLoaded()
{
    const RawEventsLoad result = m_watcher.result();
    if (result.cancelled) {
        m_ui->statusLabel->setText(tr("Cancelled."));
    } else if (!result.error.isEmpty()) {
        m_ui->statusLabel->setText(tr("Error: %1").arg(result.error));
    } else {
        m_model->setEvents(result.events, m_zone);
        m_ui->eventsView->resizeColumnsToContents();
        m_ui->statusLabel->setText(result.truncated ? tr("The first %1 events (the list is cut there).").arg(result.events.size())
                                                    : tr("%n event(s) in the window.", nullptr, int(result.events.size())));
    }
    emit loaded(result);
}

} // namespace rollup
