#pragma once

#include <QSortFilterProxyModel>
#include <QString>

#include <optional>

namespace rollup {

class ZoneCatalogueModel;

// Filters the zone catalogue by a search text (case-insensitive substring of the zone id,
// abbreviation or a Rails name; a signed offset such as "+5:30" or "UTC-3" typed there searches by
// offset) and by a UTC offset (ZoneCatalogue::matchingOffset: current or
// standard offset). GUI thread only.
class ZoneFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ZoneFilterModel(ZoneCatalogueModel *source, QObject *parent = nullptr);

    void setSearchText(const QString &text);
    // nullopt: no offset filter.
    void setOffset(std::optional<int> seconds);
    std::optional<int> offset() const { return m_offset; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    ZoneCatalogueModel *m_source;
    QString m_search;
    std::optional<int> m_searchOffset; // m_search read as a signed offset
    std::optional<int> m_offset;
};

} // namespace rollup
