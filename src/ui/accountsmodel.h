#pragma once

#include "db/accountrepository.h"

#include <QAbstractTableModel>
#include <QList>

namespace rollup {

// Accounts with their timezone state. GUI thread only; fed whole lists by AccountLoader.
class AccountsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Name, StoredTimezone, State, Resolved, LocalNow, ColumnCount };
    enum Role { AccountIdRole = Qt::UserRole + 1, SortRole };

    explicit AccountsModel(QObject *parent = nullptr);

    void setAccounts(const QList<AccountRow> &accounts);
    const AccountRow *accountAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        AccountRow account;
        ZoneResolution zone;
    };
    QList<Entry> m_rows;
};

} // namespace rollup
