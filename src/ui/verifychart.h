#pragma once

#include "ui/verifychartmodel.h"
#include "ui/verifymodel.h"

#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class QSortFilterProxyModel;
class QValueAxis;
class QVXYModelMapper;

namespace rollup {

// Rollup vs raw per day for one metric and one dimension id, differing days marked. A view of
// VerifyChartModel through QVXYModelMapper (the markers through a proxy that keeps differing
// days only). GUI thread only.
class VerifyChart : public QWidget
{
    Q_OBJECT
public:
    explicit VerifyChart(QWidget *parent = nullptr);

    // `source` must outlive the next setSource() call (the VerifyModel's data).
    void setSource(const VerifyModel::Data *source, const QList<VerifyDay> &days);
    void clear();
    // Shows one key; false when the metric or dimension is not in the data.
    bool selectKey(const QString &metric, const QString &dimensionType, qint64 dimensionId);

    VerifyChartModel *model() const { return m_model; }
    QLineSeries *rollupSeries() const { return m_rollup; }
    QLineSeries *rawSeries() const { return m_raw; }
    QScatterSeries *differingSeries() const { return m_differing; }
    QString metric() const;
    QString dimensionType() const;
    qint64 dimensionId() const;

private:
    void fillMeasures();
    void recompute();

    const VerifyModel::Data *m_data = nullptr;
    QList<VerifyDay> m_days;
    QComboBox *m_metric = nullptr;
    QComboBox *m_dimension = nullptr;
    QComboBox *m_measure = nullptr;
    VerifyChartModel *m_model = nullptr;
    QSortFilterProxyModel *m_differingRows = nullptr;
    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QLineSeries *m_rollup = nullptr;
    QLineSeries *m_raw = nullptr;
    QScatterSeries *m_differing = nullptr;
    QDateTimeAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QList<QVXYModelMapper *> m_mappers;
};

} // namespace rollup
