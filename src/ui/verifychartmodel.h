#pragma once

#include "jobs/verifyjob.h"

#include <QAbstractTableModel>
#include <QList>

namespace rollup {

// What the chart plots per day for one key (metric, dimension type, dimension id).
enum class ChartMeasure { Count, Sum, Average, SumBusinessHours, AverageBusinessHours };

struct ChartPoint
{
    date::local_days day{};
    double rollup = 0; // 0 when the side has no row that day
    double raw = 0;
    bool differs = false; // the key's status that day is not match
};

// Small per-day table the chart reads through QVXYModelMapper: one row per verified day.
// X is the day's noon UTC in ms since the epoch (QDateTimeAxis); durations are in minutes.
// GUI thread only, except points(), which is pure.
class VerifyChartModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { X, Rollup, Raw, Differs, DayText, ColumnCount };

    explicit VerifyChartModel(QObject *parent = nullptr);

    static QList<ChartPoint> points(const QList<CompareRow> &rows, const QList<VerifyDay> &days, const QString &metric,
                                    const QString &dimensionType, qint64 dimensionId, ChartMeasure measure);
    static bool isDurationMeasure(ChartMeasure measure) { return measure != ChartMeasure::Count; }
    static double xOf(date::local_days day);

    void setPoints(const QList<ChartPoint> &points);
    const QList<ChartPoint> &pointList() const { return m_points; }
    int differingCount() const;
    double maxY() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ChartPoint> m_points;
};

} // namespace rollup
