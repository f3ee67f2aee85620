#include "ui/zonefiltermodel.h"

#include "ui/zonecataloguemodel.h"

namespace rollup {

ZoneFilterModel::ZoneFilterModel(ZoneCatalogueModel *source, QObject *parent) : QSortFilterProxyModel(parent), m_source(source)
{
    setSourceModel(source);
    setSortRole(ZoneCatalogueModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ZoneFilterModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    m_searchOffset.reset();
    const QChar first = trimmed.isEmpty() ? QChar() : trimmed.front();
    if (first == QLatin1Char('+') || first == QLatin1Char('-') || first == QChar(0x2212)
        || trimmed.startsWith(QLatin1String("UTC"), Qt::CaseInsensitive)
        || trimmed.startsWith(QLatin1String("GMT"), Qt::CaseInsensitive))
        m_searchOffset = ZoneCatalogue::parseOffset(trimmed);
    invalidateFilter();
}

void ZoneFilterModel::setOffset(std::optional<int> seconds)
{
    if (seconds == m_offset)
        return;
    m_offset = seconds;
    invalidateFilter();
}

bool ZoneFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const ZoneEntry *e = m_source->entryAt(sourceRow);
    if (!e)
        return false;
    if (m_offset && ZoneCatalogue::matchingOffset({*e}, *m_offset).isEmpty())
        return false;
    if (m_search.isEmpty())
        return true;
    // A signed offset typed into the search box ("+5:30", "-03", "UTC+1") searches by offset too.
    if (m_searchOffset)
        return !ZoneCatalogue::matchingOffset({*e}, *m_searchOffset).isEmpty();
    QString underscored = m_search;
    underscored.replace(QLatin1Char(' '), QLatin1Char('_')); // "new york" finds America/New_York
    if (e->id.contains(underscored, Qt::CaseInsensitive) || e->abbreviation.contains(m_search, Qt::CaseInsensitive))
        return true;
    for (const QString &name : e->railsNames)
        if (name.contains(m_search, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace rollup
