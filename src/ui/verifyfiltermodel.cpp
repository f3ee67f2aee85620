#include "ui/verifyfiltermodel.h"

#include "ui/verifymodel.h"

namespace rollup {

VerifyFilterModel::VerifyFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(VerifyModel::SortRole);
    setDynamicSortFilter(true);
}

void VerifyFilterModel::setSourceModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = qobject_cast<VerifyModel *>(model);
    m_keys.clear();
    m_keysColumn = -1;
    if (m_model)
        connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this]() {
            m_keys.clear();
            m_keysColumn = -1;
        });
    QSortFilterProxyModel::setSourceModel(model);
}

// One layout change for the whole table instead of invalidateFilter()'s rowsRemoved/rowsInserted
// per contiguous range (thousands of them for scattered differences, each O(rows) in the header).
void VerifyFilterModel::refilter()
{
    invalidate();
}

void VerifyFilterModel::setDimensionType(const QString &type)
{
    if (type == m_dimensionType)
        return;
    m_dimensionType = type;
    refilter();
}

void VerifyFilterModel::setMetric(const QString &metric)
{
    if (metric == m_metric)
        return;
    m_metric = metric;
    refilter();
}

void VerifyFilterModel::setStatus(std::optional<CompareStatus> status)
{
    if (status == m_status)
        return;
    m_status = status;
    refilter();
}

void VerifyFilterModel::setOnlyDifferences(bool only)
{
    if (only == m_onlyDifferences)
        return;
    m_onlyDifferences = only;
    refilter();
}

void VerifyFilterModel::setDay(std::optional<date::local_days> day)
{
    if (day == m_day)
        return;
    m_day = day;
    refilter();
}

bool VerifyFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_model)
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    const CompareRow &r = m_model->rowAt(sourceRow);
    if (m_onlyDifferences && r.status == CompareStatus::Match)
        return false;
    if (m_status && r.status != *m_status)
        return false;
    if (m_day && r.date != *m_day)
        return false;
    if (!m_dimensionType.isEmpty() && r.dimensionType != m_dimensionType)
        return false;
    if (!m_metric.isEmpty() && r.metric != m_metric)
        return false;
    return true;
}

bool VerifyFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_model || sortRole() != VerifyModel::SortRole)
        return QSortFilterProxyModel::lessThan(left, right);
    if (m_keysColumn != left.column()) {
        m_keys = m_model->sortKeys(left.column());
        m_keysColumn = left.column();
    }
    return m_keys.at(left.row()) < m_keys.at(right.row());
}

} // namespace rollup
