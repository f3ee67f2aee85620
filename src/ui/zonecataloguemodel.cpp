#include "ui/zonecataloguemodel.h"

namespace rollup {

ZoneCatalogueModel::ZoneCatalogueModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void ZoneCatalogueModel::setInstant(SysSeconds at)
{
    beginResetModel();
    m_at = at;
    m_entries = ZoneCatalogue::entries(at);
    endResetModel();
}

const ZoneEntry *ZoneCatalogueModel::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

int ZoneCatalogueModel::rowOf(const QString &zoneId) const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries.at(i).id == zoneId)
            return i;
    return -1;
}

int ZoneCatalogueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}
int ZoneCatalogueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ZoneCatalogueModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const ZoneEntry &e = m_entries.at(index.row());
    if (role == ZoneIdRole)
        return e.id;
    if (role == SortRole) {
        switch (index.column()) {
        case Offset:
            return e.offsetSeconds;
        case StandardOffset:
            return e.standardOffsetSeconds;
        case Dst:
            return e.dst;
        default:
            break;
        }
    }
    if (role == Qt::DisplayRole || role == SortRole) {
        switch (index.column()) {
        case Zone:
            return e.id;
        case Offset:
            return ZoneCatalogue::formatOffset(e.offsetSeconds);
        case Abbreviation:
            return e.abbreviation;
        case Dst:
            return e.dst ? tr("DST") : QString();
        case StandardOffset:
            return ZoneCatalogue::formatOffset(e.standardOffsetSeconds);
        case RailsNames:
            return e.railsNames.join(QLatin1String(", "));
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Dst)
        return e.dst ? tr("Daylight saving time is in effect") : tr("Standard time");
    if (role == Qt::TextAlignmentRole && (index.column() == Offset || index.column() == StandardOffset))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ZoneCatalogueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Zone:
        return tr("Zone");
    case Offset:
        return tr("Offset now");
    case Abbreviation:
        return tr("Abbr.");
    case Dst:
        return tr("DST");
    case StandardOffset:
        return tr("Standard");
    case RailsNames:
        return tr("Rails names");
    default:
        return {};
    }
}

} // namespace rollup
