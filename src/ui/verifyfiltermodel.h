#pragma once

#include "core/comparison.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace rollup {

class VerifyModel;

// Filters and sorts the VerifyModel: dimension type, metric, status, "only differences" and one
// local day (the heatmap click). Sorting is numeric by VerifyModel::SortRole; with a VerifyModel
// source both sort and filter read the rows directly (no QVariant per comparison), which keeps
// 240,000 rows well inside a frame budget. GUI thread only.
class VerifyFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit VerifyFilterModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    void setDimensionType(const QString &type); // "" = all
    void setMetric(const QString &metric); // "" = all
    void setStatus(std::optional<CompareStatus> status); // nullopt = all
    void setOnlyDifferences(bool only);
    void setDay(std::optional<date::local_days> day); // nullopt = every day
    QString dimensionType() const { return m_dimensionType; }
    QString metric() const { return m_metric; }
    std::optional<CompareStatus> status() const { return m_status; }
    bool onlyDifferences() const { return m_onlyDifferences; }
    std::optional<date::local_days> day() const { return m_day; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    VerifyModel *m_model = nullptr;
    // Sort keys of one column for every source row, built on the first comparison of a sort and
    // dropped when the source resets: a comparison is then two array reads.
    mutable QList<double> m_keys;
    mutable int m_keysColumn = -1;
    QString m_dimensionType;
    QString m_metric;
    std::optional<CompareStatus> m_status;
    bool m_onlyDifferences = false;
    std::optional<date::local_days> m_day;
};

} // namespace rollup
