#include "ui/verifychart.h"

#include "core/metricregistry.h"
#include "ui/localeformat.h"
#include "ui/palette.h"
#include "ui/verifyformat.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>
#include <QVXYModelMapper>
#include <QValueAxis>

namespace rollup {

namespace {
QVXYModelMapper *mapper(QXYSeries *series, QAbstractItemModel *model, int yColumn, QObject *parent)
{
    auto *m = new QVXYModelMapper(parent);
    m->setXColumn(VerifyChartModel::X);
    m->setYColumn(yColumn);
    m->setSeries(series);
    m->setModel(model);
    return m;
}
} // namespace

VerifyChart::VerifyChart(QWidget *parent) : QWidget(parent)
{
    m_model = new VerifyChartModel(this);
    m_differingRows = new QSortFilterProxyModel(this);
    m_differingRows->setSourceModel(m_model);
    m_differingRows->setFilterKeyColumn(VerifyChartModel::Differs);
    m_differingRows->setFilterFixedString(QStringLiteral("1"));

    m_chart = new QChart;
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_rollup = new QLineSeries;
    m_rollup->setName(tr("Rollup (stored)"));
    m_raw = new QLineSeries;
    m_raw->setName(tr("Raw (what a backfill writes)"));
    m_differing = new QScatterSeries;
    m_differing->setName(tr("Differing days"));
    m_differing->setMarkerSize(9);
    m_differing->setColor(VerifyFormat::statusColor(CompareStatus::Mismatch));
    m_differing->setBorderColor(Qt::white);
    QPen rollupPen(Palette::rollupLine());
    rollupPen.setWidthF(1.5);
    m_rollup->setPen(rollupPen);
    QPen rawPen(Palette::rawLine());
    rawPen.setWidthF(1.5);
    rawPen.setStyle(Qt::DashLine);
    m_raw->setPen(rawPen);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(m_rollup), static_cast<QAbstractSeries *>(m_raw),
                               static_cast<QAbstractSeries *>(m_differing)})
        m_chart->addSeries(s);
    m_x = new QDateTimeAxis;
    m_x->setFormat(LocaleFormat::dateFormat());
    m_x->setTickCount(5);
    m_y = new QValueAxis;
    m_y->setLabelFormat(QStringLiteral("%g"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s : m_chart->series()) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    m_mappers << mapper(m_rollup, m_model, VerifyChartModel::Rollup, this) << mapper(m_raw, m_model, VerifyChartModel::Raw, this)
              << mapper(m_differing, m_differingRows, VerifyChartModel::Rollup, this);

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);

    m_metric = new QComboBox(this);
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_dimension = new QComboBox(this);
    m_dimension->setMinimumContentsLength(14);
    m_dimension->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_measure = new QComboBox(this);
    m_measure->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Metric:"), this));
    controls->addWidget(m_metric);
    controls->addWidget(new QLabel(tr("Dimension:"), this));
    controls->addWidget(m_dimension, 1);
    controls->addWidget(new QLabel(tr("Value:"), this));
    controls->addWidget(m_measure);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_view, 1);

    connect(m_metric, &QComboBox::currentIndexChanged, this, [this]() {
        fillMeasures();
        recompute();
    });
    connect(m_dimension, &QComboBox::currentIndexChanged, this, &VerifyChart::recompute);
    connect(m_measure, &QComboBox::currentIndexChanged, this, &VerifyChart::recompute);
    clear();
}

QString VerifyChart::metric() const
{
    return m_metric->currentText();
}
QString VerifyChart::dimensionType() const
{
    return m_dimension->currentData(Qt::UserRole).toString();
}
qint64 VerifyChart::dimensionId() const
{
    return m_dimension->currentData(Qt::UserRole + 1).toLongLong();
}

void VerifyChart::clear()
{
    setSource(nullptr, {});
}

