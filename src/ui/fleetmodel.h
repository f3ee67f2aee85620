#pragma once

#include "jobs/fleet.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace rollup {

// The accounts of one fleet run (verify or backfill of many accounts) with their state as the
// run reports it. GUI thread only; fed whole lists (setAccounts) and the changed lines of each
// progress report (update), so 10,000 accounts cost one dataChanged per report.
class FleetModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Name, Status, Days, Events, Outcome, Note, ColumnCount };
    enum Role { AccountIdRole = Qt::UserRole + 1, SortRole, StatusRole };

    explicit FleetModel(QObject *parent = nullptr);

    void setAccounts(const QList<FleetAccount> &accounts);
    void update(const QList<FleetAccount> &changed);
    const FleetAccount *accountAt(int row) const;
    // How many accounts are in `status`.
    int count(FleetStatus status) const;
    QList<qint64> accountIds(FleetStatus status) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString statusText(FleetStatus status);

private:
    QVariant display(const FleetAccount &a, int column) const;
    QList<FleetAccount> m_rows;
    QHash<qint64, int> m_rowOfId;
};

} // namespace rollup
