#pragma once

#include "core/zonecatalogue.h"

#include <QAbstractTableModel>
#include <QList>

namespace rollup {

// Every IANA zone (ZoneCatalogue::entries) with its offset, abbreviation, DST flag and Rails
// names at one instant. GUI thread only.
class ZoneCatalogueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Zone, Offset, Abbreviation, Dst, StandardOffset, RailsNames, ColumnCount };
    enum Role { ZoneIdRole = Qt::UserRole + 1, SortRole };

    explicit ZoneCatalogueModel(QObject *parent = nullptr);

    // Recomputes every entry at `at` (model reset).
    void setInstant(SysSeconds at);
    SysSeconds instant() const { return m_at; }
    const ZoneEntry *entryAt(int row) const;
    int rowOf(const QString &zoneId) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ZoneEntry> m_entries;
    SysSeconds m_at{};
};

} // namespace rollup