void VerifyChart::setSource(const VerifyModel::Data *source, const QList<VerifyDay> &days)
{
    m_data = source;
    m_days = days;
    {
        const QSignalBlocker b1(m_metric), b2(m_dimension);
        m_metric->clear();
        m_dimension->clear();
        if (source) {
            m_metric->addItems(source->metrics);
            for (const auto &[type, id] : source->dimensions) {
                const QString name = VerifyModel::nameOf(*source, type, id);
                const QString typeText = VerifyFormat::dimensionText(type);
                m_dimension->addItem(name == QString::number(id) ? QStringLiteral("%1 %2").arg(typeText).arg(id)
                                                                 : QStringLiteral("%1 %2 · %3").arg(typeText).arg(id).arg(name));
                m_dimension->setItemData(m_dimension->count() - 1, type, Qt::UserRole);
                m_dimension->setItemData(m_dimension->count() - 1, id, Qt::UserRole + 1);
            }
        }
    }
    // Default: the account itself, on the first metric that differs somewhere (else the first).
    QString metric = source && !source->metrics.isEmpty() ? source->metrics.first() : QString();
    if (source)
        for (const CompareRow &r : source->rows)
            if (r.status != CompareStatus::Match && r.dimensionType == QLatin1String("account")) {
                metric = r.metric;
                break;
            }
    if (!source || !selectKey(metric, QStringLiteral("account"), source->accountId)) {
        const QSignalBlocker b(m_metric);
        fillMeasures();
        recompute();
    }
}

bool VerifyChart::selectKey(const QString &metric, const QString &dimensionType, qint64 dimensionId)
{
    const int m = m_metric->findText(metric);
    int d = -1;
    for (int i = 0; i < m_dimension->count() && d < 0; ++i)
        if (m_dimension->itemData(i, Qt::UserRole).toString() == dimensionType
            && m_dimension->itemData(i, Qt::UserRole + 1).toLongLong() == dimensionId)
            d = i;
    if (m < 0 || d < 0)
        return false;
    {
        const QSignalBlocker b1(m_metric), b2(m_dimension);
        const bool metricChanged = m_metric->currentIndex() != m;
        m_metric->setCurrentIndex(m);
        m_dimension->setCurrentIndex(d);
        if (metricChanged || m_measure->count() == 0)
            fillMeasures();
    }
    recompute();
    return true;
}

void VerifyChart::fillMeasures()
{
    const QSignalBlocker b(m_measure);
    m_measure->clear();
    if (MetricRegistry::isDurationMetric(m_metric->currentText())) {
        m_measure->addItem(tr("Average (min)"), int(ChartMeasure::Average));
        m_measure->addItem(tr("Average, business hours (min)"), int(ChartMeasure::AverageBusinessHours));
        m_measure->addItem(tr("Count"), int(ChartMeasure::Count));
        m_measure->addItem(tr("Sum (min)"), int(ChartMeasure::Sum));
        m_measure->addItem(tr("Sum, business hours (min)"), int(ChartMeasure::SumBusinessHours));
    } else {
        m_measure->addItem(tr("Count"), int(ChartMeasure::Count));
    }
}

void VerifyChart::recompute()
{
    const auto measure = ChartMeasure(m_measure->currentData().toInt());
    m_model->setPoints(m_data ? VerifyChartModel::points(m_data->rows, m_days, metric(), dimensionType(), dimensionId(), measure)
                              : QList<ChartPoint>{});
    if (!m_days.isEmpty()) {
        const double first = VerifyChartModel::xOf(m_days.first().day), last = VerifyChartModel::xOf(m_days.last().day);
        const double pad = m_days.size() == 1 ? 86400000.0 : 0.0;
        m_x->setRange(QDateTime::fromMSecsSinceEpoch(qint64(first - pad), Qt::UTC),
                      QDateTime::fromMSecsSinceEpoch(qint64(last + pad), Qt::UTC));
    }
    m_x->setVisible(!m_days.isEmpty());
    m_y->setVisible(!m_days.isEmpty());
    const double top = m_model->maxY();
    m_y->setRange(0, top > 0 ? top * 1.05 : 1.0);
    m_y->applyNiceNumbers();
    m_y->setTitleText(VerifyChartModel::isDurationMeasure(measure) ? tr("minutes") : tr("count"));
    m_chart->setTitle(
        m_data ? tr("%1 · %2 · %n differing day(s)", nullptr, m_model->differingCount()).arg(metric(), m_dimension->currentText())
               : QString());
}

} // namespace rollup
