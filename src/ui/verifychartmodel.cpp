#include "ui/verifychartmodel.h"

#include <QDateTime>
#include <QHash>

#include <algorithm>

namespace rollup {

namespace {
double measureOf(const std::optional<RollupValues> &v, ChartMeasure measure)
{
    if (!v)
        return 0.0;
    switch (measure) {
    case ChartMeasure::Count:
        return double(v->count);
    case ChartMeasure::Sum:
        return v->sumValue / 60.0;
    case ChartMeasure::SumBusinessHours:
        return v->sumValueBusinessHours / 60.0;
    case ChartMeasure::Average:
        return v->count ? v->sumValue / double(v->count) / 60.0 : 0.0;
    case ChartMeasure::AverageBusinessHours:
        return v->count ? v->sumValueBusinessHours / double(v->count) / 60.0 : 0.0;
    }
    return 0.0;
}
} // namespace

VerifyChartModel::VerifyChartModel(QObject *parent) : QAbstractTableModel(parent)
{
}

double VerifyChartModel::xOf(date::local_days day)
{
    const date::year_month_day ymd{day};
    const QDate d(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())));
    return double(QDateTime(d, QTime(12, 0), Qt::UTC).toMSecsSinceEpoch());
}

QList<ChartPoint> VerifyChartModel::points(const QList<CompareRow> &rows, const QList<VerifyDay> &days, const QString &metric,
                                           const QString &dimensionType, qint64 dimensionId, ChartMeasure measure)
{
    QList<ChartPoint> out;
    out.reserve(days.size());
    QHash<int, qsizetype> index;
    for (const VerifyDay &d : days) {
        index.insert(int(d.day.time_since_epoch().count()), out.size());
        ChartPoint p;
        p.day = d.day;
        out.append(p);
    }
    for (const CompareRow &r : rows) {
        if (r.dimensionId != dimensionId || r.metric != metric || r.dimensionType != dimensionType)
            continue;
        const auto it = index.constFind(int(r.date.time_since_epoch().count()));
        if (it == index.constEnd())
            continue;
        ChartPoint &p = out[it.value()];
        p.rollup = measureOf(r.rollup, measure);
        p.raw = measureOf(r.raw, measure);
        p.differs = r.status != CompareStatus::Match;
    }
    return out;
}

void VerifyChartModel::setPoints(const QList<ChartPoint> &points)
{
    beginResetModel();
    m_points = points;
    endResetModel();
}

int VerifyChartModel::differingCount() const
{
    return int(std::count_if(m_points.cbegin(), m_points.cend(), [](const ChartPoint &p) { return p.differs; }));
}

double VerifyChartModel::maxY() const
{
    double m = 0;
    for (const ChartPoint &p : m_points)
        m = std::max({m, p.rollup, p.raw});
    return m;
}

int VerifyChartModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}
int VerifyChartModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VerifyChartModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || (role != Qt::DisplayRole && role != Qt::EditRole))
        return {};
    const ChartPoint &p = m_points.at(index.row());
    switch (index.column()) {
    case X:
        return xOf(p.day);
    case Rollup:
        return p.rollup;
    case Raw:
        return p.raw;
    case Differs:
        return p.differs ? 1 : 0;
    case DayText:
        return formatLocalDate(p.day);
    default:
        return {};
    }
}

QVariant VerifyChartModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case X:
        return tr("Day (ms)");
    case Rollup:
        return tr("Rollup");
    case Raw:
        return tr("Raw");
    case Differs:
        return tr("Differs");
    case DayText:
        return tr("Day");
    default:
        return {};
    }
}

} // namespace rollup
