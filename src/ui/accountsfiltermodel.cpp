#include "ui/accountsfiltermodel.h"

#include "ui/accountsmodel.h"

#include <QRegularExpression>

namespace rollup {

AccountsFilterModel::AccountsFilterModel(AccountsModel *source, QObject *parent) : QSortFilterProxyModel(parent), m_source(source)
{
    setSourceModel(source);
    setSortRole(AccountsModel::SortRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    // Only name / zone columns feed the filter; statistics and clock updates need no re-filter.
    setFilterKeyColumn(AccountsModel::Name);
}

bool AccountsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const QRegularExpression re = filterRegularExpression();
    const QString pattern = re.pattern();
    if (pattern.isEmpty())
        return true;
    const AccountRow *account = m_source->accountAt(sourceRow);
    const ZoneResolution *zone = m_source->zoneAt(sourceRow);
    if (!account || !zone)
        return false;
    bool digits = true;
    for (const QChar c : pattern)
        digits = digits && c.isDigit();
    if (digits && account->id == pattern.toLongLong())
        return true;
    return re.match(account->name).hasMatch() || (!zone->stored.isEmpty() && re.match(zone->stored).hasMatch())
           || (!zone->ianaId.isEmpty() && re.match(zone->ianaId).hasMatch());
}

} // namespace rollup
